"""Tasks and the scheduler's scan: reminders when a task falls due, alerts when it is overdue, each exactly once.

A task row is marked (reminded_at, overdue_alerted_at) in the same transaction that queues its message, so a
second scan, a second process or a restart after downtime never sends it again; what fell due while the bot
was down goes out at the first scan after start. Quiet hours delay a message to the morning, never drop it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput
from core.domain.kernel.events import TaskDone
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import MorningDigest, TaskAssigned
from core.domain.kernel.preferences import zone_or_default
from core.domain.kernel.roles import OPERATOR_STAFF, STAFF, Role, holds
from core.domain.kernel.schedule import QuietHours, send_at
from core.domain.kernel.tasks import TaskClose, TaskStatus
from core.services.kernel import access, reactions
from core.services.kernel.config import CoreConfig
from core.services.kernel.deal_access import editable


def quiet_hours(cfg: CoreConfig) -> QuietHours:
    return QuietHours(time.fromisoformat(cfg.quiet_start), time.fromisoformat(cfg.quiet_end))


@dataclass(frozen=True)
class Scan:
    reminders: int
    overdue: int


async def scan_due(uow: UnitOfWork, cfg: CoreConfig, limit: int = 500) -> Scan:
    """One tick: queue what fell due and mark it, inside the database — no task row travels to Python.

    Reminders go to the responsible; an overdue alert to the responsible and to their head (the supervisor an admin
    set, else the head of their team; to every other admin when they have none). A message waits out the quiet
    hours of its recipient's timezone."""
    now = uow.clock.now()
    async with uow:
        quiet = quiet_hours(cfg)
        # a zone zoneinfo does not know (a bad row) follows the default's quiet hours: one person's typo never stops
        # the scan, and so everyone's reminders
        later = {zone: when for zone in await uow.tasks.zones()
                 if (when := send_at(now, zone_or_default(zone), quiet)) != now}
        reminders = await uow.tasks.queue_due(now, limit, later, overdue=False, stamp=now)
        alerts = await uow.tasks.queue_due(now - timedelta(minutes=cfg.overdue_after_minutes), limit, later,
                                           overdue=True, stamp=now)
        if reminders or alerts:
            await uow.commit()
        return Scan(reminders, alerts)


async def create(uow: UnitOfWork, actor_id: int, title: str, due_at: datetime, *, responsible_id: int | None = None,
                 lead_id: int | None = None, deal_id: int | None = None) -> m.Task:
    title = clean_text(title, max_len=256)
    async with uow:
        actor = await access.staff(uow, actor_id)
        task = uow.add(m.Task(title=title, due_at=due_at, responsible_id=responsible_id or actor.id,
                              lead_id=lead_id, deal_id=deal_id))
        await uow.commit()
        return task


async def _mine(uow: UnitOfWork, actor_id: int, task_id: int) -> m.Task:
    task = await uow.tasks.get_or_raise(task_id)
    actor = await uow.users.get(actor_id)
    if task.responsible_id != actor_id and not holds(actor, Role.ADMIN):
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
        task.closed_by, task.close_reason = actor_id, TaskClose.BY_HAND
        await reactions.publish(uow, TaskDone(task_id=task.id, actor_id=actor_id))
        await uow.commit()
        return task


async def done_of_order(uow: UnitOfWork, actor_id: int, order_id: int, task_id: int) -> m.Task:
    """From an order's screen: one of its tasks (purchasing, contract, shipping) done by its holder; a task that is
    not the order's is a stale button."""
    async with uow:
        order = await uow.orders.get_or_raise(order_id)
        await editable(uow, actor_id, order.deal_id)
        if task_id not in {order.purchase_task_id, order.contract_task_id, order.ship_task_id} - {None}:
            raise InvalidInput("stale_button")
    return await done(uow, actor_id, task_id)


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
        if target is None or not holds(target, *STAFF):
            raise InvalidInput("not_staff")
        task.responsible_id, task.reminded_at, task.overdue_alerted_at = target.id, None, None
        uow.outbox.notify(target.id, TaskAssigned(task_id=task.id))
        await uow.commit()
        return task


