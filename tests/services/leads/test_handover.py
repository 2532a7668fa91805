"""A lead or a deal taken from one person and given to another (walkthrough point 15): the new one is told, and so is
the one it was taken from — what left them and where it went — unless they gave it away themselves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.roles import Role
from core.domain.leads.lifecycle import LeadStatus
from core.services.deals import workspace
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.factories import person


async def told(factory, *kinds) -> list[tuple[int, str, dict]]:
    async with factory() as s:
        rows = (await s.scalars(select(m.Outbox).where(m.Outbox.kind.in_(kinds)).order_by(m.Outbox.id))).all()
        return [(o.user_id, o.kind, o.payload) for o in rows]


async def office(uow, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    firm = await directories.add(uow(), admin.id, Directory.COMPANIES, "Фирма")
    olga = await users.set_role(uow(), admin.id, (await person(uow, cfg, 2001, "Ольга")).id, Role.MANAGER, firm.id)
    anton = await users.set_role(uow(), admin.id, (await person(uow, cfg, 2002, "Антон")).id, Role.MANAGER, firm.id)
    return admin, source, olga, anton


async def test_a_lead_given_away_by_the_admin_tells_the_one_it_was_taken_from(uow, factory, cfg):
    admin, source, olga, anton = await office(uow, cfg)
    lead = await leads.create(uow(), olga.id, LeadInput("+79001112233", "Пётр", source.id), cfg)
    await leads.set_responsible(uow(), admin.id, lead.id, anton.id)
    assert await told(factory, "lead_assigned", "lead_handed_over") == [
        (anton.id, "lead_assigned", {"lead_id": lead.id}),
        (olga.id, "lead_handed_over", {"lead_id": lead.id, "name": "Пётр", "to": "Антон"})]
    async with factory() as s:
        [task] = (await s.scalars(select(m.Task).where(m.Task.lead_id == lead.id, m.Task.status == "open"))).all()
        assert task.responsible_id == anton.id  # its task went with it
    # the responsible giving it on themselves: the new one is told, nobody is told of their own act
    await leads.set_responsible(uow(), anton.id, lead.id, olga.id)
    assert [(u, k) for u, k, _ in await told(factory, "lead_assigned", "lead_handed_over")][2:] == [
        (olga.id, "lead_assigned")]


async def test_a_deal_given_to_another_tells_the_one_it_was_taken_from(uow, factory, cfg, clock):
    admin, source, olga, anton = await office(uow, cfg)
    lead = await leads.create(uow(), olga.id, LeadInput("+79001112233", "Пётр", source.id), cfg)
    await leads.set_status(uow(), olga.id, lead.id, LeadStatus.CALLING, cfg)
    meeting = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    await leads.set_status(uow(), olga.id, lead.id, LeadStatus.MEETING, cfg, meeting_at=meeting)
    clock.set(meeting + timedelta(hours=1))
    await leads.set_status(uow(), olga.id, lead.id, LeadStatus.VISITED, cfg)
    await leads.set_status(uow(), olga.id, lead.id, LeadStatus.CONTRACT_PREPAID, cfg)
    async with factory() as s:
        deal = await s.scalar(select(m.Deal))
    await workspace.set_responsible(uow(), admin.id, deal.id, anton.id)
    assert await told(factory, "deal_assigned", "deal_handed_over") == [
        (anton.id, "deal_assigned", {"deal_id": deal.id, "name": deal.name, "task_id": None}),
        (olga.id, "deal_handed_over", {"deal_id": deal.id, "name": deal.name, "to": "Антон", "group": None,
                                       "kept": False})]
