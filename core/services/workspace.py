"""The deal workspace (seed 003): every deal of every pipeline — list, board, page, payments, orders, contacts,
feed — and the statuses directory. The chat and the Mini App call the same functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Integer, bindparam, delete, func, or_, select, update
from sqlalchemy.orm.exc import StaleDataError

from core.db import models as m
from core.db.uow import UnitOfWork
from core.domain import deals as rules
from core.domain import schedule
from core.domain.applications import AppStatus
from core.domain.deals import DealKind, OrderStatus, Pipeline, StatusInfo
from core.domain.errors import AlreadyDecided, Forbidden, InvalidInput, NotFound
from core.domain.inputs import check_file, clean_text, normalize_phone
from core.domain.notices import Notice
from core.domain.roles import STAFF, Role
from core.domain.tasks import TaskStatus
from core.services import access
from core.services import deals as room  # the deal room owns the marketplace application's status
from core.services.config import CoreConfig
from core.services.contacts import contact_for

PAGE = 8
BOARD_CARDS = 30  # cards a column shows; the column's count is exact


# ---------------------------------------------------------------- who sees what

@dataclass(frozen=True)
class _Viewer:
    id: int
    role: str
    company_id: int | None


async def _viewer(conn, user_id: int) -> _Viewer:
    """What visibility needs of the person (role and company), read in one light statement: the list and the
    board run on every press and every board request."""
    u = m.User.__table__.c
    row = (await conn.execute(select(u.id, u.role, u.company_id).where(u.id == user_id))).first()
    if row is None or row.role not in STAFF:
        raise Forbidden()
    return _Viewer(*row)


def _visible(user: m.User, stmt):
    """``stmt`` limited to the deals this person sees: the rule is written once, in _conditions."""
    shape, params = _shape(_Viewer(user.id, user.role, user.company_id), Filter(mine=False))
    return stmt.where(*_conditions(shape)).params(params)


async def _deal(uow: UnitOfWork, user: m.User, deal_id: int) -> m.Deal:
    stmt = _visible(user, select(m.Deal).where(m.Deal.id == deal_id))
    deal = await uow.session.scalar(stmt)
    if deal is None:
        raise NotFound()
    return deal


def _info(s: m.DealStatus) -> StatusInfo:
    return StatusInfo(s.id, s.pipeline, s.code, s.name, s.final, s.archived)


# ---------------------------------------------------------------- the statuses directory

async def statuses(uow: UnitOfWork, viewer_id: int, pipeline: str, *, with_archived: bool = False
                   ) -> list[m.DealStatus]:
    """A pipeline's statuses in order, to staff; the archived ones too (``with_archived``) to admins."""
    async with uow:
        viewer = await access.staff(uow, viewer_id)
        if with_archived and viewer.role != Role.ADMIN:
            raise Forbidden()
        stmt = select(m.DealStatus).where(m.DealStatus.pipeline == pipeline)
        if not with_archived:
            stmt = stmt.where(m.DealStatus.archived.is_(False))
        return list((await uow.session.scalars(stmt.order_by(m.DealStatus.position, m.DealStatus.id))).all())


async def add_status(uow: UnitOfWork, admin_id: int, pipeline: str, name: str, color: str = "#5b8def",
                     final: bool = False) -> m.DealStatus:
    name = clean_text(name, max_len=128)
    if pipeline not in set(Pipeline):
        raise InvalidInput()
    async with uow:
        await access.admin(uow, admin_id)
        last = await uow.session.scalar(select(func.max(m.DealStatus.position))
                                        .where(m.DealStatus.pipeline == pipeline))
        row = m.DealStatus(pipeline=pipeline, name=name, color=_color(color), final=final,
                           position=(last or 0) + 1)
        uow.session.add(row)
        uow.audit.record(entity="deal_status", entity_id=0, actor_id=admin_id, action="add", comment=name)
        await uow.commit()
        return row


def _color(color: str) -> str:
    color = color.strip()
    if len(color) != 7 or color[0] != "#" or any(c not in "0123456789abcdefABCDEF" for c in color[1:]):
        raise InvalidInput("color")
    return color.lower()


