"""A month in a notice is named as its reader names it (pl 7): «Prowizja za grudzień 2026», not «za 2026-12»."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.i18n import Translator
from bot.notifications import _month


@pytest.mark.parametrize(("locale", "text"), [
    ("pl", "💼 Prowizja za grudzień 2026: umów 2, kwota 1 500,00 zł."),
    ("ru", "декабрь 2026"),
    ("en", "December 2026"),
])
def test_the_commission_names_its_month(locale, text):
    t = Translator(locale, "Europe/Warsaw")
    said = t("notify.lease_commission", period=_month(t, "2026-12"), contracts=2,
             amount=t.money(Decimal("1500"), "PLN")).replace("\xa0", " ")
    assert text in said and "2026-12" not in said
