"""Raising a domain event (core.domain.kernel.events) inside a use case's unit of work.

A use case raises an event where it happens (``await publish(uow, event)``); the reactions its unit was given by
the composition root (the table in core.services.reactions) run in that same transaction, in the table's order, so
what they change commits with it, or not at all. A reaction may raise events in turn (an order's task done moves the
deal on: a stage is entered, and the tasks of the stage it left close)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.events import Event

Reaction = Callable[[UnitOfWork, Event], Awaitable[None]]
Reactions = Mapping[type[Event], tuple[Reaction, ...]]


async def publish(uow: UnitOfWork, event: Event) -> None:
    """Inside an open unit of work: every reaction to ``event``, in the table's order (an event the table does not
    list is a mistake of the composition, and fails here)."""
    for react in uow.reactions[type(event)]:
        await react(uow, event)
