"""Contacts and leads (seed 004): one card per phone, duplicates, statuses with their history, call attempts,
auto-tasks, and the deal a contract makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import StaleRow, UnitOfWork
from core.db.leads.lifecycle import readable
from core.domain.deals import Pipeline, viewer_for
from core.domain.kernel import permissions
from core.domain.kernel.access import Scope
from core.domain.kernel.deployment import LeadPipeline
from core.domain.kernel.errors import AlreadyDecided, Forbidden, InvalidInput, NotFound, found
from core.domain.kernel.inputs import CLEAR, clean_text, normalize_phone, optional_text, parse_amount
from core.domain.kernel.notices import LeadAssigned, LeadDuplicate, LeadHandedOver, LeadMeeting, LeadNew
from core.domain.kernel.permissions import Action, Area
from core.domain.kernel.roles import Role
from core.domain.kernel.tasks import TaskClose, TaskStatus
from core.domain.leads import lifecycle as rules
from core.domain.leads.feed import DuplicateArrived
from core.domain.leads.lifecycle import LeadField, LeadStatus
from core.services import deals
from core.services.kernel import access, deployment
from core.services.kernel.access import admin, staff
from core.services.kernel.config import CoreConfig
from core.services.kernel.contacts import contact_for


@dataclass
class LeadInput:
    phone: str
    name: str
    source_id: int
    debt_amount: Decimal | None = None
    city: str | None = None
    comment: str | None = None


async def ensure_staff(uow: UnitOfWork, user_id: int) -> None:
    """Leads are worked by managers and admins."""
    async with uow:
        await staff(uow, user_id)


async def source_by_code(uow: UnitOfWork, code: str) -> m.Source:
    async with uow:
        source = await uow.sources.by_code(code)
        if source is None or source.archived:
            raise InvalidInput("source_link_unknown")
        return source


async def request_source(uow: UnitOfWork, user_id: int) -> m.Source:
    """The source a person's next request (« New request » in their menu) comes from: that of their latest
    request, else the first live one; none live: requests are not taken."""
    async with uow:
        known = await uow.leads.person_source(user_id)
        source = await uow.sources.get(known) if known else None
        if source is None or source.archived:
            source = next(iter(await uow.sources.list()), None)
        if source is None:
            raise InvalidInput("requests_closed")
        return source


async def request_from_person(uow: UnitOfWork, user_id: int, data: LeadInput, cfg: CoreConfig,
                              own_phone: bool) -> m.Lead:
    """A person who came by a source link leaves a request: a lead that is someone's at once (``create`` with
    ``arrived``), whose responsible is told; the admins are told who got it and why. A phone shared with the
    contact button binds the person to that phone's card; a typed one does not (anybody can type a phone), but the
    lead knows who left it."""
    lead, how = await _create(uow, None, data, cfg, arrived=True)
    async with uow:
        lead = await uow.leads.get(lead.id)
        lead.client_user_id = user_id  # theirs to write about and to be answered on, whatever phone they typed
        if own_phone:
            contact = await uow.contacts.get(lead.contact_id)
            if contact.user_id is None:
                contact.user_id = user_id
        responsible = await uow.users.get(lead.responsible_id) if lead.responsible_id else None
        for admin in await uow.users.with_role(Role.ADMIN):
            uow.outbox.notify(admin.id, LeadNew(lead_id=lead.id, responsible=responsible.name if responsible else None,
                                                how=how.value))
        await uow.commit()
    return lead


@dataclass(frozen=True)
class Workload:
    """Who works the leads that arrive by themselves, and how many open leads each has."""

    people: list[tuple[m.User, int]]
    defaults: dict[int, m.User]  # source id → its default responsible


async def _people_by_load(uow: UnitOfWork) -> list[tuple[m.User, int]]:
    """The managers who work leads with their open leads, fewest first."""
    load = await uow.leads.workload()
    people = await uow.users.get_many(load)
    return sorted(((people[i], n) for i, n in load.items()), key=lambda p: (p[1], p[0].id))


async def distribution(uow: UnitOfWork, admin_id: int) -> Workload:
    """For the admins: the managers new leads are shared among (fewest open leads first) and each source's
    default responsible."""
    async with uow:
        await admin(uow, admin_id)
        sources = await uow.sources.list(active_only=False)
        owners = await uow.users.get_many({x.default_responsible_id for x in sources if x.default_responsible_id})
        return Workload(people=await _people_by_load(uow),
                        defaults={x.id: owners[x.default_responsible_id] for x in sources
                                  if x.default_responsible_id in owners})


async def workers(uow: UnitOfWork, viewer_id: int) -> list[tuple[m.User, int]]:
    """Who a lead can be handed to (the managers who work leads), each with their open leads; for staff."""
    async with uow:
        await staff(uow, viewer_id)
        return await _people_by_load(uow)


async def set_source_responsible(uow: UnitOfWork, admin_id: int, source_id: int, user_id: int | None) -> m.Source:
    """An admin names who works the leads a source brings (``None``: share them by the fewest open leads)."""
    async with uow:
        await admin(uow, admin_id)
        source = await uow.sources.get_or_raise(source_id)
        if user_id is not None and not await uow.leads.may_work(user_id):
            raise InvalidInput("not_staff")
        source.default_responsible_id = user_id
        uow.audit.record(entity="sources", entity_id=source.id, actor_id=admin_id, action="responsible",
                         comment=str(user_id) if user_id else None)
        await uow.commit()
        return source


async def bind_telegram_user(uow: UnitOfWork, user_id: int, phone_text: str, cfg: CoreConfig) -> m.Contact:
    """A person who shares their phone with the contact button is bound to that phone's card (never a second one)."""
    phone = normalize_phone(phone_text, cfg.phone_region)
    async with uow:
        user = await uow.users.get(user_id)
        contact = await contact_for(uow, phone, user.name, None)
        if contact.user_id is None:
            contact.user_id = user.id
        user.phone = phone
        await uow.commit()
        return contact


