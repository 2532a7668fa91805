"""The statements of tasks: the due-scan that queues reminders and alerts inside the database, someone's day, the
digest's reads and its once-a-day log."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, case, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo
from core.domain.kernel.notices import Notice
from core.domain.kernel.roles import Role
from core.domain.kernel.tasks import OutboxStatus, TaskStatus


def due_query(mark, due_by: datetime, limit: int):
    """The due-scan: open tasks due by ``due_by`` not yet marked in ``mark`` (reminded_at or overdue_alerted_at),
    oldest first; the partial indexes ix_tasks_to_remind and ix_tasks_to_alert hold just these rows."""
    return (select(m.Task.id, m.Task.responsible_id)
            .where(m.Task.status == TaskStatus.OPEN, mark.is_(None), m.Task.due_at <= due_by)
            .order_by(m.Task.due_at, m.Task.id).limit(limit))


def _json(pg: bool, **fields):
    pairs = [x for key, value in fields.items() for x in (literal(key), value)]
    return (func.json_build_object if pg else func.json_object)(*pairs)


class TaskRepo(Repo):
    @property
    def _pg(self) -> bool:
        return self.session.bind.dialect.name == "postgresql"

    async def get(self, task_id: int) -> m.Task | None:
        return await self.session.get(m.Task, task_id)

    async def zones(self) -> list[str]:
        """The timezones people live in (the quiet hours are per zone)."""
        return list((await self.session.scalars(select(m.User.timezone).distinct())).all())

    async def queue_due(self, due_by: datetime, limit: int, later: dict[str, datetime], *, overdue: bool,
                        stamp: datetime) -> int:
        """Queue one message per recipient of each unmarked open task due by ``due_by`` (at most ``limit`` tasks),
        and mark the tasks with ``stamp``; returns the number of tasks. A reminder goes to the responsible; an
        overdue alert to the responsible and their supervisor (to every other admin when they have none). A
        recipient in a zone of ``later`` gets it then (quiet hours). PostgreSQL does it in one statement whose first
        step locks the rows (SKIP LOCKED: a second process takes others); SQLite's writer lock (BEGIN IMMEDIATE)
        makes the insert and the update that follows see the same rows."""
        mark = m.Task.overdue_alerted_at if overdue else m.Task.reminded_at
        kind = Notice.TASK_OVERDUE if overdue else Notice.TASK_REMINDER
        pg = self._pg
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
        messages = (select(to.id, literal(kind.value), payload, literal(OutboxStatus.PENDING.value), literal(0),
                           not_before, literal(stamp, when_type))
                    .select_from(tasks).join(owner, owner.id == tasks.c.responsible_id).join(to, recipients))
        queue = insert(m.Outbox).from_select(["user_id", "kind", "payload", "status", "attempts", "not_before",
                                              "created_at"], messages)
        if pg:
            queued = queue.returning(m.Outbox.id).cte("queued")
            return (await self.session.execute(select(func.count()).select_from(tasks).add_cte(queued))).scalar_one()
        await self.session.execute(queue)
        return (await self.session.execute(update(m.Task).where(m.Task.id.in_(due.with_only_columns(m.Task.id)))
                                           .values({mark: stamp}))).rowcount

    async def open_of(self, responsible_id: int, due_before: datetime) -> list[m.Task]:
        """Someone's open tasks due before ``due_before``, oldest first."""
        stmt = (select(m.Task).where(m.Task.responsible_id == responsible_id, m.Task.status == TaskStatus.OPEN,
                                     m.Task.due_at < due_before).order_by(m.Task.due_at, m.Task.id))
        return list((await self.session.scalars(stmt)).all())

    async def open_of_lead(self, lead_id: int, auto_status: str | None = None) -> list[m.Task]:
        """A lead's open tasks by due time; with ``auto_status``, only those its auto-rules made for that status."""
        stmt = select(m.Task).where(m.Task.lead_id == lead_id, m.Task.status == TaskStatus.OPEN)
        if auto_status is not None:
            stmt = stmt.where(m.Task.auto_status == auto_status)
        return list((await self.session.scalars(stmt.order_by(m.Task.due_at, m.Task.id))).all())

    async def open_of_deal(self, deal_id: int, code: str) -> list[m.Task]:
        """A deal's open tasks the process made with ``code`` (the rerouting tasks, one per head)."""
        return list((await self.session.scalars(select(m.Task).where(
            m.Task.deal_id == deal_id, m.Task.code == code, m.Task.status == TaskStatus.OPEN)
            .order_by(m.Task.id))).all())

    async def next_of_deal(self, deal_id: int) -> m.Task | None:
        return await self.session.scalar(select(m.Task).where(m.Task.deal_id == deal_id,
                                                              m.Task.status == TaskStatus.OPEN)
                                         .order_by(m.Task.due_at, m.Task.id).limit(1))

    async def hand_over_lead(self, lead_id: int, to_user_id: int) -> None:
        """A lead's open tasks pass to its new responsible, due to be reminded of again."""
        await self.session.execute(update(m.Task).where(m.Task.lead_id == lead_id, m.Task.status == TaskStatus.OPEN)
                                   .values(responsible_id=to_user_id, reminded_at=None, overdue_alerted_at=None))

    async def team_overdue(self, supervisor_id: int, now: datetime) -> list[tuple[m.User, m.Task]]:
        """The overdue open tasks of the people this person supervises."""
        rows = (await self.session.execute(select(m.User, m.Task).join(m.Task, m.Task.responsible_id == m.User.id)
                                           .where(m.User.supervisor_id == supervisor_id,
                                                  m.Task.status == TaskStatus.OPEN, m.Task.due_at <= now)
                                           .order_by(m.User.name, m.Task.due_at))).all()
        return [(u, t) for u, t in rows]

    async def idle_deals(self, responsible_id: int) -> list[m.Deal]:
        """Someone's deals with no open task."""
        busy = select(m.Task.deal_id).where(m.Task.status == TaskStatus.OPEN, m.Task.deal_id.is_not(None))
        return list((await self.session.scalars(select(m.Deal).where(
            m.Deal.responsible_id == responsible_id, m.Deal.id.not_in(busy)).order_by(m.Deal.id))).all())

    async def log_digest(self, user_id: int, day: date) -> bool:
        """Record that this person's digest of ``day`` is queued; False when it was already (once a day, across
        processes: the row is unique per person and day)."""
        dialect = postgresql if self._pg else sqlite
        stmt = dialect.insert(m.DigestLog).values(user_id=user_id, day=day, created_at=self.now())
        return bool((await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id", "day"])))
                    .rowcount)
