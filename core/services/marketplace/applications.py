"""Applications: submit, resubmit after a question, moderate, dispatch, and what each viewer sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import StaleRow, UnitOfWork
from core.domain.kernel import permissions
from core.domain.kernel.access import Actor as AccessActor
from core.domain.kernel.access import Scope as AccessScope
from core.domain.kernel.errors import AlreadyDecided, Forbidden, InvalidInput, found
from core.domain.kernel.events import ManagerReady
from core.domain.kernel.inputs import check_file, clean_text, normalize_phone
from core.domain.kernel.notices import (
    AppApproved,
    AppClarify,
    AppDispatched,
    AppModeration,
    AppRejected,
    Payload,
    ReferralApplication,
    StatusChanged,
)
from core.domain.kernel.permissions import Action, Area, Record
from core.domain.kernel.roles import REFERRER_ROLES, Role, holds
from core.domain.marketplace import applications as rules
from core.domain.marketplace import matching, visibility
from core.domain.marketplace.applications import Actor, AppStatus
from core.services.kernel import access
from core.services.kernel.config import CoreConfig

MIN_AMOUNT, MAX_AMOUNT = Decimal("10000"), Decimal("10000000000")
MIN_TERM, MAX_TERM = 1, 120


@dataclass
class FileInput:
    kind: str  # document | photo
    file_id: str
    file_unique_id: str
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass
class Draft:
    category_id: int
    description: str
    amount: Decimal
    term_months: int
    region_id: int
    client_name: str
    client_phone: str
    files: list[FileInput] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """Where a user stands towards one application: their capacities in its moves (``actors``), and what the
    access rules (area «marketplace») let them do to it (``may``)."""

    user: m.User
    app: m.Application
    actors: frozenset[Actor]
    chosen_manager_ids: frozenset[int]
    person: AccessActor
    sent: bool = False  # a manager it was dispatched to (chosen or not)
    teams: frozenset[int] = frozenset()  # the applicant's teams
    company_id: int | None = None  # the applicant's partner company

    def facts(self, *, room: bool = False) -> Record:
        """What the rules know of the application: its applicant holds it (of their teams, or their partner company,
        when they have one); its client, its referrer and the chosen managers own it too, and, but for its deal room,
        the manager reading it if it was sent to them. What was sent to a colleague is not the company's: each
        manager works what was sent to them."""
        members = {self.app.client_user_id, self.app.referrer_id, *self.chosen_manager_ids}
        if self.sent and not room:
            members.add(self.user.id)
        return Record(owner_id=self.app.applicant_id, teams=self.teams, company_id=self.company_id,
                      members=frozenset(members - {None}))

    def may(self, action: Action, *, room: bool = False) -> bool:
        """Whether the rules let this person do ``action`` to the application (``room``: to its deal room)."""
        return permissions.allows(self.person, Area.MARKETPLACE, action, self.facts(room=room))

    def ensure(self, action: Action, *, room: bool = False, code: str | None = None) -> None:
        if not self.may(action, room=room):
            raise Forbidden(code) if code else Forbidden()

    @property
    def may_offer(self) -> bool:
        """A partner company's manager the application was sent to, while it collects offers."""
        return (holds(self.user, Role.MANAGER) and self.user.company_id is not None and self.sent
                and self.may(Action.EDIT))

    @property
    def sees_contacts(self) -> bool:
        return visibility.may_see_contacts(
            role=self.user.roles, user_id=self.user.id, applicant_id=self.app.applicant_id,
            client_user_id=self.app.client_user_id, chosen_manager_ids=set(self.chosen_manager_ids),
            referrer_id=self.app.referrer_id,
        )

    @property
    def is_participant(self) -> bool:
        return self.user.id in participants(self.app, self.chosen_manager_ids)


