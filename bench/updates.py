"""Updates a second through the full stack against raw aiogram, side by side in one run.

Full stack: the real Dispatcher with every middleware (inbox, user, throttle), database FSM storage, the
services and SQLite, for a typical dialog step: a client types the amount in the application form (the bot
validates it, stores it in the dialog state and asks the next question).
Baseline: the same aiogram Dispatcher with one trivial handler that inserts one row into SQLite and answers.

Both talk to a Bot API session that answers at once (no network), so the figures are the bot's own cost.
Run: python -m bench.updates [--updates 500] [--rounds 7] [--smoke]   (--smoke: 20 updates, one round)
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.base import BaseSession
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Chat, Message, MessageId, Update, User
from sqlalchemy import text

from bench.common import smoke_flag
from bot.app import build, create_bot
from bot.config import Settings
from core.clock import SystemClock
from core.db.kernel.engine import create_engine
from core.services.kernel import directories, privacy, users
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory
from migrations.runner import upgrade

BOT_USER = User(id=42, is_bot=True, first_name="Bench", username="bench_bot")


class InstantSession(BaseSession):
    """Answers every Bot API call at once, like a Telegram with no latency."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = itertools.count(1)

    async def close(self) -> None:
        return None

    async def stream_content(self, *args, **kwargs):  # pragma: no cover
        raise NotImplementedError

    async def make_request(self, bot, method, timeout=None):
        name = method.__api_method__
        if name == "getMe":
            return BOT_USER
        if name == "copyMessage":
            return MessageId(message_id=next(self._ids))
        if name in ("sendMessage", "sendDocument", "sendPhoto"):
            return Message(message_id=next(self._ids), date=datetime.now(UTC),
                           chat=Chat(id=method.chat_id, type="private"), from_user=BOT_USER,
                           text=getattr(method, "text", None))
        return True


def message_update(update_id: int, user_id: int, text_: str) -> Update:
    who = User(id=user_id, is_bot=False, first_name=f"U{user_id}", language_code="ru")
    return Update(update_id=update_id, message=Message(
        message_id=update_id, date=datetime.now(UTC), chat=Chat(id=user_id, type="private"), from_user=who,
        text=text_))


async def full_stack(workdir: Path, n: int) -> float:
    url = f"sqlite+aiosqlite:///{workdir / 'full.db'}"
    settings = Settings(_env_file=None, bot_token="42:BENCH", database_url=url, admin_ids=frozenset({1}),
                        send_rate_per_second=0, send_chat_interval=0, throttle_per_minute=0)
    engine = create_engine(url)
    await upgrade(engine)
    app = build(settings, engine=engine, bot=create_bot(settings, session=InstantSession()), clock=SystemClock())
    uow = app.uow
    cfg = CoreConfig()
    admin = await users.touch(uow(), users.TgPerson(1, "Admin"), cfg, frozenset({1}))
    cat = await directories.add(uow(), admin.id, Directory.CATEGORIES, "Спецтехника")
    # n clients who accepted the consent text, each at the amount step of the form (as after «Спецтехника» and a
    # description)
    for uid in range(1000, 1000 + n):
        client = await users.touch(uow(), users.TgPerson(uid, f"U{uid}", language_code="ru"), cfg, frozenset())
        await privacy.consent(uow(), client.id)
        key = StorageKey(bot_id=42, chat_id=uid, user_id=uid)
        await app.dp.storage.set_state(key, "AppForm:amount")
        await app.dp.storage.set_data(key, {"files": [], "category_id": cat.id, "description": "Экскаватор"})
    updates = [message_update(10_000 + i, 1000 + i, "1 500 000") for i in range(n)]
    started = time.perf_counter()
    for u in updates:
        await app.dp.feed_update(app.bot, u)
    elapsed = time.perf_counter() - started
    states = [await app.dp.storage.get_state(StorageKey(bot_id=42, chat_id=uid, user_id=uid))
              for uid in range(1000, 1000 + n)]
    assert states == ["AppForm:term"] * n, states[:3]  # every client's step was really taken
    await app.close()
    return n / elapsed


async def raw_aiogram(workdir: Path, n: int) -> float:
    engine = create_engine(f"sqlite+aiosqlite:///{workdir / 'raw.db'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE seen (id INTEGER PRIMARY KEY, user_id INTEGER, text TEXT)"))
    dp = Dispatcher()
    bot = Bot("42:BENCH", session=InstantSession())

    @dp.message(F.text)
    async def handler(message: Message) -> None:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO seen (user_id, text) VALUES (:u, :t)"),
                               {"u": message.from_user.id, "t": message.text})
        await message.answer("ok")

    updates = [message_update(10_000 + i, 1000 + i, "1 500 000") for i in range(n)]
    started = time.perf_counter()
    for u in updates:
        await dp.feed_update(bot, u)
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return n / elapsed


async def main(n: int, rounds: int, where: str | None) -> None:
    """Rounds alternate the two, each on a fresh database; the medians are compared (the machine is noisy)."""
    base, full = [], []
    for i in range(rounds + 1):
        with tempfile.TemporaryDirectory(dir=where) as tmp:
            b_rate, f_rate = await raw_aiogram(Path(tmp), n), await full_stack(Path(tmp), n)
        if i:  # the first round warms up imports and caches, and is not counted
            base.append(b_rate)
            full.append(f_rate)
    b, f = statistics.median(base), statistics.median(full)
    print(f"updates: {n} a round, {rounds} rounds (+1 warm-up), one after another, SQLite in {where or 'tmp'}, "
          "no network")
    print(f"raw aiogram (1 handler + 1 insert): median {b:7.1f}  best {max(base):7.1f} updates/s  "
          f"rounds {[round(x) for x in base]}")
    print(f"full stack (form step: amount)    : median {f:7.1f}  best {max(full):7.1f} updates/s  "
          f"rounds {[round(x) for x in full]}")
    print(f"ratio full/raw: median {f / b:.3f}, best {max(full) / max(base):.3f}  (aim >= 0.5, issue 14)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int)
    parser.add_argument("--rounds", type=int)
    smoke_flag(parser)
    parser.add_argument("--dir", default="/dev/shm" if Path("/dev/shm").is_dir() else None,
                        help="where the SQLite files go (default: memory-backed /dev/shm, so disk noise stays out)")
    args = parser.parse_args()
    asyncio.run(main(args.updates or (20 if args.smoke else 500), args.rounds or (1 if args.smoke else 7), args.dir))
