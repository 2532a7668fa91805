"""The statements of the exchange with 1C (issue 28): orders by the invoice numbers a bank's payments name, the
payments already booked from a bank's documents, and counterparties and orders as CommerceML exports them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo


@dataclass
class InvoicedOrder:
    """An order (its number is its invoice's) with its counterparty's INN and what was paid for it so far."""

    id: int
    number: str
    amount: Decimal
    paid: Decimal
    deal_id: int
    client_name: str | None
    inn: str | None
    kpp: str | None


class ExchangeRepo(Repo):
    async def orders_by_numbers(self, numbers: Sequence[str]) -> dict[str, InvoicedOrder]:
        if not numbers:
            return {}
        paid = (select(func.coalesce(func.sum(m.Payment.amount), 0)).where(
            m.Payment.order_id == m.Order.id, m.Payment.received_at.is_not(None)).scalar_subquery())
        rows = await self.session.execute(
            select(m.Order.id, m.Order.number, m.Order.amount, paid, m.Order.deal_id, m.Client.name, m.Client.inn,
                   m.Client.kpp)
            .join(m.Deal, m.Deal.id == m.Order.deal_id).outerjoin(m.Client, m.Client.id == m.Deal.client_id)
            .where(m.Order.number.in_(sorted(set(numbers)))))
        return {r[1]: InvoicedOrder(r[0], r[1], r[2], Decimal(r[3]).quantize(Decimal("0.01")), *r[4:])
                for r in rows.all()}

    async def booked_refs(self, refs: Sequence[str]) -> set[str]:
        if not refs:
            return set()
        return set((await self.session.scalars(select(m.Payment.bank_ref).where(
            m.Payment.bank_ref.in_(sorted(set(refs)))))).all())

    async def counterparties(self, limit: int) -> list[m.Client]:
        """The Russian counterparties (those with an INN, or none of seed 002's Polish identifiers), by name."""
        return list((await self.session.scalars(
            select(m.Client).where(m.Client.nip.is_(None)).order_by(m.Client.name, m.Client.id).limit(limit))).all())

    async def orders(self, limit: int) -> list[tuple[m.Order, m.Client | None]]:
        """The customers' orders (newest first) with their counterparties."""
        rows = await self.session.execute(
            select(m.Order, m.Client).join(m.Deal, m.Deal.id == m.Order.deal_id)
            .outerjoin(m.Client, m.Client.id == m.Deal.client_id).order_by(m.Order.id.desc()).limit(limit))
        return [(o, c) for o, c in rows.all()]
