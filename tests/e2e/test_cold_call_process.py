"""`python -m bot` as a real process (seed 001): the admin sets up an access group, a cadence, a survey template and
a campaign from a file, posts it; the executor answers the survey, gives the access group, e-mails the business
card — caught by a local SMTP server — and reaches «Формирование потребностей клиента» with its first call
planned."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.i18n import Translator
from tests.e2e.process import ADMIN, MANAGER, running
from tests.e2e.test_bot_process import press, say
from tests.smtp import smtp_server

FILE = "Организация;ИНН;Телефон;E-mail\nООО Ромашка;7707083893;+7 900 111-22-33;info@romashka.ru\n"


@pytest.fixture
async def world(tmp_path, db_url):
    with smtp_server() as (smtp, catcher):
        env = dict(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_SECURITY="none",
                   SMTP_FROM="sales@dealgram.test", CARD_TEXT="Визитка: ООО Дилграм, +7 495 000-00-00")
        async with running(tmp_path, db_url, env=env) as (api, bot):
            yield api, bot, catcher


async def test_a_posted_campaign_to_stage_5_with_the_card_by_e_mail(world):
    api, _, catcher = world
    await say(api, ADMIN, "/start", "Главное меню · Администратор")
    await press(api, ADMIN, "Настройки", "Настройки · что ещё нужно")
    await press(api, ADMIN, "Справочники", "Справочники:")
    await press(api, ADMIN, "Лизинговые компании", "Нажмите на запись")
    await press(api, ADMIN, "Добавить", "Введите название:")
    await say(api, ADMIN, "Альфа", "Добавлено: Альфа")
    await press(api, ADMIN, "Настройки", "Настройки · что ещё нужно")
    await press(api, ADMIN, "Пригласить", "Кого пригласить?")
    await press(api, ADMIN, "Менеджер", "компании-партнёра маркетплейса (🏢)")
    link = await press(api, ADMIN, "Альфа", "Одноразовая ссылка")
    token = re.search(r"start=(\S+)", link.params["text"]).group(1)
    await say(api, MANAGER, f"/start {token}", "Согласие на обработку персональных данных")
    await press(api, MANAGER, "Согласен", "теперь вы — Менеджер")

    await press(api, ADMIN, "Настройки", "Настройки · что ещё нужно")

    await press(api, ADMIN, "Справочники", "Справочники:")
    await press(api, ADMIN, "Группы доступа", "Нажмите на запись")
    await press(api, ADMIN, "Добавить", "Введите название:")
    mark = api.mark()
    await say(api, ADMIN, "Север", "Добавлено: Север")
    await api.wait_for(ADMIN[0], "<b>Группы доступа</b>", after=mark)  # the directory again, with its groups
    await press(api, ADMIN, "Север: руководитель и участники", "Руководитель: нет")
    await press(api, ADMIN, MANAGER[1], f"Участники: {MANAGER[1]}")
    await press(api, ADMIN, "Настройки", "Настройки · что ещё нужно")
    await press(api, ADMIN, "Справочники", "Справочники:")
    await press(api, ADMIN, "Периодичность обзвона", "Нажмите на запись")
    await press(api, ADMIN, "Добавить", "Название периодичности обзвона")
    await say(api, ADMIN, "100 лет", "не больше года")
    await say(api, ADMIN, "2 недели", "Добавлено: 2 недели")

    await say(api, ADMIN, "/campaigns", "Кампаний пока нет.")
    await press(api, ADMIN, "Новый шаблон опроса", "Название шаблона опроса?")
    await say(api, ADMIN, "Первичный", "Вопросы, по одному в строке")
    await say(api, ADMIN, "текст: Кто директор?\nда/нет: Работаете с НДС?", "вопросов — 2")
    await say(api, ADMIN, "/campaigns", "Кампаний пока нет.")
    await press(api, ADMIN, "Новый обзвон", "Название обзвона?")
    await say(api, ADMIN, "Декабрь", "Обзвон «Декабрь»")
    await press(api, ADMIN, "Строки из файла", "Пришлите файл CSV или XLSX")
    api.files["documents/BASE"] = FILE.encode("cp1251")
    await say(api, ADMIN, None, "Будет добавлено строк: 1.",
              document={"file_id": "BASE", "file_unique_id": "b1", "file_name": "base.csv", "mime_type": "text/csv",
                        "file_size": len(api.files["documents/BASE"])})
    await press(api, ADMIN, "Добавить 1", "Строк: 1")
    await press(api, ADMIN, "Шаблон опроса", "Выберите шаблон опроса:")
    await press(api, ADMIN, "Первичный (2)", "Шаблон опроса: Первичный")
    await press(api, ADMIN, "Исполнитель", "Выберите исполнителя:")
    await press(api, ADMIN, MANAGER[1], f"Исполнитель: {MANAGER[1]}")
    await press(api, ADMIN, "В работу", "Состояние: 🔧 В работе")
    mark = api.mark()
    await press(api, ADMIN, "Провести", "Обзвон проведён: сделок — 1.")
    await api.wait_for(MANAGER[0], "Проведён обзвон «Декабрь»: ваших сделок — 1.", after=mark)

    await press(api, MANAGER, "Открыть обзвон", "→ сделка №1")
    await press(api, MANAGER, "0000000001 · ООО Ромашка", "ООО Ромашка")
    await press(api, MANAGER, "Этап и действия", "Этап: Первичный контакт. Анкетирование")
    await press(api, MANAGER, "Анкета", "Вопрос 1 из 2")
    await say(api, MANAGER, "Пётр Петрович", "Вопрос 2 из 2")
    await press(api, MANAGER, "Да", "Анкета заполнена")
    await press(api, MANAGER, "К сделке", "ООО Ромашка")
    await press(api, MANAGER, "Этап и действия", "Этап: Квалифицировать клиента")
    await press(api, MANAGER, "Группа доступа", "Группа доступа клиента:")
    await press(api, MANAGER, "Север", "Этап: Визитка компании")
    await press(api, MANAGER, "Отправить визитку на e-mail", "Этап: Формирование потребностей клиента")
    for _ in range(100):
        if catcher.messages:
            break
        await asyncio.sleep(0.05)
    [(_, to, msg)] = catcher.messages
    assert (to, msg["From"], msg["Subject"], msg.get_content().strip()) == (
        ["info@romashka.ru"], "sales@dealgram.test", "Визитка компании", "Визитка: ООО Дилграм, +7 495 000-00-00")
    await press(api, MANAGER, "Периодичность обзвона", "Как часто звонить?")
    panel = await press(api, MANAGER, "2 недели", "Следующий звонок №1")
    assert "Периодичность обзвона: 2 недели" in panel.params["text"]
    assert "Визитка компании отправлена (e-mail)" in panel.params["text"]
    mark = api.mark()
    await press(api, MANAGER, "Выгрузить")
    upload = await api.wait_method(MANAGER[0], "sendDocument", after=mark)
    [xlsx] = upload.uploads.values()
    assert xlsx[:2] == b"PK"

    # the deal's feed and the manager's tasks, read in Russian, English and Polish (issue 26): the facts core kept,
    # worded for each reader (the deal page is opened from the panel's button, which answers in the reader's language)
    for language, button in (("ru", None), ("en", "English"), ("pl", "Polski")):
        t = Translator(language)
        if button:
            await say(api, MANAGER, "/lang", "Choose a language")
            await press(api, MANAGER, button, t("menu.title", role=t("roles.manager")))
        await press(api, MANAGER, "К сделке", "ООО Ромашка")
        feed = (await press(api, MANAGER, t("ws.feed"), t("ws.feed_title", name="ООО Ромашка"))).params["text"]
        tasks = (await say(api, MANAGER, "/tasks", "ООО Ромашка")).params["text"]
        print(f"=== {language}\n{feed}\n--- /tasks\n{tasks}")
        for line in (t("feed.status", was=t("stage.cold_call.contact"), to=t("stage.cold_call.qualify")),
                     t("feed.sent_card", how=t("feed.channel_email")), t("feed.survey_done"),
                     t("feed.reminder", title=t("task_code.call", n=1)), t("feed.cadence", name="2 недели")):
            assert line in feed, (language, line, feed)
        assert t("task_code.call", n=1) in tasks
        if language != "ru":  # the data (the counterparty, the group, the cadence, the answers) is as people typed it
            words = feed
            for data in ("ООО Ромашка", "Север", "2 недели", MANAGER[1], ADMIN[1]):  # and who wrote each line
                words = words.replace(data, "")
            assert not re.search("[А-Яа-яЁё]", words), words
