"""A Polish lessor's running contract's books (seed 002, «Rozliczanie»; its launch is core.services.lease_launch):
instalments charged on their dates with their fakturas, payments by hand or from a bank statement allocated by
core.domain.lease_books, other charges and credit notes, dunning, late interest, suspension and resumption, the
final settlement that closes the contract by itself, insurance reminders, the commissions, and what the client and
the staff read of it. The scheduled runs are set-based and made once by unique keys; every person's action reloads
the contract, checks who they are to it, and writes its ledger entries, the audit, the feed and the notices in one
transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from core.db import models as m
from core.db.uow import UnitOfWork
from core.domain import bank_statement, lease_calc
from core.domain import lease_books as books
from core.domain import lease_process as rules
from core.domain.errors import Amount, Conflict, Forbidden, InvalidInput
from core.domain.inputs import clean_text
from core.domain.lease_books import ChargeKind, ReceiptKind
from core.domain.lease_process import Actor, LeaseStatus
from core.domain.notices import (
    LeaseClosed,
    LeaseCommissionSettled,
    LeaseDunningSent,
    LeaseInsuranceEnding,
    LeaseInterestPosted,
    LeaseRateGap,
    LeaseReceiptBooked,
)
from core.domain.roles import BOOKS_STAFF, Role
from core.domain.schedule import local_date
from core.services import documents, leasing
from core.services.config import CoreConfig

log = logging.getLogger(__name__)
ZERO = Decimal(0)
LEVELS, RATES = "levels", "rates"  # the admins' tables (lease_tables.kind)


def today(uow: UnitOfWork, cfg: CoreConfig) -> date:
    """The lessor's day (Warsaw): what falls due and what a run is for."""
    return local_date(uow.clock.now(), cfg.lease_timezone)


def invoice_series(day: date) -> str:
    return f"FV/{day.year}"


def correction_series(day: date) -> str:
    return f"FK/{day.year}"


def invoice_number(invoice: m.LeaseInvoice) -> str:
    return f"{invoice.series}/{invoice.seq:06d}"


def money_text(amount: Decimal) -> str:
    return f"{amount:.2f}"


async def bookkeeper(uow: UnitOfWork, actor_id: int, deal_id: int, *allowed: Actor
                     ) -> tuple[m.User, m.LeaseCase, m.Client, set[Actor]]:
    """The contract under its row lock, and the person's capacities towards it: refused unless one of ``allowed``
    (by default the bookkeepers: the back office, the collections team, an admin)."""
    user, case, client, actors = await leasing.load(uow, actor_id, deal_id, lock=True)
    if not actors & set(allowed or rules.BOOKKEEPERS):
        raise Forbidden()
    return user, case, client, actors


def accepted_offer(offer: m.LeaseOffer | None) -> m.LeaseOffer:
    """The offer the contract was made from (its fees, its VAT rate, its terms)."""
    if offer is None:
        raise Conflict("lease_no_offer")
    return offer


# --- charges, receipts, allocation ----------------------------------------------------------------------------

async def charge_once(uow: UnitOfWork, case: m.LeaseCase, kind: ChargeKind, key: str, net: Decimal, vat_rate: Decimal,
                      day: date, *, due: date | None = None, note: str | None = None, actor_id: int | None = None
                      ) -> m.LeaseCharge | None:
    """A charge once by its key (None when it was booked before)."""
    if key in await uow.books.charged_keys(case.deal_id):
        return None
    vat = books.vat_of(net, vat_rate) if kind in books.INVOICED else ZERO
    row = uow.add(m.LeaseCharge(deal_id=case.deal_id, kind=kind.value, key=key, net=net, vat=vat, gross=net + vat,
                                due=due or day, booked_on=day, note=note, created_by=actor_id))
    await uow.flush()
    return row


async def invoice_new(uow: UnitOfWork, day: date, deal_id: int | None = None) -> int:
    """Fakturas for what was charged today without one, numbered, and told to the clients in the bot."""
    series = invoice_series(day)
    first, count = await uow.books.number_invoices(series, day, deal_id)
    if await uow.books.notify_invoices(series, first, count):
        uow.outbox.written = True
    return count


async def allocate(uow: UnitOfWork, case: m.LeaseCase, day: date) -> None:
    await _allocate_many(uow, [case.deal_id], day)


