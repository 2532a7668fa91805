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
def _local_date(locale: str) -> tuple[str, str]:
    """The language's usual short date (CLDR, Babel) as strptime formats: with a four-digit year and with two —
    en «M/d/yy» → «%m/%d/%Y», «%m/%d/%y»; ru «dd.MM.y» → «%d.%m.%Y» (strptime takes «5» and «05» alike)."""
    from babel.dates import get_date_format

    out, pattern = "", get_date_format("short", locale=locale).pattern
    for token in _tokens(pattern):
        out += {"d": "%d", "M": "%m", "y": "%Y"}.get(token[0], token) if token.isalpha() else token
    return out, out.replace("%Y", "%y")


def _tokens(pattern: str) -> list[str]:
    """«M/d/yy» → «M», «/», «d», «/», «yy»."""
    tokens: list[str] = []
    for ch in pattern:
        if tokens and tokens[-1][0] == ch and ch.isalpha():
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def datetime_formats(locale: str | None) -> tuple[str, ...]:
    """What a reader may type a moment as: «25.11.2026 15:00» always, and their language's usual date with a
    24-hour or (English) a 12-hour time: «11/25/2026 15:00», «11/25/26 3:00 PM»."""
    formats = [DATETIME]
    if locale:
        times = ("%H:%M", "%I:%M %p", "%I:%M%p") if _twelve_hours(locale) else ("%H:%M",)
        for date_format in _local_date(locale):
            formats += [f"{date_format} {time_format}" for time_format in times
                        if f"{date_format} {time_format}" not in formats]
    return tuple(formats)


@cache
def _twelve_hours(locale: str) -> bool:
    """Whether the language's usual time has AM and PM (English «h:mm a»)."""
    from babel.dates import get_time_format

    return "a" in get_time_format("short", locale=locale).pattern


def datetime_example(locale: str | None) -> str:
    """The reader's usual form of a moment, for a prompt or a refusal: «11/25/2026 15:00» (en), «25.11.2026 15:00»."""
    return SAMPLE.strftime(f"{_local_date(locale)[0]} %H:%M" if locale else DATETIME)


def parse_local(text: str, timezone: str, locale: str | None = None) -> datetime:
    """«25.11.2026 15:00», or the reader's usual form («12/10/2026 15:00» in English: 10 December), in the person's
    timezone, to UTC."""
    cleaned = " ".join(text.split())
    for fmt in datetime_formats(locale):
        try:
            local = datetime.strptime(cleaned.upper() if "%p" in fmt else cleaned, fmt)
        except ValueError:
            continue
        return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(UTC)
    raise InvalidInput("bad_datetime", example=datetime_example(locale))


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
