"""The access rules (core.domain.kernel.permissions): the widest scope over a person's roles, how each scope reaches
a record by its owner, teams and partner company, and docs/access.md's table generated from them."""

from __future__ import annotations

import pytest

from core.domain.kernel.access import Actor, Scope
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.permissions import (
    AREA_OF,
    RULES,
    Action,
    Area,
    Permission,
    Record,
    allows,
    ensure,
    may,
    scope,
)
from core.domain.kernel.roles import Role
from scripts import access_matrix

NORTH, NORTH_EAST, SOUTH = 1, 2, 3
executor = Actor(10, frozenset({Role.MANAGER}), frozenset({NORTH}), frozenset(), frozenset({NORTH, NORTH_EAST}))
head = Actor(11, frozenset({Role.MANAGER}), frozenset({NORTH}), frozenset({NORTH}), frozenset({NORTH, NORTH_EAST}))
partner = Actor(12, frozenset({Role.MANAGER}), company_id=7)  # a partner company's manager: in no team


def test_every_area_has_reading_editing_and_moving_and_every_permission_one_area():
    for table in RULES.values():
        assert {Action.READ, Action.EDIT, Action.MOVE} <= set(table)
    assert set(AREA_OF) == set(Permission)


def test_a_person_with_several_roles_gets_the_widest_scope():
    sales = Actor(20, frozenset({Role.SALES}))
    both = Actor(20, frozenset({Role.SALES, Role.MANAGER}))
    assert scope(sales, Area.DEALS, Action.READ) == Scope.NONE
    assert scope(both, Area.DEALS, Action.READ) == Scope.TEAM
    assert scope(both, Area.LEASING, Action.READ) == Scope.OWN  # a salesperson works their own cases
    assert scope(None, Area.DEALS, Action.READ) == Scope.NONE


def test_heading_a_team_is_a_holder_of_its_own():
    assert scope(executor, Area.DEALS, Action.READ) == Scope.TEAM
    assert scope(head, Area.DEALS, Action.READ) == Scope.TEAM_BELOW
    assert not may(executor, Permission.REGISTER_PAYMENT) and may(head, Permission.REGISTER_PAYMENT)


@pytest.mark.parametrize(("who", "record", "action", "expected"), [
    (executor, Record(owner_id=10), Action.READ, True),
    (executor, Record(owner_id=99, teams=frozenset({NORTH})), Action.READ, True),
    (executor, Record(owner_id=99, teams=frozenset({NORTH_EAST})), Action.READ, False),  # below: the head's
    (head, Record(owner_id=99, teams=frozenset({NORTH_EAST})), Action.READ, True),
    (executor, Record(owner_id=99, teams=frozenset({SOUTH})), Action.READ, False),
    (executor, Record(owner_id=99, members=frozenset({10})), Action.READ, True),  # «Сотрудники по сделке»
    (executor, Record(owner_id=99, company_id=7), Action.READ, False),
    (partner, Record(owner_id=99, company_id=7), Action.READ, True),  # the company is their team
    (partner, Record(owner_id=99, company_id=8), Action.READ, False),
    (executor, Record(owner_id=99, teams=frozenset({NORTH})), Permission.CLOSE_DEAL, False),
    (executor, Record(owner_id=10), Permission.CLOSE_DEAL, True),
    (head, Record(owner_id=99, teams=frozenset({NORTH})), Permission.CLOSE_DEAL, True),
])
def test_a_scope_reaches_a_record_by_its_owner_teams_and_company(who, record, action, expected):
    assert allows(who, Area.DEALS, action, record) is expected


def test_a_lead_nobody_holds_is_everyones_own():
    assert allows(executor, Area.LEADS, Action.READ, Record())
    assert not allows(executor, Area.LEADS, Action.READ, Record(owner_id=99, teams=frozenset({NORTH})))


def test_ensure_refuses_with_forbidden():
    ensure(head, Area.CAMPAIGNS, Permission.REGISTER_PAYMENT)
    with pytest.raises(Forbidden):
        ensure(executor, Area.CAMPAIGNS, Permission.REGISTER_PAYMENT)
    with pytest.raises(Forbidden):
        ensure(executor, Area.DEALS, Action.READ, Record(owner_id=99, teams=frozenset({SOUTH})))


def test_the_docs_table_is_the_rules():
    text = access_matrix.DOC.read_text(encoding="utf-8")
    assert access_matrix.rendered(text) == text, "run: python -m scripts.access_matrix"
    readme = access_matrix.README.read_text(encoding="utf-8")
    assert access_matrix.rendered_readme(readme) == readme, "run: python -m scripts.access_matrix"
    for area, table in RULES.items():
        assert f"### {area.value}" in text
        for action in table:
            assert f"| {action.value} |" in text
