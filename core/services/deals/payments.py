"""A deal's money (seed 003): planned payments and the budget they make, their receipt, the overdue reminders,
the forecast of receipts; and the deal's orders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals import workspace as rules
from core.domain.deals.workspace import OrderStatus
from core.domain.kernel import feed as said
from core.domain.kernel import schedule
from core.domain.kernel.errors import AlreadyDecided
from core.domain.kernel.notices import PaymentOverdue
from core.domain.kernel.preferences import currency
from core.services.kernel import access
from core.services.kernel.config import CoreConfig
from core.services.kernel.deal_access import editable, tell, viewer_of


async def _recompute(uow: UnitOfWork, deal: m.Deal) -> None:
    deal.budget = rules.budget(await uow.payments.amounts(deal.id))


async def add_payment(uow: UnitOfWork, actor_id: int, deal_id: int, amount: Decimal, due_on: date) -> m.Payment:
    rules.check_payment(amount)
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        payment = uow.add(m.Payment(deal_id=deal.id, amount=amount, due_on=due_on))
        await _recompute(uow, deal)
        tell(uow, deal, actor_id, said.PaymentPlanned(amount=amount, currency=currency(), due_on=due_on))
        await uow.commit()
        return payment


async def _payment(uow: UnitOfWork, actor_id: int, payment_id: int) -> tuple[m.Deal, m.Payment]:
    payment = await uow.payments.get_or_raise(payment_id)
    _, deal = await editable(uow, actor_id, payment.deal_id)
    return deal, payment


async def receive_payment(uow: UnitOfWork, actor_id: int, payment_id: int) -> m.Payment:
    async with uow:
        deal, payment = await _payment(uow, actor_id, payment_id)
        if payment.received_at is not None:
            raise AlreadyDecided(by="—", at=payment.received_at, status="received")
        payment.received_at = uow.clock.now()
        await _recompute(uow, deal)
        tell(uow, deal, actor_id, said.PaymentReceived(amount=payment.amount, currency=currency(),
                                                       due_on=payment.due_on))
        await uow.commit()
        return payment


async def move_payment(uow: UnitOfWork, actor_id: int, payment_id: int, due_on: date) -> m.Payment:
    """The client named a new date: the payment waits for it (and may be reminded of again)."""
    async with uow:
        deal, payment = await _payment(uow, actor_id, payment_id)
        if payment.received_at is not None:
            raise AlreadyDecided(by="—", at=payment.received_at, status="received")
        was = payment.due_on
        payment.due_on, payment.reminded_at = due_on, None
        tell(uow, deal, actor_id, said.PaymentMoved(amount=payment.amount, currency=currency(), was=was, due_on=due_on))
        await uow.commit()
        return payment


async def scan_overdue_payments(uow: UnitOfWork, cfg: CoreConfig, limit: int = 500) -> int:
    """Each planned payment past its date and not received makes one reminder to the deal's responsible: overdue
    from the day after its date in the company's timezone."""
    today = schedule.local_date(uow.clock.now(), cfg.default_timezone)
    async with uow:
        rows = await uow.payments.overdue_unreminded(today, limit)
        if not rows:
            return 0
        for pid, amount, due_on, deal_id, name, responsible_id in rows:
            if responsible_id:
                uow.outbox.notify(responsible_id, PaymentOverdue(payment_id=pid, deal_id=deal_id, name=name,
                                                                 amount=str(amount), due_on=due_on.isoformat()))
        await uow.commit()
        return len(rows)


async def forecast(uow: UnitOfWork, viewer_id: int) -> tuple[dict, dict[int, str]]:
    """Receipts expected in the next 30/60/90 days (and overdue), counted from today where the viewer is, per
    manager and in total, of the deals the viewer sees; returns the figures and the managers' names."""
    async with uow:
        user = await access.staff(uow, viewer_id)
        today = schedule.local_date(uow.clock.now(), user.timezone)
        rows = await uow.payments.planned(await viewer_of(uow, user))
        figures = rules.forecast([rules.PlannedPayment(*r) for r in rows], today)
        names = await uow.users.get_many({k for k in figures if k})
        return figures, {k: u.name for k, u in names.items()}



async def add_order(uow: UnitOfWork, actor_id: int, deal_id: int, amount: Decimal, ordered_on: date) -> m.Order:
    rules.check_payment(amount)
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        count = await uow.orders.count(deal.id)
        order = uow.add(m.Order(deal_id=deal.id, number=f"{deal.id}-{count + 1}", ordered_on=ordered_on,
                                amount=amount, status=OrderStatus.NEW))
        tell(uow, deal, actor_id, said.OrderAdded(number=order.number, amount=amount, currency=currency()))
        await uow.commit()
        return order


