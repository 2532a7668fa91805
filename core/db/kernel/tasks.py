"""The statements of tasks: the due-scan that queues reminders and alerts inside the database, someone's day, the
digest's reads and its once-a-day log."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from sqlalchemy import Integer, String, and_, case, func, insert, literal, or_, select, type_coerce, update
from sqlalchemy.orm import aliased

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo
from core.db.kernel.upserts import insert as upsert
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


#: how many teams up the chain of nesting is followed at most (a cycle typed by mistake ends there)
MAX_NESTING = 32


@cache
def team_chain():
    """Every live team with itself (depth 0) and each live team it is nested under, up the chain (depth 1, 2, …):
    a recursive CTE over the teams alone (SQLite and PostgreSQL), so "the head" needs no loop in Python."""
    g = m.AccessGroup.__table__
    chain = (select(g.c.id.label("start"), g.c.id.label("team"), literal(0, Integer).label("depth"))
             .where(g.c.archived.is_(False)).cte("team_chain", recursive=True))
    child, parent = g.alias("chain_child"), g.alias("chain_parent")
    return chain.union_all(
        select(chain.c.start, parent.c.id, chain.c.depth + 1)
        .select_from(chain.join(child, child.c.id == chain.c.team).join(parent, parent.c.id == child.c.parent_id))
        .where(parent.c.archived.is_(False), chain.c.depth < MAX_NESTING))


def head_of(person):
    """"The head" of ``person`` (an aliased users row) as SQL, as core.domain.kernel.access.head_of says it: their
    supervisor, else the head of a team they are a member of (the lowest team id first), else the nearest head up
    the chain of teams above one they are in or head (``team_chain``); NULL: nobody, so the admins."""
    chain, g = team_chain(), m.AccessGroup.__table__
    start, above, member = g.alias("head_start"), g.alias("head_above"), aliased(m.AccessGroupMember)
    # the person's membership joined, not asked in a nested subquery: one level of correlation with ``person``
    head = (select(above.c.head_id)
            .select_from(chain.join(start, start.c.id == chain.c.start).join(above, above.c.id == chain.c.team)
                         .outerjoin(member, and_(member.group_id == chain.c.start, member.user_id == person.id)))
            .where(or_(member.user_id.is_not(None), start.c.head_id == person.id), above.c.head_id.is_not(None),
                   above.c.head_id != person.id)
            # a team of their own first (as a member), then up the chain of each of theirs, lowest team id first
            .order_by(chain.c.depth > 0, chain.c.start, chain.c.depth).limit(1).scalar_subquery())
    return func.coalesce(person.supervisor_id, head)


class TaskRepo(Repo):
    @property
    def _pg(self) -> bool:
        return self.session.bind.dialect.name == "postgresql"

    async def get(self, task_id: int) -> m.Task | None:
        return await self.session.get(m.Task, task_id)

    async def zones(self) -> list[str]:
        """The timezones people live in (the quiet hours are per zone), as stored: the due-scan matches its rows by
        these values (an unknown one is mapped to the default by the scan, not here)."""
        stored = type_coerce(m.User.timezone, String)
        return list((await self.session.scalars(select(stored).distinct())).all())

    async def queue_due(self, due_by: datetime, limit: int, later: dict[str, datetime], *, overdue: bool,
                        stamp: datetime) -> int:
        """Queue ONE message per recipient listing the unmarked open tasks due by ``due_by`` (at most ``limit``
        tasks) that concern them, and mark the tasks with ``stamp``; returns the number of tasks. A reminder goes to
        the responsible; an overdue alert to the responsible and their head (``head_of``: the supervisor, else the
        head of their team; to every other admin when they have none). 500 tasks falling due at once make one
        message for their executor, not 500. A recipient in a zone of ``later`` gets it then (quiet hours).
        PostgreSQL does it in one statement whose first step locks the rows (SKIP LOCKED: a second process takes
        others); SQLite's writer lock (BEGIN IMMEDIATE)
        makes the insert and the update that follows see the same rows."""
        mark = m.Task.overdue_alerted_at if overdue else m.Task.reminded_at
        kind = Notice.TASKS_OVERDUE if overdue else Notice.TASKS_DUE
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
            boss = head_of(owner)
            recipients = or_(to.id == owner.id, to.id == boss,
                             and_(boss.is_(None), to.role == Role.ADMIN, to.id != owner.id))
        else:
            recipients = to.id == owner.id
        ids = func.json_agg(tasks.c.id) if pg else func.json(func.json_group_array(tasks.c.id))
        payload = _json(pg, task_ids=ids)
        not_before = (case({z: literal(w, when_type) for z, w in later.items()}, value=to.timezone,
                           else_=literal(stamp, when_type)) if later else literal(stamp, when_type))
        messages = (select(to.id, literal(kind.value), payload, literal(OutboxStatus.PENDING.value), literal(0),
                           not_before, literal(stamp, when_type))
                    .select_from(tasks).join(owner, owner.id == tasks.c.responsible_id).join(to, recipients)
                    .group_by(to.id, to.timezone))
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

    def _with_deal(self):
        return (select(m.Task, m.Deal.name, m.Client.name, m.User.name)
                .join(m.User, m.User.id == m.Task.responsible_id)
                .outerjoin(m.Deal, m.Deal.id == m.Task.deal_id).outerjoin(m.Client, m.Client.id == m.Deal.client_id))

    async def open_with_deals(self, *, ids: list[int] | None = None, responsible_id: int | None = None,
                              limit: int = 100) -> list[tuple[m.Task, str | None, str | None, str]]:
        """Open tasks (of ``ids``, or of a person) by due time, each with its deal's and counterparty's names and
        its responsible's."""
        stmt = self._with_deal().where(m.Task.status == TaskStatus.OPEN)
        if ids is not None:
            stmt = stmt.where(m.Task.id.in_(ids))
        if responsible_id is not None:
            stmt = stmt.where(m.Task.responsible_id == responsible_id)
        rows = (await self.session.execute(stmt.order_by(m.Task.due_at, m.Task.id).limit(limit))).all()
        return [(t, deal, client, who) for t, deal, client, who in rows]

    async def count_open(self, responsible_id: int) -> int:
        return await self.session.scalar(select(func.count()).select_from(m.Task).where(
            m.Task.responsible_id == responsible_id, m.Task.status == TaskStatus.OPEN))

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

    async def close_open(self, deal_id: int, codes: list[str] | None, *, status: TaskStatus, reason: str,
                         by: int | None, at: datetime) -> int:
        """Close a deal's open tasks the process made with one of ``codes`` (every open task: None) in one
        statement, with who and why; how many closed. Nothing is flushed first (a scan closing 500 deals keeps
        its feed and audit rows for one batched insert at the commit); a task changed in this unit and not yet
        written is left to the code that changed it (the task pressed «done» keeps its own who and why)."""
        if codes is not None and not codes:
            return 0
        changed = [o.id for o in self.session.dirty if isinstance(o, m.Task)]
        stmt = update(m.Task).where(m.Task.deal_id == deal_id, m.Task.status == TaskStatus.OPEN)
        if codes is not None:
            stmt = stmt.where(m.Task.code.in_(codes))
        if changed:
            stmt = stmt.where(m.Task.id.not_in(changed))
        stmt = stmt.values(status=status, done_at=at, closed_by=by, close_reason=reason)
        with self.session.no_autoflush:
            result = await self.session.execute(stmt.execution_options(synchronize_session="fetch"))
        return result.rowcount or 0

    async def next_of_deal(self, deal_id: int) -> m.Task | None:
        return await self.session.scalar(select(m.Task).where(m.Task.deal_id == deal_id,
                                                              m.Task.status == TaskStatus.OPEN)
                                         .order_by(m.Task.due_at, m.Task.id).limit(1))

    async def hand_over_lead(self, lead_id: int, to_user_id: int) -> None:
        """A lead's open tasks pass to its new responsible, due to be reminded of again."""
        await self.session.execute(update(m.Task).where(m.Task.lead_id == lead_id, m.Task.status == TaskStatus.OPEN)
                                   .values(responsible_id=to_user_id, reminded_at=None, overdue_alerted_at=None))

    async def team_overdue(self, supervisor_id: int, now: datetime) -> list[tuple[m.User, m.Task]]:
        """The overdue open tasks of the people this person is the head of (supervisor, or head of their team)."""
        person = aliased(m.User)
        rows = (await self.session.execute(select(person, m.Task).join(m.Task, m.Task.responsible_id == person.id)
                                           .where(head_of(person) == supervisor_id,
                                                  m.Task.status == TaskStatus.OPEN, m.Task.due_at <= now)
                                           .order_by(person.name, m.Task.due_at))).all()
        return [(u, t) for u, t in rows]

    async def idle_deals(self, responsible_id: int) -> list[m.Deal]:
        """Someone's deals with no open task."""
        busy = select(m.Task.deal_id).where(m.Task.status == TaskStatus.OPEN, m.Task.deal_id.is_not(None))
        return list((await self.session.scalars(select(m.Deal).where(
            m.Deal.responsible_id == responsible_id, m.Deal.id.not_in(busy)).order_by(m.Deal.id))).all())

    async def log_digest(self, user_id: int, day: date) -> bool:
        """Record that this person's digest of ``day`` is queued; False when it was already (once a day, across
        processes: the row is unique per person and day)."""
        stmt = upsert(self.session.bind.dialect.name, m.DigestLog).values(user_id=user_id, day=day,
                                                                          created_at=self.now())
        return bool((await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id", "day"])))
                    .rowcount)
