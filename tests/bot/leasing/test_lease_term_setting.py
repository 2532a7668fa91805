"""The longest leasing term is a setting (LEASE_MAX_MONTHS, 240 months unless set), checked at start like the others."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import SettingsError, load
from core.domain.leasing import calc


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("BOT_TOKEN", "1:x")
    monkeypatch.delenv("LEASE_MAX_MONTHS", raising=False)
    return monkeypatch


def test_twenty_years_by_default(env):
    assert load().lease_max_months == 240 and load().core().lease_max_months == 240
    terms = calc.parse("5 000 000; 10%; 240; 6,5; 1%", date(2027, 1, 15))
    assert terms.months == 240 and len(calc.calculate(terms).lines) == 240
    with pytest.raises(calc.BadTerms) as refused:
        calc.parse("5 000 000; 10%; 241; 6,5; 1%", date(2027, 1, 15))
    assert (refused.value.key, refused.value.params) == ("lease_months", {"max": 240})


def test_the_setting_moves_the_bound(env):
    env.setenv("LEASE_MAX_MONTHS", "300")
    assert load().core().lease_max_months == 300
    assert calc.parse("5 000 000; 10%; 300; 6,5; 1%", date(2027, 1, 15), max_months=300).months == 300
    with pytest.raises(calc.BadTerms):
        calc.parse("5 000 000; 10%; 61; 6,5; 1%", date(2027, 1, 15), max_months=60)


@pytest.mark.parametrize("value", ["0", "601"])
def test_a_term_out_of_bounds_is_refused_at_start(env, value):
    env.setenv("LEASE_MAX_MONTHS", value)
    with pytest.raises(SettingsError) as caught:
        load()
    assert caught.value.lines == [f"LEASE_MAX_MONTHS={value}: a number of months from 1 to 600"]
