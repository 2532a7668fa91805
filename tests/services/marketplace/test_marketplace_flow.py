"""The whole seed-000 flow through the services on a real database: rows written, notifications queued."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.db.kernel import models as m
from core.domain.kernel.errors import AlreadyDecided, Forbidden, IllegalTransition, InvalidInput
from core.domain.marketplace.applications import AppStatus
from core.domain.marketplace.offers import CompanyAlreadyOffered, OfferStatus, SlotHeld
from core.services.marketplace import applications, offers
from core.services.marketplace import deal_room as deals
from core.services.marketplace.deal_room import Incoming
from core.services.marketplace.offers import OfferInput
from tests.factories import draft, person, world

OFFER = OfferInput(monthly_payment=Decimal("150000"), term_months=36, advance=Decimal("500000"),
                   buyout=Decimal("1000"), comment="Выкуп через 36 мес.")


async def outbox(factory, kind=None):
    async with factory() as s:
        stmt = select(m.Outbox).order_by(m.Outbox.id)
        if kind:
            stmt = stmt.where(m.Outbox.kind == kind)
        return (await s.scalars(stmt)).all()


async def audit(factory, app_id):
    async with factory() as s:
        rows = await s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "application",
                                                        m.AuditLog.entity_id == app_id).order_by(m.AuditLog.id))
        return [(r.action, r.from_status, r.to_status, r.comment) for r in rows]


async def test_flow_from_application_to_issued(uow, factory, cfg):
    w = await world(uow, cfg)
    client, admin, a1, a2, b1, agent = (w[k] for k in ("client", "admin", "a1", "a2", "b1", "agent"))

    app = await applications.submit(uow(), client.id, draft(w), cfg)
    assert app.status == AppStatus.MODERATION
    assert app.referrer_id == agent.id and app.client_user_id == client.id
    assert app.client_phone == "+79001234567"
    assert [(r.user_id, r.payload) for r in await outbox(factory, "app_moderation")] == [(admin.id, {"app_id": app.id})]

    result = await applications.moderate(uow(), admin.id, app.id, AppStatus.DISPATCHED, None, cfg)
    assert result.dispatched_to == 3
    assert sorted(r.user_id for r in await outbox(factory, "app_dispatched")) == sorted([a1.id, a2.id, b1.id])
    log = await applications.dispatch_log(uow(), admin.id, app.id)
    assert sorted(u.id for u, _ in log) == sorted([a1.id, a2.id, b1.id])

    # a manager sees no contacts before being chosen
    card = await applications.card(uow(), a1.id, app.id)
    assert card.client_phone is None and card.client_name is None and card.files == []

    await offers.start(uow(), a1.id, app.id, cfg)
    with pytest.raises(SlotHeld) as held:
        await offers.start(uow(), a2.id, app.id, cfg)
    assert held.value.params["manager"] == "Анна"
    offer_a = await offers.submit(uow(), a1.id, app.id, OFFER, cfg)
    with pytest.raises(CompanyAlreadyOffered) as dup:
        await offers.start(uow(), a2.id, app.id, cfg)
    assert dup.value.params == {"manager": "Анна"}
    offer_b = await offers.submit(uow(), b1.id, app.id, OfferInput(
        monthly_payment=Decimal("160000"), term_months=36, advance=Decimal("0"), buyout=Decimal("0")), cfg)

    # the client sees both offers; a manager of A only A's
    _, views, may_choose = await offers.visible_offers(uow(), client.id, app.id)
    assert may_choose and [v.offer.company.name for v in views] == ["Альфа-Лизинг", "Бета-Лизинг"]
    _, views, may_choose = await offers.visible_offers(uow(), a2.id, app.id)
    assert not may_choose and [v.offer.id for v in views] == [offer_a.id]
    with pytest.raises(Forbidden):
        await offers.visible_offers(uow(), agent.id, app.id)

    # only the client (or an admin) chooses
    with pytest.raises(Forbidden):
        await offers.approve_deal(uow(), a1.id, app.id, [offer_a.id])
    await offers.approve_deal(uow(), client.id, app.id, [offer_a.id])
    chosen = await outbox(factory, "deal_chosen")
    assert [(r.user_id, r.payload["offer_id"]) for r in chosen] == [(a1.id, offer_a.id)]
    assert [r.user_id for r in await outbox(factory, "deal_not_chosen")] == [b1.id]
    assert (await applications.card(uow(), a1.id, app.id)).client_phone == "+79001234567"
    assert (await applications.card(uow(), b1.id, app.id)).client_phone is None
    with pytest.raises(AlreadyDecided):
        await offers.approve_deal(uow(), client.id, app.id, [offer_b.id])

    # the deal room: client, chosen manager, referring agent
    msg = await deals.post(uow(), client.id, app.id, Incoming(chat_id=4001, message_id=77, kind="document",
                                                              file_id="F1", file_name="паспорт.pdf",
                                                              mime_type="application/pdf", size=500), cfg)
    relays = [r for r in await outbox(factory, "relay") if r.payload["deal_message_id"] == msg.id]
    assert sorted(r.user_id for r in relays) == sorted([a1.id, agent.id])
    assert await deals.post(uow(), client.id, app.id, Incoming(chat_id=4001, message_id=77, kind="text",
                                                               text="повтор"), cfg) is None
    with pytest.raises(Forbidden):
        await deals.post(uow(), b1.id, app.id, Incoming(chat_id=2003, message_id=5, kind="text", text="hi"), cfg)

    with pytest.raises(InvalidInput):  # «Доработка» needs a comment
        await deals.change_status(uow(), a1.id, app.id, AppStatus.REWORK, None, cfg)
    await deals.change_status(uow(), a1.id, app.id, AppStatus.REWORK, "Нужна выписка", cfg)
    with pytest.raises(IllegalTransition):
        await deals.change_status(uow(), a1.id, app.id, AppStatus.ISSUED, None, cfg)
    with pytest.raises(Forbidden):
        await deals.change_status(uow(), b1.id, app.id, AppStatus.APPROVED, None, cfg)
    await deals.change_status(uow(), a1.id, app.id, AppStatus.APPROVED, None, cfg)
    await deals.change_status(uow(), admin.id, app.id, AppStatus.ISSUED, None, cfg)

    assert await audit(factory, app.id) == [
        ("submit", None, "moderation", None),
        ("moderate", "moderation", "dispatched", None),
        ("approve_deal", "dispatched", "documents", str(offer_a.id)),
        ("status", "documents", "rework", "Нужна выписка"),
        ("status", "rework", "approved", None),
        ("status", "approved", "issued", None),
    ]
    issued = [r for r in await outbox(factory, "status_changed") if r.payload["new"] == "issued"]
    assert sorted(r.user_id for r in issued) == sorted([client.id, a1.id, agent.id])


async def test_first_moderation_decision_wins(uow, cfg):
    w = await world(uow, cfg)
    second = await person(uow, cfg, 1001, "Второй админ", admin_ids=frozenset({1000, 1001}))
    app = await applications.submit(uow(), w["client"].id, draft(w), cfg)
    await applications.moderate(uow(), w["admin"].id, app.id, AppStatus.REJECTED, "Дубль", cfg)
    with pytest.raises(AlreadyDecided) as exc:
        await applications.moderate(uow(), second.id, app.id, AppStatus.DISPATCHED, None, cfg)
    assert exc.value.params["by"] == "Админ" and exc.value.params["status"] == "rejected"


async def test_clarification_then_resubmit(uow, factory, cfg):
    w = await world(uow, cfg)
    app = await applications.submit(uow(), w["agent"].id, draft(w), cfg)
    assert app.client_user_id is None and app.referrer_id == w["agent"].id
    await applications.moderate(uow(), w["admin"].id, app.id, AppStatus.CLARIFICATION, "Какой год выпуска?", cfg)
    with pytest.raises(Forbidden):
        await applications.draft_of(uow(), w["client"].id, app.id)
    d = await applications.draft_of(uow(), w["agent"].id, app.id)
    d.description = "Экскаватор JCB 3CX, 2021 год"
    app = await applications.resubmit(uow(), w["agent"].id, app.id, d, cfg)
    assert app.status == AppStatus.MODERATION and app.description.endswith("2021 год")
    async with factory() as s:
        assert await s.scalar(select(func.count()).select_from(m.ApplicationFile)) == 1


async def test_withdrawn_offer_lets_a_colleague_offer(uow, cfg):
    w = await world(uow, cfg)
    app = await applications.submit(uow(), w["client"].id, draft(w), cfg)
    await applications.moderate(uow(), w["admin"].id, app.id, AppStatus.DISPATCHED, None, cfg)
    offer = await offers.submit(uow(), w["a1"].id, app.id, OFFER, cfg)
    await offers.withdraw(uow(), w["a1"].id, offer.id)
    again = await offers.submit(uow(), w["a2"].id, app.id, OFFER, cfg)
    assert again.id == offer.id and again.manager_id == w["a2"].id and again.status == OfferStatus.ACTIVE


async def test_unique_constraint_is_named_and_holds(uow, factory, cfg):
    w = await world(uow, cfg)
    app = await applications.submit(uow(), w["client"].id, draft(w), cfg)
    await applications.moderate(uow(), w["admin"].id, app.id, AppStatus.DISPATCHED, None, cfg)
    await offers.submit(uow(), w["a1"].id, app.id, OFFER, cfg)
    from sqlalchemy.exc import IntegrityError

    async with factory() as s:
        s.add(m.Offer(application_id=app.id, company_id=w["A"].id, manager_id=w["a2"].id, monthly_payment=1,
                      term_months=1, advance=0, buyout=0))
        with pytest.raises(IntegrityError, match=r"uq_offer_application_company|UNIQUE constraint failed"):
            await s.commit()


async def test_bad_input_writes_nothing(uow, factory, cfg):
    w = await world(uow, cfg)
    for bad in (dict(amount=Decimal("5")), dict(term_months=500), dict(client_phone="123"),
                dict(description="x" * 3000)):
        with pytest.raises(InvalidInput):
            await applications.submit(uow(), w["client"].id, draft(w, **bad), cfg)
    async with factory() as s:
        assert await s.scalar(select(func.count()).select_from(m.Application)) == 0
