"""A client in the bot asks the lessor for an offer on the terms they calculated (seed 002, «Kalkulacje» as self
care): the request goes to the salesperson of their open case, or to every salesperson when they have none, or to
the admins when the lessor has no salesperson yet; what it carries is the terms as the calculator read them and who
the client is in Telegram. Staff are refused (they calculate for themselves); bad terms are refused and nothing is
written. Once a case is open, a client reads only the versions sent to them, never a draft."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.db.kernel import models as m
from core.domain.kernel.deployment import Area
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput
from core.domain.kernel.notices import Notice
from core.domain.leasing.calc import Method, Timing
from core.domain.leasing.case import LeaseOfferStatus
from core.services.kernel import deployment
from core.services.leasing import origination as leasing
from tests.factories import ADMIN_TG, person
from tests.services.leasing.test_leasing import lessor, opened

TERMS = "200 000; 10%; 48; 9; 1%"


async def asked(factory) -> list[tuple[int, dict]]:
    async with factory() as s:
        rows = (await s.scalars(select(m.Outbox).where(m.Outbox.kind == Notice.LEASE_OFFER_ASKED)
                                .order_by(m.Outbox.id))).all()
    return [(r.user_id, r.payload) for r in rows]


async def test_a_client_with_no_case_asks_every_salesperson(uow, cfg, factory):
    w = await lessor(uow, cfg)
    whom = await leasing.ask_offer(uow(), w["client"].id, TERMS, Method.DECREASING, Timing.ADVANCE,
                                   currency="PLN")
    assert sorted(whom) == sorted([w["sales"].id, w["sales2"].id])
    rows = await asked(factory)
    assert [who for who, _ in rows] == whom
    # 178,000 of principal in 48 equal parts, the first paid at once (in advance: no interest in it yet)
    assert rows[0][1] == {"name": "Prezes Alfy", "tg_id": 5100, "username": None, "price": "200000.00",
                          "advance": "20000.00", "months": 48, "rate": "9.00", "residual": "2000.00", "fee": "0.00",
                          "method": "decreasing", "timing": "advance", "instalment": "3708.33", "currency": "PLN"}
    async with factory() as s:
        audit = await s.scalar(select(m.AuditLog).where(m.AuditLog.action == "lease_offer_asked"))
    assert (audit.actor_id, audit.comment) == (w["client"].id, "200000.00; 20000.00; 48; 9.00; 2000.00; 0.00")


async def test_a_client_with_a_case_asks_its_salesperson_only(uow, cfg, factory):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, "5100")
    assert await leasing.ask_offer(uow(), w["client"].id, TERMS, currency="PLN") == [w["sales"].id]


async def test_with_no_salesperson_the_admins_are_asked(uow, cfg):
    admin = await person(uow, cfg, ADMIN_TG, "Admin")
    client = await person(uow, cfg, 5100, "Anna", language_code="pl")
    assert await leasing.ask_offer(uow(), client.id, TERMS, currency="PLN") == [admin.id]


async def test_nobody_to_ask_staff_and_bad_terms_are_refused_and_nothing_is_written(uow, cfg, factory):
    client = await person(uow, cfg, 5100, "Anna", language_code="pl")
    with pytest.raises(Conflict) as caught:  # nobody in the bot to read it
        await leasing.ask_offer(uow(), client.id, TERMS, currency="PLN")
    assert caught.value.key == "lease_nobody_to_ask"
    w = await lessor(uow, cfg)
    with pytest.raises(Forbidden):
        await leasing.ask_offer(uow(), w["sales"].id, TERMS, currency="PLN")
    with pytest.raises(InvalidInput):
        await leasing.ask_offer(uow(), client.id, "200 000; 100%; 48; 9; 1%", currency="PLN")
    async with factory() as s:
        assert await s.scalar(select(func.count()).select_from(m.Outbox)
                              .where(m.Outbox.kind == Notice.LEASE_OFFER_ASKED)) == 0


async def test_a_client_reads_the_versions_sent_to_them_never_a_draft(uow, cfg):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, "5100")
    view = await leasing.view(uow(), w["client"].id, case.deal_id)
    assert (view.offers, view.offer) == ([], None)
    with pytest.raises(Conflict) as caught:  # the draft's PDF is not theirs either
        await leasing.offer_document(uow(), w["client"].id, case.deal_id)
    assert caught.value.key == "lease_no_offer"
    await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    await leasing.recalculate(uow(), w["sales"].id, case.deal_id, "1 500 000; 30%; 48; 8,5; 1%")
    view = await leasing.view(uow(), w["client"].id, case.deal_id)
    assert [(o.version, o.status) for o in view.offers] == [(1, LeaseOfferStatus.SUPERSEDED)]
    staff = await leasing.view(uow(), w["sales"].id, case.deal_id)
    assert [(o.version, o.status) for o in staff.offers] == [(2, LeaseOfferStatus.DRAFT),
                                                             (1, LeaseOfferStatus.SUPERSEDED)]


async def test_where_no_lessor_runs_there_is_no_offer_to_ask_for(uow, cfg, factory):
    w = await lessor(uow, cfg)
    await deployment.set_areas(uow(), w["admin"].id, frozenset({Area.MARKETPLACE}))  # a marketplace: applications
    with pytest.raises(Forbidden):
        await leasing.ask_offer(uow(), w["client"].id, TERMS, currency="PLN")
    assert await asked(factory) == []
