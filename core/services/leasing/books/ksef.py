"""KSeF (Krajowy System e-Faktur): every faktura and correcting faktura the books issue goes to KSeF as FA(3) XML.

- Issued: a submission is queued in the transaction that numbers the faktura (``queue``), whether KSeF is on or not
  (with KSeF off nothing is sent, and the admin's books screen says so; once it is set, they go).
- Sent by the scheduler (``send_pending``): the XML built once and checked against the schema (kept with it: the
  QR codes print its hash), then sent in one online session; the references KSeF gives are written as soon as each
  faktura is handed over, so after a restart its answer is asked for again by them, never sent twice (and KSeF
  itself answers a second sending of the same XML as a duplicate, with the first KSeF number).
- KSeF down (5xx, no connection): the faktura is offline (``offline``): its PDF prints KOD I labelled OFFLINE and
  KOD II (the offline certificate's), and it is sent in offline mode once KSeF is back, retried with a growing pause.
- Accepted: the KSeF number and the UPO on the faktura; its PDF is made again with the KSeF number.
- Refused (the schema, a duplicate of another faktura…): kept with KSeF's reason for a person to look at."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.documents import ksef as fa3
from core.documents import words_for
from core.domain.campaigns import DocKind
from core.domain.leasing.books import ChargeKind
from core.domain.leasing.case import contract_number
from core.domain.leasing.corrections import Amounts
from core.domain.leasing.ending import TERMINATION_PARTS
from core.services.kernel import access
from core.services.kernel.config import CoreConfig, KsefConfig
from core.services.kernel.documents import _seller
from core.services.leasing.books import ksef_api as api
from core.services.leasing.books.ledger import invoice_number

log = logging.getLogger(__name__)

PENDING, ACCEPTED, REFUSED = "pending", "accepted", "refused"
#: the seller's details' lines that are not its address (the address: the first two others)
_NOT_ADDRESS = re.compile(r"(NIP|REGON|KRS|BDO|tel|e-?mail|www|konto|rachunek|IBAN|bank)\b", re.IGNORECASE)
MAX_PAUSE = 3600
#: the charges a faktura's line names by their kind (core/documents/words: «item.<kind>»); any other by its note
ITEMS = (ChargeKind.INSTALMENT, ChargeKind.RESIDUAL, ChargeKind.INITIAL_FEE, ChargeKind.ADMIN_FEE)


@dataclass(frozen=True)
class Facts:
    """What a faktura says, as its PDF and its XML both write it."""

    invoice: m.LeaseInvoice
    number: str
    item: str
    vat_rate: Decimal
    amounts: Amounts  # a faktura: its line; a correcting one: the line after the correction
    before: Amounts | None  # a correcting one: the line as it stood before it
    due: date | None
    corrected: m.LeaseInvoice | None
    corrected_number: str | None
    reason: str
    case: m.LeaseCase
    client: m.Client
    contract: str

    @property
    def change(self) -> Amounts:
        return self.amounts - self.before if self.before else self.amounts


async def _charge_facts(uow: UnitOfWork, charge: m.LeaseCharge, locale: str | None = None) -> tuple[str, Decimal]:
    kind = ChargeKind(charge.kind)
    w = words_for(DocKind.LEASE_INVOICE, locale)  # the XML's in Polish; a PDF's in its recipient's language
    if kind in ITEMS:
        item = w(f"item.{kind.value}", n=charge.key[1:])
    elif kind == ChargeKind.TERMINATION and not charge.note:  # a part of the settlement (an older row: its note)
        item = w(f"item.termination_{TERMINATION_PARTS.get(charge.key, 'principal')}")
    else:
        item = charge.note or w("item.fee")
    rate = (charge.vat * 100 / charge.net).quantize(Decimal(1)) if charge.net else Decimal(0)
    return item, rate


async def facts(uow: UnitOfWork, invoice: m.LeaseInvoice, locale: str | None = None) -> Facts:
    """What the faktura says: its line's name in ``locale`` (the PDF's recipient's), in Polish by default (KSeF)."""
    case = await uow.leases.case(invoice.deal_id)
    client = await uow.clients.get(case.client_id)
    offer = await uow.leases.offer(case.offer_id)
    contract = contract_number(case.deal_id)
    if invoice.charge_id is not None:
        charge = await uow.books.charge(invoice.charge_id)
        item, rate = await _charge_facts(uow, charge, locale)
        return Facts(invoice, invoice_number(invoice), item, offer.vat if charge.vat else rate,
                     Amounts(charge.net, charge.vat), None, charge.due, None, None, "", case, client, contract)
    receipt = await uow.books.receipt(invoice.receipt_id)
    corrected = await uow.books.invoice(invoice.corrects_id) if invoice.corrects_id else None
    if corrected is None or invoice.net is None:  # a credit note from before corrections named their faktura
        return Facts(invoice, invoice_number(invoice), words_for(DocKind.LEASE_INVOICE, locale)("item.correction"),
                     Decimal(0),
                     Amounts(-receipt.amount, Decimal(0)), None, None, None, None, receipt.reference or "", case,
                     client, contract)
    charge = await uow.books.charge(corrected.charge_id)
    item, _ = await _charge_facts(uow, charge, locale)
    before = Amounts(charge.net, charge.vat)
    for earlier in await uow.books.invoices(invoice.deal_id):
        if earlier.corrects_id == corrected.id and earlier.id < invoice.id and earlier.net is not None:
            before = Amounts(before.net + earlier.net, before.vat + earlier.vat)
    after = Amounts(before.net + invoice.net, before.vat + invoice.vat)
    return Facts(invoice, invoice_number(invoice), item, offer.vat, after, before, None, corrected,
                 invoice_number(corrected), receipt.reference or "", case, client, contract)


