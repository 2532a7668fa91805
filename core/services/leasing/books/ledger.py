"""The books' ledger (seed 002, «Rozliczanie»): the books' day, the fakturas' series and numbers, who keeps the books, a
charge made once, what the receipts pay (allocated), and the account a client or staff read («Samoobsługa»)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Conflict, Forbidden
from core.domain.kernel.schedule import local_date
from core.domain.leasing import books
from core.domain.leasing import case as rules
from core.domain.leasing.books import ChargeKind, ReceiptKind
from core.domain.leasing.case import Actor
from core.services.kernel.config import CoreConfig
from core.services.leasing import case as lease

ZERO = Decimal(0)


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
    user, case, client, actors = await lease.load(uow, actor_id, deal_id, lock=True)
    if not actors & set(allowed or rules.BOOKKEEPERS):
        raise Forbidden()
    return user, case, client, actors


def accepted_offer(offer: m.LeaseOffer | None) -> m.LeaseOffer:
    """The offer the contract was made from (its fees, its VAT rate, its terms)."""
    if offer is None:
        raise Conflict("lease_no_offer")
    return offer


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
    await uow.ksef.queue(series=series, first=first, count=count)  # each goes to KSeF (core.services…books.ksef)
    if await uow.books.notify_invoices(series, first, count):
        uow.outbox.written = True
    return count


async def allocate(uow: UnitOfWork, case: m.LeaseCase, day: date) -> None:
    await _allocate_many(uow, [case.deal_id], day)


async def _allocate_many(uow: UnitOfWork, deal_ids: list[int], day: date, *, only: list[int] | None = None,
                         interest_cap: Decimal | None = None) -> None:
    """Each contract's unused money (oldest receipt first) pays what it owes in the domain's order: the
    allocations appended in one statement, the charges paid off and the receipts used up marked. ``only``: these
    receipts; ``interest_cap``: they pay first no more late interest than that (settled as of their value date)."""
    unspent = await uow.books.unspent_of(deal_ids, only)
    if not unspent:
        return
    open_ = await uow.books.owed_of(list(unspent))
    rows, paid_off, spent, now = [], [], [], uow.clock.now()
    for deal_id, receipts in unspent.items():
        owed = {o.charge_id: o for o in open_.get(deal_id, [])}
        cap = interest_cap
        for receipt_id, left in receipts:
            parts, rest = books.allocate(owed.values(), left, cap)
            if cap is not None:
                cap -= sum((a for c, a in parts if owed[c].kind is ChargeKind.INTEREST), ZERO)
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
    accrued: Decimal = ZERO  # late interest grown to today, not yet posted

    @property
    def payable(self) -> Decimal:
        """«Saldo do zapłaty»: the ledger's balance and the late interest grown to today; a payment of exactly it
        today leaves nothing open (it posts that interest and pays it)."""
        return self.balance + self.accrued

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


async def _balance(uow: UnitOfWork, deal_id: int) -> Decimal:
    return await uow.books.balance(deal_id)
