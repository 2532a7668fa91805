"""The permission matrix (issue 27), generated from the access rules: every role (and a team's head, and an outsider
the CRM does not know) × every action the services enforce × the record's relation to the person (their own, of
their team, of a team nested below it, of another team, of a partner company), through the services on a real
database. The expected allow or refuse is computed from ``RULES`` alone, by how wide a scope each relation needs:
a change of the rules changes the expectations.

What each action needs of the person besides its own rule is said where the action is listed: a write on a deal
needs the deal to be read first (area «deals», action «read»), closing needs moving; a КП's approval needs no
reading (its approvers are whom the admins' rules name, of any team: here everyone), a campaign's rows are changed
by whom «run_campaign» gives its author (the seed's «Руководитель»)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from core.db.deals.workspace import Filter
from core.db.kernel import models as m
from core.domain.campaigns.approval import Decision
from core.domain.campaigns.counterparties import CounterpartyField
from core.domain.deals import Pipeline
from core.domain.kernel.access import Actor, Scope
from core.domain.kernel.errors import Forbidden, NotFound
from core.domain.kernel.permissions import AREA_OF, Action, Area, Holder, Permission, Who, scope
from core.domain.kernel.roles import Role
from core.domain.leads import LawDealStatus
from core.domain.leads.lifecycle import LeadField, LeadStatus
from core.services.campaigns import campaign, cold_call, counterparties, order_to_cash, quotes, stages
from core.services.deals import listing
from core.services.deals import workspace as deals
from core.services.leads import lifecycle as leads
from core.services.leasing.books import statements

RELATIONS = ("own", "team", "below", "other_team", "other_company")
#: how wide a scope must be to reach a record of each relation
NEEDS = {"own": Scope.OWN, "team": Scope.TEAM, "below": Scope.TEAM_BELOW, "other_team": Scope.ALL,
         "other_company": Scope.ALL}
WIDTH = {Scope.NONE: 0, Scope.OWN: 1, Scope.TEAM: 2, Scope.TEAM_BELOW: 3, Scope.ALL: 4}
HOLDERS: tuple[Who | None, ...] = (*Role, Holder.HEAD, None)  # None: an outsider (no such person)
OUTSIDER_ID = 999_999


def rule_scope(who: Who | None, area: Area, action: Action | Permission) -> Scope:
    """The scope the rules give this holder; a team's head is a manager too (the teams' heads in this world are)."""
    if who is None:
        return Scope.NONE
    roles = frozenset({Role.MANAGER} if who == Holder.HEAD else {who})
    return scope(Actor(0, roles, heads=frozenset({1}) if who == Holder.HEAD else frozenset()), area, action)


def allowed(who, relation: str, *needs: tuple[Area, Action | Permission]) -> bool:
    return all(WIDTH[rule_scope(who, area, action)] >= WIDTH[NEEDS[relation]] for area, action in needs)


@dataclass
class World:
    actors: dict  # holder → user id
    owners: dict  # (holder, relation) → the user who owns the record
    ids: dict  # (holder, relation) → the record's id
    orders: dict  # (holder, relation) → an order of the cold-call deal


async def build(uow, factory, clock, kind: str) -> World:
    """Teams «Север» (its head: the HEAD holder), «Север-Восток» nested under it, «Юг»; a partner company; one
    person per role, each in «Север»; and, for each of them, a record of each relation (``kind``: a law-firm deal,
    a cold-call deal at stage «needs» with an order, or a lead)."""
    now = clock.now()
    async with factory() as s:
        partner = m.Company(name="Партнёр-Лизинг")
        north, south = m.AccessGroup(name="Север"), m.AccessGroup(name="Юг")
        s.add_all([partner, north, south])
        await s.flush()
        north_east = m.AccessGroup(name="Север-Восток", parent_id=north.id)
        s.add(north_east)
        await s.flush()
        tg = iter(range(5000, 6000))

        def user(name, role, company=None):
            u = m.User(tg_id=next(tg), name=name, role=role, company_id=company, created_at=now)
            s.add(u)
            return u

        actors = {who: user(f"{who}", Role.MANAGER if who == Holder.HEAD else who)
                  for who in HOLDERS if who is not None}
        colleague, below, other, partner_man = (user("Коллега", Role.MANAGER), user("Ниже", Role.MANAGER),
                                                user("Юг", Role.MANAGER), user("Партнёр", Role.MANAGER, partner.id))
        await s.flush()
        north.head_id = actors[Holder.HEAD].id
        s.add_all([m.AccessGroupMember(group_id=north.id, user_id=u.id) for who, u in actors.items()
                   if who != Holder.HEAD] + [m.AccessGroupMember(group_id=north.id, user_id=colleague.id),
                                             m.AccessGroupMember(group_id=north_east.id, user_id=below.id),
                                             m.AccessGroupMember(group_id=south.id, user_id=other.id)])
        source = m.Source(name="Сайт")
        s.add(source)
        await s.flush()
        owners, ids = {}, {}
        holder_ids = {who: u.id for who, u in actors.items()}
        pipeline = Pipeline.LAW if kind == "law" else Pipeline.COLD_CALL
        first = (await s.scalars(m.DealStatus.__table__.select().where(
            m.DealStatus.pipeline == pipeline).order_by(m.DealStatus.position))).first() if kind != "lead" else None
        if kind == "quote":  # every person the rules name approves any КП (the approval rules name them all)
            s.add_all(m.ApprovalRule(subject="quote", min_amount=Decimal("0"), approver_id=u.id)
                      for u in actors.values())
        for who in HOLDERS:
            for relation in RELATIONS:
                owner = {"own": holder_ids.get(who), "team": colleague.id, "below": below.id, "other_team": other.id,
                         "other_company": partner_man.id}[relation]
                owners[who, relation] = owner
                contact = m.Contact(name=f"{who}-{relation}", created_at=now)
                s.add(contact)
                await s.flush()
                if kind == "campaign":
                    row = m.Campaign(title=f"{who}-{relation}", status="draft", created_at=now,
                                     author_id=owner or holder_ids[Role.ADMIN])  # an outsider's: never pressed
                elif kind == "lead":
                    row = m.Lead(contact_id=contact.id, source_id=source.id, responsible_id=owner,
                                 status=LeadStatus.NEW, created_at=now, updated_at=now)
                else:
                    client = m.Client(name=f"ООО {who}-{relation}", created_at=now)
                    s.add(client)
                    await s.flush()
                    row = m.Deal(pipeline=pipeline, name=f"{who}-{relation}", status_id=first, client_id=client.id,
                                 contact_id=contact.id, source_id=source.id, responsible_id=owner, created_at=now)
                s.add(row)
                await s.flush()
                ids[who, relation] = row.id
        await s.commit()
    orders = {}
    if kind == "cold":
        for key, deal_id in ids.items():
            async with uow() as u:
                deal = await u.deals.get(deal_id)
                await stages.enter(u, deal, "needs", None)
                order = u.add(m.Order(deal_id=deal.id, number=f"{deal.id}-1", ordered_on=date(2026, 11, 23),
                                      amount=Decimal("1000.00"), created_at=now))
                await u.commit()
                orders[key] = order.id
    if kind == "quote":  # a КП with the approvers (stage 7) on each deal; ``orders`` holds the quotes here
        for key, deal_id in ids.items():
            async with uow() as u:
                deal = await u.deals.get(deal_id)
                await stages.enter(u, deal, "approval", None)
                quote = u.add(m.Quote(deal_id=deal.id, version=1, status="approval", created_at=now))
                await u.commit()
                orders[key] = quote.id
    return World({who: u.id for who, u in actors.items()}, owners, ids, orders)


async def outcome(call: Callable[[], Awaitable]) -> bool:
    try:
        await call()
    except (Forbidden, NotFound):
        return False
    return True


Case = tuple[str, Callable, tuple]  # the record's kind, the service call, what the rules must allow
READ = (Area.DEALS, Action.READ)


def _cases(cfg) -> dict[str, Case]:
    return {
        "deals.read (the page)": ("law", lambda u, w, a, k: listing.view(u(), a, w.ids[k]), (READ,)),
        "deals.edit (rename)": ("law", lambda u, w, a, k: deals.rename(u(), a, w.ids[k], "Новое имя"),
                                (READ, (Area.DEALS, Action.EDIT))),
        "deals.move": ("law", lambda u, w, a, k: _move(u, a, w.ids[k], LawDealStatus.SENT_TO_COURT),
                       (READ, (Area.DEALS, Action.MOVE))),
        "deals.close_deal": ("law", lambda u, w, a, k: _move(u, a, w.ids[k], LawDealStatus.DECISION),
                             (READ, (Area.DEALS, Action.MOVE), (Area.DEALS, Permission.CLOSE_DEAL))),
        "campaigns.read (the stage panel)": ("cold", lambda u, w, a, k: cold_call.panel(u(), a, w.ids[k]),
                                             (READ, (Area.CAMPAIGNS, Action.READ))),
        "campaigns.read (the deal's file)": ("cold", lambda u, w, a, k: cold_call.export(u(), a, w.ids[k]),
                                             (READ, (Area.CAMPAIGNS, Action.READ))),
        "campaigns.edit (a requisite)": ("cold", lambda u, w, a, k: counterparties.edit(
            u(), a, w.ids[k], CounterpartyField.ADDRESS, "Тула, ул. Ленина, 1", cfg), (READ, (Area.CAMPAIGNS,
                                                                                         Action.EDIT))),
        "campaigns.register_payment": ("cold", lambda u, w, a, k: order_to_cash.pay(
            u(), a, w.orders[k], Decimal("1.00")), (READ, (Area.CAMPAIGNS, Permission.REGISTER_PAYMENT))),
        "campaigns.ship_unpaid": ("cold", lambda u, w, a, k: order_to_cash.set_ship_unpaid(u(), a, w.ids[k], True),
                                  (READ, (Area.CAMPAIGNS, Permission.SHIP_UNPAID))),
        "campaigns.move (to the КП)": ("cold", lambda u, w, a, k: stages.move(u(), a, w.ids[k], "quote"),
                                       (READ, (Area.CAMPAIGNS, Action.MOVE))),
        "campaigns.approve_quote (a return)": ("quote", lambda u, w, a, k: quotes.decide(
            u(), a, w.orders[k], Decision.RETURN, "Дорого"), ((Area.CAMPAIGNS, Permission.APPROVE_QUOTE),)),
        "campaigns.run_campaign (a campaign's rows)": ("campaign", lambda u, w, a, k: campaign.editable(
            u(), a, w.ids[k]), ((Area.CAMPAIGNS, Permission.RUN_CAMPAIGN),)),
        "leads.move": ("lead", lambda u, w, a, k: leads.set_status(u(), a, w.ids[k], LeadStatus.CALLING, cfg),
                       ((Area.LEADS, Action.MOVE),)),
        "leads.read": ("lead", lambda u, w, a, k: leads.view(u(), a, w.ids[k]), ((Area.LEADS, Action.READ),)),
        "leads.edit": ("lead", lambda u, w, a, k: leads.edit(u(), a, w.ids[k], LeadField.CITY, "Тула", cfg),
                       ((Area.LEADS, Action.EDIT),)),
    }


async def _move(u, actor_id, deal_id, code):
    async with u() as unit:
        target = await unit.statuses.first(Pipeline.LAW, code)
    return await deals.move(u(), actor_id, deal_id, target.id)


CASE_NAMES = list(_cases(None))


@pytest.mark.parametrize("name", CASE_NAMES)
async def test_every_role_and_relation_is_allowed_or_refused_as_the_rules_say(name, uow, factory, clock, cfg):
    kind, call, needs = _cases(cfg)[name]
    w = await build(uow, factory, clock, kind)
    wrong = []
    for who in HOLDERS:
        actor_id = w.actors.get(who, OUTSIDER_ID)
        for relation in RELATIONS:
            if who is None and relation == "own":
                continue  # an outsider owns nothing
            expected = allowed(who, relation, *needs)
            got = await outcome(lambda: call(uow, w, actor_id, (who, relation)))  # noqa: B023
            if got != expected:
                wrong.append((str(who), relation, "allowed" if got else "refused"))
    assert wrong == []


async def test_the_list_of_all_deals_holds_exactly_the_deals_each_reads(uow, factory, clock):
    """«Сделки → Все»: the SQL scope built from the rules, as the page's check says (one query per person)."""
    w = await build(uow, factory, clock, "law")
    for who in HOLDERS:
        actor_id = w.actors.get(who, OUTSIDER_ID)
        try:
            rows, _ = await listing.page(uow(), actor_id, Filter(mine=False), size=1000)
        except Forbidden:
            rows = []
        expected = {w.ids[k] for k in w.ids if allowed(who, relation_to(w, actor_id, k), READ)}
        assert {r.id for r in rows} == expected, who


