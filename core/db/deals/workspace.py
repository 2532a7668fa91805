"""The deal workspace's statements (seed 003): the deal scope as SQL, the list's and the board's read model (Core
statements, built once per shape of filter and cached), and the repositories of deals, statuses, clients,
payments, orders and the feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Integer, bindparam, delete, func, or_, select, update

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo
from core.db.kernel.types import Money
from core.domain.deals.workspace import FeedKind, OrderStatus, Pipeline, Scope, Viewer
from core.domain.kernel.access import Scope as AccessScope
from core.domain.kernel.feed import Entry
from core.domain.kernel.permissions import Record
from core.domain.kernel.roles import STAFF
from core.domain.kernel.tasks import TaskStatus

# ---------------------------------------------------------------- the list and the board (read model)


@dataclass(frozen=True)
class Filter:
    mine: bool = True  # the default: deals where I am the responsible manager
    status_id: int | None = None
    manager_id: int | None = None
    client_id: int | None = None
    query: str | None = None
    pipeline: str | None = None
    source_id: int | None = None


@dataclass(frozen=True)
class Row:
    id: int
    name: str
    manager: str | None
    client: str | None
    next_reminder: datetime | None  # None: «Нет задач»
    budget: Decimal
    status_id: int
    status: str
    color: str
    source: str | None = None  # where the client came from (seed 004: mandatory on a law-firm deal)
    amount: Decimal | None = None  # what the deal is worth (``amount_of``); None: nobody said


# The list's and the board's statements are built once per shape of filter (which conditions it has), from Core
# tables with bound parameters, and cached: building an ORM select with aliased entities costs more than running it.
DEALS, STATUSES, TASKS = m.Deal.__table__, m.DealStatus.__table__, m.Task.__table__
ORDERS, LEADS = m.Order.__table__, m.Lead.__table__
MEMBERS = m.DealMember.__table__
MANAGER, CLIENT = m.User.__table__.alias("manager"), m.Client.__table__.alias("client")
SOURCE = m.Source.__table__.alias("source")
GROUPS, GROUP_MEMBERS, CLIENTS = m.AccessGroup.__table__, m.AccessGroupMember.__table__, m.Client.__table__


@dataclass(frozen=True)
class Shape:
    scope: Scope
    mine: bool
    manager: bool
    status: bool
    client: bool
    pipeline: bool
    query: bool
    source: bool = False


def shape(viewer: Viewer, f: Filter) -> tuple[Shape, dict]:
    """The filter's shape (which conditions the statement has) and its parameters."""
    params = {"me": viewer.id, "company": viewer.company_id, "teams": sorted(viewer.teams),
              "manager_id": f.manager_id, "status_id": f.status_id,
              "client_id": f.client_id, "pipeline": f.pipeline, "source_id": f.source_id,
              "like": f"%{f.query.strip().lower()}%" if f.query else None}
    return Shape(viewer.scope(mine=f.mine), f.mine, bool(f.manager_id), bool(f.status_id), bool(f.client_id),
                 bool(f.pipeline), bool(f.query), bool(f.source_id)), params


