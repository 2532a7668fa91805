"""The commercial offer (seed 001, stages 6–11: «Коммерческое предложение», КП): its lines, its totals with VAT,
its versions, and the answer that decides where the deal goes. Pure rules, no I/O.

Money: prices are typed without VAT and VAT is added per line (as a Russian invoice counts it); each line's net,
VAT and gross are rounded to kopecks half up, and the КП's totals are the sums of its lines, so the document's
lines always add up to its totals. The default rate is 22 %, Russia's standard rate from 1 January 2026 (20 %
before); 10 %, 0 % and «без НДС» are the others a line may take.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from core.domain.campaigns.stages import StageCode as S
from core.domain.campaigns.vocabulary import DEFAULT_UNIT, NO_VAT
from core.domain.kernel.errors import DomainError, IllegalTransition, InvalidInput
from core.domain.kernel.inputs import MAX_AMOUNT, clean_text

KOPECK = Decimal("0.01")
DEFAULT_VAT = Decimal("22")
VAT_RATES = (Decimal("22"), Decimal("10"), Decimal("0"), None)  # None: «без НДС» (the seller does not pay VAT)
MAX_LINES = 200
MAX_QUANTITY = Decimal("1000000000")


def money(value: Decimal) -> Decimal:
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    item: str
    quantity: Decimal
    unit: str
    price: Decimal  # per unit, without VAT
    discount: Decimal = Decimal("0")  # per cent
    vat: Decimal | None = DEFAULT_VAT  # per cent; None: «без НДС»

    @property
    def net(self) -> Decimal:
        return money(self.quantity * self.price * (Decimal(100) - self.discount) / Decimal(100))

    @property
    def tax(self) -> Decimal:
        return money(self.net * self.vat / Decimal(100)) if self.vat is not None else Decimal("0.00")

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


@dataclass(frozen=True)
class Totals:
    net: Decimal
    tax: Decimal
    gross: Decimal


def lines_of(rows) -> list[Line]:
    """The lines of a КП's version or of an order, as the rules count them (any rows with the line's fields)."""
    return [Line(x.item, x.quantity, x.unit, x.price, x.discount, x.vat) for x in rows]


def totals(lines: list[Line] | tuple[Line, ...]) -> Totals:
    net = sum((line.net for line in lines), Decimal("0.00"))
    tax = sum((line.tax for line in lines), Decimal("0.00"))
    return Totals(net, tax, net + tax)


_NUMBER = re.compile(r"^\d+(?:\.\d{1,3})?$")


def _decimal(text: str, key: str) -> Decimal:
    """«1 200,5» or «1200.5»: up to three places (a quantity of 2.125 t); ``key`` names what was expected."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if not _NUMBER.match(cleaned):
        raise InvalidInput(key)
    return Decimal(cleaned)


def parse_vat(text: str) -> Decimal | None:
    value = text.strip().lower().rstrip("%").strip()
    if value in NO_VAT:
        return None
    try:
        rate = Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidInput("quote_vat") from exc
    if rate not in VAT_RATES:
        raise InvalidInput("quote_vat")
    return rate


def parse_line(text: str) -> Line:
    """«Бумага А4; 100; пачка; 350; 5%; 22%»: the item, the quantity, the unit (default «шт»), the price without VAT,
    the discount (default none) and the VAT rate (default 22 %). A zero quantity, a negative price, a discount of
    100 % or more are refused."""
    parts = [p.strip() for p in (text or "").split(";")]
    if len(parts) < 3 or len(parts) > 6:
        raise InvalidInput("quote_line")
    item = clean_text(parts[0], max_len=256)
    if len(parts) == 3:  # item; quantity; price
        parts = [parts[0], parts[1], DEFAULT_UNIT, parts[2]]
    quantity = _decimal(parts[1], "quote_quantity")
    if quantity <= 0 or quantity > MAX_QUANTITY:
        raise InvalidInput("quote_quantity")
    unit = clean_text(parts[2] or DEFAULT_UNIT, max_len=16)
    if parts[3].strip().startswith("-"):
        raise InvalidInput("quote_price")
    price = _decimal(parts[3], "quote_price")
    if price > MAX_AMOUNT or price != price.quantize(KOPECK):
        raise InvalidInput("quote_price")
    discount = Decimal("0")
    if len(parts) > 4 and parts[4]:
        discount = _decimal(parts[4].rstrip("%").strip(), "quote_discount")
        if not Decimal("0") <= discount < Decimal("100"):
            raise InvalidInput("quote_discount")
    vat = parse_vat(parts[5]) if len(parts) > 5 and parts[5] else DEFAULT_VAT
    return Line(item, quantity, unit, price, discount, vat)


