"""A team's head in the leasing area (core.domain.kernel.permissions: HEAD reaches «team and below»): the head of
the sales team reads, lists and works its salespeople's cases as the salesperson would; the head of another team
sees nothing of them, and a salesperson still only their own."""

from __future__ import annotations

import pytest

from core.db.kernel import models as m
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.roles import Role
from core.domain.leasing.case import Actor, LeaseStatus
from core.services.kernel import users
from core.services.leasing import origination as leasing
from tests.factories import person
from tests.services.leasing.test_leasing import lessor, opened


async def test_a_heads_team_cases_read_listed_and_moved(uow, cfg):
    w = await lessor(uow, cfg)
    marek = await users.set_role(uow(), w["admin"].id, (await person(uow, cfg, 5010, "Kierownik Marek")).id,
                                 Role.SALES)
    other = await users.set_role(uow(), w["admin"].id, (await person(uow, cfg, 5011, "Kierownik Zofia")).id,
                                 Role.SALES)
    async with uow() as u:
        team = m.AccessGroup(name="Sprzedaż Warszawa", head_id=marek.id)
        elsewhere = m.AccessGroup(name="Sprzedaż Kraków", head_id=other.id)
        u.access_groups.add(team)
        u.access_groups.add(elsewhere)
        await u.flush()
        u.add(m.AccessGroupMember(group_id=team.id, user_id=w["sales"].id))
        u.add(m.AccessGroupMember(group_id=elsewhere.id, user_id=w["sales2"].id))
        await u.commit()
    case = await opened(uow, cfg, w)  # Ola's, of Marek's team

    view = await leasing.view(uow(), marek.id, case.deal_id)
    assert view.actors == {Actor.SALES}
    assert [c.deal_id for c in await leasing.mine(uow(), marek.id)] == [case.deal_id]
    for nobody in (other, w["sales2"]):  # another team's head, another salesperson
        with pytest.raises(Forbidden):
            await leasing.view(uow(), nobody.id, case.deal_id)
        assert await leasing.mine(uow(), nobody.id) == []
    cancelled = await leasing.cancel(uow(), marek.id, case.deal_id, "klient zrezygnował")
    assert cancelled.status == LeaseStatus.CANCELLED