async def edit_status(uow: UnitOfWork, admin_id: int, status_id: int, *, name: str | None = None,
                      color: str | None = None, final: bool | None = None, archived: bool | None = None,
                      shift: int = 0) -> m.DealStatus:
    """Rename, recolour, make final or not, archive or restore, move up (-1) or down (+1) in the order."""
    async with uow:
        await access.admin(uow, admin_id)
        row = await uow.session.get(m.DealStatus, status_id)
        if row is None:
            raise NotFound()
        new_final = row.final if final is None else final
        new_archived = row.archived if archived is None else archived
        rules.check_status_edit(row.pipeline, row.code, final=new_final, archived=new_archived)
        if name is not None:
            row.name = clean_text(name, max_len=128)
        if color is not None:
            row.color = _color(color)
        row.final, row.archived = new_final, new_archived
        if shift:
            ordered = list((await uow.session.scalars(select(m.DealStatus).where(
                m.DealStatus.pipeline == row.pipeline).order_by(m.DealStatus.position, m.DealStatus.id))).all())
            i = ordered.index(row)
            j = min(max(i + shift, 0), len(ordered) - 1)
            ordered.insert(j, ordered.pop(i))
            for position, s in enumerate(ordered):
                s.position = position
        uow.audit.record(entity="deal_status", entity_id=row.id, actor_id=admin_id, action="edit", comment=row.name)
        await uow.commit()
        return row


# ---------------------------------------------------------------- making deals (inside another use case)

async def client_for_contact(session, contact: m.Contact, user_id: int | None = None) -> m.Client:
    """The client this contact belongs to; a new one named after the contact when it has none."""
    client = await session.scalar(select(m.Client).join(m.ClientContact).where(
        m.ClientContact.contact_id == contact.id).order_by(m.Client.id).limit(1))
    if client is None and user_id is not None:
        client = await session.scalar(select(m.Client).where(m.Client.user_id == user_id))
    if client is None:
        client = m.Client(name=contact.name, user_id=user_id)
        session.add(client)
        await session.flush()
    if await session.get(m.ClientContact, (client.id, contact.id)) is None:
        session.add(m.ClientContact(client_id=client.id, contact_id=contact.id))
    return client


async def open_deal(session, *, pipeline: Pipeline, name: str, client: m.Client, main_contact_id: int | None,
                    responsible_id: int | None, creator_id: int | None, kind: str | None = None,
                    source_id: int | None = None, lead_id: int | None = None, application_id: int | None = None,
                    status_code: str | None = None, at: datetime | None = None) -> m.Deal:
    """A new deal in the pipeline's first status (or the given one); the client's contacts are copied into it. A
    law-firm deal has a source, always (seed 004: «источник обязателен в лиде и сделке»)."""
    if not rules.source_ok(pipeline, source_id):
        raise InvalidInput("source_required")
    stmt = select(m.DealStatus).where(m.DealStatus.pipeline == pipeline, m.DealStatus.archived.is_(False))
    stmt = stmt.where(m.DealStatus.code == status_code) if status_code else stmt
    status = await session.scalar(stmt.order_by(m.DealStatus.position, m.DealStatus.id).limit(1))
    await session.flush()
    contacts = (await session.scalars(select(m.ClientContact.contact_id).where(
        m.ClientContact.client_id == client.id).order_by(m.ClientContact.contact_id))).all()
    deal = m.Deal(pipeline=pipeline, name=name[:256], status_id=status.id, kind=kind, client_id=client.id,
                  contact_id=main_contact_id or (contacts[0] if contacts else None), source_id=source_id,
                  responsible_id=responsible_id, creator_id=creator_id or responsible_id, lead_id=lead_id,
                  application_id=application_id, budget=Decimal("0.00"), created_at=at)
    session.add(deal)
    await session.flush()
    session.add_all(m.DealContact(deal_id=deal.id, contact_id=c) for c in contacts)
    return deal


# ---------------------------------------------------------------- the list and the board

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


# The list's and the board's statements are built once per shape of filter (which conditions it has), from Core
# tables with bound parameters, and cached: building an ORM select with aliased entities costs more than running it.
DEALS, STATUSES, TASKS = m.Deal.__table__, m.DealStatus.__table__, m.Task.__table__
MANAGER, CLIENT = m.User.__table__.alias("manager"), m.Client.__table__.alias("client")
SOURCE = m.Source.__table__.alias("source")


@dataclass(frozen=True)
class _Shape:
    scope: str  # all (an admin, or "mine"), company (a manager's colleagues), own (a manager without a company)
    mine: bool
    manager: bool
    status: bool
    client: bool
    pipeline: bool
    query: bool
    source: bool = False


