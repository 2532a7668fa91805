"""Reading the deal workspace (seed 003): the list, the kanban board and a deal's page, of the deals the reader
sees. Reads only: their units are standalone (no transaction held while the reader looks)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from core.db.deals import workspace as q
from core.db.deals.workspace import Filter, Row
from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals.workspace import Viewer, viewer_for, worth
from core.domain.kernel import permissions
from core.domain.kernel.access import Actor
from core.domain.kernel.access import Scope as AccessScope
from core.domain.kernel.errors import Forbidden, NotFound
from core.domain.kernel.permissions import Action, Area, Permission
from core.domain.kernel.roles import Role
from core.services.kernel import access
from core.services.kernel.deal_access import may, visible_deal

__all__ = ["BOARD_CARDS", "PAGE", "Column", "DealPage", "Filter", "Row", "board", "feed_file", "page", "view"]

PAGE = 8
BOARD_CARDS = 30  # cards a column shows; the column's count is exact


async def _scope(uow: UnitOfWork, viewer_id: int, f: Filter, counting) -> tuple[q.Shape, dict, list]:
    """The filter's shape and parameters, and the rows of its counting statement (``counting(shape)``, which for
    "my deals" also returns the person's roles: "my deals" need only my id, so the roles' check rides along)."""
    if f.mine:
        shape, params = q.shape(Viewer(viewer_id, AccessScope.OWN), f)
        counted = await uow.deal_list.counted(counting(shape, with_role=True), params)
        if not counted or not _reads_deals(viewer_id, counted[0][-2], counted[0][-1]):
            await _viewer(uow, viewer_id)  # no deals per status at all, or a head by their teams: load the person
        return shape, params, [r[:-2] for r in counted]
    shape, params = q.shape(await _viewer(uow, viewer_id), f)
    return shape, params, await uow.deal_list.counted(counting(shape), params)


def _reads_deals(viewer_id: int, role: str | None, extra: list | str | None) -> bool:
    if role is None:
        return False
    if isinstance(extra, str):  # a JSON column read through a scalar subquery comes as its text
        extra = json.loads(extra)
    roles = frozenset(Role(r) for r in (role, *(extra or ())))
    return permissions.scope(Actor(viewer_id, roles), Area.DEALS, Action.READ) != AccessScope.NONE


async def _viewer(uow: UnitOfWork, viewer_id: int) -> Viewer:
    viewer = viewer_for(await access.actor(uow, viewer_id))
    if not viewer.is_staff:
        raise Forbidden()
    return viewer


async def page(uow: UnitOfWork, viewer_id: int, f: Filter, page_no: int = 0, size: int = PAGE
               ) -> tuple[list[Row], int]:
    """One page of deals, newest first, and how many match."""
    async with uow.standalone() as uow:
        shape, params, counted = await _scope(uow, viewer_id, f, q.count_query)
        return await uow.deal_list.page(shape, params, page_no * size, size), counted[0][0]


@dataclass(frozen=True)
class Column:
    status: m.DealStatus
    count: int
    cards: list[Row]
    total: Decimal = Decimal("0.00")  # the sum of its deals' budgets (all of them, not the cards shown)


async def board(uow: UnitOfWork, viewer_id: int, pipeline: str, f: Filter | None = None,
                cards: int = BOARD_CARDS) -> list[Column]:
    """The kanban: a column per live status of the pipeline, its exact count and its newest cards."""
    async with uow.standalone() as uow:
        f = f or Filter()
        f = Filter(f.mine, f.status_id, f.manager_id, f.client_id, f.query, pipeline, f.source_id)
        shape, params, counted = await _scope(uow, viewer_id, f, q.counts_per_status)
        counts = {status_id: (n, Decimal(total)) for status_id, n, total in counted}
        by_status: dict[int, list[Row]] = {}
        for r in await uow.deal_list.board(shape, params, cards):
            by_status.setdefault(r.status_id, []).append(r)
        live = await uow.deal_list.live_statuses(pipeline)
        none = (0, Decimal("0.00"))
        return [Column(s, counts.get(s.id, none)[0], by_status.get(s.id, []), counts.get(s.id, none)[1])
                for s in live]


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
    authors: dict[int, str] = field(default_factory=dict)  # who wrote each line of the feed, by id
    may_close: bool = False  # the reader may move it to a final status (Permission.CLOSE_DEAL)
    feed_page: int = 0  # which ``feed_size`` lines of the feed ``feed`` holds: 0 the newest
    feed_more: bool = False  # there are older lines than these
    amount: Decimal | None = None  # what the deal is worth (core.domain.deals.workspace.worth); None: nobody said


async def view(uow: UnitOfWork, viewer_id: int, deal_id: int, feed_size: int = 20, feed_page: int = 0) -> DealPage:
    """A deal's page for someone who sees it, with ``feed_size`` lines of its feed (page ``feed_page``, newest
    first) and whether older ones remain."""
    feed_page = max(feed_page, 0)
    async with uow.standalone() as uow:
        actor = await access.actor(uow, viewer_id)
        deal = await visible_deal(uow, actor, deal_id)
        feed = await uow.feed.of_deal(deal.id, feed_size + 1, feed_page * feed_size) if feed_size else []
        more = len(feed) > feed_size
        feed = feed[:feed_size]
        authors = await uow.users.get_many({f.author_id for f in feed if f.author_id})
        orders = await uow.orders.of_deal(deal.id)
        lead = await uow.leads.get(deal.lead_id) if deal.lead_id else None
        return DealPage(
            deal, deal.status, await uow.statuses.of(deal.pipeline),
            await uow.clients.get(deal.client_id) if deal.client_id else None,
            await uow.users.get(deal.responsible_id) if deal.responsible_id else None,
            await uow.deals.contacts(deal.id), await uow.payments.of_deal(deal.id), orders,
            feed, await uow.tasks.next_of_deal(deal.id),
            await uow.sources.get(deal.source_id) if deal.source_id else None,
            {i: u.name for i, u in authors.items()}, await may(uow, actor, deal, Area.DEALS, Permission.CLOSE_DEAL),
            feed_page, more, worth([(o.amount, o.status) for o in orders], lead.debt_amount if lead else None,
                                   deal.budget))


async def feed_file(uow: UnitOfWork, viewer_id: int, item_id: int) -> m.FeedItem:
    """A file of the feed, for the Mini App's thumbnail: only for someone who sees the deal."""
    async with uow:
        item = await uow.feed.get(item_id)
        if item is None or item.file_id is None:
            raise NotFound()
        await visible_deal(uow, viewer_id, item.deal_id)
        return item
