"""Who may act: the checks every use case starts with."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.access import Actor, teams_below
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.roles import STAFF, Role, holds


async def staff(uow: UnitOfWork, user_id: int) -> m.User:
    """The person, if they are a manager or an admin (whichever role they hold: a salesperson granted « manager »
    works leads and deals too)."""
    user = await uow.users.get(user_id)
    if user is None or not holds(user, *STAFF):
        raise Forbidden()
    return user


async def admin(uow: UnitOfWork, user_id: int) -> m.User:
    user = await uow.users.get(user_id)
    if user is None or user.role != Role.ADMIN:
        raise Forbidden()
    return user


async def actor(uow: UnitOfWork, user_id: int, user: m.User | None = None) -> Actor:
    """The person as the access rules see them: their roles, the teams they work in or head, and those below."""
    user = user or await uow.users.get(user_id)
    if user is None:
        raise Forbidden()
    teams = frozenset(await uow.access_groups.of_user(user.id))
    heads = frozenset(await uow.access_groups.headed_by(user.id))
    below = teams_below(teams, await uow.access_groups.tree()) if teams else frozenset()
    return Actor(user.id, user.roles, teams, heads, below, user.company_id)
