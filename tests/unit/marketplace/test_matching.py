from decimal import Decimal

import pytest

from core.domain.marketplace.matching import Profile, Request, matches, select_managers

REQ = Request(category_id=1, amount=Decimal("3000000"), term_months=36, region_id=10)


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        (Profile(), True),  # an empty profile takes everything
        (Profile(categories=frozenset({1, 2})), True),
        (Profile(categories=frozenset({2})), False),
        (Profile(regions=frozenset({10})), True),
        (Profile(regions=frozenset({11})), False),
        (Profile(amount_min=Decimal("3000000"), amount_max=Decimal("3000000")), True),  # bounds are inclusive
        (Profile(amount_min=Decimal("3000000.01")), False),
        (Profile(amount_max=Decimal("2999999.99")), False),
        (Profile(term_min=12, term_max=36), True),
        (Profile(term_min=37), False),
        (Profile(term_max=35), False),
        (Profile(categories=frozenset({1}), regions=frozenset({10}), amount_min=Decimal("1"), term_max=60), True),
        (Profile(categories=frozenset({1}), regions=frozenset({99})), False),
    ],
)
def test_matches(profile, expected):
    assert matches(profile, REQ) is expected


def test_select_managers_keeps_order_and_filters():
    profiles = [(5, Profile()), (6, Profile(regions=frozenset({11}))), (7, Profile(categories=frozenset({1})))]
    assert select_managers(profiles, REQ) == [5, 7]
