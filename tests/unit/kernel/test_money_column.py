"""Money is stored exactly: whole kopecks, and an amount with more places is refused, not rounded in silence."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.db.kernel.types import Money


@pytest.mark.parametrize(("amount", "kopecks"), [(Decimal("0.01"), 1), (Decimal("1500000.50"), 150000050),
                                                 (Decimal("7"), 700), (Decimal("-12.30"), -1230)])
def test_two_places_are_stored_as_kopecks_and_read_back(amount, kopecks):
    column = Money()
    assert column.process_bind_param(amount, None) == kopecks
    assert column.process_result_value(kopecks, None) == amount.quantize(Decimal("0.01"))


@pytest.mark.parametrize("amount", [Decimal("0.005"), Decimal("0.015"), Decimal("100.001")])
def test_more_places_are_refused_not_rounded(amount):
    with pytest.raises(ValueError, match="more than two decimal places"):
        Money().process_bind_param(amount, None)