def _shape(user: _Viewer, f: Filter) -> tuple[_Shape, dict]:
    scope = "all" if user.role == Role.ADMIN or f.mine else ("company" if user.company_id else "own")
    params = {"me": user.id, "company": user.company_id, "manager_id": f.manager_id, "status_id": f.status_id,
              "client_id": f.client_id, "pipeline": f.pipeline, "source_id": f.source_id,
              "like": f"%{f.query.strip().lower()}%" if f.query else None}
    return _Shape(scope, f.mine, bool(f.manager_id), bool(f.status_id), bool(f.client_id), bool(f.pipeline),
                  bool(f.query), bool(f.source_id)), params


def _conditions(shape: _Shape) -> list:
    """Who sees what (an admin everything; a manager the deals of their company's managers, their own without
    one; "my deals" need no more), then the filter."""
    d = DEALS.c
    out = []
    if shape.scope == "company":
        colleagues = select(m.User.__table__.c.id).where(m.User.__table__.c.company_id == bindparam("company"))
        out.append(or_(d.responsible_id == bindparam("me"), d.responsible_id.in_(colleagues)))
    elif shape.scope == "own":
        out.append(d.responsible_id == bindparam("me"))
    if shape.mine:
        out.append(d.responsible_id == bindparam("me"))
    if shape.manager:
        out.append(d.responsible_id == bindparam("manager_id"))
    if shape.status:
        out.append(d.status_id == bindparam("status_id"))
    if shape.client:
        out.append(d.client_id == bindparam("client_id"))
    if shape.pipeline:
        out.append(d.pipeline == bindparam("pipeline"))
    if shape.source:
        out.append(d.source_id == bindparam("source_id"))
    if shape.query:
        out.append(or_(func.lower(d.name).like(bindparam("like")), func.lower(CLIENT.c.name).like(bindparam("like"))))
    return out


def _row_columns(deals):
    """What a list row and a card show, for the deals of ``deals`` (the table or a ranked subquery of it)."""
    next_reminder = (select(func.min(TASKS.c.due_at))
                     .where(TASKS.c.deal_id == deals.c.id, TASKS.c.status == TaskStatus.OPEN.value)
                     .correlate(deals).scalar_subquery())
    return (select(deals.c.id, deals.c.name, MANAGER.c.name, CLIENT.c.name, next_reminder, deals.c.budget,
                   deals.c.status_id, STATUSES.c.name, STATUSES.c.color, SOURCE.c.name)
            .select_from(deals.join(STATUSES, STATUSES.c.id == deals.c.status_id)
                         .outerjoin(MANAGER, MANAGER.c.id == deals.c.responsible_id)
                         .outerjoin(CLIENT, CLIENT.c.id == deals.c.client_id)
                         .outerjoin(SOURCE, SOURCE.c.id == deals.c.source_id)))


@lru_cache(maxsize=512)
def _rows_query(shape: _Shape):
    return _row_columns(DEALS).where(*_conditions(shape))


@lru_cache(maxsize=512)
def _page_query(shape: _Shape):
    # the page's bounds are written into the statement when it runs (literal_execute): with a bound LIMIT,
    # PostgreSQL's cached generic plan sorts all of a manager's deals instead of reading the index backwards
    return (_rows_query(shape).order_by(DEALS.c.id.desc())
            .offset(bindparam("offset", type_=Integer, literal_execute=True))
            .limit(bindparam("limit", type_=Integer, literal_execute=True)))


def _role():
    users = m.User.__table__.c
    return select(users.role).where(users.id == bindparam("me")).scalar_subquery()


@lru_cache(maxsize=512)
def _count_query(shape: _Shape, with_role: bool = False):
    """How many deals match: the deals table alone, unless the search reads the client's name."""
    source = DEALS.outerjoin(CLIENT, CLIENT.c.id == DEALS.c.client_id) if shape.query else DEALS
    stmt = select(func.count()).select_from(source).where(*_conditions(shape))
    return stmt.add_columns(_role()) if with_role else stmt


@lru_cache(maxsize=512)
def _counts_per_status(shape: _Shape, with_role: bool = False):
    source = DEALS.outerjoin(CLIENT, CLIENT.c.id == DEALS.c.client_id) if shape.query else DEALS
    stmt = (select(DEALS.c.status_id, func.count()).select_from(source).where(*_conditions(shape))
            .group_by(DEALS.c.status_id))
    return stmt.add_columns(_role()) if with_role else stmt


