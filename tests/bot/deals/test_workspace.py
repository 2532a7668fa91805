"""«Сделки» in the chat: the list (mine by default, then all, by status, a search), the deal page, payments,
contacts, the feed with a photo, a status move, the kanban button, and a forged button for another company's
deal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from aiogram.methods import SendPhoto

from bot.keyboards.callbacks import StatusAction, StatusCb, WsAction, WsCb
from core.domain.deals.workspace import Pipeline
from core.domain.kernel.roles import Role
from core.services.deals import listing as deal_list
from core.services.deals import payments, workspace
from core.services.deals import statuses as deal_statuses
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed
from tests.factories import law_deal, law_firm

OLGA = Person(2001, "Ольга")
IVAN = Person(2002, "Иван")
BORIS = Person(2003, "Борис")  # another company


async def test_the_deal_workspace_in_the_chat(tg, uow, cfg, settings):
    admin = await seed(tg, uow, managers=[OLGA, IVAN, BORIS])
    other = await directories.add(uow(), admin.id, Directory.COMPANIES, "Бета")
    boris = await users.set_role(uow(), admin.id, (await users.find(uow(), str(BORIS.id))).id, Role.MANAGER, other.id)
    olga, ivan = [await users.find(uow(), str(p.id)) for p in (OLGA, IVAN)]
    w = {"admin": admin}
    mine = await law_deal(uow, cfg, w, olga, "+79005550101", "Пётр")
    await law_deal(uow, cfg, w, ivan, "+79005550102", "Мария")
    foreign = await law_deal(uow, cfg, w, boris, "+79005550103", "Чужой")

    await tg.send(OLGA, "/menu")
    await tg.press(OLGA, "💼 Сделки")
    listing = tg.texts(OLGA)[-1]
    assert listing.splitlines() == [
        "💼 Сделки (мои): 1", "1. <b>Пётр</b> · менеджер Ольга · источник Сайт 01 · 🔴 Нет задач · 500\u00a0000 ₽"]
    await tg.press(OLGA, "👥 Все")
    assert tg.texts(OLGA)[-1].startswith("💼 Сделки (все): 2")  # the company's, never Борис's
    await tg.press(OLGA, "📣 По источнику")
    await tg.press(OLGA, "Сайт 02")
    assert tg.texts(OLGA)[-1].splitlines() == [
        "💼 Сделки (все): 1 · источник Сайт 02",
        "1. <b>Мария</b> · менеджер Иван · источник Сайт 02 · 🔴 Нет задач · 500\u00a0000 ₽"]
    await tg.press(OLGA, "🔎 Поиск")
    await tg.send(OLGA, "мари")
    assert tg.texts(OLGA)[-1].splitlines()[0] == "💼 Сделки (все): 1 · поиск «мари»"

    await tg.send(OLGA, "/crm")
    await tg.press(OLGA, "1. Пётр")
    page = tg.texts(OLGA)[-1]
    assert "Воронка: Юридические услуги" in page and "Статус: Сбор документов" in page
    assert "Напоминание: 🔴 Нет задач" in page and "Главный контакт: Пётр +7 900 555-01-01" in page
    assert "Источник: Сайт 01" in page  # seed 004: the lead's source, kept on the deal
    await tg.press(OLGA, "⋯ Ещё")  # a deal's data is edited behind « More »
    await tg.press(OLGA, "📣 Источник")
    await tg.press(OLGA, "Сайт 03")  # the client actually came from there
    assert "Источник: Сайт 03" in tg.texts(OLGA)[-1]

    await tg.press(OLGA, "💳 Платежи")
    await tg.press(OLGA, "➕ Платёж")
    await tg.send(OLGA, "сто тысяч")
    assert tg.texts(OLGA)[-1] == "Введите сумму и дату через пробел, например: 150000 01.12.2026."
    await tg.send(OLGA, "150 000 01.12.2030")
    await tg.press(OLGA, "➕ Платёж")
    await tg.send(OLGA, "50000 01.01.2031")
    panel = tg.texts(OLGA)[-1].splitlines()
    assert panel == ["💳 Платежи по сделке «Пётр» · бюджет 200\u00a0000 ₽", "1. ○ 150\u00a0000 ₽ · 01.12.2030",
                     "2. ○ 50\u00a0000 ₽ · 01.01.2031"]
    await tg.press(OLGA, "✓ 1")
    assert tg.texts(OLGA)[-1].splitlines()[:2] == ["💳 Платежи по сделке «Пётр» · бюджет 50\u00a0000 ₽",
                                                   "1. ✓ 150\u00a0000 ₽ · 01.12.2030"]

    await tg.press(OLGA, "⬅️ К сделке")
    await tg.press(OLGA, "👥 Контакты")
    await tg.press(OLGA, "➕ Контакт")
    await tg.send(OLGA, "8 900 555-01-09 Анна")
    assert tg.texts(OLGA)[-1].splitlines() == ["👥 Контакты сделки «Пётр» (★ — главный)", "★ Пётр +7 900 555-01-01",
                                               "Анна +7 900 555-01-09"]

    await tg.press(OLGA, "⬅️ К сделке")
    await tg.press(OLGA, "💬 Комментарий")
    await tg.photo(OLGA, caption="Паспорт")
    photos = [c for c in tg.calls_to(OLGA) if isinstance(c, SendPhoto)]
    assert photos, "the feed shows the photo as a photo"
    feed = tg.texts(OLGA)[-1]
    assert feed.startswith("📝 Лента сделки «Пётр», новые сверху:") and "Ольга: Паспорт" in feed

    await tg.press(OLGA, "⬅️ К сделке")
    await tg.press(OLGA, "🔀 Статус")
    await tg.press(OLGA, "Отправлен в суд")
    assert "Статус: «Отправлен в суд»." in tg.alerts(OLGA)
    assert (await deal_list.view(uow(), olga.id, mine.id)).status.code == "sent_to_court"

    await tg.press(OLGA, "⋯ Ещё")
    await tg.press(OLGA, "🗂 Все сделки клиента")
    assert tg.texts(OLGA)[-1].splitlines()[0] == "💼 Сделки (все): 1 · клиент Пётр"

    # a planned payment past its date: one reminder to the responsible, with the deal a press away
    await payments.add_payment(uow(), olga.id, mine.id, Decimal("7000"), date(2026, 11, 21))  # the clock: the 23rd
    assert await payments.scan_overdue_payments(uow(), tg.app.settings.core()) == 1
    await tg.app.worker.drain()
    assert tg.texts(OLGA)[-1] == f"💳 Просрочен платёж 7\u00a0000 ₽ по сделке «Пётр» (№{mine.id}), срок был 21.11.2026."
    await tg.press(OLGA, "💼 Открыть сделку")
    assert tg.texts(OLGA)[-1].startswith("💼 <b>Пётр</b>")

    # a forged button: another company's deal is not found, and nothing changes
    mark = tg.now()
    await tg.press(OLGA, data=WsCb(action=WsAction.PAY_ADD, deal_id=foreign.id).pack())
    assert tg.alerts(OLGA, mark) == ["Не найдено: возможно, запись удалена."]
    await tg.press(OLGA, data=WsCb(action=WsAction.SET_STATUS, deal_id=foreign.id, item=1).pack())
    assert (await deal_list.view(uow(), boris.id, foreign.id)).status.code == "documents"


async def test_the_kanban_button_opens_the_mini_app(tg, uow, cfg, settings):
    await seed(tg, uow, managers=[OLGA])
    tg.app.dp["webapp_url"] = "https://crm.example.com/app/"
    await tg.send(OLGA, "/crm")
    markup = tg.session.calls[-1].reply_markup
    apps = [b.web_app.url for row in markup.inline_keyboard for b in row if b.web_app]
    assert apps == ["https://crm.example.com/app/"]


async def test_an_admin_edits_a_pipelines_statuses(tg, uow):
    admin = await seed(tg, uow)
    await law_firm(uow, admin.id)  # the law firm's pipeline (seed 004), chosen at the first setup
    await tg.send(ADMIN, "/menu")
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Статусы сделок: Юридические услуги")
    await tg.press(ADMIN, "➕ Статус")
    await tg.send(ADMIN, "Ждём оплату")
    buttons = [b.text for row in tg.session.calls[-1].reply_markup.inline_keyboard for b in row]
    assert "🔵 Ждём оплату" in buttons and not any("#" in b for b in buttons)  # a colour seen, not a hex code
    await tg.press(ADMIN, "Ждём оплату")
    await tg.press(ADMIN, "⬆️ Выше")
    await tg.press(ADMIN, "🎨 Цвет")
    shown = list(tg.session.shown[ADMIN.id].values())[-1]
    assert shown.text == "Выберите цвет:"
    assert [b.text for row in shown.markup.inline_keyboard for b in row] == [
        "🔴 Красный", "🟠 Оранжевый", "🟡 Жёлтый", "🟢 Зелёный", "🔵 Синий", "🟣 Фиолетовый", "🟤 Коричневый",
        "⚫ Чёрный", "⚪ Белый", "⬅️ Назад"]  # named colours, never a hex code
    await tg.press(ADMIN, "🔴")
    assert tg.texts(ADMIN)[-1].startswith("<b>Ждём оплату</b>\nЦвет: 🔴 Красный\n")
    status_id = StatusCb.unpack(shown.markup.inline_keyboard[0][0].callback_data).status_id
    mark = tg.now()
    await tg.press(ADMIN, data=StatusCb(action=StatusAction.PAINT, pipeline=Pipeline.LAW, status_id=status_id,
                                        color=99).pack())  # a colour no button gives
    assert tg.alerts(ADMIN, mark) == ["Кнопка устарела. Откройте меню заново: /menu"]
    await tg.press(ADMIN, "⬅️ Назад")
    names = [s.name for s in await deal_statuses.statuses(uow(), admin.id, "law")]
    assert names[-2:] == ["Ждём оплату", "Решение/определение получено"]
    await tg.press(ADMIN, "Решение/определение получено")
    await tg.press(ADMIN, "⭐ Финальный / обычный")
    assert tg.alerts(ADMIN)[-1].startswith("Этот статус процесс задаёт финальным")
    mark = tg.now()
    forged = StatusCb(action=StatusAction.PIPELINE, pipeline=Pipeline.LAW).pack().replace(":law:", ":7:")
    await tg.press(ADMIN, data=forged)  # a pipeline nobody wrote
    assert tg.alerts(ADMIN, mark) == ["Кнопка устарела. Откройте меню заново: /menu"]


async def test_a_kanban_move_wakes_the_sender_at_once(tg, uow, cfg):
    """The Mini App's units of work are the bot's: a move there queues the responsible's notice and wakes the
    sender, as a press in the chat does (before, it waited for the sender's next poll)."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.webapp import create_webapp
    from tests.browser.test_kanban import init_data

    admin = await seed(tg, uow, managers=[OLGA])
    olga = await users.find(uow(), str(OLGA.id))
    deal = await law_deal(uow, cfg, {"admin": admin}, olga)
    court = next(s for s in await deal_statuses.statuses(uow(), admin.id, "law") if s.code == "sent_to_court")
    woken = []
    tg.app.worker.wake = lambda: woken.append(True)
    app = create_webapp(tg.app.settings.bot_token.get_secret_value(), tg.app.bot, tg.app.uow, tg.app.clock)
    async with TestClient(TestServer(app)) as http:
        auth = {"Authorization": f"tma {init_data(ADMIN.id, ADMIN.name, token='42:TEST-TOKEN-never-shown')}"}
        response = await http.post(f"/app/api/deals/{deal.id}/move", json={"status_id": court.id}, headers=auth)
        assert response.status == 200
    assert woken  # the commit queued Ольга's notice and woke the sender
    mark = tg.now()
    await tg.app.worker.drain()
    assert tg.texts(OLGA, mark) == [f"💼 Сделка «Пётр» (№{deal.id}): статус «Отправлен в суд»."]


async def test_a_closed_deal_offers_no_status_and_a_forged_move_names_its_status_in_the_readers_words(tg, uow, cfg):
    """A law firm's English admin closes a deal: its page has no «🔀 Status» any more, and a forged status press is
    refused with the final status as an English reader knows it («Decision received»), never the Russian row name
    the seed wrote."""
    laura = Person(ADMIN.id, "Laura", language_code="en")
    admin = await seed(tg, uow, managers=[IVAN])
    await users.set_locale(uow(), admin.id, "en")
    deal = await law_deal(uow, cfg, {"admin": admin}, admin, "+79005550111", "Smith")
    pipeline = await deal_statuses.statuses(uow(), admin.id, "law")
    final = next(s for s in pipeline if s.code == "decision")
    live = next(s for s in pipeline if s.code == "sent_to_court")
    await workspace.move(uow(), admin.id, deal.id, final.id, comment="won")

    await tg.send(laura, "/menu")
    await tg.press(laura, data=WsCb(action=WsAction.OPEN, deal_id=deal.id).pack())
    page = next(reversed(tg.session.shown[laura.id].values()))
    labels = [b.text for row in page.markup.inline_keyboard for b in row]
    assert page.text.startswith("💼 <b>Smith</b>")
    assert labels == ["💬 Comment", "📝 Feed", "💳 Payments", "👥 Contacts", "📦 Orders", "⏰ Reminder", "⋯ More",
                      "⬅️ To the list"]
    await tg.press(laura, "⋯ More")
    more = next(reversed(tg.session.shown[laura.id].values()))
    assert [b.text for row in more.markup.inline_keyboard for b in row] == [
        "✏️ Name", "🏷 Type", "👤 Responsible", "🧑‍💼 Client", "📣 Source", "🗂 All the client's deals",
        "⬅️ To the deal"]
    mark = tg.now()
    await tg.press(laura, data=WsCb(action=WsAction.STATUS, deal_id=deal.id).pack())  # a stale picker's button
    assert tg.alerts(laura, mark) == ["The deal is in the final status “Decision received”: its status no longer "
                                      "changes."]
    assert not any(s.text == "Choose a status:" for s in tg.session.shown[laura.id].values())
    mark = tg.now()
    await tg.press(laura, data=WsCb(action=WsAction.SET_STATUS, deal_id=deal.id, item=live.id).pack())
    assert tg.alerts(laura, mark) == ["The deal is in the final status “Decision received”: its status no longer "
                                      "changes."]
    assert (await deal_list.view(uow(), admin.id, deal.id)).status.code == "decision"
