"""Which managers an approved application is dispatched to (seed 000, step 3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Request:
    category_id: int
    amount: Decimal
    term_months: int
    region_id: int


@dataclass(frozen=True)
class Profile:
    """A manager's dispatch profile. An empty set or a missing bound means «any»."""

    categories: frozenset[int] = field(default_factory=frozenset)
    regions: frozenset[int] = field(default_factory=frozenset)
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    term_min: int | None = None
    term_max: int | None = None


def _within(value, low, high) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def matches(profile: Profile, request: Request) -> bool:
    return (
        (not profile.categories or request.category_id in profile.categories)
        and (not profile.regions or request.region_id in profile.regions)
        and _within(request.amount, profile.amount_min, profile.amount_max)
        and _within(request.term_months, profile.term_min, profile.term_max)
    )


def select_managers(profiles: Iterable[tuple[int, Profile]], request: Request) -> list[int]:
    """The ids of the managers whose profile matches, in the given order."""
    return [manager_id for manager_id, profile in profiles if matches(profile, request)]