@lru_cache(maxsize=512)
def _board_ids(shape: _Shape):
    """The newest cards of each status: row_number() per status over the matching deals' ids (the index
    ix_deals_responsible_board holds them in order). Kept apart from the cards' columns: joined in one statement,
    PostgreSQL misjudges how few rows pass ``n <= cards`` and reads the whole deals table."""
    source = DEALS.outerjoin(CLIENT, CLIENT.c.id == DEALS.c.client_id) if shape.query else DEALS
    ranked = (select(DEALS.c.id, func.row_number().over(partition_by=DEALS.c.status_id,
                                                        order_by=DEALS.c.id.desc()).label("n"))
              .select_from(source).where(*_conditions(shape)).subquery("ranked"))
    return select(ranked.c.id).where(ranked.c.n <= bindparam("cards", type_=Integer, literal_execute=True))


LIVE_STATUSES = (select(STATUSES).where(STATUSES.c.pipeline == bindparam("pipeline"), STATUSES.c.archived.is_(False))
                 .order_by(STATUSES.c.position, STATUSES.c.id))
CARDS = _row_columns(DEALS).where(DEALS.c.id.in_(bindparam("ids", expanding=True))).order_by(DEALS.c.id.desc())


async def _scope(conn, viewer_id: int, f: Filter, counting) -> tuple[_Shape, dict, list]:
    """The filter's shape and parameters, and the rows of its counting statement (``counting(shape)``, which for
    "my deals" also returns the person's role: "my deals" need only my id, so the role check rides along)."""
    if f.mine:
        shape, params = _shape(_Viewer(viewer_id, Role.MANAGER, None), f)
        counted = (await conn.execute(counting(shape, with_role=True), params)).all()
        if not counted:  # no deals per status at all: is this person staff?
            await _viewer(conn, viewer_id)
        elif counted[0][-1] not in STAFF:
            raise Forbidden()
        return shape, params, [r[:-1] for r in counted]
    shape, params = _shape(await _viewer(conn, viewer_id), f)
    return shape, params, (await conn.execute(counting(shape), params)).all()


async def page(uow: UnitOfWork, viewer_id: int, f: Filter, page_no: int = 0, size: int = PAGE
               ) -> tuple[list[Row], int]:
    """One page of deals, newest first, and how many match. Core statements on the unit of work's connection:
    nothing here is an ORM object, and the ORM's execution path would cost more than the statements."""
    async with uow.standalone() as uow:
        conn = await uow.session.connection()
        shape, params, counted = await _scope(conn, viewer_id, f, _count_query)
        rows = (await conn.execute(_page_query(shape), {**params, "offset": page_no * size, "limit": size})).all()
        return [Row(*r) for r in rows], counted[0][0]


@dataclass(frozen=True)
class Column:
    status: m.DealStatus
    count: int
    cards: list[Row]


async def board(uow: UnitOfWork, viewer_id: int, pipeline: str, f: Filter = Filter(),
                cards: int = BOARD_CARDS) -> list[Column]:
    """The kanban: a column per live status of the pipeline, its exact count and its newest cards."""
    async with uow.standalone() as uow:
        conn = await uow.session.connection()
        f = Filter(f.mine, f.status_id, f.manager_id, f.client_id, f.query, pipeline, f.source_id)
        shape, params, counted = await _scope(conn, viewer_id, f, _counts_per_status)
        counts = dict(counted)
        ids = (await conn.execute(_board_ids(shape), {**params, "cards": cards})).scalars().all()
        rows = (await conn.execute(CARDS, {"ids": list(ids)})).all() if ids else []
        by_status: dict[int, list[Row]] = {}
        for r in rows:
            by_status.setdefault(r.status_id, []).append(Row(*r))
        live = (await conn.execute(LIVE_STATUSES, {"pipeline": pipeline})).all()
        return [Column(s, counts.get(s.id, 0), by_status.get(s.id, [])) for s in live]


# ---------------------------------------------------------------- the deal page

@dataclass
class DealPage:
    deal: m.Deal
    status: m.DealStatus
    statuses: list[m.DealStatus]
    client: m.Client | None
    responsible: m.User | None
    contacts: list[m.Contact]
    payments: list[m.Payment]
    orders: list[m.Order]
    feed: list[m.FeedItem]
    next_reminder: m.Task | None
    source: m.Source | None = None


