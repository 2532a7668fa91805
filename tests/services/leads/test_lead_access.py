"""Who reads which leads (issue 27) on a real database: a team's head works the leads of their team and of the
teams nested under it (the list, its search and the lead's page, the access rules as SQL), a manager only theirs
and the ones nobody holds yet, an admin all; a contact card lists only the leads and deals its reader may see."""

from __future__ import annotations

import pytest

from core.db.kernel import models as m
from core.domain.deals import Pipeline
from core.domain.kernel.errors import Forbidden, NotFound
from core.domain.kernel.roles import Role
from core.domain.leads.lifecycle import LeadField, LeadStatus
from core.services.campaigns import counterparties
from core.services.kernel import directories, teams, users
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.factories import person


@pytest.fixture
async def office(uow, factory, cfg):
    """«Север» (its head Нина, Анна in it), «Север-Восток» nested under it (Вера), «Юг» (Борис); a lead of each
    of them (Анна's closed as junk), and one nobody holds; Анна's and Вера's of one contact card."""
    admin = await person(uow, cfg, 1000, "Админ")
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    people = {}
    for tg, name in ((2001, "Нина"), (2002, "Анна"), (2003, "Вера"), (2004, "Борис")):
        p = await person(uow, cfg, tg, name)
        people[name] = await users.set_role(uow(), admin.id, p.id, Role.MANAGER, None)
    north = await directories.add(uow(), admin.id, Directory.ACCESS_GROUPS, "Север")
    north_east = await directories.add(uow(), admin.id, Directory.ACCESS_GROUPS, "Север-Восток")
    south = await directories.add(uow(), admin.id, Directory.ACCESS_GROUPS, "Юг")
    await teams.set_parent(uow(), admin.id, north_east.id, north.id)
    await counterparties.set_head(uow(), admin.id, north.id, people["Нина"].id)
    for team, name in ((north, "Анна"), (north_east, "Вера"), (south, "Борис")):
        await counterparties.toggle_member(uow(), admin.id, team.id, people[name].id)
    made = {}
    for name, phone in (("Анна", "+79001110001"), ("Вера", "+79001110001"), ("Борис", "+79001110002")):
        lead = await leads.create(uow(), admin.id, LeadInput(phone, "Пётр", source.id), cfg,
                                  responsible_id=people[name].id)
        made[name] = lead.id
        if name == "Анна":  # closed as junk: the card's next lead is no duplicate of it
            await leads.set_status(uow(), admin.id, lead.id, LeadStatus.OTHER_CITY, cfg)
    free = await leads.create(uow(), admin.id, LeadInput("+79001110003", "Ничей", source.id), cfg)
    async with factory() as s:  # nobody holds it yet (an import row naming nobody, before it was shared)
        (await s.get(m.Lead, free.id)).responsible_id = None
        await s.commit()
    made["nobody"] = free.id
    return admin, people, made, cfg


async def listed(uow, who, **kw) -> set[int]:
    return {lead.id for lead in (await leads.page(uow(), who.id, 0, size=100, **kw)).items}


async def test_a_head_works_the_leads_of_their_team_and_the_teams_below(uow, office):
    admin, p, ids, cfg = office
    nina, anna, vera, boris = p["Нина"], p["Анна"], p["Вера"], p["Борис"]
    # the list «Все»: the head reads «Север»'s and «Север-Восток»'s and the one nobody holds, not «Юг»'s
    assert await listed(uow, nina, mine=False) == {ids["Анна"], ids["Вера"], ids["nobody"]}
    assert await listed(uow, nina, mine=True) == set()
    # a manager: theirs and the one nobody holds, even when they ask for «Все» with a forged button
    assert await listed(uow, anna, mine=False) == {ids["Анна"], ids["nobody"]}
    assert await listed(uow, boris, mine=False) == {ids["Борис"], ids["nobody"]}
    assert await listed(uow, admin, mine=False) == set(ids.values())
    # the search finds within the scope only
    assert await listed(uow, nina, mine=False, query="Пётр", cfg=cfg) == {ids["Анна"], ids["Вера"]}
    assert await listed(uow, boris, mine=False, query="+7 900 111-00-01", cfg=cfg) == set()
    # «Все» is offered to who reads more than their own
    assert [await leads.reads_beyond_own(uow(), x.id) for x in (admin, nina, anna)] == [True, True, False]
    # the page, an edit and a move: the head may, «Юг» may not
    assert (await leads.view(uow(), nina.id, ids["Вера"])).lead.id == ids["Вера"]
    await leads.edit(uow(), nina.id, ids["Анна"], LeadField.CITY, "Тула", cfg)
    moved = await leads.set_status(uow(), nina.id, ids["Вера"], LeadStatus.CALLING, cfg)
    assert moved.status == LeadStatus.CALLING and moved.responsible_id == vera.id
    for call in (lambda: leads.view(uow(), boris.id, ids["Анна"]),
                 lambda: leads.edit(uow(), nina.id, ids["Борис"], LeadField.CITY, "Тула", cfg),
                 lambda: leads.set_status(uow(), nina.id, ids["Борис"], LeadStatus.CALLING, cfg),
                 lambda: leads.set_status(uow(), vera.id, ids["Анна"], LeadStatus.CALLING, cfg)):
        with pytest.raises(Forbidden):
            await call()
    # a member of the team below reaches nothing of the team above
    assert await listed(uow, vera, mine=False) == {ids["Вера"], ids["nobody"]}


