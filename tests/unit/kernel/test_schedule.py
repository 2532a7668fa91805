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


@pytest.mark.parametrize(("locale", "zone", "text", "local"), [
    ("en", "America/New_York", "12/10/2026 15:00", datetime(2026, 12, 10, 15, 0)),  # the US: month first (en_US)
    ("en", "America/Chicago", "12/10/26 3:00 PM", datetime(2026, 12, 10, 15, 0)),
    ("en", "America/New_York", "12/10/2026 3:00pm", datetime(2026, 12, 10, 15, 0)),
    ("en", "America/New_York", "10.12.2026 15:00", datetime(2026, 12, 10, 15, 0)),  # the form every reader may use
    ("en", "Europe/London", "12/10/2026 15:00", datetime(2026, 10, 12, 15, 0)),  # Britain: day first (en_GB)
    ("en", "Europe/London", "5/1/26 09:30", datetime(2026, 1, 5, 9, 30)),
    ("en", "Europe/Warsaw", "12/10/2026 15:00", datetime(2026, 10, 12, 15, 0)),  # English in Poland (en_PL)
    ("en", "Europe/Moscow", "12/10/2026 15:00", datetime(2026, 10, 12, 15, 0)),  # no en_RU: world English, day first
    ("en", "UTC", "12/10/2026 15:00", datetime(2026, 10, 12, 15, 0)),  # a zone of no country: the firm's (RU)
    ("ru", "Europe/Moscow", "10.12.2026 15:00", datetime(2026, 12, 10, 15, 0)),
    ("ru", "America/New_York", "10.12.2026 15:00", datetime(2026, 12, 10, 15, 0)),  # Russian in the US: still dots
    ("pl", "Europe/Warsaw", "5.12.2026 9:30", datetime(2026, 12, 5, 9, 30)),
    (None, "Europe/Moscow", "10.12.2026  15:00", datetime(2026, 12, 10, 15, 0)),
])
def test_a_moment_is_typed_as_the_reader_writes_it_in_their_country(locale, zone, text, local):
    from core.domain.kernel.schedule import parse_local

    assert parse_local(text, zone, locale) == local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


@pytest.mark.parametrize(("locale", "zone", "text", "example"), [
    ("ru", "Europe/Moscow", "12/10/2026 15:00", "25.11.2026 15:00"),  # a Russian reader's slashes: refused, not guessed
    ("ru", "Europe/Moscow", "10.12.2026 3:00 PM", "25.11.2026 15:00"),
    ("en", "America/New_York", "13/25/2026 15:00", "11/25/2026 15:00"),
    ("en", "America/New_York", "tomorrow", "11/25/2026 15:00"),
    ("en", "Europe/London", "12/25/2026 15:00", "25/11/2026 15:00"),  # month first in London: refused, not guessed
    ("en", "Europe/London", "12/10/2026 3:00 PM", "25/11/2026 15:00"),  # a British clock has no AM/PM in CLDR
])
def test_a_moment_not_in_a_known_form_is_refused_with_the_readers_example(locale, zone, text, example):
    from core.domain.kernel.schedule import parse_local

    with pytest.raises(InvalidInput) as refused:
        parse_local(text, zone, locale)
    assert (refused.value.key, refused.value.params) == ("bad_datetime", {"example": example})


def test_the_firms_country_decides_for_a_reader_in_the_deployments_zone():
    """A person who never chose a zone has the deployment's: their country is then PHONE_REGION (a London firm that
    left DEFAULT_TIMEZONE alone still writes the day first; a US firm writes the month first)."""
    from core.domain.kernel import preferences
    from core.domain.kernel.schedule import parse_local, region_of

    preferences.use_defaults("en", "Europe/London", "USD", "US")  # a US firm with its servers' zone in London
    assert region_of("Europe/London") == "US"
    assert region_of("Europe/Berlin") == "DE"  # a zone the person chose: theirs
    assert parse_local("12/10/2026 15:00", "Europe/London", "en") == datetime(2026, 12, 10, 15, 0, tzinfo=UTC)
    preferences.use_defaults("en", "America/New_York", "GBP", "GB")
    assert region_of("America/New_York") == "GB"
    assert parse_local("12/10/2026 15:00", "America/New_York", "en") == datetime(2026, 10, 12, 19, 0, tzinfo=UTC)


@pytest.mark.parametrize(("locale", "zone", "fields"), [
    ("en", "Europe/London", ["d", "/", "M", "/", "y"]),
    ("en", "America/Los_Angeles", ["M", "/", "d", "/", "y"]),
    ("ru", "Europe/Moscow", ["d", ".", "M", ".", "y"]),
    ("pl", "Europe/Warsaw", ["d", ".", "M", ".", "y"]),
    (None, "Europe/London", ["d", ".", "M", ".", "y"]),
])
def test_the_fields_a_prompt_names_follow_babels_short_date(locale, zone, fields):
    from core.domain.kernel.schedule import date_fields

    assert date_fields(locale, zone) == fields


@pytest.mark.parametrize(("locale", "zone", "fields", "example"), [
    ("en", "Europe/London", "DD/MM/YYYY HH:MM", "25/11/2026 15:00"),
    ("en", "America/New_York", "MM/DD/YYYY HH:MM", "11/25/2026 15:00"),
    ("ru", "Europe/Moscow", "ДД.ММ.ГГГГ ЧЧ:ММ", "25.11.2026 15:00"),
    ("pl", "Europe/Warsaw", "DD.MM.RRRR GG:MM", "25.11.2026 15:00"),
])
def test_a_prompt_names_the_fields_in_the_readers_language_and_order(locale, zone, fields, example):
    from bot.i18n import Translator

    t = Translator(locale, zone)
    assert (t.moment_fields(), t.moment_example()) == (fields, example)