async def create(uow: UnitOfWork, actor_id: int | None, data: LeadInput, cfg: CoreConfig,
                 responsible_id: int | None = None, *, arrived: bool = False) -> m.Lead:
    """A new lead; with the phone of an open lead it is born «Дубль», pointing to the original, whose feed
    gets a note and whose responsible is told.

    Its responsible: ``responsible_id`` when given (an import row naming one); else, for a lead that ``arrived``
    by itself (a source link, an import row naming nobody), the source's default responsible or the manager with
    the fewest open leads (``rules.pick_responsible``), a duplicate going to its original's responsible; else the
    manager who typed it in. A responsible other than the actor is told."""
    lead, _ = await _create(uow, actor_id, data, cfg, responsible_id, arrived=arrived)
    return lead


async def _create(uow: UnitOfWork, actor_id: int | None, data: LeadInput, cfg: CoreConfig,
                  responsible_id: int | None = None, *, arrived: bool = False) -> tuple[m.Lead, rules.Assignment]:
    phone = normalize_phone(data.phone, cfg.phone_region)
    name = clean_text(data.name, max_len=128)
    city = clean_text(data.city, max_len=128) if data.city else None
    comment = clean_text(data.comment, max_len=cfg.max_text) if data.comment else None
    if data.debt_amount is not None and data.debt_amount < 0:
        raise InvalidInput("amount_range", minimum=0, maximum=Decimal("10000000000"))
    async with uow:
        if actor_id is not None:
            await staff(uow, actor_id)
        source = await uow.sources.get(data.source_id)
        if source is None or source.archived:
            raise InvalidInput("source_required")
        contact = await contact_for(uow, phone, name, city)
        # a known phone with another name («Нина Петрова» with Иван's phone): the card stays as it is, the lead
        # keeps the name given, and the page offers to take it for the card
        given = name if contact.name.casefold() != name.casefold() else None
        original_id = rules.original_of(await uow.leads.statuses_of_contact(contact.id))
        original = await uow.leads.get(original_id) if original_id else None
        responsible_id, how = await _responsible(uow, actor_id, source, original, responsible_id, arrived)
        now = uow.clock.now()
        lead = uow.add(m.Lead(contact_id=contact.id, source_id=source.id, debt_amount=data.debt_amount, city=city,
                              comment=comment, created_by=actor_id, created_at=now, responsible_id=responsible_id,
                              given_name=given,
                              status=LeadStatus.DUPLICATE if original_id else LeadStatus.NEW,
                              duplicate_of_id=original_id))
        await uow.flush()
        uow.leads.history(lead.id, actor_id, now, lead.status)
        if original is not None:
            uow.leads.fact(original.id, None, DuplicateArrived(lead_id=lead.id, source=source.name))
            if original.responsible_id:
                uow.outbox.notify(original.responsible_id, LeadDuplicate(lead_id=original.id, duplicate_id=lead.id))
        else:
            await _plan(uow, lead, LeadStatus.NEW, now, cfg)
            if lead.responsible_id and lead.responsible_id != actor_id:
                uow.outbox.notify(lead.responsible_id, LeadAssigned(lead_id=lead.id))
        await uow.commit()
        return lead, how


