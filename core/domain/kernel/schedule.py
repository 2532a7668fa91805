"""Time rules in the person's timezone: quiet hours delay a reminder, never drop it; "today" and "this month"
where the person is. Every function is given ``now``: none reads the clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from core.domain.kernel.errors import InvalidInput


@dataclass(frozen=True)
class QuietHours:
    start: time = time(21, 0)  # from 21:00 …
    end: time = time(9, 0)  # … to 09:00 local time, nothing is sent


def _quiet(local: time, quiet: QuietHours) -> bool:
    if quiet.start == quiet.end:
        return False
    if quiet.start < quiet.end:
        return quiet.start <= local < quiet.end
    return local >= quiet.start or local < quiet.end


def send_at(now: datetime, timezone: str, quiet: QuietHours) -> datetime:
    """``now`` if it is not quiet for the person, else the end of their quiet hours (in UTC)."""
    tz = ZoneInfo(timezone)
    local = now.astimezone(tz)
    if not _quiet(local.time(), quiet):
        return now
    end = datetime.combine(local.date(), quiet.end, tz)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), quiet.end, tz)
    return end.astimezone(UTC)


def local_date(now: datetime, timezone: str) -> date:
    """The date it is at ``now`` where the person (or the company) is."""
    return now.astimezone(ZoneInfo(timezone)).date()


def month_bounds(now: datetime, timezone: str, months_back: int = 0) -> tuple[datetime, datetime]:
    """The calendar month ``months_back`` months before the one it is at ``now`` in ``timezone``: its first instant
    and the first instant of the next month, in UTC. On the 31st at 23:30 in Moscow (20:30 UTC) it is still that
    month; at 00:30 on the 1st (21:30 UTC the day before) it is already the next."""
    local = now.astimezone(ZoneInfo(timezone)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for _ in range(months_back):
        local = (local - timedelta(days=1)).replace(day=1)
    end = (local + timedelta(days=32)).replace(day=1)
    return local.astimezone(UTC), end.astimezone(UTC)


#: Russia's zones, west to east: the short list a person picks from (any other IANA name may be typed)
RUSSIA_ZONES = ("Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
                "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
                "Asia/Magadan", "Asia/Kamchatka")
#: the zones offered as buttons (a button names its 1-based place here, so new ones go at the end)
OFFERED_ZONES = (*RUSSIA_ZONES, "Europe/Warsaw", "Europe/London", "Europe/Berlin", "Europe/Kyiv", "Europe/Minsk",
                 "Asia/Almaty", "Asia/Tashkent", "Asia/Dubai")
#: a language whose speakers live in one zone: a new person who speaks it starts there
LANGUAGE_ZONES = {"pl": "Europe/Warsaw"}


def home_zone(locale: str, default: str) -> str:
    """Where a new person's dates are shown until they choose: their language's zone, else the deployment's."""
    return LANGUAGE_ZONES.get(locale, default)


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def check_timezone(name: str) -> str:
    """A timezone as the IANA database names it («Europe/Warsaw»; the case as typed is forgiven)."""
    zone = _zones().get((name or "").strip().casefold())
    if zone is None:
        raise InvalidInput("timezone")
    return zone


#: the form every reader may type a moment in, whatever their language
DATETIME = "%d.%m.%Y %H:%M"
#: a moment an example shows: the 25th, so that the day cannot be read as a month
SAMPLE = datetime(2026, 11, 25, 15, 0)


@cache
def _territories() -> dict[str, str]:
    from babel.core import get_global  # CLDR's zone → country table

    return dict(get_global("zone_territories"))


def region_of(timezone: str | None) -> str:
    """The country whose way of writing a date a reader follows: that of the timezone they live in, when it is their
    own (not the deployment's default zone, which a person may never have touched) and belongs to one country
    (CLDR: Europe/London → GB, America/Chicago → US; UTC none); else the firm's country, PHONE_REGION. PHONE_REGION
    rather than DEFAULT_TIMEZONE for the rest: a wrong PHONE_REGION is noticed at the first local phone typed, a
    DEFAULT_TIMEZONE left at its default (Europe/Moscow) is not; DEFAULT_LOCALE names a language, no country."""
    from core.domain.kernel.preferences import DEFAULTS

    own = _territories().get(timezone or "") if timezone != DEFAULTS.timezone else None
    return own if own and own != "ZZ" else DEFAULTS.region


@cache
def reading_locale(language: str, region: str) -> str:
    """The CLDR locale whose short date a reader of ``language`` in ``region`` types: «en_GB» (dd/MM/y), «en_US»
    (M/d/yy), «pl_PL»; a country with no such locale: the language's world form where CLDR has one («en_001»,
    day first), else the language («ru»)."""
    from babel import localedata

    for candidate in (f"{language}_{region}", f"{language}_001"):
        if localedata.exists(candidate):
            return candidate
    return language


