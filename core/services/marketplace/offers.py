"""Offers (seed step 4) and the client's choice that opens the deal (step 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow, StaleRow, UnitOfWork
from core.domain.deals import DealKind, Pipeline
from core.domain.kernel import permissions
from core.domain.kernel.errors import AlreadyDecided, Conflict, Forbidden, InvalidInput
from core.domain.kernel.inputs import check_file, clean_text
from core.domain.kernel.notices import DealChosen, DealNotChosen, OfferNew, OfferUpdated, OfferWithdrawn, StatusChanged
from core.domain.kernel.permissions import Action, Area, Record
from core.domain.kernel.roles import Role
from core.domain.marketplace import applications as rules
from core.domain.marketplace import offers as policy
from core.domain.marketplace.applications import Actor, AppStatus
from core.domain.marketplace.offers import OfferStatus
from core.services.deals import open_deal
from core.services.kernel import access
from core.services.kernel.config import CoreConfig
from core.services.kernel.contacts import contact_for
from core.services.marketplace.applications import context, load, participants, reach


@dataclass
class OfferInput:
    monthly_payment: Decimal
    term_months: int
    advance: Decimal
    buyout: Decimal
    comment: str | None = None
    file_id: str | None = None
    file_kind: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Started:
    expires_at: datetime
    offer: m.Offer | None  # the company's current offer, when this manager edits it


async def _manager_on(uow: UnitOfWork, manager_id: int, app: m.Application) -> m.User:
    """The manager, if the application was sent to them and the rules let them write on it (its offers)."""
    ctx = await context(uow, manager_id, app)
    if not ctx.may_offer:
        raise Forbidden()
    manager = ctx.user
    if app.status != AppStatus.DISPATCHED:
        raise Conflict("offers_closed")
    return manager


def _existing(offer: m.Offer | None) -> policy.ExistingOffer | None:
    if offer is None:
        return None
    return policy.ExistingOffer(manager_id=offer.manager_id, manager_name=offer.manager.name,
                                status=OfferStatus(offer.status))


def _hold(hold: m.OfferHold | None) -> policy.Hold | None:
    if hold is None:
        return None
    return policy.Hold(manager_id=hold.manager_id, manager_name=hold.manager.name, expires_at=hold.expires_at)


async def start(uow: UnitOfWork, manager_id: int, app_id: int, cfg: CoreConfig) -> Started:
    """Hold the company's slot for this manager while they fill the form."""
    async with uow:
        app = await load(uow, app_id, for_update=True)
        manager = await _manager_on(uow, manager_id, app)
        offer = await uow.offers.of_company(app.id, manager.company_id)
        hold = await uow.holds.get(app.id, manager.company_id)
        now = uow.clock.now()
        policy.ensure_company_may_offer(manager_id=manager.id, existing=_existing(offer), hold=_hold(hold), now=now)
        expires = now + timedelta(minutes=cfg.offer_hold_minutes)
        if hold is None:
            uow.holds.add(m.OfferHold(application_id=app.id, company_id=manager.company_id, manager_id=manager.id,
                                      expires_at=expires))
        else:
            hold.manager_id, hold.expires_at = manager.id, expires
        await uow.commit()
        own = offer if offer is not None and offer.status == OfferStatus.ACTIVE else None
        return Started(expires_at=expires, offer=own)


def _validate(data: OfferInput, cfg: CoreConfig) -> OfferInput:
    if data.monthly_payment <= 0:
        raise InvalidInput("amount_range", minimum=Decimal("0.01"), maximum=Decimal("10000000000"))
    if not 1 <= data.term_months <= 120:
        raise InvalidInput("int_range", minimum=1, maximum=120)
    if data.advance < 0 or data.buyout < 0:
        raise InvalidInput("amount_range", minimum=0, maximum=Decimal("10000000000"))
    if data.comment is not None:
        data.comment = clean_text(data.comment, max_len=cfg.max_text, min_len=0) or None
    if data.file_id:
        check_file(file_name=data.file_name, mime_type=data.mime_type, size=data.size, max_bytes=cfg.max_file_bytes)
    return data


async def _choosers(uow: UnitOfWork, app: m.Application) -> list[int]:
    """Who is told of offers: the client, or the admins when the client is not in the bot."""
    if app.client_user_id:
        return [app.client_user_id]
    return [a.id for a in await uow.users.with_role(Role.ADMIN)]