async def _responsible(uow: UnitOfWork, actor_id: int | None, source: m.Source, original: m.Lead | None,
                       named: int | None, arrived: bool) -> tuple[int | None, rules.Assignment]:
    if named is not None:
        if not await uow.leads.may_work(named):
            raise InvalidInput("not_staff")
        return named, rules.Assignment.FILE
    if not arrived:
        return actor_id, rules.Assignment.CREATOR
    if original is not None and await uow.leads.may_work(original.responsible_id):
        return original.responsible_id, rules.Assignment.ORIGINAL
    default = source.default_responsible_id if await uow.leads.may_work(source.default_responsible_id) else None
    return rules.pick_responsible(default, {} if default else await uow.leads.workload())


async def enabled_rules(uow: UnitOfWork) -> frozenset[rules.TaskCode]:
    off = await uow.leads.switched_off()
    return frozenset(c for c in rules.TaskCode if c.value not in off)


async def switches(uow: UnitOfWork, admin_id: int) -> dict[rules.TaskCode, bool]:
    """The auto-task rules and whether each is on, for an admin."""
    async with uow:
        await admin(uow, admin_id)
        on = await enabled_rules(uow)
        return {code: code in on for code in rules.TaskCode}


async def toggle_rule(uow: UnitOfWork, admin_id: int, code: rules.TaskCode) -> bool:
    """Switch one auto-task rule on or off; returns whether it is on now."""
    async with uow:
        await admin(uow, admin_id)
        row = await uow.leads.switch(code.value)
        row.enabled = not row.enabled
        uow.audit.record(entity="auto_task", entity_id=0, actor_id=admin_id,
                         action="switch", comment=f"{code.value}={row.enabled}")
        await uow.commit()
        return row.enabled


async def _plan(uow: UnitOfWork, lead: m.Lead, status: LeadStatus, now: datetime, cfg: CoreConfig) -> None:
    if lead.responsible_id is None:
        return
    for p in rules.plan_tasks(status, now, cadence_days=cfg.calling_cadence_days, meeting_at=lead.meeting_at,
                              enabled=await enabled_rules(uow)):
        uow.add(m.Task(title=None, code=p.code, auto_status=status,
                       responsible_id=lead.responsible_id, lead_id=lead.id, due_at=p.due_at))


async def _worker(uow: UnitOfWork, actor_id: int, action: Action) -> m.User:
    """The person, if the access rules give them ``action`` on leads at all (area «leads»)."""
    user = await uow.users.get(actor_id)
    if user is None:
        raise Forbidden()
    permissions.ensure(await access.actor(uow, actor_id, user), Area.LEADS, action)
    return user


async def _may(uow: UnitOfWork, actor: m.User, lead: m.Lead, action: Action) -> None:
    """The access rules' say on this lead: its responsible is its owner (a lead nobody holds is everyone's own),
    their teams its teams (a team's head works the leads of the teams below)."""
    permissions.ensure(await access.actor(uow, actor.id, actor), Area.LEADS, action, await uow.leads.facts(lead))


async def _lead_for_work(uow: UnitOfWork, actor: m.User, lead_id: int, action: Action = Action.EDIT) -> m.Lead:
    lead = found(await uow.leads.for_update(lead_id))
    await _may(uow, actor, lead, action)
    if lead.status == LeadStatus.DUPLICATE:
        raise rules.DuplicateLead(original=lead.duplicate_of_id)
    return lead


async def log_attempt(uow: UnitOfWork, actor_id: int, lead_id: int) -> int:
    """One call attempt; returns how many the lead has."""
    async with uow:
        actor = await _worker(uow, actor_id, Action.EDIT)
        lead = await _lead_for_work(uow, actor, lead_id)
        uow.leads.attempt(lead.id, actor.id)
        count = await uow.leads.attempts(lead.id)
        await uow.commit()
        return count


