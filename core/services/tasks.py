"""Tasks and the scheduler's scan: reminders when a task falls due, alerts when it is overdue, each exactly once.

A task row is marked (reminded_at, overdue_alerted_at) in the same transaction that queues its message, so a
second scan, a second process or a restart after downtime never sends it again; what fell due while the bot
was down goes out at the first scan after start. Quiet hours delay a message to the morning, never drop it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import and_, case, func, insert, literal, or_, select, update
from sqlalchemy.orm import aliased

from core.db import models as m
from core.db.uow import UnitOfWork
from core.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.domain.inputs import clean_text
from core.domain.notices import Notice
from core.domain.roles import STAFF, Role
from core.domain.schedule import QuietHours, send_at
from core.domain.tasks import OutboxStatus, TaskStatus
from core.services import workspace
from core.services.config import CoreConfig


def quiet_hours(cfg: CoreConfig) -> QuietHours:
    return QuietHours(time.fromisoformat(cfg.quiet_start), time.fromisoformat(cfg.quiet_end))


@dataclass(frozen=True)
class Scan:
    reminders: int
    overdue: int


async def scan_due(uow: UnitOfWork, cfg: CoreConfig, limit: int = 500) -> Scan:
    """One tick: queue what fell due and mark it, inside the database — no task row travels to Python.

    Reminders go to the responsible; an overdue alert to the responsible and to their supervisor (to every other
    admin when they have none). A message waits out the quiet hours of its recipient's timezone."""
    now = uow.clock.now()
    async with uow:
        s = uow.session
        quiet = quiet_hours(cfg)
        zones = (await s.scalars(select(m.User.timezone).distinct())).all()
        later = {zone: when for zone in zones if (when := send_at(now, zone, quiet)) != now}
        reminders = await _queue(s, now, limit, later, m.Task.reminded_at, Notice.TASK_REMINDER, overdue=False)
        alerts = await _queue(s, now - timedelta(minutes=cfg.overdue_after_minutes), limit, later,
                              m.Task.overdue_alerted_at, Notice.TASK_OVERDUE, overdue=True, stamp=now)
        if reminders or alerts:
            await uow.commit()
        return Scan(reminders, alerts)


async def _queue(s, due_by: datetime, limit: int, later: dict[str, datetime], mark, kind: str, *, overdue: bool,
                 stamp: datetime | None = None) -> int:
    """Queue one message per recipient of each unmarked open task due by ``due_by`` (at most ``limit`` tasks), and
    mark the tasks with ``stamp``; returns the number of tasks. PostgreSQL does it in one statement whose first
    step locks the rows (SKIP LOCKED: a second process takes others); SQLite's writer lock (BEGIN IMMEDIATE) makes
    the insert and the update that follows see the same rows."""
    stamp = stamp or due_by
    pg = s.bind.dialect.name == "postgresql"
    due = due_query(mark, due_by, limit)
    when_type = m.Outbox.__table__.c.not_before.type
    if pg:
        locked = due.with_only_columns(m.Task.id).with_for_update(skip_locked=True)
        tasks = (update(m.Task).where(m.Task.id.in_(locked)).values({mark: stamp})
                 .returning(m.Task.id, m.Task.responsible_id).cte("marked"))
    else:
        tasks = due.subquery("due")
    owner, to = aliased(m.User), aliased(m.User)
    if overdue:
        recipients = or_(to.id == owner.id, to.id == owner.supervisor_id,
                         and_(owner.supervisor_id.is_(None), to.role == Role.ADMIN, to.id != owner.id))
        payload = _json(pg, task_id=tasks.c.id, responsible=owner.name)
    else:
        recipients, payload = to.id == owner.id, _json(pg, task_id=tasks.c.id)
    not_before = (case({z: literal(w, when_type) for z, w in later.items()}, value=to.timezone,
                       else_=literal(stamp, when_type)) if later else literal(stamp, when_type))
    messages = (select(to.id, literal(kind), payload, literal(OutboxStatus.PENDING.value), literal(0), not_before,
                       literal(stamp, when_type))
                .select_from(tasks).join(owner, owner.id == tasks.c.responsible_id).join(to, recipients))
    queue = insert(m.Outbox).from_select(["user_id", "kind", "payload", "status", "attempts", "not_before",
                                          "created_at"], messages)
    if pg:
        queued = queue.returning(m.Outbox.id).cte("queued")
        return (await s.execute(select(func.count()).select_from(tasks).add_cte(queued))).scalar_one()
    await s.execute(queue)
    return (await s.execute(update(m.Task).where(m.Task.id.in_(due.with_only_columns(m.Task.id)))
                            .values({mark: stamp}))).rowcount


