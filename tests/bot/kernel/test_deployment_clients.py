"""A client's menu and words follow what the deployment runs: a law firm's client leaves another request from the
menu (the source of their last one); a lessor's client who writes in is told how a lease case starts."""

from __future__ import annotations

from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.deployment import Area
from core.services.kernel import deployment, directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person

IVAN = Person(3001, "Иван")
JOHN = Person(3002, "John", language_code="en")
JAN = Person(3003, "Jan", language_code="pl")


def last(tg, who):
    return list(tg.session.shown[who.id].values())[-1]


def labels(shown) -> list[str]:
    return [b.text for row in shown.markup.inline_keyboard for b in row] if shown.markup else []


async def _runs(tg, uow, *areas: Area):
    await tg.start(ADMIN)
    admin = await users.find(uow(), str(ADMIN.id))
    await deployment.set_areas(uow(), admin.id, frozenset(areas))
    return admin


async def test_a_law_firms_client_leaves_another_request_from_the_menu(tg, uow, factory):
    admin = await _runs(tg, uow, Area.LEADS)
    await directories.add(uow(), admin.id, Directory.SOURCES, "Реклама")
    site = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await tg.start(JOHN, f"src_{site.code}")
    await tg.send(JOHN, "John Smith")
    await tg.contact(JOHN, "+79001112233")
    assert tg.texts(JOHN)[-1] == ("Thank you! Your request is in; we will contact you soon. "
                                  "A question meanwhile? Just write it here.")
    await tg.send(JOHN, "/menu")
    assert labels(last(tg, JOHN)) == ["✍️ Leave a request", "🌐 Language and timezone", "🔐 My data"]
    await tg.press(JOHN, "✍️ Leave a request")
    assert tg.texts(JOHN)[-1] == "What is your name?"
    await tg.send(JOHN, "John Smith")
    await tg.contact(JOHN, "+79001112233")
    async with factory() as s:
        sources = (await s.scalars(select(m.Source.name).join(m.Lead, m.Lead.source_id == m.Source.id)
                                   .order_by(m.Lead.id))).all()
    assert sources == ["Сайт", "Сайт"]  # the second request from the source of the first

    await tg.start(IVAN)  # never came by a link: the first open source takes his request
    await tg.send(IVAN, "/menu")
    assert labels(last(tg, IVAN)) == ["✍️ Оставить заявку", "🌐 Язык и часовой пояс", "🔐 Мои данные"]
    await tg.press(IVAN, "✍️ Оставить заявку")
    assert tg.texts(IVAN)[-2:] == ["Оставьте заявку — мы свяжемся с вами.", "Как вас зовут?"]


async def test_a_lessors_client_who_writes_in_is_told_how_a_case_starts(tg, uow):
    await _runs(tg, uow, Area.LEASING)
    await tg.start(JAN)
    await tg.send(JAN, "/menu")
    assert "✍️ Zostaw zgłoszenie" not in labels(last(tg, JAN))  # no leads run: no request form
    mark = tg.now()
    await tg.send(JAN, "Dzień dobry, chcę leasing")
    [answer] = tg.texts(JAN, mark)
    assert answer.startswith("Nie rozumiem tej wiadomości.")
    assert ("\n\n🧾 Aby rozpocząć sprawę leasingową, oblicz ratę w „🧮 Kalkulator leasingu” i poproś o ofertę "
            "przyciskiem pod wynikiem albo otwórz link do sprawy od doradcy. Jeśli doradca zapyta o Twój identyfikator "
            "w Telegramie, to: 3003.\n\n") in answer
    await tg.start(IVAN)
    mark = tg.now()
    await tg.send(IVAN, "/help")
    assert ("🧾 Чтобы начать лизинговое дело, рассчитайте платёж в «🧮 Лизинговый калькулятор» и запросите "
            "предложение кнопкой под результатом или откройте ссылку на дело от консультанта. Если консультант спросит "
            "ваш Telegram id, вот он: 3001.") in tg.texts(IVAN, mark)[0]
