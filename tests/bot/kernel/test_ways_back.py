"""Every screen has a way back: the Dispatcher is driven through the menus of each role (admin, manager, client, a
lessor's sales and back office), pressing every button a few screens deep, and every screen with inline buttons that
it reaches must offer « Menu », a « ⬅️ » back to where it came from, or « Cancel » (a dialog's step)."""

from __future__ import annotations

import pytest

from core.domain.kernel.roles import Role
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed, submit_application

MANAGER = Person(2001, "Анна")
CLIENT = Person(4001, "Иван")
SALES = Person(5001, "Ola", language_code="pl")
BACK_OFFICE = Person(5004, "Piotr", language_code="pl")

#: a way back: a button to the menu or one of its screens (MenuCb), a back, a dialog's cancel, a picker's « Done »
#: (back to the card it edits)
BACK_MARKS = ("⬅️", "🏠", "↩️", "✅ Готово", "✅ Gotowe", "✅ Done")
SKIP = ("Удалить", "Usuń", "Delete", "Убрать строку", "Стереть", "Выйти", "Отозвать", "Анонимизировать",
        "Стереть мои данные")
#: a screen's main block: at most this many buttons besides its ways back and its pager (issue 30)
MAIN_MAX = 8
PAGER_MARKS = ("◀", "▶")


def is_way_back(b) -> bool:
    data = b.callback_data or ""
    return data.startswith(("m:", "f:")) or any(mark in b.text for mark in BACK_MARKS)


def has_way_back(markup) -> bool:
    return any(is_way_back(b) for row in markup.inline_keyboard for b in row)


def main_block(markup) -> int:
    """The buttons of a screen that are neither a way back nor its pager's (a list pages: only its page counts)."""
    labels = [b.text.strip() for row in markup.inline_keyboard for b in row if not is_way_back(b)]
    if any(label.startswith(PAGER_MARKS) for label in labels):
        return 0  # a list that pages: each page is short by its pager
    return len(labels)


def says_cancel(shown) -> bool:
    """A dialog's question: a « Cancel » (or another way back) under it, or « /cancel » in its text."""
    return (shown.markup is not None and has_way_back(shown.markup)) or "/cancel" in (shown.text or "")


async def walk(tg, who, depth: int = 3, budget: int = 120, start: str = "/menu", wide=False,
               skip: tuple[str, ...] = ()) -> list[str]:
    """Press, breadth first from the screen ``start`` shows (a command, or a button's callback data), every button
    of every screen reached (``depth`` presses deep, at most ``budget`` presses); the screens without a way back,
    with more than MAIN_MAX buttons in their main block (``wide``: True, or which screens to count), and the
    dialogs opened that neither offer « Cancel » nor say /cancel, each with the path to it. A dialog opened is left
    before the next press. Buttons whose label has one of ``skip`` are not pressed."""
    if start.startswith("/"):
        await tg.send(who, start)
    else:
        await tg.press(who, data=start)
    root = list(tg.session.shown[who.id].values())[-1]
    missing: list[str] = []
    if root.markup is None or not has_way_back(root.markup):
        missing.append(f"{start}  [{(root.text or '')[:60]!r}]")
    if root.markup is None:
        return missing
    queue = [(root, b.text, b.callback_data, (b.text,)) for row in root.markup.inline_keyboard for b in row
             if b.callback_data]
    state = tg.app.dp.fsm.get_context(bot=tg.app.bot, chat_id=who.id, user_id=who.id)
    seen_data, presses = set(), 0
    while queue and presses < budget:
        on, label, data, path = queue.pop(0)
        if data in seen_data or any(s in label for s in (*SKIP, *skip)):
            continue
        seen_data.add(data)
        before = {mid: (s.text, s.markup) for mid, s in tg.session.shown[who.id].items()}
        presses += 1
        await tg.press(who, data=data, on=on)
        new = [s for mid, s in tg.session.shown[who.id].items() if mid not in before]
        if await state.get_state():  # a dialog asks for something typed
            if not new or not says_cancel(new[-1]):
                missing.append(" → ".join(path) + f"  [dialog without cancel: {(new[-1].text if new else '')!r}]")
            await state.clear()
            continue
        for mid, shown in list(tg.session.shown[who.id].items()):
            if before.get(mid) == (shown.text, shown.markup) or shown.markup is None:
                continue
            if not shown.markup.inline_keyboard:
                continue
            if not has_way_back(shown.markup):
                missing.append(" → ".join(path) + f"  [{(shown.text or '')[:60]!r}]")
            counted = wide(shown) if callable(wide) else wide
            if counted and (count := main_block(shown.markup)) > MAIN_MAX:
                missing.append(" → ".join(path) + f"  [{count} buttons: {(shown.text or '')[:60]!r}]")
            if len(path) < depth:
                queue += [(shown, b.text, b.callback_data, (*path, b.text)) for row in shown.markup.inline_keyboard
                          for b in row if b.callback_data]
    return missing


