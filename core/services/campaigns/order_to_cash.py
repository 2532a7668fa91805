"""Order to cash (seed 001, stages 11–14) through the services: an order's screen (its lines, payments, tasks,
documents), a payment registered **for one order** (partial ones kept; one above what remains refused; the order
paid in full is stage 14's key), the tasks of the order done (the purchasing and contract tasks let the invoice go
out; the shipping task done marks the order shipped), and the counterparty's «отгрузка без оплаты»."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow, UnitOfWork
from core.domain.campaigns import approval
from core.domain.campaigns import orders as rules
from core.domain.campaigns.orders import Paid
from core.domain.deals import OrderStatus
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Conflict, InvalidInput, found
from core.domain.kernel.events import TaskDone
from core.domain.kernel.notices import OrderPaid
from core.domain.kernel.permissions import Action, Area, Permission
from core.domain.kernel.preferences import currency
from core.domain.kernel.schedule import local_date
from core.services.campaigns import stages
from core.services.kernel import access
from core.services.kernel.deal_access import editable, may, tell


@dataclass(frozen=True)
class OrderView:
    order: m.Order
    paid: Paid
    payments: list[m.Payment]
    tasks: list[m.Task]  # purchasing, contract, shipping (those made so far)
    invoice: m.Document | None
    ship_unpaid: bool
    may_pay: bool = False  # the reader may register a payment (Permission.REGISTER_PAYMENT)


async def _order(uow: UnitOfWork, actor_id: int, order_id: int, *, lock: bool = False,
                 action: Action | Permission = Action.EDIT) -> tuple[m.Deal, m.Order]:
    order = found(await (uow.orders.get_for_update(order_id) if lock else uow.orders.get(order_id)))
    _, deal = await editable(uow, actor_id, order.deal_id, action, Area.CAMPAIGNS)
    return deal, order


async def view(uow: UnitOfWork, actor_id: int, order_id: int) -> OrderView:
    async with uow:
        deal, order = await _order(uow, actor_id, order_id, action=Action.READ)
        payments = await uow.order_money.payments(order.id)
        paid = sum((p.amount for p in payments if p.received_at is not None), Decimal("0.00"))
        tasks = [t for t in [await uow.tasks.get(i) for i in (order.purchase_task_id, order.contract_task_id,
                                                                order.ship_task_id) if i] if t is not None]
        client = await uow.clients.get(deal.client_id) if deal.client_id else None
        return OrderView(order, Paid(order.amount, paid), payments, tasks,
                         await uow.documents.of(order_id=order.id), bool(client and client.ship_unpaid),
                         await may(uow, await access.actor(uow, actor_id), deal, Area.CAMPAIGNS,
                                   Permission.REGISTER_PAYMENT))


async def pay(uow: UnitOfWork, actor_id: int, order_id: int, amount: Decimal, *, bank_ref: str | None = None,
              received_on: date | None = None) -> Paid:
    """A payment received for this order: kept even when partial; refused when not positive or above what the order
    still awaits (with what remains). Paid in full, the deal waiting for it goes on («Заказ оплачен») and the
    shipping task's holder is told. A payment of another order of the deal opens nothing here.

    ``bank_ref``: the bank's document it comes from (1C's client-bank file): booked once, a second time refused
    (``payment_booked``), even by an import running at the same moment (a unique key)."""
    try:
        return await _pay(uow, actor_id, order_id, amount, bank_ref, received_on)
    except DuplicateRow as exc:
        if bank_ref is None:
            raise
        raise Conflict("payment_booked") from exc


async def _pay(uow: UnitOfWork, actor_id: int, order_id: int, amount: Decimal, bank_ref: str | None,
               received_on: date | None) -> Paid:
    async with uow:
        deal, order = await _order(uow, actor_id, order_id, lock=True,  # one payment of an order at a time
                                   action=Permission.REGISTER_PAYMENT)
        if bank_ref is not None and await uow.exchange.booked_refs([bank_ref]):
            raise Conflict("payment_booked")
        so_far = await uow.order_money.paid(order.id)
        total, full = approval.register_payment(order.amount, so_far, amount)
        now = uow.clock.now()
        actor = await uow.users.get(actor_id)
        uow.add(m.Payment(deal_id=deal.id, order_id=order.id, amount=amount, received_at=now,
                          due_on=received_on or local_date(now, actor.timezone), bank_ref=bank_ref))
        tell(uow, deal, actor_id, said.OrderPayment(number=order.number, amount=amount, paid=total, total=order.amount,
                                                    currency=currency()))
        uow.audit.record(entity="order", entity_id=order.id, actor_id=actor_id, action="payment", comment=str(amount))
        if full:
            if order.shipped_at is not None:
                order.status = OrderStatus.DONE
            ship = await uow.tasks.get(order.ship_task_id) if order.ship_task_id else None
            for who in {deal.responsible_id, ship.responsible_id if ship else None} - {None, actor_id}:
                uow.outbox.notify(who, OrderPaid(deal_id=deal.id, number=order.number, amount=str(order.amount)))
            await stages.advance(uow, deal, actor_id)
        await uow.commit()
        return Paid(order.amount, total)


async def on_task_done(uow: UnitOfWork, event: TaskDone) -> None:
    """A task done (core.services.kernel.reactions): an order's purchasing or contract task done may let the invoice go
    out (stage 12's key: both done); its shipping task done marks the order shipped."""
    task, actor_id = await uow.tasks.get(event.task_id), event.actor_id
    if not task.deal_id:
        return
    order = await uow.order_money.of_task(task.id)
    if order is None:
        return
    deal = await uow.deals.get(task.deal_id)
    if task.id == order.ship_task_id:
        paid = Paid(order.amount, sum(await uow.order_money.paid(order.id), Decimal("0")))
        client = await uow.clients.get(deal.client_id) if deal.client_id else None
        rules.check_shipping(order.number, paid, bool(client and client.ship_unpaid))
        order.shipped_at = uow.clock.now()
        order.status = OrderStatus.DONE if paid.full else OrderStatus.SHIPPED
        tell(uow, deal, actor_id, said.OrderShipped(number=order.number))
        uow.audit.record(entity="order", entity_id=order.id, actor_id=actor_id, action="shipped")
        return
    await uow.flush()
    await stages.advance(uow, deal, actor_id)


async def set_ship_unpaid(uow: UnitOfWork, actor_id: int, deal_id: int, value: bool) -> m.Client:
    """The deal's counterparty's contract allows shipping before payment, or stops allowing it: an admin's change,
    refused while an order shipped to it is still unpaid (the numbers are named)."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Permission.SHIP_UNPAID, Area.CAMPAIGNS)
        client = await uow.clients.get(deal.client_id) if deal.client_id else None
        if client is None:
            raise InvalidInput("deal_no_client")
        if client.ship_unpaid != value:
            rules.check_ship_flag(await uow.order_money.shipped_unpaid(client.id))
            client.ship_unpaid = value
            uow.audit.record(entity="client", entity_id=client.id, actor_id=actor_id, action="ship_unpaid",
                             to_status=str(value).lower())
        await uow.commit()
        return client