async def view(uow: UnitOfWork, viewer_id: int, deal_id: int, feed_size: int = 20) -> DealPage:
    async with uow.standalone() as uow:
        user = await access.staff(uow, viewer_id)
        deal = await _deal(uow, user, deal_id)
        s = uow.session
        contacts = (await s.scalars(select(m.Contact).join(m.DealContact).where(
            m.DealContact.deal_id == deal.id).order_by(m.Contact.id))).all()
        payments = (await s.scalars(select(m.Payment).where(m.Payment.deal_id == deal.id)
                                    .order_by(m.Payment.due_on, m.Payment.id))).all()
        orders = (await s.scalars(select(m.Order).where(m.Order.deal_id == deal.id)
                                  .order_by(m.Order.ordered_on.desc(), m.Order.id.desc()))).all()
        feed = (await s.scalars(select(m.FeedItem).where(m.FeedItem.deal_id == deal.id)
                                .order_by(m.FeedItem.id.desc()).limit(feed_size))).all()
        task = await s.scalar(select(m.Task).where(m.Task.deal_id == deal.id, m.Task.status == TaskStatus.OPEN)
                              .order_by(m.Task.due_at, m.Task.id).limit(1))
        live = (await s.scalars(select(m.DealStatus).where(
            m.DealStatus.pipeline == deal.pipeline, m.DealStatus.archived.is_(False))
            .order_by(m.DealStatus.position, m.DealStatus.id))).all()
        client = await s.get(m.Client, deal.client_id) if deal.client_id else None
        responsible = await uow.users.get(deal.responsible_id) if deal.responsible_id else None
        source = await uow.sources.get(deal.source_id) if deal.source_id else None
        return DealPage(deal, deal.status, list(live), client, responsible, list(contacts), list(payments),
                        list(orders), list(feed), task, source)


async def _editable(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.User, m.Deal]:
    user = await access.staff(uow, actor_id)
    return user, await _deal(uow, user, deal_id)


def _sum(amount: Decimal) -> str:
    """The feed keeps a line as written (the team's language, rubles): «150 000,00 ₽»."""
    return f"{amount:,.2f}".replace(",", "\u00a0").replace(".", ",") + " ₽"


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _feed(uow: UnitOfWork, deal: m.Deal, actor_id: int | None, kind: str, text: str | None = None, **extra):
    uow.session.add(m.FeedItem(deal_id=deal.id, author_id=actor_id, kind=kind, text=text, **extra))


async def rename(uow: UnitOfWork, actor_id: int, deal_id: int, name: str) -> m.Deal:
    name = clean_text(name, max_len=256)
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="rename", comment=name)
        deal.name = name
        await uow.commit()
        return deal


async def set_kind(uow: UnitOfWork, actor_id: int, deal_id: int, kind: str) -> m.Deal:
    if kind not in set(DealKind):
        raise InvalidInput()
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        deal.kind = kind
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="kind", comment=kind)
        await uow.commit()
        return deal


async def set_responsible(uow: UnitOfWork, actor_id: int, deal_id: int, user_id: int) -> m.Deal:
    async with uow:
        actor, deal = await _editable(uow, actor_id, deal_id)
        who = await uow.users.get(user_id)
        if who is None or who.role not in STAFF:
            raise InvalidInput("not_staff")
        if actor.role != Role.ADMIN and actor.company_id is not None and who.company_id != actor.company_id:
            raise Forbidden()
        deal.responsible_id = who.id
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="responsible",
                         comment=str(who.id))
        if who.id != actor_id:
            uow.outbox.notify(who.id, Notice.DEAL_ASSIGNED, deal_id=deal.id, name=deal.name)
        await uow.commit()
        return deal


async def colleagues(uow: UnitOfWork, actor_id: int) -> list[m.User]:
    """Whom a deal can be given to, or filtered by: an admin picks any staff; a manager their company's."""
    async with uow:
        user = await access.staff(uow, actor_id)
        stmt = select(m.User).where(m.User.role.in_(sorted(STAFF)))
        if user.role != Role.ADMIN:
            stmt = stmt.where(m.User.company_id == user.company_id) if user.company_id else stmt.where(
                m.User.id == user.id)
        return list((await uow.session.scalars(stmt.order_by(m.User.name, m.User.id))).all())


async def clients_named(uow: UnitOfWork, actor_id: int, query: str, limit: int = 8) -> list[m.Client]:
    query = clean_text(query, max_len=64).lower()
    async with uow:
        await access.staff(uow, actor_id)
        return list((await uow.session.scalars(select(m.Client).where(
            func.lower(m.Client.name).like(f"%{query}%")).order_by(m.Client.name).limit(limit))).all())


