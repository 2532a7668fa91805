"""The funnel report by source (seed 004): for the leads created in a period, how many ever reached a meeting,
a visit, a contract, a contract with prepayment (a later stage counts for the earlier ones: a lead that signed a
contract was also booked and visited). What each lead has reached is kept on it, set in the transaction that moves
it (``leads.set_status``), so the report is one pass over one index of one table."""

from __future__ import annotations

from datetime import datetime

from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.roles import STAFF, holds
from core.domain.leads.lifecycle import FunnelRow


async def funnel(uow: UnitOfWork, viewer_id: int, start: datetime, end: datetime) -> list[FunnelRow]:
    async with uow:
        viewer = await uow.users.get(viewer_id)
        if viewer is None or not holds(viewer, *STAFF):  # whichever role they hold
            raise Forbidden()
        rows = await uow.reports.funnel(start, end)
        return [FunnelRow(name, int(n), *(int(x or 0) for x in stages)) for name, n, *stages in rows]
