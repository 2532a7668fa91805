"""Offers: one per leasing company and application, the slot hold, and the cost calculator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from core.domain.kernel.errors import Conflict, DomainError


class OfferStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    CHOSEN = "chosen"
    NOT_CHOSEN = "not_chosen"


class CompanyAlreadyOffered(DomainError):
    key = "company_already_offered"


class SlotHeld(DomainError):
    key = "slot_held"


@dataclass(frozen=True)
class ExistingOffer:
    manager_id: int
    manager_name: str
    status: OfferStatus


@dataclass(frozen=True)
class Hold:
    manager_id: int
    manager_name: str
    expires_at: datetime


def ensure_company_may_offer(
    *, manager_id: int, existing: ExistingOffer | None, hold: Hold | None, now: datetime
) -> None:
    """Seed 000 step 4: at most one offer per leasing company and application.

    A company's own withdrawn offer frees the slot for any of its managers; an active
    offer by a colleague does not; a live hold by a colleague blocks the form.
    """
    if existing is not None and existing.status != OfferStatus.WITHDRAWN and existing.manager_id != manager_id:
        raise CompanyAlreadyOffered(manager=existing.manager_name)
    if hold is not None and hold.manager_id != manager_id and hold.expires_at > now:
        raise SlotHeld(manager=hold.manager_name, until=hold.expires_at)


def ensure_offer_editable(status: OfferStatus, application_open: bool) -> None:
    if not application_open:
        raise Conflict("offers_closed")
    if status not in (OfferStatus.ACTIVE, OfferStatus.WITHDRAWN):
        raise Conflict("offers_closed")


CENT = Decimal("0.01")


@dataclass(frozen=True)
class Cost:
    total: Decimal  # advance + monthly payments + buyout
    overpayment: Decimal  # total - price
    yearly_increase_pct: Decimal  # «удорожание» per year, percent of the price


def cost(*, price: Decimal, monthly_payment: Decimal, term_months: int, advance: Decimal, buyout: Decimal) -> Cost:
    """Total cost of a leasing offer and its yearly increase over the price («удорожание в год»).

    удорожание = (total - price) / price / (term / 12) * 100
    """
    if price <= 0 or term_months <= 0:
        raise DomainError("bad_cost_input")
    total = advance + monthly_payment * term_months + buyout
    overpayment = total - price
    yearly = overpayment / price / (Decimal(term_months) / 12) * 100
    return Cost(
        total=total.quantize(CENT, ROUND_HALF_UP),
        overpayment=overpayment.quantize(CENT, ROUND_HALF_UP),
        yearly_increase_pct=yearly.quantize(CENT, ROUND_HALF_UP),
    )
