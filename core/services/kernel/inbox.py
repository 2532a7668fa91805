"""The start of every update: record its id (a redelivered update is not applied twice) and find or register
the person, in one transaction."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.services.kernel import users
from core.services.kernel.config import CoreConfig


async def begin_update(uow: UnitOfWork, update_id: int, person: users.TgPerson | None, cfg: CoreConfig,
                       admin_ids: frozenset[int]) -> tuple[bool, m.User | None]:
    """(False, None) when the update was handled before; else (True, the current user or None).

    Every statement here stands alone (the inbox row; the user's one insert or update), so on SQLite the unit of
    work may run without BEGIN IMMEDIATE, which spares the lock and a round trip on every update."""
    async with uow:
        if not await uow.inbox.record(update_id):
            return False, None
        user = await users.register(uow, person, cfg, admin_ids) if person else None
        await uow.commit()
        return True, user
