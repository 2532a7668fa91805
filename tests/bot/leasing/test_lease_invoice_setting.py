"""How many days before its due date an instalment's faktura is issued is a setting (LEASE_INVOICE_DAYS, 14 unless
set, 0 to 60), checked at start like the others and handed to core."""

from __future__ import annotations

import pytest

from bot.config import SettingsError, load


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("BOT_TOKEN", "1:x")
    monkeypatch.delenv("LEASE_INVOICE_DAYS", raising=False)
    return monkeypatch


def test_fourteen_days_by_default(env):
    assert load().lease_invoice_days == 14 and load().core().lease_invoice_days == 14


@pytest.mark.parametrize("value", ["0", "7", "60"])
def test_the_setting_reaches_core(env, value):
    env.setenv("LEASE_INVOICE_DAYS", value)
    assert load().core().lease_invoice_days == int(value)


@pytest.mark.parametrize("value", ["-1", "61"])
def test_days_out_of_bounds_are_refused_at_start(env, value):
    env.setenv("LEASE_INVOICE_DAYS", value)
    with pytest.raises(SettingsError) as caught:
        load()
    assert caught.value.lines == [f"LEASE_INVOICE_DAYS={value}: whole days from 0 (on the due date) to 60 (the VAT "
                                  "act's limit for a faktura before the service)"]