def participants(app: m.Application, chosen_manager_ids) -> dict[int, str]:
    """The deal room: client, chosen managers, the applicant if not the client, and the referrer."""
    people: dict[int, str] = {}
    if app.client_user_id:
        people[app.client_user_id] = "client"
    if app.applicant_id not in people:
        people[app.applicant_id] = "applicant"
    if app.referrer_id and app.referrer_id not in people:
        people[app.referrer_id] = "referrer"
    for manager_id in chosen_manager_ids:
        people[manager_id] = "manager"
    return people


async def context(uow: UnitOfWork, user_id: int, app: m.Application) -> Context:
    user = await uow.users.get(user_id)
    if user is None:
        raise Forbidden()
    chosen = await uow.offers.chosen_manager_ids(app.id)
    actors = rules.actors_for(role=user.roles, user_id=user.id, applicant_id=app.applicant_id,
                              client_user_id=app.client_user_id, chosen_manager_ids=chosen)
    sent = holds(user, Role.MANAGER) and await uow.dispatch.was_sent(app.id, user.id)
    applicant = user if user.id == app.applicant_id else await uow.users.get(app.applicant_id)
    return Context(user=user, app=app, actors=frozenset(actors), chosen_manager_ids=frozenset(chosen),
                   person=await access.actor(uow, user.id, user), sent=sent,
                   teams=frozenset(await uow.access_groups.of_user(app.applicant_id)),
                   company_id=applicant.company_id if applicant else None)


async def load(uow: UnitOfWork, app_id: int, *, for_update: bool = False) -> m.Application:
    app = found(await (uow.applications.get_for_update(app_id) if for_update else uow.applications.get(app_id)))
    return app


def validate(draft: Draft, cfg: CoreConfig) -> Draft:
    if not MIN_AMOUNT <= draft.amount <= MAX_AMOUNT:
        raise InvalidInput("amount_range", minimum=MIN_AMOUNT, maximum=MAX_AMOUNT)
    if not MIN_TERM <= draft.term_months <= MAX_TERM:
        raise InvalidInput("int_range", minimum=MIN_TERM, maximum=MAX_TERM)
    if len(draft.files) > cfg.max_files:
        raise InvalidInput("too_many_files", max_files=cfg.max_files)
    for f in draft.files:
        check_file(file_name=f.file_name, mime_type=f.mime_type, size=f.size, max_bytes=cfg.max_file_bytes)
    draft.description = clean_text(draft.description, max_len=cfg.max_text)
    draft.client_name = clean_text(draft.client_name, max_len=128)
    draft.client_phone = normalize_phone(draft.client_phone, cfg.phone_region)
    return draft


async def _check_directories(uow: UnitOfWork, draft: Draft) -> None:
    category = await uow.categories.get(draft.category_id)
    region = await uow.regions.get(draft.region_id)
    if category is None or category.archived or region is None or region.archived:
        raise InvalidInput("directory_item_gone")


def _fill(app: m.Application, draft: Draft) -> None:
    app.category_id, app.region_id = draft.category_id, draft.region_id
    app.description, app.amount, app.term_months = draft.description, draft.amount, draft.term_months
    app.client_name, app.client_phone = draft.client_name, draft.client_phone
    app.files = [m.ApplicationFile(**vars(f)) for f in draft.files]


async def _notify_admins(uow: UnitOfWork, notice: Payload, exclude: int | None = None) -> None:
    for admin in await uow.users.with_role(Role.ADMIN):
        if admin.id != exclude:
            uow.outbox.notify(admin.id, notice)


async def submit(uow: UnitOfWork, actor_id: int, draft: Draft, cfg: CoreConfig) -> m.Application:
    """Seed step 1: a new application goes to moderation; every admin is told."""
    draft = validate(draft, cfg)
    async with uow:
        actor = await uow.users.get(actor_id)
        await _check_directories(uow, draft)
        role = Role(actor.role)
        app = m.Application(
            status=AppStatus.MODERATION, applicant_id=actor.id,
            client_user_id=actor.id if role == Role.CLIENT else None,
            referrer_id=actor.id if role in REFERRER_ROLES else (actor.referrer_id if role == Role.CLIENT else None),
        )
        _fill(app, draft)
        uow.applications.add(app)
        await uow.flush()
        uow.audit.record(entity="application", entity_id=app.id, actor_id=actor.id, action="submit",
                         to_status=AppStatus.MODERATION)
        await _notify_admins(uow, AppModeration(app_id=app.id))
        if app.referrer_id and app.referrer_id != actor.id:
            uow.outbox.notify(app.referrer_id, ReferralApplication(app_id=app.id))
        await uow.commit()
        return app


