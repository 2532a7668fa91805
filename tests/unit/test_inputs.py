from decimal import Decimal

import pytest

from core.domain.errors import InvalidInput
from core.domain.inputs import check_file, clean_text, normalize_phone, parse_amount, parse_int, parse_range


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 500 000", Decimal("1500000.00")),
        ("1500000,50", Decimal("1500000.50")),
        ("1\u00a0500\u00a0000.5", Decimal("1500000.50")),
        ("1 500 000 ₽", Decimal("1500000.00")),
        ("1500000 руб.", Decimal("1500000.00")),
        ("  42 ", Decimal("42.00")),
    ],
)
def test_amounts_people_type(text, value):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,5,0", "1.234", "-5", "1e6", "15OO"])
def test_not_amounts(text):
    with pytest.raises(InvalidInput) as exc:
        parse_amount(text)
    assert exc.value.key == "not_amount"


def test_amount_bounds():
    with pytest.raises(InvalidInput) as exc:
        parse_amount("5", minimum=Decimal("10000"))
    assert exc.value.key == "amount_range"


def test_int_and_range():
    assert parse_int(" 36 ", minimum=1, maximum=120) == 36
    with pytest.raises(InvalidInput):
        parse_int("121", minimum=1, maximum=120)
    with pytest.raises(InvalidInput):
        parse_int("3.5", minimum=1, maximum=120)
    assert parse_range("12 - 60", parse_int, minimum=1, maximum=120) == (12, 60)
    assert parse_range("-", parse_int, minimum=1, maximum=120) == (None, None)
    with pytest.raises(InvalidInput):
        parse_range("60-12", parse_int, minimum=1, maximum=120)


def test_text_length():
    assert clean_text("  ok ", max_len=5) == "ok"
    with pytest.raises(InvalidInput) as exc:
        clean_text("x" * 6, max_len=5)
    assert exc.value.params == {"max_len": 5, "length": 6}


def test_phones_are_normalised_to_e164():
    assert normalize_phone("8 (900) 123-45-67", "RU") == "+79001234567"
    assert normalize_phone("+7 900 123 45 67", "RU") == "+79001234567"
    with pytest.raises(InvalidInput):
        normalize_phone("12345", "RU")


def test_files():
    check_file(file_name="offer.pdf", mime_type="application/pdf", size=1000, max_bytes=20 * 2**20)
    check_file(file_name=None, mime_type="image/jpeg", size=1000, max_bytes=20 * 2**20)
    with pytest.raises(InvalidInput) as exc:
        check_file(file_name="big.pdf", mime_type="application/pdf", size=21 * 2**20, max_bytes=20 * 2**20)
    assert exc.value.key == "file_too_large"
    with pytest.raises(InvalidInput) as exc:
        check_file(file_name="setup.exe", mime_type="application/x-msdownload", size=10, max_bytes=20 * 2**20)
    assert exc.value.key == "file_type"
    with pytest.raises(InvalidInput):
        check_file(file_name="virus.exe", mime_type="application/pdf", size=10, max_bytes=20 * 2**20)
