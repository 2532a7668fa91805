"""A contract's end (seed 002, «Zakończenie umowy — pełna automatyzacja»; docs/leasing-end.md): the buyout's
ownership transfer protocol made and sent by itself when the last of the contract is paid (a reaction to
core.domain.kernel.events.LeaseEnded, declared in core.services.kernel.reactions), an early termination with its
settlement (charged with its fakturas on the books' own path), the object's return with its protocol, and the
documents of each for the client and the staff."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Conflict, InvalidInput
from core.domain.kernel.events import LeaseEnded
from core.domain.kernel.notices import LeaseEndedNotice
from core.domain.leasing import books, ending
from core.domain.leasing import case as rules
from core.domain.leasing.books import ChargeKind
from core.domain.leasing.case import LeaseStatus, contract_number
from core.domain.leasing.ending import EndKind
from core.services.kernel import documents
from core.services.kernel.config import CoreConfig
from core.services.leasing import case as lease
from core.services.leasing.books import (
    accepted_offer,
    allocate,
    bookkeeper,
    charge_once,
    invoice_new,
    invoice_number,
    money_text,
    today,
)
from core.services.leasing.books.closing import _close_if_settled
from core.services.leasing.books.interest import _post_interest

#: a termination's charges: their keys and parts (no words: the faktura names each in its own language)
TERMINATION_LINES = ending.TERMINATION_LINES


@dataclass(frozen=True)
class Settlement:
    """An early termination as it would be made (the preview) or was made."""

    deal_id: int
    subject: str
    currency: str
    terms: ending.Termination
    vat_rate: Decimal

    def gross(self, net: Decimal) -> Decimal:
        return net + books.vat_of(net, self.vat_rate)

    @property
    def total(self) -> Decimal:
        """Gross, what the settlement's fakturas come to."""
        return sum((self.gross(getattr(self.terms, part)) for _, part in TERMINATION_LINES), Decimal(0))


async def _settlement(uow: UnitOfWork, cfg: CoreConfig, case: m.LeaseCase, text: str) -> Settlement:
    day = today(uow, cfg)
    ended_on, fee = ending.parse_termination(text, day)
    if case.handed_over_on is None or case.schedule_version is None:
        raise Conflict("lease_not_running")
    if ended_on < case.handed_over_on:
        raise InvalidInput("lease_end_before", day=case.handed_over_on)
    lines = await uow.books.lines(case.deal_id, case.schedule_version)
    charged = await uow.books.charged_keys(case.deal_id)
    done = [x.due for x in lines if x.key in charged]
    since = max(done, default=case.handed_over_on)
    if ended_on < since:  # a line after that day was already charged: the settlement cannot go back before it
        raise InvalidInput("lease_end_before", day=since)
    left = [ending.Left(x.due, x.interest, x.principal) for x in lines if x.key not in charged]
    offer = accepted_offer(await uow.leases.offer(case.offer_id) if case.offer_id else None)
    return Settlement(case.deal_id, case.subject, case.currency, ending.termination(left, since, ended_on, fee),
                      offer.vat)


async def termination_preview(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str
                              ) -> Settlement:
    """What an early termination on the day typed would charge (nothing written): the back office reads it before
    confirming."""
    async with uow:
        _, case, _, actors = await bookkeeper(uow, actor_id, deal_id, *rules.LAUNCHERS)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.TERMINATED, actors)
        return await _settlement(uow, cfg, case, text)


