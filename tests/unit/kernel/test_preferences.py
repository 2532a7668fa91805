"""A person's language and timezone are one the bot ships and one zoneinfo knows, when stored and when read."""

from __future__ import annotations

import pytest

from core.db.kernel import models as m
from core.domain.kernel import preferences


@pytest.mark.parametrize(("value", "read"), [("en", "en"), ("pl", "pl"), ("de", "ru"), ("EN", "ru"), ("", "ru"),
                                             (None, "ru")])
def test_a_language_not_shipped_is_the_default(value, read):
    assert preferences.locale_or_default(value) == read


@pytest.mark.parametrize(("value", "read"), [("Asia/Vladivostok", "Asia/Vladivostok"), ("UTC", "UTC"),
                                             ("Mars/Base", "Europe/Moscow"), ("Europe", "Europe/Moscow"),
                                             ("../etc/passwd", "Europe/Moscow"), ("", "Europe/Moscow")])
def test_a_zone_zoneinfo_does_not_know_is_the_default(value, read):
    assert preferences.zone_or_default(value) == read


def test_stored_valid_too():
    person = m.User(tg_id=1, name="Иван", locale="de", timezone="Mars/Base")
    assert (person.locale, person.timezone) == ("ru", "Europe/Moscow")
    person.timezone = "Europe/Warsaw"
    assert person.timezone == "Europe/Warsaw"


def test_the_defaults_are_the_deployments():
    try:
        preferences.use_defaults("pl", "Europe/Warsaw")
        assert (preferences.locale_or_default("de"), preferences.zone_or_default("Mars/Base")) == (
            "pl", "Europe/Warsaw")
        with pytest.raises(ValueError):
            preferences.use_defaults("de", "Europe/Warsaw")
    finally:
        preferences.use_defaults("ru", "Europe/Moscow")
