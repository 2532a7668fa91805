"""A Polish client's and vendor's identifiers (seed 002, «Rejestracja Klienta i Sprzedawcy»): taken in the forms
people type them, stored compact, refused by name when a check digit or the shape is wrong."""

from __future__ import annotations

from datetime import date

import pytest

from core.domain.kernel.errors import InvalidInput
from core.domain.leasing import pl_ids


@pytest.mark.parametrize(("check", "typed", "stored"), [
    (pl_ids.check_nip, "PL 856-734-62-15", "8567346215"),
    (pl_ids.check_nip, "8567346215", "8567346215"),
    (pl_ids.check_regon, "192598184", "192598184"),
    (pl_ids.check_regon, "12345678512347", "12345678512347"),
    (pl_ids.check_pesel, "44051401359", "44051401359"),
    (pl_ids.check_krs, "0000123456", "0000123456"),
    (pl_ids.check_krs, "KRS 123456", "0000123456"),
    (pl_ids.check_account, "PL61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"),
    (pl_ids.check_account, "61 1090 1014 0000 0712 1981 2874", "PL61109010140000071219812874"),  # an NRB
    (pl_ids.check_account, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
])
def test_taken_and_stored_compact(check, typed, stored):
    assert check(typed) == stored


@pytest.mark.parametrize(("check", "typed", "key"), [
    (pl_ids.check_nip, "8567346216", "bad_nip"),  # the check digit
    (pl_ids.check_nip, "856734621", "bad_nip"),
    (pl_ids.check_nip, "", "bad_nip"),
    (pl_ids.check_regon, "192598185", "bad_regon"),
    (pl_ids.check_pesel, "44051401358", "bad_pesel"),  # the check digit
    (pl_ids.check_pesel, "44053201350", "bad_pesel"),  # 32 May
    (pl_ids.check_krs, "12345678901", "bad_krs"),
    (pl_ids.check_krs, "0000000000", "bad_krs"),
    (pl_ids.check_krs, "KRS12A", "bad_krs"),
    (pl_ids.check_account, "PL61 1090 1014 0000 0712 1981 2875", "bad_iban"),
    (pl_ids.check_account, "61109010140000071219812875", "bad_iban"),
    (pl_ids.check_account, "not an account", "bad_iban"),
])
def test_refused_by_name(check, typed, key):
    with pytest.raises(InvalidInput) as caught:
        check(typed)
    assert caught.value.key == key and caught.value.params["value"] == typed.strip()


def test_a_pesel_knows_its_birth_date():
    assert pl_ids.birth_date("44051401359") == date(1944, 5, 14)
