"""Tasks and the scheduler's scan: reminders when a task falls due, alerts when it is overdue, each exactly once.

A task row is marked (reminded_at, overdue_alerted_at) in the same transaction that queues its message, so a
second scan, a second process or a restart after downtime never sends it again; what fell due while the bot
was down goes out at the first scan after start. Quiet hours delay a message to the morning, never drop it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import or_, select

from core.db import models as m
from core.db.types import utcnow
from core.db.uow import UnitOfWork
from core.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.domain.inputs import clean_text
from core.domain.roles import Role
from core.domain.schedule import QuietHours, send_at
from core.services.config import CoreConfig


def quiet_hours(cfg: CoreConfig) -> QuietHours:
    return QuietHours(time.fromisoformat(cfg.quiet_start), time.fromisoformat(cfg.quiet_end))


@dataclass(frozen=True)
class Scan:
    reminders: int
    overdue: int


def _due(stmt, session, limit: int):
    stmt = stmt.order_by(m.Task.due_at, m.Task.id).limit(limit)
    if session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return stmt


async def scan_due(uow: UnitOfWork, cfg: CoreConfig, now: datetime | None = None, limit: int = 500) -> Scan:
    now = now or utcnow()
    quiet = quiet_hours(cfg)
    async with uow:
        s = uow.session
        reminders = (await s.scalars(_due(select(m.Task).where(
            m.Task.status == "open", m.Task.reminded_at.is_(None), m.Task.due_at <= now), s, limit))).all()
        overdue = (await s.scalars(_due(select(m.Task).where(
            m.Task.status == "open", m.Task.overdue_alerted_at.is_(None),
            m.Task.due_at <= now - timedelta(minutes=cfg.overdue_after_minutes)), s, limit))).all()
        people = await uow.users.get_many({t.responsible_id for t in [*reminders, *overdue]})
        admins = list(await uow.users.with_role(Role.ADMIN)) if overdue else []
        people |= await uow.users.get_many({p.supervisor_id for p in people.values() if p.supervisor_id} - set(people))
        people |= {a.id: a for a in admins}
        for task in reminders:
            task.reminded_at = now
            who = people[task.responsible_id]
            uow.outbox.notify(who.id, "task_reminder", not_before=send_at(now, who.timezone, quiet), task_id=task.id)
        for task in overdue:
            task.overdue_alerted_at = now
            who = people[task.responsible_id]
            supervisors = [who.supervisor_id] if who.supervisor_id else [a.id for a in admins if a.id != who.id]
            for user_id in [who.id, *supervisors]:
                uow.outbox.notify(user_id, "task_overdue", not_before=send_at(now, people[user_id].timezone, quiet),
                                  task_id=task.id, responsible=who.name)
        if reminders or overdue:
            await uow.commit()
        return Scan(len(reminders), len(overdue))


async def create(uow: UnitOfWork, actor_id: int, title: str, due_at: datetime, *, responsible_id: int | None = None,
                 lead_id: int | None = None, deal_id: int | None = None) -> m.Task:
    title = clean_text(title, max_len=256)
    async with uow:
        actor = await uow.users.get(actor_id)
        if actor is None or actor.role not in (Role.ADMIN, Role.MANAGER):
            raise Forbidden()
        task = m.Task(title=title, due_at=due_at, responsible_id=responsible_id or actor.id, lead_id=lead_id,
                      deal_id=deal_id)
        uow.session.add(task)
        await uow.commit()
        return task


async def _mine(uow: UnitOfWork, actor_id: int, task_id: int) -> m.Task:
    task = await uow.session.get(m.Task, task_id)
    if task is None:
        raise NotFound()
    actor = await uow.users.get(actor_id)
    if task.responsible_id != actor_id and actor.role != Role.ADMIN:
        raise Forbidden()
    if task.status != "open":
        raise Conflict("task_closed")
    return task


async def done(uow: UnitOfWork, actor_id: int, task_id: int) -> m.Task:
    async with uow:
        task = await _mine(uow, actor_id, task_id)
        task.status, task.done_at = "done", utcnow()
        await uow.commit()
        return task


async def snooze(uow: UnitOfWork, actor_id: int, task_id: int, until: datetime) -> m.Task:
    """A new due time: the reminder and the overdue alert are due again then."""
    if until <= utcnow():
        raise InvalidInput("snooze_past")
    async with uow:
        task = await _mine(uow, actor_id, task_id)
        task.due_at, task.reminded_at, task.overdue_alerted_at = until, None, None
        await uow.commit()
        return task


async def reassign(uow: UnitOfWork, actor_id: int, task_id: int, to_user_id: int) -> m.Task:
    async with uow:
        task = await _mine(uow, actor_id, task_id)
        target = await uow.users.get(to_user_id)
        if target is None or target.role not in (Role.ADMIN, Role.MANAGER):
            raise InvalidInput("not_staff")
        task.responsible_id, task.reminded_at, task.overdue_alerted_at = target.id, None, None
        uow.outbox.notify(target.id, "task_assigned", task_id=task.id)
        await uow.commit()
        return task


async def today(uow: UnitOfWork, user_id: int, now: datetime | None = None) -> list[m.Task]:
    """«Мои задачи»: open tasks due by the end of today in the person's timezone, overdue ones first."""
    from zoneinfo import ZoneInfo

    now = now or utcnow()
    async with uow:
        user = await uow.users.get(user_id)
        local = now.astimezone(ZoneInfo(user.timezone))
        end_of_day = (local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1))
        stmt = (select(m.Task).where(m.Task.responsible_id == user_id, m.Task.status == "open",
                                     or_(m.Task.due_at < end_of_day, m.Task.due_at <= now))
                .order_by(m.Task.due_at, m.Task.id))
        return list((await uow.session.scalars(stmt)).all())


async def get(uow: UnitOfWork, task_id: int) -> m.Task | None:
    async with uow:
        return await uow.session.get(m.Task, task_id)
