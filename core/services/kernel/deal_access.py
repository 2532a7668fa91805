"""What every use case on a deal starts with: who sees it (the deal scope), who may change it, and the line its
feed gets; shared by the workspace, its money and the stage engine."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals import FeedKind, Viewer
from core.domain.kernel.errors import found
from core.domain.kernel.feed import Entry
from core.services.kernel import access


def viewer_of(user: m.User) -> Viewer:
    return Viewer(user.id, user.role, user.company_id)


async def visible_deal(uow: UnitOfWork, user: m.User, deal_id: int) -> m.Deal:
    """The deal, if this person sees it (core.domain.deals.workspace.Viewer.scope)."""
    deal = found(await uow.deals.visible(viewer_of(user), deal_id))
    return deal


async def editable(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.User, m.Deal]:
    """The person (staff) and the deal, if they see it: who sees a deal may work it."""
    user = await access.staff(uow, actor_id)
    return user, await visible_deal(uow, user, deal_id)


def feed(uow: UnitOfWork, deal: m.Deal, actor_id: int | None, kind: FeedKind, text: str | None = None, **extra):
    """A person's words in the deal's feed, written with the change they go with."""
    uow.feed.write(deal.id, actor_id, kind, text, **extra)


def tell(uow: UnitOfWork, deal: m.Deal, actor_id: int | None, entry: Entry, **extra):
    """A fact in the deal's feed (its kind and params: core.domain.kernel.feed), written with the change it tells of;
    the bot words it for each reader."""
    uow.feed.tell(deal.id, actor_id, entry, **extra)
