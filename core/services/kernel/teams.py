"""The operator's teams (issue 27): the access groups, each with a head and members, nested under one another; who
"the head" of a person is. The campaigns' screens keep a team's head, members and duty (core.services.campaigns)."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.access import head_of as head_rule
from core.domain.kernel.access import teams_below
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.roles import OPERATOR_STAFF, Role
from core.services.kernel.access import admin


async def head_id(uow: UnitOfWork, user: m.User) -> int | None:
    """The head of ``user`` inside an open unit of work: their supervisor if an admin set one, else the head of
    their team (up the nesting while the team has none or they head it themselves); None: nobody, so the admins."""
    if user.supervisor_id is not None and user.supervisor_id != user.id:
        return user.supervisor_id
    return head_rule(user.id, None, await uow.access_groups.for_head(user.id))


async def heads_or_admins(uow: UnitOfWork, user: m.User | None) -> list[int]:
    """Who is told as "the head" of ``user``: their head, or every admin when they have none (or no one is named)."""
    head = await head_id(uow, user) if user is not None else None
    if head is not None:
        return [head]
    return [u.id for u in await uow.users.with_role(Role.ADMIN)]


async def set_parent(uow: UnitOfWork, admin_id: int, team_id: int, parent_id: int | None) -> m.AccessGroup:
    """A team is nested under another (its head sees the teams below), or made a top team (``parent_id`` None);
    a team cannot be nested under itself or under a team below it. Audited."""
    async with uow:
        await admin(uow, admin_id)
        team = await uow.access_groups.get_or_raise(team_id)
        parent = await uow.access_groups.get_or_raise(parent_id) if parent_id else None
        if parent is not None and parent.id in teams_below([team.id], await uow.access_groups.tree()):
            raise InvalidInput("team_cycle")
        team.parent_id = parent.id if parent is not None else None
        uow.audit.record(entity="access_groups", entity_id=team.id, actor_id=admin_id, action="parent",
                         comment=parent.name if parent is not None else "—")
        await uow.commit()
        return team


async def of_person(uow: UnitOfWork, user_id: int) -> list[m.AccessGroup]:
    """The teams a person works in (member or head), by name: their card, the invite's welcome."""
    async with uow:
        ids = await uow.access_groups.of_user(user_id)
        teams = [t for t in await uow.access_groups.list() if t.id in ids]
        return sorted(teams, key=lambda t: (t.name, t.id))


async def headed(uow: UnitOfWork, user_id: int) -> list[m.AccessGroup]:
    """The live teams a person heads, by name: their card."""
    async with uow:
        ids = await uow.access_groups.headed_by(user_id)
        return sorted((t for t in await uow.access_groups.list() if t.id in ids), key=lambda t: (t.name, t.id))


async def picker(uow: UnitOfWork, admin_id: int) -> list[m.AccessGroup]:
    """The live teams an admin picks from (an invite's team, a team's parent)."""
    async with uow:
        await admin(uow, admin_id)
        return list(await uow.access_groups.list())


async def candidates(uow: UnitOfWork) -> list[m.User]:
    """The operator's staff an admin can put in a team or make its head (a lessor's staff too, not only managers)."""
    async with uow:
        return [u for role in sorted(OPERATOR_STAFF) for u in await uow.users.with_role(role)
                if not u.blocked and u.erased_at is None]


async def head_of_person(uow: UnitOfWork, user_id: int) -> m.User | None:
    """The head of a person, for their card (None: nobody, so the admins)."""
    async with uow:
        user = await uow.users.get_or_raise(user_id)
        head = await head_id(uow, user)
        return await uow.users.get(head) if head is not None else None


async def below(uow: UnitOfWork, admin_id: int, team_id: int) -> frozenset[int]:
    """The team and every team nested under it (none of them can be its parent)."""
    async with uow:
        await admin(uow, admin_id)
        return teams_below([team_id], await uow.access_groups.tree())