async def resubmit(uow: UnitOfWork, actor_id: int, app_id: int, draft: Draft, cfg: CoreConfig) -> m.Application:
    """The applicant answers an admin's question by editing the application and sending it again."""
    draft = validate(draft, cfg)
    async with uow:
        app = await load(uow, app_id, for_update=True)
        ctx = await context(uow, actor_id, app)
        ctx.ensure(Action.MOVE)
        rules.check_transition(AppStatus(app.status), AppStatus.MODERATION, {a for a in ctx.actors
                                                                            if a == Actor.APPLICANT})
        await _check_directories(uow, draft)
        _fill(app, draft)
        old = app.status
        app.status, app.question, app.decided_by, app.decided_at = AppStatus.MODERATION, None, None, None
        uow.audit.record(entity="application", entity_id=app.id, actor_id=actor_id, action="resubmit",
                         from_status=old, to_status=AppStatus.MODERATION)
        await _notify_admins(uow, AppModeration(app_id=app.id))
        await uow.commit()
        return app


async def draft_of(uow: UnitOfWork, actor_id: int, app_id: int) -> Draft:
    """The application as a form the applicant can edit (only while an admin's question is open)."""
    async with uow:
        app = await load(uow, app_id)
        (await context(uow, actor_id, app)).ensure(Action.EDIT)
        if app.applicant_id != actor_id:  # the form is the applicant's to answer
            raise Forbidden()
        if app.status != AppStatus.CLARIFICATION:
            raise InvalidInput("not_editable")
        return Draft(
            category_id=app.category_id, description=app.description, amount=app.amount,
            term_months=app.term_months, region_id=app.region_id, client_name=app.client_name,
            client_phone=app.client_phone,
            files=[FileInput(kind=f.kind, file_id=f.file_id, file_unique_id=f.file_unique_id,
                             file_name=f.file_name, mime_type=f.mime_type, size=f.size) for f in app.files],
        )


@dataclass(frozen=True)
class ModerationResult:
    app: m.Application
    dispatched_to: int = 0


async def _already_decided(uow: UnitOfWork, app: m.Application) -> AlreadyDecided:
    decider = await uow.users.get(app.decided_by) if app.decided_by else None
    return AlreadyDecided(by=decider.name if decider else "—", at=app.decided_at, status=app.status)


async def moderate(uow: UnitOfWork, admin_id: int, app_id: int, target: AppStatus,
                   text: str | None, cfg: CoreConfig) -> ModerationResult:
    """Seed step 2. The first decision wins; a later one is told who decided and when."""
    if target in rules.COMMENT_REQUIRED:
        text = clean_text(text, max_len=cfg.max_text)
    try:
        async with uow:
            app = await load(uow, app_id, for_update=True)
            ctx = await context(uow, admin_id, app)
            ctx.ensure(Action.MOVE)
            if Actor.ADMIN not in ctx.actors:
                raise Forbidden()
            if app.status != AppStatus.MODERATION:
                raise await _already_decided(uow, app)
            rules.check_transition(AppStatus(app.status), target, set(ctx.actors))
            now = uow.clock.now()
            app.status, app.decided_by, app.decided_at = target, admin_id, now
            app.question = text if target != AppStatus.DISPATCHED else None
            uow.audit.record(entity="application", entity_id=app.id, actor_id=admin_id, action="moderate",
                             from_status=AppStatus.MODERATION, to_status=target, comment=text, at=now)
            sent = 0
            if target == AppStatus.DISPATCHED:
                sent = await _dispatch(uow, app)
                uow.outbox.notify(app.applicant_id, AppApproved(app_id=app.id, managers=sent))
            elif target == AppStatus.REJECTED:
                uow.outbox.notify(app.applicant_id, AppRejected(app_id=app.id, reason=text))
            else:
                uow.outbox.notify(app.applicant_id, AppClarify(app_id=app.id, question=text))
            if app.referrer_id and app.referrer_id != app.applicant_id:
                uow.outbox.notify(app.referrer_id, StatusChanged(app_id=app.id, old=AppStatus.MODERATION.value,
                                                                 new=target.value, comment=None))
            await uow.commit()
            return ModerationResult(app, sent)
    except StaleRow:
        async with uow:
            raise await _already_decided(uow, await load(uow, app_id)) from None


