"""A stop waits for the update in hand: its reply goes out before the bot's session closes."""

from __future__ import annotations

import asyncio

from tests.bot.conftest import ADMIN


async def test_a_stop_waits_for_the_update_being_handled(tg):
    released, reached = asyncio.Event(), asyncio.Event()
    record = tg.session.make_request

    async def slow(bot, method, timeout=None):
        if method.__api_method__ == "sendMessage":
            reached.set()
            await released.wait()  # Telegram is slow to answer just as the stop comes
        return await record(bot, method, timeout)

    tg.session.make_request = slow
    update = asyncio.create_task(tg.send(ADMIN, "/start"))
    await asyncio.wait_for(reached.wait(), 5)
    settle = asyncio.create_task(tg.app.settle(5))
    await asyncio.sleep(0.1)
    assert not settle.done()  # the update is still being handled: the stop waits
    released.set()
    await asyncio.wait_for(settle, 5)
    assert tg.app.dp["in_flight"].count == 0
    await update
    assert any("Главное меню" in text for text in tg.texts(ADMIN))
