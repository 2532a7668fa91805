"""Leads on a real database: one card per phone, duplicates, statuses and history, «Недозвон», auto-tasks,
the deal a contract makes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.deployment import LeadPipeline
from core.domain.kernel.errors import IllegalTransition
from core.domain.kernel.roles import Role
from core.domain.leads.lifecycle import (
    DuplicateLead,
    LeadStatus,
    MeetingNotYet,
    MeetingTimeRequired,
    NoAnswerTooEarly,
)
from core.services.kernel import deployment, directories, users
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.factories import law_firm, person
from tests.said import title


@pytest.fixture
async def office(uow, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    lawyer = await person(uow, cfg, 2001, "Юрист Ольга")
    lawyer = await users.set_role(uow(), admin.id, lawyer.id, Role.MANAGER,
                                  (await directories.add(uow(), admin.id, Directory.COMPANIES, "Фирма")).id)
    await law_firm(uow, admin.id)  # seed 004's law firm: its leads' contracts open its pipeline's deals
    return admin, source, lawyer


async def rows(factory, model, *where):
    async with factory() as s:
        return (await s.scalars(select(model).where(*where).order_by(model.id))).all()


async def test_one_card_per_phone_and_duplicates_point_to_the_original(uow, factory, cfg, office):
    admin, source, lawyer = office
    first = await leads.create(uow(), lawyer.id, LeadInput("8 900 111-22-33", "Пётр", source.id,
                                                           Decimal("450000"), "Казань"), cfg)
    again = await leads.create(uow(), admin.id, LeadInput("+79001112233", "Петя", source.id), cfg)
    assert first.status == LeadStatus.NEW and again.status == LeadStatus.DUPLICATE
    assert again.duplicate_of_id == first.id and again.contact_id == first.contact_id
    assert (first.given_name, again.given_name) == (None, "Петя")  # the name the second request gave, kept
    assert len(await rows(factory, m.Contact)) == 1
    notes = await rows(factory, m.LeadNote, m.LeadNote.lead_id == first.id)
    # a fact, not a sentence: the bot says it in the reader's language
    assert [(n.kind, n.params, n.text) for n in notes] == [("duplicate", {"lead_id": again.id, "source": source.name},
                                                            None)]
    told = await rows(factory, m.Outbox, m.Outbox.kind == "lead_duplicate")
    assert [(o.user_id, o.payload) for o in told] == [(lawyer.id, {"lead_id": first.id, "duplicate_id": again.id})]
    with pytest.raises(DuplicateLead):
        await leads.set_status(uow(), admin.id, again.id, LeadStatus.CALLING, cfg)
    # a person sharing that phone is bound to the same card
    client = await person(uow, cfg, 5001, "Пётр")
    contact = await leads.bind_telegram_user(uow(), client.id, "+7 900 111 22 33", cfg)
    assert contact.id == first.contact_id and contact.user_id == client.id


async def test_statuses_history_tasks_and_the_contract(uow, factory, cfg, office, clock):
    _, source, lawyer = office
    lead = await leads.create(uow(), lawyer.id, LeadInput("+79005556677", "Анна", source.id), cfg)
    tasks = await rows(factory, m.Task, m.Task.lead_id == lead.id)
    assert [(title(t), t.status) for t in tasks] == [("Связаться с клиентом", "open")]

    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.CALLING, cfg)
    tasks = await rows(factory, m.Task, m.Task.lead_id == lead.id)
    assert tasks[0].status == "cancelled"  # leaving «Новый» closes its auto-task
    calling = [t for t in tasks if t.auto_status == "calling"]
    assert len(calling) == 8 and {title(t) for t in calling} == {"Связаться с клиентом", "Написать в WhatsApp"}

    with pytest.raises(MeetingTimeRequired):
        await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.MEETING, cfg)
    meeting = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.MEETING, cfg, meeting_at=meeting)
    open_tasks = await rows(factory, m.Task, m.Task.lead_id == lead.id, m.Task.status == "open")
    assert [(title(t), t.due_at == meeting - timedelta(days=1)) for t in open_tasks] == [
        ("Отправить адрес", False), ("Подтвердить встречу", True)]
    with pytest.raises(IllegalTransition):
        await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.CONTRACT, cfg)
    with pytest.raises(MeetingNotYet) as early:  # the meeting is on the 1st: not held on the 23rd
        await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.VISITED, cfg)
    assert early.value.params == {"at": meeting}
    clock.set(meeting + timedelta(hours=1))
    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.VISITED, cfg)
    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.CONTRACT_PREPAID, cfg)

    history = await rows(factory, m.LeadStatusChange, m.LeadStatusChange.lead_id == lead.id)
    assert [(h.from_status, h.to_status) for h in history] == [
        (None, "new"), ("new", "calling"), ("calling", "meeting"), ("meeting", "visited"),
        ("visited", "contract_prepaid")]
    [deal] = await rows(factory, m.Deal)
    assert (deal.pipeline, deal.status.code, deal.kind, deal.lead_id, deal.contact_id, deal.source_id,
            deal.responsible_id) == ("law", "documents", "contract_prepaid", lead.id, lead.contact_id, source.id,
                                     lawyer.id)


async def test_no_answer_only_after_enough_attempts(uow, factory, cfg, office):
    _, source, lawyer = office
    lead = await leads.create(uow(), lawyer.id, LeadInput("+79007778899", "Иван", source.id), cfg)
    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.CALLING, cfg)
    assert await leads.log_attempt(uow(), lawyer.id, lead.id) == 1
    assert await leads.log_attempt(uow(), lawyer.id, lead.id) == 2
    with pytest.raises(NoAnswerTooEarly) as exc:
        await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.NO_ANSWER, cfg)
    assert (exc.value.params["done"], exc.value.params["required"]) == (2, 3)
    # the third attempt two days after the first
    await leads.log_attempt(uow(), lawyer.id, lead.id)
    async with factory() as s:
        attempts = (await s.scalars(select(m.CallAttempt).order_by(m.CallAttempt.id))).all()
        attempts[0].created_at -= timedelta(days=2, minutes=1)
        await s.commit()
    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.NO_ANSWER, cfg)
    assert not await rows(factory, m.Task, m.Task.lead_id == lead.id, m.Task.status == "open")


async def test_funnel_report_counts_what_each_lead_ever_reached(uow, factory, cfg, office, clock):
    from core.domain.leads.lifecycle import FunnelRow
    from core.services.leads import reports

    admin, site, lawyer = office
    radio = await directories.add(uow(), admin.id, Directory.SOURCES, "Радио")
    meeting = clock.now()  # booked for now, held: «Встреча состоялась» may follow

    async def lead(phone, source, *path):
        created = await leads.create(uow(), lawyer.id, LeadInput(phone, "Клиент", source.id), cfg)
        for status in path:
            await leads.set_status(uow(), lawyer.id, created.id, status, cfg,
                                   meeting_at=meeting if status == LeadStatus.MEETING else None)
        return created

    S = LeadStatus
    await lead("+79000000001", site, S.CALLING, S.MEETING)
    await lead("+79000000002", site, S.MEETING, S.VISITED, S.CONTRACT)
    await lead("+79000000003", site, S.NOT_LEFT)
    await lead("+79000000004", radio, S.MEETING, S.VISITED, S.CONTRACT_PREPAID)
    await lead("+79000000004", radio)  # a duplicate is a lead too, and reaches nothing
    start, end = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    assert await reports.funnel(uow(), admin.id, start, end) == [
        FunnelRow("Радио", 2, 1, 1, 1, 1), FunnelRow("Сайт", 3, 2, 1, 1, 0)]  # prepaid: a contract too
    assert await reports.funnel(uow(), admin.id, end, end) == []


async def test_an_admin_who_also_holds_the_manager_role_is_in_the_lead_rotation(uow, factory, cfg, office):
    """Марина is an admin and a manager too («🔑 Роли» → ➕ Менеджер): leads that arrive by themselves go round to
    her as to every manager; a plain admin stays out while managers work leads."""
    admin, source, lawyer = office
    marina = await person(uow, cfg, 2002, "Марина")
    await users.set_role(uow(), admin.id, marina.id, Role.ADMIN)
    await users.grant_role(uow(), admin.id, marina.id, Role.MANAGER)
    async with uow() as u:
        assert await u.leads.workload() == {lawyer.id: 0, marina.id: 0}
    first = await leads.create(uow(), None, LeadInput("+79000000011", "Клиент 1", source.id), cfg, arrived=True)
    second = await leads.create(uow(), None, LeadInput("+79000000012", "Клиент 2", source.id), cfg, arrived=True)
    assert {first.responsible_id, second.responsible_id} == {lawyer.id, marina.id}


async def test_a_sales_teams_contract_opens_a_deal_in_the_sales_pipeline(uow, factory, cfg, clock):
    """A deployment that kept the default: a lead's «Договор» opens a deal at «Новая» of the sales pipeline, and
    its junk has no «Маленькая сумма долга» (a law firm's leads keep it)."""
    admin = await person(uow, cfg, 1000, "Админ")
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    seller = await users.set_role(uow(), admin.id, (await person(uow, cfg, 2001, "Игорь")).id, Role.MANAGER)
    assert await deployment.lead_pipeline(uow()) == LeadPipeline.SALES
    small = await leads.create(uow(), seller.id, LeadInput("+79005550001", "Мелкий", source.id), cfg)
    with pytest.raises(IllegalTransition):
        await leads.set_status(uow(), seller.id, small.id, LeadStatus.SMALL_DEBT, cfg)
    await leads.set_status(uow(), seller.id, small.id, LeadStatus.NOT_LEFT, cfg)  # neutral junk stays

    lead = await leads.create(uow(), seller.id, LeadInput("+79005550002", "ООО Ромашка", source.id,
                                                          Decimal("190022")), cfg)
    await leads.set_status(uow(), seller.id, lead.id, LeadStatus.MEETING, cfg, meeting_at=clock.now())
    await leads.set_status(uow(), seller.id, lead.id, LeadStatus.VISITED, cfg)
    await leads.set_status(uow(), seller.id, lead.id, LeadStatus.CONTRACT, cfg)
    [deal] = await rows(factory, m.Deal)
    assert (deal.pipeline, deal.status.code, deal.status.name, deal.lead_id) == ("sales", "new", "Новая", lead.id)

    await deployment.set_lead_pipeline(uow(), admin.id, LeadPipeline.LAW)  # a law firm's junk has it
    other = await leads.create(uow(), seller.id, LeadInput("+79005550003", "Должник", source.id), cfg)
    await leads.set_status(uow(), seller.id, other.id, LeadStatus.SMALL_DEBT, cfg)
    assert [d.pipeline for d in await rows(factory, m.Deal)] == ["sales"]  # the deal made stays where it is


async def test_calling_plans_each_touch_once_and_a_second_press_or_a_return_doubles_nothing(uow, factory, cfg, office,
                                                                                            clock):
    """«Прозвон» on a lead: seed 004's «Связаться с клиентом» and «Написать в WhatsApp» with the touches' cadence,
    one task per touch (day 0, 1, 2, 4), the «Новый» task closed; a second press of the same status and a way back
    to «Прозвон» later never leave two open tasks of the same touch (what the lead card lists)."""
    from core.domain.kernel.errors import AlreadyDecided

    _, source, lawyer = office
    lead = await leads.create(uow(), lawyer.id, LeadInput("+79001234567", "Пётр", source.id), cfg)
    await leads.log_attempt(uow(), lawyer.id, lead.id)
    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.CALLING, cfg)

    async def open_touches():
        tasks = await rows(factory, m.Task, m.Task.lead_id == lead.id, m.Task.status == "open")
        return sorted((t.code, (t.due_at.replace(tzinfo=UTC) - now).days) for t in tasks)

    now = clock.now()
    expected = sorted((code, day) for code in ("contact_client", "write_whatsapp")
                      for day in (0, *cfg.calling_cadence_days))
    assert cfg.calling_cadence_days == (1, 2, 4)
    assert await open_touches() == expected
    with pytest.raises(AlreadyDecided):  # the same button again (a double press): nothing more
        await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.CALLING, cfg)
    assert await open_touches() == expected
    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.MEETING, cfg, meeting_at=now + timedelta(days=3))
    await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.CALLING, cfg)  # the meeting fell through
    assert await open_touches() == expected
    assert len(await rows(factory, m.Task, m.Task.lead_id == lead.id)) == 1 + 8 + 2 + 8  # the closed ones kept


async def test_a_meeting_is_booked_for_a_time_to_come(uow, factory, cfg, office, clock):
    """«12/10/2026» typed in December is October, gone: refused, nothing written; a meeting starting within the hour
    is still booked (typed a few minutes late)."""
    from core.domain.leads.lifecycle import MeetingPassed

    _admin, site, lawyer = office
    lead = await leads.create(uow(), lawyer.id, LeadInput("+79000000031", "Клиент", site.id), cfg)
    gone = clock.now() - timedelta(days=42)
    with pytest.raises(MeetingPassed) as refused:
        await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.MEETING, cfg, meeting_at=gone)
    assert refused.value.params == {"at": gone}
    async with factory() as s:
        assert (await s.get(m.Lead, lead.id)).status == LeadStatus.NEW
    moved = await leads.set_status(uow(), lawyer.id, lead.id, LeadStatus.MEETING, cfg,
                                   meeting_at=clock.now() - timedelta(minutes=10))
    assert moved.status == LeadStatus.MEETING

