"""Locale files (bot/locales/*.toml, keyed by meaning) and Babel formatting of money and time."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from core.domain.kernel.errors import Amount, Status
from core.formats import Formats, format_decimal

LOCALES_DIR = Path(__file__).parent / "locales"


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@cache
def catalogue(locale: str) -> dict[str, str]:
    with open(LOCALES_DIR / f"{locale}.toml", "rb") as f:
        return _flatten(tomllib.load(f))


#: where each pipeline's seeded statuses are named (a table of the locales, by the status's code)
STATUS_NAMES = {"market": "status.", "law": "law_status.", "sales": "sales_status.", "cold_call": "stage.cold_call.",
                "leasing": "lease_status."}
LOCALES = ("ru", "en", "pl")


@cache
def seeded(key: str) -> frozenset[str]:
    """A seeded status's names in every shipped language: a row still named one of them was never renamed."""
    return frozenset(catalogue(lang)[key] for lang in LOCALES if key in catalogue(lang))


def status_key(pipeline: str, code: str | None) -> str | None:
    prefix = STATUS_NAMES.get(str(pipeline))
    return f"{prefix}{code}" if prefix and code else None


class Html(str):
    """A text already in the messages' HTML: a translation, its parameters escaped. Given as a parameter of another
    translation it goes in as it is (escaped once, never «&amp;amp;»)."""

    __slots__ = ()


