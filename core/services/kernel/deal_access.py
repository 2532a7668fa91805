"""What every use case on a deal starts with: who sees it (the deal scope), who may change it, and the line its
feed gets; shared by the workspace, its money and the stage engine. Who may do what is the access rules' say
(core.domain.kernel.permissions): reading through the deal scope's SQL, every other action by the deal's facts."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals import FeedKind, Viewer, viewer_for
from core.domain.kernel import permissions
from core.domain.kernel.access import Actor, Scope
from core.domain.kernel.errors import Forbidden, found
from core.domain.kernel.feed import Entry
from core.domain.kernel.permissions import Action, Area, Permission
from core.services.kernel import access


async def viewer_of(uow: UnitOfWork, user: m.User | int) -> Viewer:
    """The person as the deal scope sees them (reading, by the rules)."""
    user_id = user if isinstance(user, int) else user.id
    return viewer_for(await access.actor(uow, user_id, None if isinstance(user, int) else user))


async def visible_deal(uow: UnitOfWork, user: m.User | int | Actor, deal_id: int) -> m.Deal:
    """The deal, if this person reads it (area «deals», action «read»); NotFound otherwise, as for a deal that is
    not there: a forged button learns nothing."""
    actor = user if isinstance(user, Actor) else await access.actor(
        uow, user if isinstance(user, int) else user.id, None if isinstance(user, int) else user)
    viewer = viewer_for(actor)
    if not viewer.is_staff:
        raise Forbidden()
    return found(await uow.deals.visible(viewer, deal_id))


async def may(uow: UnitOfWork, actor: Actor, deal: m.Deal, area: Area, action: Action | Permission) -> bool:
    """Whether the rules let this person do this to this deal (its facts loaded when the scope needs them)."""
    reach = permissions.scope(actor, area, action)
    if reach == Scope.ALL or reach == Scope.NONE:
        return reach == Scope.ALL
    return permissions.allows(actor, area, action, await uow.deals.facts(deal))


async def ensure(uow: UnitOfWork, actor: Actor, deal: m.Deal, area: Area, action: Action | Permission) -> None:
    if not await may(uow, actor, deal, area, action):
        raise Forbidden()


async def editable(uow: UnitOfWork, actor_id: int, deal_id: int, action: Action | Permission = Action.EDIT,
                   area: Area = Area.DEALS) -> tuple[m.User, m.Deal]:
    """The person and the deal, if they read it and the rules let them do ``action`` to it (editing, by default)."""
    user = await uow.users.get(actor_id)
    if user is None:
        raise Forbidden()
    actor = await access.actor(uow, actor_id, user)
    if permissions.scope(actor, area, action) == Scope.NONE:
        raise Forbidden()
    deal = await visible_deal(uow, actor, deal_id)
    await ensure(uow, actor, deal, area, action)
    return user, deal


def feed(uow: UnitOfWork, deal: m.Deal, actor_id: int | None, kind: FeedKind, text: str | None = None, **extra):
    """A person's words in the deal's feed, written with the change they go with."""
    uow.feed.write(deal.id, actor_id, kind, text, **extra)


def tell(uow: UnitOfWork, deal: m.Deal, actor_id: int | None, entry: Entry, **extra):
    """A fact in the deal's feed (its kind and params: core.domain.kernel.feed), written with the change it tells of;
    the bot words it for each reader."""
    uow.feed.tell(deal.id, actor_id, entry, **extra)