async def ensure_pending(uow: UnitOfWork, admin_id: int, app_id: int) -> None:
    """Before asking an admin for a reason: is the application still theirs to decide?"""
    async with uow:
        app = await load(uow, app_id)
        ctx = await context(uow, admin_id, app)
        ctx.ensure(Action.MOVE)
        if Actor.ADMIN not in ctx.actors:
            raise Forbidden()
        if app.status != AppStatus.MODERATION:
            raise await _already_decided(uow, app)


def _request(app: m.Application) -> matching.Request:
    return matching.Request(category_id=app.category_id, amount=app.amount, term_months=app.term_months,
                            region_id=app.region_id)


def _profile(p: m.ManagerProfile | None) -> matching.Profile:
    if p is None:
        return matching.Profile()
    return matching.Profile(categories=frozenset(p.categories or ()), regions=frozenset(p.regions or ()),
                            amount_min=p.amount_min, amount_max=p.amount_max, term_min=p.term_min,
                            term_max=p.term_max)


async def _dispatch(uow: UnitOfWork, app: m.Application) -> int:
    """Seed step 3: to every manager whose profile matches; the log links each row to its delivery."""
    managers = [u for u in await uow.users.managers_with_profiles() if not u.blocked
                and u.company is not None and not u.company.archived]
    chosen = matching.select_managers(((u.id, _profile(u.profile)) for u in managers), _request(app))
    outbox_ids = await uow.outbox.notify_many(chosen, AppDispatched(app_id=app.id))
    await uow.dispatch.add_many(app.id, list(zip(chosen, outbox_ids, strict=True)))
    return len(chosen)


async def on_manager_ready(uow: UnitOfWork, event: ManagerReady) -> None:
    """A manager invited (or given the role, or whose profile changed) after an approval: the applications still
    collecting offers that match them reach them too, each once (the dispatch log knows who was sent what), as the
    dispatch at approval would have sent them."""
    user = await uow.users.get(event.user_id)
    if (user is None or user.role != Role.MANAGER or user.blocked or user.company is None
            or user.company.archived):
        return
    await catch_up(uow, user)


async def catch_up(uow: UnitOfWork, user: m.User) -> int:
    """Inside an open unit of work: the open applications matching ``user`` (a manager) that they never got, sent
    now and logged; how many."""
    profile = _profile(user.profile)
    apps = [a for a in await uow.dispatch.open_not_sent_to(user.id) if matching.matches(profile, _request(a))]
    for app in apps:
        [row] = await uow.outbox.notify_many([user.id], AppDispatched(app_id=app.id))
        await uow.dispatch.add_many(app.id, [(user.id, row)])
    return len(apps)


@dataclass(frozen=True)
class Card:
    """What one viewer may see of an application."""

    app: m.Application
    ctx: Context
    client_name: str | None
    client_phone: str | None
    files: list[m.ApplicationFile]
    applicant: m.User | None  # None: the applicant is the client, whom this viewer may not know yet
    referrer: m.User | None
    last_comment: str | None = None


