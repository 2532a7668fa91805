"""Payments from 1C's client-bank exchange file (the bank's statement, ``kl_to_1c.txt``) booked to the customers'
orders: a preview first (what will be booked, what was booked before, the rows that cannot be, each with its line
in the file and why), then, on confirmation, each payment through the order's payment service, once.

A payment is matched to an order by the invoice number its purpose names (our invoices carry their order's number,
«<deal>-<n>») and by the payer's INN, which must be the order's counterparty's. A bank document booked once (its
payer's account, date, number and sum) is never booked again: a statement downloaded twice, or two imports at the
same moment, book it once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.db.campaigns.exchange import InvoicedOrder
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import client_bank
from core.domain.kernel.errors import Amount, DomainError, InvalidInput
from core.services.campaigns import order_to_cash
from core.services.campaigns.campaign import head

MAX_DOCUMENTS = 5000


@dataclass
class BankPreview:
    book: list[dict] = field(default_factory=list)  # JSON-ready: line, number, on, amount, payer, order, ref
    bad: list[tuple[int, str, dict]] = field(default_factory=list)  # line, error key, its params
    booked: list[tuple[int, str]] = field(default_factory=list)  # line, the bank document's number: booked before
    outgoing: int = 0  # our own payments in the statement: not for orders

    @property
    def total(self) -> Decimal:
        return sum((Decimal(r["amount"]) for r in self.book), Decimal("0.00"))


@dataclass
class BankResult:
    booked: list[dict] = field(default_factory=list)  # the previewed rows booked now
    failed: list[tuple[int, str, dict]] = field(default_factory=list)  # line, why (changed since the preview)
    repeated: int = 0  # booked meanwhile (by another import): nothing twice


def _order_for(p: client_bank.IncomingPayment, orders: dict[str, InvoicedOrder]) -> InvoicedOrder:
    """The one order the payment's purpose names whose counterparty has the payer's INN."""
    named = [orders[n] for n in client_bank.invoice_numbers(p.purpose) if n in orders]
    if not named:
        raise InvalidInput("onec_no_invoice", purpose=p.purpose[:80] or "—")
    mine = [o for o in named if o.inn == p.payer_inn]
    if not mine:
        o = named[0]
        raise InvalidInput("onec_inn_mismatch", number=o.number, inn=p.payer_inn, order_inn=o.inn or "—")
    if len(mine) > 1:
        raise InvalidInput("onec_many_invoices", numbers=", ".join(o.number for o in mine))
    return mine[0]


async def preview(uow: UnitOfWork, actor_id: int, data: bytes) -> BankPreview:
    exchange = client_bank.read(data)
    if not exchange.documents:
        raise InvalidInput("onec_no_documents")
    if len(exchange.documents) > MAX_DOCUMENTS:
        raise InvalidInput("import_too_many", max_rows=MAX_DOCUMENTS)
    result, payments = BankPreview(), []
    for doc in exchange.documents:
        if doc.closed and not client_bank.is_incoming(doc, exchange.accounts):
            result.outgoing += 1
            continue
        try:
            payments.append(client_bank.payment(doc))
        except DomainError as exc:
            result.bad.append((doc.line, exc.key, exc.params))
    async with uow:
        await head(uow, actor_id)
        numbers = [n for p in payments for n in client_bank.invoice_numbers(p.purpose)]
        orders = await uow.exchange.orders_by_numbers(numbers)
        done = await uow.exchange.booked_refs([p.ref for p in payments])
    seen: set[str] = set()
    for p in payments:
        if p.ref in done:
            result.booked.append((p.line, p.number))
            continue
        if p.ref in seen:  # the same document twice in one file
            result.bad.append((p.line, "onec_repeated", {"number": p.number}))
            continue
        seen.add(p.ref)
        try:
            order = _order_for(p, orders)
            remaining = order.amount - order.paid
            if p.amount > remaining:
                raise InvalidInput("onec_overpaid", number=order.number, amount=Amount(p.amount),
                                   remaining=Amount(remaining))
        except DomainError as exc:
            result.bad.append((p.line, exc.key, exc.params))
            continue
        order.paid += p.amount  # a second payment of the order in the same file sees the first
        result.book.append({"line": p.line, "number": p.number, "on": p.on.isoformat(), "amount": str(p.amount),
                            "payer": p.payer, "inn": p.payer_inn, "order_id": order.id, "order": order.number,
                            "ref": p.ref})
    result.bad.sort(key=lambda bad: bad[0])
    return result


async def confirm(uow_factory: Callable[[], UnitOfWork], actor_id: int, rows: list[dict]) -> BankResult:
    """Book the previewed payments, each in its own transaction through the order's payment service: one that
    cannot be booked now (the order paid meanwhile, the deal not this person's) is told and the others go on."""
    async with (uow := uow_factory()):  # the press is checked again: only a head or an admin books a statement
        await head(uow, actor_id)
    result = BankResult()
    for row in rows:
        try:
            await order_to_cash.pay(uow_factory(), actor_id, int(row["order_id"]), Decimal(row["amount"]),
                                    bank_ref=row["ref"], received_on=date.fromisoformat(row["on"]))
        except DomainError as exc:
            if exc.key == "payment_booked":
                result.repeated += 1
            else:
                result.failed.append((int(row["line"]), exc.key, exc.params))
            continue
        result.booked.append(row)
    return result
