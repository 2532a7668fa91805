"""The sender's own cost: the outbox delivered with no rate limits, against raw aiogram ``send_message`` at the
same concurrency, side by side in one run, both to the fake Bot API server over local HTTP.

Ours: N outbox rows (a one-line notice each, one recipient each) drained by the OutboxWorker: claim a batch of
100, load the recipient, render in their language, send through the limiter middleware (limits off), record the
row as sent. Concurrency: the 100 rows of a batch go side by side. Raw: the same N texts with ``bot.send_message``
through the same kind of aiohttp session, 100 at a time, nothing recorded.
Run: python -m bench.sender [--messages 2000] [--rounds 9] [--pg postgresql+asyncpg://…/empty_db] [--smoke]
"""

from __future__ import annotations

import asyncio
import statistics
import time

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from sqlalchemy import insert, update

from bench.common import rounds_of, run, units
from bot.notifications import Notifier
from bot.sender import LimitMiddleware, OutboxWorker, RateLimiter
from core.clock import SystemClock
from core.db.kernel import models as m
from core.db.kernel.engine import create_engine
from migrations.runner import upgrade
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.fanout import insert_people
from tests.e2e.process import TOKEN

CONCURRENCY = 100
FIRST_TG = 700_000


def api_bot(url: str, limited: bool) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(url))
    if limited:
        session.middleware(LimitMiddleware(RateLimiter(rate=0, chat_interval=0)))
    return Bot(TOKEN, session=session)


async def bench(db_url: str, n: int, rounds: int, label: str, smoke: bool = False) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)
    clock = SystemClock()  # the sender at work, as in the bot
    now = clock.now()
    async with engine.begin() as conn:
        ids = await insert_people(conn, list(range(FIRST_TG, FIRST_TG + n)), "Получатель")
        await conn.execute(insert(m.Outbox), [
            {"user_id": i, "kind": "referral_joined", "payload": {"name": "Иван"}, "status": "sent", "attempts": 0,
             "not_before": now, "created_at": now} for i in ids])
    api = FakeBotApi(TOKEN)
    url = await api.start()
    ours_bot, raw_bot = api_bot(url, limited=True), api_bot(url, limited=False)
    uow = units(engine, clock)

    worker = OutboxWorker(uow, Notifier(ours_bot, uow, "ru"), batch=CONCURRENCY)
    text = "👥 По вашей ссылке пришёл новый клиент: Иван."

    async def ours() -> None:
        async with engine.begin() as conn:  # the same rows due again (timed with the run; the reset's own few
            await conn.execute(update(m.Outbox).values(status="pending", not_before=clock.now()))  # ms are taken off)
        assert await worker.drain() == n

    async def raw() -> None:
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(chat_id: int) -> None:
            async with gate:
                await raw_bot.send_message(chat_id, text)
        await asyncio.gather(*(one(FIRST_TG + i) for i in range(n)))

    async def reset_only() -> None:
        async with engine.begin() as conn:
            await conn.execute(update(m.Outbox).values(status="pending", not_before=clock.now()))

    try:
        started = time.perf_counter()
        await reset_only()
        reset = time.perf_counter() - started
        all_ours, all_raw = await rounds_of([ours, raw], rounds)
        all_ours = [t - reset for t in all_ours]
        t_ours, t_raw = statistics.median(all_ours), statistics.median(all_raw)
        # each round's two runs back to back: their ratio is what the machine's noise spares
        pairs = sorted(r / o for o, r in zip(all_ours, all_raw, strict=True))
        print(f"[{label}] {n:,} messages, {CONCURRENCY} at a time, no limits: the sender {n / t_ours:,.0f}/s "
              f"({t_ours:.2f} s), raw aiogram send_message {n / t_raw:,.0f}/s ({t_raw:.2f} s); "
              f"ratio {statistics.median(pairs):.2f} (median of {rounds} rounds, {pairs[0]:.2f}–{pairs[-1]:.2f}; "
              f"aim >= 0.8)")
    finally:
        await ours_bot.session.close()
        await raw_bot.session.close()
        await api.stop()
        await engine.dispose()


if __name__ == "__main__":
    run(bench, what="messages", default_n=2000, default_rounds=9, smoke_n=100)
