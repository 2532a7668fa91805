"""The organisation (issue 27) on a real database: staff join the operator's team by invite, a partner's manager
joins the partner company; a person holds several roles (granted and taken back, audited, told); teams nest; "the
head" of a person is their supervisor, else the head of their team, up the nesting, else the admins — for the
overdue task alerts, the morning digest's team list and the stage-2 «ПРОСРОЧЕН СРОК» reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.deployment import Area
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.roles import Role
from core.services.campaigns import stages
from core.services.kernel import deployment, tasks, teams, users
from tests.factories import person
from tests.services.campaigns.test_stages import cold_deal


async def team(factory, name: str, head_id: int | None = None, parent_id: int | None = None,
               members: tuple[int, ...] = ()) -> int:
    async with factory() as s:
        group = m.AccessGroup(name=name, head_id=head_id, parent_id=parent_id)
        s.add(group)
        await s.flush()
        s.add_all(m.AccessGroupMember(group_id=group.id, user_id=u) for u in members)
        await s.commit()
        return group.id


async def outbox(factory, kind: str) -> list[m.Outbox]:
    async with factory() as s:
        return list((await s.scalars(select(m.Outbox).where(m.Outbox.kind == kind).order_by(m.Outbox.id))).all())


async def audit(factory, action: str) -> list[tuple]:
    async with factory() as s:
        rows = (await s.scalars(select(m.AuditLog).where(m.AuditLog.action == action).order_by(m.AuditLog.id))).all()
        return [(r.entity_id, r.actor_id, r.to_status) for r in rows]


async def test_staff_join_the_operators_team_by_invite_and_a_partners_manager_the_company(uow, factory, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    north = await team(factory, "Север")
    async with factory() as s:
        partner = m.Company(name="Альфа-Лизинг")
        s.add(partner)
        await s.commit()
    invite = await users.create_invite(uow(), admin.id, Role.SALES, None, cfg, north)
    ola = await person(uow, cfg, 2001, "Ola")
    joined = await users.accept_invite(uow(), ola.id, invite.token)
    assert (joined.role, joined.company_id) == (Role.SALES, None)
    assert [g.name for g in await teams.of_person(uow(), ola.id)] == ["Север"]
    [told] = await outbox(factory, "invite_accepted")
    assert (told.user_id, told.payload) == (admin.id, {"name": "Ola", "role": "sales", "company": None,
                                                       "team": "Север"})
    # everything runs, so the marketplace too: a partner company's manager is invited to the company, no team
    partner_invite = await users.create_invite(uow(), admin.id, Role.MANAGER, partner.id, cfg)
    boris = await person(uow, cfg, 2002, "Борис")
    boris = await users.accept_invite(uow(), boris.id, partner_invite.token)
    assert (boris.role, boris.company_id, await teams.of_person(uow(), boris.id)) == (Role.MANAGER, partner.id, [])
    with pytest.raises(InvalidInput) as refused:  # a partner's manager is not in the operator's teams
        await users.create_invite(uow(), admin.id, Role.MANAGER, partner.id, cfg, north)
    assert refused.value.key == "team_partner"
    with pytest.raises(InvalidInput):  # an agent is an outside party: no team
        await users.create_invite(uow(), admin.id, Role.AGENT, None, cfg, north)
    with pytest.raises(InvalidInput):  # a back-office clerk is not a partner's manager
        await users.create_invite(uow(), admin.id, Role.BACK_OFFICE, partner.id, cfg)
    await deployment.set_areas(uow(), admin.id, frozenset({Area.LEASING}))
    with pytest.raises(InvalidInput):  # no marketplace, no partner companies
        await users.create_invite(uow(), admin.id, Role.MANAGER, partner.id, cfg)


async def test_a_person_holds_several_roles_granted_and_taken_back(uow, factory, cfg):
    """«🔑 Роли» → a person's card: ➕ gives one role more, ✅ takes one back (users.grant_role, users.remove_role)."""
    admin = await person(uow, cfg, 1000, "Админ")
    ola = await users.set_role(uow(), admin.id, (await person(uow, cfg, 2001, "Ola")).id, Role.SALES)
    change = await users.grant_role(uow(), admin.id, ola.id, Role.MANAGER)
    assert change.before == (Role.SALES,) and change.user.roles == {Role.SALES, Role.MANAGER}
    change = await users.grant_role(uow(), admin.id, ola.id, Role.COLLECTIONS)
    assert change.user.extra_roles == ["collections", "manager"]
    again = await users.grant_role(uow(), admin.id, ola.id, Role.COLLECTIONS)  # a second press: held already
    assert set(again.before) == again.user.roles == {Role.SALES, Role.MANAGER, Role.COLLECTIONS}
    change = await users.remove_role(uow(), admin.id, ola.id, Role.COLLECTIONS)
    assert change.user.roles == {Role.SALES, Role.MANAGER}
    async with factory() as s:  # the lead funnel's manager profile comes with the manager role
        assert await s.get(m.ManagerProfile, ola.id) is not None
    assert await audit(factory, "role_grant") == [(ola.id, admin.id, "manager"), (ola.id, admin.id, "collections")]
    assert await audit(factory, "role_remove") == [(ola.id, admin.id, "collections")]
    assert [(n.user_id, n.payload) for n in await outbox(factory, "role_changed")][-3:] == [
        (ola.id, {"role": "manager", "change": "granted"}), (ola.id, {"role": "collections", "change": "granted"}),
        (ola.id, {"role": "collections", "change": "removed"})]
    with pytest.raises(InvalidInput) as refused:  # «client» is never granted: it is what is left without roles
        await users.grant_role(uow(), admin.id, ola.id, Role.CLIENT)
    assert refused.value.key == "stale_button"
    with pytest.raises(Forbidden):
        await users.grant_role(uow(), ola.id, ola.id, Role.RISK)
    with pytest.raises(InvalidInput) as refused:
        await users.remove_role(uow(), admin.id, admin.id, Role.ADMIN)
    assert refused.value.key == "own_role"
    # a client given a staff role holds it alone; the first role taken back, the next one leads; the last one
    # taken back makes the person a client again
    client = await person(uow, cfg, 4001, "Иван")
    assert (await users.grant_role(uow(), admin.id, client.id, Role.MANAGER)).user.roles == {Role.MANAGER}
    change = await users.remove_role(uow(), admin.id, ola.id, Role.SALES)
    assert (change.user.role, change.user.extra_roles) == (Role.MANAGER, [])
    change = await users.remove_role(uow(), admin.id, ola.id, Role.MANAGER)
    assert change.user.roles == {Role.CLIENT}
    assert [n.payload for n in await outbox(factory, "role_changed")][-1] == {"role": "client", "change": None}