async def _allocate_many(uow: UnitOfWork, deal_ids: list[int], day: date) -> None:
    """Each contract's unused money (oldest receipt first) pays what it owes in the domain's order: the
    allocations appended in one statement, the charges paid off and the receipts used up marked."""
    unspent = await uow.books.unspent_of(deal_ids)
    if not unspent:
        return
    open_ = await uow.books.owed_of(list(unspent))
    rows, paid_off, spent, now = [], [], [], uow.clock.now()
    for deal_id, receipts in unspent.items():
        owed = {o.charge_id: o for o in open_.get(deal_id, [])}
        for receipt_id, left in receipts:
            parts, rest = books.allocate(owed.values(), left)
            for charge_id, amount in parts:
                rows.append({"receipt_id": receipt_id, "charge_id": charge_id, "amount": amount, "created_at": now})
                o = owed[charge_id]
                owed[charge_id] = books.Owed(o.charge_id, o.kind, o.due, o.left - amount)
                if owed[charge_id].left == 0:
                    paid_off.append(charge_id)
            if rest == 0:
                spent.append(receipt_id)
    await uow.books.insert_many(m.LeaseAllocation, rows)
    await uow.books.mark_paid_off(paid_off, day)
    await uow.books.mark_spent(spent, day)


async def _receipt(uow: UnitOfWork, case: m.LeaseCase, kind: ReceiptKind, key: str, amount: Decimal,
                   paid_on: date, source: str, reference: str | None, actor_id: int | None) -> m.LeaseReceipt:
    row = uow.add(m.LeaseReceipt(deal_id=case.deal_id, kind=kind.value, key=key, amount=amount, paid_on=paid_on,
                                 source=source, reference=reference, created_by=actor_id))
    await uow.flush()
    return row


@dataclass
class Account:
    """A contract's account as self care and the back office read it: derived from the ledger."""

    case: m.LeaseCase
    client: m.Client
    lines: list[m.LeaseScheduleLine]
    charges: list[m.LeaseCharge]
    receipts: list[m.LeaseReceipt]
    invoices: list[m.LeaseInvoice]
    paid: dict[int, Decimal]  # allocated per charge
    dunnings: list[m.LeaseDunning]
    suspensions: list[m.LeaseSuspension]
    insurance: m.LeaseInsurance | None
    actors: set[Actor]
    today: date
    charged_keys: set[str] = field(default_factory=set)

    @property
    def settlement(self) -> books.Settlement:
        return books.settlement([(ChargeKind(c.kind), c.gross) for c in self.charges],
                                [(ReceiptKind(r.kind), r.amount) for r in self.receipts],
                                sum(1 for x in self.lines if x.key not in self.charged_keys))

    @property
    def balance(self) -> Decimal:
        return self.settlement.balance

    @property
    def overdue(self) -> Decimal:
        return sum((c.gross - self.paid.get(c.id, ZERO) for c in self.charges
                    if c.paid_off is None and c.due < self.today and c.kind != ChargeKind.REFUND), ZERO)

    @property
    def next_line(self) -> m.LeaseScheduleLine | None:
        return next((x for x in self.lines if x.key not in self.charged_keys), None)


async def account(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int) -> Account:
    """«Samoobsługa»: the schedule in force, what was charged and paid, the fakturas, the balance; the client's own
    contract, or staff who see it."""
    async with uow:
        _, case, client, actors = await leasing.load(uow, actor_id, deal_id)
        if case.status not in rules.RUNNING:
            raise Conflict("lease_not_running")
        return await _account(uow, cfg, case, client, actors)


async def _account(uow: UnitOfWork, cfg: CoreConfig, case: m.LeaseCase, client: m.Client, actors: set[Actor]
                   ) -> Account:
    charges = await uow.books.charges(case.deal_id)
    paid: dict[int, Decimal] = {}
    for alloc, _ in await uow.books.allocations(case.deal_id):
        paid[alloc.charge_id] = paid.get(alloc.charge_id, ZERO) + alloc.amount
    lines = await uow.books.lines(case.deal_id, case.schedule_version) if case.schedule_version else []
    return Account(case, client, lines, charges, await uow.books.receipts(case.deal_id),
                   await uow.books.invoices(case.deal_id), paid, await uow.books.dunnings(case.deal_id),
                   await uow.books.suspensions(case.deal_id), await uow.books.insurance(case.deal_id), actors,
                   today(uow, cfg), {c.key for c in charges})


# --- the accrual run ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunResult:
    charges: int = 0
    invoices: int = 0
    interest: int = 0
    dunnings: int = 0
    closed: int = 0
    reminders: int = 0
    commissions: int = 0

    def __bool__(self) -> bool:
        return any((self.charges, self.invoices, self.interest, self.dunnings, self.closed, self.reminders,
                    self.commissions))


