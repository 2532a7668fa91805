"""What a person may do (issue 27): the access rules, written once as data, and the pure functions that read them.

Per area and per action a table says, for each role, how far the action reaches (a ``Scope``); a person holding
several roles gets the widest of them. The head of a team, whatever their role, is the holder ``HEAD`` too. The
services ask ``scope`` (and turn it into SQL for lists) or ``allows`` with a record's facts; the bot asks the
same to decide which buttons to show. docs/access.md's table is generated from ``RULES`` (scripts/access_matrix.py).

A record's facts (``Record``):
- ``owner_id``: the person responsible for it (a deal's or a lead's responsible, a lease case's holder); its
  ``members`` count as owners too («Сотрудники по сделке», a rerouted deal's former executor);
- ``teams``: the access groups it belongs to: those of its responsible (member or head) and, for a cold-call deal,
  its counterparty's «Группа доступа» (seed 001);
- ``company_id``: the marketplace's partner company of its responsible. A partner company's manager works in no
  access group: for them the company is the team (``TEAM`` and ``TEAM_BELOW`` reach their colleagues' records).
  Someone in a team reaches by teams only, whatever company they were once invited into.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from core.domain.kernel.access import Actor, Scope
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.roles import Role


class Area(StrEnum):
    MARKETPLACE = "marketplace"  # seed 000: applications, offers, deal rooms
    LEADS = "leads"  # seed 004: the lead funnel
    DEALS = "deals"  # seed 003: the deal workspace (its list, board, page, feed, payments)
    CAMPAIGNS = "campaigns"  # seed 001: a cold-call deal's stage panel, КП, orders
    LEASING = "leasing"  # seed 002: lease cases and the books


class Action(StrEnum):
    """What one does to a record of an area; reading covers lists, pages, feeds, files, exports and search."""

    READ = "read"
    EDIT = "edit"
    MOVE = "move"  # to another status or stage


class Permission(StrEnum):
    """The actions that matter, named: each granted by role, in its area's table."""

    CLOSE_DEAL = "close_deal"  # a deal to a final status («✖️ Закрыть сделку»)
    REGISTER_PAYMENT = "register_payment"  # seed 001, stage 14: a payment for an order
    SHIP_UNPAID = "ship_unpaid"  # a counterparty's «отгрузка без оплаты»
    APPROVE_QUOTE = "approve_quote"  # seed 001, stage 7: a КП's approval (by its approval rules' approvers)
    RUN_CAMPAIGN = "run_campaign"  # seed 001: a «Холодный обзвон» document, by the seed's «Руководитель»
    BACK_OFFICE_CHECK = "back_office_check"  # seed 002: the signed set's check and the launch
    LEASE_BOOKS = "lease_books"  # seed 002: the running contracts' books, statements and dunning


class Holder(StrEnum):
    """Who a rule is given to besides the roles: the head of a team (whatever their role)."""

    HEAD = "head"


Who = Role | Holder
Rule = Mapping[Who, Scope]
A, H = Role, Holder.HEAD
ALL, BELOW, TEAM, OWN = Scope.ALL, Scope.TEAM_BELOW, Scope.TEAM, Scope.OWN

#: the rules: area → action → who → how far. A role not named has ``Scope.NONE``.
RULES: dict[Area, dict[Action | Permission, Rule]] = {
    Area.MARKETPLACE: {
        # an application's client, its agent or supplier own it; a partner company's managers see what reached them
        # and their company's offers (the company is their team); its moves are then the seed's table's: the
        # applicant answers a question, the client chooses, an admin moderates, the chosen managers move the deal
        Action.READ: {A.ADMIN: ALL, A.MANAGER: TEAM, A.AGENT: OWN, A.SUPPLIER: OWN, A.CLIENT: OWN},
        Action.EDIT: {A.ADMIN: ALL, A.MANAGER: TEAM, A.AGENT: OWN, A.SUPPLIER: OWN, A.CLIENT: OWN},
        Action.MOVE: {A.ADMIN: ALL, A.MANAGER: TEAM, A.AGENT: OWN, A.SUPPLIER: OWN, A.CLIENT: OWN},
    },
    Area.LEADS: {
        # a lead nobody holds yet is within everyone's «own» (core.domain.leads.lifecycle.may_work); a team's head
        # works the leads of their team and of the teams nested under it
        Action.READ: {A.ADMIN: ALL, A.MANAGER: OWN, H: BELOW},
        Action.EDIT: {A.ADMIN: ALL, A.MANAGER: OWN, H: BELOW},
        Action.MOVE: {A.ADMIN: ALL, A.MANAGER: OWN, H: BELOW},
    },
    Area.DEALS: {
        Action.READ: {A.ADMIN: ALL, A.MANAGER: TEAM, H: BELOW},
        Action.EDIT: {A.ADMIN: ALL, A.MANAGER: TEAM, H: BELOW},
        Action.MOVE: {A.ADMIN: ALL, A.MANAGER: TEAM, H: BELOW},
        Permission.CLOSE_DEAL: {A.ADMIN: ALL, A.MANAGER: OWN, H: BELOW},
    },
    Area.CAMPAIGNS: {
        Action.READ: {A.ADMIN: ALL, A.MANAGER: TEAM, H: BELOW},
        Action.EDIT: {A.ADMIN: ALL, A.MANAGER: TEAM, H: BELOW},
        Action.MOVE: {A.ADMIN: ALL, A.MANAGER: TEAM, H: BELOW},
        Permission.REGISTER_PAYMENT: {A.ADMIN: ALL, H: BELOW},
        Permission.SHIP_UNPAID: {A.ADMIN: ALL},
        Permission.APPROVE_QUOTE: {A.ADMIN: ALL, A.MANAGER: ALL, H: ALL},
        # a team's head makes campaigns and changes those of the heads of the teams nested under theirs
        Permission.RUN_CAMPAIGN: {A.ADMIN: ALL, H: BELOW},
    },
    Area.LEASING: {
        # a case's salesperson and its client own it; the analysts, the back office and the collections team reach
        # every case, each from its stage on (core.domain.leasing.case: RISK_SEES, BACK_OFFICE_SEES, ...); a team's
        # head works the cases of their team's salespeople and of the teams nested under it, as the salesperson
        Action.READ: {A.ADMIN: ALL, A.SALES: OWN, A.RISK: ALL, A.BACK_OFFICE: ALL, A.COLLECTIONS: ALL, A.CLIENT: OWN,
                      H: BELOW},
        Action.EDIT: {A.ADMIN: ALL, A.SALES: OWN, A.RISK: ALL, A.BACK_OFFICE: ALL, A.CLIENT: OWN, H: BELOW},
        Action.MOVE: {A.ADMIN: ALL, A.SALES: OWN, A.RISK: ALL, A.BACK_OFFICE: ALL, A.COLLECTIONS: ALL, A.CLIENT: OWN,
                      H: BELOW},
        Permission.BACK_OFFICE_CHECK: {A.ADMIN: ALL, A.BACK_OFFICE: ALL},
        Permission.LEASE_BOOKS: {A.ADMIN: ALL, A.BACK_OFFICE: ALL, A.COLLECTIONS: ALL},
    },
}