@dataclass(frozen=True)
class TaskLine:
    """A task as a list shows it: with the names of its deal and the deal's counterparty (None: not a deal's)."""

    task: m.Task
    deal: str | None
    client: str | None
    responsible: str


@dataclass(frozen=True)
class MyTasks:
    """«Мои задачи»: the open tasks, overdue, due today (in the person's timezone) and upcoming; ``more`` beyond
    the ones listed."""

    overdue: list[TaskLine]
    today: list[TaskLine]
    upcoming: list[TaskLine]
    more: int

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.upcoming) + self.more


#: how many tasks «Мои задачи» lists (the rest are counted; each has its row of buttons, and a message has 100)
MY_TASKS_SHOWN = 15


async def mine(uow: UnitOfWork, user_id: int, limit: int = MY_TASKS_SHOWN) -> MyTasks:
    """«Мои задачи»: the person's open tasks by due time, grouped — overdue, today, upcoming — each naming its deal
    and counterparty (a campaign's tasks, due tomorrow, are listed right after posting)."""
    from zoneinfo import ZoneInfo

    now = uow.clock.now()
    async with uow.standalone() as u:
        user = await u.users.get(user_id)
        local = now.astimezone(ZoneInfo(user.timezone))
        end_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        lines = [TaskLine(*row) for row in await u.tasks.open_with_deals(responsible_id=user_id, limit=limit)]
        total = await u.tasks.count_open(user_id)
    return MyTasks(overdue=[x for x in lines if x.task.due_at <= now],
                   today=[x for x in lines if now < x.task.due_at < end_of_day],
                   upcoming=[x for x in lines if x.task.due_at >= end_of_day], more=max(total - len(lines), 0))


async def listed(uow: UnitOfWork, task_ids: list[int]) -> list[TaskLine]:
    """The tasks of a reminder that are still open, by due time, with their deals' names (for its message)."""
    async with uow.standalone() as u:
        return [TaskLine(*row) for row in await u.tasks.open_with_deals(ids=task_ids, limit=len(task_ids))]


async def get(uow: UnitOfWork, task_id: int) -> m.Task | None:
    async with uow:
        return await uow.tasks.get(task_id)


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

    now = uow.clock.now()
    at = time.fromisoformat(cfg.digest_at)
    queued = 0
    async with uow:
        staff = await uow.users.holding(*STAFF)  # a salesperson granted «manager» too
        for person in staff:
            local = now.astimezone(ZoneInfo(person.timezone))
            if person.blocked or local.time() < at:
                continue
            if await uow.tasks.log_digest(person.id, local.date()):
                uow.outbox.notify(person.id, MorningDigest(day=local.date().isoformat()))
                queued += 1
        await uow.commit()
    return queued


async def digest(uow: UnitOfWork, user_id: int) -> Digest:
    from zoneinfo import ZoneInfo

    now = uow.clock.now()
    async with uow:
        user = await uow.users.get(user_id)
        local = now.astimezone(ZoneInfo(user.timezone))
        end_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
        open_tasks = await uow.tasks.open_of(user_id, end_of_day)
        return Digest(today=[t for t in open_tasks if t.due_at > now],
                      overdue=[t for t in open_tasks if t.due_at <= now], idle_leads=await uow.leads.idle(user_id),
                      idle_deals=await uow.tasks.idle_deals(user_id),
                      team_overdue=await uow.tasks.team_overdue(user_id, now))


async def set_supervisor(uow: UnitOfWork, admin_id: int, user_id: int, supervisor_id: int | None) -> m.User:
    async with uow:
        await access.admin(uow, admin_id)
        user = await uow.users.get_or_raise(user_id)
        supervisor = await uow.users.get_or_raise(supervisor_id) if supervisor_id else None
        if supervisor is not None and not holds(supervisor, *OPERATOR_STAFF):  # one of the operator's people
            raise InvalidInput("not_staff")
        if supervisor_id == user_id:
            raise InvalidInput("own_supervisor")
        user.supervisor_id = supervisor_id
        await uow.commit()
        return user