async def accrue(uow: UnitOfWork, cfg: CoreConfig) -> RunResult:
    """«Automatyczne naliczanie płatności ratalnych»: once a day, every line of a running contract due since the last
    run becomes a charge with its faktura and its notice, in a few set-based statements; a contract holding unused
    money pays from it; one settled by that closes. A second scheduler or a rerun finds the day's run and adds
    nothing; after days of downtime the one run catches up."""
    async with uow:
        day = today(uow, cfg)
        if not await uow.books.claim_run("accrual", day):
            return RunResult()
        last = await uow.books.last_run("accrual", day)
        added = await uow.books.accrue(last, day)
        # contracts with money unused: it pays what was charged. Their rows are locked first (in the order of
        # their ids), then the invoice series, as a person's action locks them: no deadlock between the two
        holding = await uow.books.unspent_deals(day)
        cases = await uow.books.cases_by_id(holding, lock=True)
        await _allocate_many(uow, holding, day)
        closed = 0
        for deal_id in await uow.books.without_lines_left(holding):
            closed += await _close_if_settled(uow, cfg, cases[deal_id], day)
        invoices = await invoice_new(uow, day)
        await uow.books.finish_run("accrual", day, added)
        await uow.commit()
        return RunResult(charges=added, invoices=invoices, closed=closed)


# --- receipts -----------------------------------------------------------------------------------------------------

RECEIVES = frozenset({LeaseStatus.TO_PAYMENT, LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED})


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


async def _balance(uow: UnitOfWork, deal_id: int) -> Decimal:
    return await uow.books.balance(deal_id)


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
        uow.feed.write(deal_id, actor_id, "lease", f"Obciążenie {money_text(charge.gross)} {case.currency}: {note}")
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


# --- the bank statement -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Imported:
    statement: m.LeaseStatement
    booked: int
    unmatched: int
    skipped: int  # money out, and lines another statement already brought


async def import_statement(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, file_name: str | None, content: bytes
                           ) -> Imported:
    """A bank statement (MT940 or CSV): each incoming line names its contract by number in the title (or comes from
    the client's account); booked and allocated as a payment by hand would be. A line for an unknown or closed
    contract, or in another currency, is kept aside for the collections team; the same statement again (or a line
    another one brought) adds nothing."""
    async with uow:
        user = await uow.users.get(actor_id)
        if user is None or user.role not in BOOKS_STAFF:
            raise Forbidden()
        digest = bank_statement.digest(content)
        before = await uow.books.statement(digest)
        if before is not None:
            raise Conflict("lease_statement_twice", day=books.day_text(before.imported_at.date()), lines=before.lines)
        lines = bank_statement.parse(content)
        statement = uow.add(m.LeaseStatement(digest=digest, file_name=(file_name or "")[:256] or None,
                                             lines=len(lines), booked=0, imported_by=actor_id,
                                             imported_at=uow.clock.now()))
        await uow.flush()
        keyed = [(x, k) for x, k in bank_statement.keyed(lines) if x.amount > 0]
        present = set()
        for i in range(0, len(keyed), 500):
            present |= await uow.books.keys_present([k for _, k in keyed[i:i + 500]])
        day = today(uow, cfg)
        refs = {x.n: bank_statement.contract_of(x.title) for x, _ in keyed}
        # locked (in the order of their ids), so a payment typed meanwhile waits and is allocated after these
        cases = await uow.books.cases_by_id(sorted({r for r in refs.values() if r is not None}), lock=True)
        clients: dict[int, m.Client] = {}
        entries: list[Entry] = []
        unmatched = 0
        for line, key in keyed:
            if key in present:
                continue
            case = cases.get(refs[line.n])
            problem = None
            if case is None:
                problem = "unknown_contract"
            elif case.status == LeaseStatus.CLOSED:
                problem = "closed_contract"
            elif case.status not in RECEIVES:
                problem = "not_running"
            elif line.currency and line.currency != case.currency:
                problem = "currency"
            elif line.paid_on > day:
                problem = "future"
            if problem:
                uow.add(m.LeaseStatementLine(statement_id=statement.id, n=line.n, amount=line.amount,
                                             currency=line.currency, paid_on=line.paid_on,
                                             reference=line.title[:256], problem=problem))
                unmatched += 1
                continue
            if case.client_id not in clients:
                clients[case.client_id] = await uow.clients.get(case.client_id)
            entries.append(Entry(case, clients[case.client_id], ReceiptKind.PAYMENT, key, line.amount, line.paid_on,
                                 line.title[:256]))
            present.add(key)
        if entries:
            await _book_many(uow, cfg, entries, "statement", actor_id)
        booked = statement.booked = len(entries)
        uow.audit.record(entity="lease_statement", entity_id=statement.id, actor_id=actor_id, action="import",
                         comment=f"{len(lines)} lines, {booked} booked, {unmatched} aside")
        await uow.commit()
        return Imported(statement, booked, unmatched, len(lines) - booked - unmatched)


