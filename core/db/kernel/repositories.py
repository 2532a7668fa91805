"""Repositories: queries and additions over one session. They never commit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.db.kernel import models as m
from core.domain.kernel.errors import found
from core.domain.kernel.notices import Payload
from core.domain.kernel.paging import clamp, page_count
from core.domain.kernel.roles import OPERATOR_STAFF, Role, holds
from core.domain.kernel.tasks import OutboxStatus
from core.domain.marketplace import DEAL_STATUSES, AppStatus, OfferStatus

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
D = TypeVar("D", bound=m.DirectoryItem)  # a directory's model


#: the key of a session's ``info`` that holds its unit of work's clock
CLOCK = "dealgram_clock"
#: outbox statuses as the statements write them
_PENDING, _SENDING, _SENT = OutboxStatus.PENDING.value, OutboxStatus.SENDING.value, OutboxStatus.SENT.value
_DUE = (_PENDING, _SENDING)  # a pending row whose time came, or a held one whose lease ended


class _Gets(Protocol[T_co]):
    """A repository with a ``get`` by key (a row or None)."""

    @property
    def get(self) -> Callable[..., Awaitable[T_co | None]]: ...


class Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_or_raise(self: _Gets[T], *key: Any) -> T:
        """``get(*key)``'s row, or NotFound (the DomainError the bot renders) when there is none:
        ``deal = await uow.deals.get_or_raise(deal_id)``."""
        return found(await self.get(*key))

    def now(self) -> datetime:
        """The unit of work's time (its clock), for the rows a statement writes itself."""
        return self.session.info[CLOCK].now()

    def add(self, obj):
        self.session.add(obj)
        return obj

    async def insert_many(self, model, rows: list[dict]) -> None:
        """Rows of ``model``'s table in one statement (the driver batches them); they name every stamp."""
        if rows:
            await self.session.execute(insert(model.__table__), rows)


class Page(Generic[T]):
    def __init__(self, items: Sequence[T], total: int, page: int, size: int) -> None:
        self.items, self.total, self.page, self.size = list(items), total, page, size

    @property
    def pages(self) -> int:
        return page_count(self.total, self.size)


async def paged(session: AsyncSession, stmt, page: int, size: int) -> Page:
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = clamp(page, total or 0, size)
    rows = (await session.scalars(stmt.offset(page * size).limit(size))).unique().all()
    return Page(rows, total or 0, page, size)


_BY_TG = select(m.User).where(m.User.tg_id == bindparam("tg_id"))


class UserRepo(Repo):
    async def get(self, user_id: int) -> m.User | None:
        return await self.session.get(m.User, user_id)

    async def by_tg(self, tg_id: int) -> m.User | None:
        """The person of a Telegram account (every update looks them up: the statement is built once)."""
        return await self.session.scalar(_BY_TG, {"tg_id": tg_id})

    async def by_username(self, username: str) -> m.User | None:
        return await self.session.scalar(
            select(m.User).where(func.lower(m.User.username) == username.lower().lstrip("@"))
        )

    async def by_referral_code(self, code: str) -> m.User | None:
        return await self.session.scalar(select(m.User).where(m.User.referral_code == code))

    async def with_role(self, role: Role) -> Sequence[m.User]:
        return (await self.session.scalars(select(m.User).where(m.User.role == role).order_by(m.User.id))).all()

    async def holding(self, *roles: Role) -> list[m.User]:
        """Everyone who holds one of ``roles``, as their first role or one granted besides (``roles.holds``; roles
        are granted besides to the operator's staff only)."""
        stmt = select(m.User).where(m.User.role.in_(sorted({*roles, *OPERATOR_STAFF})))
        return [u for u in (await self.session.scalars(stmt.order_by(m.User.id))).unique().all()
                if holds(u, *roles)]

    async def managers_with_profiles(self) -> Sequence[m.User]:
        stmt = select(m.User).where(m.User.role == Role.MANAGER, m.User.company_id.is_not(None))
        return (await self.session.scalars(stmt.order_by(m.User.id))).unique().all()

    async def staff(self, page: int, size: int) -> Page[m.User]:
        stmt = select(m.User).where(m.User.role != Role.CLIENT).order_by(m.User.role, m.User.id)
        return await paged(self.session, stmt, page, size)

    async def get_many(self, ids) -> dict[int, m.User]:
        if not ids:
            return {}
        rows = (await self.session.scalars(select(m.User).where(m.User.id.in_(set(ids))))).unique().all()
        return {u.id: u for u in rows}