async def test_teams_nest_but_never_in_a_circle(uow, factory, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    sales = await team(factory, "Продажи")
    north = await team(factory, "Север")
    east = await team(factory, "Север-Восток", parent_id=north)
    assert (await teams.set_parent(uow(), admin.id, north, sales)).parent_id == sales
    for parent in (north, east):
        with pytest.raises(InvalidInput) as refused:
            await teams.set_parent(uow(), admin.id, north, parent)
        assert refused.value.key == "team_cycle"
    with pytest.raises(Forbidden):
        await teams.set_parent(uow(), (await person(uow, cfg, 2001, "Анна")).id, east, None)
    assert (await teams.set_parent(uow(), admin.id, north, None)).parent_id is None
    async with factory() as s:
        rows = (await s.scalars(select(m.AuditLog.comment).where(m.AuditLog.action == "parent"))).all()
    assert rows == ["Продажи", "—"]


async def _staff(uow, cfg, admin, tg: int, name: str) -> m.User:
    return await users.set_role(uow(), admin.id, (await person(uow, cfg, tg, name)).id, Role.MANAGER)


async def test_the_head_is_the_supervisor_else_the_teams_head_up_the_nesting_else_the_admins(uow, factory, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    boss, head, anna, solo = [await _staff(uow, cfg, admin, tg, name) for tg, name in (
        (2001, "Директор"), (2002, "Глава"), (2003, "Анна"), (2004, "Один"))]
    top = await team(factory, "Продажи", head_id=boss.id)
    await team(factory, "Север", head_id=head.id, parent_id=top, members=(anna.id,))
    async with uow() as u:
        heads = {who.name: await teams.head_id(u, await u.users.get(who.id)) for who in (anna, head, boss, solo)}
        told = {who.name: await teams.heads_or_admins(u, await u.users.get(who.id)) for who in (boss, solo)}
    # Анна's head heads her team; the team's head answers to the head of the team above; the top has none
    assert heads == {"Анна": head.id, "Глава": boss.id, "Директор": None, "Один": None}
    assert told == {"Директор": [admin.id], "Один": [admin.id]}
    await tasks.set_supervisor(uow(), admin.id, anna.id, solo.id)  # an explicit supervisor still wins
    async with uow() as u:
        assert await teams.head_id(u, await u.users.get(anna.id)) == solo.id


async def test_overdue_tasks_and_the_digest_reach_the_teams_head(uow, factory, cfg, clock):
    admin = await person(uow, cfg, 1000, "Админ")
    head = await _staff(uow, cfg, admin, 2002, "Глава")
    anna = await _staff(uow, cfg, admin, 2003, "Анна")
    await team(factory, "Север", head_id=head.id, members=(anna.id,))
    now = clock.now()
    async with factory() as s:
        s.add_all([m.Task(title="Позвонить", responsible_id=anna.id, due_at=now + timedelta(minutes=5)),
                   m.Task(title="Отчёт", responsible_id=head.id, due_at=now + timedelta(minutes=5))])
        await s.commit()
    clock.advance(timedelta(hours=3))
    assert (await tasks.scan_due(uow(), cfg)).overdue == 2
    alerts = sorted((a.user_id, len(a.payload["task_ids"])) for a in await outbox(factory, "tasks_overdue"))
    # Анна's alert goes to her and her team's head; the head has no head: the admin is told of theirs
    assert alerts == sorted([(anna.id, 1), (head.id, 2), (admin.id, 1)])
    digest = await tasks.digest(uow(), head.id)
    assert [(u.name, t.title) for u, t in digest.team_overdue] == [("Анна", "Позвонить")]


async def test_the_stage_2_reminder_reaches_the_executors_team_head(uow, factory, cfg, clock):
    admin = await person(uow, cfg, 1000, "Админ")
    head = await _staff(uow, cfg, admin, 2002, "Глава")
    anna = await _staff(uow, cfg, admin, 2003, "Анна")
    north = await team(factory, "Север", members=(anna.id,))
    await team(factory, "Юг-Север", head_id=head.id)
    await teams.set_parent(uow(), admin.id, north, (await _team_id(factory, "Юг-Север")))
    deal = await cold_deal(uow, anna)
    async with uow() as u:
        await stages.enter(u, await u.deals.get(deal.id), "qualify", anna.id)
        await u.commit()
    clock.advance(timedelta(days=1))
    assert await stages.scan_deadlines(uow(), cfg) == 1
    reminded = await outbox(factory, "stage_overdue")  # «Север» has no head: the head of the team it is in
    assert [(n.user_id, n.payload["executor"], n.payload["stage"]) for n in reminded] == [
        (head.id, "Анна", "Квалифицировать клиента")]


async def _team_id(factory, name: str) -> int:
    async with factory() as s:
        return await s.scalar(select(m.AccessGroup.id).where(m.AccessGroup.name == name))
