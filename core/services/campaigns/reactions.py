"""What a task done means for the cold calls and the КП to cash, as one call the kernel's tasks make (core.services.
kernel.tasks.done): a card's or a call's task is its interaction done (core.services.campaigns.interactions), an order's
task may let its invoice go out or mark it shipped (core.services.campaigns.order_to_cash)."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.services.campaigns import interactions, order_to_cash


async def task_done(uow: UnitOfWork, task: m.Task, actor_id: int) -> None:
    """Inside tasks.done, in its unit of work: the interaction's part, then the order's."""
    await interactions.task_done(uow, task, actor_id)
    await order_to_cash.task_done(uow, task, actor_id)
