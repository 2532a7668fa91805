"""An amount typed in the chat is read as the reader's language writes numbers: in English the comma groups
thousands and the dot marks the decimals; in Russian and Polish spaces group and a comma (or a dot) marks them."""

from decimal import Decimal

import pytest

from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import MAX_AMOUNT, parse_amount, parse_amount_and_date, parse_range


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,500", Decimal("12500.00")),
        ("12,500.50", Decimal("12500.50")),
        ("1,500,000", Decimal("1500000.00")),
        ("1,500,000.5", Decimal("1500000.50")),
        ("12500.50", Decimal("12500.50")),
        ("12500", Decimal("12500.00")),
        ("£12,500.50", Decimal("12500.50")),
        ("12,500 GBP", Decimal("12500.00")),
        ("12 500", Decimal("12500.00")),
        ("0.5", Decimal("0.50")),
    ],
)
def test_english_amounts(text, value):
    assert parse_amount(text, locale="en") == value


@pytest.mark.parametrize("text", ["12,5", "12,50", "0,5", "1500000,50", "12 500,50", "12.500", "1.500.000"])
def test_an_english_amount_that_reads_two_ways_is_refused_not_guessed(text):
    with pytest.raises(InvalidInput) as exc:
        parse_amount(text, locale="en")
    assert exc.value.key == "amount_ambiguous"
    assert exc.value.params == {"value": text}


@pytest.mark.parametrize("text", ["", "lots", "1,50,000", "12,500.", "12,500.505", "-5", "1e6", "15OO", "１２",
                                  "12,500.50.1", ",500"])
def test_english_garbage_is_not_an_amount(text):
    with pytest.raises(InvalidInput) as exc:
        parse_amount(text, locale="en")
    assert exc.value.key == "not_amount_commas"  # its example groups thousands with commas


def test_english_bounds_and_ranges():
    with pytest.raises(InvalidInput) as exc:
        parse_amount("5,000", minimum=Decimal("10000"), locale="en")
    assert exc.value.key == "amount_range"
    assert parse_range("500,000 - 20,000,000", parse_amount, maximum=MAX_AMOUNT, locale="en") == (
        Decimal("500000.00"), Decimal("20000000.00"))
    assert parse_amount_and_date("12,500.50 01.12.2026", "en")[0] == Decimal("12500.50")


@pytest.mark.parametrize("locale", ["ru", "pl", None])
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12 500", Decimal("12500.00")),
        ("12\u00a0500,50", Decimal("12500.50")),
        ("12 500.50", Decimal("12500.50")),
        ("1500000,50", Decimal("1500000.50")),
        ("12,5", Decimal("12.50")),
        ("1 500 000 zł", Decimal("1500000.00")),
    ],
)
def test_russian_and_polish_amounts(locale, text, value):
    assert parse_amount(text, locale=locale) == value


@pytest.mark.parametrize("locale", ["ru", "pl"])
@pytest.mark.parametrize("text", ["12,500", "12,500.50", "1.234", "много", "1e6"])
def test_russian_and_polish_refuse_what_they_did(locale, text):
    with pytest.raises(InvalidInput) as exc:
        parse_amount(text, locale=locale)
    assert exc.value.key == "not_amount"


def test_each_refusals_english_example_is_read_by_the_reading_that_refused():
    """The leasing area and imports read amounts the Russian and Polish way for every reader: an English reader
    refused there is shown an example that way accepts, not «12,500», which it would refuse again."""
    import re
    import tomllib
    from pathlib import Path

    errors = tomllib.loads((Path(__file__).parents[3] / "bot/locales/en.toml").read_text())["errors"]
    examples = lambda key: re.search(r"e\.g\. (.+) or (.+)\.$", errors[key]).groups()  # noqa: E731
    assert [parse_amount(x) for x in examples("not_amount")] == [Decimal("12500.00"), Decimal("12500.50")]
    assert [parse_amount(x, locale="en") for x in examples("not_amount_commas")] == [Decimal("12500.00"),
                                                                                     Decimal("12500.50")]
