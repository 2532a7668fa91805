"""The statements of the stage engine: a deal's open stay in a stage, and the scheduler's deadline scan."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo

STAYS = m.DealStage.__table__
DUE = (select(STAYS.c.id, STAYS.c.deal_id, STAYS.c.stage, STAYS.c.entered_at)
       .where(STAYS.c.left_at.is_(None), STAYS.c.expired_at.is_(None), STAYS.c.due_at <= bindparam("now"))
       .order_by(STAYS.c.due_at, STAYS.c.id).limit(bindparam("limit")))
DUE_LOCKED = DUE.with_for_update(skip_locked=True)


class StageRepo(Repo):
    async def current(self, deal_id: int) -> m.DealStage | None:
        """The deal's open stay (the stage it is in)."""
        return await self.session.scalar(select(m.DealStage).where(
            m.DealStage.deal_id == deal_id, m.DealStage.left_at.is_(None)).order_by(m.DealStage.id.desc()).limit(1))

    async def history(self, deal_id: int) -> list[m.DealStage]:
        return list((await self.session.scalars(select(m.DealStage).where(m.DealStage.deal_id == deal_id)
                                                .order_by(m.DealStage.id))).all())

    async def due(self, now: datetime, limit: int) -> list:
        """Open stays whose control deadline has passed and whose action is not done, oldest first: rows of (id,
        deal_id, stage, entered_at), read as plain rows by a statement built once (the partial index
        ix_deal_stages_due holds just these rows). On PostgreSQL the rows are locked, skipping those another
        scheduler holds; on SQLite the unit's BEGIN IMMEDIATE serialises the scans."""
        stmt = DUE_LOCKED if self.session.bind.dialect.name == "postgresql" else DUE
        return list((await self.session.execute(stmt, {"now": now, "limit": limit})).all())

    async def rearm(self, stay_id: int, due_at: datetime) -> None:
        """A deadline that acts again (stage 9's weekly follow-up): due at ``due_at``, not acted on yet."""
        await self.session.execute(update(m.DealStage).where(m.DealStage.id == stay_id)
                                   .values(expired_at=None, due_at=due_at).execution_options(synchronize_session=False))

    async def mark_expired(self, ids: list[int], at: datetime) -> int:
        """The deadline's action is done for these stays (only those not marked yet: a second scan marks none)."""
        result = await self.session.execute(update(m.DealStage).where(
            m.DealStage.id.in_(ids), m.DealStage.expired_at.is_(None)).values(expired_at=at)
            .execution_options(synchronize_session=False))
        return result.rowcount