class DirectoryRepo(Repo, Generic[D]):
    """A directory's items (name, archived): ``DirectoryRepo[m.Company]`` over the companies."""

    def __init__(self, session: AsyncSession, model: type[D]) -> None:
        super().__init__(session)
        self.model = model

    async def get(self, item_id: int) -> D | None:
        return await self.session.get(self.model, item_id)

    async def by_code(self, code: str) -> D | None:
        return await self.session.scalar(select(self.model).where(self.model.code == code))

    async def list(self, *, active_only: bool = True) -> Sequence[D]:
        stmt = select(self.model).order_by(self.model.name)
        if active_only:
            stmt = stmt.where(self.model.archived.is_(False))
        return (await self.session.scalars(stmt)).all()


class InviteRepo(Repo):
    async def by_token_for_update(self, token: str) -> m.Invite | None:
        return await self.session.scalar(select(m.Invite).where(m.Invite.token == token).with_for_update())


class ApplicationRepo(Repo):
    async def get(self, app_id: int) -> m.Application | None:
        return await self.session.get(m.Application, app_id)

    async def get_for_update(self, app_id: int) -> m.Application | None:
        stmt = select(m.Application).where(m.Application.id == app_id).with_for_update(of=m.Application)
        return (await self.session.scalars(stmt)).unique().one_or_none()

    async def page(self, *, page: int, size: int, **where) -> Page[m.Application]:
        stmt = select(m.Application).order_by(m.Application.id.desc())
        if "status" in where:
            stmt = stmt.where(m.Application.status == where["status"])
        if "statuses" in where:
            stmt = stmt.where(m.Application.status.in_(where["statuses"]))
        if "participant" in where:
            uid = where["participant"]
            stmt = stmt.where(
                or_(
                    m.Application.applicant_id == uid,
                    m.Application.client_user_id == uid,
                    m.Application.referrer_id == uid,
                    m.Application.id.in_(
                        select(m.Offer.application_id).where(
                            m.Offer.manager_id == uid, m.Offer.status == OfferStatus.CHOSEN
                        )
                    ),
                )
            )
        if "mine" in where:
            uid = where["mine"]
            stmt = stmt.where(or_(m.Application.applicant_id == uid, m.Application.client_user_id == uid))
        if "referrer" in where:
            stmt = stmt.where(m.Application.referrer_id == where["referrer"])
        if "dispatched_to" in where:
            stmt = stmt.where(
                m.Application.id.in_(
                    select(m.DispatchLog.application_id).where(m.DispatchLog.manager_id == where["dispatched_to"])
                )
            )
        return await paged(self.session, stmt, page, size)

    async def deals_for(self, user_id: int, *, page: int, size: int, admin: bool) -> Page[m.Application]:
        if admin:
            return await self.page(page=page, size=size, statuses=list(DEAL_STATUSES))
        return await self.page(page=page, size=size, statuses=list(DEAL_STATUSES), participant=user_id)


class OfferRepo(Repo):
    async def get(self, offer_id: int) -> m.Offer | None:
        return await self.session.get(m.Offer, offer_id)

    async def for_application(self, app_id: int, statuses: Sequence[str] | None = None) -> Sequence[m.Offer]:
        stmt = select(m.Offer).where(m.Offer.application_id == app_id).order_by(m.Offer.id)
        if statuses is not None:
            stmt = stmt.where(m.Offer.status.in_(statuses))
        return (await self.session.scalars(stmt)).unique().all()

    async def of_company(self, app_id: int, company_id: int) -> m.Offer | None:
        stmt = select(m.Offer).where(m.Offer.application_id == app_id, m.Offer.company_id == company_id)
        return (await self.session.scalars(stmt.with_for_update(of=m.Offer))).unique().one_or_none()

    async def chosen_manager_ids(self, app_id: int) -> set[int]:
        stmt = select(m.Offer.manager_id).where(
            m.Offer.application_id == app_id, m.Offer.status == OfferStatus.CHOSEN
        )
        return set((await self.session.scalars(stmt)).all())

    async def page_for_manager(self, manager_id: int, *, page: int, size: int) -> Page[m.Offer]:
        stmt = select(m.Offer).where(m.Offer.manager_id == manager_id).order_by(m.Offer.id.desc())
        return await paged(self.session, stmt, page, size)