def due_query(mark, due_by: datetime, limit: int):
    """The due-scan: open tasks due by ``due_by`` not yet marked in ``mark`` (reminded_at or overdue_alerted_at),
    oldest first; the partial indexes ix_tasks_to_remind and ix_tasks_to_alert hold just these rows."""
    return (select(m.Task.id, m.Task.responsible_id)
            .where(m.Task.status == TaskStatus.OPEN, mark.is_(None), m.Task.due_at <= due_by)
            .order_by(m.Task.due_at, m.Task.id).limit(limit))


def _json(pg: bool, **fields):
    pairs = [x for key, value in fields.items() for x in (literal(key), value)]
    return (func.json_build_object if pg else func.json_object)(*pairs)


async def create(uow: UnitOfWork, actor_id: int, title: str, due_at: datetime, *, responsible_id: int | None = None,
                 lead_id: int | None = None, deal_id: int | None = None) -> m.Task:
    title = clean_text(title, max_len=256)
    async with uow:
        actor = await uow.users.get(actor_id)
        if actor is None or actor.role not in STAFF:
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
    if task.status != TaskStatus.OPEN:
        raise Conflict("task_closed")
    return task


async def ensure_mine(uow: UnitOfWork, actor_id: int, task_id: int) -> None:
    """Before asking for a new time or a colleague: is the task still open and this person's?"""
    async with uow:
        await _mine(uow, actor_id, task_id)


async def done(uow: UnitOfWork, actor_id: int, task_id: int) -> m.Task:
    async with uow:
        task = await _mine(uow, actor_id, task_id)
        task.status, task.done_at = TaskStatus.DONE, uow.clock.now()
        workspace.reminder_done(uow, task, actor_id)
        await uow.commit()
        return task


async def snooze(uow: UnitOfWork, actor_id: int, task_id: int, until: datetime) -> m.Task:
    """A new due time: the reminder and the overdue alert are due again then."""
    if until <= uow.clock.now():
        raise InvalidInput("snooze_past")
    async with uow:
        task = await _mine(uow, actor_id, task_id)
        task.due_at, task.reminded_at, task.overdue_alerted_at = until, None, None
        await uow.commit()
        return task


async def snooze_preset(uow: UnitOfWork, actor_id: int, task_id: int, preset: str) -> m.Task:
    """«+1 ч»: an hour from now; «завтра»: tomorrow at 10:00 in the person's timezone."""
    from zoneinfo import ZoneInfo

    async with uow:
        actor = await uow.users.get(actor_id)
    local = uow.clock.now().astimezone(ZoneInfo(actor.timezone))
    if preset == "hour":
        until = local + timedelta(hours=1)
    elif preset == "tomorrow":
        until = (local + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    else:
        raise InvalidInput("invalid_input")
    return await snooze(uow, actor_id, task_id, until)


async def reassign(uow: UnitOfWork, actor_id: int, task_id: int, to_user_id: int) -> m.Task:
    async with uow:
        task = await _mine(uow, actor_id, task_id)
        target = await uow.users.get(to_user_id)
        if target is None or target.role not in STAFF:
            raise InvalidInput("not_staff")
        task.responsible_id, task.reminded_at, task.overdue_alerted_at = target.id, None, None
        uow.outbox.notify(target.id, Notice.TASK_ASSIGNED, task_id=task.id)
        await uow.commit()
        return task


async def today(uow: UnitOfWork, user_id: int) -> list[m.Task]:
    """«Мои задачи»: open tasks due by the end of today in the person's timezone, overdue ones first."""
    from zoneinfo import ZoneInfo

    now = uow.clock.now()
    async with uow:
        user = await uow.users.get(user_id)
        local = now.astimezone(ZoneInfo(user.timezone))
        end_of_day = (local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1))
        stmt = (select(m.Task).where(m.Task.responsible_id == user_id, m.Task.status == TaskStatus.OPEN,
                                     or_(m.Task.due_at < end_of_day, m.Task.due_at <= now))
                .order_by(m.Task.due_at, m.Task.id))
        return list((await uow.session.scalars(stmt)).all())


