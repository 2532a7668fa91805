"""What entering a stage of «Холодный обзвон» from 8 to 14 sets off (core.domain.campaigns.stages.OnEnter), inside the
unit of work that moves the deal: the КП's document and its e-mail, the customer's order from the accepted КП, the tasks
of the order to the heads of the purchasing, contracts and shipping groups, the invoice; and stage 9's follow-up.

A task for a department goes to the head of the access group that has that duty (an admin sets it in the group's
screen); with no such group or head, to the deal's executor, and the task's title says which department it is for,
so the work is never lost."""

from __future__ import annotations

from datetime import timedelta

from core import documents as render
from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import stages as rules
from core.domain.campaigns.orders import DocKind, Duty, NotAccepted, order_number
from core.domain.campaigns.quotes import QuoteStatus, lines_of, totals
from core.domain.campaigns.stages import Purpose, Stage
from core.domain.deals import OrderStatus
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Conflict
from core.domain.kernel.notices import DocumentSent, TaskAssigned
from core.domain.kernel.preferences import currency
from core.domain.kernel.schedule import local_date
from core.domain.kernel.tasks import TaskStatus
from core.services.kernel import documents
from core.services.kernel.deal_access import tell

TASK_WITHIN = timedelta(days=1)
#: the document an interaction sends: its e-mail's subject and body are its words («mail.<kind>_subject», «…_body»,
#: core/documents/words), in the document's language
MAILED = {Purpose.QUOTE: DocKind.QUOTE, Purpose.INVOICE: DocKind.INVOICE}
MAIL_OFF = "mail_off"  # a document's task when e-mail is off (no SMTP): send it some other way


async def _task(uow: UnitOfWork, deal: m.Deal, code: str, responsible_id: int, **params) -> m.Task:
    """A task the process makes, named by its code and params (the bot's task_code.*)."""
    task = uow.add(m.Task(title=None, code=code, params=params, responsible_id=responsible_id, deal_id=deal.id,
                          status=TaskStatus.OPEN, due_at=uow.clock.now() + TASK_WITHIN))
    await uow.flush()
    tell(uow, deal, None, said.reminder(task), task_id=task.id)
    if responsible_id != deal.responsible_id:
        uow.outbox.notify(responsible_id, TaskAssigned(task_id=task.id))
    return task


async def _department(uow: UnitOfWork, deal: m.Deal, duty: Duty) -> tuple[int | None, list[str]]:
    """Who gets a department's task: the head of the group with this duty, else the executor (with a note)."""
    group = await uow.access_groups.by_duty(duty)
    if group is not None and group.head_id:
        return group.head_id, []
    return deal.responsible_id, [rules.NOTE_NO_GROUP]


async def send_document(uow: UnitOfWork, deal: m.Deal, doc: m.Document, purpose: Purpose, number: str) -> None:
    """The document to the client: by e-mail through the mail outbox (its delivery completes the interaction and
    moves the deal on), or, with no address, a task for the executor to send it some other way; and to the
    client's Telegram when the client is in the bot."""
    await uow.flush()
    n = await uow.interactions.last_number(deal.id, purpose) + 1
    interaction = uow.add(m.Interaction(deal_id=deal.id, purpose=purpose, number=n, planned_at=uow.clock.now()))
    await uow.flush()
    client = await uow.clients.get(deal.client_id) if deal.client_id else None
    kind = MAILED[purpose]
    words = render.Words(await documents.recipient_language(uow, kind, client))  # the document's own language
    subject = words(f"mail.{kind.value}_subject", number=number)
    if client is not None and client.email and uow.mail_on:
        uow.mail.queue(client.email, subject, words(f"mail.{kind.value}_body", number=number), deal_id=deal.id,
                       document_id=doc.id, interaction_id=interaction.id, sent_by=deal.responsible_id)
        tell(uow, deal, None, said.MailQueued(purpose=purpose, number=number, to_addr=client.email))
    else:  # no address, or no e-mail at all (SMTP not configured): the executor sends it and marks it sent
        mail_off = client is not None and bool(client.email)
        if mail_off:
            tell(uow, deal, None, said.MailOff(purpose=purpose, number=number, to_addr=client.email))
        if deal.responsible_id:
            task = await _task(uow, deal, purpose, deal.responsible_id, number=number,
                               **({"variant": MAIL_OFF} if mail_off else {}))
            interaction.task_id = task.id
    if client is not None and client.user_id:
        uow.outbox.notify(client.user_id, DocumentSent(document_id=doc.id, deal_id=deal.id,
                                                       title=subject))