def _conditions(s: Shape) -> list:
    """The scope as SQL (core.domain.deals.workspace.Viewer.scope says which), then the filter."""
    d = DEALS.c
    out = []
    # «Сотрудники по сделке» (a rerouted deal's former executor) keep seeing it
    member_of = d.id.in_(select(MEMBERS.c.deal_id).where(MEMBERS.c.user_id == bindparam("me")))
    if s.scope == Scope.TEAMS:
        # the deals of the teams: their responsible works in one (member or head), or their counterparty belongs
        # to one (seed 001's «Группа доступа»)
        teams = bindparam("teams", expanding=True)
        people = select(GROUP_MEMBERS.c.user_id).where(GROUP_MEMBERS.c.group_id.in_(teams)).union(
            select(GROUPS.c.head_id).where(GROUPS.c.id.in_(teams), GROUPS.c.head_id.is_not(None)))
        grouped = select(CLIENTS.c.id).where(CLIENTS.c.access_group_id.in_(teams))
        out.append(or_(d.responsible_id == bindparam("me"), d.responsible_id.in_(people), d.client_id.in_(grouped),
                       member_of))
    elif s.scope == Scope.COMPANY:
        colleagues = select(m.User.__table__.c.id).where(m.User.__table__.c.company_id == bindparam("company"))
        out.append(or_(d.responsible_id == bindparam("me"), d.responsible_id.in_(colleagues), member_of))
    elif s.scope == Scope.OWN:
        out.append(or_(d.responsible_id == bindparam("me"), member_of))
    if s.mine:
        out.append(d.responsible_id == bindparam("me"))
    if s.manager:
        out.append(d.responsible_id == bindparam("manager_id"))
    if s.status:
        out.append(d.status_id == bindparam("status_id"))
    if s.client:
        out.append(d.client_id == bindparam("client_id"))
    if s.pipeline:
        out.append(d.pipeline == bindparam("pipeline"))
    if s.source:
        out.append(d.source_id == bindparam("source_id"))
    if s.query:
        out.append(or_(func.lower(d.name).like(bindparam("like")), func.lower(CLIENT.c.name).like(bindparam("like"))))
    return out


def visible(viewer: Viewer, stmt):
    """``stmt`` (over the deals table) limited to the deals this person sees."""
    s, params = shape(viewer, Filter(mine=False))
    return stmt.where(*_conditions(s)).params(params)


def amount_of(deals):
    """What a deal is worth, as a list row and its page show it: its orders' total (the cancelled left out), else the
    amount its lead was given («Сумма сделки»; a law firm's «Сумма долга»), else its payments still to come; NULL
    when none of these says anything."""
    orders = (select(func.sum(ORDERS.c.amount)).where(ORDERS.c.deal_id == deals.c.id,
                                                      ORDERS.c.status != OrderStatus.CANCELLED.value)
              .correlate(deals).scalar_subquery())
    lead = select(LEADS.c.debt_amount).where(LEADS.c.id == deals.c.lead_id).correlate(deals).scalar_subquery()
    return func.coalesce(orders, lead, func.nullif(deals.c.budget, 0), type_=Money()).label("amount")


def _row_columns(deals):
    """What a list row and a card show, for the deals of ``deals`` (the table or a ranked subquery of it)."""
    next_reminder = (select(func.min(TASKS.c.due_at))
                     .where(TASKS.c.deal_id == deals.c.id, TASKS.c.status == TaskStatus.OPEN.value)
                     .correlate(deals).scalar_subquery())
    return (select(deals.c.id, deals.c.name, MANAGER.c.name, CLIENT.c.name, next_reminder, deals.c.budget,
                   deals.c.status_id, STATUSES.c.name, STATUSES.c.color, SOURCE.c.name, amount_of(deals))
            .select_from(deals.join(STATUSES, STATUSES.c.id == deals.c.status_id)
                         .outerjoin(MANAGER, MANAGER.c.id == deals.c.responsible_id)
                         .outerjoin(CLIENT, CLIENT.c.id == deals.c.client_id)
                         .outerjoin(SOURCE, SOURCE.c.id == deals.c.source_id)))


@lru_cache(maxsize=512)
def _rows_query(s: Shape):
    return _row_columns(DEALS).where(*_conditions(s))


@lru_cache(maxsize=512)
def page_query(s: Shape):
    # the page's bounds are written into the statement when it runs (literal_execute): with a bound LIMIT,
    # PostgreSQL's cached generic plan sorts all of a manager's deals instead of reading the index backwards
    return (_rows_query(s).order_by(DEALS.c.id.desc())
            .offset(bindparam("offset", type_=Integer, literal_execute=True))
            .limit(bindparam("limit", type_=Integer, literal_execute=True)))


def _role():
    users = m.User.__table__.c
    return select(users.role).where(users.id == bindparam("me")).scalar_subquery()


def _extra_roles():
    users = m.User.__table__.c
    return select(users.extra_roles).where(users.id == bindparam("me")).scalar_subquery()


