"""Before any database work: a flood of forged callbacks and a flood of messages cost no write."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.types import CallbackQuery, Message, Update
from sqlalchemy import func, select

from bot.app import build, create_bot
from core.db.kernel import models as m
from tests.bot.fake_telegram import BOT_USER, Driver, Person, RecordingSession

STRANGER = Person(7001, "Mallory")


async def counts(factory) -> tuple[int, int]:
    async with factory() as s:
        return (await s.scalar(select(func.count()).select_from(m.ProcessedUpdate)),
                await s.scalar(select(func.count()).select_from(m.User)))


async def test_forged_callbacks_cost_no_database_write(tg, factory):
    before = await counts(factory)
    mark = tg.now()
    for data in ("zz", "x:1", "w:notanumber:1", "wl:1:2:3:4:5:6:7:8:9:10", "", "m:999"):
        await _press(tg, data)
    assert await counts(factory) == before  # no inbox row, not even a user row for a stranger
    assert tg.alerts(STRANGER, mark) == ["Кнопка устарела. Откройте меню заново: /menu"] * 6


async def _press(tg, data: str) -> None:
    """A press on a message the stranger never got, with data of their own making."""
    message = Message(message_id=1, date=datetime.now(UTC), chat=STRANGER.chat, from_user=BOT_USER, text="…")
    cb = CallbackQuery(id=f"{STRANGER.id}-{tg.now()}", from_user=STRANGER.user, chat_instance="ci", message=message,
                       data=data)
    await tg.feed(Update(update_id=90_000 + tg.now(), callback_query=cb))


async def test_a_flood_of_messages_is_throttled_without_writes(settings, engine, factory, clock):
    session = RecordingSession()
    throttled = settings.model_copy(update={"throttle_per_minute": 3})
    app = build(throttled, engine=engine, bot=create_bot(throttled, session=session), clock=clock)
    tg = Driver(app, session)
    try:
        for _ in range(3):
            await tg.send(STRANGER, "/start")
        before = await counts(factory)
        mark = tg.now()
        for _ in range(20):
            await tg.send(STRANGER, "/start")
        assert await counts(factory) == before
        assert tg.texts(STRANGER, mark) == ["Слишком много запросов — подождите минуту."]  # said once
    finally:
        await app.dp.storage.close()