# --- a КП's versions -------------------------------------------------------------------------------------------

class QuoteStatus(StrEnum):
    DRAFT = "draft"  # lines being written (stage 6)
    APPROVAL = "approval"  # with the approvers (stage 7)
    RETURNED = "returned"  # an approver returned it: a new version is written
    APPROVED = "approved"
    SENT = "sent"  # to the client (stage 8), waiting for the answer (stage 9)
    ACCEPTED = "accepted"  # the client's answer: an order (stage 11)
    REWORK = "rework"  # the client's answer: rework it (a new version, stage 6 again)
    REFUSED = "refused"  # the client's answer: no; the КП closes, the deal returns to stage 5


TRANSITIONS: dict[QuoteStatus, frozenset[QuoteStatus]] = {
    QuoteStatus.DRAFT: frozenset({QuoteStatus.APPROVAL}),
    QuoteStatus.APPROVAL: frozenset({QuoteStatus.APPROVED, QuoteStatus.RETURNED}),
    QuoteStatus.APPROVED: frozenset({QuoteStatus.SENT}),
    QuoteStatus.SENT: frozenset({QuoteStatus.ACCEPTED, QuoteStatus.REWORK, QuoteStatus.REFUSED}),
    QuoteStatus.RETURNED: frozenset(),
    QuoteStatus.ACCEPTED: frozenset(),
    QuoteStatus.REWORK: frozenset(),
    QuoteStatus.REFUSED: frozenset(),
}
#: a version in one of these is done with, and the deal's next КП is a new version (a copy of its lines, but for a
#: refused one: the client said no to it)
REDRAFTABLE = frozenset({QuoteStatus.RETURNED, QuoteStatus.REWORK, QuoteStatus.REFUSED})
#: the stages a КП is started in: «Формирование потребностей» (the first, and the next after a refusal) and
#: «Формирование КП» (the next version after a return or a rework)
STARTS_IN = frozenset({S.NEEDS, S.QUOTE})


def may_start(stage: str, last: QuoteStatus | str | None) -> bool:
    """May a new version be started now? In those stages, with no version yet or the last one done with."""
    return stage in STARTS_IN and (last is None or last in REDRAFTABLE)


#: a new version is valid this long from the day it is drafted, unless its writer sets another date
VALID_DAYS = 14
MAX_TERMS = 2000


def check_valid_until(value: date, today: date) -> None:
    """A КП's validity ends today or later (and within a year)."""
    if value < today or value > today + timedelta(days=366):
        raise InvalidInput("quote_valid_until")


class QuoteEmpty(DomainError):
    key = "quote_empty"


def check_move(current: str, target: QuoteStatus, lines: int) -> None:
    if target not in TRANSITIONS[QuoteStatus(current)]:
        raise IllegalTransition(current=current, target=target, names="quote.status_")
    if target == QuoteStatus.APPROVAL and lines == 0:
        raise QuoteEmpty()


def editable(status: str) -> bool:
    """Lines change only while the version is a draft: what was approved or sent stays as it was."""
    return status == QuoteStatus.DRAFT


class Answer(StrEnum):
    """The client's answer, read at stage 10: where the deal goes."""

    ORDER = "order"  # to 11, «Заказ покупателя» from the approved КП's lines
    REWORK = "rework"  # back to 6, then 7: a new version
    REFUSAL = "refusal"  # the КП closes; the deal returns to 5 and its calling cadence goes on


ANSWER_STATUS = {Answer.ORDER: QuoteStatus.ACCEPTED, Answer.REWORK: QuoteStatus.REWORK,
                 Answer.REFUSAL: QuoteStatus.REFUSED}
ANSWER_STAGE = {Answer.ORDER: S.ORDER, Answer.REWORK: S.QUOTE, Answer.REFUSAL: S.NEEDS}
