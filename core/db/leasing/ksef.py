"""The fakturas' way to KSeF: the queue of submissions (one per faktura, written with it), what is due to be sent,
and what the admin's screen counts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, literal, select

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo
from core.db.kernel.types import UTCDateTime


class KsefRepo(Repo):
    async def queue(self, invoice_ids: Sequence[int] | None = None, *, series: str | None = None,
                    first: int = 0, count: int = 0) -> int:
        """A pending submission for each faktura named (by id, or a run of numbers in a series) that has none:
        one INSERT … SELECT, in the transaction that issues them."""
        invoice, sub = m.LeaseInvoice, m.KsefSubmission
        now = literal(self.now(), UTCDateTime())
        source = select(invoice.id, literal("pending"), literal(False), literal(0), now, now).where(
            ~select(sub.id).where(sub.invoice_id == invoice.id).exists())
        if invoice_ids is not None:
            if not invoice_ids:
                return 0
            source = source.where(invoice.id.in_(list(invoice_ids)))
        else:
            if not count:
                return 0
            source = source.where(invoice.series == series, invoice.seq.between(first, first + count - 1))
        return (await self.session.execute(insert(sub).from_select(
            ["invoice_id", "status", "offline", "attempts", "next_try_at", "created_at"], source))).rowcount

    async def invoice_by_number(self, deal_id: int, series: str, seq: int) -> m.LeaseInvoice | None:
        invoice = m.LeaseInvoice
        return await self.session.scalar(select(invoice).where(invoice.deal_id == deal_id, invoice.series == series,
                                                               invoice.seq == seq))

    async def due(self, now: datetime, limit: int = 100, invoice_ids: Sequence[int] | None = None
                  ) -> list[m.KsefSubmission]:
        """The pending submissions due to be tried (of these fakturas, when named), oldest first."""
        sub = m.KsefSubmission
        stmt = select(sub).where(sub.status == "pending", sub.next_try_at <= now)
        if invoice_ids is not None:
            stmt = stmt.where(sub.invoice_id.in_(list(invoice_ids)))
        return list((await self.session.scalars(stmt.order_by(sub.id).limit(limit))).all())

    async def of_invoice(self, invoice_id: int) -> m.KsefSubmission | None:
        return await self.session.scalar(select(m.KsefSubmission).where(m.KsefSubmission.invoice_id == invoice_id))

    async def get(self, submission_id: int) -> m.KsefSubmission | None:
        return await self.session.get(m.KsefSubmission, submission_id)

    async def counts(self) -> dict[tuple[str, bool], int]:
        """(status, offline) -> how many."""
        sub = m.KsefSubmission
        rows = await self.session.execute(select(sub.status, sub.offline, func.count()).group_by(sub.status,
                                                                                              sub.offline))
        return {(status, bool(offline)): n for status, offline, n in rows}