async def get(uow: UnitOfWork, task_id: int) -> m.Task | None:
    async with uow:
        return await uow.session.get(m.Task, task_id)


@dataclass(frozen=True)
class Digest:
    today: list[m.Task]
    overdue: list[m.Task]
    idle_leads: list[m.Lead]  # open leads with no open task
    idle_deals: list[m.Deal]  # deals with no open task
    team_overdue: list[tuple[m.User, m.Task]]  # for a supervisor: the team's overdue tasks


async def scan_digests(uow: UnitOfWork, cfg: CoreConfig) -> int:
    """Queue the morning digest of every manager and admin whose local morning has come and who has not had
    today's; the digest_log row (unique per person and day) makes it once a day across processes."""
    from zoneinfo import ZoneInfo

    from sqlalchemy.dialects import postgresql, sqlite

    now = uow.clock.now()
    at = time.fromisoformat(cfg.digest_at)
    queued = 0
    async with uow:
        staff = [*await uow.users.with_role(Role.MANAGER), *await uow.users.with_role(Role.ADMIN)]
        dialect = postgresql if uow.session.bind.dialect.name == "postgresql" else sqlite
        for person in staff:
            local = now.astimezone(ZoneInfo(person.timezone))
            if person.blocked or local.time() < at:
                continue
            stmt = dialect.insert(m.DigestLog).values(user_id=person.id, day=local.date(), created_at=now)
            result = await uow.session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id", "day"]))
            if result.rowcount:
                uow.outbox.notify(person.id, Notice.DIGEST, day=local.date().isoformat())
                queued += 1
        await uow.commit()
    return queued


async def digest(uow: UnitOfWork, user_id: int) -> Digest:
    from zoneinfo import ZoneInfo

    from core.domain.leads import FINAL

    now = uow.clock.now()
    async with uow:
        s = uow.session
        user = await uow.users.get(user_id)
        local = now.astimezone(ZoneInfo(user.timezone))
        end_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        open_tasks = (await s.scalars(select(m.Task).where(
            m.Task.responsible_id == user_id, m.Task.status == TaskStatus.OPEN, m.Task.due_at < end_of_day)
            .order_by(m.Task.due_at))).all()
        busy = select(m.Task.lead_id).where(m.Task.status == TaskStatus.OPEN, m.Task.lead_id.is_not(None))
        idle_leads = (await s.scalars(select(m.Lead).where(
            m.Lead.responsible_id == user_id, m.Lead.status.not_in([x.value for x in FINAL]),
            m.Lead.id.not_in(busy)).order_by(m.Lead.id))).all()
        busy_deals = select(m.Task.deal_id).where(m.Task.status == TaskStatus.OPEN, m.Task.deal_id.is_not(None))
        idle_deals = (await s.scalars(select(m.Deal).where(
            m.Deal.responsible_id == user_id, m.Deal.id.not_in(busy_deals)).order_by(m.Deal.id))).all()
        team = (await s.execute(select(m.User, m.Task).join(m.Task, m.Task.responsible_id == m.User.id).where(
            m.User.supervisor_id == user_id, m.Task.status == TaskStatus.OPEN, m.Task.due_at <= now)
            .order_by(m.User.name, m.Task.due_at))).all()
        return Digest(today=[t for t in open_tasks if t.due_at > now],
                      overdue=[t for t in open_tasks if t.due_at <= now], idle_leads=list(idle_leads),
                      idle_deals=list(idle_deals), team_overdue=[(u, t) for u, t in team])


async def set_supervisor(uow: UnitOfWork, admin_id: int, user_id: int, supervisor_id: int | None) -> m.User:
    async with uow:
        admin = await uow.users.get(admin_id)
        if admin is None or admin.role != Role.ADMIN:
            raise Forbidden()
        user = await uow.users.get(user_id)
        supervisor = await uow.users.get(supervisor_id) if supervisor_id else None
        if user is None or (supervisor_id and supervisor is None):
            raise NotFound()
        if supervisor is not None and supervisor.role not in STAFF:
            raise InvalidInput("not_staff")
        if supervisor_id == user_id:
            raise InvalidInput("own_supervisor")
        user.supervisor_id = supervisor_id
        await uow.commit()
        return user
