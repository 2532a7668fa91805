"""The books' documents: a faktura, a dunning letter, the final settlement («Rozliczenie finalne»), as PDF files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import DocKind
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput
from core.domain.kernel.schedule import local_date
from core.domain.leasing import books
from core.domain.leasing.books import ChargeKind, ReceiptKind
from core.domain.leasing.case import Actor, LeaseStatus, contract_number
from core.services.kernel import documents
from core.services.kernel.config import CoreConfig
from core.services.leasing import case as lease
from core.services.leasing.books import ksef
from core.services.leasing.books.ledger import ZERO, invoice_number

#: a charge kind's line in the closing statement: its words' key (core/documents/words, table «charge»)
SETTLEMENT_NAMES = {k: k.value for k in ChargeKind}


async def settlement_document(uow: UnitOfWork, actor_id: int, deal_id: int, cfg: CoreConfig | None = None
                              ) -> m.Document:
    """«Rozliczenie finalne»: the closed contract's closing statement as a PDF, for its client and its staff."""
    async with uow:
        _, case, client, _ = await lease.load(uow, actor_id, deal_id)
        if case.status != LeaseStatus.CLOSED:
            raise Conflict("lease_not_closed")
        s = books.settlement([(ChargeKind(c.kind), c.gross) for c in await uow.books.charges(deal_id)],
                             [(ReceiptKind(r.kind), r.amount) for r in await uow.books.receipts(deal_id)], 0)
        refund = s.charged.get(ChargeKind.REFUND, ZERO)
        doc = await documents.lease_settlement_document(
            uow, case, client, contract=contract_number(deal_id),
            charges=[(SETTLEMENT_NAMES[k], v) for k, v in s.charged.items() if k != ChargeKind.REFUND],
            paid=s.paid, credited=s.credited, balance=s.balance + refund, refund=refund,
            day=local_date(case.closed_at or uow.clock.now(), (cfg or CoreConfig()).lease_timezone))
        await uow.commit()
        return doc


@dataclass(frozen=True)
class InvoiceDoc:
    document: m.Document
    number: str
    deal_id: int
    gross: Decimal  # negative: a correcting faktura
    due: date | None
    currency: str


async def invoice_document(uow: UnitOfWork, actor_id: int, invoice_id: int, cfg: CoreConfig | None = None
                           ) -> InvoiceDoc:
    """A faktura's PDF for its client or the staff who see the contract: made once, then kept (made again once KSeF
    numbered it). A correcting one names the faktura it corrects and shows its line before and after; with KSeF on,
    the KSeF number (or OFFLINE) and the verification QR codes."""
    async with uow:
        invoice = await uow.books.invoice(invoice_id)
        if invoice is None:
            raise InvalidInput("stale_button")
        _, case, client, _ = await lease.load(uow, actor_id, invoice.deal_id)
        number = invoice_number(invoice)
        charge = await uow.books.charge(invoice.charge_id) if invoice.charge_id is not None else None
        receipt = None if charge else await uow.books.receipt(invoice.receipt_id)
        summary = dict(number=number, deal_id=case.deal_id, gross=charge.gross if charge else -receipt.amount,
                       due=charge.due if charge else None, currency=case.currency)
        if invoice.document_id is not None:
            return InvoiceDoc(await uow.documents.get(invoice.document_id), **summary)
        f = await ksef.facts(uow, invoice, await documents.recipient_language(uow, DocKind.LEASE_INVOICE, client))
        marks = await ksef.marks(uow, (cfg or CoreConfig()).ksef, invoice)
        doc = await documents.lease_invoice_document(uow, case, client, invoice, number, facts=f, marks=marks)
        await uow.flush()
        invoice.document_id = doc.id
        await uow.commit()
        return InvoiceDoc(doc, **summary)


async def letter_document(uow: UnitOfWork, actor_id: int, dunning_id: int) -> m.Document:
    """A dunning letter's PDF, for the staff who see the contract."""
    async with uow:
        row = await uow.books.dunning_by_id(dunning_id)
        if row is None:
            raise InvalidInput("stale_button")
        _, case, client, actors = await lease.load(uow, actor_id, row.deal_id)
        if Actor.CLIENT in actors and len(actors) == 1:
            raise Forbidden()
        charge = await uow.books.charge(row.charge_id)
        doc = await documents.lease_letter_document(uow, case, client, row, charge.due, row.sent_on)
        await uow.commit()
        return doc