async def document(uow: UnitOfWork, cfg: KsefConfig, f: Facts) -> fa3.Invoice:
    seller_name, details = await _seller(uow, DocKind.LEASE_INVOICE)
    lines = [x.strip() for x in details.splitlines() if x.strip() and not _NOT_ADDRESS.match(x.strip())]
    seller = fa3.Party(seller_name, cfg.nip, lines[0] if lines else "Polska", lines[1] if len(lines) > 1 else None)
    address = f.client.address or f.client.city
    buyer = fa3.Party(f.client.name, f.client.nip, address, f.client.city if f.client.address else None)
    after = (fa3.Line(f.item, f.amounts.net, f.vat_rate, f.amounts.vat),)
    corrected = None
    if f.corrected is not None:
        corrected = fa3.Corrected(f.corrected_number, f.corrected.issued_on, f.corrected.ksef_number,
                                  f.reason or words_for(DocKind.LEASE_INVOICE)("item.correction"))
    before = (fa3.Line(f.item, f.before.net, f.vat_rate, f.before.vat),) if f.before else ()
    return fa3.Invoice(f.number, f.invoice.issued_on, seller, buyer, f.case.currency, after, due=f.due,
                       sale_date=f.due if f.corrected is None else None, contract=f.contract,
                       corrected=corrected, before=before)


async def queue(uow: UnitOfWork, invoice_ids: list[int] | None = None, *, series: str | None = None,
                first: int = 0, count: int = 0) -> int:
    """Submissions for the fakturas just issued (in the transaction that issues them)."""
    return await uow.ksef.queue(invoice_ids, series=series, first=first, count=count)


async def _ensure_xml(uow: UnitOfWork, cfg: KsefConfig, sub: m.KsefSubmission, invoice: m.LeaseInvoice) -> None:
    if sub.xml is not None:
        return
    xml = fa3.build_xml(await document(uow, cfg, await facts(uow, invoice)), uow.clock.now())
    fa3.validate(xml)
    sub.xml, sub.xml_hash = xml.decode("utf-8"), fa3.digest(xml)


