"""Who may act: the checks every use case starts with."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.roles import STAFF, Role


async def staff(uow: UnitOfWork, user_id: int) -> m.User:
    """The person, if they are a manager or an admin."""
    user = await uow.users.get(user_id)
    if user is None or user.role not in STAFF:
        raise Forbidden()
    return user


async def admin(uow: UnitOfWork, user_id: int) -> m.User:
    user = await uow.users.get(user_id)
    if user is None or user.role != Role.ADMIN:
        raise Forbidden()
    return user
