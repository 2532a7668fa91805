"""The reactions, declared in one place: which areas react to each domain event (core.domain.kernel.events), in order.
A use case raises an event where it happens (``await publish(uow, event)``, inside its unit of work); the handlers
run in that same transaction, so what they change commits with it — or not at all. A handler may raise events in
turn (an order's task done moves the deal on: a stage is entered, and the tasks of the stage it left close).

Read the table to know what "a task is done", "a stage is entered", "a deal is closed" set off; add a reaction here,
never by calling another area from the place the thing happens."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cache

from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.events import DealClosed, Event, LeaseEnded, StageEntered, TaskDone

Reaction = Callable[[UnitOfWork, Event], Awaitable[None]]


@cache
def reactions() -> dict[type, tuple[Reaction, ...]]:
    """The table. Built at the first event: the modules that react use the stage engine, which raises events, so
    importing them here at the top would make a cycle."""
    from core.services import campaigns, deals, leasing
    from core.services.kernel import task_closing

    return {
        TaskDone: (
            deals.on_task_done,  # the deal's feed: «✓ <task>»
            campaigns.on_interaction_task_done,  # the card, a call, the КП or invoice sent by hand: done
            campaigns.on_order_task_done,  # an order's task: shipping (only when paid or allowed), stage 12's key
        ),
        StageEntered: (
            task_closing.on_stage_entered,  # the tasks made for the stage left close (done or cancelled)
        ),
        DealClosed: (
            task_closing.on_deal_closed,  # every open task of the deal closes
        ),
        LeaseEnded: (
            leasing.on_ended,  # its document made (the ownership transfer protocol when bought out, the termination's
            # settlement, the return protocol) and sent to the client and the salesperson, without a person
        ),
    }


async def publish(uow: UnitOfWork, event: Event) -> None:
    """Inside an open unit of work: every reaction to ``event``, in the table's order."""
    for react in reactions()[type(event)]:
        await react(uow, event)