async def terminate(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str) -> Settlement:
    """«Rozwiązanie umowy przed terminem» (the back office, «dzień[; opłata]»): late interest on what is overdue
    posted to that day; the lines not charged replaced by the settlement — the principal left, the contract's
    interest to the day, the fee — in a new version of the schedule, charged at once with their fakturas (the books'
    series, so KSeF takes them as any other); money the client holds pays them; the contract «terminated», its
    settlement made and sent by the reaction to the end."""
    async with uow:
        _, case, client, actors = await bookkeeper(uow, actor_id, deal_id, *rules.LAUNCHERS)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.TERMINATED, actors)
        made = await _settlement(uow, cfg, case, text)
        t, day = made.terms, today(uow, cfg)
        if t.day < day:  # late interest to the day it ended (the books' own posting; the rate table's gap refuses)
            await _post_interest(uow, case, client, t.day, day, f"termination:{t.day.isoformat()}")
        lines = await uow.books.lines(deal_id, case.schedule_version)
        charged = await uow.books.charged_keys(deal_id)
        version = (await uow.books.schedules(deal_id))[-1].version + 1
        uow.add(m.LeaseSchedule(deal_id=deal_id, version=version, reason="termination", start=t.since,
                                made_by=actor_id, made_at=uow.clock.now()))
        n = 0
        for x in lines:
            if x.key in charged:
                n = max(n, x.n)
                uow.add(m.LeaseScheduleLine(deal_id=deal_id, version=version, key=x.key, kind=x.kind, n=x.n, due=x.due,
                                            net=x.net, vat=x.vat, gross=x.gross, interest=x.interest,
                                            principal=x.principal))
        for key, part in TERMINATION_LINES:
            net = getattr(t, part)
            if net <= 0:
                continue
            n += 1
            vat = books.vat_of(net, made.vat_rate)
            uow.add(m.LeaseScheduleLine(deal_id=deal_id, version=version, key=key, kind=ChargeKind.TERMINATION.value,
                                        n=n, due=t.day, net=net, vat=vat, gross=net + vat,
                                        interest=net if part == "interest" else Decimal(0),
                                        principal=net if part == "principal" else Decimal(0)))
            await charge_once(uow, case, ChargeKind.TERMINATION, key, net, made.vat_rate, day, due=day,
                              actor_id=actor_id)
        case.schedule_version = version
        uow.add(m.LeaseEnding(deal_id=deal_id, kind=EndKind.TERMINATION, day=t.day, principal=t.principal,
                              interest=t.interest, fee=t.fee, made_by=actor_id, made_at=uow.clock.now()))
        await uow.flush()
        await invoice_new(uow, day, deal_id)
        await allocate(uow, case, day)
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="terminated",
                         comment=f"{t.day.isoformat()} {money_text(t.principal)}+{money_text(t.interest)}"
                                 f"+{money_text(t.fee)}")
        await lease.move(uow, case, LeaseStatus.TERMINATED, actors, actor_id)  # the day: in its settlement
        await _close_if_settled(uow, cfg, case, day)  # the client's credit paid it all: bought out at once
        await uow.commit()
        return made


async def record_return(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str) -> m.LeaseEnding:
    """«Zwrot przedmiotu» (the back office, after a termination: «dzień; stan przedmiotu»): the return protocol
    recorded and, by the reaction to the end, made and sent; what the client still owes stays owed."""
    async with uow:
        _, case, _, actors = await bookkeeper(uow, actor_id, deal_id, *rules.LAUNCHERS)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.RETURNED, actors)
        day = today(uow, cfg)
        returned, notes = ending.parse_return(text, day)
        terminated = await uow.leases.ending(deal_id, EndKind.TERMINATION)
        if terminated is not None and returned < terminated.day:
            raise InvalidInput("lease_end_before", day=terminated.day)
        row = uow.add(m.LeaseEnding(deal_id=deal_id, kind=EndKind.RETURN, day=returned, notes=notes,
                                    made_by=actor_id, made_at=uow.clock.now()))
        await uow.flush()
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="returned",
                         comment=f"{returned.isoformat()} {notes[:200]}")
        await lease.move(uow, case, LeaseStatus.RETURNED, actors, actor_id)  # the day: in its protocol
        await _close_if_settled(uow, cfg, case, day)
        await uow.commit()
        return row


# --- the reaction: an end's document, made and sent by itself --------------------------------------------------------