class Translator:
    def __init__(self, locale: str, timezone: str = "Europe/Moscow", fallback: str = "ru") -> None:
        self.locale, self.timezone = locale, timezone
        self._own = catalogue(locale)
        self._fallback = catalogue(fallback)
        self.formats = Formats(locale)

    def __call__(self, key: str, **params) -> Html:
        """The text for ``key`` with its parameters; text parameters are HTML-escaped (messages go out as HTML),
        so a name or a comment a person typed can never become markup; a translation given as a parameter (``Html``)
        is in HTML already."""
        text = self._own.get(key) or self._fallback.get(key)
        if text is None:
            return key
        if not params:
            return Html(text)
        return Html(text.format_map({k: escape(v, quote=False) if isinstance(v, str) and not isinstance(v, Html)
                                     else v for k, v in params.items()}))

    def zone(self, name: str, at: datetime) -> str:
        """«Владивосток (UTC+10)»: the zone's city in this language and its offset at ``at``."""
        minutes = int(at.astimezone(ZoneInfo(name)).utcoffset().total_seconds()) // 60
        sign, minutes = ("+" if minutes >= 0 else "−"), abs(minutes)
        offset = f"{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
        from babel.dates import get_timezone_location  # Babel: loaded when first used (core.formats)

        return f"{get_timezone_location(name, locale=self.locale, return_city=True)} (UTC{sign}{offset})"

    def has(self, key: str) -> bool:
        return key in self._own or key in self._fallback

    def money(self, value: Decimal | None, currency: str | None = None) -> str:
        """«1 500 000,00 zł», «98 500 ₽», «£12,500.00»: this language's one formatter (core.formats); no currency:
        the CRM's (CURRENCY)."""
        return self.formats.money(value, currency)

    def currency(self, currency: str | None = None) -> str:
        """The currency's sign in this language, for a prompt: «Сумма долга, ₽:», «Debt, £:»."""
        return self.formats.currency_sign(currency)

    @staticmethod
    def phone(value: str | None) -> str:
        """A stored (E.164) phone as people read it: «+7 900 111-22-33» (core.domain.kernel.inputs)."""
        from core.domain.kernel.inputs import display_phone

        return display_phone(value) if value else "—"

    def phones(self, phones) -> str:
        """A card's phones (rows with ``phone``), each as people read it, in a row."""
        return ", ".join(self.phone(p.phone) for p in phones) or "—"

    def percent(self, value: Decimal | int | float) -> str:
        return self.formats.percent(value)

    def day(self, value: date | datetime | None) -> str:
        """«15.01.2027» (a day; ``dt`` is a moment in the reader's timezone)."""
        return self.formats.day(value) or "—"

    def plural(self, key: str, n: int, **params) -> str:
        """``key.one``, ``key.few``, ``key.many`` or ``key.other``, as this language's plural rules pick for ``n``
        (Polish: 1 rata, 2 raty, 5 rat, 22 raty; Russian: 1 платёж, 2 платежа, 5 платежей; English: one, other)."""
        return self(f"{key}.{self.formats.plural_form(n)}", n=n, **params)

    def number(self, value: Decimal) -> str:
        """Money without its sign, two places: «1 500,00»."""
        return self.formats.amount(value)

    def plain(self, value: Decimal) -> str:
        """A number as written in this language, no more decimals than it has: «12,5», «20», «1 000»."""
        return format_decimal(value, locale=self.locale)

    def moment_example(self) -> str:
        """A moment as this reader types it, for a prompt: «25/11/2026 15:00» in London, «11/25/2026 15:00» in New
        York, «25.11.2026 15:00» (core.domain.kernel.schedule: the order follows the reader's country)."""
        from core.domain.kernel.schedule import datetime_example

        return datetime_example(self.locale, self.timezone)

    def moment_fields(self) -> str:
        """The fields of a moment in this reader's order, for a prompt: «DD/MM/YYYY HH:MM» in London, «MM/DD/YYYY
        HH:MM» in New York, «ДД.ММ.ГГГГ ЧЧ:ММ», «DD.MM.RRRR GG:MM». «25.11.2026 15:00» is taken from every reader
        too, unsaid."""
        from core.domain.kernel.schedule import date_fields

        names = {"d": "dates.field_day", "M": "dates.field_month", "y": "dates.field_year"}
        day = "".join(self(names[x]) if x in names else x for x in date_fields(self.locale, self.timezone))
        return f"{day} {self('dates.field_time')}"

    def dt(self, value: datetime | None) -> str:
        if value is None:
            return "—"
        from babel.dates import format_datetime

        return format_datetime(value, "dd.MM.yyyy HH:mm", tzinfo=ZoneInfo(self.timezone), locale=self.locale)

    def status(self, value: str) -> str:
        return self(f"status.{value}")

    def status_named(self, pipeline: str, code: str | None, name: str | None) -> str:
        """A pipeline's status as this reader knows it: its locale name while its row keeps a seed's name (``name``
        None: the code alone is known), else the name an admin gave it (bot/views/kernel/names.py)."""
        key = status_key(pipeline, code)
        if key is not None and self.has(key) and (name is None or name in seeded(key)):
            return self(key)
        return name or "—"

    def error(self, exc) -> str:
        return self.reason(exc.key, exc.params, getattr(exc, "names", None))

    def reason(self, key: str, params: dict, names: str | None = None) -> str:
        """A domain error's reason, by its key and parameters; a code among them that the locale table ``names``
        knows (a status, a stage) is shown by its name there."""
        params = {k: self._param(v, names) for k, v in params.items()}
        key = f"errors.{key}"
        return self(key, **params) if self.has(key) else self("errors.generic")

    def _param(self, value, names: str | None = None):
        if names and isinstance(value, str) and self.has(f"{names}{value}"):
            return self(f"{names}{value}")
        if names and isinstance(value, tuple):  # several codes: each by its name, in a list
            return ", ".join(str(self._param(v, names)) for v in value)
        if value is None:
            return "—"
        if isinstance(value, datetime):
            return self.dt(value)
        if isinstance(value, date):
            return self.day(value)
        if isinstance(value, Decimal):
            return format_decimal(value, format="#,##0.##", locale=self.locale)
        if isinstance(value, Amount):
            return self.money(value.value, value.currency)
        if isinstance(value, Status):
            return self.status_named(value.pipeline, value.code, value.name)
        if isinstance(value, tuple | list):  # codes: each by its name, in a row
            return ", ".join(str(self._param(x, names)) for x in value)
        if isinstance(value, str) and self.has(f"status.{value}"):
            return self.status(value)
        return value
