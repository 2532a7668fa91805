"""The statements of contact cards, leads (seed 004), tasks and the funnel report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, false, func, or_, select

from core.db.kernel import models as m
from core.db.kernel.repositories import Page, Repo, paged
from core.domain.kernel.access import Actor, Scope
from core.domain.kernel.permissions import Record, teams_reached
from core.domain.kernel.roles import STAFF, Role, holds
from core.domain.kernel.tasks import TaskStatus
from core.domain.leads.lifecycle import FINAL, FUNNEL, LeadStatus


class ContactRepo(Repo):
    async def get(self, contact_id: int) -> m.Contact | None:
        return await self.session.get(m.Contact, contact_id)

    async def phone(self, phone: str) -> m.ContactPhone | None:
        """The card's row that holds this phone (one card per phone)."""
        return await self.session.scalar(select(m.ContactPhone).where(m.ContactPhone.phone == phone))

    async def by_phone(self, phone: str) -> m.Contact | None:
        row = await self.phone(phone)
        return await self.get(row.contact_id) if row is not None else None


def readable(actor: Actor, reach: Scope):
    """The leads a scope of this person reaches, as SQL (as core.domain.kernel.permissions.reaches has it for one
    lead): every lead for «all»; else their own and those nobody holds yet, and for «team» («team and below») those
    whose responsible works in one of the teams reached (member or head), or, for a partner company's manager, is
    of their company. None: no condition."""
    if reach == Scope.ALL:
        return None
    if reach == Scope.NONE:
        return false()
    lead = m.Lead
    own = or_(lead.responsible_id == actor.id, lead.responsible_id.is_(None))
    if reach == Scope.OWN:
        return own
    if actor.teams:
        teams = sorted(teams_reached(actor, reach))
        people = select(m.AccessGroupMember.user_id).where(m.AccessGroupMember.group_id.in_(teams)).union(
            select(m.AccessGroup.head_id).where(m.AccessGroup.id.in_(teams), m.AccessGroup.head_id.is_not(None)))
        return or_(own, lead.responsible_id.in_(people))
    if actor.company_id is not None:
        return or_(own, lead.responsible_id.in_(select(m.User.id).where(m.User.company_id == actor.company_id)))
    return own


def _within(stmt, scope):
    return stmt if scope is None else stmt.where(scope)


