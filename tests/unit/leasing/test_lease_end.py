"""The contract's end and the identity check as pure rules (core.domain.leasing.ending, the case's table): the
settlement of an early termination checked against numpy-financial, the typed lines, the identity check's three
results, the new moves and who makes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy_financial as npf
import pytest

from core.domain.kernel.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from core.domain.leasing import calc, ending
from core.domain.leasing.calc import Share
from core.domain.leasing.case import Actor, LeaseStatus, check_transition
from core.domain.leasing.ending import IdentityResult

D = Decimal
S, A = LeaseStatus, Actor


@pytest.mark.parametrize(("amount", "rate", "months", "residual", "paid", "day_in"), [
    ("100000.00", "12", 12, "10000.00", 4, 15), ("250000.00", "7.5", 60, "2500.00", 30, 1),
    ("5000000.00", "6.5", 240, "50000.00", 100, 20), ("80000.00", "0", 24, "0.00", 10, 10)])
def test_the_termination_settlement_against_numpy_financial(amount, rate, months, residual, paid, day_in):
    terms = calc.Terms(D(amount), D(rate), months, date(2027, 1, 10), D(residual))
    lines = calc.schedule(terms)
    since = lines[paid - 1].due
    left = [ending.Left(x.due, x.interest, x.principal) for x in lines[paid:]]
    if D(residual):  # the wykup is a line of its own, with the last instalment (as the launch writes the schedule)
        left.append(ending.Left(lines[-1].due, D(0), D(residual)))
    day = date.fromordinal(since.toordinal() + day_in)
    t = ending.termination(left, since, day, Share(D(2)))
    r = float(rate) / 1200
    pmt = float(lines[0].payment)  # the rounded instalment the schedule charges
    balance = npf.fv(r, paid, pmt, -float(amount)) if r else float(amount) - pmt * paid
    assert abs(float(t.principal) - balance) < 0.01 * paid + 0.01  # the rounding of each line, at most
    period = (lines[paid].due - since).days
    nxt = -npf.ipmt(r, paid + 1, months, float(amount), -float(residual)) if r else 0
    assert abs(float(t.interest) - nxt * day_in / period) < 0.02
    assert t.fee == calc.grosz(t.principal * 2 / 100)
    assert t.net == t.principal + t.interest + t.fee and t.lines == months - paid + (1 if D(residual) else 0)


def test_the_interest_stops_at_the_next_line_and_a_day_before_counts_none():
    left = [ending.Left(date(2027, 2, 10), D("100.00"), D("1000.00"))]
    assert ending.termination(left, date(2027, 1, 10), date(2027, 1, 5), Share(D(0))).interest == 0
    assert ending.termination(left, date(2027, 1, 10), date(2027, 3, 1), Share(D(0))).interest == D("100.00")
    with pytest.raises(Conflict):
        ending.termination([], date(2027, 1, 10), date(2027, 1, 20), Share(D(0)))


@pytest.mark.parametrize(("text", "day", "fee"), [
    ("dziś; 2%", date(2027, 4, 7), Share(D(2))), ("07.03.2027; 1 500,00", date(2027, 3, 7), Share(D(1500), False)),
    ("today", date(2027, 4, 7), Share(D(0), False)), ("2027-04-01;2,5 %", date(2027, 4, 1), Share(D("2.5")))])
def test_a_termination_as_typed(text, day, fee):
    assert ending.parse_termination(text, date(2027, 4, 7)) == (day, fee)


@pytest.mark.parametrize(("text", "key"), [("08.04.2027; 2%", "lease_end_future"), ("dziś; 150%", "lease_end_format"),
                                           ("dziś; dwa", "lease_end_format"), ("wczoraj", "lease_date_format")])
def test_a_termination_typed_wrong(text, key):
    with pytest.raises(InvalidInput) as caught:
        ending.parse_termination(text, date(2027, 4, 7))
    assert caught.value.key == key


def test_a_return_as_typed():
    assert ending.parse_return("dziś; stan dobry", date(2027, 4, 7)) == (date(2027, 4, 7), "stan dobry")
    with pytest.raises(InvalidInput):
        ending.parse_return("dziś", date(2027, 4, 7))  # the state is what the protocol records


IBAN = "PL61109010140000071219812874"


@pytest.mark.parametrize(("client", "iban", "payer", "payer_iban", "result", "reasons"), [
    ("Alfa sp. z o.o.", IBAN, "ALFA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", IBAN, "passed", ()),
    ("Jan Kowalski", IBAN, "KOWALSKI JAN", "PL61 1090 1014 0000 0712 1981 2874", "passed", ()),
    ("Łukasz Żółć", IBAN, "lukasz zolc", IBAN, "passed", ()),
    ("Alfa S.A.", IBAN, "ALFA SPOLKA AKCYJNA", IBAN, "passed", ()),
    ("Alfa sp. z o.o.", IBAN, "Alfa sp. z o.o.", "DE89370400440532013000", "failed", ("account",)),
    ("Alfa sp. z o.o.", IBAN, "Beta sp. z o.o.", IBAN, "needs_person", ("name",)),
    ("Alfa sp. z o.o.", IBAN, None, IBAN, "needs_person", ("no_name",)),
    ("Alfa sp. z o.o.", None, "Alfa sp. z o.o.", IBAN, "needs_person", ("no_account",))])
def test_the_identity_check(client, iban, payer, payer_iban, result, reasons):
    found = ending.check_identity(client_name=client, client_iban=iban, payer_name=payer, payer_iban=payer_iban)
    assert (found.result, found.reasons) == (IdentityResult(result), reasons)


@pytest.mark.parametrize(("current", "target", "actors", "ok"), [
    (S.ACTIVE, S.TERMINATED, {A.BACK_OFFICE}, True), (S.SUSPENDED, S.TERMINATED, {A.ADMIN}, True),
    (S.ACTIVE, S.TERMINATED, {A.SALES}, False), (S.ACTIVE, S.TERMINATED, {A.COLLECTIONS}, False),
    (S.TERMINATED, S.RETURNED, {A.BACK_OFFICE}, True), (S.TERMINATED, S.CLOSED, {A.SYSTEM}, True),
    (S.TERMINATED, S.CLOSED, {A.BACK_OFFICE}, False), (S.RETURNED, S.CLOSED, {A.SYSTEM}, True),
    (S.ACTIVE, S.RETURNED, {A.BACK_OFFICE}, None), (S.CLOSED, S.TERMINATED, {A.BACK_OFFICE}, None),
    (S.TERMINATED, S.CANCELLED, {A.ADMIN}, None)])
def test_the_ends_in_the_table(current, target, actors, ok):
    if ok:
        check_transition(current, target, actors)
        return
    with pytest.raises(Forbidden if ok is False else IllegalTransition):
        check_transition(current, target, actors)
