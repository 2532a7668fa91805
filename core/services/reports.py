"""The funnel report by source (seed 004): for the leads created in a period, how many ever reached a meeting,
a visit, a contract, a contract with prepayment, counted from the status history (a later stage counts for the
earlier ones: a lead that signed a contract was also booked and visited)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, select

from core.db import models as m
from core.db.uow import UnitOfWork
from core.domain.errors import Forbidden
from core.domain.leads import FUNNEL, FunnelRow
from core.domain.roles import STAFF


def funnel_query(start: datetime, end: datetime):
    """One GROUP BY: per source, leads created in [start, end) and those that reached each stage."""
    h = m.LeadStatusChange
    stage_flags = [
        func.max(case((h.to_status.in_([s.value for s in statuses]), 1), else_=0)).label(stage)
        for stage, statuses in FUNNEL.items()
    ]
    per_lead = (select(m.Lead.id.label("lead_id"), m.Lead.source_id, *stage_flags)
                .join(h, h.lead_id == m.Lead.id)
                .where(and_(m.Lead.created_at >= start, m.Lead.created_at < end))
                .group_by(m.Lead.id, m.Lead.source_id).subquery())
    return (select(m.Source.name, func.count(per_lead.c.lead_id),
                   *(func.sum(per_lead.c[stage]) for stage in FUNNEL))
            .join(per_lead, per_lead.c.source_id == m.Source.id)
            .group_by(m.Source.id, m.Source.name).order_by(m.Source.name))


async def funnel(uow: UnitOfWork, viewer_id: int, start: datetime, end: datetime) -> list[FunnelRow]:
    async with uow:
        viewer = await uow.users.get(viewer_id)
        if viewer is None or viewer.role not in STAFF:
            raise Forbidden()
        rows = (await uow.session.execute(funnel_query(start, end))).all()
        return [FunnelRow(name, int(n), *(int(x or 0) for x in stages)) for name, n, *stages in rows]
