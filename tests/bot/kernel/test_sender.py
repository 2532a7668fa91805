"""The one sender: pace, 429 waited out, 5xx retried then parked, 403 marks the user; the token never logged."""

from __future__ import annotations

import logging

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.logs import RedactToken
from bot.sender import LimitMiddleware, OutboxWorker, RateLimiter
from core.db.kernel import models as m
from core.services.kernel import outbox as outbox_service
from tests.bot.fake_telegram import RecordingSession
from tests.factories import person


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sleeps(monkeypatch):
    """asyncio.sleep in the sender records the delay instead of waiting; the fake clock moves on."""
    slept: list[float] = []
    clock = Clock()

    async def fake_sleep(delay):
        slept.append(round(delay, 3))
        clock.now += delay

    monkeypatch.setattr("bot.sender.asyncio.sleep", fake_sleep)
    return slept, clock


async def test_pace_is_30_a_second_overall_and_1_a_second_per_chat(sleeps):
    _slept, clock = sleeps
    limiter = RateLimiter(rate=30, chat_interval=1.0, clock=clock)
    for chat in range(60):  # 60 chats: two seconds at 30 a second
        await limiter.acquire(chat)
    assert clock.now == pytest.approx(59 / 30, abs=1e-6)
    await limiter.acquire(7)  # the 61st message overall: at 2.0 s
    assert clock.now == pytest.approx(2.0, abs=1e-6)
    await limiter.acquire(7)  # the same chat again: a whole second after its last message
    assert clock.now == pytest.approx(3.0, abs=1e-6)


async def test_a_late_send_keeps_the_grid_only_when_a_little_late(sleeps):
    """Slots are 1/30 s apart. A send a little late (the event loop was busy) keeps to the grid, so the pace does
    not drift; one later than a whole slot starts the grid afresh from its own time, so a stall is never made up
    for with a burst."""
    _slept, clock = sleeps
    limiter = RateLimiter(rate=30, chat_interval=0, clock=clock)
    await limiter.acquire(1)  # at 0: the next slot is at 1/30 s
    clock.now += 1 / 30 + 0.02  # woken 20 ms late
    await limiter.acquire(2)
    await limiter.acquire(3)  # still on the grid: 2/30 s
    assert clock.now == pytest.approx(2 / 30, abs=1e-6)
    clock.now += 1 / 30 + 0.04  # 40 ms late: more than a slot
    started = clock.now
    await limiter.acquire(4)
    await limiter.acquire(5)  # a whole slot after the late one, not on the old grid
    assert clock.now == pytest.approx(started + 1 / 30, abs=1e-6)


async def test_a_group_gets_20_a_minute(sleeps):
    _slept, clock = sleeps
    limiter = RateLimiter(rate=30, chat_interval=1.0, clock=clock)
    for _ in range(21):
        await limiter.acquire(-100123)
    assert clock.now == pytest.approx(60.0, abs=1e-6)  # the 21st message of a group waits a minute


class FlakySession(RecordingSession):
    def __init__(self, failures):
        super().__init__()
        self.failures = list(failures)

    async def make_request(self, bot, method, timeout=None):
        if self.failures and method.__api_method__ == "sendMessage":
            raise self.failures.pop(0)(method)
        return await super().make_request(bot, method, timeout)


def retry_after(seconds):
    return lambda method: TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=seconds)


async def test_429_is_waited_out_and_retried(sleeps):
    slept, clock = sleeps
    session = FlakySession([retry_after(7), retry_after(3)])
    session.middleware(LimitMiddleware(RateLimiter(rate=30, chat_interval=0, clock=clock)))
    bot = Bot("42:TEST", session=session)
    msg = await bot.send_message(5, "hi")
    assert msg.text == "hi"
    assert [c.__api_method__ for c in session.calls] == ["sendMessage"]  # one delivery, after two refusals
    assert sum(slept) >= 10


async def test_5xx_is_retried_with_backoff_then_parked(uow, factory, cfg):
    user = await person(uow, cfg, 777, "Пётр")
    async with factory() as s:
        s.add(m.Outbox(user_id=user.id, kind="referral_joined", payload={"name": "x"}))
        await s.commit()

    async def always_5xx(row):
        raise TelegramServerError(method=SendMessage(chat_id=777, text="x"), message="Bad Gateway")

    worker = OutboxWorker(uow, always_5xx)
    for attempt in range(1, outbox_service.MAX_ATTEMPTS + 1):
        await worker.drain_once()
        async with factory() as s:
            row = await s.scalar(select(m.Outbox))
            # make the backoff due now, as time passing would
            row.not_before = row.created_at
            await s.commit()
        assert row.attempts == attempt
    assert (row.status, row.last_error) == ("failed", "Telegram server says - Bad Gateway")


async def test_the_token_never_reaches_the_log(caplog):
    token = "123456:SECRET-token"
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactToken(token))
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("GET https://api.telegram.org/bot%s/getUpdates failed", token)
        try:
            raise RuntimeError(f"url /bot{token}/sendMessage")
        except RuntimeError:
            logger.exception("boom")
    assert token not in caplog.text
    assert "<BOT_TOKEN>" in caplog.text