async def card(uow: UnitOfWork, viewer_id: int, app_id: int) -> Card:
    async with uow:
        return await card_in(uow, viewer_id, app_id)


async def card_in(uow: UnitOfWork, viewer_id: int, app_id: int) -> Card:
    """The card as ``card`` gives it, inside a unit of work already open. Before the deal a manager sees the object
    and the terms, never who the client is: not the contacts, not the files, not the applicant when the client
    applied herself."""
    app = await load(uow, app_id)
    ctx = await context(uow, viewer_id, app)
    ctx.ensure(Action.READ)
    sees = ctx.sees_contacts
    applicant = (await uow.users.get(app.applicant_id)
                 if visibility.may_see_applicant(sees_contacts=sees, applicant_id=app.applicant_id,
                                                 client_user_id=app.client_user_id) else None)
    referrer = await uow.users.get(app.referrer_id) if app.referrer_id else None
    last = await uow.audit.last_decision("application", app.id)
    return Card(app=app, ctx=ctx, client_name=app.client_name if sees else None,
                client_phone=app.client_phone if sees else None, files=list(app.files) if sees else [],
                applicant=applicant, referrer=referrer, last_comment=last.comment if last else None)


async def reach(uow: UnitOfWork, user_id: int, action: Action = Action.READ) -> AccessScope:
    """How far this person's ``action`` reaches in the marketplace (the rules'); refused when nowhere."""
    person = await access.actor(uow, user_id)
    scope = permissions.scope(person, Area.MARKETPLACE, action)
    if scope == AccessScope.NONE:
        raise Forbidden()
    return scope


async def dispatch_log(uow: UnitOfWork, admin_id: int, app_id: int):
    """Whom an application was sent to: every partner company's managers, so only to whom reads every
    application (the rules: an admin)."""
    async with uow:
        if await reach(uow, admin_id) != AccessScope.ALL:
            raise Forbidden()
        rows = await uow.dispatch.for_application(app_id)
        people = await uow.users.get_many([d.manager_id for d, _ in rows])
        return [(people[d.manager_id], o) for d, o in rows]


async def audit_trail(uow: UnitOfWork, viewer_id: int, app_id: int):
    async with uow:
        await card_in(uow, viewer_id, app_id)  # visibility check
        rows = await uow.audit.for_entity("application", app_id)
        people = await uow.users.get_many([r.actor_id for r in rows if r.actor_id])
        return [(r, people.get(r.actor_id)) for r in rows]


class ListKind:
    MINE = "mine"  # the applicant's or client's own applications
    MODERATION = "moderation"  # the admin's queue
    INCOMING = "incoming"  # sent to this manager, still collecting offers
    REFERRALS = "referrals"  # an agent's or supplier's clients' applications
    DEALS = "deals"  # applications that became deals, where I take part


async def page(uow: UnitOfWork, user_id: int, kind: str, page_no: int, size: int = 6):
    """A list of applications: each list holds only what its reader's rules reach (their own, what was sent to
    them, their clients'; every one for whom the rules give all)."""
    async with uow:
        user = await uow.users.get(user_id)
        if user is None:
            raise Forbidden()
        everything = await reach(uow, user.id) == AccessScope.ALL
        if kind == ListKind.MINE:
            return await uow.applications.page(page=page_no, size=size, mine=user.id)
        if kind == ListKind.MODERATION and holds(user, Role.ADMIN) and everything:
            return await uow.applications.page(page=page_no, size=size, status=AppStatus.MODERATION)
        if kind == ListKind.INCOMING and holds(user, Role.MANAGER):
            return await uow.applications.page(page=page_no, size=size, status=AppStatus.DISPATCHED,
                                               dispatched_to=user.id)
        if kind == ListKind.REFERRALS and holds(user, *REFERRER_ROLES):
            return await uow.applications.page(page=page_no, size=size, referrer=user.id)
        if kind == ListKind.DEALS:
            return await uow.applications.deals_for(user.id, page=page_no, size=size, admin=everything)
        raise Forbidden()

