"""With REDIS_URL: the sender's pace is shared by every process through Redis, and dialog state lives there
(a restart, or another worker, continues a form where it was). Against a real redis-server."""

from __future__ import annotations

import asyncio
import time
from itertools import pairwise

import pytest
from redis.asyncio import Redis

from bot.app import build, create_bot
from bot.sender import RedisRateLimiter
from tests.bot.fake_telegram import Driver, Person, RecordingSession
from tests.bot.helpers import seed

CLIENT = Person(4201, "Иван")

#: the limiters' gaps are measured in real time: with the machine to itself (scripts/test's serial pass), as the
#: limiter's grid lets a late send be followed by an early one on a starved machine
pytestmark = pytest.mark.serial


async def timed(limiter, chat_id, clock0: float) -> float:
    await limiter.acquire(chat_id)
    return time.monotonic() - clock0


async def test_two_processes_keep_one_pace(redis_url):
    """Two limiters (two processes) sending to one chat and to many: the gaps they leave between them."""
    a = RedisRateLimiter(Redis.from_url(redis_url), rate=20, chat_interval=0.3)  # 0.05 s overall, 0.3 s a chat
    b = RedisRateLimiter(Redis.from_url(redis_url), rate=20, chat_interval=0.3)
    try:
        t0 = time.monotonic()
        one_chat = sorted(await asyncio.gather(*(timed(x, 7, t0) for x in (a, b, a, b, a, b))))
        gaps = [y - x for x, y in pairwise(one_chat)]
        assert min(gaps) >= 0.29, gaps  # one send to the chat per 0.3 s, whichever process sends it
        t0 = time.monotonic()
        many = sorted(await asyncio.gather(*(timed(x, 100 + i, t0) for i, x in enumerate([a, b] * 10))))
        # 20 a second overall, across both: the sends keep to a 0.05 s grid (a send a little late does not push
        # the next ones back), so any 11 consecutive sends span at least 10 intervals less the one it may catch up
        spans = [many[i + 10] - many[i] for i in range(len(many) - 10)]
        assert min(spans) >= 9 * 0.05, spans
        assert many[-1] - many[0] >= 18 * 0.05, many
        await a.pause(1.0)  # a 429 seen by one process holds back the other
        t0 = time.monotonic()
        assert await timed(b, 500, t0) >= 0.95
    finally:
        await a.close()
        await b.close()


async def test_a_group_is_paced_at_20_a_minute_across_processes(redis_url):
    a, b = (RedisRateLimiter(Redis.from_url(redis_url), rate=1000, chat_interval=0.1, group_interval=0.5)
            for _ in range(2))
    try:
        t0 = time.monotonic()
        times = sorted(await asyncio.gather(*(timed(x, -100500, t0) for x in (a, b, a, b))))
        gaps = [y - x for x, y in pairwise(times)]
        assert min(gaps) >= 0.49, gaps  # a group's own interval, not a private chat's
    finally:
        await a.close()
        await b.close()


async def test_dialog_state_in_redis_survives_a_restart(settings, engine, uow, redis_url, clock):
    settings = settings.model_copy(update={"redis_url": redis_url})

    def started(first_update_id: int):
        session = RecordingSession()
        return Driver(build(settings, engine=engine, bot=create_bot(settings, session=session), clock=clock), session,
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