async def unmatched(uow: UnitOfWork, actor_id: int) -> list[m.LeaseStatementLine]:
    async with uow:
        user = await uow.users.get(actor_id)
        if user is None or user.role not in BOOKS_STAFF:
            raise Forbidden()
        return await uow.books.unmatched()


# --- late interest ------------------------------------------------------------------------------------------------

async def rates(uow: UnitOfWork) -> tuple[books.Rate, ...]:
    row = await uow.books.table(RATES)
    return books.parse_rates(row.body) if row else books.STATUTORY


async def levels(uow: UnitOfWork) -> tuple[books.Level, ...]:
    row = await uow.books.table(LEVELS)
    return books.parse_levels(row.body) if row else books.DEFAULT_LEVELS


async def _interest_due(uow: UnitOfWork, case: m.LeaseCase, as_of: date) -> Decimal:
    """Late interest due on the contract up to ``as_of`` (exact), from its charges and the value dates of what paid
    them, at the contractual rate or the table's, its suspensions' days left out."""
    charges = [c for c in await uow.books.charges(case.deal_id) if ChargeKind(c.kind) in books.BEARS_INTEREST]
    paid: dict[int, list[tuple[date, Decimal]]] = {}
    for alloc, paid_on in await uow.books.allocations(case.deal_id):
        paid.setdefault(alloc.charge_id, []).append((paid_on, alloc.amount))
    table = (books.Rate(date.min, case.late_rate),) if case.late_rate is not None else await rates(uow)
    paused = [(s.since, (s.resumed_on - timedelta(days=1)) if s.resumed_on else date.max)
              for s in await uow.books.suspensions(case.deal_id)]
    return books.late_interest([books.Late(c.due, c.gross, tuple(paid.get(c.id, ()))) for c in charges], table, as_of,
                               paused)


async def _post_interest(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, as_of: date, day: date, key: str
                         ) -> Decimal:
    """Interest due to ``as_of`` less what was posted: charged (a nota odsetkowa), or credited back when negative."""
    due = await _interest_due(uow, case, as_of)
    amount = books.interest_to_post(due, await uow.books.posted_interest(case.deal_id))
    if amount > 0:
        if await charge_once(uow, case, ChargeKind.INTEREST, f"int:{key}", amount, ZERO, day, due=day) is None:
            return ZERO
    elif amount < 0:
        if await uow.books.receipt_by_key(f"intcorr:{key}") is not None:
            return ZERO
        await _receipt(uow, case, ReceiptKind.CREDIT, f"intcorr:{key}", -amount, day, "system",
                       f"korekta odsetek do {as_of.isoformat()}", None)
    else:
        return ZERO
    await allocate(uow, case, day)
    uow.feed.write(case.deal_id, None, "lease", f"Odsetki za opóźnienie do {as_of.isoformat()}: {money_text(amount)}")
    if client.user_id is not None:
        uow.outbox.notify(client.user_id, LeaseInterestPosted(deal_id=case.deal_id, amount=money_text(amount),
                                                              currency=case.currency, as_of=as_of.isoformat()))
    return amount


async def _correct_interest(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, last: date, day: date,
                            receipt_id: int) -> Decimal:
    """A receipt dated on or before the last interest posting (``last``) shortened a period already charged: the
    difference is credited back at once (to the posting's day, so later interest is not touched)."""
    amount = await _post_interest(uow, case, client, last, day, f"{last.isoformat()}:r{receipt_id}")
    return -amount if amount < 0 else ZERO