async def people(tg, uow):
    """The admin (returned), the manager with a lead, the client with an application, a lessor's staff."""
    admin = await seed(tg, uow, managers=[MANAGER])
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    await tg.press(ADMIN, "Одобрить")
    for who, role in ((SALES, Role.SALES), (BACK_OFFICE, Role.BACK_OFFICE)):
        await tg.start(who)
        await users.set_role(uow(), admin.id, (await users.find(uow(), str(who.id))).id, role)
    # a lead of the manager's (its card, its task, and the deal it may become)
    await tg.send(MANAGER, "/lead")
    await tg.send(MANAGER, "+7 900 111-22-33")
    await tg.send(MANAGER, "Пётр")
    await tg.press(MANAGER, "Сайт")
    await tg.send(MANAGER, "450 000")
    await tg.press(MANAGER, "Пропустить")  # city
    await tg.press(MANAGER, "Пропустить")  # comment
    await tg.app.worker.drain()
    return admin


@pytest.mark.parametrize("who", [ADMIN, MANAGER, CLIENT, SALES, BACK_OFFICE], ids=lambda p: p.name)
async def test_every_screen_reached_from_the_menu_has_a_way_back(tg, uow, who):
    await people(tg, uow)
    missing = await walk(tg, who, depth=4, budget=160)
    assert missing == [], "\n".join(missing)


async def test_a_deals_screens_have_a_way_back(tg, uow, settings):
    """The deepest screens: a workspace deal (the law firm's, made from the manager's lead), from «💼 Сделки»:
    the list, the deal's page, its stage panel, feed, payments, contacts and their pickers."""
    await people(tg, uow)
    await law_deal(tg, uow, settings)
    missing = await walk(tg, MANAGER, depth=5, budget=220)
    assert missing == [], "\n".join(missing)


def labels(tg, who) -> list[str]:
    """The buttons of the newest message in this person's chat, as they see them."""
    shown = list(tg.session.shown[who.id].values())[-1]
    return [b.text for row in shown.markup.inline_keyboard for b in row] if shown.markup else []


async def law_deal(tg, uow, settings) -> None:
    """The manager's lead (made by people()) become a law firm's deal at « Сбор документов »."""
    from datetime import timedelta

    from sqlalchemy import select

    from tests.factories import law_firm

    await law_firm(uow, (await users.find(uow(), str(ADMIN.id))).id)

    from core.db.kernel import models as m
    from core.domain.leads.lifecycle import LeadStatus
    from core.services.leads import lifecycle as leads

    cfg = settings.core()
    async with uow() as u:
        lead = await u.session.scalar(select(m.Lead).order_by(m.Lead.id.desc()))
        manager_id = lead.responsible_id
    await leads.set_status(uow(), manager_id, lead.id, LeadStatus.MEETING, cfg,
                           meeting_at=uow().clock.now() + timedelta(days=1))
    uow().clock.advance(timedelta(days=1, hours=1))  # the meeting held
    await leads.set_status(uow(), manager_id, lead.id, LeadStatus.VISITED, cfg)
    await leads.set_status(uow(), manager_id, lead.id, LeadStatus.CONTRACT, cfg)
    await tg.app.worker.drain()


