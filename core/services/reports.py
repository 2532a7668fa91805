"""The funnel report by source (seed 004): for the leads created in a period, how many ever reached a meeting,
a visit, a contract, a contract with prepayment (a later stage counts for the earlier ones: a lead that signed a
contract was also booked and visited). What each lead has reached is kept on it, set in the transaction that moves
it (``leads.set_status``), so the report is one pass over one index of one table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select

from core.db import models as m
from core.db.uow import UnitOfWork
from core.domain.errors import Forbidden
from core.domain.leads import FUNNEL, FunnelRow
from core.domain.roles import STAFF


def funnel_query(start: datetime, end: datetime):
    """One GROUP BY over the leads created in [start, end) (the index ix_leads_funnel holds all it reads), per
    source: how many, and how many reached each stage; the sources' names joined to the few groups."""
    lead = m.Lead.__table__.c
    per_source = (select(lead.source_id, func.count().label("n"),
                         *(func.sum(lead[f"reached_{stage}"]).label(stage) for stage in FUNNEL))
                  .where(and_(lead.created_at >= start, lead.created_at < end))
                  .group_by(lead.source_id).subquery())
    return (select(m.Source.name, per_source.c.n, *(per_source.c[stage] for stage in FUNNEL))
            .join(per_source, per_source.c.source_id == m.Source.id).order_by(m.Source.name))


async def funnel(uow: UnitOfWork, viewer_id: int, start: datetime, end: datetime) -> list[FunnelRow]:
    async with uow:
        viewer = await uow.users.get(viewer_id)
        if viewer is None or viewer.role not in STAFF:
            raise Forbidden()
        rows = (await uow.session.execute(funnel_query(start, end))).all()
        return [FunnelRow(name, int(n), *(int(x or 0) for x in stages)) for name, n, *stages in rows]
