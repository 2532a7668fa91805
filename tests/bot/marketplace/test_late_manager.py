"""A leasing company's manager invited after an application was approved: the application, still collecting offers,
reaches them when they open the invite (once), and it is in their «Входящие заявки»."""

from __future__ import annotations

import re

from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed, submit_application

CLIENT = Person(4001, "Иван")
VERA = Person(2050, "Вера")


async def test_a_manager_invited_after_the_approval_gets_the_application(tg, uow):
    await seed(tg, uow)  # a company, no manager yet
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    await tg.press(ADMIN, "Одобрить")  # it reaches nobody yet

    await tg.send(ADMIN, "/menu")
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Пригласить")
    await tg.press(ADMIN, "Менеджер")
    await tg.press(ADMIN, "Альфа-Лизинг")
    link = re.search(r"start=(\S+)", tg.texts(ADMIN)[-1]).group(1)
    mark = tg.now()
    await tg.start(VERA, link)
    await tg.app.worker.drain()
    pushed = [t for t in tg.texts(VERA, mark) if t.startswith("📥 <b>Новая заявка №1</b> подходит под ваш профиль.")]
    assert len(pushed) == 1 and "Трактор" in pushed[0] and "+7 900" not in pushed[0]

    await tg.send(VERA, "/menu")
    await tg.press(VERA, "Входящие заявки")
    assert "№1" in tg.everything(VERA, tg.now() - 2)
    await tg.press(VERA, "№1")
    assert "Трактор" in tg.texts(VERA)[-1]

    mark = tg.now()  # her profile changed: nothing sent twice
    await tg.press(VERA, "Маркетплейс")
    await tg.press(VERA, "Профиль")
    await tg.press(VERA, "Категории")
    await tg.press(VERA, "Спецтехника")
    await tg.app.worker.drain()
    assert not [t for t in tg.texts(VERA, mark) if "Новая заявка №1" in t]