async def set_source(uow: UnitOfWork, actor_id: int, deal_id: int, source_id: int | None) -> m.Deal:
    """Where the client came from; a law-firm deal's source can be changed, never removed."""
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        if not rules.source_ok(Pipeline(deal.pipeline), source_id):
            raise InvalidInput("source_required")
        source = await uow.sources.get(source_id) if source_id else None
        if source_id and (source is None or source.archived):
            raise InvalidInput("directory_item_gone")
        deal.source_id = source_id
        _feed(uow, deal, actor_id, "source", source.name if source else "—")
        await uow.commit()
        return deal


async def set_client(uow: UnitOfWork, actor_id: int, deal_id: int, client_id: int) -> m.Deal:
    """Another client for the deal: its contacts are copied in (the deal's own ones stay)."""
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        client = await uow.session.get(m.Client, client_id)
        if client is None:
            raise NotFound()
        deal.client_id = client.id
        have = set((await uow.session.scalars(select(m.DealContact.contact_id).where(
            m.DealContact.deal_id == deal.id))).all())
        for contact_id in (await uow.session.scalars(select(m.ClientContact.contact_id).where(
                m.ClientContact.client_id == client.id))).all():
            if contact_id not in have:
                uow.session.add(m.DealContact(deal_id=deal.id, contact_id=contact_id))
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="client", comment=client.name)
        await uow.commit()
        return deal


async def move(uow: UnitOfWork, actor_id: int, deal_id: int, status_id: int, *, comment: str | None = None
               ) -> m.Deal:
    """A status move, from the chat or a drag on the board: the same rules. A marketplace deal moves only as its
    application may (domain.applications.TRANSITIONS); a move that needs words asks for them."""
    try:
        async with uow:
            _, deal = await _editable(uow, actor_id, deal_id)
            target = await uow.session.get(m.DealStatus, status_id)
            if target is None:
                raise NotFound()
            current = deal.status
            rules.check_move(_info(current), _info(target))
            if deal.pipeline == Pipeline.MARKET and deal.application_id:
                if target.code is None:
                    raise rules.MoveNotAllowed(status=target.name)
                if target.code in rules.NEEDS_COMMENT and not comment:
                    raise rules.MoveNeedsComment(status=target.name)
                await room.apply_status(uow, actor_id, deal.application_id, AppStatus(target.code), comment)
                await uow.session.refresh(deal)  # the room moved it, in step with the application
            else:
                deal.status = target
            # statuses by id (their names are the admins' and long); the words go to the comment
            uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="status",
                             from_status=str(current.id), to_status=str(target.id),
                             comment=f"{current.name} → {target.name}" + (f": {comment}" if comment else ""))
            _feed(uow, deal, actor_id, "status", f"{current.name} → {target.name}")
            if deal.responsible_id and deal.responsible_id != actor_id:
                uow.outbox.notify(deal.responsible_id, Notice.DEAL_MOVED, deal_id=deal.id, name=deal.name,
                                  status=target.name)
            await uow.commit()
            return deal
    except StaleDataError:
        raise AlreadyDecided(by="—", at=None, status="") from None


# ---------------------------------------------------------------- payments and the budget

async def _recompute(uow: UnitOfWork, deal: m.Deal) -> None:
    await uow.session.flush()
    rows = (await uow.session.execute(select(m.Payment.amount, m.Payment.received_at.is_not(None))
                                      .where(m.Payment.deal_id == deal.id))).all()
    deal.budget = rules.budget([(a, bool(r)) for a, r in rows])


async def add_payment(uow: UnitOfWork, actor_id: int, deal_id: int, amount: Decimal, due_on: date) -> m.Payment:
    rules.check_payment(amount)
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        payment = m.Payment(deal_id=deal.id, amount=amount, due_on=due_on)
        uow.session.add(payment)
        await _recompute(uow, deal)
        _feed(uow, deal, actor_id, "payment", f"+ {_sum(amount)} · {_day(due_on)}")
        await uow.commit()
        return payment


async def _payment(uow: UnitOfWork, actor_id: int, payment_id: int) -> tuple[m.Deal, m.Payment]:
    payment = await uow.session.get(m.Payment, payment_id)
    if payment is None:
        raise NotFound()
    _, deal = await _editable(uow, actor_id, payment.deal_id)
    return deal, payment


