"""The outbox as the sender sees it: claim what is due, record how each delivery ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.db.kernel import models as m
from core.db.kernel.repositories import Due
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.tasks import OutboxStatus

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Copy:
    """A relayed message as it landed in a recipient's chat."""

    chat_id: int
    message_id: int
    application_id: int
    deal_message_id: int | None = None


async def claim(uow: UnitOfWork, limit: int, lease: float = 60.0,
                exclude_users: list[int] | None = None) -> list[Due]:
    """Take up to ``limit`` due rows for ``lease`` seconds: ``status`` sending, ``not_before`` the lease's end.
    The sender renews the lease while it works (``renew``); a row whose lease ran out — its process died — is due
    again for any sender. Two senders never hold one row (one atomic statement; SKIP LOCKED on PostgreSQL).
    ``exclude_users``: recipients this sender is still sending to (their later rows wait, to keep their order)."""
    now = uow.clock.now()
    async with uow.standalone() as uow:
        return await uow.outbox.claim(now, limit, now + timedelta(seconds=lease), exclude_users)


async def renew(uow: UnitOfWork, ids: list[int], lease: float) -> None:
    """The sender still holds these rows: push their lease's end on."""
    async with uow:
        await uow.outbox.renew(ids, uow.clock.now() + timedelta(seconds=lease))
        await uow.commit()


async def sent_many(uow: UnitOfWork, done: list[tuple[int, list[Copy]]]) -> None:
    """Rows delivered, with the relayed copies they made: one transaction for a handful of rows (without copies
    to record, the one UPDATE stands alone)."""
    async with (uow if any(copies for _, copies in done) else uow.standalone()) as uow:
        await uow.outbox.mark_sent([i for i, _ in done], uow.clock.now())
        for _, copies in done:
            for c in copies:
                uow.relays.add(m.RelayCopy(chat_id=c.chat_id, message_id=c.message_id,
                                           application_id=c.application_id, deal_message_id=c.deal_message_id))
        await uow.commit()


async def failed(uow: UnitOfWork, outbox_id: int, error: str, *, retry_after: float | None = None) -> str:
    """A failed delivery is retried with backoff, then parked with its error; returns the new status."""
    async with uow:
        row = await uow.outbox.get(outbox_id)
        row.last_error = error[:1000]
        if retry_after is not None and row.attempts < MAX_ATTEMPTS:
            row.status = OutboxStatus.PENDING
            row.not_before = uow.clock.now() + timedelta(seconds=retry_after)
        else:
            row.status = OutboxStatus.FAILED
        await uow.commit()
        return row.status


def backoff(attempts: int) -> float:
    return min(2.0 ** attempts, 300.0)


async def blocked(uow: UnitOfWork, outbox_id: int, user_id: int, error: str) -> None:
    """403: the user blocked the bot. Mark them inactive and stop sending to them."""
    async with uow:
        row = await uow.outbox.get(outbox_id)
        row.status, row.last_error = OutboxStatus.FAILED, error[:1000]
        user = await uow.users.get(user_id)
        user.blocked = True
        await uow.outbox.skip_pending_for(user_id)
        await uow.commit()
