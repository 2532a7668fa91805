"""Heads up the chain of teams and every role a person holds (issue 27), on a real database: the overdue task alert
and the digest's team list reach the nearest head up the nesting, however deep (the same head the rules name); the
morning digest, the funnel report and the campaigns count the roles granted besides the first, and a team's head
runs campaigns whatever their role, over the campaigns of the teams below."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db.kernel import models as m
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.roles import Role
from core.services.campaigns import campaign as campaigns
from core.services.kernel import tasks, teams, users
from core.services.leads import reports
from tests.factories import person
from tests.services.kernel.test_people import outbox, team


async def staff(uow, cfg, admin, tg: int, name: str, role: Role = Role.MANAGER) -> m.User:
    return await users.set_role(uow(), admin.id, (await person(uow, cfg, tg, name)).id, role)


async def test_the_overdue_alert_climbs_to_the_nearest_head_up_the_chain(uow, factory, cfg, clock):
    """«Продажи» (its head Борис) ⊃ «Север» (no head) ⊃ «Север-Восток» (its head Вера, Анна in it) and «Тундра»
    (no head, Глеб in it): Анна's head is Вера; Вера's and Глеб's, up the chain past teams with none, Борис."""
    admin = await person(uow, cfg, 1000, "Админ")
    boris, vera, anna, gleb = [await staff(uow, cfg, admin, tg, name) for tg, name in (
        (2001, "Борис"), (2002, "Вера"), (2003, "Анна"), (2004, "Глеб"))]
    top = await team(factory, "Продажи", head_id=boris.id)
    north = await team(factory, "Север", parent_id=top)
    await team(factory, "Север-Восток", head_id=vera.id, parent_id=north, members=(anna.id,))
    await team(factory, "Тундра", parent_id=north, members=(gleb.id,))
    now = clock.now()
    async with factory() as s:
        s.add_all(m.Task(title=f"Звонок {u.name}", responsible_id=u.id, due_at=now + timedelta(minutes=5))
                  for u in (anna, vera, gleb, boris))
        await s.commit()
    clock.advance(timedelta(hours=3))
    assert (await tasks.scan_due(uow(), cfg)).overdue == 4
    alerts = sorted((a.user_id, sorted(a.payload["task_ids"])) for a in await outbox(factory, "tasks_overdue"))
    async with factory() as s:
        ids = {r.responsible_id: r.id for r in (await s.execute(m.Task.__table__.select())).all()}
    # each their own; Вера of Анна's; Борис of Вера's and Глеб's (up the chain); Борис has none: the admin
    assert alerts == sorted([(anna.id, [ids[anna.id]]), (vera.id, sorted([ids[vera.id], ids[anna.id]])),
                             (gleb.id, [ids[gleb.id]]), (boris.id, sorted([ids[boris.id], ids[vera.id], ids[gleb.id]])),
                             (admin.id, [ids[boris.id]])])
    digest = await tasks.digest(uow(), boris.id)
    assert sorted(u.name for u, _ in digest.team_overdue) == ["Вера", "Глеб"]
    # the SQL names the head the rules name
    async with uow() as u:
        assert [await teams.head_id(u, await u.users.get(x.id)) for x in (anna, vera, gleb, boris)] == [
            vera.id, boris.id, boris.id, None]


async def test_roles_granted_besides_count_for_the_digest_and_the_report(uow, factory, cfg, clock):
    admin = await person(uow, cfg, 1000, "Админ")
    seller = await staff(uow, cfg, admin, 2001, "Сприт", Role.SALES)  # Sprzedaż, granted «manager» besides
    await users.grant_role(uow(), admin.id, seller.id, Role.MANAGER)
    plain = await staff(uow, cfg, admin, 2002, "Ryzyko", Role.RISK)
    clock.advance(timedelta(days=1))  # the morning of the next day everywhere
    await tasks.scan_digests(uow(), cfg)
    told = {n.user_id for n in await outbox(factory, "digest")}
    assert seller.id in told and admin.id in told and plain.id not in told
    start, end = clock.now() - timedelta(days=30), clock.now()
    assert await reports.funnel(uow(), seller.id, start, end) == []
    with pytest.raises(Forbidden):
        await reports.funnel(uow(), plain.id, start, end)


async def test_a_teams_head_runs_campaigns_whatever_their_role_over_the_teams_below(uow, factory, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    boss = await staff(uow, cfg, admin, 2001, "Директор", Role.SALES)
    head = await staff(uow, cfg, admin, 2002, "Глава")
    member = await staff(uow, cfg, admin, 2003, "Анна")
    top = await team(factory, "Продажи", head_id=boss.id)
    await team(factory, "Север", head_id=head.id, parent_id=top, members=(member.id,))
    assert [await campaigns.may_run(uow(), x.id) for x in (boss, head, member, admin)] == [True, True, False, True]
    below = await campaigns.create(uow(), head.id, "Север: декабрь")
    above = await campaigns.create(uow(), boss.id, "Все: декабрь")
    await campaigns.editable(uow(), boss.id, below.id)  # the head of the team above changes it
    await campaigns.editable(uow(), admin.id, above.id)
    with pytest.raises(Forbidden):
        await campaigns.editable(uow(), head.id, above.id)
    with pytest.raises(Forbidden):
        await campaigns.create(uow(), member.id, "Нельзя")
    assert [c.id for c in await campaigns.mine(uow(), boss.id)] == [above.id, below.id]
    assert [c.id for c in await campaigns.mine(uow(), head.id)] == [below.id]
