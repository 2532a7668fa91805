"""A task's life, and an outbox row's: the statuses as the database keeps them. Pure names, no I/O."""

from __future__ import annotations

from enum import StrEnum


class TaskStatus(StrEnum):
    OPEN = "open"  # to do: it is reminded when due and alerted when overdue
    DONE = "done"
    CANCELLED = "cancelled"  # closed by a rule (its lead left the status that made it)


class TaskClose(StrEnum):
    """Why a task closed (kept on the task with who closed it: ``closed_by``, none for the scheduler)."""

    BY_HAND = "by_hand"  # its holder pressed «done»
    KEY_MET = "key_met"  # the stage it was made for reached its key: the deal went on (done)
    STAGE_LEFT = "stage_left"  # the deal left that stage another way (cancelled)
    DEAL_CLOSED = "deal_closed"  # the deal closed: by hand, by its deadline (cancelled)
    RULE = "rule"  # a lead's auto-rule (its lead left the status that made it)
    DEAL_PAID = "deal_paid"  # the deal's order is paid: the calls to sell it are over (cancelled)


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its time (not_before)
    SENDING = "sending"  # held by a sender under a lease (not_before: the lease's end)
    SENT = "sent"
    FAILED = "failed"  # parked after the last retry, with the error
    SKIPPED = "skipped"  # the person blocked the bot
