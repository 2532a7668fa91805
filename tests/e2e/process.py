"""The real `python -m bot` as a child process, for the end-to-end tests, the fault suite and the benchmarks; and the
e2e harness: the fake Bot API with the bot running against it (``running``), its log checked clean (``clean_log``)."""

from __future__ import annotations

import asyncio
import glob
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path

from tests.e2e.fake_bot_api import FakeBotApi

TOKEN = "4242:E2E-SECRET-TOKEN"
ADMIN, MANAGER, CLIENT = (1000, "Админ"), (2001, "Анна"), (4001, "Иван")
ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    def __init__(self, api_url: str, db_url: str, log: Path) -> None:
        self.env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api_url, "DATABASE_URL": db_url,
                    "ADMIN_IDS": str(ADMIN[0]), "SEND_CHAT_INTERVAL": "0.05", "ALBUM_DELAY_SECONDS": "0.3",
                    "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1", "SCAN_SECONDS": "1",
                    "QUIET_START": "00:00", "QUIET_END": "00:00"}
        self.log = log
        self.proc: subprocess.Popen | None = None

    def moved_clock(self, file: Path, at: str) -> None:
        """Run the process on a clock the test moves (Debian's libfaketime): the process reads its time from ``file``
        («@2026-12-23 09:00:00», in UTC), which ``move_clock`` rewrites; timers keep the real monotonic clock."""
        library = faketime_library()
        if library is None:
            raise RuntimeError("libfaketime is not installed: apt-get install faketime")
        file.write_text(f"@{at}\n")
        # the file is read at most once a second (read at every call, it slows the process down to a crawl);
        # FAKETIME_FORCE_MONOTONIC_FIX=0: the monotonic clock is not faked, so its timed waits need no fixing, and
        # the fix libfaketime turns on by itself for this glibc costs Python's threads (the GIL's waits) 1.6 to 4.8
        # times the CPU time (docs/testing.md)
        self.env.update({"LD_PRELOAD": library, "FAKETIME_TIMESTAMP_FILE": str(file), "FAKETIME_CACHE_DURATION": "1",
                         "FAKETIME_DONT_FAKE_MONOTONIC": "1", "FAKETIME_FORCE_MONOTONIC_FIX": "0", "TZ": "UTC"})
        self.clock_file = file

    async def move_clock(self, at: str, timeout: float = 30) -> None:
        """The process's time is ``at`` from now on: returns once the process logged a line stamped with that day
        (libfaketime reads the file once a second; the scheduler logs each scan, every SCAN_SECONDS)."""
        self.clock_file.write_text(f"@{at}\n")
        day = at[:10]
        deadline = asyncio.get_running_loop().time() + timeout
        while asyncio.get_running_loop().time() < deadline:
            if any(line.startswith(day) for line in self.log.read_text(errors="replace").splitlines()[-50:]):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"the bot's clock did not move to {at}")

    def start(self, args: list[str] | None = None) -> None:
        out = self.log.open("ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "bot", *(args or [])], cwd=ROOT, env=self.env,
                                     stdout=out, stderr=subprocess.STDOUT)

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    async def stop(self) -> None:
        """SIGINT, and wait for the process to end, yielding meanwhile: the bot finishes the updates in hand (up to
        10 s) before it stops, and their last calls go to a fake Bot API served by this same event loop."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.to_thread(self.proc.wait, 30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def clean_log(bot: BotProcess, *secrets: str) -> None:
    """The process's log holds neither the bot token (nor another of ``secrets``) nor a traceback."""
    log = bot.log.read_text(errors="replace")
    for secret in (TOKEN, *secrets):
        assert secret not in log, "a secret leaked into the log"
    assert "Traceback" not in log, log[-3000:]


@asynccontextmanager
async def running(tmp_path: Path, db_url: str, *, env: Mapping[str, str] | None = None,
                  languages: Mapping[int, str] | None = None, clock_at: str | None = None,
                  secrets: Iterable[str] = ()) -> AsyncIterator[tuple[FakeBotApi, BotProcess]]:
    """Every e2e test's setting: the fake Bot API, and `python -m bot` against it on ``db_url`` (``env`` added to
    its environment; ``languages``: a person's Telegram language, by id; ``clock_at``: the process on a clock the
    test moves, ``BotProcess.moved_clock``). Both are stopped on the way out; then, unless the test failed, the
    log is checked clean (``clean_log``, with ``secrets``)."""
    api = FakeBotApi(TOKEN)
    api.languages.update(languages or {})
    bot = BotProcess(await api.start(), db_url, tmp_path / "bot.log")
    bot.env.update(env or {})
    if clock_at is not None:
        bot.moved_clock(tmp_path / "clock", clock_at)
    try:
        bot.start()
        yield api, bot
    finally:
        await bot.stop()
        await api.stop()
    clean_log(bot, *secrets)


async def wait_until(check, timeout: float, step: float = 0.1) -> bool:
    """Whether ``check`` (a function or a coroutine function) came true within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check() if asyncio.iscoroutinefunction(check) else check():
            return True
        await asyncio.sleep(step)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def faketime_library() -> str | None:
    """Debian's libfaketime (package faketime), the thread-safe build."""
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1")
                   + glob.glob("/usr/lib/faketime/libfaketimeMT.so.1"))
    return found[0] if found else None
