"""`python -m bot` as a real process against the fake Bot API: from an application with a file to «Выдано»,
with a relayed document, and a kill -9 in the middle of the form that the restarted bot continues."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.process import ADMIN, CLIENT, MANAGER, TOKEN, BotProcess, running, wait_until


@pytest.fixture
async def world(tmp_path, db_url):
    async with running(tmp_path, db_url) as (api, bot):
        yield api, bot


async def press(api, who, label, expect=None, chat=None):
    mark = api.mark()
    await api.press(who[0], who[1], label)
    if expect:
        return await api.wait_for(chat or who[0], expect, after=mark)
    return None


async def say(api, who, text, expect=None, chat=None, **extra):
    mark = api.mark()
    await api.send(who[0], who[1], text, **extra)
    if expect:
        return await api.wait_for(chat or who[0], expect, after=mark)
    return None


async def test_application_with_a_file_to_issued(world):
    api, bot = world
    await say(api, ADMIN, "/start", "Главное меню · Администратор")
    for section, name in (("Лизинговые компании", "Альфа-Лизинг"), ("Категории объектов", "Спецтехника"),
                          ("Регионы", "Москва")):
        await press(api, ADMIN, "Настройки", "Настройки · что ещё нужно")
        await press(api, ADMIN, "Справочники", "Справочники:")
        await press(api, ADMIN, section, "Нажмите на запись")
        await press(api, ADMIN, "Добавить", "Введите название:")
        await say(api, ADMIN, name, f"Добавлено: {name}")
    await press(api, ADMIN, "Настройки", "Настройки · что ещё нужно")
    await press(api, ADMIN, "Пригласить", "Кого пригласить?")
    await press(api, ADMIN, "Менеджер", "компании-партнёра маркетплейса (🏢)")
    link = await press(api, ADMIN, "Альфа-Лизинг", "Одноразовая ссылка")
    token = re.search(r"start=(\S+)", link.params["text"]).group(1)
    # a person's first start asks for consent; the invite link is followed once they agree
    await say(api, MANAGER, f"/start {token}", "Согласие на обработку персональных данных")
    await press(api, MANAGER, "Согласен", "теперь вы — Менеджер (компания: Альфа-Лизинг)")

    # the client starts a form; the bot is killed with -9 in the middle and started again
    await say(api, CLIENT, "/start", "Согласие на обработку персональных данных")
    await press(api, CLIENT, "Согласен", "Главное меню · Клиент")
    await press(api, CLIENT, "Новая заявка", "Шаг 1/8")
    await press(api, CLIENT, "Спецтехника", "Шаг 2/8")
    await say(api, CLIENT, "Экскаватор JCB", "Шаг 3/8")
    bot.kill9()
    bot.start()
    await say(api, CLIENT, "4 500 000", "Шаг 4/8")
    await say(api, CLIENT, "36", "Шаг 5/8")
    await press(api, CLIENT, "Москва", "Шаг 6/8")
    await say(api, CLIENT, "ООО Ромашка", "Шаг 7/8")
    await say(api, CLIENT, None, "Телефон принят.", contact={"phone_number": "+79001234567", "first_name": "Иван",
                                                             "user_id": CLIENT[0]})
    api.files["documents/CLIENT-DOC-1"] = b"%PDF-1.7\n" + b"0" * 12336  # the bot reads its start to check the type
    await say(api, CLIENT, None, "Файл добавлен (всего: 1)",
              document={"file_id": "CLIENT-DOC-1", "file_unique_id": "cd1", "file_name": "ТЗ.pdf",
                        "mime_type": "application/pdf", "file_size": 12345})
    await press(api, CLIENT, "Готово", "Проверьте заявку")
    mark = api.mark()
    await press(api, CLIENT, "Отправить", "Заявка №1 отправлена на модерацию")
    doc = await api.wait_method(ADMIN[0], "sendDocument", after=mark)
    assert doc.params["document"] == "CLIENT-DOC-1"
    await api.wait_for(ADMIN[0], "Новая заявка №1 на модерацию", after=mark)

    dispatched = api.mark()
    offer = await press(api, ADMIN, "Одобрить", "Новая заявка №1", chat=MANAGER[0])
    assert "Отправитель: клиент (имя откроется вместе с контактами)" in offer.params["text"]
    await press(api, MANAGER, "Сделать предложение", "Ежемесячный платёж")
    await say(api, MANAGER, "140 000", "Срок лизинга")
    await press(api, MANAGER, "Как в заявке", "Аванс")
    await say(api, MANAGER, "450 000", "Выкупной платёж")
    await say(api, MANAGER, "0", "Условия выкупа")
    await say(api, MANAGER, "Выкуп за 1 ₽", "Приложите файл")
    await press(api, MANAGER, "Пропустить", "Предложение по заявке №1")
    await press(api, MANAGER, "Отправить", "Новое предложение по заявке №1", chat=CLIENT[0])

    await press(api, CLIENT, "Сравнить предложения", "Предложения по заявке №1")
    await press(api, CLIENT, "1. Альфа-Лизинг")
    await api.wait_for(CLIENT[0], "", after=api.mark())  # the toggled keyboard is in place
    mark = api.mark()
    # before the deal the manager was shown nothing of who the client is: every call to the chat, buttons included
    shown = "\n".join(repr(c.params) for c in api.calls[dispatched:mark]
                      if str(c.params.get("chat_id")) == str(MANAGER[0]))
    assert "Новая заявка №1" in shown
    assert [s for s in ("Иван", str(CLIENT[0]), "+79001234567", "+7 900 123-45-67", "Ромашка", "ТЗ.pdf")
            if s in shown] == []
    await press(api, CLIENT, "Одобрить сделку", "Сделка по заявке №1 открыта")
    chosen = await api.wait_for(MANAGER[0], "Клиент выбрал ваше предложение", after=mark)
    assert "+7 900 123-45-67" in chosen.params["text"]  # the client's phone, as people read it

    # the deal room relays a document by copyMessage
    await press(api, CLIENT, "Открыть сделку", "Сделка №1")
    await press(api, CLIENT, "Написать в сделку", "Вы в переписке по сделке №1")
    mark = api.mark()
    api.files["documents/PASSPORT"] = b"%PDF-1.4\n" + b"0" * 2039
    doc_id = await api.send(CLIENT[0], CLIENT[1], None, caption="Паспорт",
                            document={"file_id": "PASSPORT", "file_unique_id": "pp", "file_name": "Паспорт.pdf",
                                      "mime_type": "application/pdf", "file_size": 2048})
    copy = await api.wait_method(MANAGER[0], "copyMessage", after=mark)
    assert (int(copy.params["from_chat_id"]), int(copy.params["message_id"])) == (CLIENT[0], doc_id)
    assert copy.params["caption"].startswith("💬 Сделка №1 · Клиент:")

    await press(api, MANAGER, "Открыть сделку", "Сделка №1")
    await press(api, MANAGER, "✅ Одобрено", "«Сбор документов» → «Одобрено»", chat=CLIENT[0])
    await press(api, MANAGER, "Открыть сделку", "Сделка №1")
    await press(api, MANAGER, "Выдано", "«Одобрено» → «Выдано»", chat=CLIENT[0])

    assert not any(c.method in ("forwardMessage", "forwardMessages") for c in api.calls)
    assert all(TOKEN not in str(c.params) for c in api.calls)


async def a_lead_and_its_reminder(api) -> None:
    """The admin adds a source and a lead; its auto-task «Связаться с клиентом» is due at once, and a running
    scheduler reminds of it."""
    await press(api, ADMIN, "Настройки", "Настройки · что ещё нужно")
    await press(api, ADMIN, "Справочники", "Справочники:")
    await press(api, ADMIN, "Источники лидов", "Нажмите на запись")
    await press(api, ADMIN, "Добавить", "Введите название:")
    await say(api, ADMIN, "Сайт", "Добавлено: Сайт")
    await press(api, ADMIN, "Ещё", "создать заявку или лид")  # an admin's «Новый лид» is under «Ещё»
    await press(api, ADMIN, "Новый лид", "Телефон клиента:")
    await say(api, ADMIN, "+7 900 123-45-67", "Имя клиента:")
    await say(api, ADMIN, "Пётр", "Источник:")
    await press(api, ADMIN, "Сайт", "Сумма сделки")  # a new deployment: the sales pipeline
    await say(api, ADMIN, "600 000", "Город:")
    await press(api, ADMIN, "Пропустить", "Комментарий:")
    mark = api.mark()
    await press(api, ADMIN, "Пропустить", "Лид №1 создан.")
    # the auto-task «Связаться с клиентом» is due at once: the running bot's scheduler reminds of it
    await api.wait_for(ADMIN[0], "⏰ Пора: Связаться с клиентом — лид №1", after=mark)


async def test_a_lead_its_reminder_and_the_report_file(world):
    api, _ = world
    await say(api, ADMIN, "/start", "Главное меню · Администратор")
    await a_lead_and_its_reminder(api)

    await say(api, ADMIN, "/report", "Отчёт по источникам за период:")
    mark = api.mark()
    await press(api, ADMIN, "Этот месяц", "Воронка по источникам")
    upload = await api.wait_method(ADMIN[0], "sendDocument", after=mark)
    [xlsx] = upload.uploads.values()
    assert xlsx[:2] == b"PK"  # an XLSX is a zip
    chart = await api.wait_method(ADMIN[0], "sendPhoto", after=mark)
    assert chart.method == "sendPhoto"


async def test_a_client_by_a_source_link_writes_in_and_is_answered(world):
    """Walkthrough item 13 in the running bot: a client who left a request by the source's link writes in; her words
    reach the lead's responsible (the admin: no manager yet) with « ↩️ Ответить », and the answer reaches her."""
    api, _ = world
    await say(api, ADMIN, "/start", "Главное меню · Администратор")
    await a_lead_and_its_reminder(api)
    await press(api, ADMIN, "Настройки", "Настройки · что ещё нужно")
    await press(api, ADMIN, "Справочники", "Справочники:")
    listed = await press(api, ADMIN, "Источники лидов", "Нажмите на запись")
    [code] = re.findall(r"start=(src_[\w-]+)", listed.params["text"])
    await say(api, CLIENT, f"/start {code}", "Согласие на обработку персональных данных")
    await press(api, CLIENT, "Согласен", "Как вас зовут?")
    await say(api, CLIENT, "Иван Сидоров", "Ваш телефон")
    await say(api, CLIENT, "+7 900 765-43-21", "Спасибо! Заявка принята")
    mark = api.mark()
    await say(api, CLIENT, "Когда позвоните?", "✅ Передали: Админ ведёт вашу заявку.")
    await api.wait_for(ADMIN[0], "💬 <b>Лид №2</b> · пишет Иван Сидоров:\n\nКогда позвоните?", after=mark)
    await press(api, ADMIN, "↩️ Ответить", "Ответ по лиду №2 · Иван Сидоров")
    mark = api.mark()
    await say(api, ADMIN, "Сегодня в 18:00.", "✅ Ответ отправлен клиенту")
    await api.wait_for(CLIENT[0], "💬 <b>Админ</b> отвечает:\n\nСегодня в 18:00.", after=mark)
    assert not any(c.method in ("forwardMessage", "forwardMessages") for c in api.calls)


