"""A lead's client and the firm on a real database (core.services.leads.messages): a duplicate's message is kept on
its original, a client with nothing open writes nothing, an answer is refused to a stranger and to a client who is
gone, and a client's erasure forgets her words on the lead (her export has them until then)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.errors import Forbidden
from core.domain.kernel.roles import Role
from core.domain.leads.feed import ClientGone
from core.domain.leads.lifecycle import LeadStatus
from core.services.kernel import directories, privacy, users
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads import messages
from core.services.leads.lifecycle import LeadInput
from core.services.leads.messages import Written
from tests.factories import person


@pytest.fixture
async def firm(uow, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    lawyer = await person(uow, cfg, 2001, "Ольга")
    lawyer = await users.set_role(uow(), admin.id, lawyer.id, Role.MANAGER,
                                  (await directories.add(uow(), admin.id, Directory.COMPANIES, "Фирма")).id)
    return admin, source, lawyer


async def _rows(factory, model):
    async with factory() as s:
        return (await s.scalars(select(model).order_by(model.id))).all()


async def test_a_duplicates_message_is_kept_on_the_original_and_goes_to_its_responsible(uow, factory, cfg, firm):
    _, source, lawyer = firm
    client = await person(uow, cfg, 5001, "Пётр")
    first = await leads.request_from_person(uow(), client.id, LeadInput("+79001112233", "Пётр", source.id), cfg,
                                            own_phone=False)
    again = await leads.request_from_person(uow(), client.id, LeadInput("+79001112233", "Пётр", source.id), cfg,
                                            own_phone=False)
    assert (again.status, again.duplicate_of_id, first.responsible_id) == (LeadStatus.DUPLICATE, first.id, lawyer.id)
    passed = await messages.from_client(uow(), client.id, Written(5001, 40, "text", " Когда позвоните? "))
    assert (passed.lead_id, passed.to.id) == (first.id, lawyer.id)
    note = (await _rows(factory, m.LeadNote))[-1]
    assert (note.lead_id, note.author_id, note.text) == (first.id, client.id, "Когда позвоните?")
    told = [o for o in await _rows(factory, m.Outbox) if o.kind == "lead_message"]
    assert [(o.user_id, o.payload) for o in told] == [(lawyer.id, {
        "lead_id": first.id, "note_id": note.id, "name": "Пётр", "from_chat_id": 5001, "message_id": 40,
        "text": "Когда позвоните?", "caption": None})]

    await leads.set_status(uow(), lawyer.id, first.id, LeadStatus.REFUSED, cfg)  # closed: nothing open any more
    before = len(await _rows(factory, m.LeadNote))
    assert await messages.from_client(uow(), client.id, Written(5001, 41, "text", "Алло?")) is None
    assert len(await _rows(factory, m.LeadNote)) == before


async def test_an_answer_is_refused_to_a_stranger_and_to_a_client_who_is_gone(uow, factory, cfg, firm):
    admin, source, lawyer = firm
    client = await person(uow, cfg, 5001, "Пётр")
    lead = await leads.request_from_person(uow(), client.id, LeadInput("+79001112233", "Пётр", source.id), cfg,
                                           own_phone=False)
    await messages.from_client(uow(), client.id, Written(5001, 40, "photo", None))
    note = (await _rows(factory, m.LeadNote))[-1]
    with pytest.raises(Forbidden):  # a client is no one who works leads
        await messages.reply_to(uow(), client.id, lead.id, note.id)
    reply = await messages.answer(uow(), admin.id, lead.id, note.id, Written(1000, 7, "document", "Договор"))
    assert reply.client.id == client.id
    assert [o.payload for o in await _rows(factory, m.Outbox) if o.kind == "lead_answer"] == [{
        "lead_id": lead.id, "name": "Админ", "from_chat_id": 1000, "message_id": 7, "text": None,
        "caption": "Договор"}]

    exported = await privacy.export(uow(), client.id, client.id)
    assert [(x["lead_id"], x["kind"], x["text"]) for x in exported["lead_messages"]] == [
        (lead.id, "client_message", None)]
    assert [x["id"] for x in exported["leads"]] == [lead.id]  # the request she left, her phone typed
    await privacy.erase(uow(), client.id, client.id)
    async with factory() as s:
        mine = (await s.scalars(select(m.LeadNote).where(m.LeadNote.author_id == client.id))).all()
        assert [(n.text, n.params) for n in mine] == [(None, None)]
        assert (await s.get(m.Lead, lead.id)).client_user_id is None
    with pytest.raises(ClientGone):
        await messages.reply_to(uow(), lawyer.id, lead.id)
