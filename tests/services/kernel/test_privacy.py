"""Personal data: consent with its text's version, the export of what is stored, erasure that anonymises the
person and leaves deals' accounts as they were, by the person or by an admin; nobody else."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.db.kernel import models as m
from core.domain.kernel.errors import Forbidden, InvalidInput, NotFound
from core.domain.kernel.privacy import CONSENT_VERSION, ERASED, needs_consent
from core.services.deals import listing as deal_list
from core.services.kernel import privacy, users
from core.services.leads import lifecycle as leads
from core.services.leads import reports
from core.services.marketplace import deal_room as deals
from core.services.marketplace.deal_room import Incoming
from tests.factories import law_deal, market_deal, world


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
    before = await deal_list.view(uow(), w["a1"].id, deal.id)
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
    after = await deal_list.view(uow(), w["a1"].id, deal.id)
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


async def test_a_contact_known_only_by_phone_is_exported_and_erased_by_an_admin(uow, cfg):
    """A person who never wrote to the bot (a lead from a call) asks the company what it keeps and to forget it."""
    w = await world(uow, cfg)
    deal = await law_deal(uow, cfg, w, w["a1"], phone="+79005550101", name="Пётр Сидоров")
    async with uow() as u:
        lead = await u.session.scalar(select(m.Lead).where(m.Lead.id == deal.lead_id))
        u.session.add(m.LeadNote(lead_id=lead.id, author_id=w["a1"].id, text="Паспорт 4500 123456, звонить вечером"))
        lead.city, lead.comment, lead.given_name = "Казань", "Долг по кредитке", "Петя Сидоров"
        await u.commit()
        before = await reports.funnel(uow(), w["admin"].id, lead.created_at - timedelta(days=1),
                                      lead.created_at + timedelta(days=1))
    subject = await privacy.find_subject(uow(), w["admin"].id, "8 (900) 555-01-01", cfg.phone_region)
    assert subject == privacy.Subject(contact_id=lead.contact_id)
    data = await privacy.contact_export(uow(), w["admin"].id, lead.contact_id)
    assert (data["contact"]["name"], data["contact"]["phones"]) == ("Пётр Сидоров", ["+79005550101"])
    assert [(x["city"], x["comment"], x["given_name"]) for x in data["leads"]] == [
        ("Казань", "Долг по кредитке", "Петя Сидоров")]
    assert "Паспорт 4500 123456, звонить вечером" in [n["text"] for n in data["notes"]]
    assert [d["name"] for d in data["deals"]] == ["Пётр Сидоров"]
    for someone in (w["a1"], w["client"]):  # a manager of the lead, a client: only an admin, on request
        with pytest.raises(Forbidden):
            await privacy.contact_export(uow(), someone.id, lead.contact_id)
        with pytest.raises(Forbidden):
            await privacy.contact_erase(uow(), someone.id, lead.contact_id)

    erased = await privacy.contact_erase(uow(), w["admin"].id, lead.contact_id)
    assert (erased.name, erased.city, erased.comment, erased.messengers) == (ERASED, None, None, {})
    assert erased.erased_at is not None
    async with uow() as u:
        s = u.session
        assert await s.scalar(select(func.count()).select_from(m.ContactPhone)) == 0
        kept = await s.get(m.Lead, lead.id)
        assert (kept.city, kept.comment, kept.given_name, kept.status, kept.source_id, kept.debt_amount) == (
            None, None, None, lead.status, lead.source_id, lead.debt_amount)
        assert set((await s.scalars(select(m.LeadNote.text).where(m.LeadNote.lead_id == lead.id))).all()) == {ERASED}
        d = await s.get(m.Deal, deal.id)
        assert (d.name, d.status_id, d.budget) == (ERASED, deal.status_id, deal.budget)
        assert await s.scalar(select(m.Client.name).where(m.Client.id == deal.client_id)) == ERASED
        assert (await s.scalars(select(m.AuditLog.action).where(m.AuditLog.entity == "contact",
                                                                m.AuditLog.entity_id == lead.contact_id))).all() == [
            "erased"]
    after = await reports.funnel(uow(), w["admin"].id, lead.created_at - timedelta(days=1),
                                 lead.created_at + timedelta(days=1))
    assert after == before  # the funnel report counts what it counted
    with pytest.raises(NotFound):  # the phone is forgotten too
        await privacy.find_subject(uow(), w["admin"].id, "+79005550101", cfg.phone_region)
    with pytest.raises(InvalidInput) as err:
        await privacy.contact_erase(uow(), w["admin"].id, lead.contact_id)
    assert err.value.key == "contact_already_erased"


async def test_a_contact_with_an_account_is_that_persons_data(uow, cfg):
    w, _app, _deal = await market_deal(uow, cfg)
    client = w["client"]
    contact = await leads.bind_telegram_user(uow(), client.id, "+7 900 765-43-21", cfg)
    found = await privacy.find_subject(uow(), w["admin"].id, "+79007654321", cfg.phone_region)
    assert found == privacy.Subject(user_id=client.id)
    with pytest.raises(Forbidden):  # only an admin looks people up
        await privacy.find_subject(uow(), w["a1"].id, "+79007654321", cfg.phone_region)
    with pytest.raises(InvalidInput) as err:
        await privacy.contact_erase(uow(), w["admin"].id, contact.id)
    assert err.value.key == "contact_has_account"
    await privacy.erase(uow(), w["admin"].id, client.id)  # the account's erasure empties the card
    async with uow() as u:
        card = await u.session.get(m.Contact, contact.id)
        assert (card.name, card.user_id, card.phones) == (ERASED, None, [])
    for nobody in ("@nobody", "123456789"):  # an unknown username, a Telegram id nobody has
        with pytest.raises(NotFound):
            await privacy.find_subject(uow(), w["admin"].id, nobody, cfg.phone_region)
    with pytest.raises(InvalidInput) as err:
        await privacy.find_subject(uow(), w["admin"].id, "+7 900", cfg.phone_region)
    assert err.value.key == "bad_phone"
