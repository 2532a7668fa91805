"""Leads through the bot: the manager's form, a duplicate, call attempts and the «Недозвон» refusal, a meeting,
tasks, the person's request by a source link, and the funnel report."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from core.db.kernel import models as m
from core.services.kernel import directories, tasks, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed

OLGA = Person(2001, "Ольга")
VISITOR = Person(5001, "Пётр")


async def new_lead(tg, who, phone, name, debt="450 000"):
    # an admin's «Новый лид» is under «Ещё», a manager's under «Лиды и отчёт» (their menu, by area)
    await tg.press(who, "Ещё" if who is ADMIN else "Лиды и отчёт")
    await tg.press(who, "Новый лид")
    await tg.send(who, phone)
    await tg.send(who, name)
    await tg.press(who, "Сайт")
    await tg.send(who, debt)
    await tg.press(who, "Пропустить")  # city
    await tg.press(who, "Пропустить")  # comment


async def test_a_manager_works_a_lead(tg, uow, factory):
    await seed(tg, uow, managers=[OLGA])
    admin = await users.find(uow(), str(ADMIN.id))
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await tg.send(OLGA, "/menu")
    await tg.press(OLGA, "Лиды и отчёт")
    await tg.press(OLGA, "Новый лид")
    await tg.send(OLGA, "12345")
    assert tg.texts(OLGA)[-1] == "Не похоже на номер телефона. Пример: +7 912 345-67-89."
    await tg.press(OLGA, "Отмена")
    await new_lead(tg, OLGA, "8 900 111-22-33", "Пётр")
    card = tg.texts(OLGA)[-1]
    assert "Лид №1</b> · Новый" in card and "+7 900 111-22-33" in card and "Сумма сделки: 450\u00a0000 ₽" in card
    assert "☐ Связаться с клиентом" in card

    await new_lead(tg, OLGA, "+7 900 111 22 33", "Петя")
    assert "Лид №2 создан как дубль: работа ведётся в исходном лиде №1." in tg.texts(OLGA)
    mark = tg.now()
    await tg.press(OLGA, "Карточка контакта")
    contact = tg.texts(OLGA, mark)[0].splitlines()
    assert contact == ["<b>Контакт: Пётр</b>", "Телефоны: +7 900 111-22-33", "Лиды: 2",
                       "• лид №1 — Новый (Сайт)", "• лид №2 — Дубль (Сайт)", "Сделки: 0"]
    assert "Пришёл дубль вашего лида №1: лид №2" in tg.everything(OLGA)

    await tg.press(OLGA, "Прозвон")
    assert "Лид №1: «Прозвон»." in tg.alerts(OLGA)
    # seed 004's touches: each task once, its next days after it (not the same title four times, read as doubles)
    assert tg.texts(OLGA)[-1].splitlines()[-3:] == [
        "☐ Связаться с клиентом — до 23.11.2026 12:00 (затем 24.11.2026, 25.11.2026, 27.11.2026)",
        "☐ Написать в WhatsApp — до 23.11.2026 12:00 (затем 24.11.2026, 25.11.2026, 27.11.2026)",
        "🗒 23.11.2026 12:00: дубль — лид №2 (Сайт)"]
    mark = tg.now()
    await tasks.scan_due(uow(), tg.app.settings.core())  # the first touch falls due: two tasks of one lead
    await tg.app.worker.drain()
    assert tg.texts(OLGA, mark) == ["⏰ Пора — задач: 2\n• Связаться с клиентом — лид №1 — срок 23.11.2026 12:00\n"
                                    "• Написать в WhatsApp — лид №1 — срок 23.11.2026 12:00"]
    assert tg.labels(OLGA) == ["1. 📇 Лид №1 · Связаться с клиентом", "2. 📇 Лид №1 · Написать в WhatsApp",
                               "📋 Мои задачи"]  # each button says which task, not «Лид №1» twice
    await tg.press(OLGA, "Попытка звонка")
    await tg.press(OLGA, "Попытка звонка")
    assert tg.alerts(OLGA)[-1] == "Попытка записана (всего: 2)"
    await tg.press(OLGA, "Брак")
    mark = tg.now()
    await tg.press(OLGA, "Недозвон")
    assert tg.alerts(OLGA, mark)[0].startswith("«Недозвон» пока нельзя: попыток 2 из 3, не раньше ")

    await tg.send(OLGA, "/leads")
    await tg.press(OLGA, "№1 · Пётр")
    await tg.press(OLGA, "Запись на встречу")
    await tg.send(OLGA, "завтра")
    assert tg.texts(OLGA)[-1] == "Введите дату и время так: 25.11.2026 15:00."
    await tg.send(OLGA, "25.12.2026 15:00")
    card = tg.texts(OLGA)[-1]
    assert "Встреча: 25.12.2026 15:00" in card and "☐ Подтвердить встречу — до 24.12.2026 15:00" in card
    async with factory() as s:
        lead = await s.get(m.Lead, 1)
        assert (lead.status, lead.meeting_at.isoformat()) == ("meeting", "2026-12-25T12:00:00+00:00")

    await tg.send(OLGA, "/tasks")
    assert tg.texts(OLGA)[-1] == (  # «Отправить адрес», due now; the meeting's confirmation, upcoming
        "<b>Мои задачи: 2</b>\n<b>🔴 Просрочено: 1</b>\n№10 Отправить адрес — лид №1 — 23.11.2026 12:00\n"
        "<b>📅 Дальше: 1</b>\n№11 Подтвердить встречу — лид №1 — 24.12.2026 15:00")
    assert tg.labels(OLGA)[:5] == ["✅ №10 Отправить адрес", "+1 ч", "Завтра", "📅 Другой срок",
                                   "👤 Передать"]  # the line's number with the task's name, not a bare «№10»
    listing, done = tg.button(OLGA, "✅ №10 Отправить адрес")
    await tg.press(OLGA, data=done, on=listing)
    assert listing.text.startswith("<b>Мои задачи: 1</b>\n<b>📅 Дальше: 1</b>\n№11")  # edited in place

    await tg.send(OLGA, "/report")
    mark = tg.now()
    await tg.press(OLGA, "Этот месяц")
    assert tg.methods(OLGA, mark) == ["sendMessage", "sendDocument", "sendPhoto"]
    xlsx, png = tg.calls_to(OLGA, mark)[1:]
    # November where Ольга is (Moscow), though it starts on 31 October in UTC
    assert (xlsx.document.filename, png.photo.filename) == ("funnel-2026-11-01_2026-11-30.xlsx",
                                                            "funnel-2026-11-01_2026-11-30.png")
    sheet = load_workbook(io.BytesIO(xlsx.document.data)).active
    assert sheet.title == "Воронка" and sheet["A1"].value == "Воронка по источникам: 01.11.2026 — 30.11.2026"
    assert [c.value for c in sheet[2]] == ["Источник", "Лидов", "Записей", "Визитов", "Договоров", "С предоплатой",
                                          "Записей, %", "Визитов, %", "Договоров, %"]
    assert [c.value for c in sheet[3]] == ["Сайт", 2, 1, 0, 0, 0, 50.0, 0.0, 0.0]
    assert [c.value for c in sheet[4]] == ["Итого", 2, 1, 0, 0, 0, 50.0, 0.0, 0.0]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("B3", "A2:I3")  # the header stays; the total is no row
    assert png.photo.filename.endswith(".png") and png.photo.data.startswith(b"\x89PNG")
    report = tg.texts(OLGA, mark)[0]
    table = report.split("<pre>")[1].split("</pre>")[0]
    assert max(len(line) for line in table.splitlines()) <= 32  # a phone's chat bubble
    assert [line.split() for line in table.splitlines()] == [
        ["Сайт", "2"], ["Записей", "1", "50%"], ["Визитов", "0", "0%"], ["Договоров", "0", "0%"],
        ["С", "предоплатой", "0", "0%"], [],
        ["Итого", "2"], ["Записей", "1", "50%"], ["Визитов", "0", "0%"], ["Договоров", "0", "0%"],
        ["С", "предоплатой", "0", "0%"]]


async def test_a_person_leaves_a_request_by_a_source_link(tg, uow, factory):
    await seed(tg, uow)
    admin = await users.find(uow(), str(ADMIN.id))
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Радио")
    await tg.start(VISITOR, f"src_{source.code}")
    await tg.send(VISITOR, "Пётр Петров")
    mark = tg.now()
    await tg.contact(VISITOR, "+7 900 555-66-77")
    assert tg.texts(VISITOR, mark) == ["Спасибо! Заявка принята, мы скоро свяжемся с вами. "
                                       "Если появится вопрос — просто напишите его здесь."]
    assert "Новая заявка по ссылке источника: лид №1." in tg.everything(ADMIN, mark)
    async with factory() as s:
        contact = await s.scalar(select(m.Contact))
        visitor = await s.scalar(select(m.User).where(m.User.tg_id == VISITOR.id))
        assert (contact.name, contact.user_id) == ("Пётр Петров", visitor.id)


async def test_a_lead_that_arrives_by_itself_is_someones_at_once(tg, uow, factory):
    """By a source link: the source's default responsible if the admin set one, else the manager with the fewest
    open leads (a tie: who joined first); the responsible gets it with its «Связаться с клиентом» task and the
    admins see who and why. An import row naming nobody follows the same rule; one naming a manager goes to them."""
    anton = Person(2002, "Антон")
    await seed(tg, uow, managers=[OLGA, anton])
    admin = await users.find(uow(), str(ADMIN.id))
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    radio = await directories.add(uow(), admin.id, Directory.SOURCES, "Радио")
    await new_lead(tg, OLGA, "+79001112201", "Анна")  # Ольга has one open lead, Антон none

    async def visitor_by_link(who: Person, phone: str) -> None:
        await tg.start(who, f"src_{radio.code}")  # and «Согласен» to the consent text
        await tg.send(who, who.name)
        await tg.contact(who, phone)

    mark = tg.now()
    await visitor_by_link(VISITOR, "+7 900 555-66-77")
    assert tg.texts(anton, mark)[0] == "📇 Вам назначен лид №2. Его задачи — в «Мои задачи»."
    assert tg.calls_to(OLGA, mark) == []
    assert ("📥 Новая заявка по ссылке источника: лид №2.\nОтветственный: Антон — меньше всего открытых лидов."
            in tg.texts(ADMIN, mark))
    await tg.send(anton, "/tasks")
    assert "Мои задачи: 1</b>\n<b>🔴 Просрочено: 1</b>\n№2 Связаться с клиентом" in tg.texts(anton)[-1]

    # the admin gives «Радио» to Ольга: its next lead is hers, whoever has fewer
    await tg.send(ADMIN, "/menu")
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Источники лидов")
    sources = tg.texts(ADMIN)[-1]
    assert "👤 ответственный: по очереди (меньше всего открытых лидов)" in sources
    assert "Ольга (1), Антон (1)" in sources
    await tg.press(ADMIN, "Ответственные по источникам")
    await tg.press(ADMIN, "Радио")
    await tg.press(ADMIN, "Ольга (1)")
    sources = tg.session.shown[ADMIN.id][max(tg.session.shown[ADMIN.id])].text  # the sources' screen, edited
    assert "Радио: https://t.me/" in sources and "👤 ответственный: Ольга" in sources
    mark = tg.now()
    await visitor_by_link(Person(5002, "Вера"), "+7 900 555-66-88")
    assert tg.texts(OLGA, mark)[0] == "📇 Вам назначен лид №3. Его задачи — в «Мои задачи»."
    assert ("Ответственный: Ольга — ответственный источника по умолчанию." in tg.everything(ADMIN, mark))

    # an import: a row naming Антон is his; the others follow the rule (Радио → Ольга; Сайт → the fewest: Антон)
    await tg.send(ADMIN, "/import")
    csv = ("Телефон;Имя;Источник;Ответственный\n+79000000001;Гриша;Сайт;Антон\n+79000000002;Дина;Радио;\n"
           "+79000000003;Егор;Сайт;\n+79000000004;Жанна;Сайт;Никто\n").encode()
    await tg.document(ADMIN, "leads.csv", mime="text/csv", content=csv)
    assert "Строка 5: ответственный «Никто» не найден среди менеджеров, которые ведут лиды" in tg.texts(ADMIN)[-1]
    await tg.press(ADMIN, "Создать 3")
    async with factory() as s:
        owners = {lead.id: lead.responsible_id for lead in (await s.scalars(select(m.Lead))).all()}
        ids = {u.tg_id: u.id for u in (await s.scalars(select(m.User))).all()}
        tasks = {t.lead_id: t.responsible_id for t in (await s.scalars(select(m.Task))).all()}
    assert owners == {1: ids[OLGA.id], 2: ids[anton.id], 3: ids[OLGA.id], 4: ids[anton.id], 5: ids[OLGA.id],
                      6: ids[anton.id]}
    assert tasks == owners  # every lead has its «Связаться с клиентом» with its responsible


async def test_an_admin_imports_leads_from_a_file(tg, uow, factory):
    await seed(tg, uow)
    admin = await users.find(uow(), str(ADMIN.id))
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await tg.send(ADMIN, "/import")
    await tg.document(ADMIN, "leads.pdf")
    assert tg.texts(ADMIN)[-1] == "Нужен файл CSV или XLSX."
    csv = "Телефон;Имя;Источник\n+79000000001;Анна;Сайт\n123;Вера;Сайт\n+79000000001;Анна;Сайт\n".encode()
    await tg.document(ADMIN, "leads.csv", mime="text/csv", content=csv)
    preview = tg.texts(ADMIN)[-1]
    assert preview.splitlines() == [
        "Будет создано лидов: 1. Ошибок: 1. Повторов в файле: 1. Дублей существующих лидов: 0.",
        "Строка 3: Не похоже на номер телефона. Пример: +7 912 345-67-89.",
        "Строка 4: +7 900 000-00-01 уже есть в строке 2 — пропущена"]
    shown, create = tg.button(ADMIN, "Создать 1")
    await tg.press(ADMIN, data=create, on=shown)
    await tg.press(ADMIN, data=create, on=shown)  # a double press creates nothing more
    assert "Создано лидов: 1 (из них дублей: 0)." in tg.texts(ADMIN)
    async with factory() as s:
        assert len((await s.scalars(select(m.Lead))).all()) == 1


async def test_an_admin_switches_an_auto_task_rule_off(tg, uow, factory):
    await seed(tg, uow)
    admin = await users.find(uow(), str(ADMIN.id))
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Авто-задачи")
    await tg.press(ADMIN, "✅ Связаться с клиентом")
    assert "⬜ Связаться с клиентом" in str(tg.button(ADMIN, "Связаться с клиентом")[0].markup)
    await new_lead(tg, ADMIN, "+79001112233", "Пётр")
    async with factory() as s:
        assert (await s.scalars(select(m.Task))).all() == []  # «Новый» makes no task while its rule is off


async def test_tasks_moved_and_handed_over_and_a_typed_period(tg, uow, factory):
    colleague = Person(2002, "Антон")
    await seed(tg, uow, managers=[OLGA, colleague])
    admin = await users.find(uow(), str(ADMIN.id))
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await new_lead(tg, OLGA, "+79001112233", "Пётр")
    await tg.send(OLGA, "/tasks")
    await tg.press(OLGA, "📅")
    await tg.send(OLGA, "31.12.2030 10:00")
    assert tg.texts(OLGA)[-1] == "«Связаться с клиентом»: новый срок 31.12.2030 10:00."
    await tg.send(OLGA, "/tasks")
    assert tg.texts(OLGA)[-1] == ("<b>Мои задачи: 1</b>\n<b>📅 Дальше: 1</b>\n"  # not due today: upcoming
                                  "№1 Связаться с клиентом — лид №1 — 31.12.2030 10:00")
    async with factory() as s:
        task_id = (await s.scalar(select(m.Task))).id
    from bot.keyboards.callbacks import TaskAction, TaskCb

    await tg.press(OLGA, data=TaskCb(action=TaskAction.REASSIGN, task_id=task_id).pack())
    mark = tg.now()
    await tg.send(OLGA, str(colleague.id))
    assert tg.texts(OLGA, mark) == ["«Связаться с клиентом» передана: Антон."]
    assert tg.texts(colleague, mark)[0].startswith("📌 Вам передана задача: Связаться с клиентом — лид №1.")
    # Ольга no longer holds it
    mark = tg.now()
    await tg.press(OLGA, data=TaskCb(action=TaskAction.DONE, task_id=task_id).pack())
    assert tg.alerts(OLGA, mark) == ["У вас нет доступа к этому действию."]

    await tg.send(OLGA, "/report")
    await tg.press(OLGA, "Другой период")
    await tg.send(OLGA, "15.11.2026 - 01.11.2026")
    assert tg.texts(OLGA)[-1] == "Введите период так: 01.11.2026-15.11.2026."
    await tg.send(OLGA, "01.01.2024-31.12.2030")
    assert tg.texts(OLGA)[-1].startswith("<b>Воронка по источникам: 01.01.2024 — 31.12.2030</b>")
    assert tg.methods(OLGA)[-2:] == ["sendDocument", "sendPhoto"]


async def test_lead_list_filters(tg, uow):
    await seed(tg, uow, managers=[OLGA])
    admin = await users.find(uow(), str(ADMIN.id))
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await new_lead(tg, OLGA, "+79001112201", "Анна")
    await new_lead(tg, OLGA, "+79001112202", "Борис")
    await tg.press(OLGA, "Прозвон")  # Борис's card was shown last
    await tg.send(OLGA, "/leads")
    listing = tg.texts(OLGA)[-1]
    assert "Мои лиды (2)" in listing
    await tg.press(OLGA, "Статус")
    await tg.press(OLGA, "Прозвон")
    shown = tg.session.shown[OLGA.id][max(tg.session.shown[OLGA.id])]
    assert shown.text.startswith("<b>Мои лиды (1) · Прозвон</b>")
    assert shown.markup.inline_keyboard[0][0].text == "№2 · Борис · Прозвон"
    await tg.send(OLGA, "/find Кузнецов")  # nothing: it says what was looked for, not an empty list
    assert tg.texts(OLGA)[-1] == "Ничего не найдено по «Кузнецов»."
    await tg.send(OLGA, "/find Борис")
    assert "№2 · Борис · Прозвон" in tg.seen_by(OLGA, tg.now() - 1)


async def test_what_was_typed_can_be_edited_and_every_change_is_audited(tg, uow, factory):
    anton = Person(2002, "Антон")
    await seed(tg, uow, managers=[OLGA, anton])
    admin = await users.find(uow(), str(ADMIN.id))
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await directories.add(uow(), admin.id, Directory.SOURCES, "Радио")
    await new_lead(tg, OLGA, "+79001112233", "Пётр")
    await new_lead(tg, OLGA, "+79004445566", "Мария")

    # the lead: its debt (a bad amount refused, nothing changed), city, source, then handed over to Антон
    await tg.send(OLGA, "/leads")
    await tg.press(OLGA, "№1 · Пётр")
    await tg.press(OLGA, "✏️ Изменить")
    await tg.press(OLGA, "Сумма сделки")
    await tg.send(OLGA, "много")
    assert tg.texts(OLGA)[-1] == "Введите сумму цифрами, например 1 500 000 или 1500000,50."
    await tg.send(OLGA, "600 000")
    card = tg.texts(OLGA)[-1]
    assert "Сумма сделки: 600\u00a0000 ₽" in card
    await tg.press(OLGA, "✏️ Изменить")
    await tg.press(OLGA, "Город")
    await tg.send(OLGA, "Казань")
    assert "Город: Казань" in tg.texts(OLGA)[-1]
    await tg.press(OLGA, "✏️ Изменить")
    await tg.press(OLGA, "📣 Источник")
    await tg.press(OLGA, "Радио")
    assert "Источник: Радио" in tg.texts(OLGA)[-1]
    await tg.press(OLGA, "✏️ Изменить")
    await tg.press(OLGA, "👤 Ответственный")
    mark = tg.now()
    await tg.press(OLGA, "Антон (0)")
    assert tg.texts(OLGA, mark)[-1] == "Лид №1 передан: Антон."
    assert tg.texts(anton, mark) == ["📇 Вам назначен лид №1. Его задачи — в «Мои задачи»."]
    mark = tg.now()
    await tg.press(OLGA, "✏️ Изменить")  # no longer hers
    assert tg.alerts(OLGA, mark) == ["У вас нет доступа к этому действию."]

    # the contact card: name, messengers, a second phone; a phone of another card is refused, naming it
    await tg.send(anton, "/leads")
    await tg.press(anton, "№1 · Пётр")
    await tg.press(anton, "👤 Карточка контакта")
    await tg.press(anton, "✏️ Изменить карточку")
    await tg.press(anton, "Имя")
    await tg.send(anton, "Пётр Петров")
    assert tg.texts(anton)[-1].startswith("<b>Контакт: Пётр Петров</b>")
    await tg.press(anton, "✏️ Изменить карточку")
    await tg.press(anton, "Мессенджеры")
    await tg.send(anton, "Telegram @petr, WhatsApp +79001112233")
    assert "Мессенджеры: Telegram: @petr, WhatsApp: +79001112233" in tg.texts(anton)[-1]
    await tg.press(anton, "✏️ Изменить карточку")
    await tg.press(anton, "➕ Телефон")
    await tg.send(anton, "+7 900 444-55-66")  # Мария's
    assert tg.texts(anton)[-1] == "Этот телефон уже в карточке «Мария» (контакт №2): одна карточка на номер."
    await tg.send(anton, "8 (900) 777-88-99")
    assert "Телефоны: +7 900 111-22-33, +7 900 777-88-99" in tg.texts(anton)[-1]
    await tg.press(anton, "✏️ Изменить карточку")
    await tg.press(anton, "➖ +7 900 111-22-33")
    assert "Телефоны: +7 900 777-88-99" in tg.texts(anton)[-1]
    mark = tg.now()
    await tg.press(anton, "✏️ Изменить карточку")
    await tg.press(anton, "➖ +7 900 777-88-99")
    assert tg.alerts(anton, mark) == ["Последний телефон карточки не удаляется: добавьте другой, потом удалите этот."]

    async with factory() as s:
        trail = [(a.entity, a.action, a.comment) for a in (await s.scalars(
            select(m.AuditLog).where(m.AuditLog.entity.in_(["lead", "contact"])).order_by(m.AuditLog.id))).all()]
    assert trail == [("lead", "edit_debt", "450000.00 → 600000.00"), ("lead", "edit_city", "— → Казань"),
                     ("lead", "edit_source", "Сайт → Радио"), ("lead", "edit_responsible", "Ольга → Антон"),
                     ("contact", "edit_name", "Пётр → Пётр Петров"),
                     ("contact", "edit_messengers", "— → Telegram @petr, WhatsApp +79001112233"),
                     ("contact", "add_phone", "+79007778899"), ("contact", "remove_phone", "+79001112233")]