def relation_to(w: World, actor_id: int, key) -> str:
    """A record's relation to this person (every holder works in «Север», as the colleague does)."""
    owner = w.owners[key]
    if owner == actor_id:
        return "own"
    if owner in w.actors.values() or owner == w.owners[key[0], "team"]:
        return "team"
    return {"below": "below", "other_company": "other_company"}.get(key[1], "other_team")


async def test_the_books_are_kept_by_whom_the_rules_name(uow, factory, clock):
    w = await build(uow, factory, clock, "lead")
    for who in HOLDERS:
        expected = rule_scope(who, Area.LEASING, Permission.LEASE_BOOKS) != Scope.NONE
        assert await outcome(lambda: statements.unmatched(uow(), w.actors.get(who, OUTSIDER_ID))) is expected, who  # noqa: B023


def test_every_named_permission_of_the_deals_and_the_campaigns_is_in_the_matrix():
    tested = {needs[-1][1] for _, _, needs in _cases(None).values()}
    for permission, area in AREA_OF.items():
        if area in (Area.DEALS, Area.CAMPAIGNS):
            assert permission in tested, permission


def test_every_action_of_the_deals_the_campaigns_and_the_leads_is_in_the_matrix():
    tested = {(area, action) for _, _, needs in _cases(None).values() for area, action in needs}
    for area in (Area.DEALS, Area.CAMPAIGNS, Area.LEADS):
        for action in Action:
            assert (area, action) in tested, (area, action)
