"""A person as the access rules see them, loaded from a real database: every role they hold, the teams they work
in or head, and the teams nested below those."""

from __future__ import annotations

from core.db.kernel import models as m
from core.domain.kernel.access import Actor
from core.domain.kernel.roles import Role
from core.services.kernel import access
from tests.factories import person


async def test_roles_teams_heads_and_the_teams_below(uow, cfg):
    anna = await person(uow, cfg, 2001, "Анна")
    async with uow() as u:
        user = await u.users.get(anna.id)
        user.role, user.extra_roles = Role.MANAGER, [Role.BACK_OFFICE.value]
        north = m.AccessGroup(name="Север", head_id=anna.id)
        u.access_groups.add(north)
        await u.flush()
        east = m.AccessGroup(name="Север-Восток", parent_id=north.id)
        south = m.AccessGroup(name="Юг")
        u.access_groups.add(east)
        u.access_groups.add(south)
        await u.flush()
        far = m.AccessGroup(name="Дальний Восток", parent_id=east.id)
        u.access_groups.add(far)
        await u.commit()
        ids = north.id, east.id, south.id, far.id
    async with uow() as u:
        me = await access.actor(u, anna.id)
    north_id, east_id, _south_id, far_id = ids
    assert me == Actor(anna.id, frozenset({Role.MANAGER, Role.BACK_OFFICE}), frozenset({north_id}),
                       frozenset({north_id}), frozenset({north_id, east_id, far_id}), None)
    assert me.has(Role.BACK_OFFICE) and not me.has(Role.ADMIN, Role.RISK)
