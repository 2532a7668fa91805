"""Order to cash (seed 001, stages 11–14): the customer's order built from the accepted КП, the departments its
tasks go to, the documents it makes, its shipping and its payments. Pure rules, no I/O.

Shipping and payment (the seed's stage 13 breaks off at «И если в Договоре разрешена отгрузка без оплаты»): when
the counterparty's contract allows shipping before payment (``clients.ship_unpaid``), the shipping department's
task is made as soon as the invoice goes out (stage 13), and the order may be shipped before it is paid; otherwise
it is made when the deal starts waiting for the payment (stage 14), and it says to ship after payment. Either way
the deal is done («Заказ оплачен») only when the payments registered **for this order** cover it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from core.domain.kernel.errors import Amount, Conflict, DomainError


class Duty(StrEnum):
    """What an access group does for orders: its head gets that task (an admin sets it in the group's screen)."""

    PURCHASING = "purchasing"  # «Служба закупок»: the task to fulfil the order (stage 12)
    CONTRACTS = "contracts"  # who approves supply contracts (the seed's 1С:ДО, stage 12)
    SHIPPING = "shipping"  # «Отдел отгрузки» (stages 13–14)


class DocKind(StrEnum):
    QUOTE = "quote"  # «Коммерческое предложение»
    INVOICE = "invoice"  # «Счёт на оплату»
    LEASE_OFFER = "lease_offer"  # seed 002's «Oferta»: the offer's version with its schedule
    LEASE_CONTRACT = "lease_contract"  # seed 002's contract, generated from the decision and the accepted version
    LEASE_INVOICE = "lease_invoice"  # a running contract's faktura (or a correcting one)
    LEASE_LETTER = "lease_letter"  # a dunning letter for a client who is not in the bot
    LEASE_SETTLEMENT = "lease_settlement"  # a contract's closing statement (rozliczenie końcowe)
    LEASE_END = "lease_end"  # a contract's end: the ownership transfer protocol, an early termination's settlement,
    # the object's return protocol (one template, by ``kind``)


class NotAccepted(Conflict):
    """An order is built only from a КП the client accepted (which was approved before it was sent)."""

    key = "order_not_from_approved"


class ShipFlagLocked(DomainError):
    """The contract's «отгрузка без оплаты» cannot change while an order shipped on it is still unpaid."""

    key = "ship_flag_locked"


class ShipBeforePayment(DomainError):
    """The shipping task is done only when the order is paid in full or the counterparty's contract allows
    shipping before payment: the refusal names the order, what it still awaits, and that the contract does not."""

    key = "ship_before_payment"


def check_shipping(number: str, paid: Paid, ship_unpaid: bool) -> None:
    """May the order be shipped now? Paid in full, or the contract allows shipping without payment."""
    if not paid.full and not ship_unpaid:
        raise ShipBeforePayment(number=number, remaining=Amount(paid.remaining))


def order_number(deal_id: int, n: int) -> str:
    """«<deal>-<n>»: the n-th order of the deal (seed 003's numbering, kept)."""
    return f"{deal_id}-{n}"


def check_ship_flag(shipped_unpaid: list[str]) -> None:
    """The flag may change unless some order was shipped and is not paid in full yet (its numbers)."""
    if shipped_unpaid:
        raise ShipFlagLocked(orders=", ".join(shipped_unpaid))


@dataclass(frozen=True)
class Paid:
    """An order's payments as its screen shows them: what was paid, what remains, whether it is paid in full."""

    total: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.paid

    @property
    def full(self) -> bool:
        return self.paid >= self.total
