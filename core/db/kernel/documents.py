"""The statements of generated documents, their templates, the e-mail outbox, and an order's money and shipping
(seed 001, stages 8–14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, delete, func, select, update

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo
from core.domain.kernel.tasks import OutboxStatus

_PENDING, _SENDING, _SENT = OutboxStatus.PENDING.value, OutboxStatus.SENDING.value, OutboxStatus.SENT.value


class DocumentRepo(Repo):
    async def get(self, document_id: int) -> m.Document | None:
        return await self.session.get(m.Document, document_id)

    async def of(self, *, quote_id: int | None = None, order_id: int | None = None) -> m.Document | None:
        """The newest document made of this КП version or this order."""
        column, value = (m.Document.quote_id, quote_id) if quote_id is not None else (m.Document.order_id, order_id)
        return await self.session.scalar(select(m.Document).where(column == value)
                                         .order_by(m.Document.id.desc()).limit(1))

    async def remember_file_id(self, document_id: int, file_id: str) -> None:
        """Telegram's id of the uploaded file, kept once: later sends go by it."""
        await self.session.execute(update(m.Document).where(m.Document.id == document_id,
                                                            m.Document.tg_file_id.is_(None))
                                   .values(tg_file_id=file_id).execution_options(synchronize_session=False))

    async def template(self, kind: str) -> m.DocTemplate | None:
        return await self.session.get(m.DocTemplate, kind)

    async def drop_template(self, kind: str) -> None:
        await self.session.execute(delete(m.DocTemplate).where(m.DocTemplate.kind == kind))


@dataclass(frozen=True)
class MailDue:
    id: int
    to_addr: str
    subject: str
    body: str
    document_id: int | None
    attempts: int


def _claim_statement(dialect: str):
    o = m.MailOutbox
    due = (select(o.id).where(o.status.in_((_PENDING, _SENDING)), o.not_before <= bindparam("now"))
           .order_by(o.id).limit(bindparam("limit")))
    if dialect == "postgresql":
        due = due.with_for_update(skip_locked=True)
    due = due.cte("due")
    return (update(o).where(o.id == due.c.id)
            .values(status=_SENDING, attempts=o.attempts + 1, not_before=bindparam("until", type_=o.not_before.type))
            .returning(o.id, o.to_addr, o.subject, o.body, o.document_id, o.attempts))


class MailRepo(Repo):
    def queue(self, to: str, subject: str, body: str, *, deal_id: int | None = None, document_id: int | None = None,
              interaction_id: int | None = None, sent_by: int | None = None) -> m.MailOutbox:
        """An e-mail written with the change that causes it: the mail worker sends it after the commit."""
        return self.add(m.MailOutbox(to_addr=to, subject=subject, body=body, deal_id=deal_id, document_id=document_id,
                                     interaction_id=interaction_id, sent_by=sent_by, status=_PENDING, attempts=0))

    async def get(self, mail_id: int) -> m.MailOutbox | None:
        return await self.session.get(m.MailOutbox, mail_id)

    async def claim(self, now: datetime, limit: int, until: datetime) -> list[MailDue]:
        """Take the due e-mails (pending ones whose time came, and held ones whose sender's lease ran out) until
        ``until``, in one UPDATE … RETURNING: two workers never take one (SKIP LOCKED on PostgreSQL)."""
        conn = await self.session.connection()
        rows = (await conn.execute(_claim_statement(conn.dialect.name),
                                   {"now": now, "limit": limit, "until": until})).all()
        return sorted((MailDue(*r) for r in rows), key=lambda r: r.id)

    async def mark_sent(self, mail_id: int, at: datetime) -> bool:
        """The held e-mail went out: False when it was not held any more (already marked)."""
        result = await self.session.execute(
            update(m.MailOutbox).where(m.MailOutbox.id == mail_id, m.MailOutbox.status == _SENDING)
            .values(status=_SENT, sent_at=at, last_error=None).execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def thread(self, deal_id: int, before_id: int) -> list[str]:
        """The Message-IDs of the deal's e-mails sent before this one, oldest first (the КП, its revisions)."""
        o = m.MailOutbox
        return list((await self.session.scalars(select(o.message_id).where(
            o.deal_id == deal_id, o.id < before_id, o.status == _SENT, o.message_id.is_not(None))
            .order_by(o.id))).all())

    async def withdraw(self, interaction_id: int) -> None:
        """The e-mails of an interaction done some other way, still waiting: they will not go (a held one is
        already with a worker and may still go)."""
        await self.session.execute(
            update(m.MailOutbox).where(m.MailOutbox.interaction_id == interaction_id, m.MailOutbox.status == _PENDING)
            .values(status=OutboxStatus.SKIPPED.value, last_error="sent by hand")
            .execution_options(synchronize_session=False))


class OrderMoneyRepo(Repo):
    """An order's payments and shipping, and the deal's order the process follows."""

    async def paid(self, order_id: int) -> list[Decimal]:
        await self.session.flush()
        return list((await self.session.scalars(select(m.Payment.amount).where(
            m.Payment.order_id == order_id, m.Payment.received_at.is_not(None)).order_by(m.Payment.id))).all())

    async def payments(self, order_id: int) -> list[m.Payment]:
        return list((await self.session.scalars(select(m.Payment).where(m.Payment.order_id == order_id)
                                                .order_by(m.Payment.id))).all())

    async def of_process(self, deal_id: int) -> m.Order | None:
        """The deal's order built from its КП (stage 11): the newest one."""
        return await self.session.scalar(select(m.Order).where(m.Order.deal_id == deal_id,
                                                               m.Order.quote_id.is_not(None))
                                         .order_by(m.Order.id.desc()).limit(1))

    async def of_task(self, task_id: int) -> m.Order | None:
        o = m.Order
        return await self.session.scalar(select(o).where(
            (o.purchase_task_id == task_id) | (o.contract_task_id == task_id) | (o.ship_task_id == task_id)))

    async def shipped_unpaid(self, client_id: int) -> list[str]:
        """The numbers of the counterparty's orders that were shipped and are not paid in full."""
        paid = (select(func.coalesce(func.sum(m.Payment.amount), 0)).where(
            m.Payment.order_id == m.Order.id, m.Payment.received_at.is_not(None)).scalar_subquery())
        rows = await self.session.scalars(
            select(m.Order.number).join(m.Deal, m.Deal.id == m.Order.deal_id)
            .where(m.Deal.client_id == client_id, m.Order.shipped_at.is_not(None), paid < m.Order.amount)
            .order_by(m.Order.id))
        return list(rows.all())