@lru_cache(maxsize=512)
def count_query(s: Shape, with_role: bool = False):
    """How many deals match: the deals table alone, unless the search reads the client's name."""
    source = DEALS.outerjoin(CLIENT, CLIENT.c.id == DEALS.c.client_id) if s.query else DEALS
    stmt = select(func.count()).select_from(source).where(*_conditions(s))
    return stmt.add_columns(_role(), _extra_roles()) if with_role else stmt


@lru_cache(maxsize=512)
def counts_per_status(s: Shape, with_role: bool = False):
    source = DEALS.outerjoin(CLIENT, CLIENT.c.id == DEALS.c.client_id) if s.query else DEALS
    stmt = (select(DEALS.c.status_id, func.count(), func.coalesce(func.sum(DEALS.c.budget), 0))
            .select_from(source).where(*_conditions(s)).group_by(DEALS.c.status_id))
    return stmt.add_columns(_role(), _extra_roles()) if with_role else stmt


@lru_cache(maxsize=512)
def board_ids(s: Shape):
    """The newest cards of each status: row_number() per status over the matching deals' ids (the index
    ix_deals_responsible_board holds them in order). Kept apart from the cards' columns: joined in one statement,
    PostgreSQL misjudges how few rows pass ``n <= cards`` and reads the whole deals table."""
    source = DEALS.outerjoin(CLIENT, CLIENT.c.id == DEALS.c.client_id) if s.query else DEALS
    ranked = (select(DEALS.c.id, func.row_number().over(partition_by=DEALS.c.status_id,
                                                        order_by=DEALS.c.id.desc()).label("n"))
              .select_from(source).where(*_conditions(s)).subquery("ranked"))
    return select(ranked.c.id).where(ranked.c.n <= bindparam("cards", type_=Integer, literal_execute=True))


LIVE_STATUSES = (select(STATUSES).where(STATUSES.c.pipeline == bindparam("pipeline"), STATUSES.c.archived.is_(False))
                 .order_by(STATUSES.c.position, STATUSES.c.id))
CARDS = _row_columns(DEALS).where(DEALS.c.id.in_(bindparam("ids", expanding=True))).order_by(DEALS.c.id.desc())

class DealListQueries(Repo):
    """The list's and the board's statements on the unit's connection: nothing here is an ORM object, and the ORM's
    execution path would cost more than the statements."""

    async def _conn(self):
        return await self.session.connection()

    async def counted(self, stmt, params: dict) -> list:
        return (await (await self._conn()).execute(stmt, params)).all()

    async def page(self, s: Shape, params: dict, offset: int, limit: int) -> list[Row]:
        rows = (await (await self._conn()).execute(page_query(s), {**params, "offset": offset, "limit": limit}))
        return [Row(*r) for r in rows.all()]

    async def board(self, s: Shape, params: dict, cards: int) -> list[Row]:
        conn = await self._conn()
        ids = (await conn.execute(board_ids(s), {**params, "cards": cards})).scalars().all()
        return [Row(*r) for r in (await conn.execute(CARDS, {"ids": list(ids)})).all()] if ids else []

    async def live_statuses(self, pipeline: str) -> list:
        return (await (await self._conn()).execute(LIVE_STATUSES, {"pipeline": pipeline})).all()


# ---------------------------------------------------------------- deals, their statuses, clients


class StatusRepo(Repo):
    async def get(self, status_id: int) -> m.DealStatus | None:
        return await self.session.get(m.DealStatus, status_id)

    async def of(self, pipeline: str, *, with_archived: bool = False) -> list[m.DealStatus]:
        """A pipeline's statuses in order."""
        stmt = select(m.DealStatus).where(m.DealStatus.pipeline == pipeline)
        if not with_archived:
            stmt = stmt.where(m.DealStatus.archived.is_(False))
        return list((await self.session.scalars(stmt.order_by(m.DealStatus.position, m.DealStatus.id))).all())

    async def first(self, pipeline: str, code: str | None = None) -> m.DealStatus | None:
        """The pipeline's first live status, or its live status of this code."""
        stmt = select(m.DealStatus).where(m.DealStatus.pipeline == pipeline, m.DealStatus.archived.is_(False))
        stmt = stmt.where(m.DealStatus.code == code) if code else stmt
        return await self.session.scalar(stmt.order_by(m.DealStatus.position, m.DealStatus.id).limit(1))

    async def last_position(self, pipeline: str) -> int:
        return await self.session.scalar(select(func.max(m.DealStatus.position))
                                         .where(m.DealStatus.pipeline == pipeline)) or 0