async def test_the_deals_screens_show_at_most_eight_buttons(tg, uow, settings):
    """Issue 30: a deal's page shows its daily actions, « ⋯ Ещё » (the rest) and « ⬅️ К списку »; its status picker
    and the list's status filter (a pipeline first) go five statuses a page with «◀️ ▶️»; every screen's way back."""
    from core.services.deals import statuses as deal_statuses

    admin = await people(tg, uow)
    await law_deal(tg, uow, settings)
    for name in ("Ждём оплату", "Оплачено", "Архив дела"):  # the admins' own statuses: eight to move to
        await deal_statuses.add_status(uow(), admin.id, "law", name)
    await tg.send(MANAGER, "/crm")
    await tg.press(MANAGER, "1. Пётр")
    assert labels(tg, MANAGER) == ["🔀 Статус", "💬 Комментарий", "📝 Лента", "💳 Платежи", "👥 Контакты", "📦 Заказы",
                                   "⋯ Ещё", "⬅️ К списку"]
    await tg.press(MANAGER, "⋯ Ещё")
    assert tg.texts(MANAGER)[-1] == "💼 <b>Пётр</b> · №1\nЕщё о сделке:"
    assert labels(tg, MANAGER) == ["⏰ Напоминание", "✏️ Название", "🏷 Тип", "👤 Ответственный", "🧑‍💼 Клиент",
                                   "📣 Источник", "🗂 Все сделки клиента", "⬅️ К сделке"]
    await tg.press(MANAGER, "⬅️ К сделке")
    await tg.press(MANAGER, "🔀 Статус")
    assert tg.texts(MANAGER)[-1] == "Выберите статус:"
    assert labels(tg, MANAGER) == ["Отправлен в суд", "Суд 1 состоялся", "Конкурсное производство завершено",
                                   "Суд 2 состоялся", "Решение/определение получено", "▶️", "⬅️ К сделке"]
    await tg.press(MANAGER, "▶️")
    assert labels(tg, MANAGER) == ["Ждём оплату", "Оплачено", "Архив дела", "◀️", "⬅️ К сделке"]
    await tg.press(MANAGER, "Оплачено")  # a status of the second page moves the deal
    assert tg.alerts(MANAGER)[-1] == "Статус: «Оплачено»."
    await tg.press(MANAGER, "⬅️ К списку")

    await tg.press(MANAGER, "🔀 По статусу")  # the filter: which pipeline, then its statuses five a page
    assert tg.texts(MANAGER)[-1] == "Статусы какой воронки показать?"
    assert labels(tg, MANAGER) == ["Лизинг (маркетплейс)", "Юридические услуги", "Холодный обзвон", "Лизинг (Польша)",
                                   "⬅️ Назад"]
    await tg.press(MANAGER, "Юридические услуги")
    assert labels(tg, MANAGER) == ["Сбор документов", "Отправлен в суд", "Суд 1 состоялся",
                                   "Конкурсное производство завершено", "Суд 2 состоялся", "▶️", "⬅️ Назад"]
    await tg.press(MANAGER, "▶️")
    assert labels(tg, MANAGER) == ["Решение/определение получено", "Ждём оплату", "Оплачено", "Архив дела", "◀️",
                                   "⬅️ Назад"]
    await tg.press(MANAGER, "⬅️ Назад")  # back to the pipelines
    assert tg.texts(MANAGER)[-1] == "Статусы какой воронки показать?"
    await tg.press(MANAGER, "Юридические услуги")
    await tg.press(MANAGER, "▶️")
    await tg.press(MANAGER, "Оплачено")
    assert tg.texts(MANAGER)[-1].splitlines()[0] == "💼 Сделки (мои): 1 · статус «Оплачено»"


async def test_the_language_and_the_timezones_show_at_most_eight_buttons(tg, uow):
    """Issue 30: the languages and the timezones were one screen of 17 buttons; the zones are a screen of their own,
    five a page, the person's page first, with « ⬅️ Назад » to the languages."""
    await people(tg, uow)
    await tg.send(MANAGER, "/lang")
    languages = ["Русский", "English", "Polski", "🕐 Выбрать часовой пояс", "✏️ Другой часовой пояс", "🏠 Меню"]
    assert labels(tg, MANAGER) == languages
    await tg.press(MANAGER, "🕐 Выбрать часовой пояс")
    assert tg.texts(MANAGER)[-1].endswith("Часовой пояс: Москва (UTC+3)\n\nНапоминания, тихие часы, утренняя сводка "
                                          "и все даты — по вашему часовому поясу.\n\nВыберите часовой пояс:")
    assert labels(tg, MANAGER) == ["Калининград (UTC+2)", "✅ Москва (UTC+3)", "Самара (UTC+4)",
                                   "Екатеринбург (UTC+5)", "Омск (UTC+6)", "▶️", "⬅️ Назад"]
    await tg.press(MANAGER, "▶️")
    assert labels(tg, MANAGER) == ["Новосибирск (UTC+7)", "Красноярск (UTC+7)", "Иркутск (UTC+8)", "Якутск (UTC+9)",
                                   "Владивосток (UTC+10)", "◀️", "▶️", "⬅️ Назад"]
    await tg.press(MANAGER, "▶️")
    page3 = ["Магадан (UTC+11)", "Петропавловск-Камчатский (UTC+12)", "Варшава (UTC+1)", "Лондон (UTC+0)",
             "Берлин (UTC+1)", "◀️", "▶️", "⬅️ Назад"]
    assert labels(tg, MANAGER) == page3
    await tg.press(MANAGER, "▶️")  # beyond Russia and Warsaw: where a London firm or a Kyiv office sits
    assert labels(tg, MANAGER) == ["Киев (UTC+2)", "Минск (UTC+3)", "Алматы (UTC+5)", "Ташкент (UTC+5)",
                                   "Дубай (UTC+4)", "◀️", "⬅️ Назад"]
    await tg.press(MANAGER, "◀️")
    await tg.press(MANAGER, "Варшава (UTC+1)")  # picked: ticked on its page, which stays
    assert tg.alerts(MANAGER)[-1] == "Часовой пояс: Варшава (UTC+1)"
    assert labels(tg, MANAGER) == [x.replace("Варшава", "✅ Варшава") for x in page3]
    await tg.press(MANAGER, "⬅️ Назад")
    assert labels(tg, MANAGER) == languages
    await tg.send(SALES, "/lang")  # in Polish
    assert labels(tg, SALES) == ["Русский", "English", "Polski", "🕐 Wybierz strefę czasową",
                                 "✏️ Inna strefa czasowa", "🏠 Menu"]
    await tg.press(SALES, "🕐 Wybierz strefę czasową")  # Warsaw's page first
    assert labels(tg, SALES)[2:] == ["✅ Warszawa (UTC+1)", "Londyn (UTC+0)", "Berlin (UTC+1)", "◀️", "▶️",
                                     "⬅️ Wstecz"]