async def test_a_contact_card_lists_only_what_its_reader_sees(uow, factory, clock, office):
    admin, p, ids, _ = office
    nina, anna, vera, boris = p["Нина"], p["Анна"], p["Вера"], p["Борис"]
    async with factory() as s:
        contact_id = (await s.get(m.Lead, ids["Анна"])).contact_id
        status = (await s.scalars(m.DealStatus.__table__.select().where(
            m.DealStatus.pipeline == Pipeline.LAW))).first()
        client = m.Client(name="Пётр", created_at=clock.now())
        s.add(client)
        await s.flush()
        deals = {}
        for name in ("Анна", "Борис"):
            deal = m.Deal(pipeline=Pipeline.LAW, name=f"Дело {name}", status_id=status, client_id=client.id,
                          contact_id=contact_id, responsible_id=p[name].id, created_at=clock.now())
            s.add(deal)
            await s.flush()
            deals[name] = deal.id
        await s.commit()

    async def card(who):
        v = await leads.contact_view(uow(), who.id, contact_id)
        return [x.id for x in v.leads], [x.id for x in v.deals]

    assert await card(admin) == ([ids["Анна"], ids["Вера"]], [deals["Анна"], deals["Борис"]])
    assert await card(nina) == ([ids["Анна"], ids["Вера"]], [deals["Анна"]])
    assert await card(anna) == ([ids["Анна"]], [deals["Анна"]])
    assert await card(vera) == ([ids["Вера"]], [])
    # «Юг» sees its own deal of the card, none of its leads; a card with nothing of theirs is not there for them
    assert await card(boris) == ([], [deals["Борис"]])
    other = (await leads.view(uow(), boris.id, ids["Борис"])).lead.contact_id
    with pytest.raises(NotFound):
        await leads.contact_view(uow(), anna.id, other)


async def test_a_contact_card_is_edited_only_by_who_may_open_it(uow, factory, office):
    """The card of Анна's and Вера's client: «Юг»'s Борис gets «not found» for a forged edit, a phone added or
    removed, and nothing changes; the head of «Север» edits it."""
    from core.domain.kernel.contacts import ContactField
    from core.services.kernel import contacts

    admin, p, ids, cfg = office
    card = (await leads.view(uow(), admin.id, ids["Вера"])).lead.contact_id
    phone_id = (await leads.contact_view(uow(), admin.id, card)).contact.phones[0].id
    for call in (lambda: contacts.edit(uow(), p["Борис"].id, card, ContactField.NAME, "Чужой",
                                       guard=leads.card_guard),
                 lambda: contacts.add_phone(uow(), p["Борис"].id, card, "+79001110099", cfg, guard=leads.card_guard),
                 lambda: contacts.remove_phone(uow(), p["Борис"].id, card, phone_id, guard=leads.card_guard)):
        with pytest.raises(NotFound):
            await call()
    kept = (await leads.contact_view(uow(), admin.id, card)).contact
    assert kept.name == "Пётр" and [ph.phone for ph in kept.phones] == ["+79001110001"]
    edited = await contacts.edit(uow(), p["Нина"].id, card, ContactField.NAME, "Пётр Иванов", guard=leads.card_guard)
    assert edited.name == "Пётр Иванов"