@dataclass(frozen=True)
class Marks:
    """What the printed faktura says of KSeF: its number, or that it was issued offline; the QR codes with their
    captions (KOD I: the KSeF number, or OFFLINE; KOD II: CERTYFIKAT)."""

    ksef_number: str | None
    offline: bool
    codes: tuple[tuple[str, str], ...]  # (the link, its caption)


async def marks(uow: UnitOfWork, cfg: KsefConfig, invoice: m.LeaseInvoice) -> Marks | None:
    """For the PDF (in its transaction): None with KSeF off (or for a faktura that is not on its way to KSeF). A
    faktura handed out before KSeF numbered it is an offline one from then on (it is sent in offline mode)."""
    if not cfg.enabled:
        return None
    sub = await uow.ksef.of_invoice(invoice.id)
    if sub is None or sub.status == REFUSED:  # issued before KSeF was kept here, or refused: no KSeF marks
        return None
    try:
        await _ensure_xml(uow, cfg, sub, invoice)
    except fa3.Fa3Invalid as exc:  # KSeF would refuse it: kept so, for a person to look at
        sub.status, sub.error = REFUSED, f"FA(3): {exc}"[:512]
        return None
    if sub.status == PENDING:
        sub.offline = True
    link = fa3.invoice_url(cfg.qr_url, cfg.nip, invoice.issued_on, sub.xml_hash)
    codes = [(link, invoice.ksef_number or "OFFLINE")]
    if invoice.ksef_number is None and cfg.offline_cert_pem and cfg.offline_key_pem:
        cert = fa3.certificate_url(cfg.qr_url, cfg.nip, sub.xml_hash, cfg.offline_cert_pem, cfg.offline_key_pem)
        codes.append((cert, "CERTYFIKAT"))
    return Marks(invoice.ksef_number, invoice.ksef_number is None, tuple(codes))


@dataclass
class Pass:
    sent: int = 0
    refused: int = 0
    offline: int = 0  # left for later: KSeF down

    def __bool__(self) -> bool:
        return bool(self.sent or self.refused or self.offline)


#: a submission taken by a pass is not taken by another for this long (the pass writes its outcome before)
CLAIM_SECONDS = 300


async def send_pending(uow_factory: Callable[[], UnitOfWork], cfg: CoreConfig, limit: int = 100,
                       invoice_ids: list[int] | None = None) -> Pass:
    """One pass of the queue: what is due built, sent, and its answer stored (the scheduler's; a restart loses
    nothing: every step is written as it happens). ``invoice_ids``: only these (a faktura about to be handed to its
    client is sent first, so its PDF carries its KSeF number; offline when KSeF is down)."""
    k = cfg.ksef
    if not k.enabled:
        return Pass()
    done = await _pass(uow_factory, k, limit, invoice_ids)
    if invoice_ids is not None:  # another pass (the scheduler's) may hold them: its answer is waited for a while
        await _settled(uow_factory, k, invoice_ids)
    return done


async def _settled(uow_factory: Callable[[], UnitOfWork], k: KsefConfig, invoice_ids: list[int]) -> None:
    """Until none of these is being sent by another pass (pending, never failed), at most ``k.timeout`` seconds."""
    deadline = asyncio.get_running_loop().time() + k.timeout
    while asyncio.get_running_loop().time() < deadline:
        async with uow_factory().standalone() as unit:
            subs = [await unit.ksef.of_invoice(i) for i in invoice_ids]
        if not any(s is not None and s.status == PENDING and not s.attempts and not s.offline for s in subs):
            return
        await asyncio.sleep(0.1)


