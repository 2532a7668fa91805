from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.domain.kernel.errors import InvalidInput
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


@pytest.mark.parametrize(("locale", "text", "local"), [
    ("en", "12/10/2026 15:00", datetime(2026, 12, 10, 15, 0)),  # English: month first (CLDR «M/d/yy»)
    ("en", "12/10/26 3:00 PM", datetime(2026, 12, 10, 15, 0)),
    ("en", "12/10/2026 3:00pm", datetime(2026, 12, 10, 15, 0)),
    ("en", "10.12.2026 15:00", datetime(2026, 12, 10, 15, 0)),  # the form every reader may use
    ("ru", "10.12.2026 15:00", datetime(2026, 12, 10, 15, 0)),
    ("pl", "5.12.2026 9:30", datetime(2026, 12, 5, 9, 30)),
    (None, "10.12.2026  15:00", datetime(2026, 12, 10, 15, 0)),
])
def test_a_moment_is_typed_as_the_reader_writes_it(locale, text, local):
    from core.domain.kernel.schedule import parse_local

    assert parse_local(text, "Europe/Moscow", locale) == local.replace(tzinfo=ZoneInfo("Europe/Moscow")).astimezone(
        UTC)


@pytest.mark.parametrize(("locale", "text", "example"), [
    ("ru", "12/10/2026 15:00", "25.11.2026 15:00"),  # a Russian reader's slashes: refused, not guessed
    ("ru", "10.12.2026 3:00 PM", "25.11.2026 15:00"),
    ("en", "13/25/2026 15:00", "11/25/2026 15:00"),
    ("en", "tomorrow", "11/25/2026 15:00"),
])
def test_a_moment_not_in_a_known_form_is_refused_with_the_readers_example(locale, text, example):
    from core.domain.kernel.schedule import parse_local

    with pytest.raises(InvalidInput) as refused:
        parse_local(text, "Europe/Moscow", locale)
    assert (refused.value.key, refused.value.params) == ("bad_datetime", {"example": example})