async def set_status(uow: UnitOfWork, actor_id: int, lead_id: int, target: LeadStatus, cfg: CoreConfig,
                     meeting_at: datetime | None = None) -> m.Lead:
    """Move a lead: the table's rule, «Недозвон» only after enough attempts, the history row, the auto-tasks of
    the status left closed and those of the new one opened; «Договор» makes the deal."""
    try:
        async with uow:
            actor = await _worker(uow, actor_id, Action.MOVE)
            lead = await _lead_for_work(uow, actor, lead_id, Action.MOVE)
            current = LeadStatus(lead.status)
            if current == target:
                raise AlreadyDecided(by="—", at=lead.updated_at, status=lead.status)
            pipeline = await deployment.lead_pipeline(uow)
            rules.check_transition(current, target, pipeline=pipeline)
            if target == LeadStatus.NO_ANSWER:
                attempts = await uow.leads.attempt_times(lead.id)
                rules.check_no_answer(attempts, rules.CallPolicy(cfg.call_attempts,
                                                                 timedelta(hours=cfg.call_span_hours)))
            now = uow.clock.now()
            if target == LeadStatus.MEETING:
                if meeting_at is None:
                    raise rules.MeetingTimeRequired()
                rules.check_meeting_time(meeting_at, now)
                lead.meeting_at = meeting_at
                await _tell_meeting(uow, lead, actor, meeting_at)
            if target == LeadStatus.VISITED and current == LeadStatus.MEETING:
                rules.check_visit(lead.meeting_at, now)
            lead.status = target
            for stage in rules.stages_reached(target):  # the funnel's «ever reached», kept on the lead
                setattr(lead, f"reached_{stage}", 1)
            if lead.responsible_id is None:
                lead.responsible_id = actor.id
            uow.leads.history(lead.id, actor.id, now, target, current)
            for task in await uow.tasks.open_of_lead(lead.id, auto_status=current):
                task.status, task.close_reason = TaskStatus.CANCELLED, TaskClose.RULE
            await _plan(uow, lead, target, now, cfg)
            if target in rules.CONTRACTS:
                contact = await uow.contacts.get(lead.contact_id)
                await deals.open_deal(uow, contact, pipeline=Pipeline(pipeline), name=contact.name,
                                      responsible_id=lead.responsible_id, creator_id=actor.id, kind=target,
                                      source_id=lead.source_id, lead_id=lead.id,
                                      status_code=rules.FIRST_DEAL_STATUS[pipeline])
            await uow.commit()
            return lead
    except StaleRow:
        raise AlreadyDecided(by="—", at=None, status="") from None


async def _tell_meeting(uow: UnitOfWork, lead: m.Lead, actor: m.User, at: datetime) -> None:
    """The lead's client, when they are in the bot, is told of the meeting booked with them (a duplicate's client
    hears it from the original lead)."""
    client_id = lead.client_user_id or lead.contact.user_id
    client = await uow.users.get(client_id) if client_id else None
    if client is None or client.blocked or client.erased_at is not None or lead.status == LeadStatus.DUPLICATE:
        return
    uow.outbox.notify(client.id, LeadMeeting(lead_id=lead.id, at=at.astimezone(UTC).isoformat(), name=actor.name))


@dataclass(frozen=True)
class LeadView:
    lead: m.Lead
    attempts: int
    responsible: m.User | None
    notes: list[m.LeadNote]
    open_tasks: list[m.Task]
    deal: m.Deal | None = None  # the deal its contract made, when the reader sees it
    lead_pipeline: LeadPipeline = LeadPipeline.SALES  # the deployment's: which words its amount and junk have
    authors: dict[int, m.User] = field(default_factory=dict)  # who wrote the notes shown
    client_in_bot: bool = False  # the person who left it (or whom its card binds) can be written to in the bot


async def _editable(uow: UnitOfWork, actor_id: int, lead_id: int) -> m.Lead:
    """A lead its responsible or an admin may change (as they may work it): the access rules, area «leads»."""
    actor = await _worker(uow, actor_id, Action.EDIT)
    return await _lead_for_work(uow, actor, lead_id)


def _audit(uow: UnitOfWork, lead: m.Lead, actor_id: int, what: str, old, new) -> None:
    uow.audit.record(entity="lead", entity_id=lead.id, actor_id=actor_id, action=f"edit_{what}",
                     comment=f"{'—' if old in (None, '') else old} → {'—' if new in (None, '') else new}")


