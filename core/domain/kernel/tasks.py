"""A task's life, and an outbox row's: the statuses as the database keeps them. Pure names, no I/O."""

from __future__ import annotations

from enum import StrEnum


class TaskStatus(StrEnum):
    OPEN = "open"  # to do: it is reminded when due and alerted when overdue
    DONE = "done"
    CANCELLED = "cancelled"  # closed by a rule (its lead left the status that made it)


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its time (not_before)
    SENDING = "sending"  # held by a sender under a lease (not_before: the lease's end)
    SENT = "sent"
    FAILED = "failed"  # parked after the last retry, with the error
    SKIPPED = "skipped"  # the person blocked the bot