def _month_end_before(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


async def post_interest(uow: UnitOfWork, cfg: CoreConfig) -> int:
    """«Odsetki od nieterminowych wpłat»: once a month, for the month just ended, every running contract's late
    interest to its last day is posted (what grew since the last posting). After downtime the one posting for the
    last month ended takes everything since; a gap in the rate table stops the run with the day it misses (told
    to the admins by the log and the bot's answer to /lease_rates), and it runs again once the table is mended."""
    async with uow:
        as_of = _month_end_before(today(uow, cfg))
        if not await uow.books.claim_run("interest", as_of):
            return 0
        since = await uow.books.last_run("interest", as_of)
        posted = 0
        day = today(uow, cfg)
        for deal_id in await uow.books.late_deals(as_of, since):
            case = await uow.leases.case(deal_id, lock=True)
            client = await uow.clients.get(case.client_id)
            if await _post_interest(uow, case, client, as_of, day, as_of.isoformat()):
                posted += 1
        await uow.books.finish_run("interest", as_of, posted)
        await uow.commit()
        return posted


# --- dunning ------------------------------------------------------------------------------------------------------

async def dun(uow: UnitOfWork, cfg: CoreConfig) -> int:
    """«Monity»: once a day, each running contract whose oldest unpaid charge is past a level of the admins' table
    gets that level once for that debt: in the bot when the client is in it, otherwise as a letter for the back
    office; its responsible is told. A suspended contract gets none; a paid debt has nothing to dun."""
    async with uow:
        day = today(uow, cfg)
        if not await uow.books.claim_run("dunning", day):
            return 0
        table = await levels(uow)
        office = [u.id for u in await uow.users.with_role(Role.BACK_OFFICE)]
        overdue = await uow.books.overdue(day - timedelta(days=table[0].days))
        done = await uow.books.dunned([(d, c) for d, c, _ in overdue])
        sent = 0
        for deal_id, charge_id, due in overdue:
            level = books.level_due((day - due).days, table)
            if level is None or (deal_id, charge_id, level.days) in done:
                continue
            case = await uow.leases.case(deal_id)
            client = await uow.clients.get(case.client_id)
            owed = sum((o.left for o in await uow.books.open_charges(deal_id) if o.charge.due < day
                        and o.charge.kind != ChargeKind.REFUND), ZERO)
            by_letter = client.user_id is None
            if not await uow.books.add_dunning(deal_id=deal_id, charge_id=charge_id, days=level.days,
                                               name=level.name, owed=owed, by_letter=by_letter, sent_on=day):
                continue
            row = await uow.books.dunning(deal_id, charge_id, level.days)
            notice = LeaseDunningSent(deal_id=deal_id, level=level.name, days=(day - due).days, owed=money_text(owed),
                                      currency=case.currency, by_letter=by_letter, subject=case.subject)
            if by_letter:  # the letter (its PDF) to the back office, who sends it
                for whom in office:
                    uow.outbox.notify(whom, LeaseDunningSent(**{**notice.data(), "dunning_id": row.id}))
            else:
                uow.outbox.notify(client.user_id, notice)
            deal = await uow.deals.get(deal_id)
            for whom in {case.sales_id, deal.responsible_id if deal else None} - {None, *office}:
                uow.outbox.notify(whom, notice)  # the responsible told
            uow.feed.write(deal_id, None, "lease", f"{level.name}: {money_text(owed)} {case.currency}"
                           + (" (list do wysłania)" if by_letter else ""))
            sent += 1
        await uow.books.finish_run("dunning", day, sent)
        await uow.commit()
        return sent


# --- suspension and resumption -----------------------------------------------------------------------------------

async def suspend(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, reason: str) -> m.LeaseCase:
    """«Zawieszenie umowy»: no accruals, dunning or interest from today until it is resumed."""
    async with uow:
        _, case, _, actors = await bookkeeper(uow, actor_id, deal_id)
        if case.status == LeaseStatus.SUSPENDED:
            raise Conflict("lease_suspended_already")
        reason = clean_text(reason, max_len=512)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.SUSPENDED, actors)
        uow.add(m.LeaseSuspension(deal_id=deal_id, since=today(uow, cfg), reason=reason, by=actor_id))
        await leasing.move(uow, case, LeaseStatus.SUSPENDED, actors, actor_id, reason)
        await uow.commit()
        return case


