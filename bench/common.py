"""What the benchmarks share: turns of timed calls, and running one benchmark on SQLite, then on PostgreSQL."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path


async def rounds_of(fns: list[Callable[[], Awaitable]], rounds: int) -> list[list[float]]:
    """Each function's times, run in turns (after one warm-up call each), so a noisy machine slows them alike."""
    times: list[list[float]] = [[] for _ in fns]
    for fn in fns:
        await fn()
    for _ in range(rounds):
        for fn, out in zip(fns, times, strict=True):
            started = time.perf_counter()
            await fn()
            out.append(time.perf_counter() - started)
    return times


async def alternate(fns: list[Callable[[], Awaitable]], rounds: int) -> list[float]:
    """Medians of the functions, run in turns (``rounds_of``)."""
    return [statistics.median(x) for x in await rounds_of(fns, rounds)]


def run(bench: Callable[[str, int, int, str], Awaitable[None]], *, what: str, default_n: int,
        default_rounds: int) -> None:
    """Parse ``--<what> N --rounds R --pg URL`` and run ``bench`` on a fresh SQLite file, then on PostgreSQL."""
    parser = argparse.ArgumentParser()
    parser.add_argument(f"--{what}", type=int, default=default_n, dest="n")
    parser.add_argument("--rounds", type=int, default=default_rounds)
    parser.add_argument("--pg", help="an empty PostgreSQL database URL (postgresql+asyncpg://…)")
    args = parser.parse_args()

    async def both() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            await bench(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", args.n, args.rounds, "SQLite")
        if args.pg:
            await bench(args.pg, args.n, args.rounds, "PostgreSQL")

    asyncio.run(both())
