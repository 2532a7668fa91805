"""Time is given, not read: core and the handlers take "now" from the clock they are given, so the suite gives the
same answers on any date (and .ci/run proves it with the machine's clock moved)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.scheduler import create_scheduler
from core.clock import ManualClock
from core.domain.kernel.schedule import local_date, month_bounds
from core.services.kernel.config import CoreConfig

ROOT = Path(__file__).resolve().parents[3]
WALL_CLOCK = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(|utcnow\(")


#: the one place that may read the machine's time: the system clock itself (the scheduler's first run is the
#: clock's it is given; APScheduler keeps its interval on the machine's clock, what is due is the units of work's)
ALLOWED = {"core/clock.py"}


@pytest.mark.parametrize("folder", ["core", "bot"])
def test_nothing_but_the_system_clock_reads_the_machines_time(folder):
    readers = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / folder).rglob("*.py"))
               if str(path.relative_to(ROOT)) not in ALLOWED
               for n, line in enumerate(path.read_text().splitlines(), 1) if WALL_CLOCK.search(line)]
    assert readers == []


def test_the_schedulers_first_runs_are_at_the_time_of_the_clock_it_is_given():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    scheduler = create_scheduler(lambda: None, CoreConfig(), lambda: None, 60, mailer=object(), clock=ManualClock(at))
    jobs = scheduler._scheduler.get_jobs()
    assert sorted(job.id for job in jobs) == ["mail", "scan_due"]
    assert {job.next_run_time for job in jobs} == {at}


def test_a_manual_clock_stands_still_until_moved():
    clock = ManualClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    assert clock.now() == clock.now() == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert clock.advance(hours=1, minutes=30) == datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    clock.set(datetime(2027, 1, 1, 3, 0, tzinfo=UTC))
    assert clock.now() - datetime(2026, 12, 31, tzinfo=UTC) == timedelta(hours=27)
    with pytest.raises(ValueError):
        clock.set(datetime(2027, 1, 1))  # naive: which timezone?


@pytest.mark.parametrize(("now", "expected"), [
    (datetime(2026, 11, 30, 20, 30, tzinfo=UTC), "2026-11-30"),  # 23:30 in Moscow
    (datetime(2026, 11, 30, 21, 30, tzinfo=UTC), "2026-12-01"),  # 00:30 in Moscow, still the 30th in UTC
])
def test_today_is_where_the_person_is(now, expected):
    assert local_date(now, "Europe/Moscow").isoformat() == expected


def test_this_month_at_the_end_of_a_month_in_moscow():
    msk = "Europe/Moscow"
    late = datetime(2027, 1, 31, 20, 30, tzinfo=UTC)  # 23:30 on 31 January in Moscow
    assert month_bounds(late, msk) == (datetime(2026, 12, 31, 21, 0, tzinfo=UTC),
                                       datetime(2027, 1, 31, 21, 0, tzinfo=UTC))
    after = datetime(2027, 1, 31, 21, 30, tzinfo=UTC)  # 00:30 on 1 February in Moscow, 31 January in UTC
    assert month_bounds(after, msk)[0] == datetime(2027, 1, 31, 21, 0, tzinfo=UTC)
    assert month_bounds(after, msk, months_back=1) == month_bounds(late, msk)
    assert month_bounds(datetime(2027, 3, 15, tzinfo=UTC), msk, months_back=13)[0] == datetime(
        2026, 1, 31, 21, 0, tzinfo=UTC)  # a year and a month back: February 2026