async def test_a_contact_card_and_a_leads_menus_have_a_way_back(tg, uow):
    """Issue 30: the contact card had no way back, nor its edit menu, a lead's edit menu or its junk reasons."""
    await people(tg, uow)
    await tg.send(MANAGER, "/leads")
    await tg.press(MANAGER, "Пётр")
    screens = {
        "👤 Карточка контакта": ["№1 · Пётр · Новый", "✏️ Изменить карточку", "⬅️ К лидам", "🏠 Меню"],
        "✏️ Изменить карточку": ["Имя", "Город", "Мессенджеры", "Комментарий", "➕ Телефон", "➖ +7 900 111-22-33",
                                "⬅️ К карточке контакта"],
        "⬅️ К карточке контакта": ["№1 · Пётр · Новый", "✏️ Изменить карточку", "⬅️ К лидам", "🏠 Меню"],
        "№1": ["👤 Карточка контакта", "✏️ Изменить", "📞 Попытка звонка", "Прозвон", "Запись на встречу",
               "Решение отложено", "🗑 Брак…", "⬅️ К лидам", "🏠 Меню"],
        "✏️ Изменить": ["Сумма сделки", "Город", "Комментарий", "📣 Источник", "👤 Ответственный",
                       "👤 Имя и телефоны — в карточке контакта", "⬅️ К лиду"],
        "⬅️ К лиду": ["👤 Карточка контакта", "✏️ Изменить", "📞 Попытка звонка", "Прозвон", "Запись на встречу",
                     "Решение отложено", "🗑 Брак…", "⬅️ К лидам", "🏠 Меню"],
        "🗑 Брак…": ["Заявку не оставлял", "Другой город", "Некорректный номер", "Недозвон",
                    "Отказался/решил проблему", "⬅️ К лиду"],
    }
    for button, expected in screens.items():
        await tg.press(MANAGER, button)
        assert labels(tg, MANAGER) == expected, button
    assert tg.texts(MANAGER)[-1] == "Лид №1: причина брака"
    await tg.press(MANAGER, "⬅️ К лиду")
    await tg.press(MANAGER, "👤 Карточка контакта")
    await tg.press(MANAGER, "⬅️ К лидам")
    assert tg.texts(MANAGER)[-1] == "<b>Мои лиды (1)</b>"


@pytest.mark.parametrize("who", [MANAGER, SALES, ADMIN], ids=lambda p: p.name)
async def test_a_dialogs_button_pressed_after_it_ended_is_said_stale(tg, uow, who):
    """A « Пропустить » (and any button of a dialog: « Назад », a pick, « Отмена ») pressed after its dialog ended:
    « the button is stale » in the person's language, whatever their roles, and nothing changes (no lead, no
    message)."""
    from sqlalchemy import func, select

    from bot.keyboards.callbacks import FormAction, FormCb
    from core.db.kernel import models as m

    await people(tg, uow)
    stale = {"ru": "Кнопка устарела. Откройте меню заново: /menu",
             "pl": "Ten przycisk jest nieaktualny. Otwórz menu ponownie: /menu"}[who.language_code]
    async with uow() as u:
        leads_before = await u.session.scalar(select(func.count()).select_from(m.Lead))
    mark = tg.now()
    if who is MANAGER:
        await tg.press(MANAGER, "Пропустить")  # the lead form's last step, on its own message: the form is over
    for action in FormAction:
        await tg.press(who, data=FormCb(action=action, value=1).pack())
    answers = [c for c in tg.session.calls[mark:] if c.__api_method__ == "answerCallbackQuery"]
    assert [(c.text, c.show_alert) for c in answers] == [(stale, True)] * len(answers)
    assert len(answers) == len(FormAction) + (who is MANAGER)
    assert tg.texts(who, mark) == []
    async with uow() as u:
        assert await u.session.scalar(select(func.count()).select_from(m.Lead)) == leads_before