class ClientRepo(Repo):
    async def get(self, client_id: int) -> m.Client | None:
        return await self.session.get(m.Client, client_id)

    async def of_contact(self, contact_id: int) -> m.Client | None:
        return await self.session.scalar(select(m.Client).join(m.ClientContact).where(
            m.ClientContact.contact_id == contact_id).order_by(m.Client.id).limit(1))

    async def of_user(self, user_id: int) -> m.Client | None:
        return await self.session.scalar(select(m.Client).where(m.Client.user_id == user_id))

    async def contact_ids(self, client_id: int) -> list[int]:
        return list((await self.session.scalars(select(m.ClientContact.contact_id).where(
            m.ClientContact.client_id == client_id).order_by(m.ClientContact.contact_id))).all())

    async def link(self, client_id: int, contact_id: int) -> None:
        """The contact is one of the client's (once)."""
        if await self.session.get(m.ClientContact, (client_id, contact_id)) is None:
            self.session.add(m.ClientContact(client_id=client_id, contact_id=contact_id))

    async def named(self, query: str, limit: int) -> list[m.Client]:
        return list((await self.session.scalars(select(m.Client).where(
            func.lower(m.Client.name).like(f"%{query}%")).order_by(m.Client.name).limit(limit))).all())


class DealRepo(Repo):
    async def get(self, deal_id: int) -> m.Deal | None:
        return await self.session.get(m.Deal, deal_id)

    async def visible(self, viewer: Viewer, deal_id: int) -> m.Deal | None:
        """The deal, if this person sees it (the scope, as the list has it)."""
        return await self.session.scalar(visible(viewer, select(m.Deal).where(m.Deal.id == deal_id)))

    async def of_lead(self, lead_id: int, viewer: Viewer) -> m.Deal | None:
        """The deal a lead's contract made, if this person sees it."""
        return await self.session.scalar(visible(viewer, select(m.Deal).where(m.Deal.lead_id == lead_id)))

    async def of_contact(self, contact_id: int, viewer: Viewer | None = None) -> list[m.Deal]:
        """The contact's deals (those ``viewer`` reads, when given)."""
        stmt = select(m.Deal).where(m.Deal.contact_id == contact_id).order_by(m.Deal.id)
        return list((await self.session.scalars(visible(viewer, stmt) if viewer else stmt)).all())

    async def contacts(self, deal_id: int) -> list[m.Contact]:
        return list((await self.session.scalars(select(m.Contact).join(m.DealContact).where(
            m.DealContact.deal_id == deal_id).order_by(m.Contact.id))).all())

    async def contact_ids(self, deal_id: int) -> set[int]:
        return set((await self.session.scalars(select(m.DealContact.contact_id).where(
            m.DealContact.deal_id == deal_id))).all())

    async def has_contact(self, deal_id: int, contact_id: int) -> bool:
        return await self.session.get(m.DealContact, (deal_id, contact_id)) is not None

    async def add_contact(self, deal_id: int, contact_id: int) -> None:
        if not await self.has_contact(deal_id, contact_id):
            self.session.add(m.DealContact(deal_id=deal_id, contact_id=contact_id))

    async def remove_contact(self, deal_id: int, contact_id: int) -> bool:
        gone = await self.session.execute(delete(m.DealContact).where(
            m.DealContact.deal_id == deal_id, m.DealContact.contact_id == contact_id))
        return bool(gone.rowcount)

    async def first_contact_id(self, deal_id: int) -> int | None:
        return await self.session.scalar(select(m.DealContact.contact_id).where(
            m.DealContact.deal_id == deal_id).order_by(m.DealContact.contact_id).limit(1))

    async def open(self, *, pipeline: Pipeline, status: m.DealStatus, name: str, client: m.Client,
                   main_contact_id: int | None, **fields) -> m.Deal:
        """A new deal of ``client`` whose contacts are copied into it."""
        await self.session.flush()
        contacts = (await self.session.scalars(select(m.ClientContact.contact_id).where(
            m.ClientContact.client_id == client.id).order_by(m.ClientContact.contact_id))).all()
        deal = m.Deal(pipeline=pipeline, name=name[:256], status_id=status.id, client_id=client.id,
                      contact_id=main_contact_id or (contacts[0] if contacts else None), budget=Decimal("0.00"),
                      **fields)
        self.session.add(deal)
        await self.session.flush()
        self.session.add_all(m.DealContact(deal_id=deal.id, contact_id=c) for c in contacts)
        return deal

    async def refresh(self, deal: m.Deal) -> None:
        await self.session.refresh(deal)

    async def follow_application(self, app_id: int, status_code: str) -> None:
        """The marketplace deal of an application takes the status of the same code (seed 003 «market»)."""
        status_id = select(m.DealStatus.id).where(m.DealStatus.pipeline == Pipeline.MARKET,
                                                  m.DealStatus.code == status_code).scalar_subquery()
        await self.session.execute(update(m.Deal).where(m.Deal.application_id == app_id)
                                   .values(status_id=func.coalesce(status_id, m.Deal.status_id),
                                           version=m.Deal.version + 1))

    async def colleagues(self, viewer: Viewer) -> list[m.User]:
        """Whom a deal can be given to, or filtered by: staff the person reaches (``Viewer.may_give_to``): anyone
        for «all»; else the people of their teams, of their partner company, or themselves."""
        stmt = select(m.User).where(m.User.role.in_(sorted(STAFF)))
        if viewer.reach != AccessScope.ALL:
            if viewer.teams:
                people = select(m.AccessGroupMember.user_id).where(
                    m.AccessGroupMember.group_id.in_(sorted(viewer.teams))).union(
                    select(m.AccessGroup.head_id).where(m.AccessGroup.id.in_(sorted(viewer.teams))))
                stmt = stmt.where(or_(m.User.id.in_(people), m.User.id == viewer.id))
            elif viewer.company_id:
                stmt = stmt.where(m.User.company_id == viewer.company_id)
            else:
                stmt = stmt.where(m.User.id == viewer.id)
        return list((await self.session.scalars(stmt.order_by(m.User.name, m.User.id))).all())

    async def teams_of(self, user_id: int) -> frozenset[int]:
        """The teams a person works in (member or head)."""
        member = select(m.AccessGroupMember.group_id).where(m.AccessGroupMember.user_id == user_id)
        headed = select(m.AccessGroup.id).where(m.AccessGroup.head_id == user_id)
        return frozenset((await self.session.scalars(member.union(headed))).all())

    async def facts(self, deal: m.Deal) -> Record:
        """What the access rules need of a deal (core.domain.kernel.permissions.Record): its responsible, its
        «Сотрудники по сделке», its teams (the responsible's and the counterparty's group), its partner company."""
        teams: set[int] = set()
        company_id = None
        if deal.responsible_id is not None:
            teams |= await self.teams_of(deal.responsible_id)
            company_id = await self.session.scalar(select(m.User.company_id).where(m.User.id == deal.responsible_id))
        if deal.client_id is not None:
            group = await self.session.scalar(select(m.Client.access_group_id).where(m.Client.id == deal.client_id))
            if group is not None:
                teams.add(group)
        members = frozenset((await self.session.scalars(
            select(m.DealMember.user_id).where(m.DealMember.deal_id == deal.id))).all())
        return Record(deal.responsible_id, frozenset(teams), company_id, members)