async def edit(uow: UnitOfWork, actor_id: int, lead_id: int, field: LeadField, text: str | None,
               cfg: CoreConfig, locale: str | None = None) -> m.Lead:
    """A typed field of the lead (the debt, the city, the comment; «-» clears it), in the audit trail; the debt is
    read as the writer's language (``locale``) writes amounts (core.domain.kernel.inputs.parse_amount)."""
    if field == LeadField.DEBT:
        value = None if text is not None and text.strip() in CLEAR else parse_amount(text or "", locale=locale)
    else:
        value = optional_text(text, 128 if field == LeadField.CITY else cfg.max_text)
    attr = "debt_amount" if field == LeadField.DEBT else field.value
    async with uow:
        lead = await _editable(uow, actor_id, lead_id)
        _audit(uow, lead, actor_id, field.value, getattr(lead, attr), value)
        setattr(lead, attr, value)
        await uow.commit()
        return lead


async def set_source(uow: UnitOfWork, actor_id: int, lead_id: int, source_id: int) -> m.Lead:
    """Where the lead came from (mandatory: changed, never removed); the funnel counts it there from now on."""
    async with uow:
        lead = await _editable(uow, actor_id, lead_id)
        source = await uow.sources.get(source_id)
        if source is None or source.archived:
            raise InvalidInput("source_required")
        old = await uow.sources.get(lead.source_id)
        _audit(uow, lead, actor_id, "source", old.name if old else None, source.name)
        lead.source_id = source.id
        await uow.commit()
        return lead


async def set_responsible(uow: UnitOfWork, actor_id: int, lead_id: int, user_id: int) -> tuple[m.Lead, m.User]:
    """Hand the lead over (its responsible or an admin): the new responsible gets its open tasks and is told; the
    one it was taken from (unless they gave it themselves) is told where it went. Returns the lead and its new
    responsible."""
    async with uow:
        lead = await _editable(uow, actor_id, lead_id)
        if not await uow.leads.may_work(user_id):
            raise InvalidInput("not_staff")
        people = await uow.users.get_many([x for x in (lead.responsible_id, user_id) if x])
        old = people.get(lead.responsible_id)
        _audit(uow, lead, actor_id, "responsible", old.name if old else None, people[user_id].name)
        await uow.tasks.hand_over_lead(lead.id, user_id)
        lead.responsible_id = user_id
        if user_id != actor_id:
            uow.outbox.notify(user_id, LeadAssigned(lead_id=lead.id))
        if old is not None and old.id not in (user_id, actor_id):
            contact = await uow.contacts.get(lead.contact_id)
            uow.outbox.notify(old.id, LeadHandedOver(lead_id=lead.id, name=contact.name, to=people[user_id].name))
        await uow.commit()
        return lead, people[user_id]


async def take_given_name(uow: UnitOfWork, actor_id: int, lead_id: int) -> str:
    """The name this lead's request gave becomes its contact card's (who may work the lead: its responsible, an
    admin, their heads). The card's other leads keep the name they came with: one that had none now holds the card's
    old name, one that gave the new name holds none any more. In the audit trail, as a card edit. Returns the
    card's new name."""
    async with uow:
        lead = await _editable(uow, actor_id, lead_id)
        if not lead.given_name:
            raise InvalidInput("stale_button")
        contact = await uow.contacts.get_or_raise(lead.contact_id)
        if contact.erased_at is not None:
            raise InvalidInput("contact_already_erased")
        old, new = contact.name, lead.given_name
        for other in await uow.leads.of_contact(contact.id):
            if other.given_name is None:
                other.given_name = old
            elif other.given_name.casefold() == new.casefold():
                other.given_name = None
        contact.name = new
        uow.audit.record(entity="contact", entity_id=contact.id, actor_id=actor_id, action="edit_name",
                         comment=f"{old} → {new}")
        await uow.commit()
        return new


