"""What the benchmarks share: their units of work, turns of timed calls, and running one benchmark on SQLite, then
on PostgreSQL."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import Clock
from core.db.kernel.engine import session_factory
from core.db.kernel.uow import UnitOfWork
from core.services.reactions import REACTIONS


def units(engine: AsyncEngine, clock: Clock) -> Callable[[], UnitOfWork]:
    """The one way benchmarks get units of work: each call a fresh unit on ``engine``'s database and ``clock``, as
    the bot makes one per service call."""
    factory = session_factory(engine)
    return lambda: UnitOfWork(factory, clock=clock, reactions=REACTIONS)


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


SMOKE_HELP = ("tiny inputs and one round: the same code path in seconds, every step checked, the figures "
              "meaningless (CI runs every benchmark so)")


def smoke_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--smoke", action="store_true", help=SMOKE_HELP)


def run(bench: Callable[..., Awaitable[None]], *, what: str, default_n: int, default_rounds: int,
        smoke_n: int) -> None:
    """Parse ``--<what> N --rounds R --pg URL [--smoke]`` and run ``bench(url, n, rounds, label, smoke=…)`` on a
    fresh SQLite file, then on PostgreSQL. ``--smoke``: ``smoke_n`` and one round, unless given."""
    parser = argparse.ArgumentParser()
    parser.add_argument(f"--{what}", type=int, dest="n")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--pg", help="an empty PostgreSQL database URL (postgresql+asyncpg://…)")
    smoke_flag(parser)
    args = parser.parse_args()
    n = args.n or (smoke_n if args.smoke else default_n)
    rounds = args.rounds or (1 if args.smoke else default_rounds)

    async def both() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            await bench(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", n, rounds, "SQLite", smoke=args.smoke)
        if args.pg:
            await bench(args.pg, n, rounds, "PostgreSQL", smoke=args.smoke)

    asyncio.run(both())