async def resume(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int) -> tuple[m.LeaseCase, int]:
    """«Odwieszenie umowy»: the lines that fell due while suspended were not charged; they and every line after them
    move later by as many months (core.domain.lease_books.shift_months) in a new version of the schedule (the old
    one kept), the amounts unchanged. The months moved."""
    async with uow:
        _, case, _, actors = await bookkeeper(uow, actor_id, deal_id)
        if case.status == LeaseStatus.ACTIVE:
            raise Conflict("lease_active_already")
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.ACTIVE, actors)
        day = today(uow, cfg)
        suspension = next(s for s in reversed(await uow.books.suspensions(deal_id)) if s.resumed_on is None)
        suspension.resumed_on = day
        lines = await uow.books.lines(deal_id, case.schedule_version)
        charged = await uow.books.charged_keys(deal_id)
        skipped = {x.n for x in lines if x.key not in charged and x.due < day and x.kind == ChargeKind.INSTALMENT}
        shift = books.shift_months(len(skipped))
        if shift:
            versions = await uow.books.schedules(deal_id)
            version = versions[-1].version + 1
            start = lease_calc.add_months(versions[-1].start, shift)
            uow.add(m.LeaseSchedule(deal_id=deal_id, version=version, reason="resumption", start=start,
                                    made_by=actor_id, made_at=uow.clock.now()))
            for x in lines:
                due = x.due if x.key in charged else lease_calc.add_months(
                    versions[-1].start, _months_to(versions[-1].start, x.due) + shift)
                uow.add(m.LeaseScheduleLine(deal_id=deal_id, version=version, key=x.key, kind=x.kind, n=x.n, due=due,
                                            net=x.net, vat=x.vat, gross=x.gross, interest=x.interest,
                                            principal=x.principal))
            case.schedule_version = version
        await leasing.move(uow, case, LeaseStatus.ACTIVE, actors, actor_id,
                           f"+{shift} mies." if shift else None)
        await uow.flush()
        await uow.books.accrue(None, day, deal_id)
        await invoice_new(uow, day, deal_id)
        await allocate(uow, case, day)
        await uow.commit()
        return case, shift


def _months_to(start: date, due: date) -> int:
    """How many months from ``start`` a line's date is (the lines are counted from the schedule's start)."""
    months = (due.year - start.year) * 12 + due.month - start.month
    return months


# --- the final settlement -----------------------------------------------------------------------------------------

async def _close_if_settled(uow: UnitOfWork, cfg: CoreConfig, case: m.LeaseCase, day: date) -> int:
    """«Rozliczenie finalne»: once every line (the residual too) is charged and no charge is open, late interest is
    posted to today; if that leaves nothing owed, an overpayment becomes a refund to pay back, and the contract
    closes, its client and salesperson told with the closing statement."""
    if case.status != LeaseStatus.ACTIVE or case.schedule_version is None:
        return 0
    if await uow.books.lines_left(case.deal_id, case.schedule_version) or await uow.books.open_charges(case.deal_id):
        return 0
    client = await uow.clients.get(case.client_id)
    await _post_interest(uow, case, client, day, day, f"final:{day.isoformat()}")
    if await uow.books.open_charges(case.deal_id):
        return 0
    balance = await _balance(uow, case.deal_id)
    refund = None
    if balance < 0:
        refund = -balance
        await charge_once(uow, case, ChargeKind.REFUND, "refund", refund, ZERO, day)
        await allocate(uow, case, day)
    case.closed_at = uow.clock.now()
    await leasing.move(uow, case, LeaseStatus.CLOSED, {Actor.SYSTEM}, None)
    notice = LeaseClosed(deal_id=case.deal_id, subject=case.subject, refund=money_text(refund) if refund else None,
                         currency=case.currency)
    for whom in {client.user_id, case.sales_id} - {None}:
        uow.outbox.notify(whom, notice)
    return 1


SETTLEMENT_NAMES = {ChargeKind.INITIAL_FEE: "Opłata wstępna", ChargeKind.ADMIN_FEE: "Opłata administracyjna",
                    ChargeKind.INSTALMENT: "Raty leasingowe", ChargeKind.RESIDUAL: "Wykup",
                    ChargeKind.INTEREST: "Odsetki za opóźnienie", ChargeKind.FEE: "Inne opłaty",
                    ChargeKind.REFUND: "Zwrot nadpłaty"}


async def settlement_document(uow: UnitOfWork, actor_id: int, deal_id: int, cfg: CoreConfig | None = None
                              ) -> m.Document:
    """«Rozliczenie finalne»: the closed contract's closing statement as a PDF, for its client and its staff."""
    async with uow:
        _, case, client, _ = await leasing.load(uow, actor_id, deal_id)
        if case.status != LeaseStatus.CLOSED:
            raise Conflict("lease_not_closed")
        s = books.settlement([(ChargeKind(c.kind), c.gross) for c in await uow.books.charges(deal_id)],
                             [(ReceiptKind(r.kind), r.amount) for r in await uow.books.receipts(deal_id)], 0)
        refund = s.charged.get(ChargeKind.REFUND, ZERO)
        offer = await uow.leases.offer(case.offer_id)
        doc = await documents.lease_settlement_document(
            uow, case, client, contract=f"{deal_id}-{offer.version}",
            charges=[(SETTLEMENT_NAMES[k], v) for k, v in s.charged.items() if k != ChargeKind.REFUND],
            paid=s.paid, credited=s.credited, balance=s.balance + refund, refund=refund,
            day=local_date(case.closed_at or uow.clock.now(), (cfg or CoreConfig()).lease_timezone))
        await uow.commit()
        return doc