async def on_ended(uow: UnitOfWork, event: LeaseEnded) -> None:
    """In the transaction that ended the contract: for «closed» (unless its object came back) the buyout — the
    ownership transfer recorded with the wykup faktura it follows (issued now on the books' path if the closing
    came before the day's numbering) —; for «terminated» and «returned» the ending their service recorded. The
    document is made and the client and the salesperson told with it; made once per ending."""
    case = await uow.leases.case(event.deal_id)
    status = LeaseStatus(event.status)
    invoice = None
    if status == LeaseStatus.CLOSED:
        if await uow.leases.ending(case.deal_id, EndKind.RETURN) is not None:
            return  # the object came back: nothing passes to the client
        row = await uow.leases.ending(case.deal_id, EndKind.BUYOUT)
        if row is not None:
            return
        invoice = await _buyout_invoice(uow, case)
        day = (case.closed_at or uow.clock.now()).date()
        row = uow.add(m.LeaseEnding(deal_id=case.deal_id, kind=EndKind.BUYOUT, day=day,
                                    invoice_id=invoice.id if invoice else None, made_by=None,
                                    made_at=uow.clock.now()))
        await uow.flush()
        uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=None, action="ownership_transferred",
                         comment=invoice_number(invoice) if invoice else None)
        uow.feed.tell(case.deal_id, None, said.OwnershipTransferred(
            invoice=invoice_number(invoice) if invoice else None))
    else:
        kind = EndKind.TERMINATION if status == LeaseStatus.TERMINATED else EndKind.RETURN
        row = await uow.leases.ending(case.deal_id, kind)
        if row is None or row.document_id is not None:
            return
    client = await uow.clients.get(case.client_id)
    await _make_document(uow, case, client, row, invoice)
    notice = LeaseEndedNotice(deal_id=case.deal_id, subject=case.subject, how=row.kind, ending_id=row.id,
                              invoice=invoice_number(invoice) if invoice else None)
    for whom in {client.user_id, case.sales_id} - {None}:
        uow.outbox.notify(whom, notice)


async def _buyout_invoice(uow: UnitOfWork, case: m.LeaseCase) -> m.LeaseInvoice | None:
    """The faktura of what the object was bought for: the wykup, or an early termination's principal."""
    charges = await uow.books.charges(case.deal_id)
    charge = next((c for c in charges if c.kind == ChargeKind.RESIDUAL), None) or next(
        (c for c in charges if c.key == "tp"), None)
    if charge is None:
        return None  # no residual on this contract: the protocol alone
    invoices = {i.charge_id: i for i in await uow.books.invoices(case.deal_id)}
    if charge.id not in invoices:  # charged today and not yet numbered: numbered now, as every other charge is
        await invoice_new(uow, charge.booked_on, case.deal_id)
        invoices = {i.charge_id: i for i in await uow.books.invoices(case.deal_id)}
    return invoices.get(charge.id)


async def _make_document(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, row: m.LeaseEnding,
                         invoice: m.LeaseInvoice | None = None) -> m.Document:
    offer = await uow.leases.offer(case.offer_id)
    rows = []
    if row.kind == EndKind.TERMINATION:
        for _key, part in TERMINATION_LINES:
            net = getattr(row, part) or Decimal(0)
            if net > 0:
                rows.append((f"termination_{part}", net, net + books.vat_of(net, offer.vat)))
    if row.kind == EndKind.BUYOUT and invoice is None and row.invoice_id is not None:
        invoice = await uow.books.invoice(row.invoice_id)
    doc = await documents.lease_end_document(uow, case, client, row, contract=contract_number(case.deal_id),
                                             vat_rate=offer.vat, invoice=invoice_number(invoice) if invoice else "",
                                             rows=rows)
    await uow.flush()
    row.document_id = doc.id
    return doc


@dataclass(frozen=True)
class EndDoc:
    document: m.Document
    kind: str
    deal_id: int
    invoice: str | None


async def ending_document(uow: UnitOfWork, actor_id: int, ending_id: int) -> EndDoc:
    """An end's document for its client or the staff who see the contract (made again only if it was lost)."""
    async with uow:
        row = await uow.leases.ending_by_id(ending_id)
        if row is None:
            raise InvalidInput("stale_button")
        _, case, client, _ = await lease.load(uow, actor_id, row.deal_id)
        invoice = await uow.books.invoice(row.invoice_id) if row.invoice_id else None
        doc = await uow.documents.get(row.document_id) if row.document_id else None
        if doc is None:
            doc = await _make_document(uow, case, client, row, invoice)
            await uow.commit()
        return EndDoc(doc, row.kind, row.deal_id, invoice_number(invoice) if invoice else None)


async def endings(uow: UnitOfWork, actor_id: int, deal_id: int) -> list[m.LeaseEnding]:
    async with uow:
        await lease.load(uow, actor_id, deal_id)
        return await uow.leases.endings(deal_id)