async def receive_payment(uow: UnitOfWork, actor_id: int, payment_id: int) -> m.Payment:
    async with uow:
        deal, payment = await _payment(uow, actor_id, payment_id)
        if payment.received_at is not None:
            raise AlreadyDecided(by="—", at=payment.received_at, status="received")
        payment.received_at = uow.clock.now()
        await _recompute(uow, deal)
        _feed(uow, deal, actor_id, "payment", f"✓ {_sum(payment.amount)} · {_day(payment.due_on)}")
        await uow.commit()
        return payment


async def move_payment(uow: UnitOfWork, actor_id: int, payment_id: int, due_on: date) -> m.Payment:
    """The client named a new date: the payment waits for it (and may be reminded of again)."""
    async with uow:
        deal, payment = await _payment(uow, actor_id, payment_id)
        if payment.received_at is not None:
            raise AlreadyDecided(by="—", at=payment.received_at, status="received")
        was = payment.due_on
        payment.due_on, payment.reminded_at = due_on, None
        _feed(uow, deal, actor_id, "payment", f"{_sum(payment.amount)}: {_day(was)} → {_day(due_on)}")
        await uow.commit()
        return payment


async def scan_overdue_payments(uow: UnitOfWork, cfg: CoreConfig, limit: int = 500) -> int:
    """Each planned payment past its date and not received makes one reminder to the deal's responsible: overdue
    from the day after its date in the company's timezone."""
    today = schedule.local_date(uow.clock.now(), cfg.default_timezone)
    async with uow:
        s = uow.session
        stmt = (select(m.Payment.id, m.Payment.amount, m.Payment.due_on, m.Deal.id, m.Deal.name,
                       m.Deal.responsible_id)
                .join(m.Deal, m.Deal.id == m.Payment.deal_id)
                .where(m.Payment.received_at.is_(None), m.Payment.reminded_at.is_(None), m.Payment.due_on < today)
                .order_by(m.Payment.due_on, m.Payment.id).limit(limit))
        if s.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=m.Payment, skip_locked=True)
        rows = (await s.execute(stmt)).all()
        if not rows:
            return 0
        now = uow.clock.now()
        await s.execute(update(m.Payment).where(m.Payment.id.in_([r[0] for r in rows])).values(reminded_at=now))
        for pid, amount, due_on, deal_id, name, responsible_id in rows:
            if responsible_id:
                uow.outbox.notify(responsible_id, Notice.PAYMENT_OVERDUE, payment_id=pid, deal_id=deal_id, name=name,
                                  amount=str(amount), due_on=due_on.isoformat())
        await uow.commit()
        return len(rows)


async def forecast(uow: UnitOfWork, viewer_id: int) -> tuple[dict, dict[int, str]]:
    """Receipts expected in the next 30/60/90 days (and overdue), counted from today where the viewer is, per
    manager and in total, of the deals the viewer sees; returns the figures and the managers' names."""
    async with uow:
        user = await access.staff(uow, viewer_id)
        today = schedule.local_date(uow.clock.now(), user.timezone)
        rows = (await uow.session.execute(_visible(user, (
            select(m.Deal.responsible_id, m.Payment.amount, m.Payment.due_on)
            .join(m.Deal, m.Deal.id == m.Payment.deal_id).where(m.Payment.received_at.is_(None)))))).all()
        figures = rules.forecast([rules.PlannedPayment(*r) for r in rows], today)
        names = await uow.users.get_many({k for k in figures if k})
        return figures, {k: u.name for k, u in names.items()}


# ---------------------------------------------------------------- orders

async def add_order(uow: UnitOfWork, actor_id: int, deal_id: int, amount: Decimal, ordered_on: date) -> m.Order:
    rules.check_payment(amount)
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        count = await uow.session.scalar(select(func.count()).select_from(m.Order).where(m.Order.deal_id == deal.id))
        order = m.Order(deal_id=deal.id, number=f"{deal.id}-{count + 1}", ordered_on=ordered_on, amount=amount,
                        status=OrderStatus.NEW)
        uow.session.add(order)
        _feed(uow, deal, actor_id, "order", f"№ {order.number} · {_sum(amount)}")
        await uow.commit()
        return order


async def set_order_status(uow: UnitOfWork, actor_id: int, order_id: int, status: str) -> m.Order:
    if status not in set(OrderStatus):
        raise InvalidInput()
    async with uow:
        order = await uow.session.get(m.Order, order_id)
        if order is None:
            raise NotFound()
        await _editable(uow, actor_id, order.deal_id)
        order.status = status
        await uow.commit()
        return order


# ---------------------------------------------------------------- contacts

