"""The tables. Every change here comes with an alembic revision in migrations/versions."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates
from sqlalchemy.schema import CreateIndex

from core.db.kernel.types import Fixed, LocaleName, Money, UTCDateTime, ZoneName
from core.domain.kernel.preferences import locale_or_default, zone_or_default
from core.domain.kernel.roles import Role
from core.domain.kernel.tasks import OutboxStatus, TaskStatus

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def partial_index(name: str, *columns: Any, where: str, **kw: Any) -> Index:
    """An index of the rows ``where`` holds, on SQLite and PostgreSQL alike (the same ``CREATE INDEX … WHERE``).

    Not written as ``sqlite_where=``/``postgresql_where=``: SQLAlchemy loads a dialect to check its keywords, so
    every start on SQLite would load PostgreSQL's dialect (~2.4 MB resident) for them. The predicate is kept in
    the index's ``info`` and added when the index's CREATE is compiled, for the database in use
    (tests/services/kernel/test_schema.py checks each is the migrations' index, predicate included)."""
    return Index(name, *columns, info={"where": where}, **kw)


@compiles(CreateIndex)
def _create_partial_index(create: CreateIndex, compiler: Any, **kw: Any) -> str:
    ddl = compiler.visit_create_index(create, **kw)
    where = create.element.info.get("where")
    return f"{ddl} WHERE {where}" if where else ddl  # WHERE ends CREATE INDEX in both SQLite and PostgreSQL


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), Decimal: Money(), dict[str, Any]: JSON()}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    tg_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16), default="client")
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # gets their overdue alerts
    referral_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    locale: Mapped[str] = mapped_column(LocaleName(8), default="ru")  # read back valid: core.domain.kernel.preferences
    timezone: Mapped[str] = mapped_column(ZoneName(64), default="Europe/Moscow")
    phone: Mapped[str | None] = mapped_column(String(20))
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column()
    consent_version: Mapped[str | None] = mapped_column(String(32))  # the consent text the person accepted
    consent_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]  # personal data anonymised on request; the row stays for the accounts
    # roles held besides ``role`` (a head of sales who also approves КП): core.domain.kernel.roles.Role values
    extra_roles: Mapped[list[str] | None] = mapped_column(JSON, default=list)

    company: Mapped[Company | None] = relationship(lazy="joined")
    profile: Mapped[ManagerProfile | None] = relationship(lazy="joined", uselist=False)

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the person holds: ``role`` (the one their menu opens with) and the ones granted besides."""
        return frozenset({Role(self.role), *(Role(r) for r in self.extra_roles or ())})

    @validates("locale")
    def _shipped_locale(self, _key: str, value: str) -> str:  # stored valid too: an unknown one is the default's
        return locale_or_default(value)

    @validates("timezone")
    def _known_zone(self, _key: str, value: str) -> str:
        return zone_or_default(value)


class ManagerProfile(Base):
    __tablename__ = "manager_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    categories: Mapped[list[int]] = mapped_column(JSON, default=list)
    regions: Mapped[list[int]] = mapped_column(JSON, default=list)
    amount_min: Mapped[Decimal | None]
    amount_max: Mapped[Decimal | None]
    term_min: Mapped[int | None]
    term_max: Mapped[int | None]


class DirectoryItem:
    """A row of a directory the admins keep: a unique name, archived rather than deleted."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Company(DirectoryItem, Base):
    __tablename__ = "companies"


class Category(DirectoryItem, Base):
    __tablename__ = "categories"


class Region(DirectoryItem, Base):
    __tablename__ = "regions"


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(48), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id"))  # a marketplace partner's manager
    # the operator's team a staff invite joins (issue 27): a partner company's manager is invited to the company
    team_id: Mapped[int | None] = mapped_column(ForeignKey("access_groups.id", ondelete="SET NULL"))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    used_at: Mapped[datetime | None]


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    description: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal]
    term_months: Mapped[int] = mapped_column(Integer)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"))
    client_name: Mapped[str] = mapped_column(String(128))
    client_phone: Mapped[str] = mapped_column(String(20))
    question: Mapped[str | None] = mapped_column(Text)  # the admin's question or rejection reason
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1)

    files: Mapped[list[ApplicationFile]] = relationship(
        order_by="ApplicationFile.id", cascade="all, delete-orphan", lazy="selectin"
    )
    category: Mapped[Category] = relationship(lazy="joined")
    region: Mapped[Region] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class ApplicationFile(Base):
    __tablename__ = "application_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # document | photo
    file_id: Mapped[str] = mapped_column(String(256))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(256))
    mime_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int | None] = mapped_column(Integer)