async def test_the_running_bot_serves_the_mini_app(tmp_path, db_url):
    """With WEBAPP_PORT set, `python -m bot` serves the kanban page and its API beside polling."""
    import asyncio
    import socket

    from aiohttp import ClientSession

    from tests.browser.test_kanban import init_data

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with running(tmp_path, db_url,
                       env={"WEBAPP_PORT": str(port), "WEBAPP_URL": "https://crm.example.com/app/"}) as (api, _):
        await say(api, ADMIN, "/start", "Главное меню · Администратор")
        base = f"http://127.0.0.1:{port}"
        async with ClientSession() as http:
            for _ in range(50):
                try:
                    async with http.get(f"{base}/app/") as r:
                        assert r.status == 200 and "Dealgram" in await r.text()
                        break
                except OSError:
                    await asyncio.sleep(0.2)
            async with http.get(f"{base}/app/api/board") as r:
                assert r.status == 401
            # signed now on the machine's clock, which the real process runs on
            auth = {"Authorization": f"tma {init_data(ADMIN[0], ADMIN[1], token=TOKEN, auth_date=int(time.time()))}"}
            async with http.get(f"{base}/app/api/board?pipeline=market", headers=auth) as r:
                body = await r.json()
                assert r.status == 200 and [c["name"] for c in body["columns"]] == [
                    "Сбор документов", "Одобрено", "Доработка", "Выдано"]
        listing = await say(api, ADMIN, "/crm", "💼 Сделки (мои): 0")
        assert "https://crm.example.com/app/" in str(listing.params.get("reply_markup"))


