"""The time "now", given to the code rather than read by it.

Every rule that depends on the current time (a task falling due, an invite expiring, "tomorrow at 10:00", this
month's report) takes it from the clock of its unit of work (``uow.clock.now()``), or as a ``now`` argument in
core/domain. The composition root passes ``SystemClock()``; tests and benchmarks pass a ``ManualClock`` set to the
moment they need, so the suite gives the same answers on any date. ``SystemClock.now`` is the only place in core that
reads the machine's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """A timezone-aware datetime in UTC."""


class SystemClock:
    """The machine's clock: what the bot runs on."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A clock that stands still until it is moved: ``set(at)`` or ``advance(hours=1)``."""

    def __init__(self, at: datetime) -> None:
        self.set(at)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock's time is timezone-aware")
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        self._at += (delta or timedelta()) + timedelta(**parts)
        return self._at

    def now(self) -> datetime:
        return self._at

    def __repr__(self) -> str:
        return f"ManualClock({self._at.isoformat()})"