class HoldRepo(Repo):
    async def get(self, app_id: int, company_id: int) -> m.OfferHold | None:
        return await self.session.get(m.OfferHold, (app_id, company_id))

    async def release(self, app_id: int, company_id: int) -> None:
        hold = await self.get(app_id, company_id)
        if hold is not None:
            await self.session.delete(hold)


class AuditRepo(Repo):
    def record(self, *, entity: str, entity_id: int, actor_id: int | None, action: str,
               from_status: str | None = None, to_status: str | None = None, comment: str | None = None,
               at: datetime | None = None) -> m.AuditLog:
        row = m.AuditLog(entity=entity, entity_id=entity_id, actor_id=actor_id, action=action,
                         from_status=from_status, to_status=to_status, comment=comment)
        if at is not None:
            row.created_at = at
        return self.add(row)

    async def for_entity(self, entity: str, entity_id: int) -> Sequence[m.AuditLog]:
        stmt = select(m.AuditLog).where(m.AuditLog.entity == entity, m.AuditLog.entity_id == entity_id)
        return (await self.session.scalars(stmt.order_by(m.AuditLog.id))).all()

    async def last_decision(self, entity: str, entity_id: int) -> m.AuditLog | None:
        stmt = (select(m.AuditLog).where(m.AuditLog.entity == entity, m.AuditLog.entity_id == entity_id)
                .order_by(m.AuditLog.id.desc()).limit(1))
        return await self.session.scalar(stmt)


@dataclass(frozen=True, slots=True)
class Recipient:
    """What the sender needs of a person: where to send and in which language."""

    id: int
    tg_id: int
    role: str
    locale: str
    timezone: str


@dataclass(frozen=True, slots=True)
class Due:
    """An outbox row claimed for sending (its ``attempts`` counts this one)."""

    id: int
    user_id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    recipient: Recipient


@cache
def _claim_statement(dialect: str):
    """The sender's claim (OutboxRepo.claim), built once: it runs several times a second. On the tables, not the
    mapped classes: a Core statement, so the sender's first claim at start does not configure every mapper (the
    first update's unit of work does)."""
    o, u = m.Outbox.__table__.c, m.User.__table__.c
    due = (select(o.id).where(o.status.in_(_DUE), o.not_before <= bindparam("now"),
                              o.user_id.not_in(bindparam("busy", expanding=True)))
           .order_by(o.id).limit(bindparam("limit")))
    if dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    due = due.cte("due")

    def of_recipient(column):  # RETURNING may name only the updated table's columns (SQLite): a subquery
        return select(column).where(u.id == o.user_id).scalar_subquery()
    return (update(m.Outbox.__table__).where(o.id == due.c.id)
            .values(status=_SENDING, attempts=o.attempts + 1, not_before=bindparam("until", type_=o.not_before.type))
            .returning(o.id, o.user_id, o.kind, o.payload, o.attempts, of_recipient(u.tg_id), of_recipient(u.role),
                       of_recipient(u.locale), of_recipient(u.timezone)))


_MARK_SENT = (update(m.Outbox.__table__).where(m.Outbox.__table__.c.id.in_(bindparam("ids", expanding=True)))
              .values(status=_SENT, sent_at=bindparam("at", type_=m.Outbox.sent_at.type), last_error=None))


