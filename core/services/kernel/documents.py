"""Generated documents (seed 001: the КП at stage 8, the invoice at stage 13): made from the admin's template or
the built-in one, kept once, sent by Telegram's file id after the first upload; the admins replace a template by
sending an .html file in the chat."""

from __future__ import annotations

from decimal import Decimal

from core import documents as render
from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import DocKind, Line, lines_of, totals
from core.domain.kernel.errors import InvalidInput
from core.services.kernel import access

#: the seller's name and requisites, as the documents print them: an admin's text (kind «seller» of the templates)
SELLER = "seller"
#: the language a built-in document is written in when its recipient's is not known: its words (core/documents/words),
#: its template and an unconfigured seller (a visible gap to fill, «words: seller.missing») follow the language
LANGUAGE = render.LANGUAGE
#: the documents a lessor issues (seed 002): their seller is the lessor («finansujący»), and an unset one is named so
LEASE_KINDS = frozenset(k for k in DocKind if k.value.startswith("lease_"))
#: the documents of cold calls (seed 001): the КП and the invoice
CAMPAIGN_KINDS = frozenset(DocKind) - LEASE_KINDS


async def recipient_language(uow: UnitOfWork, kind: DocKind, client: m.Client | None) -> str:
    """The language a document to ``client`` is written in: the client's own when the client is in the bot, else the
    kind's (``LANGUAGE``)."""
    user = await uow.users.get(client.user_id) if client is not None and client.user_id else None
    return render.language_of(kind, user.locale if user is not None else None)


async def template(uow: UnitOfWork, kind: DocKind, locale: str | None = None) -> str:
    """The admins' own template of ``kind`` (in whatever language they wrote it), else the built-in one in
    ``locale``."""
    row = await uow.documents.template(kind.value)
    return row.body if row is not None else render.default_template(kind, locale)


async def template_for(uow: UnitOfWork, actor_id: int, kind: DocKind) -> str:
    """The template an admin downloads to edit: their own, or the built-in one."""
    async with uow:
        await access.admin(uow, actor_id)
        return await template(uow, kind)


async def _seller(uow: UnitOfWork, kind: DocKind, locale: str | None = None) -> tuple[str, str]:
    row = await uow.documents.template(SELLER)
    missing = "seller.missing_lessor" if kind in LEASE_KINDS else "seller.missing"
    name, _, details = (row.body if row else render.words_for(kind, locale)(missing)).partition("\n")
    return name.strip(), details.strip()


async def _context(uow: UnitOfWork, deal: m.Deal, lines: list[Line], kind: DocKind) -> tuple[dict, render.Words]:
    """A quote's or an invoice's context, and the words of its language (its client's)."""
    client = await uow.clients.get(deal.client_id) if deal.client_id else None
    w = render.Words(await recipient_language(uow, kind, client))
    seller, details = await _seller(uow, kind, w.locale)
    ctx = {"seller": seller, "seller_details": details, "client": client.name if client else deal.name,
           "client_inn": client.inn if client else None, "ship_unpaid": bool(client and client.ship_unpaid)}
    ctx.update(render.lines_context(lines, totals(lines), w))
    return ctx, w


async def quote_document(uow: UnitOfWork, deal: m.Deal, quote: m.Quote) -> m.Document:
    """The КП's PDF (inside the unit of work that approves it): number «<deal>-<version>»."""
    number = f"{deal.id}-{quote.version}"
    ctx, w = await _context(uow, deal, lines_of(quote.lines), DocKind.QUOTE)
    ctx.update(number=number, date=w.fmt.day(uow.clock.now().date()), valid_until=w.fmt.day(quote.valid_until),
               terms=quote.terms)
    content = render.render_pdf(await template(uow, DocKind.QUOTE, w.locale), ctx, f"{w('title.quote')} № {number}")
    return uow.add(m.Document(kind=DocKind.QUOTE, deal_id=deal.id, quote_id=quote.id, content=content,
                              file_name=f"{w('file.quote')}_{number}.pdf"))


async def invoice_document(uow: UnitOfWork, deal: m.Deal, order: m.Order, quote: m.Quote | None) -> m.Document:
    ctx, w = await _context(uow, deal, lines_of(order.lines), DocKind.INVOICE)
    ctx.update(number=order.number, date=w.fmt.day(uow.clock.now().date()), order=order.number,
               quote=f"{deal.id}-{quote.version}" if quote else None)
    content = render.render_pdf(await template(uow, DocKind.INVOICE, w.locale), ctx,
                                f"{w('title.invoice')} № {order.number}")
    return uow.add(m.Document(kind=DocKind.INVOICE, deal_id=deal.id, order_id=order.id, content=content,
                              file_name=f"{w('file.invoice')}_{order.number}.pdf"))


