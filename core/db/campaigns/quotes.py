"""The statements of the commercial offer (seed 001, stages 6–7): a deal's КП versions and their lines, the admins'
approval rules, and the one decision an approval takes (a conditional UPDATE: the first press wins)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo


class QuoteRepo(Repo):
    async def get(self, quote_id: int) -> m.Quote | None:
        return await self.session.get(m.Quote, quote_id)

    async def of_deal(self, deal_id: int) -> list[m.Quote]:
        """Every version, the newest first."""
        return list((await self.session.scalars(select(m.Quote).where(m.Quote.deal_id == deal_id)
                                                .order_by(m.Quote.version.desc()))).all())

    async def last(self, deal_id: int) -> m.Quote | None:
        return await self.session.scalar(select(m.Quote).where(m.Quote.deal_id == deal_id)
                                         .order_by(m.Quote.version.desc()).limit(1))

    async def next_position(self, quote_id: int) -> int:
        return (await self.session.scalar(select(func.max(m.QuoteLine.position)).where(
            m.QuoteLine.quote_id == quote_id)) or 0) + 1

    async def decide(self, quote_id: int, status: str, by: int, at: datetime, comment: str | None) -> bool:
        """The version leaves «approval» with this outcome, unless another decision came first (then nothing is
        written and False is returned): one statement, so two presses at once cannot both win."""
        result = await self.session.execute(
            update(m.Quote).where(m.Quote.id == quote_id, m.Quote.status == "approval")
            .values(status=status, decided_by=by, decided_at=at, decision_comment=comment)
            .execution_options(synchronize_session=False))
        return result.rowcount == 1

    async def rules(self, subject: str) -> list[m.ApprovalRule]:
        return list((await self.session.scalars(select(m.ApprovalRule).where(m.ApprovalRule.subject == subject)
                                                .order_by(m.ApprovalRule.min_amount, m.ApprovalRule.id))).all())

    async def remove_rule(self, rule_id: int) -> bool:
        result = await self.session.execute(delete(m.ApprovalRule).where(m.ApprovalRule.id == rule_id))
        return result.rowcount == 1

    async def refresh(self, quote: m.Quote) -> None:
        await self.session.refresh(quote)
