from decimal import Decimal

import pytest

from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import (
    check_content,
    check_file,
    clean_text,
    normalize_phone,
    parse_amount,
    parse_int,
    parse_range,
)


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


def test_a_polish_deployment_takes_phones_without_the_code():
    """PHONE_REGION=PL (seed 002's lessor): «600 123 456» is a Polish mobile; a Russian one needs its +7."""
    assert normalize_phone("600 123 456", "PL") == "+48600123456"
    assert normalize_phone("+48 22 123 45 67", "PL") == "+48221234567"
    assert normalize_phone("+7 900 123 45 67", "PL") == "+79001234567"
    with pytest.raises(InvalidInput):
        normalize_phone("8 (900) 123-45-67", "PL")  # a Russian trunk prefix means nothing in Poland


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


@pytest.mark.parametrize(("name", "head", "kind"), [
    ("a.pdf", b"%PDF-1.7\n", "pdf"),
    ("a.docx", b"PK\x03\x04\x14\x00", "zip"),
    ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "ole"),
    ("a.jpg", b"\xff\xd8\xff\xe0", "jpeg"),
    ("a.png", b"\x89PNG\r\n\x1a\n", "png"),
    ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
    ("a.txt", "Привет, мир".encode("cp1251"), "text"),
    ("a.txt", "Привет".encode()[:-1], "text"),  # a letter cut by the sample's end
    ("a.csv", b"phone;name\n+79001234567;Ivan\n", "text"),
])
def test_a_file_whose_content_matches_its_name_is_accepted(name, head, kind):
    assert check_content(file_name=name, mime_type=None, head=head) == kind


@pytest.mark.parametrize("head", [b"MZ\x90\x00", b"\x7fELF\x02\x01", b"\xcf\xfa\xed\xfe", b"#!/bin/sh\n"])
def test_a_program_is_refused_whatever_its_name(head):
    with pytest.raises(InvalidInput) as err:
        check_content(file_name="договор.pdf", mime_type="application/pdf", head=head)
    assert err.value.key == "file_executable"


@pytest.mark.parametrize(("name", "mime", "head"), [
    ("a.pdf", None, b"PK\x03\x04"), ("a.docx", None, b"%PDF-1.4"), ("a.txt", None, b"\x00\x01\x02\x03"),
    (None, "application/pdf", b"\x89PNG\r\n\x1a\n"), ("a.unknown", None, b"%PDF-1.4"),
])
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(name, mime, head):
    with pytest.raises(InvalidInput) as err:
        check_content(file_name=name, mime_type=mime, head=head)
    assert err.value.key == "file_content"


def test_a_refused_phone_shows_an_example_of_the_deployments_region():
    """PHONE_REGION=GB: a London office is shown a British number, never the Russian example."""
    with pytest.raises(InvalidInput) as exc:
        normalize_phone("12", "GB")
    assert exc.value.params == {"example": "+44 7400 123456"}
    assert normalize_phone("+44 7911 123456", "GB") == "+447911123456"
    with pytest.raises(InvalidInput) as exc:
        normalize_phone("12", "PL")
    assert exc.value.params == {"example": "+48 512 345 678"}


def test_a_british_office_takes_ofcoms_drama_numbers_and_phones_read_in_the_international_form():
    """«+44 7700 900123» (Ofcom keeps 07700 900xxx for drama and training: phonenumbers calls it invalid) is taken
    wherever the office is; a stored phone is shown as people write it."""
    from core.domain.kernel.inputs import display_phone

    assert normalize_phone("+44 7700 900123", "GB") == "+447700900123"
    assert normalize_phone("07700 900123", "GB") == "+447700900123"
    assert normalize_phone("+44 7700 900123", "RU") == "+447700900123"
    with pytest.raises(InvalidInput):
        normalize_phone("+44 7700 9001234", "GB")  # a digit too many: still refused
    assert display_phone("+447700900123") == "+44 7700 900123"
    assert display_phone("+79001112233") == "+7 900 111-22-33"
    assert display_phone("+48600123456") == "+48 600 123 456"


def test_the_crms_money_is_the_deployments_currency_written_as_each_reader_writes_it():
    """CURRENCY (the composition root hands it over): RUB keeps today's «12 500 ₽»; GBP reads «£12,500.00» in
    English and «12 500,00 £» in Russian; a leasing sum keeps its own currency; «£12500» is typed as an amount."""
    from core.domain.kernel import preferences
    from core.formats import Formats

    assert Formats("ru").money(Decimal("12500")) == "12\xa0500 ₽"
    preferences.use_defaults("en", "Europe/London", "GBP")
    assert (Formats("en").money(Decimal("12500")), Formats("ru").money(Decimal("12500"))) == (
        "£12,500.00", "12\xa0500,00\xa0£")
    assert (Formats("en").currency_sign(), Formats("pl").money(Decimal("10"), "PLN")) == ("£", "10,00\xa0zł")
    assert Formats("en").money(Decimal("13200"), "PLN") == "13,200.00\xa0PLN"
    assert parse_amount("£12500") == parse_amount("12500 GBP") == Decimal("12500.00")
    with pytest.raises(ValueError):
        preferences.use_defaults("en", "Europe/London", "pounds")
