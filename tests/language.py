"""What a reader must never read, whatever the screen: the language sweep's checker (tests/unit/kernel/
test_language_sweep.py). ``problems(text, locale)`` lists what is wrong in one rendered text:

- a raw locale key («docs.kind_lease_invoice»), a ``snake_case`` code («to_payment») or a status's code («qualify»);
- Cyrillic in English or Polish, Polish letters in Russian;
- an amount nobody formatted («36900.00», «1000000000», «34 021,6»), or an ISO day («2027-01-15»).

People's names and data (a counterparty, a phone, a NIP) are not words of the bot: the sample data a test uses go in
``allowed`` and are cut out before the check."""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape

from bot.i18n import catalogue

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
POLISH = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]")  # «ó» is not in the list: it is also French, Spanish …
SNAKE = re.compile(r"(?<![\w@./:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@/-])")
#: «36900.00», «34021,6», «1000000000»: digits run together, a dot before two places, or seven and more in a row
BARE_AMOUNT = re.compile(r"(?<![\w.,/-])\d{4,}[.,]\d{1,2}(?![\d\w])|(?<![\w.,/+-])\d{7,}(?![\d\w])")
#: «34 021,6»: grouped, but one decimal place (money has two)
ONE_PLACE = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \xa0\u202f]\d{3})+[.,]\d(?![\d\w])")
ISO_DAY = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
TAG = re.compile(r"<[^>]+>")
URL = re.compile(r"https?://\S+|\S+@\S+\.\w+")


def _tables() -> set[str]:
    return {key.split(".", 1)[0] for key in catalogue("ru")}


def raw_keys(text: str) -> list[str]:
    """Tokens that are the bot's own keys shown as they are (a table's name, a dot, a key)."""
    tables = _tables()
    return [m.group(0) for m in re.finditer(r"(?<![\w.])([a-z_]+)\.([a-z0-9_]+)(?![\w])", text)
            if m.group(1) in tables]


def problems(text: str, locale: str, allowed: Iterable[str] = (), codes: Iterable[str] = ()) -> list[str]:
    """What is wrong in ``text`` for a reader of ``locale``; ``codes``: the single-word codes (statuses, kinds) that
    must not show as they are."""
    plain = unescape(TAG.sub(" ", text))
    for value in sorted(allowed, key=len, reverse=True):
        plain = plain.replace(value, " ")
    plain = URL.sub(" ", plain)
    found = [f"raw key {k!r}" for k in raw_keys(plain)]
    found += [f"code {m.group(0)!r}" for m in SNAKE.finditer(plain)]
    words = set(re.findall(r"(?<![\w.])[a-z]+(?![\w.])", plain))
    found += [f"code {c!r}" for c in sorted(set(codes) & words) if locale != "en"]
    if locale in ("en", "pl") and CYRILLIC.search(plain):
        found.append(f"Cyrillic in {locale}: {CYRILLIC.search(plain).group(0)!r} in {plain[:80]!r}")
    if locale == "ru" and POLISH.search(plain):
        found.append(f"Polish letters in ru: {plain[:80]!r}")
    found += [f"unformatted amount {m.group(0)!r}" for m in BARE_AMOUNT.finditer(plain)]
    found += [f"amount with one decimal place {m.group(0)!r}" for m in ONE_PLACE.finditer(plain)]
    found += [f"ISO day {m.group(0)!r}" for m in ISO_DAY.finditer(plain)]
    return found