class OutboxRepo(Repo):
    written = False  # rows added in bulk (notify_many): the unit of work wakes the sender on commit

    def notify(self, user_id: int, notice: Payload, not_before: datetime | None = None) -> m.Outbox:
        """A notice for one person, sent after the commit (at ``not_before`` when given)."""
        row = m.Outbox(user_id=user_id, kind=notice.kind, payload=notice.data())
        if not_before is not None:
            row.not_before = not_before
        return self.add(row)

    async def notify_many(self, user_ids: Sequence[int], notice: Payload) -> list[int]:
        """The same notice to many people in one INSERT (a fan-out to thousands); their rows' ids, in order."""
        if not user_ids:
            return []
        now, kind, payload = self.now(), notice.kind, notice.data()
        ids = (await self.session.execute(
            insert(m.Outbox).returning(m.Outbox.id, sort_by_parameter_order=True),
            [{"user_id": u, "kind": kind, "payload": payload, "status": _PENDING, "attempts": 0, "not_before": now,
              "created_at": now} for u in user_ids])).scalars().all()
        self.written = True
        return list(ids)

    async def claim(self, now: datetime, limit: int, until: datetime, exclude_users: Sequence[int] | None = None
                    ) -> list[Due]:
        """Take the oldest due rows — pending ones whose time has come and ones whose sender's lease ran out (the
        process died) — and hold them until ``until``, in one UPDATE … RETURNING that also brings what the sender
        needs of each recipient. One statement is atomic by itself: two senders never take one row (on PostgreSQL
        the due rows are locked with SKIP LOCKED, so a second sender takes the next ones instead of waiting).
        ``exclude_users``: recipients whose earlier rows are still being sent."""
        conn = await self.session.connection()
        rows = (await conn.execute(_claim_statement(conn.dialect.name), {
            "now": now, "limit": limit, "until": until, "busy": list(exclude_users or ())})).all()
        return sorted((Due(id_, user_id, kind, payload, attempts, Recipient(user_id, tg_id, role, locale, tz))
                       for id_, user_id, kind, payload, attempts, tg_id, role, locale, tz in rows),
                      key=lambda row: row.id)

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        await (await self.session.connection()).execute(_MARK_SENT, {"ids": list(ids), "at": at})

    async def get(self, outbox_id: int) -> m.Outbox | None:
        return await self.session.get(m.Outbox, outbox_id)

    async def renew(self, ids: Sequence[int], until: datetime) -> None:
        """The sender still holds these rows: their lease ends at ``until``."""
        await self.session.execute(update(m.Outbox).where(m.Outbox.id.in_(ids), m.Outbox.status == _SENDING)
                                   .values(not_before=until))

    async def skip_pending_for(self, user_id: int) -> None:
        await self.session.execute(
            update(m.Outbox).where(m.Outbox.user_id == user_id, m.Outbox.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SKIPPED, last_error="blocked")
        )


class InboxRepo(Repo):
    async def record(self, update_id: int) -> bool:
        """Record an update's id; False when it was recorded before (a redelivery)."""
        try:
            await (await self.session.connection()).execute(_RECORD, {"update_id": update_id,
                                                                      "created_at": self.now()})
        except IntegrityError:
            return False
        return True


_RECORD = insert(m.ProcessedUpdate.__table__)


class DispatchRepo(Repo):
    async def add_many(self, app_id: int, sent: list[tuple[int, int]]) -> None:
        """Who was sent the application, each with its outbox row: (manager id, outbox id)."""
        if sent:
            now = self.now()
            await self.session.execute(insert(m.DispatchLog), [
                {"application_id": app_id, "manager_id": manager, "outbox_id": row, "created_at": now}
                for manager, row in sent])

    async def for_application(self, app_id: int) -> Sequence[tuple[m.DispatchLog, m.Outbox | None]]:
        stmt = (select(m.DispatchLog, m.Outbox).outerjoin(m.Outbox, m.Outbox.id == m.DispatchLog.outbox_id)
                .where(m.DispatchLog.application_id == app_id).order_by(m.DispatchLog.id))
        return (await self.session.execute(stmt)).all()

    async def open_not_sent_to(self, manager_id: int) -> Sequence[m.Application]:
        """The applications still collecting offers (dispatched) that this manager was never sent, oldest first; the
        manager's row is locked first, so two catch-ups for the same person do not both send."""
        await self.session.execute(select(m.User.id).where(m.User.id == manager_id).with_for_update())
        sent = select(m.DispatchLog.application_id).where(m.DispatchLog.manager_id == manager_id)
        stmt = (select(m.Application).where(m.Application.status == AppStatus.DISPATCHED,
                                            m.Application.id.not_in(sent)).order_by(m.Application.id))
        return (await self.session.scalars(stmt)).unique().all()

    async def was_sent(self, app_id: int, manager_id: int) -> bool:
        stmt = select(m.DispatchLog.id).where(
            m.DispatchLog.application_id == app_id, m.DispatchLog.manager_id == manager_id
        )
        return (await self.session.scalar(stmt)) is not None


