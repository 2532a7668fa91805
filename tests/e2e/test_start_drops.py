"""A connection that drops at any call of the start (after getMe answered: deleteWebhook, setWebhook) is what a
network down at start is: one line saying Telegram cannot be reached, a retry after a pause, no traceback, and then
the bot serves."""

from __future__ import annotations

import pytest

from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.process import ADMIN, TOKEN, BotProcess, clean_log, free_port, wait_until


@pytest.mark.parametrize("method", ["deleteWebhook", "setWebhook"])
async def test_a_drop_between_getme_and_the_updates_is_one_line_then_the_bot_runs(tmp_path, db_url, method):
    api = FakeBotApi(TOKEN)
    api.drops[method] = 1
    url = await api.start()
    bot = BotProcess(url, db_url, tmp_path / "bot.log")
    if method == "setWebhook":
        port = free_port()
        bot.env.update({"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram", "WEBHOOK_SECRET": "s" * 24,
                        "WEBHOOK_PORT": str(port)})
    bot.start()
    try:
        ready = await wait_until(lambda: "Dealgram ready" in bot.log.read_text(errors="replace"), api.PATIENCE)
        log = bot.log.read_text(errors="replace")
        assert ready, log[-3000:]
        assert [c.method for c in api.calls if method in c.method] == [f"dropped:{method}", method]
        if method == "deleteWebhook":  # the bot then serves, by long polling
            mark = api.mark()
            await api.send(*ADMIN, "/start")
            await api.wait_for(ADMIN[0], "Главное меню · Администратор", after=mark)
        else:
            assert api.webhook == (f"http://127.0.0.1:{port}/telegram", "s" * 24)
    finally:
        await bot.stop()
        await api.stop()
    clean_log(bot, "s" * 24)
    log = bot.log.read_text(errors="replace")
    [line] = [line for line in log.splitlines() if "cannot be reached" in line]
    assert line.split(" ", 2)[2].startswith(f"WARNING bot.app: Telegram cannot be reached at {url} ("), line
    assert f"INFO bot.app: Telegram reached at {url}" in log
    assert "Error" not in log.replace(line, ""), log[-3000:]  # no other error line about it