# ---------------------------------------------------------------- payments, orders, the feed


class PaymentRepo(Repo):
    async def get(self, payment_id: int) -> m.Payment | None:
        return await self.session.get(m.Payment, payment_id)

    async def of_deal(self, deal_id: int) -> list[m.Payment]:
        return list((await self.session.scalars(select(m.Payment).where(m.Payment.deal_id == deal_id)
                                                .order_by(m.Payment.due_on, m.Payment.id))).all())

    async def amounts(self, deal_id: int) -> list[tuple[Decimal, bool]]:
        """Each payment of the deal: its amount and whether it was received (after a flush of what is new)."""
        await self.session.flush()
        rows = (await self.session.execute(select(m.Payment.amount, m.Payment.received_at.is_not(None))
                                           .where(m.Payment.deal_id == deal_id))).all()
        return [(a, bool(r)) for a, r in rows]

    async def overdue_unreminded(self, today: date, limit: int) -> list[tuple]:
        """Planned payments past their date, not received and not yet reminded of, with their deal (id, name,
        responsible), marked reminded in the same statement's transaction; PostgreSQL skips the rows another
        process holds."""
        stmt = (select(m.Payment.id, m.Payment.amount, m.Payment.due_on, m.Deal.id, m.Deal.name,
                       m.Deal.responsible_id)
                .join(m.Deal, m.Deal.id == m.Payment.deal_id)
                .where(m.Payment.received_at.is_(None), m.Payment.reminded_at.is_(None), m.Payment.due_on < today)
                .order_by(m.Payment.due_on, m.Payment.id).limit(limit))
        if self.session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=m.Payment, skip_locked=True)
        rows = (await self.session.execute(stmt)).all()
        if rows:
            await self.session.execute(update(m.Payment).where(m.Payment.id.in_([r[0] for r in rows]))
                                       .values(reminded_at=self.now()))
        return list(rows)

    async def planned(self, viewer: Viewer) -> list[tuple[int | None, Decimal, date]]:
        """Payments not received of the deals this person sees: (the deal's responsible, amount, date)."""
        stmt = visible(viewer, select(m.Deal.responsible_id, m.Payment.amount, m.Payment.due_on)
                       .join(m.Deal, m.Deal.id == m.Payment.deal_id).where(m.Payment.received_at.is_(None)))
        return list((await self.session.execute(stmt)).all())


