"""One approved application fanned out to N matching managers, through the real `python -m bot` process and the
fake Bot API server enforcing Telegram's limits with 429s (30 sends in any 0.95 s, one a second per chat).

Reports the time from the admin's press of «Одобрить» in the chat to the last manager's message against the
30-a-second floor ((N - 1) / 30 s: 333 s for 10,000), the 429s the bot received, and the managers who got it zero
or several times.
Run: python -m bench.fanout [--managers 10000] [--pg postgresql+asyncpg://…/empty_db] [--smoke]
(--smoke: 30 managers)
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import smoke_flag
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.fanout import Tally, prepare, received
from tests.e2e.process import ADMIN, TOKEN, BotProcess


async def fan_out(db_url: str, managers: int, label: str) -> None:
    started = time.perf_counter()
    fan = await prepare(db_url, managers)
    print(f"[{label}] {managers:,} managers with matching profiles made in {time.perf_counter() - started:.1f} s")
    api = FakeBotApi(TOKEN)
    api.limits = True
    # (with the limits on, the fake server keeps this process's garbage collector waiting: see its start())
    with tempfile.TemporaryDirectory() as tmp:
        bot = BotProcess(await api.start(), db_url, Path(tmp) / "bot.log")
        # no scheduler: its morning digest to every manager would share the 30 a second with the fan-out
        bot.env.update({"SEND_CHAT_INTERVAL": "1.0", "LOG_LEVEL": "WARNING", "SCHEDULER": "off"})
        try:
            bot.start()
            # the admin is sent the application to moderate, and presses «Одобрить» in the chat
            await api.wait_for(ADMIN[0], f"№{fan.app_id}", timeout=60)
            approved = time.monotonic()
            await api.press(*ADMIN, "Одобрить")
            last, count, first = approved, 0, None
            deadline = approved + managers / 30 * 1.5 + 60
            tally = Tally(fan.managers)
            while time.monotonic() < deadline:
                got = tally.update(api)
                if len(got) > count:
                    count, last = len(got), time.monotonic()
                    first = first or last
                if count == managers:
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(2)  # repeats, if any, would show now
        finally:
            await bot.stop()
            await api.stop()
            await fan.close()
    got = received(api, fan.managers)
    took = last - approved
    floor = (managers - 1) / 30
    lost = sum(1 for tg in fan.managers if got[tg] == 0)
    doubled = sum(1 for n in got.values() if n > 1)
    print(f"[{label}] the first manager had it {first - approved:.1f} s after the press (the approval writes "
          f"{managers:,} outbox rows in its transaction)")
    print(f"[{label}] fan-out to {managers:,}: {took:.1f} s against the 30/s floor {floor:.1f} s "
          f"(ratio {took / floor:.3f}, aim <= 1.05); 429s received {api.too_many} (aim 0); "
          f"lost {lost}, doubled {doubled} (must be 0)")
    for when, chat, window in api.refusals:  # what each 429 was for: the pace overall, or one chat
        print(f"[{label}]   429 at {when - approved:.2f} s: chat {chat}, {window} sends in the last 0.95 s")
    assert (lost, doubled) == (0, 0), "every manager must have the application exactly once"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--managers", type=int)
    parser.add_argument("--pg", help="an empty PostgreSQL database URL (postgresql+asyncpg://…)")
    smoke_flag(parser)
    args = parser.parse_args()
    args.managers = args.managers or (30 if args.smoke else 10_000)

    async def both() -> None:
        if args.pg:
            await fan_out(args.pg, args.managers, "PostgreSQL")
            return
        with tempfile.TemporaryDirectory() as tmp:
            await fan_out(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", args.managers, "SQLite")

    asyncio.run(both())


if __name__ == "__main__":
    main()
