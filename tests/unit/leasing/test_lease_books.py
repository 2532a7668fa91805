"""The running contract's rules (seed 002, Rozliczanie): the order a payment pays in, late interest (a rate change,
a leap year, a suspension, a payment in parts, the table's gap), the dunning table, the final settlement, what a
person types as a receipt, and a bank statement read as MT940 or CSV."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.domain.kernel.errors import InvalidInput
from core.domain.leasing import bank_statement
from core.domain.leasing import books as b
from core.domain.leasing.books import ChargeKind as K
from core.domain.leasing.books import Late, Owed, Rate

D = Decimal


def test_a_payment_pays_interest_first_then_the_oldest_charge():
    owed = [Owed(3, K.INSTALMENT, date(2027, 3, 5), D("1230.00")),
            Owed(1, K.INSTALMENT, date(2027, 2, 5), D("1230.00")),
            Owed(7, K.INTEREST, date(2027, 3, 31), D("12.34")), Owed(9, K.REFUND, date(2027, 3, 31), D("5.00")),
            Owed(2, K.FEE, date(2027, 2, 5), D("100.00"))]
    parts, left = b.allocate(owed, D("1300.00"))
    # interest (art. 451 KC), then the oldest: the February instalment, then the fee booked after it the same day
    assert parts == [(7, D("12.34")), (1, D("1230.00")), (2, D("57.66"))]
    assert left == 0
    parts, left = b.allocate(owed, D("5000.00"))
    assert [p for p, _ in parts] == [7, 1, 2, 3] and left == D("5000.00") - D("2572.34")  # the rest stays as credit
    assert b.allocate([], D("10.00")) == ([], D("10.00"))  # a payment before any charge: all credit


def test_late_interest_from_the_day_after_the_due_date_to_the_day_paid():
    rates = (Rate(date(2024, 1, 1), D("15.75")),)
    # 1000 due 10 March, paid 9 April: 30 days (11 March … 9 April) at 15.75 % / 365
    item = Late(date(2027, 3, 10), D("1000"), ((date(2027, 4, 9), D("1000")),))
    assert b.grosz(b.late_interest([item], rates, date(2027, 12, 31))) == D("12.95")  # 1000 × 0.1575 × 30 / 365
    assert b.late_interest([Late(date(2027, 3, 10), D("1000"), ((date(2027, 3, 10), D("1000")),))], rates,
                           date(2027, 12, 31)) == 0  # paid on the day: nothing
    # as of a day before the payment: only the days until then
    assert b.grosz(b.late_interest([item], rates, date(2027, 3, 20))) == b.grosz(D("1000") * D("0.1575") * 10 / 365)


def test_a_payment_in_parts_lowers_the_late_amount_from_the_next_day():
    rates = (Rate(date(2024, 1, 1), D("10")),)
    item = Late(date(2027, 1, 1), D("730"), ((date(2027, 1, 11), D("365")), (date(2027, 1, 21), D("365"))))
    # 730 for 10 days, then 365 for 10 days: (7300 + 3650) × 0.10 / 365
    assert b.late_interest([item], rates, date(2027, 6, 1)) == D("3.00")


def test_a_rate_change_splits_the_period_and_a_leap_year_counts_29_february():
    rates = (Rate(date(2027, 12, 1), D("10")), Rate(date(2028, 2, 1), D("20")))
    item = Late(date(2028, 1, 21), D("3650"))  # late from 22 January
    # 22–31 January: 10 days at 10 %; 1–29 February 2028: 29 days at 20 % (a leap year, still / 365)
    assert b.late_interest([item], rates, date(2028, 2, 29)) == D("3650") * (D("0.10") * 10 + D("0.20") * 29) / 365
    assert b.grosz(b.late_interest([item], rates, date(2028, 2, 29))) == D("68.00")


def test_a_suspension_days_bear_no_interest():
    rates = (Rate(date(2024, 1, 1), D("36.5")),)  # 0.1 % a day
    item = Late(date(2027, 1, 1), D("1000"))
    # late 2 … 31 January (30 days), suspended 11 … 20 January (resumed on the 21st): 20 days
    paused = [(date(2027, 1, 11), date(2027, 1, 20))]
    assert b.late_interest([item], rates, date(2027, 1, 31), paused) == D("20")


def test_a_gap_in_the_rate_table_is_named_and_the_table_is_checked():
    with pytest.raises(b.RateGap) as caught:
        b.late_interest([Late(date(2022, 12, 1), D("100"))], b.STATUTORY, date(2023, 2, 1))
    assert caught.value.params == {"day": date(2022, 12, 2)}  # a fact; the bot writes it «02.12.2022»
    assert b.parse_rates("2025-07-01; 15,25\n2026-01-01 14.75 %") == (Rate(date(2025, 7, 1), D("15.25")),
                                                                       Rate(date(2026, 1, 1), D("14.75")))
    for text, key in (("2026-01-01; 10\n2025-01-01; 11", "lease_rates_order"), ("1.1.2025; 10", "lease_rates_format"),
                      ("2025-02-30; 10", "lease_rates_format"), ("2025-01-01; 101", "lease_rates_format"),
                      ("", "lease_rates_format")):
        with pytest.raises(InvalidInput) as caught:
            b.parse_rates(text)
        assert caught.value.key == key


def test_interest_posted_is_what_grew_and_a_backdated_receipt_credits_the_difference():
    assert b.interest_to_post(D("12.345"), D("10.00")) == D("2.35")
    assert b.interest_to_post(D("8.001"), D("10.00")) == D("-2.00")  # credited back


def test_the_dunning_table():
    levels = b.parse_levels("3; Przypomnienie\n14; Wezwanie do zapłaty\n30; Ostateczne wezwanie")
    assert [b.level_due(d, levels) for d in (2, 3, 13, 14, 45)] == [None, levels[0], levels[0], levels[1], levels[2]]
    assert b.levels_text(levels).splitlines()[1] == "14; Wezwanie do zapłaty"
    for text in ("14; A\n3; B", "0; A", "x; A", "3;", "400; A"):
        with pytest.raises(InvalidInput):
            b.parse_levels(text)


def test_the_final_settlement():
    charges = [(K.INSTALMENT, D("1230.00")), (K.RESIDUAL, D("123.00")), (K.INTEREST, D("4.10"))]
    open_ = b.settlement(charges, [(b.ReceiptKind.PAYMENT, D("1300.00"))], 0)
    assert (open_.balance, open_.settled) == (D("57.10"), False)
    done = b.settlement(charges, [(b.ReceiptKind.PAYMENT, D("1300.00")), (b.ReceiptKind.CREDIT, D("57.10"))], 0)
    assert (done.total_charged, done.balance, done.settled) == (D("1357.10"), 0, True)
    assert not b.settlement(charges, [(b.ReceiptKind.PAYMENT, D("1357.10"))], 1).settled  # a line still to charge


def test_a_receipt_as_typed():
    today = date(2027, 2, 1)
    assert b.parse_receipt("1 230,00 15.01.2027", today) == (D("1230.00"), date(2027, 1, 15), None)
    assert b.parse_receipt("1230 PLN 2027-01-15", today) == (D("1230.00"), date(2027, 1, 15), "PLN")
    assert b.parse_receipt("99,99 zł", today) == (D("99.99"), today, "PLN")
    for text, key in (("0", "lease_amount_positive"), ("-5", "lease_amount_positive"), ("1,005", "not_amount"),
                      ("100 02.02.2027", "lease_paid_in_future"), ("", "lease_receipt_format"),
                      ("100 31.02.2027", "lease_date_format")):
        with pytest.raises(InvalidInput) as caught:
            b.parse_receipt(text, today)
        assert caught.value.key == key
    with pytest.raises(b.MoneyRefused):
        b.check_currency("EUR", "PLN")


MT940 = b""":20:STMT2701
:25:PL61109010140000071219812874
:28C:00001/001
:60F:C270101PLN1000,00
:61:2701150115C1230,00NTRFNONREF//BR270115001
:86:Umowa 12-1 rata 1 ALFA SP Z O O
:61:2701160116D50,00NTRFNONREF//BR270116002
:86:Oplata bankowa
:62F:C270116PLN2180,00
-
"""


def test_a_statement_in_mt940_and_in_csv():
    lines = bank_statement.parse(MT940)
    assert [(x.paid_on, x.amount, x.currency, x.bank_ref) for x in lines] == [
        (date(2027, 1, 15), D("1230.00"), "PLN", "BR270115001"), (date(2027, 1, 16), D("-50.00"), "PLN", "BR270116002")]
    assert bank_statement.contract_of(lines[0].title) == 12
    csv_text = ("Data;Kwota;Waluta;Tytuł\n2027-01-15;1 230,00;PLN;Umowa 12-1 rata 1\n"
                "15.01.2027;1230,00;PLN;Umowa 12-1 rata 1\n")
    rows = bank_statement.parse(csv_text.encode("cp1250"))
    assert [(x.paid_on, x.amount) for x in rows] == [(date(2027, 1, 15), D("1230.00"))] * 2
    keys = [k for _, k in bank_statement.keyed(rows)]
    assert keys[0] != keys[1]  # twins in one file are two payments
    assert keys[0] == bank_statement.keyed(rows[:1])[0][1]  # and the same line in another file is the same one
    assert bank_statement.contract_of("zapłata za fakturę 2027/5") is None
    for content in (b"just text", b"Data;Kwota\n2027-13-01;5\n", b"Data;Kwota\n2027-01-01;1,001\n"):
        with pytest.raises(InvalidInput):
            bank_statement.parse(content)


# --- issue 29: the statement's references, a backdated receipt's interest, dunning days less suspensions ---------

@pytest.mark.parametrize(("title", "expected"), [
    ("Rata 1-12 umowa 55-1", 55), ("umowy nr 55-1 rata 3-4", 55), ("Rata 1-12 55-1", 55), ("55-1", 55),
    ("FV/2027/000001 umowa 7-2", 7), ("UL 55/1 raty 1-2", 55), ("Umowa leasingu nr 55-1", 55),
    ("Rata 1-12", None), ("raty 3-4 za 01-2027", None), ("przelew 2027-01-15", None), ("12-1 i 13-1", None),
    # the contract's number as the contract and its fakturas print it (the case's), after a word naming a contract
    ("Umowa 55 rata 3", 55), ("Umowa leasingu nr 55, FV/2027/000001", 55), ("UL 55.", 55), ("rata 55", None),
    ("55", None), ("umowa 12,50 zł", None),
])
def test_a_reference_never_misread(title, expected):
    assert bank_statement.contract_of(title) == expected


def test_two_bare_numbers_that_both_exist_tell_nothing():
    refs = bank_statement.references("12-1 13-1")
    assert bank_statement.pick(refs, lambda case, version: True) is None
    assert bank_statement.pick(refs, lambda case, version: case == 13).case == 13
    assert bank_statement.pick(bank_statement.references("Rata 1-12 umowa 55-1"), lambda case, version: True).case == 55


def test_a_backdated_receipt_pays_only_the_interest_grown_by_its_day_first():
    owed = [Owed(1, K.INTEREST, date(2027, 1, 31), Decimal("28.03")),
            Owed(2, K.INSTALMENT, date(2026, 12, 23), Decimal("627.30")),
            Owed(3, K.INSTALMENT, date(2027, 1, 23), Decimal("1230.00"))]
    assert b.allocate(owed, Decimal("632.32"), Decimal("5.02")) == (
        [(1, Decimal("5.02")), (2, Decimal("627.30"))], Decimal("0.00"))
    assert b.allocate(owed, Decimal("632.32")) == ([(1, Decimal("28.03")), (2, Decimal("604.29"))], 0)
    parts, left = b.allocate(owed, Decimal("2000"), Decimal("5.02"))  # enough for all: the rest of it last
    assert parts == [(1, Decimal("28.03")), (2, Decimal("627.30")), (3, Decimal("1230.00"))]
    assert left == Decimal("114.67")


def test_dunning_days_leave_out_the_suspended_days():
    due, day = date(2026, 12, 23), date(2027, 3, 1)
    assert b.days_overdue(due, day) == 68
    paused = [(date(2027, 1, 1), date(2027, 1, 31))]  # suspended 1 January, resumed 1 February
    assert b.days_overdue(due, day, paused) == 37
    assert b.days_overdue(due, day, [(date(2026, 12, 1), date.max)]) == 0  # suspended since before it was due


# --- when a line's faktura is issued (LEASE_INVOICE_DAYS) ---------------------------------------------------------

START = date(2026, 11, 23)  # the handover: the contract's start


@pytest.mark.parametrize(("kind", "due", "lead", "issued"), [
    (K.INSTALMENT, date(2026, 12, 23), 14, date(2026, 12, 9)),  # 14 days ahead
    (K.INSTALMENT, date(2026, 12, 23), 0, date(2026, 12, 23)),  # 0: on the due date, as before
    (K.INSTALMENT, date(2026, 12, 23), 30, START),  # 30 days ahead is the start itself
    (K.INSTALMENT, date(2027, 3, 23), 60, date(2027, 1, 22)),  # the most the VAT act allows (art. 106i ust. 7)
    (K.INSTALMENT, date(2026, 12, 1), 14, START),  # never before the contract's start
    (K.INSTALMENT, START, 14, START),  # an instalment due at the start (in advance): on the day
    (K.INSTALMENT, date(2027, 3, 10), 14, date(2027, 2, 24)),  # across a February
    (K.RESIDUAL, date(2027, 11, 23), 14, date(2027, 11, 23)),  # the wykup: a sale of the object, on its day
    (K.TERMINATION, date(2027, 5, 5), 14, date(2027, 5, 5)),
])
def test_an_instalments_faktura_is_issued_ahead_never_before_the_start(kind, due, lead, issued):
    assert b.invoice_day(kind, due, lead, START) == issued


@pytest.mark.parametrize("lead", [0, 1, 14, 30, 60])
def test_the_scans_horizon_charges_a_line_exactly_on_its_invoice_day(lead):
    """A running contract (its start past): a line is charged by ``day`` exactly when its invoice day has come."""
    for kind in (K.INSTALMENT, K.RESIDUAL):
        for offset in range(0, 70):
            due = START + timedelta(days=offset)
            for day in (START + timedelta(days=d) for d in range(0, 70, 3)):
                assert (due <= b.invoiced_through(kind, day, lead)) == (b.invoice_day(kind, due, lead, START) <= day)
