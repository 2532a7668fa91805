"""The unit of work: one session, the repositories over it, and the only commit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import get_args, get_origin, get_type_hints

from sqlalchemy import event
from sqlalchemy.exc import IntegrityError as DuplicateRow  # noqa: F401  a unique key refused the row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError as StaleRow  # noqa: F401  another transaction changed it first

from core.clock import Clock
from core.db import campaigns as cp
from core.db import deals as dl
from core.db import leads as ld
from core.db import leasing as ls
from core.db.kernel import deployment as dp
from core.db.kernel import documents as dc
from core.db.kernel import models as m
from core.db.kernel import repositories as r
from core.db.kernel import tasks as tk
from core.db.kernel.engine import STANDALONE


class _Repo:
    """A repository of the unit's open session, made on first use and kept until the unit closes."""

    def __init__(self, name: str, cls: type[r.Repo], *args) -> None:
        self.name, self.cls, self.args = name, cls, args

    def __get__(self, uow, owner=None):
        if uow is None:
            return self
        if uow.session is None:
            raise RuntimeError("unit of work not open")
        repo = uow.__dict__[self.name] = self.cls(uow.session, *self.args)
        return repo


class UnitOfWork:
    """``async with uow:`` opens a transaction; ``await uow.commit()`` ends it; leaving without commit rolls back.

    ``on_commit`` callbacks run after a commit that wrote outbox rows (the sender wakes up). ``clock`` is the time
    every rule of the use case reads (``uow.clock.now()``), and the one that stamps the rows it writes
    (``created_at``, ``updated_at``): the composition root gives the machine's, tests a clock they set.

    The repositories are the typed attributes below: ``uow.deals`` is a ``DealRepo``, so a reader (and an editor's
    "go to definition") follows ``uow.deals.visible`` to its statement. Each is made on its first use in a
    transaction (most use cases touch two or three) and kept until the unit closes; a directory's type names its
    model (``DirectoryRepo[m.Company]``).
    """

    users: r.UserRepo
    companies: r.DirectoryRepo[m.Company]
    categories: r.DirectoryRepo[m.Category]
    regions: r.DirectoryRepo[m.Region]
    sources: r.DirectoryRepo[m.Source]
    invites: r.InviteRepo
    applications: r.ApplicationRepo
    offers: r.OfferRepo
    holds: r.HoldRepo
    audit: r.AuditRepo
    outbox: r.OutboxRepo
    inbox: r.InboxRepo
    dispatch: r.DispatchRepo
    deal_messages: r.DealMessageRepo
    relays: r.RelayRepo
    personal: r.PersonalDataRepo
    contacts: ld.ContactRepo
    leads: ld.LeadRepo
    reports: ld.ReportRepo
    tasks: tk.TaskRepo
    deals: dl.DealRepo
    deal_list: dl.DealListQueries
    statuses: dl.StatusRepo
    clients: dl.ClientRepo
    payments: dl.PaymentRepo
    orders: dl.OrderRepo
    feed: dl.FeedRepo
    stages: cp.StageRepo
    counterparties: cp.CounterpartyRepo
    access_groups: cp.AccessGroupRepo
    cadences: r.DirectoryRepo[m.Cadence]
    surveys: cp.SurveyRepo
    campaigns: cp.CampaignRepo
    members: cp.MemberRepo
    interactions: cp.InteractionRepo
    quotes: cp.QuoteRepo
    documents: dc.DocumentRepo
    mail: dc.MailRepo
    order_money: dc.OrderMoneyRepo
    exchange: cp.ExchangeRepo
    deployment: dp.DeploymentRepo
    leases: ls.LeaseRepo
    books: ls.LeaseBooksRepo
    ksef: ls.KsefRepo

    def __init__(self, session_factory: async_sessionmaker[AsyncSession],
                 on_commit: Callable[[], None] | None = None, *, clock: Clock,
                 standalone_factory: async_sessionmaker[AsyncSession] | None = None,
                 reactions: Mapping[type, tuple[Callable[..., Awaitable[None]], ...]], mail_on: bool = True) -> None:
        self._factory = session_factory
        self.mail_on = mail_on  # an SMTP server is configured: the КП and the invoice go by e-mail (else by hand)
        self.reactions = reactions  # who reacts to a domain event (core.services.reactions, from the composition root)
        self._standalone_factory = standalone_factory  # sessions whose statements stand alone by their bind
        self._on_commit = on_commit
        self.clock = clock
        self._standalone = False
        self.session: AsyncSession | None = None

    def standalone(self) -> UnitOfWork:
        """Each statement is its own transaction: for a use case that only reads (a list, a page, the board) or
        whose one write is a single atomic statement (the sender's claim). On SQLite there is no BEGIN IMMEDIATE,
        so a read neither waits for nor holds the writer's lock; on PostgreSQL no BEGIN and COMMIT round trips.
        A new unit (the same database, wake-up and clock): the one it was made from keeps its transactions, so a
        handler that reads through a standalone service and then writes still writes in a transaction.
        ``async with uow.standalone() as unit:``"""
        if self._standalone_factory is not None:  # the bind does it: no round trip to set the connection up
            return UnitOfWork(self._standalone_factory, self._on_commit, clock=self.clock, reactions=self.reactions,
                              mail_on=self.mail_on)
        unit = UnitOfWork(self._factory, self._on_commit, clock=self.clock, reactions=self.reactions,
                          mail_on=self.mail_on)
        unit._standalone = True
        return unit

    async def __aenter__(self) -> UnitOfWork:
        if self.session is not None:
            raise RuntimeError("unit of work already open")
        s = self.session = self._factory()
        s.info[CLOCK] = self.clock
        if self._standalone:
            # SQLite: no BEGIN IMMEDIATE; PostgreSQL: autocommit, no BEGIN and ROLLBACK round trips
            options = {"isolation_level": "AUTOCOMMIT"} if s.bind.dialect.name == "postgresql" else {STANDALONE: True}
            await s.connection(execution_options=options)
        return self

    async def __aexit__(self, *exc) -> None:
        # close() ends an uncommitted transaction with a rollback, but keeps loaded objects readable
        session, self.session = self.session, None
        for name in _REPOS:  # the repositories served this session only
            self.__dict__.pop(name, None)
        await session.close()

    def add(self, obj):
        """A new row, written at the next flush or the commit."""
        self.session.add(obj)
        return obj

    @property
    def changed(self) -> bool:
        """Whether the transaction has rows to write (a use case that may find nothing to do commits only then)."""
        return bool(self.session.new or self.session.dirty)

    async def flush(self) -> None:
        await self.session.flush()

    async def commit(self) -> None:
        outbox = self.__dict__.get("outbox")
        wrote_outbox = (outbox is not None and outbox.written) or any(isinstance(o, m.Outbox) for o in self.session.new)
        await self.session.commit()
        if wrote_outbox and self._on_commit is not None:
            self._on_commit()


