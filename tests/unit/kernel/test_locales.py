"""Every text exists in every language: the locales have the same keys, and every key the bot names literally is
in them."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import LOCALES_DIR, catalogue

ROOT = Path(__file__).resolve().parents[3]
LOCALES = sorted(p.stem for p in LOCALES_DIR.glob("*.toml"))


def test_every_locale_has_the_same_keys():
    keys = {locale: set(catalogue(locale)) for locale in LOCALES}
    base = keys["ru"]
    assert {locale: (sorted(base - k), sorted(k - base)) for locale, k in keys.items() if k != base} == {}


def test_every_key_the_bot_names_exists():
    named = {m.group(1) for path in (ROOT / "bot").rglob("*.py")
             for m in re.finditer(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']""", path.read_text())}
    assert sorted(named - set(catalogue("ru"))) == []


def test_every_text_takes_the_same_parameters_in_every_language():
    """A translation that drops or renames a {parameter} would show the raw key's text or fail at format time."""
    def params(text: str) -> set[str]:
        return set(re.findall(r"(?<!\{)\{(\w+)\}(?!\})", text))

    base = catalogue("ru")
    wrong = {(locale, key) for locale in LOCALES for key, text in catalogue(locale).items()
             if params(text) != params(base[key])}
    assert sorted(wrong) == []


def test_plural_forms_by_each_languages_rules():
    from bot.i18n import Translator

    pl, ru, en = Translator("pl"), Translator("ru"), Translator("en")
    assert [pl.plural("calc.instalments", n) for n in (1, 2, 4, 5, 12, 22, 25, 112)] == \
        ["1 rata", "2 raty", "4 raty", "5 rat", "12 rat", "22 raty", "25 rat", "112 rat"]
    assert [ru.plural("calc.instalments", n) for n in (1, 2, 5, 11, 21, 24, 60)] == \
        ["1 платёж", "2 платежа", "5 платежей", "11 платежей", "21 платёж", "24 платежа", "60 платежей"]
    assert [en.plural("calc.instalments", n) for n in (1, 2, 60)] == ["1 instalment", "2 instalments", "60 instalments"]


def test_money_in_the_contracts_currency():
    from decimal import Decimal

    from bot.i18n import Translator

    nbsp = "\xa0"
    assert Translator("pl").money(Decimal("1500000"), "PLN") == f"1{nbsp}500{nbsp}000,00{nbsp}zł"
    assert Translator("en").money(Decimal("1500000"), "PLN") == f"1,500,000.00{nbsp}PLN"
    assert Translator("pl").money(Decimal("0.5"), "EUR") == f"0,50{nbsp}€"
    assert Translator("ru").money(Decimal("98500")) == f"98{nbsp}500 ₽"  # roubles as before: whole without kopecks
