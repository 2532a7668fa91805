"""Personal data: consent with its text's version, the export of what is stored, erasure that anonymises the
person and leaves deals' accounts as they were, by the person or by an admin; nobody else."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from core.db import models as m
from core.domain.errors import Forbidden, InvalidInput
from core.domain.privacy import CONSENT_VERSION, ERASED, needs_consent
from core.services import deals, privacy, users, workspace
from core.services.deals import Incoming
from tests.factories import market_deal


async def test_consent_is_recorded_with_the_text_version_once(uow, cfg):
    user = await users.touch(uow(), users.TgPerson(tg_id=555, name="Вера"), cfg, frozenset())
    assert needs_consent(user.role, user.consent_version)
    user = await privacy.consent(uow(), user.id)
    assert (user.consent_version, needs_consent(user.role, user.consent_version)) == (CONSENT_VERSION, False)
    assert user.consent_at is not None
    await privacy.consent(uow(), user.id)  # a second press records nothing more
    async with uow() as u:
        trail = (await u.session.scalars(select(m.AuditLog.comment).where(
            m.AuditLog.entity == "user", m.AuditLog.entity_id == user.id, m.AuditLog.action == "consent"))).all()
    assert trail == [CONSENT_VERSION]
    assert needs_consent("client", "2020-01-01")  # a new text is asked again


async def test_the_export_holds_what_is_stored_and_only_the_person_or_an_admin_gets_it(uow, cfg):
    w, app, _deal = await market_deal(uow, cfg)
    client = w["client"]
    await deals.post(uow(), client.id, app.id, Incoming(chat_id=client.tg_id, message_id=7, kind="text",
                                                         text="Когда привезут?"), cfg)
    data = await privacy.export(uow(), client.id, client.id)
    assert data["profile"]["name"] == "Клиент Иван" and data["profile"]["tg_id"] == 4001
    assert data["consent"]["version"] == CONSENT_VERSION
    assert [(a["id"], a["client_name"], a["client_phone"], a["files"]) for a in data["applications"]] == [
        (app.id, "ООО Ромашка", "+79001234567", ["ТЗ.pdf"])]
    assert [msg["text"] for msg in data["messages"]] == ["Когда привезут?"]
    assert json.loads(privacy.export_json(data))["applications"][0]["amount"] == "5000000.00"
    assert (await privacy.export(uow(), w["admin"].id, client.id))["profile"]["id"] == client.id
    with pytest.raises(Forbidden):
        await privacy.export(uow(), w["a1"].id, client.id)  # a manager of the deal is not the person


async def test_erasure_anonymises_the_person_and_keeps_the_accounts(uow, cfg):
    w, app, deal = await market_deal(uow, cfg)
    client = w["client"]
    await deals.post(uow(), client.id, app.id, Incoming(chat_id=client.tg_id, message_id=7, kind="text",
                                                         text="Мой паспорт 4500 123456"), cfg)
    before = await workspace.view(uow(), w["a1"].id, deal.id)
    with pytest.raises(Forbidden):
        await privacy.erase(uow(), w["a1"].id, client.id)
    erased = await privacy.erase(uow(), client.id, client.id)
    assert (erased.name, erased.username, erased.phone, erased.tg_id, erased.blocked) == (
        ERASED, None, None, -client.id, True)
    async with uow() as u:
        s = u.session
        a = await s.get(m.Application, app.id)
        assert (a.client_name, a.client_phone, a.amount, a.status) == (ERASED, "", app.amount, "documents")
        assert await s.scalar(select(func.count()).select_from(m.ApplicationFile)) == 0
        assert (await s.scalars(select(m.DealMessage.text).where(m.DealMessage.sender_id == client.id))).all() == [
            None]
        assert await s.scalar(select(m.Client.name).where(m.Client.id == deal.client_id)) == ERASED
        assert await s.scalar(select(func.count()).select_from(m.Offer)) == 1
        assert (await s.scalars(select(m.AuditLog.action).where(m.AuditLog.entity == "user",
                                                                m.AuditLog.entity_id == client.id)
                                .order_by(m.AuditLog.id.desc()).limit(1))).all() == ["erased"]
    after = await workspace.view(uow(), w["a1"].id, deal.id)
    assert (after.deal.budget, after.status.name, after.deal.responsible_id) == (
        before.deal.budget, before.status.name, before.deal.responsible_id)
    # the person who comes back is someone new; erasing twice is refused
    again = await users.touch(uow(), users.TgPerson(tg_id=4001, name="Иван"), cfg, frozenset())
    assert again.id != client.id and again.consent_version is None
    with pytest.raises(InvalidInput) as err:
        await privacy.erase(uow(), w["admin"].id, client.id)
    assert err.value.key == "already_erased"


async def test_an_admin_erases_on_request_but_not_an_admin(uow, cfg):
    w, _app, _deal = await market_deal(uow, cfg)
    erased = await privacy.erase(uow(), w["admin"].id, w["agent"].id)
    assert erased.name == ERASED and erased.referral_code is None and erased.role == "client"
    with pytest.raises(InvalidInput) as err:
        await privacy.erase(uow(), w["admin"].id, w["admin"].id)
    assert err.value.key == "admin_not_erasable"