def _repositories(cls: type[UnitOfWork]) -> list[str]:
    """Each annotated repository of the unit becomes an attribute made on first use (``_Repo``): the annotation is
    the one place a repository is declared. Returns their names."""
    names = []
    for name, hint in get_type_hints(cls).items():
        repo = get_origin(hint) or hint
        if isinstance(repo, type) and issubclass(repo, r.Repo):
            setattr(cls, name, _Repo(name, repo, *get_args(hint)))
            names.append(name)
    return names


_REPOS = _repositories(UnitOfWork)


CLOCK = r.CLOCK
_STAMPED = ("created_at", "updated_at", "not_before")  # not_before: an outbox row is due at once unless told


@event.listens_for(Session, "before_flush")
def _stamp(session: Session, _flush_context, _instances) -> None:
    """Rows added through a unit of work get their ``created_at`` (and ``updated_at``, an outbox row its
    ``not_before``) from the unit's clock when not given; a row changed gets its ``updated_at`` (when a column
    really changed): the models have no wall-clock defaults. A statement that inserts or updates rows itself names
    them. One listener on the session: a pair on every mapper cost ~0.4 MB of SQLAlchemy's event structures."""
    clock = session.info.get(CLOCK)
    if clock is None:
        return
    now = clock.now()
    for target in session.new:
        for name in _STAMPED:
            if target.__dict__.get(name) is None and hasattr(type(target), name):
                setattr(target, name, now)
    for target in session.dirty:
        if hasattr(type(target), "updated_at") and session.is_modified(target, include_collections=False):
            target.updated_at = now
