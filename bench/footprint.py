"""One bot worker's memory and start time next to a minimal aiogram polling bot with a SQLAlchemy engine
(bench/minimal_bot.py), measured in turns in one run against the fake Bot API server.

Start time: from spawning the process to its first getUpdates at the server (for Dealgram: settings, the
engine, the migrations, the dispatcher with every router, the sender and the scheduler), on a new SQLite file (a
first start: Dealgram creates its database) and again on the same file (a worker's restart). Memory: the
resident set (VmRSS) two seconds after the restart's first poll, once it idles in long polling. Both run from
compiled bytecode, as deployed (the Dockerfile compiles the app when the image is built). The CPU time each start
took (user + system, read at the first poll) is printed too: on a machine shared with other work it says what the
wall-clock times cannot.
Run: python -m bench.footprint [--rounds 7] [--smoke]   (--smoke: one round)
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import smoke_flag
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.process import ROOT, TOKEN


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, user and system (/proc/<pid>/stat's utime and stime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure(args: list[str], db: Path) -> tuple[float, float, float]:
    api = FakeBotApi(TOKEN)
    polls: list[float] = []
    cpu: list[float] = []
    original = api._m_getUpdates

    async def get_updates(p, uploads):
        if not polls:
            cpu.append(cpu_seconds(proc.pid))
        polls.append(time.perf_counter())
        return await original(p, uploads)
    api._m_getUpdates = get_updates
    url = await api.start()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": url, "ADMIN_IDS": "1",
           "DATABASE_URL": f"sqlite+aiosqlite:///{db}", "LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(sys.executable, *args, cwd=ROOT, env=env,
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not polls:
            if proc.returncode is not None:
                raise RuntimeError(f"{args} exited with {proc.returncode}")
            await asyncio.sleep(0.005)
        took = polls[0] - started
        await asyncio.sleep(2)
        return took, cpu[0], rss_mb(proc.pid)
    finally:
        proc.terminate()
        await proc.wait()
        await api.stop()


async def main(rounds: int) -> None:
    # as deployed: the Dockerfile compiles the app's bytecode at build time, as pip does for installed libraries
    # (the baseline's one small file and the libraries both bots share are compiled too)
    compileall.compile_dir(ROOT / "bot", quiet=1)
    compileall.compile_dir(ROOT / "core", quiet=1)
    compileall.compile_dir(ROOT / "migrations", quiet=1)
    compileall.compile_file(ROOT / "bench" / "minimal_bot.py", quiet=1)
    results: dict[str, list[tuple[float, float, float, float, float]]] = {"ours": [], "base": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(rounds):
            for key, args in (("ours", ["-m", "bot"]), ("base", ["-m", "bench.minimal_bot"])):
                db = Path(tmp) / f"{key}{n}.sqlite"
                first, first_cpu, _ = await measure(args, db)
                again, again_cpu, rss = await measure(args, db)
                results[key].append((first, again, rss, first_cpu, again_cpu))
    ours = [statistics.median(x) for x in zip(*results["ours"], strict=True)]
    base = [statistics.median(x) for x in zip(*results["base"], strict=True)]
    # each round measures the two back to back: the ratio within a round is what the machine's noise spares
    ratios = [sorted(o[i] / b[i] for o, b in zip(results["ours"], results["base"], strict=True)) for i in range(5)]

    #: issue 30's aims: first start ≤ 1.3×, restart ≤ 1.2×, idle memory ≤ 1.15× (the CPU times: the starts' own)
    aims = (1.3, 1.2, 1.15, 1.3, 1.2)

    def ratio(i: int) -> str:
        return (f"ratio {statistics.median(ratios[i]):.3f} (median of {rounds} rounds, "
                f"{ratios[i][0]:.2f}–{ratios[i][-1]:.2f}; aim <= {aims[i]})")
    for i, what in enumerate(("first start (new database)", "restart (migrated database)")):
        print(f"{what}, to the first poll: Dealgram {ours[i]:.2f} s, minimal aiogram bot {base[i]:.2f} s, "
              f"{ratio(i)}")
    print(f"memory (RSS) idle: Dealgram {ours[2]:.1f} MB, minimal aiogram bot {base[2]:.1f} MB, {ratio(2)}")
    for i, what in ((3, "first start"), (4, "restart")):
        print(f"CPU time of the {what} (user + system, to the first poll): Dealgram {ours[i]:.2f} s, minimal "
              f"aiogram bot {base[i]:.2f} s, {ratio(i)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int)
    smoke_flag(parser)
    args = parser.parse_args()
    asyncio.run(main(args.rounds or (1 if args.smoke else 7)))
