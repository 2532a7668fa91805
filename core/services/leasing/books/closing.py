"""A contract suspended, resumed (its schedule shifted by the months it stood) and closed once settled: the last
interest, the refund of an overpayment, the move to «closed»."""

from __future__ import annotations

from datetime import date

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Conflict
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import (
    LeaseClosed,
)
from core.domain.leasing import books
from core.domain.leasing import calc as lease_calc
from core.domain.leasing import case as rules
from core.domain.leasing.books import ChargeKind
from core.domain.leasing.case import Actor, LeaseStatus
from core.services.kernel.config import CoreConfig
from core.services.leasing import case as lease
from core.services.leasing.books.interest import _post_interest
from core.services.leasing.books.ledger import (
    ZERO,
    _balance,
    allocate,
    bookkeeper,
    charge_once,
    invoice_new,
    money_text,
    today,
)


async def suspend(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int, reason: str) -> m.LeaseCase:
    """«Zawieszenie umowy»: no accruals, dunning or interest from today until it is resumed."""
    async with uow:
        _, case, _, actors = await bookkeeper(uow, actor_id, deal_id)
        if case.status == LeaseStatus.SUSPENDED:
            raise Conflict("lease_suspended_already")
        reason = clean_text(reason, max_len=512)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.SUSPENDED, actors)
        uow.add(m.LeaseSuspension(deal_id=deal_id, since=today(uow, cfg), reason=reason, by=actor_id))
        await lease.move(uow, case, LeaseStatus.SUSPENDED, actors, actor_id, reason)
        await uow.commit()
        return case


async def resume(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int) -> tuple[m.LeaseCase, int]:
    """«Odwieszenie umowy»: the lines that fell due while suspended were not charged; they and every line after them
    move later by as many months (core.domain.leasing.books.shift_months) in a new version of the schedule (the old
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
        await lease.move(uow, case, LeaseStatus.ACTIVE, actors, actor_id,
                           f"+{shift} mies." if shift else None)
        await uow.flush()
        await uow.books.accrue(None, day, deal_id, lead_days=cfg.lease_invoice_days)
        await invoice_new(uow, day, deal_id)
        await allocate(uow, case, day)
        await uow.commit()
        return case, shift


def _months_to(start: date, due: date) -> int:
    """How many months from ``start`` a line's date is (the lines are counted from the schedule's start)."""
    months = (due.year - start.year) * 12 + due.month - start.month
    return months


async def _close_if_settled(uow: UnitOfWork, cfg: CoreConfig, case: m.LeaseCase, day: date) -> int:
    """«Rozliczenie finalne»: once every line (the residual too) is charged and no charge is open, late interest is
    posted to today; if that leaves nothing owed, an overpayment becomes a refund to pay back, and the contract
    closes, its client and salesperson told with the closing statement. A running contract whose last instalment was
    invoiced ahead and paid closes on that instalment's due date (the accrual's run), not before."""
    if case.status not in (LeaseStatus.ACTIVE, *rules.ENDING) or case.schedule_version is None:
        return 0
    if await uow.books.lines_left(case.deal_id, case.schedule_version) or await uow.books.open_charges(case.deal_id):
        return 0
    if case.status == LeaseStatus.ACTIVE and await uow.books.due_later(case.deal_id, day):
        return 0  # an instalment invoiced ahead and paid: the term is not over until its due date (the accrual's)
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
    await lease.move(uow, case, LeaseStatus.CLOSED, {Actor.SYSTEM}, None)
    notice = LeaseClosed(deal_id=case.deal_id, subject=case.subject, refund=money_text(refund) if refund else None,
                         currency=case.currency)
    for whom in {client.user_id, case.sales_id} - {None}:
        uow.outbox.notify(whom, notice)
    return 1
