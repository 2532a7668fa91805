"""The scheduler's scan: every reminder and overdue alert exactly once, after downtime too, across processes;
quiet hours delay."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.db.kernel.engine import create_engine
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.roles import Role
from core.services.kernel import tasks, users
from tests.factories import person, units

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


async def scan(clock, uow, cfg, at: datetime, **kw) -> tasks.Scan:
    """The scheduler's tick at ``at``."""
    clock.set(at)
    return await tasks.scan_due(uow(), cfg, **kw)


async def digests(clock, uow, cfg, at: datetime) -> int:
    clock.set(at)
    return await tasks.scan_digests(uow(), cfg)


async def digest_at(clock, uow, user_id: int, at: datetime) -> tasks.Digest:
    clock.set(at)
    return await tasks.digest(uow(), user_id)


async def sent(factory, kind: str) -> list[m.Outbox]:
    async with factory() as s:
        return (await s.scalars(select(m.Outbox).where(m.Outbox.kind == kind).order_by(m.Outbox.id))).all()


async def test_each_reminder_and_alert_once(uow, factory, cfg, clock):
    admin, worker = await staff(uow, cfg)
    await add_tasks(factory, worker.id, [NOON - timedelta(minutes=5), NOON + timedelta(hours=2)])
    first = await scan(clock, uow, cfg, NOON)
    again = await scan(clock, uow, cfg, NOON)
    assert (first.reminders, first.overdue, again.reminders, again.overdue) == (1, 0, 0, 0)
    # two hours later the first is overdue (60 minutes past due) and the second falls due
    later = await scan(clock, uow, cfg, NOON + timedelta(hours=2))
    assert (later.reminders, later.overdue) == (1, 1)
    alerts = await sent(factory, "tasks_overdue")
    assert sorted(a.user_id for a in alerts) == sorted([worker.id, admin.id])  # the admin supervises by default
    assert [len(r.payload["task_ids"]) for r in await sent(factory, "tasks_due")] == [1, 1]


async def test_what_fell_due_during_downtime_goes_once_at_start(uow, factory, cfg, clock):
    _, worker = await staff(uow, cfg)
    await add_tasks(factory, worker.id, [NOON - timedelta(hours=h) for h in (1, 2, 3)])
    # the bot was down for three hours: the first scan after start sends all three, the next nothing
    assert (await scan(clock, uow, cfg, NOON)).reminders == 3
    assert (await scan(clock, uow, cfg, NOON + timedelta(seconds=30))).reminders == 0
    [reminder] = await sent(factory, "tasks_due")  # the three in one message
    assert (reminder.user_id, len(reminder.payload["task_ids"])) == (worker.id, 3)


async def test_quiet_hours_delay_to_the_morning(uow, factory, cfg, clock):
    _, worker = await staff(uow, cfg)
    night = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # 23:00 in Moscow
    await add_tasks(factory, worker.id, [night - timedelta(minutes=1)])
    await scan(clock, uow, cfg, night)
    [reminder] = await sent(factory, "tasks_due")
    assert reminder.not_before == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 09:00 in Moscow


async def test_an_overdue_alert_goes_to_the_supervisor_with_the_responsibles_name(uow, factory, cfg, clock):
    admin, worker = await staff(uow, cfg)
    chief = await users.set_role(uow(), admin.id, (await person(uow, cfg, 2002, "Руководитель")).id, Role.MANAGER,
                                 worker.company_id)
    await tasks.set_supervisor(uow(), admin.id, worker.id, chief.id)
    await add_tasks(factory, worker.id, [NOON - timedelta(hours=2)])
    assert (await scan(clock, uow, cfg, NOON)).overdue == 1
    alerts = await sent(factory, "tasks_overdue")
    assert sorted(a.user_id for a in alerts) == sorted([worker.id, chief.id])  # not the admin: Ольга has a chief
    async with uow() as u:  # the chief's message names whose task it is
        [line] = await tasks.listed(u, alerts[0].payload["task_ids"])
    assert line.responsible == "Ольга"