class LeadRepo(Repo):
    async def get(self, lead_id: int) -> m.Lead | None:
        return await self.session.get(m.Lead, lead_id)

    async def for_update(self, lead_id: int) -> m.Lead | None:
        stmt = select(m.Lead).where(m.Lead.id == lead_id).with_for_update(of=m.Lead)
        return (await self.session.scalars(stmt)).unique().one_or_none()

    async def of_contact(self, contact_id: int, scope=None) -> list[m.Lead]:
        """The contact's leads (those ``scope``, a ``readable`` condition, lets through, when given)."""
        stmt = select(m.Lead).where(m.Lead.contact_id == contact_id).order_by(m.Lead.id)
        return list((await self.session.scalars(_within(stmt, scope))).all())

    async def statuses_of_contact(self, contact_id: int) -> list[tuple[int, LeadStatus]]:
        rows = (await self.session.execute(select(m.Lead.id, m.Lead.status).where(m.Lead.contact_id == contact_id)))
        return [(i, LeadStatus(s)) for i, s in rows.all()]

    async def statuses_with_phone(self, phone: str) -> list[tuple[int, LeadStatus]]:
        """The leads of the card holding this phone, oldest first, with their status."""
        stmt = (select(m.Lead.id, m.Lead.status).join(m.ContactPhone, m.ContactPhone.contact_id == m.Lead.contact_id)
                .where(m.ContactPhone.phone == phone).order_by(m.Lead.id))
        return [(i, LeadStatus(s)) for i, s in (await self.session.execute(stmt)).all()]

    def history(self, lead_id: int, actor_id: int | None, at: datetime, to_status: str,
                from_status: str | None = None) -> None:
        self.add(m.LeadStatusChange(lead_id=lead_id, actor_id=actor_id, from_status=from_status, to_status=to_status,
                                    created_at=at))

    async def notes(self, lead_id: int, limit: int) -> list[m.LeadNote]:
        return list((await self.session.scalars(select(m.LeadNote).where(m.LeadNote.lead_id == lead_id)
                                                .order_by(m.LeadNote.id.desc()).limit(limit))).all())

    def fact(self, lead_id: int, author_id: int | None, fact, text: str | None = None) -> m.LeadNote:
        """A line of the lead's feed: its facts (core.domain.leads.feed), and a person's words as typed."""
        return self.add(m.LeadNote(lead_id=lead_id, author_id=author_id, kind=fact.kind, params=fact.data(),
                                   text=text))

    async def note_of(self, lead_id: int, note_id: int) -> m.LeadNote | None:
        """A line of this lead's feed (None: none by that id on this lead)."""
        return await self.session.scalar(select(m.LeadNote).where(m.LeadNote.id == note_id,
                                                                  m.LeadNote.lead_id == lead_id))

    async def requests_of(self, user_id: int) -> list[tuple[int, LeadStatus, int | None]]:
        """The leads of a person in the bot, newest first, with their status and the original a duplicate points to:
        those they left by a source link's form, and those of the contact card their shared phone binds them to."""
        bound = select(m.Contact.id).where(m.Contact.user_id == user_id)
        stmt = (select(m.Lead.id, m.Lead.status, m.Lead.duplicate_of_id)
                .where(or_(m.Lead.client_user_id == user_id, m.Lead.contact_id.in_(bound)))
                .order_by(m.Lead.id.desc()))
        return [(i, LeadStatus(s), d) for i, s, d in (await self.session.execute(stmt)).all()]

    async def statuses(self, lead_ids) -> dict[int, LeadStatus]:
        if not lead_ids:
            return {}
        rows = await self.session.execute(select(m.Lead.id, m.Lead.status).where(m.Lead.id.in_(set(lead_ids))))
        return {i: LeadStatus(s) for i, s in rows.all()}

    def attempt(self, lead_id: int, actor_id: int) -> None:
        self.add(m.CallAttempt(lead_id=lead_id, actor_id=actor_id))

    async def attempts(self, lead_id: int) -> int:
        await self.session.flush()
        return await self.session.scalar(select(func.count()).select_from(m.CallAttempt)
                                         .where(m.CallAttempt.lead_id == lead_id))

    async def attempt_times(self, lead_id: int) -> list[datetime]:
        return list((await self.session.scalars(
            select(m.CallAttempt.created_at).where(m.CallAttempt.lead_id == lead_id))).all())

    async def switched_off(self) -> set[str]:
        """The codes of the auto-task rules an admin switched off."""
        stmt = select(m.AutoTaskSwitch.code).where(m.AutoTaskSwitch.enabled.is_(False))
        return set((await self.session.scalars(stmt)).all())

    async def switch(self, code: str) -> m.AutoTaskSwitch:
        """An auto-task rule's switch (on until an admin says otherwise)."""
        row = await self.session.get(m.AutoTaskSwitch, code)
        return row or self.add(m.AutoTaskSwitch(code=code, enabled=True))

    async def page(self, page_no: int, size: int, *, responsible_id: int | None = None,
                   status: LeadStatus | None = None, source_id: int | None = None, since: datetime | None = None,
                   name: str | None = None, phone: str | None = None, scope=None) -> Page[m.Lead]:
        """Leads, newest first, of those ``scope`` (a ``readable`` condition) lets through: someone's
        (``responsible_id``), by status, source and creation date, found by the contact's name or phone."""
        stmt = _within(select(m.Lead).order_by(m.Lead.id.desc()), scope)
        if responsible_id is not None:
            stmt = stmt.where(m.Lead.responsible_id == responsible_id)
        if status is not None:
            stmt = stmt.where(m.Lead.status == status)
        if source_id:
            stmt = stmt.where(m.Lead.source_id == source_id)
        if since is not None:
            stmt = stmt.where(m.Lead.created_at >= since)
        if name:
            named = m.Contact.name.ilike(f"%{name}%")
            people = select(m.ContactPhone.contact_id).where(m.ContactPhone.phone == phone) if phone else None
            stmt = stmt.join(m.Contact, m.Contact.id == m.Lead.contact_id).where(
                or_(named, m.Lead.contact_id.in_(people)) if people is not None else named)
        return await paged(self.session, stmt, page_no, size)

    async def facts(self, lead: m.Lead) -> Record:
        """What the access rules need of a lead (core.domain.kernel.permissions.Record): its responsible (its
        owner), the teams they work in (member or head), their partner company."""
        if lead.responsible_id is None:
            return Record()
        member = select(m.AccessGroupMember.group_id).where(m.AccessGroupMember.user_id == lead.responsible_id)
        headed = select(m.AccessGroup.id).where(m.AccessGroup.head_id == lead.responsible_id)
        teams = frozenset((await self.session.scalars(member.union(headed))).all())
        company = await self.session.scalar(select(m.User.company_id).where(m.User.id == lead.responsible_id))
        return Record(lead.responsible_id, teams, company)

    async def workload(self) -> dict[int, int]:
        """The managers who work leads (every manager who can be reached: not blocked, not erased, a person granted
        «manager» besides their first role too) and how many open leads each is responsible for; an admin counts
        only when no manager does."""
        open_leads = (select(m.Lead.responsible_id, func.count().label("n"))
                      .where(m.Lead.status.not_in([s.value for s in FINAL])).group_by(m.Lead.responsible_id)
                      .subquery())
        # a role held besides the first one counts (an admin who is also a manager works leads): the roles are read
        # off each reachable person (staff are few), the open leads counted in SQL
        rows = (await self.session.execute(
            select(m.User, func.coalesce(open_leads.c.n, 0))
            .outerjoin(open_leads, open_leads.c.responsible_id == m.User.id)
            .where(m.User.blocked.is_(False), m.User.erased_at.is_(None),
                   or_(m.User.role.in_([Role.MANAGER, Role.ADMIN]), m.User.extra_roles.is_not(None))))).all()
        for role in (Role.MANAGER, Role.ADMIN):
            load = {user.id: n for user, n in rows if holds(user, role)}
            if load:
                return load
        return {}

    async def person_source(self, user_id: int) -> int | None:
        """The source of the latest request of a person: one they left, or one of the contact card they are bound to
        (None: none known)."""
        return await self.session.scalar(
            select(m.Lead.source_id).join(m.Contact, m.Contact.id == m.Lead.contact_id)
            .where(or_(m.Contact.user_id == user_id, m.Lead.client_user_id == user_id))
            .order_by(m.Lead.id.desc()).limit(1))

    async def may_work(self, user_id: int | None) -> bool:
        """Whether this person can still be given leads (staff, reachable)."""
        if user_id is None:
            return False
        user = await self.session.get(m.User, user_id)
        return (user is not None and holds(user, *STAFF) and not user.blocked
                and user.erased_at is None)

    async def idle(self, responsible_id: int) -> list[m.Lead]:
        """Someone's open leads with no open task."""
        busy = select(m.Task.lead_id).where(m.Task.status == TaskStatus.OPEN, m.Task.lead_id.is_not(None))
        return list((await self.session.scalars(select(m.Lead).where(
            m.Lead.responsible_id == responsible_id, m.Lead.status.not_in([x.value for x in FINAL]),
            m.Lead.id.not_in(busy)).order_by(m.Lead.id))).all())


def funnel_query(start: datetime, end: datetime):
    """One GROUP BY over the leads created in [start, end) (the index ix_leads_funnel holds all it reads), per
    source: how many, and how many reached each stage; the sources' names joined to the few groups."""
    lead = m.Lead.__table__.c
    per_source = (select(lead.source_id, func.count().label("n"),
                         # count(*) FILTER: a count per stage reads less than a sum of the flag (SQLite)
                         *(func.count().filter(lead[f"reached_{stage}"] == 1).label(stage) for stage in FUNNEL))
                  .where(and_(lead.created_at >= start, lead.created_at < end))
                  .group_by(lead.source_id).subquery())
    return (select(m.Source.name, per_source.c.n, *(per_source.c[stage] for stage in FUNNEL))
            .join(per_source, per_source.c.source_id == m.Source.id).order_by(m.Source.name))


class ReportRepo(Repo):
    async def funnel(self, start: datetime, end: datetime) -> list[tuple]:
        """Per source: its name, the leads created in [start, end), and how many reached each stage of FUNNEL."""
        return list((await self.session.execute(funnel_query(start, end))).all())
