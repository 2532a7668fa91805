from datetime import UTC, datetime, time

from core.domain.kernel.schedule import QuietHours, send_at

Q = QuietHours(time(21, 0), time(9, 0))


def test_daytime_goes_now():
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 13:00 in Moscow
    assert send_at(now, "Europe/Moscow", Q) == now


def test_late_evening_waits_for_the_morning_in_the_persons_zone():
    now = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)  # 22:30 in Moscow
    assert send_at(now, "Europe/Moscow", Q) == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 09:00 Moscow


def test_after_midnight_waits_for_the_same_mornings_end():
    now = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 02:00 in Moscow on the 24th
    assert send_at(now, "Europe/Moscow", Q) == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)


def test_another_zone_other_hours():
    now = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)  # 02:30 in Novosibirsk (UTC+7)
    assert send_at(now, "Asia/Novosibirsk", Q) == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def test_no_quiet_hours():
    now = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert send_at(now, "Europe/Moscow", QuietHours(time(0), time(0))) == now
