"""With REDIS_URL: the sender's pace is shared by every process through Redis, and dialog state lives there
(a restart, or another worker, continues a form where it was). Against a real redis-server."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.app import build, create_bot
from bot.sender import RedisRateLimiter
from tests.bot.fake_telegram import Driver, Person, RecordingSession
from tests.bot.helpers import seed

CLIENT = Person(4201, "Иван")


async def test_two_processes_keep_one_pace(redis_url):
    a_conn, b_conn = Redis.from_url(redis_url), Redis.from_url(redis_url)
    a = RedisRateLimiter(a_conn, rate=10, chat_interval=0.5)  # 0.1 s between any two sends, 0.5 s per chat
    b = RedisRateLimiter(b_conn, rate=10, chat_interval=0.5)
    try:
        assert await a.reserve(1) == pytest.approx(0.0, abs=0.05)
        assert await b.reserve(1) == pytest.approx(0.5, abs=0.05)  # the same chat, from the other process
        assert await a.reserve(2) == pytest.approx(0.6, abs=0.05)  # another chat: after the global slot
        assert await b.reserve(None) == pytest.approx(0.7, abs=0.05)  # not a chat send: only the global pace
        await a.pause(3)  # a 429 seen by one process holds back the other
        assert await b.reserve(3) == pytest.approx(3.0, abs=0.05)
    finally:
        await a.close()
        await b.close()


async def test_a_group_is_paced_at_20_a_minute_across_processes(redis_url):
    a, b = (RedisRateLimiter(Redis.from_url(redis_url), rate=1000, chat_interval=1.0) for _ in range(2))
    try:
        delays = [await (a if i % 2 else b).reserve(-100500) for i in range(4)]
        assert delays == pytest.approx([0.0, 3.0, 6.0, 9.0], abs=0.05)
    finally:
        await a.close()
        await b.close()


async def test_dialog_state_in_redis_survives_a_restart(settings, engine, uow, redis_url):
    settings = settings.model_copy(update={"redis_url": redis_url})

    def started(first_update_id: int):
        session = RecordingSession()
        return Driver(build(settings, engine=engine, bot=create_bot(settings, session=session)), session,
                      first_update_id)

    tg = started(1)
    assert type(tg.app.dp.storage).__name__ == "RedisStorage"
    await seed(tg, uow)
    await tg.start(CLIENT)
    await tg.press(CLIENT, "Новая заявка")
    await tg.app.close()

    tg = started(1000)  # another process (or the same after a restart) on the same Redis
    try:
        await tg.send(CLIENT, "Трактор")  # text where a button is expected: the form is still at its first step
        assert tg.texts(CLIENT)[-1] == "Выберите вариант кнопкой под сообщением."
        await tg.press(CLIENT, data="f:3:1", on=None)  # «Спецтехника», the first category
        assert tg.texts(CLIENT)[-1].startswith("Шаг 2/8")
    finally:
        await tg.app.close()
