"""A lease case's client link token: for one case, signed, and good until its time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.domain.kernel.errors import InvalidInput
from core.domain.leasing import links

KEY = b"k" * 32
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_a_token_names_its_case_until_it_expires():
    token = links.sign(KEY, 42, NOW + timedelta(hours=72))
    assert links.read(KEY, token, NOW) == 42
    assert links.read(KEY, token, NOW + timedelta(hours=71, minutes=59)) == 42
    with pytest.raises(InvalidInput) as e:
        links.read(KEY, token, NOW + timedelta(hours=72))
    assert e.value.key == "lease_link_expired"


@pytest.mark.parametrize("tamper", [
    lambda t: t.replace("42-", "43-", 1),  # another case
    lambda t: "42-" + "zzzzzz" + t[t.index("-", 3):],  # a longer life
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # a forged signature
    lambda t: "garbage", lambda t: "", lambda t: "x-y-z",
])
def test_a_tampered_token_is_refused(tamper):
    token = links.sign(KEY, 42, NOW + timedelta(hours=72))
    with pytest.raises(InvalidInput) as e:
        links.read(KEY, tamper(token), NOW)
    assert e.value.key == "lease_link_invalid"


def test_another_key_is_refused_and_no_key_signs_nothing():
    token = links.sign(KEY, 42, NOW + timedelta(hours=1))
    with pytest.raises(InvalidInput):
        links.read(b"other", token, NOW)
    with pytest.raises(ValueError):
        links.sign(b"", 42, NOW)
