"""Every text exists in every language: the locales have the same keys, and every key the bot names literally is
in them."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import LOCALES_DIR, catalogue

ROOT = Path(__file__).resolve().parents[2]
LOCALES = sorted(p.stem for p in LOCALES_DIR.glob("*.toml"))


def test_every_locale_has_the_same_keys():
    keys = {locale: set(catalogue(locale)) for locale in LOCALES}
    base = keys["ru"]
    assert {locale: (sorted(base - k), sorted(k - base)) for locale, k in keys.items() if k != base} == {}


def test_every_key_the_bot_names_exists():
    named = {m.group(1) for path in (ROOT / "bot").rglob("*.py")
             for m in re.finditer(r"""\bt\(\s*["']([a-z_]+\.[a-z_0-9.]+)["']""", path.read_text())}
    assert sorted(named - set(catalogue("ru"))) == []