async def view(uow: UnitOfWork, viewer_id: int, lead_id: int) -> LeadView:
    async with uow:
        viewer = await _worker(uow, viewer_id, Action.READ)
        lead = await uow.leads.get_or_raise(lead_id)
        await _may(uow, viewer, lead, Action.READ)
        attempts = await uow.leads.attempts(lead.id)
        notes = await uow.leads.notes(lead.id, 5)
        open_tasks = await uow.tasks.open_of_lead(lead.id)
        responsible = await uow.users.get(lead.responsible_id) if lead.responsible_id else None
        deal = None
        if lead.status in rules.CONTRACTS:
            deal = await uow.deals.of_lead(lead.id, viewer_for(await access.actor(uow, viewer.id, viewer)))
        client_id = lead.client_user_id or lead.contact.user_id
        people = await uow.users.get_many({n.author_id for n in notes if n.author_id} | {client_id} - {None})
        client = people.get(client_id)
        return LeadView(lead, attempts, responsible, notes, open_tasks, deal, await deployment.lead_pipeline(uow),
                        authors=people, client_in_bot=client is not None and not client.blocked
                        and client.erased_at is None and lead.status != LeadStatus.DUPLICATE)


async def page(uow: UnitOfWork, viewer_id: int, page_no: int, *, mine: bool = True, query: str | None = None,
               cfg: CoreConfig | None = None, status: LeadStatus | None = None, source_id: int | None = None,
               since: datetime | None = None, size: int = 8):
    """Leads, newest first: mine, or every one this person reads (all for an admin, their teams' and those below
    for a team's head: the access rules as SQL), by status, source and creation date, or found by phone or
    name."""
    async with uow:
        viewer = await _worker(uow, viewer_id, Action.READ)
        actor = await access.actor(uow, viewer_id, viewer)
        reach = permissions.scope(actor, Area.LEADS, Action.READ)
        phone = None
        if query:
            try:
                phone = normalize_phone(query, cfg.phone_region if cfg else "RU")
            except InvalidInput:
                phone = None
        return await uow.leads.page(page_no, size, status=status, source_id=source_id, since=since,
                                    responsible_id=viewer.id if mine else None,
                                    name=query.strip() if query else None, phone=phone,
                                    scope=readable(actor, reach))


async def sees(uow: UnitOfWork, viewer_id: int, lead_id: int) -> bool:
    """Whether this person reads this lead (after a handover: is it still theirs to see?)."""
    try:
        await view(uow, viewer_id, lead_id)
    except (Forbidden, NotFound):
        return False
    return True


async def reads_beyond_own(uow: UnitOfWork, viewer_id: int) -> bool:
    """Whether this person reads leads other than theirs (an admin, a team's head): their list offers «Все»."""
    async with uow:
        user = await uow.users.get(viewer_id)
        if user is None:
            return False
        reach = permissions.scope(await access.actor(uow, viewer_id, user), Area.LEADS, Action.READ)
        return reach not in (Scope.NONE, Scope.OWN)


@dataclass(frozen=True)
class ContactView:
    contact: m.Contact
    leads: list[m.Lead]
    deals: list[m.Deal]


async def contact_view(uow: UnitOfWork, viewer_id: int, contact_id: int) -> ContactView:
    """The company's card of one person: phones, messengers, city, comment, and their leads and deals, those this
    person reads and no other. A card whose leads and deals are all beyond them is not there for them (NotFound,
    as for a card that is not: a forged button learns nothing)."""
    async with uow:
        contact = await uow.contacts.get_or_raise(contact_id)
        leads, deals = await _card_rows(uow, viewer_id, contact)
        return ContactView(contact, leads, deals)


async def _card_rows(uow: UnitOfWork, viewer_id: int, contact: m.Contact) -> tuple[list, list]:
    """The card's leads and deals this person reads; NotFound when the card has some and none is theirs."""
    user = await staff(uow, viewer_id)
    actor = await access.actor(uow, viewer_id, user)
    reach = permissions.scope(actor, Area.LEADS, Action.READ)
    leads = await uow.leads.of_contact(contact.id, readable(actor, reach))
    deals = await uow.deals.of_contact(contact.id, viewer_for(actor))
    if not leads and not deals and reach != Scope.ALL and (
            await uow.leads.of_contact(contact.id) or await uow.deals.of_contact(contact.id)):
        raise NotFound()
    return leads, deals


async def card_guard(uow: UnitOfWork, viewer_id: int, contact: m.Contact) -> None:
    """The contact card's edits (core.services.kernel.contacts, ``guard``) are for those who may open the card: a
    forged edit of another team's card is «not found», as its page is."""
    await _card_rows(uow, viewer_id, contact)