async def _pass(uow_factory: Callable[[], UnitOfWork], k: KsefConfig, limit: int, invoice_ids: list[int] | None
                ) -> Pass:
    done = Pass()
    uow = uow_factory()
    async with uow:
        now = uow.clock.now()
        due = await uow.ksef.due(now, limit, invoice_ids)
        for sub in due:
            sub.next_try_at = now + timedelta(seconds=CLAIM_SECONDS)
            try:
                await _ensure_xml(uow, k, sub, await uow.books.invoice(sub.invoice_id))
            except fa3.Fa3Invalid as exc:
                sub.status, sub.error = REFUSED, f"FA(3): {exc}"[:512]
                done.refused += 1
        await uow.commit()
        items = [(s.id, s.xml.encode("utf-8"), s.offline, s.session_ref, s.invoice_ref) for s in due
                 if s.status == PENDING]
    if not items:
        return done
    outcomes: dict[int, api.Sent | api.Refused] = {}
    down = False
    handed = [i for i in items if i[4]]  # handed over before a restart: asked by their references
    for key, _, _, session_ref, invoice_ref in handed:
        try:
            outcomes[key] = await api.outcome(k, session_ref, invoice_ref)
        except api.Unavailable:
            down = True
            break
        except Exception as exc:
            log.warning("ksef: asking for %s: %s", invoice_ref, exc)
    fresh = [api.Outgoing(key, xml, offline) for key, xml, offline, _, ref in items if not ref]
    if fresh and not down:
        async def started(key: int, session_ref: str, invoice_ref: str) -> None:
            unit = uow_factory()
            async with unit:
                row = await unit.ksef.get(key)
                row.session_ref, row.invoice_ref = session_ref, invoice_ref
                await unit.commit()

        try:
            outcomes.update(await api.send(k, fresh, started))
        except api.Unavailable as exc:
            log.info("ksef: down (%s): %s fakturas wait, offline", exc, len(fresh))
            down = True
        except Exception as exc:
            log.warning("ksef: sending failed: %s", exc)
            down = True
    uow = uow_factory()
    async with uow:
        now = uow.clock.now()
        for key, *_ in items:
            sub = await uow.ksef.get(key)
            result = outcomes.get(key)
            if isinstance(result, api.Sent):
                invoice = await uow.books.invoice(sub.invoice_id)
                invoice.ksef_number, invoice.ksef_upo = result.ksef_number, result.upo
                invoice.document_id = None  # its PDF made again, with the KSeF number
                sub.status, sub.done_at, sub.error = ACCEPTED, now, None
                uow.audit.record(entity="lease", entity_id=invoice.deal_id, actor_id=None, action="ksef_accepted",
                                 comment=f"{invoice_number(invoice)} {result.ksef_number}")
                done.sent += 1
            elif isinstance(result, api.Refused):
                invoice = await uow.books.invoice(sub.invoice_id)
                sub.status, sub.done_at, sub.error = REFUSED, now, f"{result.code} {result.description}"[:512]
                uow.audit.record(entity="lease", entity_id=invoice.deal_id, actor_id=None, action="ksef_refused",
                                 comment=f"{invoice_number(invoice)} {result.code}")
                done.refused += 1
            else:
                sub.attempts += 1
                if down and not sub.invoice_ref:
                    sub.offline = True  # issued while KSeF was down: it goes in offline mode
                sub.next_try_at = now + timedelta(seconds=min(k.retry_seconds * 2 ** (sub.attempts - 1), MAX_PAUSE))
                done.offline += 1
        await uow.commit()
    return done


@dataclass(frozen=True)
class State:
    """The admin's books screen: whether KSeF is on (and which environment) and where the fakturas stand."""

    enabled: bool
    env: str
    waiting: int
    offline: int
    accepted: int
    refused: int


async def state(uow: UnitOfWork, cfg: CoreConfig, actor_id: int) -> State:
    async with uow:
        await access.admin(uow, actor_id)
        counts = await uow.ksef.counts()
    waiting = sum(n for (s, _), n in counts.items() if s == PENDING)
    offline = sum(n for (s, o), n in counts.items() if s == PENDING and o)
    return State(cfg.ksef.enabled, cfg.ksef.env, waiting, offline,
                 sum(n for (s, _), n in counts.items() if s == ACCEPTED),
                 sum(n for (s, _), n in counts.items() if s == REFUSED))
