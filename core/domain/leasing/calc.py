"""Leasing calculations (seed 002, «Ofertowanie → Kalkulacje»): the financed amount from the price, the advance
and the fees, and the instalment schedule.

The schedule is the lessor's: one instalment amount rounded half-up to the grosz for every line but the last
(annuity), or one principal part (decreasing); the interest of a line is the balance it runs on times the monthly
rate (the yearly nominal rate / 12), rounded half-up; the last line takes what the rounding left, so the principal
adds up exactly to the financed amount less the residual, and the balance after the last line is the residual.

Timing: in arrears, the first instalment falls a month after the start and pays that month's interest; in advance,
the first falls on the start date and carries no interest. The residual (wykup) is due with the last instalment,
on its date. Dates go monthly from the start, each counted from the start (31 January → 28/29 February → 31
March), never from the previous line. Everything is ``Decimal``; no function reads the clock."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import parse_amount, parse_int

GROSZ = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)
#: the longest term a calculation takes unless the settings say otherwise (LEASE_MAX_MONTHS): real-estate leasing runs
#: 15 to 20 years
DEFAULT_MAX_MONTHS = 240
#: the longest a setting may allow (and what a stored offer is checked against when it is calculated again: an offer
#: made under a longer setting stays readable after the setting is lowered)
MAX_MONTHS = 600
MAX_RATE = Decimal(50)  # % a year: above it a rate is a typing error, not a lease
MAX_AMOUNT = Decimal("1000000000")  # a billion in the contract's currency
DEFAULT_VAT = Decimal(23)  # Poland's standard rate
VAT_RATES = (Decimal(23), Decimal(8), Decimal(5), ZERO)


class Method(StrEnum):
    ANNUITY = "annuity"  # equal instalments
    DECREASING = "decreasing"  # equal principal parts, the interest falling with the balance


class Timing(StrEnum):
    ARREARS = "arrears"  # z dołu
    ADVANCE = "advance"  # z góry


class BadTerms(InvalidInput):
    """A calculation that cannot be made; ``key`` names which figure and ``params`` its bounds."""


def grosz(value: Decimal) -> Decimal:
    return value.quantize(GROSZ, rounding=ROUND_HALF_UP)


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole months, the day kept or, in a shorter month, its last day."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Terms:
    amount: Decimal  # the financed amount: what the balance starts from
    rate: Decimal  # yearly nominal, in percent
    months: int
    start: date
    residual: Decimal = ZERO  # wykup: the balance left after the last instalment, due with it
    timing: Timing = Timing.ARREARS
    method: Method = Method.ANNUITY

    @property
    def monthly(self) -> Decimal:
        return self.rate / 1200


@dataclass(frozen=True)
class Line:
    n: int
    due: date
    payment: Decimal
    interest: Decimal
    principal: Decimal
    balance: Decimal  # after this line


def check(terms: Terms) -> None:
    if not ZERO < terms.amount <= MAX_AMOUNT:
        raise BadTerms("lease_amount", max=MAX_AMOUNT)
    if not 1 <= terms.months <= MAX_MONTHS:
        raise BadTerms("lease_months", max=MAX_MONTHS)
    if not ZERO <= terms.rate <= MAX_RATE:
        raise BadTerms("lease_rate", max=MAX_RATE)
    if not ZERO <= terms.residual < terms.amount:
        raise BadTerms("lease_residual")
    for value in (terms.amount, terms.residual):
        if value != grosz(value):
            raise BadTerms("lease_grosze")


def instalment(terms: Terms) -> Decimal:
    """The annuity's instalment before rounding, such that the balance after the last one is the residual."""
    with localcontext() as ctx:
        ctx.prec = 40
        r, n, a, rv = terms.monthly, terms.months, terms.amount, terms.residual
        if r == 0:
            return (a - rv) / n
        growth = (1 + r) ** n
        if terms.timing is Timing.ARREARS:
            return (a * growth - rv) * r / (growth - 1)
        # in advance: n payments at the start of months 1..n, the residual with the last one
        return (a * growth - rv * (1 + r)) * r / ((growth - 1) * (1 + r))


def schedule(terms: Terms) -> tuple[Line, ...]:
    check(terms)
    r, n = terms.monthly, terms.months
    first = 0 if terms.timing is Timing.ADVANCE else 1
    annuity = terms.method is Method.ANNUITY
    level = grosz(instalment(terms) if annuity else (terms.amount - terms.residual) / n)
    balance, lines = terms.amount, []
    for k in range(1, n + 1):
        interest = grosz(ZERO if (k == 1 and terms.timing is Timing.ADVANCE) else balance * r)
        if k == n:
            principal = balance - terms.residual
        elif annuity:
            principal = level - interest
        else:
            principal = level
        balance -= principal
        lines.append(Line(k, add_months(terms.start, k - 1 + first), interest + principal, interest, principal,
                          balance))
    return tuple(lines)