# --- insurance reminders, commissions -------------------------------------------------------------------------------

async def remind_insurance(uow: UnitOfWork, cfg: CoreConfig) -> int:
    """A policy ending within a reminder's days: the back office (everyone in it) and the client told, once per
    reminder."""
    async with uow:
        day = today(uow, cfg)
        sent = 0
        office = [u.id for u in await uow.users.with_role(Role.BACK_OFFICE)]
        for days in sorted(cfg.lease_insurance_days):
            for policy, case in await uow.books.insurances_ending(day + timedelta(days=days)):
                if policy.ends_on < day or not await uow.books.mark_reminded(policy.id, days):
                    continue
                client = await uow.clients.get(case.client_id)
                notice = LeaseInsuranceEnding(deal_id=case.deal_id, subject=case.subject, policy_no=policy.policy_no,
                                              ends_on=policy.ends_on.isoformat(), days=(policy.ends_on - day).days)
                for whom in {client.user_id, *office} - {None}:
                    uow.outbox.notify(whom, notice)
                sent += 1
        await uow.commit()
        return sent


async def settle_commissions(uow: UnitOfWork, cfg: CoreConfig) -> int:
    """«Rozliczanie cykliczne z dostawcą i handlowcem»: on the first run of a month, the contracts handed over in
    the month before earn their salesperson and their vendor a share of the financed amount; each is told their
    month's total. Once per contract and party."""
    async with uow:
        day = today(uow, cfg)
        last = _month_end_before(day)
        first = last.replace(day=1)
        if not await uow.books.claim_run("commission", last):
            return 0
        period = f"{first.year}-{first.month:02d}"
        rows, totals = [], {}
        for case in await uow.books.launched_in(first, last):
            offer = await uow.leases.offer(case.offer_id)
            for party, percent, whom in (("sales", cfg.lease_sales_commission, ("user", case.sales_id)),
                                         ("vendor", cfg.lease_vendor_commission, ("client", case.vendor_id))):
                if percent <= 0 or whom[1] is None:
                    continue
                amount = books.commission(offer.financed, percent)
                rows.append({"deal_id": case.deal_id, "party": party, "period": period, "base": offer.financed,
                             "percent": percent, "amount": amount, "settled_on": day})
                total = totals.setdefault((whom, case.currency), [0, ZERO])
                total[0] += 1
                total[1] += amount
        added = await uow.books.add_commissions(rows)
        for ((kind, who), currency), (count, amount) in totals.items():
            user_id = who if kind == "user" else (await uow.clients.get(who)).user_id
            if user_id is not None:
                uow.outbox.notify(user_id, LeaseCommissionSettled(period=period, contracts=count,
                                                                  amount=money_text(amount), currency=currency))
        await uow.books.finish_run("commission", last, added)
        await uow.commit()
        return added


# --- the documents: a faktura, a dunning letter -----------------------------------------------------------------

@dataclass(frozen=True)
class InvoiceDoc:
    document: m.Document
    number: str
    deal_id: int
    gross: Decimal  # negative: a correcting faktura
    due: date | None
    currency: str


