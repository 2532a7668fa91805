"""A Polish lessor's books on a running contract (seed 002: Uruchomienie and Rozliczanie): what is charged and why,
the order a payment pays what is owed in, late interest and its rate table, the dunning levels, what a suspension
does, and the final settlement. Pure rules over values: the services load the ledger, call these, and append.

The ledger has three kinds of entry, each only ever appended: a *charge* (what the client owes: a fee, an
instalment, the residual, late interest, another fee, a refund of an overpayment), a *receipt* (what came in: a
payment, or a credit note that takes a charge back) and an *allocation* (this much of that receipt pays that
charge). The balance is always derived: charges less receipts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from enum import StrEnum

from core.domain.kernel.errors import DomainError, InvalidInput
from core.domain.kernel.inputs import clean_text, parse_amount
from core.domain.leasing.calc import GROSZ, grosz
from core.domain.leasing.vocabulary import TODAY_WORDS, ZLOTY

ZERO = Decimal(0)
#: late interest counts the days of the period over a year of 365 days, in a leap year too (the Polish practice
#: for odsetki: a day's interest is the yearly rate / 365, so 29 February is one more day at that rate)
DAY_BASIS = 365


class ChargeKind(StrEnum):
    INITIAL_FEE = "initial_fee"  # opłata wstępna: charged at launch, once
    ADMIN_FEE = "admin_fee"  # opłata administracyjna: charged at launch, once
    INSTALMENT = "instalment"  # rata leasingowa: charged on its date, with its invoice
    RESIDUAL = "residual"  # wykup: due with the last instalment
    INTEREST = "interest"  # odsetki za opóźnienie: posted monthly and at the settlement; no VAT (not a service)
    FEE = "fee"  # another charge during the contract the back office adds (a reminder's cost, a duplicate ...)
    REFUND = "refund"  # an overpayment paid back to the client: what the lessor owes, paid off by the credit
    TERMINATION = "termination"  # an early termination's settlement: the principal left, the interest, the fee


class ReceiptKind(StrEnum):
    PAYMENT = "payment"  # money in: by hand or from a bank statement
    CREDIT = "credit"  # a credit note (faktura korygująca) or an interest correction: takes a charge back


#: charges that carry VAT and get a faktura; interest is compensation (no VAT: a nota odsetkowa), a refund is ours
INVOICED = frozenset({ChargeKind.INITIAL_FEE, ChargeKind.ADMIN_FEE, ChargeKind.INSTALMENT, ChargeKind.RESIDUAL,
                      ChargeKind.FEE, ChargeKind.TERMINATION})
#: late interest runs on these when they are paid late (never on interest: no interest on interest, art. 482 KC)
BEARS_INTEREST = frozenset({ChargeKind.INITIAL_FEE, ChargeKind.ADMIN_FEE, ChargeKind.INSTALMENT,
                            ChargeKind.RESIDUAL, ChargeKind.FEE, ChargeKind.TERMINATION})
MAX_MONEY = Decimal("1000000000")


def vat_of(net: Decimal, rate: Decimal) -> Decimal:
    """A line's VAT, rounded half up to the grosz (the faktura's rule, per line)."""
    return grosz(net * rate / 100)


# --- when a line's faktura is issued -----------------------------------------------------------------------------

#: the earliest a faktura may be issued before the service (art. 106i ust. 7 ustawy o VAT: 60 days since 2022)
MAX_INVOICE_LEAD_DAYS = 60
#: the lines whose faktura goes out ahead of their due date: a leasing instalment's faktura is issued no later than
#: its payment's due date (art. 106i ust. 3 pkt 4; its VAT is due when the faktura is issued, at the latest on that
#: date: art. 19a ust. 5 pkt 4 lit. b and ust. 7); the residual (wykup) is a sale of the object, taxed when it
#: passes (art. 19a ust. 1), and stays on its day like the fees
INVOICED_AHEAD = frozenset({ChargeKind.INSTALMENT})


def invoice_day(kind: ChargeKind, due: date, lead_days: int, start: date) -> date:
    """The day a schedule line is charged and its faktura issued (the faktura's P_1): an instalment ``lead_days``
    before its due date, never before the contract's start (the handover, ``start``); any other line on its due
    date. The sale date (P_6) and the payment's term stay the due date, and so do dunning and interest."""
    if kind not in INVOICED_AHEAD:
        return due
    return max(due - timedelta(days=lead_days), start)


def invoiced_through(kind: ChargeKind, day: date, lead_days: int) -> date:
    """The last due date of a ``kind`` line charged by ``day``: the scan's horizon (the start past, as a running
    contract's is, ``invoice_day(kind, due, …) <= day`` exactly when ``due <= invoiced_through(kind, day, …)``)."""
    return day + timedelta(days=lead_days) if kind in INVOICED_AHEAD else day


# --- allocation -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Owed:
    """What is left to pay of one charge."""

    charge_id: int
    kind: ChargeKind
    due: date
    left: Decimal


def allocation_order(owed: Iterable[Owed]) -> list[Owed]:
    """The order a payment pays in (art. 451 KC): late interest first, then the oldest charge (by due date, then as
    it was booked); a refund is never paid by a client's money."""
    return sorted((o for o in owed if o.left > 0 and o.kind is not ChargeKind.REFUND),
                  key=lambda o: (o.kind is not ChargeKind.INTEREST, o.due, o.charge_id))


def allocate(owed: Iterable[Owed], amount: Decimal, interest_cap: Decimal | None = None
             ) -> tuple[list[tuple[int, Decimal]], Decimal]:
    """``amount`` spread over what is owed in :func:`allocation_order`: the (charge, amount) pairs and what is left
    over (an overpayment, kept as credit for the next charges).

    ``interest_cap``: a receipt settled as of its value date (a backdated one) pays first only the interest that
    had accrued by that day (the cap), then the oldest charges; interest posted for the days after it comes last,
    when money is left (and the correction that follows credits most of it back)."""
    ordered = allocation_order(owed)
    if interest_cap is not None:
        first = max(interest_cap, ZERO)
        head, tail = [], []
        for o in ordered:
            if o.kind is ChargeKind.INTEREST and first > 0:
                part = min(first, o.left)
                head.append(Owed(o.charge_id, o.kind, o.due, part))
                first -= part
                if o.left > part:
                    tail.append(Owed(o.charge_id, o.kind, o.due, o.left - part))
            elif o.kind is ChargeKind.INTEREST:
                tail.append(o)
            else:
                head.append(o)
        ordered = head + tail
    parts: dict[int, Decimal] = {}
    left = amount
    for o in ordered:
        if left <= 0:
            break
        part = min(left, o.left)
        parts[o.charge_id] = parts.get(o.charge_id, ZERO) + part
        left -= part
    return list(parts.items()), left


# --- late interest ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    """A yearly rate of late interest, in percent, holding from ``since`` until the next row."""

    since: date
    percent: Decimal


class RateGap(DomainError):
    """No rate holds on a day interest runs: the table must be completed before interest can be posted."""

    key = "lease_rate_gap"


#: the statutory rate for delay in commercial transactions (odsetki ustawowe za opóźnienie w transakcjach
#: handlowych: the NBP reference rate + 10 points, announced by the Minister of Finance for each half-year); an
#: admin keeps the table current in the bot
STATUTORY = (Rate(date(2023, 1, 1), Decimal("16.75")), Rate(date(2024, 1, 1), Decimal("15.75")),
             Rate(date(2025, 7, 1), Decimal("15.25")))
MAX_RATE = Decimal(100)
_RATE_LINE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[;:\s]\s*(\d{1,3}(?:[.,]\d{1,4})?)\s*%?\s*$")


def parse_rates(text: str) -> tuple[Rate, ...]:
    """An admin's table, a line per rate: «2025-07-01; 15,25». Dates increasing, none twice, rates 0–100 %."""
    rates = []
    for n, line in enumerate((x for x in (text or "").splitlines() if x.strip()), start=1):
        match = _RATE_LINE.match(line)
        if not match:
            raise InvalidInput("lease_rates_format", line=n)
        try:
            since = date.fromisoformat(match[1])
        except ValueError:
            raise InvalidInput("lease_rates_format", line=n) from None
        percent = Decimal(match[2].replace(",", "."))
        if percent > MAX_RATE:
            raise InvalidInput("lease_rates_format", line=n)
        if rates and since <= rates[-1].since:
            raise InvalidInput("lease_rates_order", line=n)
        rates.append(Rate(since, percent))
    if not rates:
        raise InvalidInput("lease_rates_format", line=1)
    return tuple(rates)


def rates_text(rates: Sequence[Rate]) -> str:
    return "\n".join(f"{r.since.isoformat()}; {r.percent}" for r in rates)


@dataclass(frozen=True)
class Late:
    """A charge's late life: its amount, due date and the payments against it (each with its value date)."""

    due: date
    amount: Decimal
    paid: tuple[tuple[date, Decimal], ...] = ()


def _periods(first: date, last: date, rates: Sequence[Rate], paused: Sequence[tuple[date, date]]
             ) -> list[tuple[int, Decimal]]:
    """The days from ``first`` to ``last`` inclusive, less the paused ones, as (days, rate) per rate period."""
    if first > last:
        return []
    if not rates or first < rates[0].since:
        raise RateGap(day=first)
    out = []
    for i, rate in enumerate(rates):
        end = rates[i + 1].since - timedelta(days=1) if i + 1 < len(rates) else last
        a, b = max(first, rate.since), min(last, end)
        if a > b:
            continue
        days = (b - a).days + 1
        for p_from, p_to in paused:  # a suspension's days, from its first day to the day before the resumption
            lo, hi = max(a, p_from), min(b, p_to)
            if lo <= hi:
                days -= (hi - lo).days + 1
        if days > 0:
            out.append((days, rate.percent))
    return out


def late_interest(items: Iterable[Late], rates: Sequence[Rate], as_of: date,
                  paused: Sequence[tuple[date, date]] = ()) -> Decimal:
    """Interest on every late amount from the day after it was due to the day it is paid (both counted), up to
    ``as_of``; a rate change splits a period, the days of a suspension count for nothing. Exact (not rounded):
    the posting rounds the total once, so rounding never adds up over the postings."""
    total = ZERO
    with localcontext() as ctx:
        ctx.prec = 40
        for item in items:
            outstanding, start = item.amount, item.due + timedelta(days=1)
            for paid_on, amount in [*sorted(item.paid), (None, ZERO)]:
                end = as_of if paid_on is None else min(paid_on, as_of)
                if outstanding > 0 and end >= start:
                    for days, percent in _periods(start, end, rates, paused):
                        total += outstanding * percent * days / (100 * DAY_BASIS)
                if paid_on is None:
                    break
                outstanding -= amount
                start = max(start, paid_on + timedelta(days=1))
    return total


def interest_to_post(computed: Decimal, posted: Decimal) -> Decimal:
    """What a posting adds: the total due to date, rounded once, less what was posted; negative when a backdated
    receipt shortened a period already charged (the difference is credited back)."""
    return grosz(computed) - posted


# --- dunning (monity) ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Level:
    days: int  # days past the oldest unpaid charge's due date
    name: str  # a default level's code (LEVEL_CODES: the bot and the letter name it), or the words an admin typed


#: the default levels' codes: a payment reminder, a demand for payment, the final demand before court
LEVEL_CODES = ("reminder", "demand", "final")
DEFAULT_LEVELS = (Level(3, "reminder"), Level(14, "demand"), Level(30, "final"))
MAX_LEVELS = 10
MAX_LEVEL_DAYS = 365


def parse_levels(text: str) -> tuple[Level, ...]:
    """An admin's table, a line per level: «14; Wezwanie do zapłaty». Days increasing, 1–365."""
    levels = []
    for n, line in enumerate((x for x in (text or "").splitlines() if x.strip()), start=1):
        days, _, name = line.partition(";")
        if not days.strip().isdigit() or not name.strip():
            raise InvalidInput("lease_levels_format", line=n)
        level = Level(int(days), clean_text(name, max_len=128))
        if not 1 <= level.days <= MAX_LEVEL_DAYS or (levels and level.days <= levels[-1].days):
            raise InvalidInput("lease_levels_order", line=n, max=MAX_LEVEL_DAYS)
        levels.append(level)
    if not 1 <= len(levels) <= MAX_LEVELS:
        raise InvalidInput("lease_levels_format", line=len(levels) + 1)
    return tuple(levels)


def levels_text(levels: Sequence[Level]) -> str:
    return "\n".join(f"{x.days}; {x.name}" for x in levels)


def days_overdue(due: date, day: date, paused: Sequence[tuple[date, date]] = ()) -> int:
    """Days from ``due`` to ``day`` less the days the contract stood suspended in between (a suspension's days,
    from its first day to the day before the resumption, as :func:`late_interest` leaves them out)."""
    days = (day - due).days
    for p_from, p_to in paused:
        lo, hi = max(due + timedelta(days=1), p_from), min(day, p_to)
        if lo <= hi:
            days -= (hi - lo).days + 1
    return max(days, 0)


def level_due(days_overdue: int, levels: Sequence[Level]) -> Level | None:
    """The highest level the overdue days have reached (after a long stop the scan sends that one, not every level
    it missed)."""
    reached = [x for x in levels if x.days <= days_overdue]
    return reached[-1] if reached else None


# --- suspension and resumption ---------------------------------------------------------------------------------

def shift_months(skipped: int) -> int:
    """What a resumption does to the schedule: the lines that fell due while the contract was suspended were not
    charged; they and every line after them move later by as many months as lines were skipped, their amounts
    unchanged (the contract runs that much longer; no interest is added for the pause)."""
    return max(skipped, 0)


# --- the final settlement --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Settlement:
    """Rozliczenie finalne: the contract's whole account."""

    charged: dict[ChargeKind, Decimal]  # gross, by kind
    paid: Decimal  # payments in
    credited: Decimal  # credit notes
    lines_left: int  # schedule lines not yet charged

    @property
    def total_charged(self) -> Decimal:
        return sum(self.charged.values(), ZERO)

    @property
    def balance(self) -> Decimal:
        """What the client still owes (negative: an overpayment to return)."""
        return self.total_charged - self.paid - self.credited

    @property
    def settled(self) -> bool:
        """Every line charged (the residual included) and nothing owed either way: the contract closes itself."""
        return self.lines_left == 0 and self.balance == 0


def settlement(charges: Iterable[tuple[ChargeKind, Decimal]], receipts: Iterable[tuple[ReceiptKind, Decimal]],
               lines_left: int) -> Settlement:
    charged: dict[ChargeKind, Decimal] = {}
    for kind, gross in charges:
        charged[kind] = charged.get(kind, ZERO) + gross
    receipts = list(receipts)
    paid = sum((a for k, a in receipts if k is ReceiptKind.PAYMENT), ZERO)
    credited = sum((a for k, a in receipts if k is ReceiptKind.CREDIT), ZERO)
    return Settlement(charged, paid, credited, lines_left)


# --- the amounts a person types --------------------------------------------------------------------------------

class MoneyRefused(InvalidInput):
    """An amount the books cannot take: zero or negative, more than two places, or another currency."""


def check_amount(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise MoneyRefused("lease_amount_positive")
    if amount != amount.quantize(GROSZ):
        raise MoneyRefused("lease_grosze")
    if amount > MAX_MONEY:
        raise MoneyRefused("lease_amount_too_big", max=MAX_MONEY)
    return amount


def check_currency(given: str | None, contract: str) -> None:
    if given and given.upper() != contract.upper():
        raise MoneyRefused("lease_currency", given=given.upper(), contract=contract)


# --- commissions -------------------------------------------------------------------------------------------------

def commission(base: Decimal, percent: Decimal) -> Decimal:
    return grosz(base * percent / 100)


# --- a receipt as a person types it ---------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})")
_CURRENCY = re.compile(r"(?<![A-Za-z])([A-Za-z]{3})(?![A-Za-z])")


def parse_receipt(text: str, today: date) -> tuple[Decimal, date, str | None]:
    """«1 230,00», «1 230,00 15.01.2027», «1230 PLN 2027-01-15»: the amount, its value date (today when not
    given, never in the future) and the currency when named."""
    text = (text or "").strip()
    paid_on = today
    match = _DATE.search(text)
    if match:
        paid_on = parse_day(match[1])
        text = (text[:match.start()] + " " + text[match.end():]).strip()
    currency = None
    match = _CURRENCY.search(text.replace(ZLOTY, " "))
    if match:
        currency = match[1].upper()
        text = _CURRENCY.sub(" ", text.replace(ZLOTY, " "), count=1).strip()
    elif ZLOTY in text:
        currency, text = "PLN", text.replace(ZLOTY, " ").strip()
    if text.startswith("-"):
        raise MoneyRefused("lease_amount_positive")
    if not text:
        raise InvalidInput("lease_receipt_format")
    amount = check_amount(parse_amount(text, maximum=MAX_MONEY))
    if paid_on > today:
        raise InvalidInput("lease_paid_in_future", day=paid_on)
    return amount, paid_on, currency




def parse_day_or_today(text: str | None, today: date) -> date:
    """A day typed, or today for «dziś» (or nothing)."""
    return today if (text or "").strip().casefold() in TODAY_WORDS else parse_day(text)


def parse_day(text: str) -> date:
    """«15.01.2027» or «2027-01-15»."""
    raw = (text or "").strip()
    try:
        return date.fromisoformat(raw) if "-" in raw else date(*reversed([int(x) for x in raw.split(".")]))
    except (ValueError, TypeError):
        raise InvalidInput("lease_date_format") from None
