"""Money in and other charges (seed 002, «Rejestracja wpłat»): a payment registered by hand, booked and allocated;
another charge with its faktura; a credit note."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Amount, Conflict, InvalidInput
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import (
    LeaseReceiptBooked,
)
from core.domain.leasing import books, corrections
from core.domain.leasing.books import ChargeKind, ReceiptKind
from core.domain.leasing.case import LeaseStatus
from core.services.kernel.config import CoreConfig
from core.services.leasing.books.closing import _close_if_settled
from core.services.leasing.books.interest import _correct_interest, _post_interest, interest_cap
from core.services.leasing.books.ledger import (
    ZERO,
    _allocate_many,
    accepted_offer,
    allocate,
    bookkeeper,
    charge_once,
    correction_series,
    invoice_new,
    money_text,
    today,
)

log = logging.getLogger(__name__)

RECEIVES = frozenset({LeaseStatus.TO_PAYMENT, LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED, LeaseStatus.TERMINATED,
                      LeaseStatus.RETURNED})


@dataclass(frozen=True)
class Booked:
    receipt: m.LeaseReceipt
    balance: Decimal  # after it (negative: credit)
    corrected: Decimal  # late interest credited back (a backdated receipt)
    closed: bool
    currency: str


def _check_receivable(case: m.LeaseCase) -> None:
    if case.status == LeaseStatus.CLOSED:
        raise Conflict("lease_contract_closed")
    if case.status not in RECEIVES:
        raise Conflict("lease_not_running")


async def register_payment(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str, key: str
                           ) -> Booked:
    """«Rejestracja wpłat» by hand: «kwota [data] [waluta]». ``key`` names the typed message, so a double send
    books once. A payment before any charge, or above what is owed, is kept as credit for the next charges."""
    async with uow:
        _, case, client, _ = await bookkeeper(uow, actor_id, deal_id)
        _check_receivable(case)
        day = today(uow, cfg)
        amount, paid_on, currency = books.parse_receipt(text, day)
        books.check_currency(currency, case.currency)
        if await uow.books.receipt_by_key(f"m:{key}") is not None:
            raise Conflict("lease_receipt_twice")
        booked = await _book(uow, cfg, case, client, ReceiptKind.PAYMENT, f"m:{key}", amount, paid_on, "manual",
                             None, actor_id)
        await uow.commit()
        return booked


@dataclass(frozen=True)
class Entry:
    """A receipt to book: its contract, what it is and its key."""

    case: m.LeaseCase
    client: m.Client
    kind: ReceiptKind
    key: str
    amount: Decimal
    paid_on: date
    reference: str | None = None
    account: str | None = None  # the payer's IBAN (a statement's line)


async def _book(uow: UnitOfWork, cfg: CoreConfig, case: m.LeaseCase, client: m.Client, kind: ReceiptKind, key: str,
                amount: Decimal, paid_on: date, source: str, reference: str | None, actor_id: int | None,
                target: int | None = None) -> Booked:
    done = await _book_many(uow, cfg, [Entry(case, client, kind, key, amount, paid_on, reference)], source, actor_id,
                            {key: target} if target is not None else None)
    balance, corrected, closed = done[case.deal_id]
    return Booked(await uow.books.receipt_by_key(key), balance, corrected, closed, case.currency)


async def _book_many(uow: UnitOfWork, cfg: CoreConfig, entries: list[Entry], source: str, actor_id: int | None,
                     targets: dict[str, int] | None = None) -> dict[int, tuple[Decimal, Decimal, bool]]:
    """Receipts appended and allocated, many contracts at once (a statement's lines), each settled as of its value
    date (:func:`_settle`; a correcting faktura's credit first reduces the charge it corrects, ``targets``); a
    contract settled by them closes, each client in the bot is told its balance. By contract: (balance, interest
    credited back, closed)."""
    day, now = today(uow, cfg), uow.clock.now()
    await uow.books.insert_many(m.LeaseReceipt, [
        {"deal_id": e.case.deal_id, "kind": e.kind.value, "key": e.key, "amount": e.amount, "paid_on": e.paid_on,
         "source": source, "reference": e.reference, "created_by": actor_id, "created_at": now, "spent_on": None,
         "account": e.account, "line_key": None}
        for e in entries])
    cases = {e.case.deal_id: e.case for e in entries}
    deals = sorted(cases)
    targets = targets or {}
    credits = [e for e in entries if e.key in targets]
    if credits:  # a correcting faktura's credit is no payment: it reduces the charge it corrects, as of no day
        await _allocate_to(uow, credits, targets, day)
        await _allocate_many(uow, sorted({e.case.deal_id for e in credits}), day)  # what it leaves over
    paid = [e for e in entries if e.key not in targets]
    corrected = await _settle(uow, paid, day) if paid else {}
    closed = {d for d in await uow.books.without_lines_left(deals)
              if await _close_if_settled(uow, cfg, cases[d], day)}
    balances = await uow.books.balances(deals)
    await uow.books.insert_many(m.AuditLog, [
        {"entity": "lease", "entity_id": e.case.deal_id, "actor_id": actor_id, "action": f"receipt_{e.kind.value}",
         "from_status": None, "to_status": None, "comment": f"{money_text(e.amount)} {e.paid_on}", "created_at": now}
        for e in entries])
    await uow.books.insert_many(m.FeedItem, [
        {"deal_id": e.case.deal_id, "author_id": actor_id, "kind": fact.kind.value, "created_at": now,
         "params": fact.data()}
        for e, fact in ((e, said.Receipt(amount=e.amount, currency=e.case.currency, paid_on=e.paid_on)
                         if e.kind is ReceiptKind.PAYMENT else
                         said.Correction(amount=e.amount, currency=e.case.currency, reference=e.reference))
                        for e in entries)])
    told = [e for e in entries if e.client.user_id is not None and e.client.user_id != actor_id]
    await uow.books.insert_many(m.Outbox, [
        {"user_id": e.client.user_id, "kind": LeaseReceiptBooked.kind.value, "status": "pending", "attempts": 0,
         "not_before": now, "created_at": now,
         "payload": LeaseReceiptBooked(deal_id=e.case.deal_id, amount=money_text(e.amount), currency=e.case.currency,
                                       paid_on=e.paid_on.isoformat(), balance=money_text(balances[e.case.deal_id])
                                       ).data()} for e in told])
    if told:
        uow.outbox.written = True
    return {d: (balances[d], corrected.get(d, ZERO), d in closed) for d in deals}


async def _allocate_to(uow: UnitOfWork, entries: list[Entry], targets: dict[str, int], day: date) -> None:
    """Each receipt to the one charge named for it, as far as that charge is still open (the rest stays unspent,
    for the usual order)."""
    ids = await uow.books.receipt_ids([e.key for e in entries])
    now = uow.clock.now()
    for e in entries:
        open_ = {o.charge.id: o for o in await uow.books.open_charges(e.case.deal_id)}
        owed = open_.get(targets[e.key])
        if owed is None:
            continue
        part = min(e.amount, owed.left)
        if part <= 0:
            continue
        await uow.books.insert_many(m.LeaseAllocation, [{"receipt_id": ids[e.key], "charge_id": owed.charge.id,
                                                         "amount": part, "created_at": now}])
        if part == owed.left:
            await uow.books.mark_paid_off([owed.charge.id], day)
        if part == e.amount:
            await uow.books.mark_spent([ids[e.key]], day)


async def _settle(uow: UnitOfWork, entries: list[Entry], day: date) -> dict[int, Decimal]:
    """The new receipts allocated, each as of its value date. A contract with nothing late before them and no
    interest posted past their date (most of a statement) is allocated at once. On the others, for each value date
    in turn: a receipt after the last interest posting posts the interest grown to its day first, then pays it
    and the oldest charges; a backdated one (on or before the last posting) pays only the interest grown by its
    day, then the oldest charges, and the interest posted since is recomputed and the difference credited back.
    By contract: the interest credited back."""
    deals = sorted({e.case.deal_id for e in entries})
    through = await uow.books.interest_through_of(deals)
    late = await uow.books.late_before(deals, max(e.paid_on for e in entries))
    first = {}
    for e in entries:
        first[e.case.deal_id] = min(first.get(e.case.deal_id, e.paid_on), e.paid_on)
    slow = [d for d in deals if d in late or (d in through and first[d] <= through[d])]
    await _allocate_many(uow, [d for d in deals if d not in set(slow)], day)
    corrected: dict[int, Decimal] = {}
    if not slow:
        return corrected
    ids = await uow.books.receipt_ids([e.key for e in entries if e.case.deal_id in set(slow)])
    for d in slow:
        mine = sorted((e for e in entries if e.case.deal_id == d), key=lambda e: (e.paid_on, ids[e.key]))
        case, client = mine[0].case, mine[0].client
        last, backdated = through.get(d), None
        try:
            for paid_on in sorted({e.paid_on for e in mine}):
                group = [ids[e.key] for e in mine if e.paid_on == paid_on]
                if last is None or paid_on > last:
                    await _post_interest(uow, case, client, paid_on, day, f"{paid_on.isoformat()}:p{group[0]}",
                                         allocate_after=False)
                    last = paid_on
                    await _allocate_many(uow, [d], day, only=group)
                else:
                    await _allocate_many(uow, [d], day, only=group,
                                         interest_cap=await interest_cap(uow, case, paid_on))
                    backdated = backdated or group[0]
        except books.RateGap:  # the rate table misses a day: interest waits for it (the month's run posts it)
            log.warning("lease books: no late-interest rate; the receipts on %s allocated without interest", d)
        await _allocate_many(uow, [d], day)
        if backdated is not None and last is not None:
            try:
                corrected[d] = await _correct_interest(uow, case, client, last, day, backdated)
            except books.RateGap:
                log.warning("lease books: no late-interest rate; the interest of %s not corrected", d)
    return corrected


async def add_charge(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str, key: str
                     ) -> m.LeaseCharge:
    """«Obsługa bieżących transakcji»: another charge, «kwota netto; opis», with VAT at the contract's rate and its
    faktura; ``key`` names the typed message (a double send charges once)."""
    async with uow:
        _, case, _, _ = await bookkeeper(uow, actor_id, deal_id)
        if case.status not in (LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED):
            _check_receivable(case)
            raise Conflict("lease_not_running")
        amount_text, _, note = (text or "").partition(";")
        amount, _, currency = books.parse_receipt(amount_text, today(uow, cfg))
        books.check_currency(currency, case.currency)
        note = clean_text(note, max_len=256)
        day = today(uow, cfg)
        offer = accepted_offer(await uow.leases.offer(case.offer_id) if case.offer_id else None)
        charge = await charge_once(uow, case, ChargeKind.FEE, f"fee:{key}", amount, offer.vat, day, note=note,
                               actor_id=actor_id)
        if charge is None:
            raise Conflict("lease_charge_twice")
        await invoice_new(uow, day, deal_id)
        await allocate(uow, case, day)
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="charge",
                         comment=f"{money_text(charge.gross)} {note}")
        uow.feed.tell(deal_id, actor_id, said.Charge(amount=charge.gross, currency=case.currency, note=note))
        await uow.commit()
        return charge


async def credit_note(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str, key: str
                      ) -> m.LeaseInvoice:
    """A correcting faktura (faktura korygująca), «FV/2027/000003; kwota brutto; powód»: it names the faktura it
    corrects, takes the gross typed off that faktura's line (net and VAT split at its rate: before and after on the
    document), and its credit reduces the charge it corrects (never late interest); what that charge no longer
    needs stays as credit for the next charges. Never more than the faktura's line still holds."""
    async with uow:
        _, case, client, _ = await bookkeeper(uow, actor_id, deal_id)
        _check_receivable(case)
        typed = corrections.parse(text)
        day = today(uow, cfg)
        amount, _, currency = books.parse_receipt(typed.amount_text, day)
        books.check_currency(currency, case.currency)
        corrected = await uow.ksef.invoice_by_number(deal_id, typed.series, typed.seq)
        if corrected is None or corrected.charge_id is None:
            raise InvalidInput("lease_correction_unknown", number=f"{typed.series}/{typed.seq:06d}")
        charge = await uow.books.charge(corrected.charge_id)
        before = corrections.Amounts(charge.net, charge.vat)
        for earlier in await uow.books.invoices(deal_id):
            if earlier.corrects_id == corrected.id and earlier.net is not None:
                before = corrections.Amounts(before.net + earlier.net, before.vat + earlier.vat)
        if amount > before.gross:
            raise InvalidInput("lease_credit_too_big", max=Amount(before.gross, case.currency))
        if await uow.books.receipt_by_key(f"cn:{key}") is not None:
            raise Conflict("lease_receipt_twice")
        rate = accepted_offer(await uow.leases.offer(case.offer_id)).vat if charge.vat else ZERO
        change = corrections.after(before, amount, rate) - before
        booked = await _book(uow, cfg, case, client, ReceiptKind.CREDIT, f"cn:{key}", amount, day, "manual",
                             typed.reason, actor_id, target=charge.id)
        invoice = await uow.books.correction_number(correction_series(day), deal_id, booked.receipt.id, day)
        invoice.corrects_id, invoice.net, invoice.vat = corrected.id, change.net, change.vat
        await uow.flush()
        await uow.ksef.queue([invoice.id])
        await uow.commit()
        return invoice
