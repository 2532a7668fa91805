"""Update throughput with two webhook workers on one PostgreSQL database against one, in turns in one run.

The workers are real `python -m bot` processes in webhook mode (SCHEDULER=off, limits off: the bench measures
handling, not Telegram's pace). The load: `/menu` from 200 people (each update recorded in the inbox, the person
loaded, the menu sent to the fake Bot API server), 40 requests in flight as Telegram's default max_connections,
each answered 200 only after it was handled. One worker: all requests to it; two: alternately.
Run: python -m bench.workers --pg postgresql+asyncpg://…/empty_db [--updates 2000] [--rounds 3] [--smoke]
(--smoke: 50 updates, one round)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
from pathlib import Path

from aiohttp import ClientSession, TCPConnector

from bench.common import smoke_flag
from core.db.kernel.engine import create_engine
from migrations.runner import upgrade
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.fanout import insert_people
from tests.e2e.process import TOKEN, BotProcess, free_port

PEOPLE, IN_FLIGHT, SECRET = 200, 40, "bench-webhook-secret-0123456789"
FIRST_TG = 800_000


async def main(db_url: str, updates: int, rounds: int) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)
    async with engine.begin() as conn:
        await insert_people(conn, list(range(FIRST_TG, FIRST_TG + PEOPLE)), "Клиент")
    await engine.dispose()
    api = FakeBotApi(TOKEN)
    url = await api.start()
    ids = itertools.count(1)
    with tempfile.TemporaryDirectory() as tmp:
        ports = [free_port(), free_port()]
        workers = []
        for n, port in enumerate(ports):
            w = BotProcess(url, db_url, Path(tmp) / f"w{n}.log")
            w.env.update({"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram", "WEBHOOK_SECRET": SECRET,
                          "WEBHOOK_PORT": str(port), "SCHEDULER": "off", "SEND_RATE_PER_SECOND": "0",
                          "SEND_CHAT_INTERVAL": "0", "THROTTLE_PER_MINUTE": "0", "LOG_LEVEL": "WARNING"})
            workers.append(w)
            w.start()
        try:
            async with ClientSession(connector=TCPConnector(limit=IN_FLIGHT)) as http:
                async def post(port: int, update: dict) -> int:
                    async with http.post(f"http://127.0.0.1:{port}/telegram", json=update,
                                         headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as response:
                        return response.status

                def update(i: int) -> dict:
                    uid = next(ids)
                    tg = FIRST_TG + i % PEOPLE
                    return {"update_id": uid, "message": {
                        "message_id": uid, "date": 1, "chat": {"id": tg, "type": "private"},
                        "from": {"id": tg, "is_bot": False, "first_name": "Клиент", "language_code": "ru"},
                        "text": "/menu", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}

                for port in ports:  # both listening
                    for _ in range(300):
                        try:
                            await post(port, update(0))
                            break
                        except OSError:
                            await asyncio.sleep(0.1)

                def menus() -> int:
                    return sum(1 for c in api.calls if c.method == "sendMessage"
                               and FIRST_TG <= int(c.params.get("chat_id", 0)) < FIRST_TG + PEOPLE)

                async def load(targets: list[int]) -> float:
                    batch = [update(i) for i in range(updates)]
                    before = menus()
                    started = time.perf_counter()
                    statuses = await asyncio.gather(*(post(targets[i % len(targets)], u)
                                                      for i, u in enumerate(batch)))
                    took = time.perf_counter() - started
                    assert set(statuses) == {200}, set(statuses)
                    for _ in range(100):  # every update handled: each /menu answered (sent by then, or just after)
                        if menus() - before >= updates:
                            break
                        await asyncio.sleep(0.1)
                    assert menus() - before == updates, (menus() - before, updates)
                    return took

                one, two = [], []
                await load(ports)  # warm-up
                for _ in range(rounds):
                    one.append(await load(ports[:1]))
                    two.append(await load(ports))
        finally:
            for w in workers:
                await w.stop()
            await api.stop()
    t1, t2 = statistics.median(one), statistics.median(two)
    print(f"[PostgreSQL] {updates:,} updates, {IN_FLIGHT} in flight: one worker {updates / t1:,.0f} updates/s, "
          f"two workers {updates / t2:,.0f} updates/s; ratio {t1 / t2:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", required=True, help="an empty PostgreSQL database URL (postgresql+asyncpg://…)")
    parser.add_argument("--updates", type=int)
    parser.add_argument("--rounds", type=int)
    smoke_flag(parser)
    args = parser.parse_args()
    asyncio.run(main(args.pg, args.updates or (50 if args.smoke else 2000), args.rounds or (1 if args.smoke else 3)))
