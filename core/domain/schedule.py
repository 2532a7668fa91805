"""When a reminder may go out: quiet hours in the person's timezone delay it, never drop it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


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