async def lease_offer_document(uow: UnitOfWork, deal: m.Deal, case: m.LeaseCase, offer: m.LeaseOffer,
                               result, client: m.Client, kind: DocKind = DocKind.LEASE_OFFER,
                               conditions: list[str] = (), vendor: m.Client | None = None) -> m.Document:
    """A lease offer's version as a PDF (seed 002, «Oferta»), number «<case>-<version>», with its whole schedule;
    or, of the same figures, the contract (``kind`` LEASE_CONTRACT) with the decision's conditions, numbered as the
    case is (as core.domain.leasing.case.contract_number: the number the chat, the fakturas, the transfers use)."""
    number = str(deal.id) if kind == DocKind.LEASE_CONTRACT else f"{deal.id}-{offer.version}"
    w = render.Words(await recipient_language(uow, kind, client))
    seller, details = await _seller(uow, kind, w.locale)
    ctx = render.lease_offer_context(number=number, made=offer.created_at.date(), valid_until=offer.valid_until,
                                     seller=seller, seller_details=details, client=client.name,
                                     client_ids=_client_ids(client), subject=case.subject, result=result,
                                     currency=case.currency, w=w,
                                     vendor=f"{vendor.name}, NIP {vendor.nip}" if vendor else "")
    ctx.update(date=w.fmt.day(uow.clock.now().date()) if kind == DocKind.LEASE_CONTRACT else ctx["date"],
               conditions=list(conditions))
    content = render.render_pdf(await template(uow, kind, w.locale), ctx, f"{w(f'title.{kind.value}')} {number}")
    return uow.add(m.Document(kind=kind, deal_id=deal.id, content=content,
                              file_name=f"{w(f'file.{kind.value}')}_{number}.pdf"))


def _client_ids(client: m.Client) -> str:
    return ", ".join(f"{name} {value}" for name, value in (("NIP", client.nip), ("REGON", client.regon),
                                                          ("KRS", client.krs), ("PESEL", client.pesel)) if value)


async def lease_invoice_document(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, invoice: m.LeaseInvoice,
                                 number: str, *, facts, marks=None) -> m.Document:
    """A running contract's faktura (or a correcting one) as a PDF from the admins' template: ``facts`` what it says
    (core.services.leasing.books.ksef.Facts), ``marks`` its KSeF number or OFFLINE and the QR codes (None: KSeF off).
    A correcting one names the corrected faktura (number, date, KSeF number) and its line before and after."""
    w = render.Words(await recipient_language(uow, DocKind.LEASE_INVOICE, client))
    seller, details = await _seller(uow, DocKind.LEASE_INVOICE, w.locale)
    f = facts
    correcting = invoice.receipt_id is not None
    change = f.change
    rows = ([("before", f.before.net, f.before.vat, f.before.gross),
             ("after", f.amounts.net, f.amounts.vat, f.amounts.gross), ("change", change.net, change.vat, change.gross)]
            if correcting and f.before else None)
    corrected = f.corrected
    ctx = render.lease_invoice_context(
        w, number=number, issued=invoice.issued_on,
        due=None if correcting else f.due, seller=seller, seller_details=details, client=client.name,
        client_ids=_client_ids(client), contract=f.contract, subject=case.subject, item=f.item, net=change.net,
        vat_rate=f.vat_rate, vat=change.vat, gross=change.gross, currency=case.currency, reason=f.reason, rows=rows,
        corrected=f.corrected_number or "", corrected_date=corrected.issued_on if corrected else None,
        corrected_ksef=(corrected.ksef_number or "") if corrected else "",
        ksef_number=(marks.ksef_number or "") if marks else "", ksef_offline=bool(marks and marks.offline))
    codes = list(marks.codes) if marks else []
    content = render.html_to_pdf(render.render_html(await template(uow, DocKind.LEASE_INVOICE, w.locale), ctx),
                                 f"{ctx['title']} {number}", codes=codes)
    return uow.add(m.Document(kind=DocKind.LEASE_INVOICE, deal_id=case.deal_id, content=content,
                              file_name=f"{number.replace('/', '_')}.pdf"))


async def lease_letter_document(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, dunning: m.LeaseDunning,
                                oldest, today) -> m.Document:
    """A dunning letter for the back office to send (the client is not in the bot)."""
    w = render.Words(await recipient_language(uow, DocKind.LEASE_LETTER, client))
    seller, details = await _seller(uow, DocKind.LEASE_LETTER, w.locale)
    level = w.forms("dunning_level").get(dunning.name, dunning.name)  # a default level's code, or an admin's words
    ctx = render.lease_letter_context(
        w, place="Warszawa", day_=today, client=client.name, client_ids=_client_ids(client), level=level,
        contract=str(case.deal_id), subject=case.subject,
        owed=dunning.owed, currency=case.currency, oldest=oldest, seller=seller, seller_details=details)
    content = render.render_pdf(await template(uow, DocKind.LEASE_LETTER, w.locale), ctx, level)
    return uow.add(m.Document(kind=DocKind.LEASE_LETTER, deal_id=case.deal_id, content=content,
                              file_name=f"{w('file.lease_letter')}_{case.deal_id}_{dunning.days}.pdf"))


