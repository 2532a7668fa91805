"""Money in and other charges (seed 002, «Rejestracja wpłat»): a payment registered by hand, booked and allocated;
another charge with its faktura; a credit note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals import FeedKind
from core.domain.kernel.errors import Amount, Conflict, InvalidInput
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import (
    LeaseReceiptBooked,
)
from core.domain.leasing import books
from core.domain.leasing.books import ChargeKind, ReceiptKind
from core.domain.leasing.case import LeaseStatus
from core.services.kernel.config import CoreConfig
from core.services.leasing.books.closing import _close_if_settled
from core.services.leasing.books.interest import _correct_interest
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


async def _book(uow: UnitOfWork, cfg: CoreConfig, case: m.LeaseCase, client: m.Client, kind: ReceiptKind, key: str,
                amount: Decimal, paid_on: date, source: str, reference: str | None, actor_id: int | None) -> Booked:
    done = await _book_many(uow, cfg, [Entry(case, client, kind, key, amount, paid_on, reference)], source, actor_id)
    balance, corrected, closed = done[case.deal_id]
    return Booked(await uow.books.receipt_by_key(key), balance, corrected, closed, case.currency)


async def _book_many(uow: UnitOfWork, cfg: CoreConfig, entries: list[Entry], source: str, actor_id: int | None
                     ) -> dict[int, tuple[Decimal, Decimal, bool]]:
    """Receipts appended and allocated, many contracts at once (a statement's lines): a receipt dated before the
    last interest posting corrects it, a contract settled by them closes, each client in the bot is told its
    balance. By contract: (balance, interest credited back, closed)."""
    day, now = today(uow, cfg), uow.clock.now()
    await uow.books.insert_many(m.LeaseReceipt, [
        {"deal_id": e.case.deal_id, "kind": e.kind.value, "key": e.key, "amount": e.amount, "paid_on": e.paid_on,
         "source": source, "reference": e.reference, "created_by": actor_id, "created_at": now, "spent_on": None}
        for e in entries])
    cases = {e.case.deal_id: e.case for e in entries}
    deals = sorted(cases)
    await _allocate_many(uow, deals, day)
    earliest: dict[int, Entry] = {}
    for e in entries:
        if e.case.deal_id not in earliest or e.paid_on < earliest[e.case.deal_id].paid_on:
            earliest[e.case.deal_id] = e
    through = await uow.books.interest_through_of(deals)
    backdated = {d: e for d, e in earliest.items() if d in through and e.paid_on <= through[d]}
    ids = await uow.books.receipt_ids([e.key for e in backdated.values()])
    corrected = {d: await _correct_interest(uow, cases[d], e.client, through[d], day, ids[e.key])
                 for d, e in backdated.items()}
    closed = {d for d in await uow.books.without_lines_left(deals)
              if await _close_if_settled(uow, cfg, cases[d], day)}
    balances = await uow.books.balances(deals)
    await uow.books.insert_many(m.AuditLog, [
        {"entity": "lease", "entity_id": e.case.deal_id, "actor_id": actor_id, "action": f"receipt_{e.kind.value}",
         "from_status": None, "to_status": None, "comment": f"{money_text(e.amount)} {e.paid_on}", "created_at": now}
        for e in entries])
    await uow.books.insert_many(m.FeedItem, [
        {"deal_id": e.case.deal_id, "author_id": actor_id, "kind": "lease", "created_at": now,
         "text": f"Wpłata {money_text(e.amount)} {e.case.currency} z {e.paid_on.isoformat()}"
         if e.kind is ReceiptKind.PAYMENT else f"Korekta {money_text(e.amount)} {e.case.currency}: {e.reference or ''}"}
        for e in entries])
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
        uow.feed.write(deal_id, actor_id, FeedKind.LEASE,
                       f"Obciążenie {money_text(charge.gross)} {case.currency}: {note}")
        await uow.commit()
        return charge


async def credit_note(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, text: str, key: str
                      ) -> m.LeaseInvoice:
    """A credit note (faktura korygująca), «kwota brutto; powód»: what the client owes shrinks by it (it pays the
    open charges in the usual order, or stays as credit); never more than was charged less what was credited."""
    async with uow:
        _, case, client, _ = await bookkeeper(uow, actor_id, deal_id)
        _check_receivable(case)
        amount_text, _, reason = (text or "").partition(";")
        day = today(uow, cfg)
        amount, _, currency = books.parse_receipt(amount_text, day)
        books.check_currency(currency, case.currency)
        reason = clean_text(reason, max_len=256)
        charged = sum((c.gross for c in await uow.books.charges(deal_id)), ZERO)
        credited = sum((r.amount for r in await uow.books.receipts(deal_id) if r.kind == ReceiptKind.CREDIT), ZERO)
        if amount > charged - credited:
            raise InvalidInput("lease_credit_too_big", max=Amount(charged - credited, case.currency))
        if await uow.books.receipt_by_key(f"cn:{key}") is not None:
            raise Conflict("lease_receipt_twice")
        booked = await _book(uow, cfg, case, client, ReceiptKind.CREDIT, f"cn:{key}", amount, day, "manual", reason,
                             actor_id)
        invoice = await uow.books.correction_number(correction_series(day), deal_id, booked.receipt.id, day)
        await uow.commit()
        return invoice