async def test_quiet_hours_are_each_recipients_own(uow, factory, cfg, clock):
    admin, worker = await staff(uow, cfg)
    async with factory() as s:  # the admin lives in Vladivostok (UTC+10): 02:00 there, quiet
        (await s.get(m.User, admin.id)).timezone = "Asia/Vladivostok"
        await s.commit()
    now = datetime(2026, 11, 23, 20, 0, tzinfo=UTC) - timedelta(hours=4)  # 19:00 in Moscow
    await add_tasks(factory, worker.id, [now - timedelta(hours=2)])
    await scan(clock, uow, cfg, now)
    when = {a.user_id: a.not_before for a in await sent(factory, "tasks_overdue")}
    assert when == {worker.id: now, admin.id: datetime(2026, 11, 23, 23, 0, tzinfo=UTC)}  # 09:00 in Vladivostok


async def test_two_processes_scanning_at_once_send_nothing_twice(db_url, engine, uow, factory, cfg, clock):
    _, worker = await staff(uow, cfg)
    await add_tasks(factory, worker.id, [NOON - timedelta(seconds=i) for i in range(300)])
    other = create_engine(db_url)  # a second process: its own pool of connections
    try:
        clock.set(NOON)
        other_uow = units(other, clock)
        scans = await asyncio.gather(*(tasks.scan_due(u(), cfg, limit=50) for u in [uow, other_uow] * 4))
        total = sum(s.reminders for s in scans)
        while (extra := await tasks.scan_due(uow(), cfg, limit=50)).reminders:
            total += extra.reminders
    finally:
        await other.dispose()
    task_ids = [i for row in await sent(factory, "tasks_due") for i in row.payload["task_ids"]]
    assert total == 300 and len(task_ids) == 300 and len(set(task_ids)) == 300


async def test_snooze_and_done(uow, factory, cfg, clock):
    _, worker = await staff(uow, cfg)
    task = await tasks.create(uow(), worker.id, "Позвонить", NOON - timedelta(minutes=1))
    await scan(clock, uow, cfg, NOON)
    with pytest.raises(InvalidInput):  # a new time in the past
        await tasks.snooze(uow(), worker.id, task.id, NOON - timedelta(minutes=1))
    await tasks.snooze(uow(), worker.id, task.id, NOON + timedelta(hours=1))
    assert (await tasks.get(uow(), task.id)).reminded_at is None
    await tasks.done(uow(), worker.id, task.id)
    assert (await scan(clock, uow, cfg, NOON + timedelta(days=1))).reminders == 0


async def test_the_morning_digest_once_a_day_with_the_teams_overdue(uow, factory, cfg, clock):
    from decimal import Decimal

    from core.services.kernel import directories
    from core.services.kernel.directories import Directory
    from core.services.leads import lifecycle as leads
    from core.services.leads.lifecycle import LeadInput

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
    assert await digests(clock, uow, cfg, early) == 0
    assert await digests(clock, uow, cfg, NOON) == 3  # the admin, the worker, the chief
    assert await digests(clock, uow, cfg, NOON + timedelta(hours=1)) == 0  # once a day
    d = await digest_at(clock, uow, worker.id, NOON)
    assert ([t.title for t in d.overdue], [t.title for t in d.today]) == (["Задача 0"], ["Задача 1"])
    assert [x.id for x in d.idle_leads] == [lead.id]
    team = await digest_at(clock, uow, chief.id, NOON)
    assert [(u.name, x.title) for u, x in team.team_overdue] == [("Ольга", "Задача 0")]
    assert await digests(clock, uow, cfg, NOON + timedelta(days=1)) == 3  # the next morning


async def test_snooze_presets(uow, cfg, clock):
    _, worker = await staff(uow, cfg)
    task = await tasks.create(uow(), worker.id, "Перезвонить", NOON)
    clock.set(NOON + timedelta(minutes=7))
    hour = await tasks.snooze_preset(uow(), worker.id, task.id, "hour")
    assert hour.due_at == NOON + timedelta(hours=1, minutes=7)
    tomorrow = await tasks.snooze_preset(uow(), worker.id, task.id, "tomorrow")
    assert tomorrow.due_at == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 10:00 in Moscow the next day
    # at 23:30 in Moscow on the last day of a month (20:30 UTC), "tomorrow" is the 1st in Moscow, not in UTC
    clock.set(datetime(2026, 11, 30, 20, 30, tzinfo=UTC))
    tomorrow = await tasks.snooze_preset(uow(), worker.id, task.id, "tomorrow")
    assert tomorrow.due_at == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    clock.set(datetime(2026, 11, 30, 21, 30, tzinfo=UTC))  # 00:30 on 1 December in Moscow: tomorrow is the 2nd
    tomorrow = await tasks.snooze_preset(uow(), worker.id, task.id, "tomorrow")
    assert tomorrow.due_at == datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
