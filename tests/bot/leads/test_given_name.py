"""A new request with a known phone but another name (walkthrough point 16: Нина Петрова with Иван's phone): the
contact card stays one per phone, the lead keeps and shows the name given, and the manager may put it on the card;
the card's leads and deals are buttons that open them, for those who may."""

from __future__ import annotations

from sqlalchemy import select

from bot.keyboards.callbacks import LeadAction, LeadCb, WsAction, WsCb
from core.db.kernel import models as m
from core.domain.kernel.roles import Role
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed
from tests.factories import law_deal

OLGA = Person(2001, "Ольга")
BORIS = Person(2003, "Борис")  # another company's manager


def labels(tg, who) -> list[str]:
    shown = next(reversed(tg.session.shown[who.id].values()))
    return [b.text for row in shown.markup.inline_keyboard for b in row]


async def test_the_name_a_request_gave_is_kept_shown_and_put_on_the_card(tg, uow, factory, cfg):
    admin = await seed(tg, uow, managers=[OLGA, BORIS])
    other = await directories.add(uow(), admin.id, Directory.COMPANIES, "Бета")
    await users.set_role(uow(), admin.id, (await users.find(uow(), str(BORIS.id))).id, Role.MANAGER, other.id)
    olga = await users.find(uow(), str(OLGA.id))
    deal = await law_deal(uow, cfg, {"admin": admin}, olga, "+79001112233", "Иван Кузнецов")
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    nina = await leads.create(uow(), olga.id, LeadInput("+7 900 111-22-33", "Нина Петрова", source.id), cfg)
    async with factory() as s:
        assert len((await s.scalars(select(m.Contact))).all()) == 1  # one card per phone, still
        assert (await s.get(m.Lead, nina.id)).given_name == "Нина Петрова"

    await tg.send(OLGA, "/menu")
    await tg.press(OLGA, data=LeadCb(action=LeadAction.OPEN, lead_id=nina.id).pack())
    page = tg.texts(OLGA)[-1].splitlines()
    assert page[1:3] == ["Контакт: Иван Кузнецов, +7 900 111-22-33",
                         "Имя в заявке: Нина Петрова (в карточке контакта — Иван Кузнецов)"]
    assert "👤 Имя в карточку: Нина Петрова" in labels(tg, OLGA)

    await tg.press(OLGA, "Карточка контакта")
    assert labels(tg, OLGA) == [f"№{deal.lead_id} · Иван Кузнецов · Договор", f"№{nina.id} · Нина Петрова · Новый",
                                f"💼 Сделка №{deal.id} · Иван Кузнецов", "✏️ Изменить карточку", "⬅️ К лидам",
                                "🏠 Меню"]
    await tg.press(OLGA, f"Сделка №{deal.id}")
    assert tg.texts(OLGA)[-1].startswith("💼 <b>Иван Кузнецов</b>")

    # another company's manager: the deal's and the name's buttons, forged, open and change nothing
    mark = tg.now()
    await tg.press(BORIS, data=WsCb(action=WsAction.OPEN, deal_id=deal.id).pack())
    await tg.press(BORIS, data=LeadCb(action=LeadAction.TAKE_NAME, lead_id=nina.id).pack())
    assert "Иван Кузнецов" not in tg.everything(BORIS, mark) and "Нина Петрова" not in tg.everything(BORIS, mark)
    async with factory() as s:
        assert (await s.get(m.Contact, nina.contact_id)).name == "Иван Кузнецов"

    await tg.press(OLGA, data=LeadCb(action=LeadAction.OPEN, lead_id=nina.id).pack())
    mark = tg.now()
    await tg.press(OLGA, "Имя в карточку")
    assert tg.alerts(OLGA, mark) == ["Карточка контакта теперь «Нина Петрова»."]
    page = tg.texts(OLGA)[-1].splitlines()
    assert page[1] == "Контакт: Нина Петрова, +7 900 111-22-33" and "Имя в заявке" not in tg.texts(OLGA)[-1]
    async with factory() as s:
        assert [(x.id, x.given_name) for x in (await s.scalars(select(m.Lead).order_by(m.Lead.id))).all()] == [
            (deal.lead_id, "Иван Кузнецов"), (nina.id, None)]  # Иван's lead keeps the name it came with
        trail = (await s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "contact"))).all()
        assert [(a.action, a.comment, a.actor_id) for a in trail] == [
            ("edit_name", "Иван Кузнецов → Нина Петрова", olga.id)]