async def test_webhook_mode_secret_and_redelivery(tmp_path, db_url):
    """WEBHOOK_URL set: the bot registers its webhook with a secret; a request with another secret gets 401 and does
    nothing; the 200 comes after the update was handled; the same update delivered again is not applied again."""
    import asyncio
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    secret = "webhook-secret-0123456789"
    env = {"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram", "WEBHOOK_SECRET": secret, "WEBHOOK_PORT": str(port)}
    async with running(tmp_path, db_url, env=env, secrets=[secret]) as (api, bot):
        for _ in range(int(api.PATIENCE * 10)):  # the bot applies the migrations first, slowly on a loaded machine
            if api.webhook or bot.proc.poll() is not None:
                break
            await asyncio.sleep(0.1)
        assert api.webhook == (f"http://127.0.0.1:{port}/telegram", secret)
        await asyncio.sleep(0.3)  # setWebhook is called once the server listens

        def update(update_id: int, text: str) -> dict:
            return {"update_id": update_id, "message": {
                "message_id": update_id, "date": 1, "chat": {"id": ADMIN[0], "type": "private"},
                "from": api.user(*ADMIN), "text": text,
                "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}

        forged = update(900, "/start")
        assert await api.deliver(forged, secret="not-the-secret") == 401
        await asyncio.sleep(0.5)
        assert api.sent_to(ADMIN[0]) == []  # nothing handled, nothing answered

        first = update(901, "/start")
        assert await api.deliver(first) == 200
        # the answer was sent before the 200: the update was handled (and recorded) first
        assert any("Главное меню" in (c.params.get("text") or "") for c in api.sent_to(ADMIN[0]))
        def answers() -> list[str]:  # the replies to /start (the scheduler may also send the morning digest)
            return [t for t in api.texts(ADMIN[0]) if t.startswith(("Здравствуйте", "Главное меню"))]
        before = answers()
        assert len(before) == 2
        assert await api.deliver(first) == 200  # Telegram retries: the inbox knows update 901
        await asyncio.sleep(0.5)
        assert answers() == before, api.texts(ADMIN[0])


async def test_one_scheduler_process_beside_a_bot_without_one(tmp_path, db_url):
    """SCHEDULER=off on the bot and `python -m bot scheduler` beside it: the reminder comes from the scheduler."""
    api = FakeBotApi(TOKEN)
    url = await api.start()
    bot = BotProcess(url, db_url, tmp_path / "bot.log")
    bot.env["SCHEDULER"] = "off"
    scheduler = BotProcess(url, db_url, tmp_path / "scheduler.log")
    try:
        bot.start()
        await say(api, ADMIN, "/start", "Главное меню · Администратор")
        scheduler.start(["scheduler"])
        await a_lead_and_its_reminder(api)
    finally:
        await bot.stop()
        await scheduler.stop()
        await api.stop()
    assert "reminders" not in bot.log.read_text(errors="replace")  # the bot scanned nothing
    assert "1 reminders" in scheduler.log.read_text(errors="replace")


@pytest.mark.real_migrations  # the process starts on an empty database: the signals land in its migrations too
@pytest.mark.parametrize(("command", "started"), [("run", "Start polling"), ("scheduler", "Dealgram ready")])
async def test_a_sigint_at_any_moment_of_the_start_ends_the_process_quietly(tmp_path, db_url, command, started):
    """A supervisor (or Ctrl-C) stops a process that is still importing or starting, or one that runs: it ends with
    the signal's default code while it starts and with 0 once it runs (the work in hand finished), and the log holds
    no traceback (a KeyboardInterrupt from an import once failed the fault suite)."""
    import asyncio
    import signal

    api = FakeBotApi(TOKEN)
    url = await api.start()
    codes = []
    try:
        for n, delay in enumerate((0.3, 1.0, 2.5, None)):
            bot = BotProcess(url, db_url, tmp_path / f"bot{n}.log")
            bot.start([command])
            if delay is None:  # once it runs
                assert await wait_until(lambda b=bot: started in b.log.read_text(errors="replace"), 60, 0.05)
            else:
                await asyncio.sleep(delay)
            bot.proc.send_signal(signal.SIGINT)
            codes.append(await asyncio.to_thread(bot.proc.wait, 30))
            log = bot.log.read_text(errors="replace")
            assert "Traceback" not in log, f"SIGINT after {delay} s:\n{log[-3000:]}"
    finally:
        await api.stop()
    assert set(codes[:-1]) <= {0, -signal.SIGINT} and codes[-1] == 0, codes


async def test_telegram_out_of_reach_at_start_is_waited_for(tmp_path, db_url):
    """The Bot API does not answer yet when the bot starts (a proxy still booting): one line says so, no traceback;
    the bot tries again with growing pauses and, once it answers, says it is ready and serves. APScheduler's scans
    are not in the log (its chatter is at WARNING)."""
    from sqlalchemy.engine import make_url

    from tests.e2e.process import free_port

    port = free_port()  # nothing listens there yet
    url = f"http://127.0.0.1:{port}"
    bot = BotProcess(url, db_url, tmp_path / "bot.log")
    api = FakeBotApi(TOKEN)
    bot.start()
    try:
        said = f"WARNING bot.app: Telegram cannot be reached at {url} (ClientConnectorError: Cannot connect to host "
        assert await wait_until(lambda: said in bot.log.read_text(errors="replace"), FakeBotApi.PATIENCE), \
            bot.log.read_text(errors="replace")[-3000:]
        assert bot.proc.poll() is None  # waiting, not dead
        await api.start(port)
        await say(api, ADMIN, "/start", "Главное меню · Администратор")
    finally:
        await bot.stop()
        await api.stop()
    log = bot.log.read_text(errors="replace")
    assert "Traceback" not in log and TOKEN not in log, log[-3000:]
    assert log.count("Telegram cannot be reached") == 1 and f"INFO bot.app: Telegram reached at {url}" in log
    [ready] = [line.split(": ", 1)[1] for line in log.splitlines() if "Dealgram ready" in line]
    parsed = make_url(db_url)
    database = (f"SQLite {parsed.database}" if parsed.get_backend_name() == "sqlite" else
                f"PostgreSQL {parsed.host}/{parsed.database}")
    assert ready == (f"Dealgram ready as @dealgram_bot; updates: long polling; database: {database}; languages: "
                     f"ru, en, pl (default ru, Europe/Moscow); areas: "
                     f"marketplace, leads and deals, cold calls, leasing; scheduler: on; e-mail: off; Mini App: off")
    assert "INFO apscheduler" not in log  # «Running job …», «… executed successfully»: twice a scan before
    # a new database's ~30 revisions: alembic's line each (with their docstrings) only at LOG_LEVEL=DEBUG; ours
    assert "alembic.runtime.migration" not in log and "Running upgrade" not in log, log[:3000]
    if "INFO migrations.runner: database: new; creating it (revision " in log:
        assert "INFO migrations.runner: database: created (revision " in log