async def add_contact(uow: UnitOfWork, actor_id: int, deal_id: int, phone_text: str, name: str,
                      cfg: CoreConfig) -> m.Contact:
    """A contact added to the deal is also added to its client (one card per phone, as ever)."""
    phone = normalize_phone(phone_text, cfg.phone_region)
    name = clean_text(name, max_len=128)
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        contact = await contact_for(uow, phone, name, None)
        if await uow.session.get(m.DealContact, (deal.id, contact.id)) is None:
            uow.session.add(m.DealContact(deal_id=deal.id, contact_id=contact.id))
        if deal.client_id and await uow.session.get(m.ClientContact, (deal.client_id, contact.id)) is None:
            uow.session.add(m.ClientContact(client_id=deal.client_id, contact_id=contact.id))
        if deal.contact_id is None:
            deal.contact_id = contact.id
        await uow.commit()
        return contact


async def remove_contact(uow: UnitOfWork, actor_id: int, deal_id: int, contact_id: int) -> None:
    """Off the deal only: the client keeps the contact. The main contact passes to the next one."""
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        gone = await uow.session.execute(delete(m.DealContact).where(
            m.DealContact.deal_id == deal.id, m.DealContact.contact_id == contact_id))
        if not gone.rowcount:
            raise NotFound()
        if deal.contact_id == contact_id:
            deal.contact_id = await uow.session.scalar(select(m.DealContact.contact_id).where(
                m.DealContact.deal_id == deal.id).order_by(m.DealContact.contact_id).limit(1))
        await uow.commit()


async def set_main_contact(uow: UnitOfWork, actor_id: int, deal_id: int, contact_id: int) -> m.Deal:
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        if await uow.session.get(m.DealContact, (deal.id, contact_id)) is None:
            raise NotFound()
        deal.contact_id = contact_id
        await uow.commit()
        return deal


async def client_contacts(uow: UnitOfWork, client_id: int) -> list[int]:
    async with uow:
        return list((await uow.session.scalars(select(m.ClientContact.contact_id).where(
            m.ClientContact.client_id == client_id).order_by(m.ClientContact.contact_id))).all())


# ---------------------------------------------------------------- the feed

@dataclass(frozen=True)
class Attachment:
    file_id: str
    kind: str  # photo | document
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


async def comment(uow: UnitOfWork, actor_id: int, deal_id: int, text: str | None, cfg: CoreConfig,
                  file: Attachment | None = None) -> m.FeedItem:
    if file is None:
        text = clean_text(text, max_len=cfg.max_text)
    else:
        text = clean_text(text, max_len=1024) if text else None
        check_file(file_name=file.file_name, mime_type=file.mime_type or (
            "image/jpeg" if file.kind == "photo" else None), size=file.size, max_bytes=cfg.max_file_bytes)
    async with uow:
        _, deal = await _editable(uow, actor_id, deal_id)
        item = m.FeedItem(deal_id=deal.id, author_id=actor_id, kind="comment", text=text,
                          file_id=file.file_id if file else None, file_kind=file.kind if file else None,
                          file_name=file.file_name if file else None)
        uow.session.add(item)
        await uow.commit()
        return item


async def remind(uow: UnitOfWork, actor_id: int, deal_id: int, title: str, due_at: datetime) -> m.Task:
    """A reminder on the deal: a task for the responsible (the actor when none), shown in the feed."""
    title = clean_text(title, max_len=256)
    async with uow:
        actor, deal = await _editable(uow, actor_id, deal_id)
        task = m.Task(title=title, due_at=due_at, responsible_id=deal.responsible_id or actor.id, deal_id=deal.id)
        uow.session.add(task)
        await uow.flush()
        _feed(uow, deal, actor_id, "reminder", title, task_id=task.id)
        await uow.commit()
        return task


def reminder_done(uow: UnitOfWork, task: m.Task, actor_id: int) -> None:
    """Called by tasks.done: a done reminder leaves its mark in the deal's feed."""
    if task.deal_id:
        uow.session.add(m.FeedItem(deal_id=task.deal_id, author_id=actor_id, kind="reminder_done", text=task.title,
                                   task_id=task.id))


async def feed_file(uow: UnitOfWork, viewer_id: int, item_id: int) -> m.FeedItem:
    """A file of the feed, for the Mini App's thumbnail: only for someone who sees the deal."""
    async with uow:
        user = await access.staff(uow, viewer_id)
        item = await uow.session.get(m.FeedItem, item_id)
        if item is None or item.file_id is None:
            raise NotFound()
        await _deal(uow, user, item.deal_id)
        return item