async def submit(uow: UnitOfWork, manager_id: int, app_id: int, data: OfferInput, cfg: CoreConfig) -> m.Offer:
    data = _validate(data, cfg)
    try:
        async with uow:
            app = await load(uow, app_id, for_update=True)
            manager = await _manager_on(uow, manager_id, app)
            offer = await uow.offers.of_company(app.id, manager.company_id)
            hold = await uow.holds.get(app.id, manager.company_id)
            policy.ensure_company_may_offer(manager_id=manager.id, existing=_existing(offer), hold=_hold(hold),
                                            now=uow.clock.now())
            is_new = offer is None or offer.status == OfferStatus.WITHDRAWN
            if offer is None:
                offer = uow.offers.add(m.Offer(application_id=app.id, company_id=manager.company_id))
            offer.manager_id, offer.status = manager.id, OfferStatus.ACTIVE
            offer.monthly_payment, offer.term_months = data.monthly_payment, data.term_months
            offer.advance, offer.buyout, offer.comment = data.advance, data.buyout, data.comment
            offer.file_id, offer.file_kind, offer.file_name = data.file_id, data.file_kind, data.file_name
            await uow.holds.release(app.id, manager.company_id)
            await uow.flush()
            uow.audit.record(entity="offer", entity_id=offer.id, actor_id=manager.id,
                             action="offer" if is_new else "offer_edit", to_status=OfferStatus.ACTIVE)
            for user_id in await _choosers(uow, app):
                told = OfferNew if is_new else OfferUpdated
                uow.outbox.notify(user_id, told(app_id=app.id, offer_id=offer.id))
            await uow.commit()
            return offer
    except DuplicateRow:
        # a colleague's offer landed between our check and our insert: the named constraint decided
        async with uow:
            manager = await uow.users.get(manager_id)
            winner = await uow.offers.of_company(app_id, manager.company_id)
            raise policy.CompanyAlreadyOffered(manager=winner.manager.name if winner else "—") from None


def offer_facts(offer: m.Offer, app: m.Application) -> Record:
    """What the rules know of an offer: its manager holds it, for their company (a colleague is of its team); the
    application's client, who chooses, owns it too. No other company's manager reaches it."""
    return Record(owner_id=offer.manager_id, company_id=offer.company_id,
                  members=frozenset({app.client_user_id} - {None}))


async def _own(uow: UnitOfWork, manager_id: int, offer_id: int, action: Action = Action.EDIT) -> m.Offer:
    """The offer, if this manager wrote it (a colleague takes the company's slot over only once it is withdrawn)
    and the rules let them ``action`` it."""
    offer = await uow.offers.get_or_raise(offer_id)
    if offer.manager_id != manager_id:
        raise Forbidden()
    app = await load(uow, offer.application_id)
    if not permissions.allows(await access.actor(uow, manager_id), Area.MARKETPLACE, action, offer_facts(offer, app)):
        raise Forbidden()
    return offer


async def withdraw(uow: UnitOfWork, manager_id: int, offer_id: int) -> m.Offer:
    async with uow:
        offer = await _own(uow, manager_id, offer_id)
        app = await load(uow, offer.application_id, for_update=True)
        policy.ensure_offer_editable(OfferStatus(offer.status), app.status == AppStatus.DISPATCHED)
        if offer.status == OfferStatus.WITHDRAWN:
            raise Conflict("already_withdrawn")
        offer.status = OfferStatus.WITHDRAWN
        uow.audit.record(entity="offer", entity_id=offer.id, actor_id=manager_id, action="withdraw",
                         from_status=OfferStatus.ACTIVE, to_status=OfferStatus.WITHDRAWN)
        for user_id in await _choosers(uow, app):
            uow.outbox.notify(user_id, OfferWithdrawn(app_id=app.id, company=offer.company.name))
        await uow.commit()
        return offer


@dataclass(frozen=True)
class OfferView:
    offer: m.Offer
    cost: policy.Cost