# --- the calculation: price, VAT, advance, fees --------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """An amount given as a percentage of a base or as money."""

    value: Decimal
    percent: bool = True

    def of(self, base: Decimal) -> Decimal:
        return grosz(base * self.value / HUNDRED) if self.percent else self.value


@dataclass(frozen=True)
class Calculation:
    price: Decimal  # net
    months: int
    rate: Decimal
    start: date
    advance: Share = Share(ZERO)  # opłata wstępna, of the net price
    residual: Share = Share(ZERO)  # wykup, of the net price
    fee: Share = Share(ZERO)  # opłata administracyjna (manipulacyjna), of the net price
    vat: Decimal = DEFAULT_VAT
    timing: Timing = Timing.ARREARS
    method: Method = Method.ANNUITY


@dataclass(frozen=True)
class Result:
    calc: Calculation
    advance: Decimal
    fee: Decimal
    financed: Decimal
    residual: Decimal
    lines: tuple[Line, ...]

    def gross(self, net: Decimal) -> Decimal:
        """With VAT at the calculation's rate (VAT is charged on each instalment, the advance, the fee, the wykup)."""
        return grosz(net * (1 + self.calc.vat / HUNDRED))

    @property
    def instalments(self) -> Decimal:
        return sum((line.payment for line in self.lines), ZERO)

    @property
    def interest(self) -> Decimal:
        return sum((line.interest for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        """Everything the client pays, net: advance, fee, instalments, wykup."""
        return self.advance + self.fee + self.instalments + self.residual

    @property
    def cost_pct(self) -> Decimal:
        """What the lease costs over the price, in percent of the price (the «suma opłat» a lessor quotes)."""
        return grosz(self.total * HUNDRED / self.calc.price)


def calculate(calc: Calculation) -> Result:
    if not ZERO < calc.price <= MAX_AMOUNT or calc.price != grosz(calc.price):
        raise BadTerms("lease_amount", max=MAX_AMOUNT)
    if calc.vat not in VAT_RATES:
        raise BadTerms("lease_vat", rates=", ".join(f"{v}%" for v in VAT_RATES))
    for share in (calc.advance, calc.residual, calc.fee):
        if share.value < 0 or share.value != grosz(share.value):
            raise BadTerms("lease_share")
    advance, residual, fee = calc.advance.of(calc.price), calc.residual.of(calc.price), calc.fee.of(calc.price)
    if advance >= calc.price:
        raise BadTerms("lease_advance")
    if fee >= calc.price:
        raise BadTerms("lease_fee")
    financed = calc.price - advance
    if residual >= financed:
        raise BadTerms("lease_residual")
    lines = schedule(Terms(financed, calc.rate, calc.months, calc.start, residual, calc.timing, calc.method))
    return Result(calc, advance, fee, financed, residual, lines)


# --- a calculation as a person types it ------------------------------------------------------------------------

def _share(text: str) -> Share:
    text = text.strip()
    if text.endswith("%"):
        return Share(_percent(text[:-1]))
    return Share(parse_amount(text), percent=False)


def _percent(text: str, maximum: Decimal = HUNDRED, key: str = "lease_share") -> Decimal:
    """«8,5», «8.5» or «8,5%»: at most two places, up to ``maximum``."""
    try:
        return parse_amount(text.strip().rstrip("%"), maximum=maximum)
    except InvalidInput as exc:
        if exc.key == "amount_range":
            raise BadTerms(key, max=maximum) from exc
        raise


def parse(text: str, start: date, *, method: Method = Method.ANNUITY, timing: Timing = Timing.ARREARS,
          max_months: int = DEFAULT_MAX_MONTHS) -> Calculation:
    """«1 500 000; 10%; 60; 8,5; 1%» with an optional sixth part, the fee: the net price; the advance and the
    wykup as a percentage of the price or as money; the term in months (up to ``max_months``, the lessor's
    setting); the yearly rate in percent."""
    parts = [p.strip() for p in (text or "").split(";")]
    if len(parts) not in (5, 6) or not all(parts):
        raise BadTerms("lease_format")
    try:
        price, advance = parse_amount(parts[0]), _share(parts[1])
        months = parse_int(parts[2], minimum=1, maximum=max_months)
        rate, residual = _percent(parts[3], MAX_RATE, "lease_rate"), _share(parts[4])
        fee = _share(parts[5]) if len(parts) == 6 else Share(ZERO)
    except BadTerms:
        raise
    except InvalidInput as exc:
        if exc.key == "int_range":
            raise BadTerms("lease_months", max=max_months) from exc
        raise BadTerms("lease_format") from exc
    return Calculation(price, months, rate, start, advance=advance, residual=residual, fee=fee, timing=timing,
                       method=method)