class DealMessageRepo(Repo):
    async def get(self, msg_id: int) -> m.DealMessage | None:
        return await self.session.get(m.DealMessage, msg_id)

    async def by_chat_message(self, chat_id: int, message_id: int) -> m.DealMessage | None:
        stmt = select(m.DealMessage).where(m.DealMessage.chat_id == chat_id, m.DealMessage.message_id == message_id)
        return await self.session.scalar(stmt)

    async def album(self, app_id: int, media_group_id: str) -> Sequence[m.DealMessage]:
        stmt = (select(m.DealMessage)
                .where(m.DealMessage.application_id == app_id, m.DealMessage.media_group_id == media_group_id)
                .order_by(m.DealMessage.message_id))
        return (await self.session.scalars(stmt)).all()

    async def history(self, app_id: int, *, page: int, size: int) -> Page[m.DealMessage]:
        stmt = select(m.DealMessage).where(m.DealMessage.application_id == app_id).order_by(m.DealMessage.id.desc())
        return await paged(self.session, stmt, page, size)


class RelayRepo(Repo):
    async def find(self, chat_id: int, message_id: int) -> m.RelayCopy | None:
        stmt = select(m.RelayCopy).where(m.RelayCopy.chat_id == chat_id, m.RelayCopy.message_id == message_id)
        return await self.session.scalar(stmt)

    async def copies_of(self, deal_message_id: int) -> Sequence[m.RelayCopy]:
        stmt = select(m.RelayCopy).where(m.RelayCopy.deal_message_id == deal_message_id)
        return (await self.session.scalars(stmt)).all()


