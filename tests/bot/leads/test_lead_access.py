"""Leads through the chat by team (issue 27): a manager of «Юг» forges the buttons of a «Север» lead (its card, its
status, its contact card, «Все лиды») and is refused, learning nothing of it; the head of «Север» is offered «Все
лиды» and finds their team's lead there, and opens it."""

from __future__ import annotations

from bot.keyboards.callbacks import LeadAction, LeadCb, LeadListCb
from core.domain.leads.lifecycle import LeadStatus
from core.services.campaigns import counterparties
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed

NINA, ANNA, BORIS = Person(2001, "Нина"), Person(2002, "Анна"), Person(2003, "Борис")


def labels(tg, who) -> list[str]:
    """The buttons of the newest message (or edit) to this person that has any."""
    markup = [c for c in tg.calls_to(who) if getattr(c, "reply_markup", None) is not None][-1].reply_markup
    return [b.text for row in markup.inline_keyboard for b in row]


async def test_another_team_forges_a_leads_buttons_and_the_head_sees_the_team(tg, uow, cfg):
    admin = await seed(tg, uow, managers=[NINA, ANNA, BORIS])
    ids = {p: (await users.find(uow(), str(p.id))).id for p in (NINA, ANNA, BORIS)}
    north = await directories.add(uow(), admin.id, Directory.ACCESS_GROUPS, "Север")
    south = await directories.add(uow(), admin.id, Directory.ACCESS_GROUPS, "Юг")
    await counterparties.set_head(uow(), admin.id, north.id, ids[NINA])
    await counterparties.toggle_member(uow(), admin.id, north.id, ids[ANNA])
    await counterparties.toggle_member(uow(), admin.id, south.id, ids[BORIS])
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    lead = await leads.create(uow(), admin.id, LeadInput("+79001112233", "Пётр Северный", source.id), cfg,
                              responsible_id=ids[ANNA])
    refused = "У вас нет доступа к этому действию."
    for data in (LeadCb(action=LeadAction.OPEN, lead_id=lead.id),
                 LeadCb(action=LeadAction.STATUS, lead_id=lead.id, status=LeadStatus.CALLING),
                 LeadCb(action=LeadAction.ATTEMPT, lead_id=lead.id)):
        mark = tg.now()
        await tg.press(BORIS, data=data.pack())
        assert tg.alerts(BORIS, mark) == [refused], data
        assert "Пётр Северный" not in tg.everything(BORIS, mark)
    mark = tg.now()
    await tg.press(BORIS, data=LeadCb(action=LeadAction.CONTACT, lead_id=lead.id, value=lead.contact_id).pack())
    assert "Не найдено: возможно, запись удалена." in tg.everything(BORIS, mark)
    assert "Пётр Северный" not in tg.everything(BORIS, mark) and "+7 900 111-22-33" not in tg.everything(BORIS, mark)
    await tg.press(BORIS, data=LeadListCb(everyone=True).pack())
    assert "Пётр Северный" not in tg.everything(BORIS, mark)
    # the head of «Север»: their list offers «Все лиды», which holds the team's lead; its card opens
    await tg.send(NINA, "/leads")
    assert "Все лиды" in labels(tg, NINA)
    mark = tg.now()
    await tg.press(NINA, "Все лиды")
    assert f"№{lead.id} · Пётр Северный · Новый" in labels(tg, NINA)
    await tg.press(NINA, f"№{lead.id} · Пётр Северный · Новый")
    assert f"Лид №{lead.id}</b> · Новый" in tg.everything(NINA, mark)
    # a manager of the team is offered only their own
    await tg.send(ANNA, "/leads")
    assert "Все лиды" not in labels(tg, ANNA)