async def invoice_document(uow: UnitOfWork, actor_id: int, invoice_id: int) -> InvoiceDoc:
    """A faktura's PDF for its client or the staff who see the contract: made once, then kept."""
    async with uow:
        invoice = await uow.books.invoice(invoice_id)
        if invoice is None:
            raise InvalidInput("stale_button")
        _, case, client, _ = await leasing.load(uow, actor_id, invoice.deal_id)
        number = invoice_number(invoice)
        charge = await uow.books.charge(invoice.charge_id) if invoice.charge_id is not None else None
        receipt = None if charge else await uow.books.receipt(invoice.receipt_id)
        summary = dict(number=number, deal_id=case.deal_id, gross=charge.gross if charge else -receipt.amount,
                       due=charge.due if charge else None, currency=case.currency)
        if invoice.document_id is not None:
            return InvoiceDoc(await uow.documents.get(invoice.document_id), **summary)
        offer = await uow.leases.offer(case.offer_id)
        if charge is not None:
            item = {ChargeKind.INSTALMENT: f"Rata leasingowa nr {charge.key[1:]}",
                    ChargeKind.RESIDUAL: "Wykup przedmiotu leasingu", ChargeKind.INITIAL_FEE: "Opłata wstępna",
                    ChargeKind.ADMIN_FEE: "Opłata administracyjna"}.get(ChargeKind(charge.kind),
                                                                         charge.note or "Opłata")
            doc = await documents.lease_invoice_document(uow, case, client, invoice, number, item=item,
                                                         net=charge.net, vat_rate=offer.vat, vat=charge.vat,
                                                         gross=charge.gross, due=charge.due)
        else:
            doc = await documents.lease_invoice_document(uow, case, client, invoice, number, item="Korekta",
                                                         net=-receipt.amount, vat_rate=ZERO, vat=ZERO,
                                                         gross=-receipt.amount, due=None,
                                                         reason=receipt.reference or "")
        await uow.flush()
        invoice.document_id = doc.id
        await uow.commit()
        return InvoiceDoc(doc, **summary)


async def letter_document(uow: UnitOfWork, actor_id: int, dunning_id: int) -> m.Document:
    """A dunning letter's PDF, for the staff who see the contract."""
    async with uow:
        row = await uow.books.dunning_by_id(dunning_id)
        if row is None:
            raise InvalidInput("stale_button")
        _, case, client, actors = await leasing.load(uow, actor_id, row.deal_id)
        if Actor.CLIENT in actors and len(actors) == 1:
            raise Forbidden()
        charge = await uow.books.charge(row.charge_id)
        doc = await documents.lease_letter_document(uow, case, client, row, charge.due, row.sent_on)
        await uow.commit()
        return doc


# --- the admins' tables -------------------------------------------------------------------------------------------

async def table_text(uow: UnitOfWork, actor_id: int, kind: str) -> str:
    async with uow:
        await _admin(uow, actor_id)
        return books.rates_text(await rates(uow)) if kind == RATES else books.levels_text(await levels(uow))


async def set_table(uow: UnitOfWork, actor_id: int, kind: str, text: str) -> str:
    """An admin's new dunning levels or late-interest rates, checked whole; the old tables stay."""
    async with uow:
        await _admin(uow, actor_id)
        parsed = books.parse_rates(text) if kind == RATES else books.parse_levels(text)
        body = books.rates_text(parsed) if kind == RATES else books.levels_text(parsed)
        uow.add(m.LeaseTable(kind=kind, body=body, set_by=actor_id, set_at=uow.clock.now()))
        uow.audit.record(entity="lease_table", entity_id=0, actor_id=actor_id, action=kind, comment=body[:500])
        await uow.commit()
        return body


async def _admin(uow: UnitOfWork, actor_id: int) -> None:
    user = await uow.users.get(actor_id)
    if user is None or user.role != Role.ADMIN:
        raise Forbidden()


async def _tell_rate_gap(uow: UnitOfWork, cfg: CoreConfig, day: str) -> None:
    """The admins told, once a day while the gap lasts (the scan tries the posting again every time)."""
    async with uow:
        if not await uow.books.claim_run("rate_gap", today(uow, cfg)):
            return
        for admin in await uow.users.with_role(Role.ADMIN):
            uow.outbox.notify(admin.id, LeaseRateGap(day=day))
        await uow.commit()


# --- the scheduler's day ------------------------------------------------------------------------------------------

async def run_day(uow_factory, cfg: CoreConfig) -> RunResult:
    """Every scheduled money action of the lessor's day, each in its own transaction and each once: the accrual,
    the month's interest, the dunning, the insurance reminders, the month's commissions. A gap in the rate table
    holds the interest back (rolled back, tried again at the next scan, logged) and nothing else."""
    accrued = await accrue(uow_factory(), cfg)
    try:
        interest = await post_interest(uow_factory(), cfg)
    except books.RateGap as gap:
        log.warning("lease books: no late-interest rate for %s; the posting waits for the table", gap.params["day"])
        await _tell_rate_gap(uow_factory(), cfg, gap.params["day"])
        interest = 0
    dunnings = await dun(uow_factory(), cfg)
    reminders = await remind_insurance(uow_factory(), cfg)
    commissions = await settle_commissions(uow_factory(), cfg)
    return RunResult(accrued.charges, accrued.invoices, interest, dunnings, accrued.closed, reminders, commissions)