class PersonalDataRepo(Repo):
    """What is stored about one person, and its anonymisation in place (see core.domain.kernel.privacy)."""

    def _applications(self, user_id: int):
        return or_(m.Application.applicant_id == user_id, m.Application.client_user_id == user_id)

    async def gather(self, user: m.User) -> dict[str, Any]:
        s = self.session
        apps = (await s.scalars(select(m.Application).where(self._applications(user.id))
                                .order_by(m.Application.id))).all()
        messages = (await s.scalars(select(m.DealMessage).where(m.DealMessage.sender_id == user.id)
                                    .order_by(m.DealMessage.id))).all()
        contact = await s.scalar(select(m.Contact).where(m.Contact.user_id == user.id))
        theirs = m.Lead.client_user_id == user.id  # the requests they left, and their card's
        leads = (await s.scalars(select(m.Lead).where(or_(theirs, m.Lead.contact_id == contact.id) if contact
                                                      else theirs).order_by(m.Lead.id))).all()
        offers = (await s.scalars(select(m.Offer).where(m.Offer.manager_id == user.id).order_by(m.Offer.id))).all()
        lead_messages = (await s.scalars(select(m.LeadNote).where(m.LeadNote.author_id == user.id)
                                         .order_by(m.LeadNote.id))).all()
        audit = (await s.scalars(select(m.AuditLog).where(
            or_(m.AuditLog.actor_id == user.id, (m.AuditLog.entity == "user") & (m.AuditLog.entity_id == user.id)))
            .order_by(m.AuditLog.id))).all()
        return {"applications": apps, "messages": messages, "contact": contact, "leads": leads, "offers": offers,
                "audit": audit, "lead_messages": lead_messages}

    async def anonymise(self, user: m.User, marker: str) -> None:
        s, uid, name = self.session, user.id, user.name  # (the contact step expires what the session holds)
        app_ids = select(m.Application.id).where(self._applications(uid)).scalar_subquery()
        await s.execute(update(m.Application).where(m.Application.id.in_(app_ids))
                        .values(client_name=marker, client_phone="", version=m.Application.version + 1))
        await s.execute(delete(m.ApplicationFile).where(m.ApplicationFile.application_id.in_(
            select(m.Application.id).where(m.Application.applicant_id == uid).scalar_subquery())))
        mine = select(m.DealMessage.id).where(m.DealMessage.sender_id == uid).scalar_subquery()
        await s.execute(update(m.DealMessageEdit).where(m.DealMessageEdit.deal_message_id.in_(mine))
                        .values(old_text=None, new_text=None))
        await s.execute(update(m.DealMessage).where(m.DealMessage.sender_id == uid)
                        .values(text=None, file_id=None, file_name=None))
        # what they wrote on leads (a client's messages): the words forgotten, the facts of the copy too; the leads
        # they left no longer know them
        await s.execute(update(m.LeadNote).where(m.LeadNote.author_id == uid).values(text=None, params=None))
        await s.execute(update(m.Lead).where(m.Lead.client_user_id == uid)
                        .values(client_user_id=None, version=m.Lead.version + 1))
        contact = await s.scalar(select(m.Contact).where(m.Contact.user_id == uid))
        client_ids = select(m.Client.id).where(m.Client.user_id == uid).scalar_subquery()
        names = {name, *(await s.scalars(select(m.Client.name).where(m.Client.user_id == uid))),
                 *([contact.name] if contact else [])}
        await s.execute(update(m.Deal).where(m.Deal.client_id.in_(client_ids), m.Deal.name.in_(names))
                        .values(name=marker, version=m.Deal.version + 1))
        if contact is not None:
            await self.anonymise_contact(contact, marker, also_named=names)
        await s.execute(update(m.Client).where(m.Client.user_id == uid).values(name=marker, user_id=None))
        await s.execute(delete(m.Outbox).where(m.Outbox.user_id == uid, m.Outbox.status == OutboxStatus.PENDING))
        await s.execute(delete(m.ManagerProfile).where(m.ManagerProfile.user_id == uid))
        s.expire_all()

    async def contact_by_phone(self, phone: str) -> m.Contact | None:
        return await self.session.scalar(select(m.Contact).join(m.ContactPhone)
                                         .where(m.ContactPhone.phone == phone))

    async def gather_contact(self, contact: m.Contact) -> dict[str, Any]:
        """What the CRM keeps about a person known by phone: their card, their leads with the notes on them, the
        deals made with them, and applications that name their phone as the client's."""
        s = self.session
        phones = [p.phone for p in contact.phones]
        leads = (await s.scalars(select(m.Lead).where(m.Lead.contact_id == contact.id).order_by(m.Lead.id))).all()
        notes = (await s.scalars(select(m.LeadNote).where(m.LeadNote.lead_id.in_([x.id for x in leads]))
                                 .order_by(m.LeadNote.id))).all()
        deals = (await s.scalars(select(m.Deal).where(m.Deal.contact_id == contact.id).order_by(m.Deal.id))).all()
        apps = (await s.scalars(select(m.Application).where(m.Application.client_phone.in_(phones))
                                .order_by(m.Application.id))).all() if phones else []
        return {"contact": contact, "phones": phones, "leads": leads, "notes": notes, "deals": deals,
                "applications": apps}

    async def anonymise_contact(self, contact: m.Contact, marker: str, also_named: Iterable[str] = ()) -> None:
        """The card emptied (name, phones, city, comment, messengers, the link to an account), its leads' city,
        comment and notes forgotten, applications naming its phones and deals named after the person given the
        marker; statuses, sums, sources and dates stay for the reports."""
        s = self.session
        phones = list(await s.scalars(select(m.ContactPhone.phone).where(m.ContactPhone.contact_id == contact.id)))
        if phones:
            await s.execute(update(m.Application).where(m.Application.client_phone.in_(phones))
                            .values(client_name=marker, client_phone="", version=m.Application.version + 1))
        names = {contact.name, *also_named}
        client_ids = select(m.ClientContact.client_id).where(m.ClientContact.contact_id == contact.id) \
            .scalar_subquery()
        await s.execute(update(m.Deal).where(or_(m.Deal.contact_id == contact.id, m.Deal.client_id.in_(client_ids)),
                                             m.Deal.name.in_(names))
                        .values(name=marker, version=m.Deal.version + 1))
        await s.execute(update(m.Client).where(m.Client.id.in_(client_ids), m.Client.name.in_(names))
                        .values(name=marker))
        lead_ids = select(m.Lead.id).where(m.Lead.contact_id == contact.id).scalar_subquery()
        await s.execute(update(m.LeadNote).where(m.LeadNote.lead_id.in_(lead_ids)).values(text=marker))
        await s.execute(update(m.Lead).where(m.Lead.contact_id == contact.id)
                        .values(city=None, comment=None, given_name=None, version=m.Lead.version + 1))
        await s.execute(delete(m.ContactPhone).where(m.ContactPhone.contact_id == contact.id))
        await s.execute(update(m.Contact).where(m.Contact.id == contact.id)
                        .values(name=marker, city=None, comment=None, messengers={}, user_id=None))
        s.expire_all()