async def _send_quote(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    """Stage 8: the approved version as a PDF, to the client."""
    quote = await uow.quotes.last(deal.id)
    if quote is None or quote.status != QuoteStatus.APPROVED:
        raise Conflict("quote_not_approved")
    doc = await documents.quote_document(uow, deal, quote)
    quote.status, quote.sent_at = QuoteStatus.SENT, uow.clock.now()
    await send_document(uow, deal, doc, Purpose.QUOTE, f"{deal.id}-{quote.version}")


async def follow_up(uow: UnitOfWork, deal: m.Deal) -> m.Task | None:
    """Stage 9, a week after the КП went out (and each week after while the deal waits): «Взаимодействие с
    клиентом» for the executor — unless the previous one is still open."""
    if not deal.responsible_id or await uow.tasks.open_of_deal(deal.id, Purpose.FOLLOW):
        return None
    task = await _task(uow, deal, Purpose.FOLLOW, deal.responsible_id)
    n = await uow.interactions.last_number(deal.id, Purpose.FOLLOW) + 1
    uow.add(m.Interaction(deal_id=deal.id, purpose=Purpose.FOLLOW, number=n, planned_at=uow.clock.now(),
                          task_id=task.id))
    uow.outbox.notify(deal.responsible_id, TaskAssigned(task_id=task.id))
    return task


async def _make_order(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    """Stage 11: «Заказ покупателя» with the accepted КП's lines, linked to it."""
    quote = await uow.quotes.last(deal.id)
    if quote is None or quote.status != QuoteStatus.ACCEPTED:
        raise NotAccepted()
    lines = [m.OrderLine(**x.fields()) for x in quote.lines]
    total = totals(lines_of(quote.lines))
    executor = await uow.users.get(deal.responsible_id) if deal.responsible_id else None
    today = local_date(uow.clock.now(), executor.timezone if executor else "Europe/Moscow")
    number = order_number(deal.id, await uow.orders.count(deal.id) + 1)
    order = uow.add(m.Order(deal_id=deal.id, quote_id=quote.id, number=number, ordered_on=today,
                            amount=total.gross, status=OrderStatus.NEW, lines=lines))
    await uow.flush()
    tell(uow, deal, None, said.OrderAdded(number=number, amount=total.gross, currency=currency(),
                                          quote_version=quote.version))
    uow.audit.record(entity="order", entity_id=order.id, actor_id=None, action="create",
                     comment=f"quote {quote.id}")


async def _order_tasks(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    """Stage 12: the purchasing head's task to fulfil the order, and the contract's approval (the seed's 1С:ДО, a
    task here: the contract goes into the deal's feed as a file)."""
    order = await uow.order_money.of_process(deal.id)
    order.status = OrderStatus.IN_WORK
    who, notes = await _department(uow, deal, Duty.PURCHASING)
    if who:
        task = await _task(uow, deal, "purchase", who, number=order.number, notes=notes)
        order.purchase_task_id = task.id
    who, notes = await _department(uow, deal, Duty.CONTRACTS)
    if who:
        task = await _task(uow, deal, "contract", who, number=order.number, notes=notes)
        order.contract_task_id = task.id


async def _ship_task(uow: UnitOfWork, deal: m.Deal, order: m.Order, variant: str) -> None:
    who, notes = await _department(uow, deal, Duty.SHIPPING)
    if who and order.ship_task_id is None:
        task = await _task(uow, deal, "ship", who, number=order.number, variant=variant, notes=notes)
        order.ship_task_id = task.id


async def _send_invoice(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    """Stage 13: the invoice for the order, to the client; the shipping task at once when the counterparty's
    contract allows shipping before payment (core.domain.campaigns.orders says why)."""
    order = await uow.order_money.of_process(deal.id)
    quote = await uow.quotes.get(order.quote_id) if order.quote_id else None
    doc = await documents.invoice_document(uow, deal, order, quote)
    await send_document(uow, deal, doc, Purpose.INVOICE, order.number)
    client = await uow.clients.get(deal.client_id) if deal.client_id else None
    if client is not None and client.ship_unpaid:
        await _ship_task(uow, deal, order, rules.SHIP_UNPAID)


async def _shipping_task(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    """Stage 14: the shipping department's task for this order (unless stage 13 made it)."""
    await _ship_task(uow, deal, await uow.order_money.of_process(deal.id), rules.SHIP_PAID)


ON_ENTER = {rules.OnEnter.SEND_QUOTE: _send_quote, rules.OnEnter.MAKE_ORDER: _make_order,
            rules.OnEnter.ORDER_TASKS: _order_tasks, rules.OnEnter.SEND_INVOICE: _send_invoice,
            rules.OnEnter.SHIPPING_TASK: _shipping_task}
