"""Late interest on a running contract (seed 002): the rate table and the dunning levels an admin keeps, the interest
due, posted at each month's end and corrected when a late payment arrives."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.notices import (
    LeaseInterestPosted,
)
from core.domain.kernel.roles import Role
from core.domain.leasing import books
from core.domain.leasing.books import ChargeKind, ReceiptKind
from core.services.kernel.config import CoreConfig
from core.services.leasing.books.ledger import ZERO, _receipt, allocate, charge_once, money_text, today

LEVELS, RATES = "levels", "rates"  # the admins' tables (lease_tables.kind)


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
    return books.late_interest([books.Late(c.due, c.gross, tuple(paid.get(c.id, ()))) for c in charges], table, as_of,
                               await paused(uow, case.deal_id))


async def paused(uow: UnitOfWork, deal_id: int) -> list[tuple[date, date]]:
    """The contract's suspensions, each from its first day to the day before its resumption."""
    return [(s.since, (s.resumed_on - timedelta(days=1)) if s.resumed_on else date.max)
            for s in await uow.books.suspensions(deal_id)]


async def accrued_interest(uow: UnitOfWork, case: m.LeaseCase, as_of: date) -> Decimal:
    """Late interest grown up to ``as_of`` and not yet posted (what «Saldo do zapłaty» adds to the ledger's
    balance: a payment of that saldo that day posts it and pays it). Zero when the rate table has a gap."""
    try:
        return books.interest_to_post(await _interest_due(uow, case, as_of),
                                      await uow.books.posted_interest(case.deal_id))
    except books.RateGap:
        return ZERO


async def interest_cap(uow: UnitOfWork, case: m.LeaseCase, as_of: date) -> Decimal:
    """What a receipt valued ``as_of`` may pay of late interest first: the interest grown to that day, less the
    interest already paid."""
    interest = {c.id for c in await uow.books.charges(case.deal_id) if c.kind == ChargeKind.INTEREST}
    paid = sum((a.amount for a, _ in await uow.books.allocations(case.deal_id) if a.charge_id in interest), ZERO)
    return books.grosz(await _interest_due(uow, case, as_of)) - paid


async def _post_interest(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, as_of: date, day: date, key: str,
                         *, allocate_after: bool = True) -> Decimal:
    """Interest due to ``as_of`` less what was posted: charged (a nota odsetkowa), or credited back when negative;
    the contract's money allocated after it unless ``allocate_after`` is False (the caller allocates)."""
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
    if allocate_after:
        await allocate(uow, case, day)
    uow.feed.tell(case.deal_id, None, said.LateInterest(amount=amount, currency=case.currency, as_of=as_of))
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
        deals = await uow.books.late_deals(as_of, since)
        through = await uow.books.interest_through_of(deals)
        for deal_id in deals:
            if through.get(deal_id, date.min) >= as_of:  # a payment since posted interest to a later day
                continue
            case = await uow.leases.case(deal_id, lock=True)
            client = await uow.clients.get(case.client_id)
            if await _post_interest(uow, case, client, as_of, day, as_of.isoformat()):
                posted += 1
        await uow.books.finish_run("interest", as_of, posted)
        await uow.commit()
        return posted


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
