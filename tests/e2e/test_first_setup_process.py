"""The first ten minutes through the real `python -m bot`: a new admin says what the deployment runs and walks the
checklist (directories, an invite), is told when the manager joins; a client picks English on the consent screen."""

from __future__ import annotations

import re

import pytest

from migrations.runner import HEAD
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.process import ADMIN, CLIENT, MANAGER, TOKEN, BotProcess
from tests.e2e.test_bot_process import press, say

#: a deployment's very first start: the process migrates the empty database itself before it serves
pytestmark = pytest.mark.real_migrations


@pytest.fixture
async def world(tmp_path, db_url):
    api = FakeBotApi(TOKEN)
    url = await api.start()
    bot = BotProcess(url, db_url, tmp_path / "bot.log")
    bot.start()
    yield api, bot
    await bot.stop()
    await api.stop()
    log = bot.log.read_text(errors="replace")
    assert TOKEN not in log, "the bot token leaked into the log"
    assert "Traceback" not in log, log[-3000:]
    # the empty database created at the newest revision in one step, said in two lines of our own, not alembic's
    # line per revision
    assert f"INFO migrations.runner: database: new; creating it (revision {HEAD}) …" in log, log[:3000]
    assert f"INFO migrations.runner: database: created (revision {HEAD})" in log, log[:3000]
    assert "Running upgrade" not in log, log[:3000]


def labels(api, chat: int, needle: str) -> list[str]:
    """The buttons of the newest message in the chat whose text has ``needle``."""
    message = next(m for m in reversed(list(api.shown[chat].values())) if needle in (m.get("text") or ""))
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


async def test_a_new_admin_sets_up_a_marketplace(world):
    api, _ = world
    await say(api, ADMIN, "/start", "Что ведёт ваша команда в Dealgram?")
    await press(api, ADMIN, "Лизинговый маркетплейс", "Лизинговый маркетплейс")
    await api.wait_for(ADMIN[0], "Что ведёт")  # the tick is shown in place
    await press(api, ADMIN, "Сохранить", "⬜ лизинговая компания в справочнике")
    for step, name in (("Добавить лизинговую компанию", "Альфа-Лизинг"), ("Добавить категорию", "Спецтехника"),
                       ("Добавить регион", "Москва")):
        await press(api, ADMIN, step, "Введите название:")
        mark = api.mark()
        await say(api, ADMIN, name, f"Добавлено: {name}")
        await api.wait_for(ADMIN[0], "Нажмите на запись", after=mark)  # the directory, with its ways back
        await press(api, ADMIN, "⬅️ Настройки", "Настройки · что ещё нужно")
    assert labels(api, ADMIN[0], "Осталось шагов: 1.")[0] == "✉️ Ссылка для менеджера"
    await press(api, ADMIN, "Ссылка для менеджера", "компании-партнёра маркетплейса (🏢)")
    link = await press(api, ADMIN, "Альфа-Лизинг", "Одноразовая ссылка")
    token = re.search(r"start=(\S+)", link.params["text"]).group(1)

    mark = api.mark()
    await say(api, MANAGER, f"/start {token}", "Согласие на обработку персональных данных")
    await press(api, MANAGER, "Согласен", "теперь вы — Менеджер (компания: Альфа-Лизинг)")
    await api.wait_for(ADMIN[0], "✅ Приглашение принято: Анна теперь — Менеджер.\nКомпания: Альфа-Лизинг", after=mark)
    await press(api, ADMIN, "⬅️ Настройки", "✅ Всё необходимое есть: можно работать.")
    await say(api, ADMIN, "/menu", "Главное меню · Администратор")
    assert labels(api, ADMIN[0], "Главное меню") == [
        "🛡 Модерация", "🤝 Комнаты сделок", "📝 Новая заявка", "📂 Мои заявки", "🧮 Лизинговый калькулятор",
        "⚙️ Настройки"]  # what the marketplace alone needs fits on one screen

    # a client: the consent first, in the language they pick there
    await say(api, CLIENT, "/start", "Согласие на обработку персональных данных")
    await press(api, CLIENT, "English", "Consent to the processing of personal data")
    await press(api, CLIENT, "I agree", "Main menu · Client")
    await say(api, CLIENT, "/help", "What you can do here")
