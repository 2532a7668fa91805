"""A transition table as data — ``{(from, to): the actors who may make that move}`` — and the two questions every
process asks of its own table (seed 000's application, seed 002's lease): may these actors make this move, and
which moves may they make from here."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from core.domain.kernel.errors import Forbidden, IllegalTransition

Table = Mapping[tuple[StrEnum, StrEnum], frozenset]


def check(table: Table, current: StrEnum, target: StrEnum, actors: set, forbidden_key: str, names: str) -> None:
    """Raise unless ``target`` is reachable from ``current`` by one of ``actors``: a move outside the table is
    illegal; a move in it that none of these actors may make is forbidden (``forbidden_key`` names the reason;
    ``names``, the locale table that names the statuses)."""
    allowed = table.get((current, target))
    if allowed is None:
        raise IllegalTransition(current.value, target.value, names)
    if not allowed & actors:
        raise Forbidden(forbidden_key, names=names, target=target.value)


def targets(table: Table, current: StrEnum, actors: set) -> list:
    """The moves from ``current`` that these actors may make, in the table's order."""
    return [to for (frm, to), who in table.items() if frm == current and who & actors]