async def visible_offers(uow: UnitOfWork, viewer_id: int, app_id: int) -> tuple[m.Application, list[OfferView], bool]:
    """Offers this viewer may see, with their cost; the flag says whether the viewer may choose."""
    async with uow:
        app = await load(uow, app_id)
        ctx = await context(uow, viewer_id, app)
        ctx.ensure(Action.READ)
        may_choose = Actor.CHOOSER in ctx.actors
        if not (may_choose or ctx.sent):  # the offers are the chooser's and the managers' it was sent to
            raise Forbidden()
        offers = await uow.offers.for_application(app.id, [OfferStatus.ACTIVE, OfferStatus.CHOSEN,
                                                           OfferStatus.NOT_CHOSEN])
        views = [OfferView(o, policy.cost(price=app.amount, monthly_payment=o.monthly_payment,
                                          term_months=o.term_months, advance=o.advance, buyout=o.buyout))
                 for o in offers if permissions.allows(ctx.person, Area.MARKETPLACE, Action.READ,
                                                       offer_facts(o, app))]
        return app, views, may_choose


async def my_offers(uow: UnitOfWork, manager_id: int, page_no: int, size: int = 6):
    async with uow:
        await reach(uow, manager_id)
        return await uow.offers.page_for_manager(manager_id, page=page_no, size=size)


async def get_own(uow: UnitOfWork, manager_id: int, offer_id: int) -> m.Offer:
    async with uow:
        return await _own(uow, manager_id, offer_id, Action.READ)


async def approve_deal(uow: UnitOfWork, actor_id: int, app_id: int, offer_ids: list[int]) -> m.Application:
    """Seed step 5: the chosen offers open the deal; their managers get the contacts, the others a polite no."""
    if not offer_ids:
        raise InvalidInput("choose_offer")
    try:
        async with uow:
            app = await load(uow, app_id, for_update=True)
            ctx = await context(uow, actor_id, app)
            ctx.ensure(Action.MOVE)
            if app.status != AppStatus.DISPATCHED and Actor.CHOOSER in ctx.actors:
                decider = await uow.users.get(app.decided_by) if app.decided_by else None
                raise AlreadyDecided(by=decider.name if decider else "—", at=app.decided_at, status=app.status)
            rules.check_transition(AppStatus(app.status), AppStatus.DOCUMENTS, set(ctx.actors))
            offers = await uow.offers.for_application(app.id, [OfferStatus.ACTIVE])
            by_id = {o.id: o for o in offers}
            if not set(offer_ids) <= set(by_id):
                raise Conflict("offer_gone")
            now = uow.clock.now()
            for o in offers:
                o.status = OfferStatus.CHOSEN if o.id in offer_ids else OfferStatus.NOT_CHOSEN
            old = app.status
            app.status, app.decided_by, app.decided_at = AppStatus.DOCUMENTS, actor_id, now
            uow.audit.record(entity="application", entity_id=app.id, actor_id=actor_id, action="approve_deal",
                             from_status=old, to_status=AppStatus.DOCUMENTS,
                             comment=",".join(str(i) for i in sorted(offer_ids)), at=now)
            chosen = {o.manager_id for o in offers if o.id in offer_ids}
            await _open_market_deal(uow, app, min(chosen), actor_id, now)
            for o in offers:
                told = DealChosen if o.id in offer_ids else DealNotChosen
                uow.outbox.notify(o.manager_id, told(app_id=app.id, offer_id=o.id))
            for user_id, role in participants(app, chosen).items():
                if role != Role.MANAGER and user_id != actor_id:
                    uow.outbox.notify(user_id, StatusChanged(app_id=app.id, old=old, new=AppStatus.DOCUMENTS.value,
                                                             comment=None))
            await uow.commit()
            return app
    except StaleRow:
        raise AlreadyDecided(by="—", at=None, status="") from None


async def _open_market_deal(uow: UnitOfWork, app: m.Application, responsible_id: int, actor_id: int, now) -> None:
    """The approved application becomes a deal of the marketplace pipeline, with the client's card (one per
    phone) as its contact; the first chosen manager is responsible."""
    contact = await contact_for(uow, app.client_phone, app.client_name, None)
    await open_deal(uow, contact, pipeline=Pipeline.MARKET, name=f"№{app.id} · {app.category.name}",
                    responsible_id=responsible_id, creator_id=actor_id, kind=DealKind.LEASING, application_id=app.id,
                    client_user_id=app.client_user_id, status_code=AppStatus.DOCUMENTS)
