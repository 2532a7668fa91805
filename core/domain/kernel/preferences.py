"""A person's language and timezone: one the bot ships and one zoneinfo knows. A value that is neither (a row written
under a mistyped DEFAULT_LOCALE or DEFAULT_TIMEZONE, a hand-edited row) is never passed on to what would fail on it
(the scheduler's quiet hours, a date shown, a message's language): it is read as the deployment's default, and the
log says so once per value. Nothing here reads the settings: the composition root hands the defaults over."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

#: the languages the bot ships (bot/locales/<code>.toml), the default first
SUPPORTED_LOCALES = ("ru", "en", "pl")


@dataclass
class Defaults:
    locale: str = "ru"
    timezone: str = "Europe/Moscow"
    currency: str = "RUB"
    region: str = "RU"  # PHONE_REGION: the firm's country (how its people write a date, when their zone does not say)


#: the deployment's DEFAULT_LOCALE, DEFAULT_TIMEZONE, CURRENCY and PHONE_REGION (set once at start by ``use_defaults``)
DEFAULTS = Defaults()
_told: set[tuple[str, str]] = set()


def use_defaults(locale: str, timezone: str, currency: str = "RUB", region: str = "RU") -> None:
    """The deployment's defaults, already checked by the settings (a wrong one is refused at start)."""
    if locale not in SUPPORTED_LOCALES or not known_zone(timezone):
        raise ValueError(f"not a shipped locale and a known timezone: {locale!r}, {timezone!r}")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise ValueError(f"not an ISO 4217 currency code: {currency!r}")
    if len(region) != 2 or not region.isalpha() or not region.isupper():
        raise ValueError(f"not a two-letter country code: {region!r}")
    DEFAULTS.locale, DEFAULTS.timezone, DEFAULTS.currency, DEFAULTS.region = locale, timezone, currency, region


def currency() -> str:
    """The money of the CRM's own amounts (leads, deals, cold calls and their orders, the marketplace): CURRENCY,
    RUB unless set; a leasing case keeps its own (LEASE_CURRENCY)."""
    return DEFAULTS.currency


@lru_cache(maxsize=1024)
def known_zone(name: str | None) -> bool:
    if not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a directory of the database («Europe»)
        return False
    return True


def locale_or_default(value: str | None) -> str:
    if value in SUPPORTED_LOCALES:
        return value
    _tell("language", value, f"not one of {', '.join(SUPPORTED_LOCALES)}", DEFAULTS.locale)
    return DEFAULTS.locale


def zone_or_default(value: str | None) -> str:
    if known_zone(value):
        return value
    _tell("timezone", value, "not known to zoneinfo", DEFAULTS.timezone)
    return DEFAULTS.timezone


def _tell(what: str, value: str | None, why: str, used: str) -> None:
    if (what, value or "") in _told:
        return
    _told.add((what, value or ""))
    log.warning("a person's %s %r is %s: %s, the default, is used instead (said once)", what, value, why, used)
