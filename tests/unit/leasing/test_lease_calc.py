"""The leasing calculator (seed 002, «Kalkulacje»), line by line against numpy-financial (pmt, ipmt, ppmt) as
the oracle: the instalment to the grosz, each line's interest and principal to the grosz plus what the rounded
instalment carries (that remainder, compounded, is the only difference, and the last line takes it); the principal
adds up exactly; the dates fall monthly from the start; bad terms are refused by name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import numpy_financial as npf
import pytest

from core.domain.leasing import calc as lc
from core.domain.leasing.calc import BadTerms, Calculation, Method, Share, Terms, Timing, grosz, schedule

START = date(2027, 1, 15)
CASES = [  # amount, yearly %, months, residual
    ("1350000.00", "8.5", 60, "15000.00"),  # a truck: 1.5 M net, 10 % down, 1 % wykup
    ("100000.00", "12", 12, "0.00"),
    ("250000.00", "6.99", 36, "50000.00"),
    ("99999.99", "0", 24, "0.00"),  # rate 0: the instalments are the amount split
    ("10000.00", "0", 3, "1000.00"),
    ("5000.00", "9.9", 1, "0.00"),  # n = 1
    ("5000.00", "9.9", 1, "2500.00"),
    ("3000000.00", "14.25", 120, "30000.00"),
    ("0.03", "10", 2, "0.00"),  # three grosze
]


def _drift(r: float, k: int) -> float:
    """How far the balance after k lines may stand from the exact one: each line's rounding (the instalment's,
    half a grosz, and the interest's, half a grosz) carried on at the rate."""
    return 0.01 * k if r == 0 else 0.01 * ((1 + r) ** k - 1) / r


@pytest.mark.filterwarnings("ignore:invalid value encountered in divide:RuntimeWarning")  # npf at rate 0
@pytest.mark.parametrize("timing", list(Timing))
@pytest.mark.parametrize(("amount", "rate", "months", "residual"), CASES)
def test_the_annuity_against_numpy_financial(amount, rate, months, residual, timing):
    terms = Terms(D(amount), D(rate), months, START, D(residual), timing)
    lines = schedule(terms)
    r, n, a = float(rate) / 1200, months, float(amount)
    when = "begin" if timing is Timing.ADVANCE else "end"
    fv = float(residual) * (1 + r if timing is Timing.ADVANCE else 1)  # the wykup is due with the last instalment
    pmt = npf.pmt(r, n, -a, fv, when)
    assert len(lines) == n
    balance = a
    for line in lines:
        ipmt, ppmt = float(npf.ipmt(r, line.n, n, -a, fv, when)), float(npf.ppmt(r, line.n, n, -a, fv, when))
        balance -= ppmt
        carried = _drift(r, line.n - 1)
        assert abs(float(line.interest) - ipmt) <= 0.005 + r * carried + 1e-6, (line, ipmt)
        if line.n < n:
            assert line.payment == grosz(D(repr(float(pmt)))), line  # the instalment to the grosz
            assert abs(float(line.principal) - ppmt) <= 0.01 + r * carried + 1e-6, (line, ppmt)
        else:  # the last line takes the remainder: what the balance carried
            assert abs(float(line.principal) - ppmt) <= carried + 1e-6, (line, ppmt)
            assert abs(float(line.payment) - pmt) <= 0.005 + carried * (1 + r) + 1e-6, (line, pmt)
        assert abs(float(line.balance) - balance) <= _drift(r, line.n) + 1e-6, (line, balance)
        assert line.payment == line.interest + line.principal
    # the lessor's rules, exactly: interest on the balance the line runs on, the principal adding up
    previous = D(amount)
    for line in lines:
        expected = D(0) if (line.n == 1 and timing is Timing.ADVANCE) else grosz(previous * D(rate) / 1200)
        assert line.interest == expected
        previous = line.balance
    assert sum(line.principal for line in lines) == D(amount) - D(residual)
    assert lines[-1].balance == D(residual)


def test_the_carried_remainder_of_a_common_lease_is_a_few_grosze():
    """1,350,000 zł at 8.5 % over 60 months: the numbers a client reads, and the last line's remainder."""
    lines = schedule(Terms(D("1350000.00"), D("8.5"), 60, START, D("15000.00")))
    exact = npf.pmt(0.085 / 12, 60, -1350000, 15000)
    assert lines[0].payment == D("27495.82") == grosz(D(repr(float(exact))))
    assert lines[0].interest == D("9562.50")  # 1,350,000 × 8.5 % / 12
    assert lines[0].principal == D("17933.32") and lines[0].balance == D("1332066.68")
    assert abs(lines[-1].payment - lines[0].payment) <= D("0.10")


