"""A Polish lessor's contract at its end (seed 002, «Zakończenie umowy — pełna automatyzacja») and the identity check
(«Weryfikacja tożsamości — pełna automatyzacja»): pure rules over values, no I/O, no clock.

- **Early termination** (rozwiązanie umowy przed terminem): on the day it is made the client owes the principal of
  every line not yet charged (the residual included: it is the balance the schedule ends on), the contract's interest
  accrued since the last line's date (the next line's interest, pro rata of the days of its period, as the schedule
  counts it: the balance times the monthly rate), and the termination fee (a percentage of that principal, or an
  amount). Charges already made stay what they are (late interest on them is the books' own posting).
- **The identity check** (wpłata weryfikująca): the verification transfer's payer against the client's card — the
  account equal (IBAN, compared in its compact form), the payer's name equal once normalised (case, diacritics,
  punctuation, word order and the legal form's spelling do not count). Passed or failed by itself when the data
  allow; a person decides only when they do not (no account on the card, no payer name, or the same account under
  another name: a spouse's joint account, a trading name)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from core.domain.kernel.errors import Conflict, InvalidInput
from core.domain.kernel.inputs import clean_text, parse_amount
from core.domain.leasing.books import MAX_MONEY, parse_day_or_today
from core.domain.leasing.calc import HUNDRED, Share, grosz

ZERO = Decimal(0)


class EndKind(StrEnum):
    """How a contract ended (lease_endings.kind): each at most once per contract."""

    BUYOUT = "buyout"  # every line and the wykup paid: the ownership transfer protocol, by itself
    TERMINATION = "termination"  # ended before its term, with its settlement
    RETURN = "return"  # the object came back, with its protocol


# --- early termination ---------------------------------------------------------------------------------------------

#: a termination's charges: their keys (the lines of the schedule version it makes) and the part of the settlement
#: each is (a faktura names it by the part, in its own language: core/documents/words «item.termination_<part>»)
TERMINATION_LINES = (("tp", "principal"), ("ti", "interest"), ("tf", "fee"))
TERMINATION_PARTS = dict(TERMINATION_LINES)

@dataclass(frozen=True)
class Left:
    """A schedule line not yet charged."""

    due: date
    interest: Decimal
    principal: Decimal


@dataclass(frozen=True)
class Termination:
    day: date
    principal: Decimal  # net: the principal of the lines not charged, the residual included
    interest: Decimal  # net: the contract's interest from ``since`` to ``day``
    fee: Decimal  # net
    lines: int  # the lines it replaces
    since: date  # the period the interest runs in: from this day …
    until: date  # … to the next line's date

    @property
    def net(self) -> Decimal:
        return self.principal + self.interest + self.fee


def termination(left: Sequence[Left], since: date, day: date, fee: Share) -> Termination:
    """The settlement of a contract ended on ``day``: ``left`` are the lines not yet charged (by date), ``since`` the
    date of the last line charged (or the handover's, before the first)."""
    if not left:
        raise Conflict("lease_nothing_left")
    lines = sorted(left, key=lambda x: x.due)
    principal = sum((x.principal for x in lines), ZERO)
    nxt = lines[0]
    period = (nxt.due - since).days
    elapsed = min(max((day - since).days, 0), period)
    interest = grosz(nxt.interest * elapsed / period) if period > 0 else ZERO
    return Termination(day, principal, interest, fee.of(principal), len(lines), since, nxt.due)


def parse_termination(text: str, today: date) -> tuple[date, Share]:
    """«dziś; 2%», «31.03.2027; 1 500» or just «dziś» (no fee): the day it ends (not in the future) and the fee, a
    percentage of the principal left or an amount."""
    day_text, _, fee_text = (text or "").partition(";")
    day = parse_day_or_today(day_text, today)
    if day > today:
        raise InvalidInput("lease_end_future")
    fee_text = fee_text.strip()
    if not fee_text:
        return day, Share(ZERO, percent=False)
    percent = fee_text.endswith("%")
    try:
        value = parse_amount(fee_text.rstrip("%"), maximum=HUNDRED if percent else MAX_MONEY)
    except InvalidInput as exc:
        raise InvalidInput("lease_end_format") from exc
    return day, Share(value, percent=percent)


def parse_return(text: str, today: date) -> tuple[date, str]:
    """«dziś; stan dobry, przebieg 120 000 km, bez uszkodzeń»: the day the object came back (not in the future) and
    what the protocol records of its state."""
    day_text, _, notes = (text or "").partition(";")
    day = parse_day_or_today(day_text, today)
    if day > today:
        raise InvalidInput("lease_end_future")
    return day, clean_text(notes, max_len=1000)


# --- the identity check ----------------------------------------------------------------------------------------------

class IdentityResult(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NEEDS_PERSON = "needs_person"


_LEGAL_FORMS = (("spółka z ograniczoną odpowiedzialnością", "sp z o o"), ("spolka z ograniczona odpowiedzialnoscia",
                                                                          "sp z o o"),
                ("spółka akcyjna", "s a"), ("spolka akcyjna", "s a"), ("spółka komandytowa", "sp k"),
                ("spolka komandytowa", "sp k"), ("spółka jawna", "sp j"), ("spolka jawna", "sp j"))
_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss"})


def name_key(name: str | None) -> tuple[str, ...]:
    """A name as the check compares it: case, diacritics (ł too), punctuation and word order left out, a legal form
    written out or short the same («ALFA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ» = «Alfa sp. z o.o.»; «KOWALSKI
    JAN» = «Jan Kowalski»)."""
    text = (name or "").casefold()
    for long, short in _LEGAL_FORMS:
        text = text.replace(long, short)
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^0-9a-z]+", " ", text)
    text = re.sub(r"\bsp z o o\b", "spzoo", text)
    text = re.sub(r"\bs a\b", "sa", text)
    text = re.sub(r"\bsp ([kj])\b", r"sp\1", text)
    return tuple(sorted(text.split()))


@dataclass(frozen=True)
class Identity:
    result: IdentityResult
    reasons: tuple[str, ...]  # codes: no_account, account, no_name, name


def check_identity(*, client_name: str, client_iban: str | None, payer_name: str | None, payer_iban: str
                   ) -> Identity:
    """The verification transfer against the client's card: passed or failed by itself where the data allow; a
    person decides the rest."""
    if not client_iban:
        return Identity(IdentityResult.NEEDS_PERSON, ("no_account",))
    if payer_iban.replace(" ", "").upper() != client_iban.replace(" ", "").upper():
        return Identity(IdentityResult.FAILED, ("account",))
    if not (payer_name or "").strip():
        return Identity(IdentityResult.NEEDS_PERSON, ("no_name",))
    if name_key(payer_name) != name_key(client_name):
        return Identity(IdentityResult.NEEDS_PERSON, ("name",))
    return Identity(IdentityResult.PASSED, ())