def _reader(locale: str | None, timezone: str | None) -> str | None:
    return reading_locale(locale, region_of(timezone)) if locale else None


@cache
def _local_date(locale: str) -> tuple[str, str]:
    """The locale's usual short date (CLDR, Babel) as strptime formats: with a four-digit year and with two —
    en_US «M/d/yy» → «%m/%d/%Y», «%m/%d/%y»; en_GB «dd/MM/y» → «%d/%m/%Y»; ru «dd.MM.y» → «%d.%m.%Y» (strptime
    takes «5» and «05» alike)."""
    out = ""
    for token in _tokens(_short_date(locale)):
        out += {"d": "%d", "M": "%m", "y": "%Y"}.get(token[0], token) if token.isalpha() else token
    return out, out.replace("%Y", "%y")


@cache
def _short_date(locale: str) -> str:
    from babel.dates import get_date_format

    return get_date_format("short", locale=locale).pattern


def _tokens(pattern: str) -> list[str]:
    """«M/d/yy» → «M», «/», «d», «/», «yy»."""
    tokens: list[str] = []
    for ch in pattern:
        if tokens and tokens[-1][0] == ch and ch.isalpha():
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def date_fields(locale: str | None, timezone: str | None = None) -> list[str]:
    """The reader's short date as its fields in order, with what separates them: ``["d", "/", "M", "/", "y"]`` (a
    London reader), ``["M", "/", "d", "/", "y"]`` (New York), ``["d", ".", "M", ".", "y"]`` (the common form). The
    bot words each field in the reader's language («DD/MM/YYYY», «ДД.ММ.ГГГГ»)."""
    reader = _reader(locale, timezone)
    pattern = _short_date(reader) if reader else "dd.MM.y"
    return [token[0] if token.isalpha() else token for token in _tokens(pattern)]


def datetime_formats(locale: str | None, timezone: str | None = None) -> tuple[str, ...]:
    """What a reader may type a moment as: «25.11.2026 15:00» always, and their usual date (their language as written
    in their country, ``reading_locale``) with a 24-hour or (where the country's clock has them) a 12-hour time:
    «25/11/2026 15:00» in London, «11/25/2026 15:00» and «11/25/26 3:00 PM» in New York."""
    formats = [DATETIME]
    reader = _reader(locale, timezone)
    if reader:
        times = ("%H:%M", "%I:%M %p", "%I:%M%p") if _twelve_hours(reader) else ("%H:%M",)
        for date_format in _local_date(reader):
            formats += [f"{date_format} {time_format}" for time_format in times
                        if f"{date_format} {time_format}" not in formats]
    return tuple(formats)


@cache
def _twelve_hours(locale: str) -> bool:
    """Whether the locale's usual time has AM and PM (en_US «h:mm a»; en_GB «HH:mm» has not)."""
    from babel.dates import get_time_format

    return "a" in get_time_format("short", locale=locale).pattern


def datetime_example(locale: str | None, timezone: str | None = None) -> str:
    """The reader's usual form of a moment, for a prompt or a refusal: «25/11/2026 15:00» (London), «11/25/2026 15:00»
    (New York), «25.11.2026 15:00»."""
    reader = _reader(locale, timezone)
    return SAMPLE.strftime(f"{_local_date(reader)[0]} %H:%M" if reader else DATETIME)


def parse_local(text: str, timezone: str, locale: str | None = None) -> datetime:
    """«25.11.2026 15:00», or the reader's usual form, in the person's timezone, to UTC. Which number is the day
    follows the reader's country (``region_of``): «12/10/2026 15:00» is 12 October in London and in Moscow,
    10 December in New York."""
    cleaned = " ".join(text.split())
    for fmt in datetime_formats(locale, timezone):
        try:
            local = datetime.strptime(cleaned.upper() if "%p" in fmt else cleaned, fmt)
        except ValueError:
            continue
        return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)
    raise InvalidInput("bad_datetime", example=datetime_example(locale, timezone))


def parse_period(text: str, timezone: str) -> tuple[datetime, datetime]:
    """«01.11.2026-15.11.2026»: from the first day's start to the last day's end, in the reader's timezone."""
    parts = [p.strip() for p in text.replace("—", "-").replace("–", "-").split("-")]
    try:
        first, last = (datetime.strptime(p, "%d.%m.%Y").replace(tzinfo=ZoneInfo(timezone)) for p in parts)
    except ValueError as exc:
        raise InvalidInput("bad_period") from exc
    if last < first or (last - first).days > 3660:
        raise InvalidInput("bad_period")
    return first.astimezone(UTC), (last + timedelta(days=1)).astimezone(UTC)