#: the area each named permission is written in
AREA_OF: dict[Permission, Area] = {p: area for area, table in RULES.items() for p in table if isinstance(p, Permission)}

#: areas where a record nobody holds yet counts as one's own
UNOWNED_IS_OWN = frozenset({Area.LEADS})

_WIDTH = {Scope.NONE: 0, Scope.OWN: 1, Scope.TEAM: 2, Scope.TEAM_BELOW: 3, Scope.ALL: 4}


def widest(scopes: Iterable[Scope]) -> Scope:
    return max(scopes, key=_WIDTH.__getitem__, default=Scope.NONE)


def holders(actor: Actor) -> frozenset[Who]:
    """Whom the rules see in the person: every role they hold, and ``HEAD`` when they head a team."""
    return frozenset(actor.roles) | ({Holder.HEAD} if actor.heads else frozenset())


def scope(actor: Actor | None, area: Area, action: Action | Permission) -> Scope:
    """How far this person's action reaches in the area: the widest over their roles (none for nobody)."""
    if actor is None:
        return Scope.NONE
    rule = RULES[area].get(action, {})
    return widest(rule.get(who, Scope.NONE) for who in holders(actor))


def may(actor: Actor | None, permission: Permission) -> bool:
    """Whether the person holds a named permission anywhere (the menus and the buttons that need no record)."""
    return scope(actor, AREA_OF[permission], permission) != Scope.NONE


@dataclass(frozen=True)
class Record:
    """What the rules need to know of a record (see the module's docstring)."""

    owner_id: int | None = None
    teams: frozenset[int] = field(default_factory=frozenset)
    company_id: int | None = None
    members: frozenset[int] = field(default_factory=frozenset)


def teams_reached(actor: Actor, reach: Scope) -> frozenset[int]:
    """The teams whose records a scope reaches (for a list's SQL): the person's own for «team», those and the ones
    nested under them for «team and below», none otherwise."""
    if reach == Scope.TEAM:
        return actor.teams
    return actor.below if reach == Scope.TEAM_BELOW else frozenset()


def reaches(actor: Actor, reach: Scope, record: Record, *, unowned_is_own: bool = False) -> bool:
    """Whether a scope held by this person reaches this record."""
    if reach == Scope.ALL:
        return True
    if reach == Scope.NONE:
        return False
    if actor.id == record.owner_id or actor.id in record.members or (unowned_is_own and record.owner_id is None):
        return True
    if reach == Scope.OWN:
        return False
    if not actor.teams:  # a partner company's manager: the company is the team
        return actor.company_id is not None and record.company_id == actor.company_id
    return not record.teams.isdisjoint(actor.teams if reach == Scope.TEAM else actor.below)


def allows(actor: Actor | None, area: Area, action: Action | Permission, record: Record) -> bool:
    """Whether this person may do this to this record: the widest scope of their roles reaches it (the scopes nest,
    so a person with several roles may do what any of them may)."""
    return actor is not None and reaches(actor, scope(actor, area, action), record,
                                         unowned_is_own=area in UNOWNED_IS_OWN)


def head_scope(actor: Actor | None, area: Area, action: Action | Permission) -> Scope:
    """How far the rule given to a team's head (``HEAD``, not their roles) reaches for this person: none unless
    they head a team."""
    if actor is None or not actor.heads:
        return Scope.NONE
    return RULES[area].get(action, {}).get(Holder.HEAD, Scope.NONE)


def allows_as_head(actor: Actor | None, area: Area, action: Action | Permission, record: Record) -> bool:
    """Whether the head's rule alone lets this person do this to this record (a salesperson's case in their team)."""
    return actor is not None and reaches(actor, head_scope(actor, area, action), record,
                                         unowned_is_own=area in UNOWNED_IS_OWN)


def ensure(actor: Actor | None, area: Area, action: Action | Permission, record: Record | None = None) -> None:
    """``allows`` or Forbidden; without a record, that the person holds the action somewhere."""
    ok = scope(actor, area, action) != Scope.NONE if record is None else allows(actor, area, action, record)
    if not ok:
        raise Forbidden()
