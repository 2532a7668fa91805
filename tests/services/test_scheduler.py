"""The scheduler's scan: every reminder and overdue alert exactly once, after downtime too, across processes;
quiet hours delay."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from core.db import models as m
from core.db.engine import create_engine, session_factory
from core.db.uow import UnitOfWork
from core.domain.roles import Role
from core.services import tasks, users
from tests.factories import person

NOON = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 12:00 in Moscow


async def staff(uow, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    worker = await person(uow, cfg, 2001, "Ольга")
    company = m.Company(name="Фирма")
    async with uow() as u:
        u.session.add(company)
        await u.commit()
    worker = await users.set_role(uow(), admin.id, worker.id, Role.MANAGER, company.id)
    return admin, worker


async def add_tasks(factory, responsible_id: int, dues: list[datetime]) -> None:
    async with factory() as s:
        s.add_all(m.Task(title=f"Задача {i}", responsible_id=responsible_id, due_at=d) for i, d in enumerate(dues))
        await s.commit()


async def sent(factory, kind: str) -> list[m.Outbox]:
    async with factory() as s:
        return (await s.scalars(select(m.Outbox).where(m.Outbox.kind == kind).order_by(m.Outbox.id))).all()


async def test_each_reminder_and_alert_once(uow, factory, cfg):
    admin, worker = await staff(uow, cfg)
    await add_tasks(factory, worker.id, [NOON - timedelta(minutes=5), NOON + timedelta(hours=2)])
    first = await tasks.scan_due(uow(), cfg, NOON)
    again = await tasks.scan_due(uow(), cfg, NOON)
    assert (first.reminders, first.overdue, again.reminders, again.overdue) == (1, 0, 0, 0)
    # two hours later the first is overdue (60 minutes past due) and the second falls due
    later = await tasks.scan_due(uow(), cfg, NOON + timedelta(hours=2))
    assert (later.reminders, later.overdue) == (1, 1)
    alerts = await sent(factory, "task_overdue")
    assert sorted(a.user_id for a in alerts) == sorted([worker.id, admin.id])  # the admin supervises by default
    assert len(await sent(factory, "task_reminder")) == 2


async def test_what_fell_due_during_downtime_goes_once_at_start(uow, factory, cfg):
    _, worker = await staff(uow, cfg)
    await add_tasks(factory, worker.id, [NOON - timedelta(hours=h) for h in (1, 2, 3)])
    # the bot was down for three hours: the first scan after start sends all three, the next nothing
    assert (await tasks.scan_due(uow(), cfg, NOON)).reminders == 3
    assert (await tasks.scan_due(uow(), cfg, NOON + timedelta(seconds=30))).reminders == 0


async def test_quiet_hours_delay_to_the_morning(uow, factory, cfg):
    _, worker = await staff(uow, cfg)
    night = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
    await add_tasks(factory, worker.id, [night - timedelta(minutes=1)])
    await tasks.scan_due(uow(), cfg, night)
    [reminder] = await sent(factory, "task_reminder")
    assert reminder.not_before == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 09:00 in Moscow


async def test_an_overdue_alert_goes_to_the_supervisor_with_the_responsibles_name(uow, factory, cfg):
    admin, worker = await staff(uow, cfg)
    chief = await users.set_role(uow(), admin.id, (await person(uow, cfg, 2002, "Руководитель")).id, Role.MANAGER,
                                 worker.company_id)
    await tasks.set_supervisor(uow(), admin.id, worker.id, chief.id)
    await add_tasks(factory, worker.id, [NOON - timedelta(hours=2)])
    assert (await tasks.scan_due(uow(), cfg, NOON)).overdue == 1
    alerts = await sent(factory, "task_overdue")
    assert sorted(a.user_id for a in alerts) == sorted([worker.id, chief.id])  # not the admin: Ольга has a chief
    assert {a.payload["responsible"] for a in alerts} == {"Ольга"}


async def test_quiet_hours_are_each_recipients_own(uow, factory, cfg):
    admin, worker = await staff(uow, cfg)
    async with factory() as s:  # the admin lives in Vladivostok (UTC+10): 02:00 there, quiet
        (await s.get(m.User, admin.id)).timezone = "Asia/Vladivostok"
        await s.commit()
    now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC) - timedelta(hours=4)  # 19:00 in Moscow
    await add_tasks(factory, worker.id, [now - timedelta(hours=2)])
    await tasks.scan_due(uow(), cfg, now)
    when = {a.user_id: a.not_before for a in await sent(factory, "task_overdue")}
    assert when == {worker.id: now, admin.id: datetime(2026, 11, 23, 23, 0, tzinfo=UTC)}  # 09:00 in Vladivostok


async def test_two_processes_scanning_at_once_send_nothing_twice(db_url, engine, uow, factory, cfg):
    _, worker = await staff(uow, cfg)
    await add_tasks(factory, worker.id, [NOON - timedelta(seconds=i) for i in range(300)])
    other = create_engine(db_url)  # a second process: its own pool of connections
    try:
        other_uow = lambda: UnitOfWork(session_factory(other))  # noqa: E731
        scans = await asyncio.gather(*(tasks.scan_due(u(), cfg, NOON, limit=50)
                                       for u in [uow, other_uow] * 4))
        total = sum(s.reminders for s in scans)
        while (extra := await tasks.scan_due(uow(), cfg, NOON, limit=50)).reminders:
            total += extra.reminders
    finally:
        await other.dispose()
    task_ids = [row.payload["task_id"] for row in await sent(factory, "task_reminder")]
    assert total == 300 and len(task_ids) == 300 and len(set(task_ids)) == 300


async def test_snooze_and_done(uow, factory, cfg):
    _, worker = await staff(uow, cfg)
    task = await tasks.create(uow(), worker.id, "Позвонить", NOON - timedelta(minutes=1))
    await tasks.scan_due(uow(), cfg, NOON)
    await tasks.snooze(uow(), worker.id, task.id, datetime.now(UTC) + timedelta(hours=1))
    assert (await tasks.get(uow(), task.id)).reminded_at is None
    await tasks.done(uow(), worker.id, task.id)
    assert (await tasks.scan_due(uow(), cfg, datetime.now(UTC) + timedelta(days=1))).reminders == 0


async def test_the_morning_digest_once_a_day_with_the_teams_overdue(uow, factory, cfg):
    from decimal import Decimal

    from core.services import directories, leads
    from core.services.directories import Directory
    from core.services.leads import LeadInput

    admin, worker = await staff(uow, cfg)
    chief = await person(uow, cfg, 2002, "Руководитель")
    chief = await users.set_role(uow(), admin.id, chief.id, Role.MANAGER, worker.company_id)
    await tasks.set_supervisor(uow(), admin.id, worker.id, chief.id)
    await add_tasks(factory, worker.id, [NOON - timedelta(hours=2), NOON + timedelta(hours=3)])
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    lead = await leads.create(uow(), worker.id, LeadInput("+79001112233", "Пётр", source.id, Decimal(1)), cfg)
    async with factory() as s:  # its auto-task is done: the lead is left with no open task
        for task in (await s.scalars(select(m.Task).where(m.Task.lead_id == lead.id))).all():
            task.status = "done"
        await s.commit()

    early = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 07:00 in Moscow: not yet
    assert await tasks.scan_digests(uow(), cfg, early) == 0
    assert await tasks.scan_digests(uow(), cfg, NOON) == 3  # the admin, the worker, the chief
    assert await tasks.scan_digests(uow(), cfg, NOON + timedelta(hours=1)) == 0  # once a day
    d = await tasks.digest(uow(), worker.id, NOON)
    assert ([t.title for t in d.overdue], [t.title for t in d.today]) == (["Задача 0"], ["Задача 1"])
    assert [x.id for x in d.idle_leads] == [lead.id]
    team = await tasks.digest(uow(), chief.id, NOON)
    assert [(u.name, x.title) for u, x in team.team_overdue] == [("Ольга", "Задача 0")]
    assert await tasks.scan_digests(uow(), cfg, NOON + timedelta(days=1)) == 3  # the next morning


async def test_snooze_presets(uow, cfg):
    from zoneinfo import ZoneInfo

    _, worker = await staff(uow, cfg)
    task = await tasks.create(uow(), worker.id, "Перезвонить", NOON)
    before = datetime.now(UTC)
    hour = await tasks.snooze_preset(uow(), worker.id, task.id, "hour")
    assert timedelta(minutes=59) < hour.due_at - before < timedelta(minutes=61)
    tomorrow = await tasks.snooze_preset(uow(), worker.id, task.id, "tomorrow")
    local = tomorrow.due_at.astimezone(ZoneInfo("Europe/Moscow"))
    assert (local.hour, local.minute, local.date()) == (
        10, 0, (datetime.now(ZoneInfo("Europe/Moscow")) + timedelta(days=1)).date())