@pytest.mark.parametrize("timing", list(Timing))
@pytest.mark.parametrize(("amount", "rate", "months", "residual"), CASES)
def test_the_decreasing_schedule(amount, rate, months, residual, timing):
    """Equal principal parts, rounded, the remainder on the last; the interest on the balance: against the exact
    arithmetic (numpy-financial has no decreasing schedule)."""
    terms = Terms(D(amount), D(rate), months, START, D(residual), timing, Method.DECREASING)
    lines = schedule(terms)
    r, n, a, rv = float(rate) / 1200, months, float(amount), float(residual)
    part = (a - rv) / n
    for line in lines:
        exact_balance_before = a - part * (line.n - 1)
        exact_interest = 0 if (line.n == 1 and timing is Timing.ADVANCE) else exact_balance_before * r
        if line.n < n:
            assert line.principal == grosz((D(amount) - D(residual)) / n)
        assert abs(float(line.interest) - exact_interest) <= 0.005 + r * 0.005 * line.n + 1e-6
        assert abs(float(line.balance) - (a - part * line.n)) <= 0.005 * line.n + 1e-6
    payments = [line.payment for line in lines[1 if timing is Timing.ADVANCE else 0:-1]]  # the first: no interest
    assert payments == sorted(payments, reverse=True)  # decreasing
    assert sum(line.principal for line in lines) == D(amount) - D(residual)
    assert lines[-1].balance == D(residual)


def test_the_dates_fall_monthly_from_the_start():
    at = [line.due for line in schedule(Terms(D(1200), D(5), 4, date(2028, 1, 31)))]
    assert at == [date(2028, 2, 29), date(2028, 3, 31), date(2028, 4, 30), date(2028, 5, 31)]  # leap year
    at = [line.due for line in schedule(Terms(D(1200), D(5), 3, date(2027, 1, 31), timing=Timing.ADVANCE))]
    assert at == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
    at = [line.due for line in schedule(Terms(D(1200), D(5), 13, date(2028, 2, 29)))]
    assert at[0] == date(2028, 3, 29) and at[11] == date(2029, 2, 28) and at[12] == date(2029, 3, 29)
    assert [line.due for line in schedule(Terms(D(100), D(5), 2, date(2027, 12, 15)))] == \
        [date(2028, 1, 15), date(2028, 2, 15)]


@pytest.mark.parametrize(("terms", "key"), [
    (Terms(D(0), D(5), 12, START), "lease_amount"),
    (Terms(D(-100), D(5), 12, START), "lease_amount"),
    (Terms(D(100), D(5), 0, START), "lease_months"),
    (Terms(D(100), D(5), -3, START), "lease_months"),
    (Terms(D(100), D(5), 601, START), "lease_months"),
    (Terms(D(100), D(-1), 12, START), "lease_rate"),
    (Terms(D(100), D(51), 12, START), "lease_rate"),
    (Terms(D(100), D(5), 12, START, D(100)), "lease_residual"),
    (Terms(D(100), D(5), 12, START, D(101)), "lease_residual"),
    (Terms(D(100), D(5), 12, START, D(-1)), "lease_residual"),
    (Terms(D("100.001"), D(5), 12, START), "lease_grosze"),
])
def test_bad_terms_are_refused_by_name(terms, key):
    with pytest.raises(BadTerms) as caught:
        schedule(terms)
    assert caught.value.key == key


def test_a_calculation_from_the_price():
    """1,500,000 zł net, 10 % down, 1 % wykup, 1 % fee, 60 months at 8.5 %: what the offer shows."""
    result = lc.calculate(Calculation(D("1500000.00"), 60, D("8.5"), START, advance=Share(D(10)),
                                      residual=Share(D(1)), fee=Share(D(1))))
    assert (result.advance, result.fee, result.financed, result.residual) == \
        (D("150000.00"), D("15000.00"), D("1350000.00"), D("15000.00"))
    assert result.lines[0].payment == D("27495.82")
    assert result.gross(result.lines[0].payment) == D("33819.86")  # VAT 23 % on the instalment
    assert result.instalments == sum(line.payment for line in result.lines)
    assert result.total == D("150000.00") + D("15000.00") + result.instalments + D("15000.00")
    assert result.cost_pct == grosz(result.total * 100 / D("1500000.00"))
    money = lc.calculate(Calculation(D("200000.00"), 24, D(7), START, advance=Share(D("30000.00"), percent=False)))
    assert money.financed == D("170000.00")


@pytest.mark.parametrize(("calc", "key"), [
    (Calculation(D(1000), 12, D(5), START, advance=Share(D(100))), "lease_advance"),
    (Calculation(D(1000), 12, D(5), START, advance=Share(D(1000), percent=False)), "lease_advance"),
    (Calculation(D(1000), 12, D(5), START, advance=Share(D(50)), residual=Share(D(50))), "lease_residual"),
    (Calculation(D(1000), 12, D(5), START, vat=D(22)), "lease_vat"),
    (Calculation(D(1000), 12, D(5), START, fee=Share(D(-1))), "lease_share"),
    (Calculation(D(0), 12, D(5), START), "lease_amount"),
])
def test_bad_calculations_are_refused_by_name(calc, key):
    with pytest.raises(BadTerms) as caught:
        lc.calculate(calc)
    assert caught.value.key == key