class DispatchLog(Base):
    """Who was sent which application; delivery is the state of the linked outbox row."""

    __tablename__ = "dispatch_log"
    __table_args__ = (UniqueConstraint("application_id", "manager_id", name="uq_dispatch_application_manager"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[datetime] = mapped_column()


class Offer(Base):
    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("application_id", "company_id", name="uq_offer_application_company"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active")
    monthly_payment: Mapped[Decimal]
    term_months: Mapped[int] = mapped_column(Integer)
    advance: Mapped[Decimal]
    buyout: Mapped[Decimal]
    comment: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(256))
    file_kind: Mapped[str | None] = mapped_column(String(16))
    file_name: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    company: Mapped[Company] = relationship(lazy="joined")
    manager: Mapped[User] = relationship(lazy="joined", foreign_keys=[manager_id])


class OfferHold(Base):
    """A company's offer slot, held for the manager filling the form."""

    __tablename__ = "offer_holds"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[datetime]

    manager: Mapped[User] = relationship(lazy="joined")


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()


class Outbox(Base):
    """Notifications written with the change that causes them; one sender delivers them."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)  # OutboxStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None]


class DealMessage(Base):
    """One message written in a deal room, kept with its file and its edits."""

    __tablename__ = "deal_messages"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id", name="uq_deal_messages_chat_message"),
        Index("ix_deal_messages_album", "application_id", "media_group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sender_role: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    media_group_id: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # text | photo | document
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(256))
    file_name: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column()

    edits: Mapped[list[DealMessageEdit]] = relationship(order_by="DealMessageEdit.id", lazy="selectin")


class DealMessageEdit(Base):
    __tablename__ = "deal_message_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_message_id: Mapped[int] = mapped_column(ForeignKey("deal_messages.id", ondelete="CASCADE"), index=True)
    old_text: Mapped[str | None] = mapped_column(Text)
    new_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()


class RelayCopy(Base):
    """Where a deal message landed in a recipient's chat, so replies find their deal."""

    __tablename__ = "relay_copies"
    __table_args__ = (UniqueConstraint("chat_id", "message_id", name="uq_relay_copies_chat_message"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    deal_message_id: Mapped[int | None] = mapped_column(ForeignKey("deal_messages.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))


class FsmRecord(Base):
    """aiogram dialog state, kept in the database so a restart continues the dialog."""

    __tablename__ = "fsm_state"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(128))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column()


class ProcessedUpdate(Base):
    """Inbox: update ids already handled, so a redelivered update is not applied twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column()


# --- leads, contacts, sources, tasks (seed 004) ---------------------------------------------------------------

class Source(DirectoryItem, Base):
    """Where a lead came from; mandatory on every lead and deal. ``code`` makes the link ?start=src_<code>."""

    __tablename__ = "sources"

    code: Mapped[str] = mapped_column(String(32), unique=True, default=lambda: secrets.token_urlsafe(6))
    # who works the leads that arrive from it (a link, an import row naming nobody); none: the manager with the
    # fewest open leads (core.domain.leads.lifecycle.pick_responsible)
    default_responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Contact(Base):
    """One card per phone number for the whole company."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    city: Mapped[str | None] = mapped_column(String(128))
    comment: Mapped[str | None] = mapped_column(Text)
    messengers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    erased_at: Mapped[datetime | None]  # anonymised on the person's request (core.services.kernel.privacy)

    phones: Mapped[list[ContactPhone]] = relationship(order_by="ContactPhone.id", lazy="selectin",
                                                      cascade="all, delete-orphan")


class ContactPhone(Base):
    __tablename__ = "contact_phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # E.164


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_responsible_status", "responsible_id", "status"),
        # the funnel report reads only this index: a period's leads, their source and the stages they reached
        Index("ix_leads_funnel", "created_at", "source_id", "reached_records", "reached_visits", "reached_contracts",
              "reached_prepaid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16))
    debt_amount: Mapped[Decimal | None]
    city: Mapped[str | None] = mapped_column(String(128))
    comment: Mapped[str | None] = mapped_column(Text)
    # the name the request gave when its phone's card bears another («Нина Петрова» with Иван's phone): kept on the
    # lead and shown with the card's, until a person takes it for the card
    given_name: Mapped[str | None] = mapped_column(String(128))
    meeting_at: Mapped[datetime | None]
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # the person in the bot who left this request by a source link's form (their messages are kept on it, the
    # answers go to them), whether or not the phone they typed binds them to the contact card
    client_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column()
    # the funnel stages this lead has ever reached (core.domain.leads.lifecycle.FUNNEL), set in the transaction that
    # moves it, so the report is one pass over this table: 1 reached, 0 not
    reached_records: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    reached_visits: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    reached_contracts: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    reached_prepaid: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1)

    contact: Mapped[Contact] = relationship(lazy="joined")
    source: Mapped[Source] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class LeadStatusChange(Base):
    """The status history the funnel report counts from."""

    __tablename__ = "lead_status_history"
    __table_args__ = (Index("ix_lead_status_history_lead", "lead_id", "to_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column()


class CallAttempt(Base):
    __tablename__ = "call_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()


class LeadNote(Base):
    """The lead's feed (core.domain.leads.feed): a duplicate that arrived, the client's messages and the answers, as
    facts in ``params``; a person's words in ``text`` as typed (a line written before 0039 keeps its sentence there,
    shown as it was written)."""

    __tablename__ = "lead_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16), default="note")  # core.domain.leads.feed.NoteKind
    text: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the kind's facts: core.domain.leads.feed
    created_at: Mapped[datetime] = mapped_column()


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_due", "status", "due_at"),
        # the scheduler's two scans read only the rows still to remind or to alert: partial indexes keep them small
        partial_index("ix_tasks_to_remind", "due_at", where="status = 'open' AND reminded_at IS NULL"),
        partial_index("ix_tasks_to_alert", "due_at", where="status = 'open' AND overdue_alerted_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the words a person typed; a task core made has none (its code and params name it: task_code.*), but one
    # made before 0023 keeps the sentence it was made with
    title: Mapped[str | None] = mapped_column(String(256))
    code: Mapped[str | None] = mapped_column(String(32))  # set on auto-tasks
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what its code's words need (a number, a version)
    auto_status: Mapped[str | None] = mapped_column(String(16))  # the lead status whose entry created it
    responsible_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=TaskStatus.OPEN.value)  # TaskStatus
    due_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    overdue_alerted_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]  # when it closed (done or cancelled)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who closed it (none: the scheduler)
    close_reason: Mapped[str | None] = mapped_column(String(16))  # TaskClose: why it closed
    created_at: Mapped[datetime] = mapped_column()


class DealStatus(Base):
    """A pipeline's status: a directory the admins edit (name, order, colour, final); seeded per pipeline."""

    __tablename__ = "deal_statuses"
    __table_args__ = (UniqueConstraint("pipeline", "code", name="uq_deal_statuses_pipeline_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline: Mapped[str] = mapped_column(String(16))
    code: Mapped[str | None] = mapped_column(String(32))  # the seed's statuses; None for those an admin adds
    name: Mapped[str] = mapped_column(String(128))
    position: Mapped[int] = mapped_column(Integer, default=0)
    color: Mapped[str] = mapped_column(String(16), default="#5b8def")
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Client(Base):
    """Whom a deal is made with — seed 003's client and seed 001's «Контрагент» are this one directory: an
    organisation (INN, KPP, OGRN …, what the cold call learns of it) with its contacts (one card per phone)."""

    __tablename__ = "clients"
    __table_args__ = (
        # one counterparty per INN and KPP: a company's branches share its INN, each with its own KPP (a person's
        # or a sole trader's 12-digit INN has no KPP: one counterparty per INN)
        partial_index("uq_clients_inn_kpp", "inn", text("coalesce(kpp, '')"), unique=True, where="inn IS NOT NULL"),
        partial_index("uq_clients_nip", "nip", unique=True, where="nip IS NOT NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    inn: Mapped[str | None] = mapped_column(String(12))  # checked by core.domain.campaigns.counterparties
    kpp: Mapped[str | None] = mapped_column(String(9))
    ogrn: Mapped[str | None] = mapped_column(String(15))
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    city: Mapped[str | None] = mapped_column(String(128))
    access_group_id: Mapped[int | None] = mapped_column(ForeignKey("access_groups.id"))
    potential: Mapped[str | None] = mapped_column(Text)
    competitors: Mapped[str | None] = mapped_column(Text)
    volumes: Mapped[str | None] = mapped_column(Text)  # purchase volumes
    assortment: Mapped[str | None] = mapped_column(Text)  # the preliminary assortment
    cadence_id: Mapped[int | None] = mapped_column(ForeignKey("cadences.id"))  # how often to call
    ship_unpaid: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))  # its contract
    # allows shipping before payment (seed 001, stage 13)
    # seed 002, a Polish lessor's client or vendor: its kind and identifiers (core.domain.leasing.pl_ids checks them)
    kind: Mapped[str | None] = mapped_column(String(16))  # core.domain.leasing.case.ClientKind
    vendor: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))  # a Sprzedawca
    nip: Mapped[str | None] = mapped_column(String(10))
    regon: Mapped[str | None] = mapped_column(String(14))
    krs: Mapped[str | None] = mapped_column(String(10))
    pesel: Mapped[str | None] = mapped_column(String(11))
    iban: Mapped[str | None] = mapped_column(String(34))


class AccessGroup(DirectoryItem, Base):
    """A group of staff a counterparty belongs to (seed 001 «Группа доступа»): its head gets the rerouting task."""

    __tablename__ = "access_groups"

    head_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("access_groups.id", ondelete="SET NULL"))  # nested
    duty: Mapped[str | None] = mapped_column(String(16), unique=True)  # core.domain.campaigns.orders.Duty: the group
    # whose head gets the purchasing, the contract or the shipping task of an order (seed 001, stages 12–14)


class AccessGroupMember(Base):
    __tablename__ = "access_group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("access_groups.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class Cadence(DirectoryItem, Base):
    """How often to call a counterparty: «2 недели» is ``count`` 2 of ``unit`` week
    (core.domain.campaigns.counterparties)."""

    __tablename__ = "cadences"

    count: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(8))  # day | week | month


class SurveyTemplate(DirectoryItem, Base):
    """«Шаблон опрос»: the questions a campaign's executor asks in stage 1."""

    __tablename__ = "survey_templates"

    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    questions: Mapped[list[SurveyQuestion]] = relationship(order_by="SurveyQuestion.position", lazy="selectin")


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("template_id", "position", name="uq_survey_questions_template_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_templates.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))  # core.domain.campaigns.survey.Kind
    options: Mapped[list[str]] = mapped_column(JSON, default=list)


class Campaign(Base):
    """The «Холодный обзвон» document: rows of counterparties, a survey template, an executor; posted once."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16))  # core.domain.campaigns.campaign.CampaignStatus
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    executor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("survey_templates.id"))
    created_at: Mapped[datetime] = mapped_column()
    posted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CampaignRow(Base):
    """A counterparty of a campaign (once per campaign) and, once posted, its deal."""

    __tablename__ = "campaign_rows"
    __table_args__ = (UniqueConstraint("campaign_id", "client_id", name="uq_campaign_rows_campaign_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    row_no: Mapped[int] = mapped_column(Integer)  # the file's row, or the order it was picked in
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"), unique=True)


class ClientContact(Base):
    __tablename__ = "client_contacts"

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class Deal(Base):
    """A deal in a pipeline: the marketplace's approved applications and the law firm's contracts."""

    __tablename__ = "deals"
    __table_args__ = (
        # the list ("my deals", newest first) and the board (my deals of a pipeline, newest per status) read these
        Index("ix_deals_responsible", "responsible_id", "id"),
        Index("ix_deals_responsible_board", "responsible_id", "pipeline", "status_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(256), default="")
    status_id: Mapped[int] = mapped_column(ForeignKey("deal_statuses.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(32))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), unique=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), unique=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)  # the main contact
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    creator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    budget: Mapped[Decimal] = mapped_column(default=Decimal("0.00"))  # the payments still to come
    created_at: Mapped[datetime] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1)

    status: Mapped[DealStatus] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class DealContact(Base):
    """A contact of the deal: copied from the client when the deal is made; removing one leaves the client as is."""

    __tablename__ = "deal_contacts"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class Payment(Base):
    """A planned payment of a deal; received or still to come."""

    __tablename__ = "payments"
    __table_args__ = (
        # the overdue scan reads only the payments still to come that nobody was told about
        partial_index("ix_payments_overdue", "due_on", where="received_at IS NULL AND reminded_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal]
    due_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]  # the overdue reminder went out
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)  # a
    # payment registered for one order (seed 001, stage 14's key)
    created_at: Mapped[datetime] = mapped_column()
    bank_ref: Mapped[str | None] = mapped_column(String(128), index=True, unique=True)  # the bank's document it
    # was booked from (1C's client-bank exchange file): a second import of it books nothing


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"), unique=True)  # the КП it was built from
    number: Mapped[str] = mapped_column(String(32), unique=True)
    ordered_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(16), default="new")
    created_at: Mapped[datetime] = mapped_column()
    # seed 001, stages 12–14: the tasks made for this order, and when it was shipped (its shipping task done)
    purchase_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    contract_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    ship_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    shipped_at: Mapped[datetime | None]

    lines: Mapped[list[OrderLine]] = relationship(order_by="OrderLine.position", lazy="selectin",
                                                  cascade="all, delete-orphan")


class FeedItem(Base):
    """The deal's feed: comments (with a file), reminders set, reminders done, status changes; newest first."""

    __tablename__ = "deal_feed"
    __table_args__ = (Index("ix_deal_feed_deal", "deal_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # core.domain.deals.FeedKind
    # a comment's words as typed; a line written before ``params`` existed keeps its sentence here (shown as is)
    text: Mapped[str | None] = mapped_column(Text)
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the kind's facts: core.domain.kernel.feed
    file_id: Mapped[str | None] = mapped_column(String(256))  # Telegram's file id: never a URL
    file_kind: Mapped[str | None] = mapped_column(String(16))  # photo | document
    file_name: Mapped[str | None] = mapped_column(String(256))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()


class Quote(Base):
    """A version of a deal's commercial offer (КП, seed 001 stages 6–10); a rework is a new version, the old ones
    stay readable with who approved or returned them."""

    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("deal_id", "version", name="uq_quotes_deal_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # core.domain.campaigns.quotes.QuoteStatus
    valid_until: Mapped[date | None] = mapped_column(Date)
    terms: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who approved or returned it
    decided_at: Mapped[datetime | None]
    decision_comment: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]

    lines: Mapped[list[QuoteLine]] = relationship(order_by="QuoteLine.position", lazy="selectin",
                                                  cascade="all, delete-orphan")


class LineFields:
    """A line of a КП's version or of an order (seed 001): the item, how many of what unit, the price without VAT,
    the discount and the VAT rate (core.domain.campaigns.quotes.Line counts it)."""

    position: Mapped[int] = mapped_column(Integer)
    item: Mapped[str] = mapped_column(String(256))
    quantity: Mapped[Decimal] = mapped_column(Fixed(3))
    unit: Mapped[str] = mapped_column(String(16))
    price: Mapped[Decimal]  # per unit, without VAT
    discount: Mapped[Decimal] = mapped_column(Fixed(2))  # per cent
    vat: Mapped[Decimal | None] = mapped_column(Fixed(2))  # per cent; None: «без НДС»

    def fields(self) -> dict[str, Any]:
        """The line's fields, for a copy of it (the next version, the order built from the КП)."""
        return {f: getattr(self, f) for f in ("position", "item", "quantity", "unit", "price", "discount", "vat")}


class QuoteLine(LineFields, Base):
    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), index=True)


class ApprovalRule(Base):
    """An admin's rule: who approves a subject (a КП …) from an amount up (core.domain.campaigns.approval)."""

    __tablename__ = "approval_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(16))
    min_amount: Mapped[Decimal]
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class OrderLine(LineFields, Base):
    """A line of a customer's order, copied from the approved КП it was built from."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)


class DealMember(Base):
    """«Сотрудники по сделке»: people who keep seeing a deal they no longer lead (a rerouted deal's executor)."""

    __tablename__ = "deal_members"
    __table_args__ = (Index("ix_deal_members_user", "user_id", "deal_id"),)

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column()


class SurveyAnswer(Base):
    """An answer to one question of the deal's survey; the survey is done when every question has one."""

    __tablename__ = "survey_answers"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)  # str | number as text | list[str] | bool | ISO date
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column()


class Interaction(Base):
    """A contact with the counterparty the process asks for: the business card (stage 3, by e-mail or fax) and the
    planned calls (stage 5, one after another by the cadence); each has its task for the executor."""

    __tablename__ = "interactions"
    __table_args__ = (Index("ix_interactions_deal", "deal_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(8))  # card | call
    number: Mapped[int] = mapped_column(Integer, default=1)  # the n-th call
    channel: Mapped[str | None] = mapped_column(String(8))  # email | fax | phone, when done
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    planned_at: Mapped[datetime] = mapped_column()
    done_at: Mapped[datetime | None]
    done_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None]  # an e-mail of it is being sent since then (a claim that lapses)
    note: Mapped[str | None] = mapped_column(Text)


class DealStage(Base):
    """A deal's stay in a stage of its process (core.domain.campaigns.stages): entered, due, its deadline's action done
    (``expired_at``: once), left, by whom. A stage may be entered again: a row each time. The open row of a deal is
    the one with no ``left_at``."""

    __tablename__ = "deal_stages"
    __table_args__ = (
        Index("ix_deal_stages_deal", "deal_id", "id"),
        # the scheduler's deadline scan reads just the open, not yet acted on rows by their due time
        partial_index("ix_deal_stages_due", "due_at", where="left_at IS NULL AND expired_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    process: Mapped[str] = mapped_column(String(32))
    stage: Mapped[str] = mapped_column(String(32))
    entered_at: Mapped[datetime] = mapped_column()
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the scheduler
    due_at: Mapped[datetime | None] = mapped_column()  # the control deadline; None: the stage has none
    expired_at: Mapped[datetime | None] = mapped_column()  # when the deadline's action was done
    left_at: Mapped[datetime | None] = mapped_column()
    left_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(Text)  # why the deal was closed (entering the closing stage)


class AutoTaskSwitch(Base):
    """An admin's switch for one auto-task rule; a rule with no row is on."""

    __tablename__ = "auto_task_switches"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class DigestLog(Base):
    """The morning digest a person got on a local date: one a day, whatever the number of processes."""

    __tablename__ = "digest_log"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_digest_log_user_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column()


class Document(Base):
    """A generated document (a КП's PDF, an order's invoice): its bytes are kept here once, and Telegram's file id
    once it was uploaded, so every later send goes by that id. The outboxes carry only this row's id."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # core.domain.documents.DocKind
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    file_name: Mapped[str] = mapped_column(String(128))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    tg_file_id: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column()


class DocTemplate(Base):
    """An admin's template for a kind of document (HTML with Jinja placeholders); with none, the built-in one."""

    __tablename__ = "doc_templates"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column()


class MailOutbox(Base):
    """An e-mail written with the change that causes it, delivered by the mail worker: exactly as Telegram's outbox
    (claimed under a lease, retried with backoff, parked with the error). Sending it may complete an interaction
    (``interaction_id``: the КП or the invoice sent, a stage's key)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_addr: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(256))
    body: Mapped[str] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id", ondelete="SET NULL"))
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who asked for it
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING.value)  # OutboxStatus
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None]
    # given on its first attempt and kept for every resend: unique across deployments (core.services.kernel.mail), and
    # the Message-IDs of the deal's earlier messages it follows, oldest first (References; the last, In-Reply-To)
    message_id: Mapped[str | None] = mapped_column(String(255), index=True, unique=True)
    thread: Mapped[str | None] = mapped_column(Text)


# --- seed 002: a Polish lessor's case, from the offer to «Przekazanie do płatności» ----------------------------

class LeaseCase(Base):
    """A lease's life beside its deal (pipeline «leasing»: the workspace lists it, its feed and documents are the
    deal's): the status of core.domain.leasing.case, the offer the client accepted, the scoring and the decision."""

    __tablename__ = "lease_cases"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # core.domain.leasing.case.LeaseStatus
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    sales_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # the salesperson
    subject: Mapped[str] = mapped_column(String(256))  # what is leased
    currency: Mapped[str] = mapped_column(String(3))
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("lease_offers.id"))  # the accepted one
    score: Mapped[int | None] = mapped_column(Integer)
    verdict: Mapped[str | None] = mapped_column(String(16))  # core.domain.leasing.scoring.Verdict
    analyst_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    motion: Mapped[str | None] = mapped_column(Text)  # the analyst's wniosek ryzyka
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]  # the verification payment (wpłata weryfikująca) came from the client's
    verified_amount: Mapped[Decimal | None]  # own account: identity and account confirmed
    contract_offer_id: Mapped[int | None] = mapped_column(ForeignKey("lease_offers.id"))  # the version the contract
    # was generated from: the back office's check compares it with the accepted one
    contract_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    terms_accepted_at: Mapped[datetime | None]  # the client read the contract's terms in the bot and accepted them
    # --- Uruchomienie (issue 19)
    vendor_paid_on: Mapped[date | None] = mapped_column(Date)  # the object paid for to the vendor
    vendor_paid_amount: Mapped[Decimal | None]
    vendor_payment_ref: Mapped[str | None] = mapped_column(String(64))
    registration: Mapped[str | None] = mapped_column(String(32))  # the object's registration number
    handed_over_on: Mapped[date | None] = mapped_column(Date)  # the schedule runs from this day
    schedule_version: Mapped[int | None] = mapped_column(Integer)  # the version in force (lease_schedule_lines)
    late_rate: Mapped[Decimal | None] = mapped_column(Fixed(2))  # a contractual late-interest rate; None: statutory
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class LeaseFile(Base):
    """A document of the case a person sent (Kompletacja dokumentów, the signed scan): Telegram's file id, never a
    URL; the back office accepts or rejects it with a reason. A file sent again for the same kind replaces it."""

    __tablename__ = "lease_files"
    __table_args__ = (Index("ix_lease_files_deal", "deal_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # core.domain.leasing.case: a checklist's or the signing's
    status: Mapped[str] = mapped_column(String(16))  # sent | accepted | rejected | replaced
    tg_file_id: Mapped[str] = mapped_column(String(256))
    file_name: Mapped[str | None] = mapped_column(String(256))
    mime_type: Mapped[str | None] = mapped_column(String(128))
    size: Mapped[int | None] = mapped_column(Integer)
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime | None]


class LeaseOffer(Base):
    """A version of the case's offer: the calculation's inputs and its figures; a change of terms is a new version,
    the old ones stay readable."""

    __tablename__ = "lease_offers"
    __table_args__ = (UniqueConstraint("deal_id", "version", name="uq_lease_offers_deal_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # draft | sent | accepted | superseded
    price: Mapped[Decimal]
    vat: Mapped[Decimal] = mapped_column(Fixed(2))
    months: Mapped[int] = mapped_column(Integer)
    rate: Mapped[Decimal] = mapped_column(Fixed(2))
    advance: Mapped[Decimal]
    residual: Mapped[Decimal]
    fee: Mapped[Decimal]
    method: Mapped[str] = mapped_column(String(16))
    timing: Mapped[str] = mapped_column(String(16))
    start: Mapped[date] = mapped_column(Date)
    financed: Mapped[Decimal]
    instalment: Mapped[Decimal]  # the first line's payment, net
    total: Mapped[Decimal]
    valid_until: Mapped[date] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    # accepted on the client's behalf (a client outside Telegram): the salesperson who recorded it and the signed
    # acceptance they attached (Telegram's file id, never a URL); None: the client accepted it in the bot
    accepted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accepted_file_id: Mapped[str | None] = mapped_column(String(256))
    accepted_file_name: Mapped[str | None] = mapped_column(String(256))


class LeaseConsent(Base):
    """A consent given for the case (Zgody): which, the version of its text, by whom and when."""

    __tablename__ = "lease_consents"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    consent: Mapped[str] = mapped_column(String(16), primary_key=True)  # core.domain.leasing.case.Consent
    text_version: Mapped[str] = mapped_column(String(16))
    given_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    given_at: Mapped[datetime] = mapped_column()


class LeaseSecurity(Base):
    """A security of the case (Zabezpieczenia): a surety names its guarantor, a deposit its amount."""

    __tablename__ = "lease_securities"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)  # core.domain.leasing.case.Security
    detail: Mapped[str | None] = mapped_column(String(64))
    amount: Mapped[Decimal | None]


class LeaseCondition(Base):
    """A condition of a conditional decision, to meet before the signing: who met it and when."""

    __tablename__ = "lease_conditions"
    __table_args__ = (Index("ix_lease_conditions_deal", "deal_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(512))
    met_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    met_at: Mapped[datetime | None]


class RegistryFetch(Base):
    """What G2I fetched for the case from an outside registry (the VAT white list): kept with the application,
    as it came, or the error when the registry was down, slow or answered garbage."""

    __tablename__ = "registry_fetches"
    __table_args__ = (Index("ix_registry_fetches_deal", "deal_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(32))  # which registry
    query: Mapped[str] = mapped_column(String(64))
    ok: Mapped[bool] = mapped_column(Boolean)
    payload: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(String(256))
    fetched_at: Mapped[datetime] = mapped_column()


class ScoringTable(Base):
    """The scoring automaton's rule table as an admin typed it; the newest row is in force, the old ones stay."""

    __tablename__ = "scoring_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column()


# --- seed 002 part 2: the running contract's books (Uruchomienie, Rozliczanie) ---------------------------------

class LeaseSchedule(Base):
    """A version of a contract's schedule: the first from the handover date, a new one at each resumption; the
    old versions stay readable."""

    __tablename__ = "lease_schedules"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    reason: Mapped[str] = mapped_column(String(16))  # handover | resumption
    start: Mapped[date] = mapped_column(Date)
    made_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    made_at: Mapped[datetime] = mapped_column()


class LeaseScheduleLine(Base):
    """A line of a schedule version: an instalment (net, its VAT, gross) or the residual; ``key`` is the line's
    name across versions, which the charge it becomes carries (a line is charged once, whatever the version)."""

    __tablename__ = "lease_schedule_lines"
    __table_args__ = (UniqueConstraint("deal_id", "version", "key", name="uq_lease_schedule_lines_key"),
                      Index("ix_lease_schedule_lines_due", "due"))

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(8))  # i1 … i120, r (the residual)
    kind: Mapped[str] = mapped_column(String(16))  # core.domain.leasing.books.ChargeKind
    n: Mapped[int] = mapped_column(Integer)
    due: Mapped[date] = mapped_column(Date)
    net: Mapped[Decimal]
    vat: Mapped[Decimal]
    gross: Mapped[Decimal]
    interest: Mapped[Decimal]  # the lessor's interest part of the instalment (not late interest)
    principal: Mapped[Decimal]


class LeaseCharge(Base):
    """What the client owes: appended, never changed in amount. ``paid_off`` marks the day allocations covered it
    (the dunning scan's index reads the open ones); the balance is always charges less receipts."""

    __tablename__ = "lease_charges"
    __table_args__ = (UniqueConstraint("deal_id", "key", name="uq_lease_charges_key"),
                      # the dunning scan's: the open charges only, with all it reads of them (no table lookups)
                      partial_index("ix_lease_charges_open", "due", "deal_id", "kind", "id", where="paid_off IS NULL"),
                      Index("ix_lease_charges_booked", "booked_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # core.domain.leasing.books.ChargeKind
    key: Mapped[str] = mapped_column(String(40))  # what makes it once: i5, initial_fee, int:2027-01-31, fee:…
    net: Mapped[Decimal]
    vat: Mapped[Decimal]
    gross: Mapped[Decimal]
    due: Mapped[date] = mapped_column(Date)
    booked_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(256))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    paid_off: Mapped[date | None] = mapped_column(Date)


class LeaseReceipt(Base):
    """What came in: a payment (by hand, from a statement) or a credit note; ``key`` makes it once (a statement's
    line, a typed payment's message)."""

    __tablename__ = "lease_receipts"
    __table_args__ = (Index("ix_lease_receipts_deal", "deal_id", "id"),
                      partial_index("ix_lease_receipts_unspent", "deal_id", where="spent_on IS NULL"))

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # core.domain.leasing.books.ReceiptKind
    key: Mapped[str] = mapped_column(String(80), unique=True)
    amount: Mapped[Decimal]
    paid_on: Mapped[date] = mapped_column(Date)  # the value date: late interest runs to it
    source: Mapped[str] = mapped_column(String(16))  # manual | statement | system
    reference: Mapped[str | None] = mapped_column(String(256))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    spent_on: Mapped[date | None] = mapped_column(Date)  # the day allocations used it all (a marker, like paid_off)
    account: Mapped[str | None] = mapped_column(String(34))  # the payer's IBAN, when the statement gave it
    # a payment typed by hand, later found on a statement: that line's key (the line is this receipt, never booked
    # again)
    line_key: Mapped[str | None] = mapped_column(String(80), unique=True)


class LeaseAllocation(Base):
    """This much of a receipt pays that charge."""

    __tablename__ = "lease_allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("lease_receipts.id", ondelete="CASCADE"), index=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("lease_charges.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal]
    created_at: Mapped[datetime] = mapped_column()


class LeaseInvoice(Base):
    """A faktura for a charge, or a correcting one for a credit note: its number in a yearly series, given in the
    transaction that books what it bills (no gaps, never twice)."""

    __tablename__ = "lease_invoices"
    __table_args__ = (UniqueConstraint("series", "seq", name="uq_lease_invoices_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("lease_charges.id", ondelete="CASCADE"), unique=True)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("lease_receipts.id", ondelete="CASCADE"), unique=True)
    series: Mapped[str] = mapped_column(String(16))  # FV/2027, FK/2027
    seq: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    # a correcting one: the faktura it corrects and what it changes of that faktura's line (negative: less)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("lease_invoices.id", ondelete="CASCADE"), index=True)
    net: Mapped[Decimal | None]
    vat: Mapped[Decimal | None]
    # KSeF (core.services.leasing.books.ksef): the number KSeF gave it and the UPO (its official receipt, XML)
    ksef_number: Mapped[str | None] = mapped_column(String(64))
    ksef_upo: Mapped[str | None] = mapped_column(Text)


class KsefSubmission(Base):
    """A faktura on its way to KSeF: its FA(3) XML as built once (the QR codes print its hash), the mode it was
    issued in (offline when KSeF was down), and where the sending stands. Written in the transaction that issues
    the faktura; the scheduler sends what is pending, so a restart loses nothing and KSeF gets it once."""

    __tablename__ = "ksef_submissions"
    __table_args__ = (Index("ix_ksef_submissions_due", "status", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("lease_invoices.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # core.domain.leasing.ksef.SubmissionStatus
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    xml: Mapped[str | None] = mapped_column(Text)
    xml_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256, base64
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime] = mapped_column()
    session_ref: Mapped[str | None] = mapped_column(String(64))
    invoice_ref: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(String(512))
    created_at: Mapped[datetime] = mapped_column()
    done_at: Mapped[datetime | None] = mapped_column()


class LeaseSeries(Base):
    """The last number given in each invoice series; its row is locked while numbers are given."""

    __tablename__ = "lease_series"

    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class LeaseRun(Base):
    """A scheduled money run done for a day (accrual, interest, dunning, commissions): written in the run's
    transaction, so a second scheduler or a rerun finds it and adds nothing."""

    __tablename__ = "lease_runs"

    job: Mapped[str] = mapped_column(String(16), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime] = mapped_column()


class LeaseStatement(Base):
    """A bank statement imported (MT940 or CSV): its digest makes a second import of the same file add nothing."""

    __tablename__ = "lease_statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str | None] = mapped_column(String(256))
    lines: Mapped[int] = mapped_column(Integer)
    booked: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column()


class LeaseStatementLine(Base):
    """A statement's line the books could not take (an unknown or closed contract, another currency): kept for the
    collections team to settle by hand, never lost."""

    __tablename__ = "lease_statement_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("lease_statements.id", ondelete="CASCADE"), index=True)
    n: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal]
    currency: Mapped[str | None] = mapped_column(String(3))
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(256))
    problem: Mapped[str] = mapped_column(String(32))
    account: Mapped[str | None] = mapped_column(String(34))  # the payer's IBAN, when the statement gave it
    key: Mapped[str | None] = mapped_column(String(80))  # the line's key (core.domain.leasing.bank_statement)
    # assigned to a contract by the back office in the chat: booked then as if matched
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"))
    assigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime | None]


class LeaseClientAccount(Base):
    """A bank account a lessor's client pays from, learned from what the books saw (a statement's line assigned to
    the client's contract in the chat): the statement matching finds the client by it, as by the card's IBAN."""

    __tablename__ = "lease_client_accounts"
    __table_args__ = (Index("ix_lease_client_accounts_iban", "iban"),)

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True)
    iban: Mapped[str] = mapped_column(String(34), primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # assigned
    created_at: Mapped[datetime] = mapped_column()


class LeaseDunning(Base):
    """A dunning level sent for a debt (the oldest unpaid charge when it was sent): once per level and debt."""

    __tablename__ = "lease_dunnings"
    __table_args__ = (UniqueConstraint("deal_id", "charge_id", "days", name="uq_lease_dunnings_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("lease_charges.id", ondelete="CASCADE"))
    days: Mapped[int] = mapped_column(Integer)  # the level
    name: Mapped[str] = mapped_column(String(128))
    owed: Mapped[Decimal]  # what was overdue when it was sent
    by_letter: Mapped[bool] = mapped_column(Boolean)  # the client is not in the bot: a letter for the back office
    sent_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column()


class LeaseTable(Base):
    """An admin's table for the books (the dunning levels, the late-interest rates) as typed; the newest of each
    kind is in force, the old ones stay."""

    __tablename__ = "lease_tables"
    __table_args__ = (Index("ix_lease_tables_kind", "kind", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # levels | rates
    body: Mapped[str] = mapped_column(Text)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column()


class LeaseInsurance(Base):
    """The object's insurance policy: reminders go before it ends."""

    __tablename__ = "lease_insurances"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    insurer: Mapped[str] = mapped_column(String(128))
    policy_no: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column()
    reminded_days: Mapped[int | None] = mapped_column(Integer)  # the last reminder sent (days before the end)


class LeaseSuspension(Base):
    """A suspension of the contract, from ``since`` to the day before ``resumed_on``."""

    __tablename__ = "lease_suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    since: Mapped[date] = mapped_column(Date)
    resumed_on: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(512))
    by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LeaseCommission(Base):
    """A commission on a launched contract, for its salesperson or its vendor, settled in the month after the
    launch's."""

    __tablename__ = "lease_commissions"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True)
    party: Mapped[str] = mapped_column(String(8), primary_key=True)  # sales | vendor
    period: Mapped[str] = mapped_column(String(7), index=True)  # 2027-01: the launch's month
    base: Mapped[Decimal]
    percent: Mapped[Decimal] = mapped_column(Fixed(2))
    amount: Mapped[Decimal]
    settled_on: Mapped[date] = mapped_column(Date)


class LeaseIdentityCheck(Base):
    """«Weryfikacja tożsamości»: a verification transfer checked against the client's card (core.domain.leasing.ending
    .check_identity): passed or failed by itself, or left to a person, whose decision is kept beside it."""

    __tablename__ = "lease_identity_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    payer_name: Mapped[str | None] = mapped_column(String(256))
    payer_iban: Mapped[str] = mapped_column(String(34))
    amount: Mapped[Decimal]
    result: Mapped[str] = mapped_column(String(16))  # core.domain.leasing.ending.IdentityResult
    reasons: Mapped[str] = mapped_column(String(64))  # codes, comma-separated: account, name, no_name, no_account
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who typed the transfer in
    checked_at: Mapped[datetime] = mapped_column()
    decision: Mapped[str | None] = mapped_column(String(16))  # a person's: passed | failed
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]


class LeaseEnding(Base):
    """How a contract ended (core.domain.leasing.ending.EndKind), once per kind: the buyout's ownership transfer
    protocol, an early termination's settlement, the object's return protocol; the document made of it."""

    __tablename__ = "lease_endings"
    __table_args__ = (UniqueConstraint("deal_id", "kind", name="uq_lease_endings_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    day: Mapped[date] = mapped_column(Date)
    principal: Mapped[Decimal | None]  # a termination's: net
    interest: Mapped[Decimal | None]
    fee: Mapped[Decimal | None]
    notes: Mapped[str | None] = mapped_column(Text)  # a return's protocol: the object's state
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("lease_invoices.id"))  # the buyout's wykup faktura
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    made_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: by itself
    made_at: Mapped[datetime] = mapped_column()


class Deployment(Base):
    """What this deployment runs (core.domain.kernel.deployment.Area), as the first admin answered: one row. No row, or
    ``areas`` NULL: never answered, so everything runs, as on the installs older than the question."""

    __tablename__ = "deployment"

    id: Mapped[int] = mapped_column(primary_key=True)
    areas: Mapped[list[str] | None] = mapped_column(JSON)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column()
    # the deal pipeline a lead's contract opens (core.domain.kernel.deployment.LeadPipeline); NULL: the default
    pipeline: Mapped[str | None] = mapped_column(String(16))
