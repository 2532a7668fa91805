"""A correcting faktura as the VAT rules want it (art. 106j ustawy o VAT): it names the faktura it corrects (its
number, date and KSeF number), shows the corrected line before and after, and its net, VAT and gross add up. The
back office types the gross to take back; what that changes of the line's net and VAT follows here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import clean_text
from core.domain.leasing.calc import grosz

_NUMBER = re.compile(r"^\s*(FV/\d{4})/(\d{1,6})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Amounts:
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat

    def __sub__(self, other: Amounts) -> Amounts:
        return Amounts(self.net - other.net, self.vat - other.vat)


@dataclass(frozen=True)
class Typed:
    series: str
    seq: int
    amount_text: str
    reason: str


def parse(text: str) -> Typed:
    """«FV/2027/000003; 123,00; rabat»: the faktura corrected, the gross taken back, why."""
    number, _, rest = (text or "").partition(";")
    amount, _, reason = rest.partition(";")
    match = _NUMBER.match(number)
    if not match or not amount.strip():
        raise InvalidInput("lease_correction_format")
    return Typed(match[1].upper(), int(match[2]), amount.strip(), clean_text(reason, max_len=256))


def after(before: Amounts, gross_back: Decimal, vat_rate: Decimal) -> Amounts:
    """The line after ``gross_back`` is taken off its gross: the new gross split into net and VAT at the line's rate
    (the net rounded half up to the grosz, the VAT the rest, so the gross is exactly what remains)."""
    gross = before.gross - gross_back
    net = grosz(gross * 100 / (100 + vat_rate))
    return Amounts(net, gross - net)