class OrderRepo(Repo):
    async def get(self, order_id: int) -> m.Order | None:
        return await self.session.get(m.Order, order_id)

    async def get_for_update(self, order_id: int) -> m.Order | None:
        """The order, its row locked to the end of the transaction (PostgreSQL: SELECT … FOR UPDATE; SQLite's
        writer lock already serialises the transactions that write): payments for one order go one at a time."""
        stmt = select(m.Order).where(m.Order.id == order_id).with_for_update().execution_options(
            populate_existing=True)
        return await self.session.scalar(stmt)

    async def of_deal(self, deal_id: int) -> list[m.Order]:
        return list((await self.session.scalars(select(m.Order).where(m.Order.deal_id == deal_id)
                                                .order_by(m.Order.ordered_on.desc(), m.Order.id.desc()))).all())

    async def count(self, deal_id: int) -> int:
        return await self.session.scalar(select(func.count()).select_from(m.Order).where(m.Order.deal_id == deal_id))


class FeedRepo(Repo):
    async def get(self, item_id: int) -> m.FeedItem | None:
        return await self.session.get(m.FeedItem, item_id)

    async def of_deal(self, deal_id: int, size: int, offset: int = 0) -> list[m.FeedItem]:
        """The deal's lines, newest first: ``size`` of them after the ``offset`` newest."""
        return list((await self.session.scalars(select(m.FeedItem).where(m.FeedItem.deal_id == deal_id)
                                                .order_by(m.FeedItem.id.desc()).offset(offset).limit(size))).all())

    def write(self, deal_id: int, author_id: int | None, kind: FeedKind, text: str | None = None,
              **extra) -> m.FeedItem:
        """A comment: a person's words (and file)."""
        return self.add(m.FeedItem(deal_id=deal_id, author_id=author_id, kind=kind, text=text, **extra))

    def tell(self, deal_id: int, author_id: int | None, entry: Entry, **extra) -> m.FeedItem:
        """A fact: its kind and params (core.domain.kernel.feed), worded by the bot for each reader."""
        return self.add(m.FeedItem(deal_id=deal_id, author_id=author_id, kind=entry.kind, params=entry.data(),
                                   **extra))