async def lease_settlement_document(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, *, contract: str,
                                    charges: list[tuple[str, object]], paid, credited, balance, refund, day
                                    ) -> m.Document:
    """A contract's closing statement (rozliczenie końcowe): what was charged by kind (its code), paid, credited,
    the balance."""
    w = render.Words(await recipient_language(uow, DocKind.LEASE_SETTLEMENT, client))
    seller, details = await _seller(uow, DocKind.LEASE_SETTLEMENT, w.locale)
    ctx = render.lease_settlement_context(
        w, contract=contract, day_=day, seller=seller, seller_details=details, client=client.name,
        client_ids=_client_ids(client), subject=case.subject, charges=charges, paid=paid, credited=credited,
        balance=balance, refund=refund, currency=case.currency)
    content = render.render_pdf(await template(uow, DocKind.LEASE_SETTLEMENT, w.locale), ctx,
                                f"{w('title.lease_settlement')} {contract}")
    return uow.add(m.Document(kind=DocKind.LEASE_SETTLEMENT, deal_id=case.deal_id, content=content,
                              file_name=f"{w('file.lease_settlement')}_{contract}.pdf"))


async def lease_end_document(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, ending: m.LeaseEnding, *,
                             contract: str, vat_rate, invoice: str = "", rows: list[tuple[str, object, object]] = ()
                             ) -> m.Document:
    """A contract's end as a PDF from the admins' template: the ownership transfer protocol (with the wykup
    faktura's number), an early termination's settlement (``rows``: name, net, gross), or the return protocol."""
    w = render.Words(await recipient_language(uow, DocKind.LEASE_END, client))
    seller, details = await _seller(uow, DocKind.LEASE_END, w.locale)
    f, title = w.fmt, w(f"title.lease_end_{ending.kind}")
    ctx = {"kind": ending.kind, "title": title, "contract": contract, "date": f.day(ending.day),
           "seller": seller, "seller_details": details, "client": client.name, "client_ids": _client_ids(client),
           "subject": case.subject, "registration": case.registration or "", "invoice": invoice,
           "notes": ending.notes or "", "vat_rate": f.number(vat_rate), "currency": case.currency,
           "rows": [{"name": w(f"charge.{name}"), "net": f.amount(net), "gross": f.amount(gross)}
                    for name, net, gross in rows],
           "total": f.amount(sum((gross for _, _, gross in rows), Decimal(0)))}
    content = render.render_pdf(await template(uow, DocKind.LEASE_END, w.locale), ctx, f"{title} {contract}")
    file_name = w(f"file.lease_end_{ending.kind}")
    return uow.add(m.Document(kind=DocKind.LEASE_END, deal_id=case.deal_id, content=content,
                              file_name=f"{file_name}_{contract}.pdf"))


async def remember_file_id(uow: UnitOfWork, document_id: int, file_id: str) -> None:
    """The first upload's file id: every later send goes by it."""
    async with uow:
        await uow.documents.remember_file_id(document_id, file_id)
        await uow.commit()


async def set_template(uow: UnitOfWork, actor_id: int, kind: DocKind, body: bytes) -> None:
    """An admin's .html replaces the built-in template; it must render on a sample (else refused, with why)."""
    text = render.check_template(kind, body)
    await _store(uow, actor_id, kind.value, text)


async def set_seller(uow: UnitOfWork, actor_id: int, text: str) -> None:
    """The seller's name (the first line) and requisites (the rest), as the documents print them."""
    text = (text or "").strip()
    if not text or len(text) > 2000:
        raise InvalidInput("seller_text")
    await _store(uow, actor_id, SELLER, text)


async def _store(uow: UnitOfWork, actor_id: int, kind: str, body: str) -> None:
    async with uow:
        await access.admin(uow, actor_id)
        row = await uow.documents.template(kind)
        if row is None:
            uow.add(m.DocTemplate(kind=kind, body=body, updated_by=actor_id))
        else:
            row.body, row.updated_by, row.updated_at = body, actor_id, uow.clock.now()
        uow.audit.record(entity="doc_template", entity_id=0, actor_id=actor_id, action="set", comment=kind)
        await uow.commit()


async def reset_template(uow: UnitOfWork, actor_id: int, kind: DocKind) -> None:
    async with uow:
        await access.admin(uow, actor_id)
        await uow.documents.drop_template(kind.value)
        uow.audit.record(entity="doc_template", entity_id=0, actor_id=actor_id, action="reset", comment=kind.value)
        await uow.commit()


async def settings(uow: UnitOfWork, actor_id: int) -> dict[str, bool | str]:
    """What the admin's screen shows: which templates are their own, and the seller's text."""
    async with uow:
        await access.admin(uow, actor_id)
        out: dict[str, bool | str] = {k.value: await uow.documents.template(k.value) is not None for k in DocKind}
        row = await uow.documents.template(SELLER)
        name, _, details = row.body.partition("\n") if row else ("", "", "")
        out[SELLER] = f"{name.strip()}\n{details.strip()}".strip()  # "" unset: the bot says so in the admin's words
        return out
