"""Two people acting at the same moment: one state change, the other told who was first."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import func, select

from core.db.kernel import models as m
from core.domain.kernel.errors import AlreadyDecided
from core.domain.marketplace.applications import AppStatus
from core.domain.marketplace.offers import CompanyAlreadyOffered, SlotHeld
from core.services.marketplace import applications, offers
from core.services.marketplace.offers import OfferInput
from tests.factories import draft, person, world


async def test_two_admins_approve_at_once(uow, factory, cfg):
    w = await world(uow, cfg)
    second = await person(uow, cfg, 1001, "Второй админ", admin_ids=frozenset({1000, 1001}))
    app = await applications.submit(uow(), w["client"].id, draft(w), cfg)
    results = await asyncio.gather(
        applications.moderate(uow(), w["admin"].id, app.id, AppStatus.DISPATCHED, None, cfg),
        applications.moderate(uow(), second.id, app.id, AppStatus.REJECTED, "нет", cfg),
        return_exceptions=True)
    assert sum(isinstance(r, AlreadyDecided) for r in results) == 1
    async with factory() as s:
        decisions = await s.scalar(select(func.count()).select_from(m.AuditLog).where(m.AuditLog.action == "moderate"))
        dispatched = await s.scalar(select(func.count()).select_from(m.DispatchLog))
    assert decisions == 1
    assert dispatched in (0, 3)  # dispatched only if the approval won


async def test_two_managers_of_one_company_offer_at_once(uow, factory, cfg):
    w = await world(uow, cfg)
    app = await applications.submit(uow(), w["client"].id, draft(w), cfg)
    await applications.moderate(uow(), w["admin"].id, app.id, AppStatus.DISPATCHED, None, cfg)
    offer = OfferInput(monthly_payment=Decimal("1000"), term_months=12, advance=Decimal(0), buyout=Decimal(0))
    results = await asyncio.gather(offers.submit(uow(), w["a1"].id, app.id, offer, cfg),
                                   offers.submit(uow(), w["a2"].id, app.id, offer, cfg), return_exceptions=True)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], CompanyAlreadyOffered | SlotHeld)
    async with factory() as s:
        assert await s.scalar(select(func.count()).select_from(m.Offer)) == 1


async def test_a_client_pressing_approve_five_times(uow, factory, cfg):
    w = await world(uow, cfg)
    app = await applications.submit(uow(), w["client"].id, draft(w), cfg)
    await applications.moderate(uow(), w["admin"].id, app.id, AppStatus.DISPATCHED, None, cfg)
    o = await offers.submit(uow(), w["a1"].id, app.id, OfferInput(Decimal(1000), 12, Decimal(0), Decimal(0)), cfg)
    results = await asyncio.gather(*(offers.approve_deal(uow(), w["client"].id, app.id, [o.id]) for _ in range(5)),
                                   return_exceptions=True)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, AlreadyDecided) for r in results if isinstance(r, Exception))
    async with factory() as s:
        assert await s.scalar(select(func.count()).select_from(m.Outbox).where(m.Outbox.kind == "deal_chosen")) == 1
