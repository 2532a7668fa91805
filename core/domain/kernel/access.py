"""Who a person is to the access rules (issue 27): the roles they hold and the teams they work in.

Pure: ``core.services.kernel.access.actor`` loads an ``Actor``; the rules per area and action read it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from core.domain.kernel.roles import Role


class Scope(StrEnum):
    """How far a rule reaches, from a record's point of view (in the spirit of Odoo's record rules)."""

    NONE = "none"
    OWN = "own"  # records the person is responsible for (or created)
    TEAM = "team"  # records of the teams the person works in
    TEAM_BELOW = "team_below"  # those and the records of every team nested under them
    ALL = "all"


@dataclass(frozen=True)
class Actor:
    """A person as the access rules see them."""

    id: int
    roles: frozenset[Role]
    teams: frozenset[int] = field(default_factory=frozenset)  # member or head
    heads: frozenset[int] = field(default_factory=frozenset)  # the teams this person heads
    below: frozenset[int] = field(default_factory=frozenset)  # ``teams`` and every team nested under them
    company_id: int | None = None  # a partner company of the marketplace (its managers), never the operator

    def has(self, *roles: Role) -> bool:
        return not self.roles.isdisjoint(roles)


def teams_below(roots: Iterable[int], parents: Mapping[int, int | None]) -> frozenset[int]:
    """``roots`` and every team nested under one of them (``parents``: team → its parent team); a cycle typed by
    mistake ends where it closes."""
    children: dict[int, list[int]] = {}
    for team, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(team)
    seen: set[int] = set()
    todo = list(roots)
    while todo:
        team = todo.pop()
        if team not in seen:
            seen.add(team)
            todo.extend(children.get(team, ()))
    return frozenset(seen)


def head_of(person_id: int, supervisor_id: int | None, teams: Iterable[tuple[int, int | None, int | None, bool]]
            ) -> int | None:
    """"The head" of a person (issue 27): the supervisor an admin set for them; else the head of a team they are a
    member of; else (they head their team themselves, or it has none) the head of the team it is nested under, and
    so on up. ``teams``: every live team as (id, head id, parent id, whether the person is a member); of several,
    the lowest team id first. None: nobody (then the admins)."""
    if supervisor_id is not None and supervisor_id != person_id:
        return supervisor_id
    rows = {team: (head, parent, member) for team, head, parent, member in teams}
    mine = sorted(t for t, (head, _, member) in rows.items() if member or head == person_id)
    for team in mine:
        head = rows[team][0]
        if head is not None and head != person_id:
            return head
    for team in mine:
        seen = {team}
        team = rows[team][1]
        while team is not None and team in rows and team not in seen:
            seen.add(team)
            head, parent, _ = rows[team]
            if head is not None and head != person_id:
                return head
            team = parent
    return None
