"""The funnel report over many leads, and the scheduler's due-scan over many tasks, next to hand-written SQL in the
same run, on SQLite (and PostgreSQL with --pg URL).

Builds N leads over 50 sources, each with its status history (2–5 rows) and the stages it reached (as the
service keeps them), created over two years; times the report for one month and for two years through the
service's query next to the baseline, a single-table GROUP BY of the same leads by source (``SELECT source_id,
count(*) … GROUP BY source_id``, on the same index), and asserts that the report's numbers equal the definition
read from the status history (the hand-written history query, timed too for the record); then builds 1,000,000
tasks with 500 due and times the due-scan (the service's query
for the due rows, next to the hand-written SELECT on the same open connection, in turns) and a whole tick (queue
and mark the reminders and overdue alerts in the database) — rolled back, so every round sees the same rows.

Run: python -m bench.leads_report [--leads 1000000] [--rounds 5] [--pg postgresql+asyncpg://…/db] [--smoke]
(--smoke: 2,000 leads and 2,000 tasks, one round)
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from bench.common import alternate, run
from core.clock import ManualClock
from core.db.kernel import models as m
from core.db.kernel.engine import create_engine, session_factory
from core.db.kernel.tasks import due_query
from core.db.kernel.uow import UnitOfWork
from core.db.leads.lifecycle import funnel_query
from core.domain.leads.lifecycle import FUNNEL, LeadStatus, stages_reached
from core.services.kernel.config import CoreConfig
from core.services.kernel.tasks import scan_due
from core.services.reactions import REACTIONS
from migrations.runner import upgrade

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
PATHS = [["new"], ["new", "calling"], ["new", "calling", "meeting"], ["new", "calling", "junk_no_answer"],
         ["new", "meeting", "visited"], ["new", "calling", "meeting", "visited", "contract"],
         ["new", "meeting", "visited", "contract_prepaid"], ["new", "junk_not_left"]]

HAND_SQL = text("""
SELECT s.name, COUNT(*) AS leads, SUM(x.rec), SUM(x.vis), SUM(x.con), SUM(x.pre)
FROM (SELECT l.id, l.source_id,
             MAX(CASE WHEN h.to_status IN ('meeting','visited','contract','contract_prepaid') THEN 1 ELSE 0 END) rec,
             MAX(CASE WHEN h.to_status IN ('visited','contract','contract_prepaid') THEN 1 ELSE 0 END) vis,
             MAX(CASE WHEN h.to_status IN ('contract','contract_prepaid') THEN 1 ELSE 0 END) con,
             MAX(CASE WHEN h.to_status = 'contract_prepaid' THEN 1 ELSE 0 END) pre
      FROM leads l JOIN lead_status_history h ON h.lead_id = l.id
      WHERE l.created_at >= :start AND l.created_at < :end
      GROUP BY l.id, l.source_id) x
JOIN sources s ON s.id = x.source_id
GROUP BY s.id, s.name ORDER BY s.name
""")


#: the baseline: one pass over the leads of the period, grouped by source (what the report cannot beat)
BASELINE = text("SELECT source_id, count(*) FROM leads WHERE created_at >= :start AND created_at < :end "
                "GROUP BY source_id")


def rows(n: int):
    rnd = random.Random(42)
    span = int(timedelta(days=730).total_seconds())
    sources = [{"id": i, "name": f"Источник {i:02d}", "code": f"src{i}", "archived": False} for i in range(1, 51)]
    users = [{"id": 1, "tg_id": 1, "name": "Bench", "role": "manager", "locale": "ru", "timezone": "Europe/Moscow",
              "blocked": False, "created_at": NOW}]
    contacts, leads, history = [], [], []
    for i in range(1, n + 1):
        created = NOW - timedelta(seconds=rnd.randrange(span))
        path = rnd.choice(PATHS)
        contacts.append({"id": i, "name": f"C{i}", "messengers": {}, "created_at": created})
        reached = set().union(*(stages_reached(LeadStatus(s)) for s in path))
        leads.append({"id": i, "contact_id": i, "source_id": rnd.randint(1, 50), "responsible_id": 1,
                      "status": path[-1], "created_at": created, "updated_at": created, "version": 1,
                      **{f"reached_{stage}": int(stage in reached) for stage in FUNNEL}})
        for k, status in enumerate(path):
            history.append({"lead_id": i, "to_status": status, "from_status": path[k - 1] if k else None,
                            "created_at": created + timedelta(hours=k)})
    return sources, users, contacts, leads, history


async def load(engine, n: int) -> None:
    sources, users, contacts, leads, history = rows(n)
    async with engine.begin() as conn:
        for table, data in ((m.Source, sources), (m.User, users), (m.Contact, contacts), (m.Lead, leads),
                            (m.LeadStatusChange, history)):
            for start in range(0, len(data), 50_000):
                await conn.execute(table.__table__.insert(), data[start:start + 50_000])
        await conn.execute(text("ANALYZE"))


async def load_tasks(engine, n: int, due: int) -> None:
    rnd = random.Random(7)
    data = [{"title": "t", "responsible_id": 1, "status": "open", "created_at": NOW,
             "due_at": NOW - timedelta(minutes=rnd.randrange(1, 600)) if i < due
             else NOW + timedelta(minutes=rnd.randrange(1, 600_000))} for i in range(n)]
    async with engine.begin() as conn:
        for start in range(0, len(data), 50_000):
            await conn.execute(m.Task.__table__.insert(), data[start:start + 50_000])
        await conn.execute(text("ANALYZE"))


async def timed(fn, rounds: int) -> float:
    await fn()  # warm the caches once
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        await fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


async def bench(url: str, n: int, rounds: int, label: str, smoke: bool = False) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    started = time.perf_counter()
    await load(engine, n)
    print(f"[{label}] built {n:,} leads over 50 sources with their history in {time.perf_counter() - started:.0f} s")
    factory = session_factory(engine)
    periods = {"one month": (NOW - timedelta(days=30), NOW), "two years": (NOW - timedelta(days=731), NOW)}
    for name, (start, end) in periods.items():
        async def service(start=start, end=end):
            async with factory() as s:
                return (await s.execute(funnel_query(start, end))).all()

        async def hand(start=start, end=end):
            async with engine.connect() as conn:
                return (await conn.execute(HAND_SQL, {"start": _param(conn, start), "end": _param(conn, end)})).all()

        async def baseline(start=start, end=end):
            async with engine.connect() as conn:
                return (await conn.execute(BASELINE, {"start": _param(conn, start), "end": _param(conn, end)})).all()

        a, b, c = await service(), await hand(), await baseline()
        assert [tuple(int(x) for x in r[1:]) for r in a] == [tuple(int(x) for x in r[1:]) for r in b], "results differ"
        assert a and sum(int(r[1]) for r in a) == sum(int(r[1]) for r in c), "the report found no leads, or others"
        t_service, t_base, t_hand = await alternate([service, baseline, hand], rounds)
        aim = {"one month": 2.0, "two years": 1.5}[name]
        print(f"[{label}] report, {name:9}: service {t_service * 1000:8.1f} ms   single-table GROUP BY "
              f"{t_base * 1000:8.1f} ms   ratio {t_service / t_base:.2f}  (aim <= {aim})   the history query "
              f"{t_hand * 1000:8.1f} ms")

    n_tasks = 2_000 if smoke else 1_000_000
    await load_tasks(engine, n_tasks, 500)
    cfg = CoreConfig()

    def hand_scan(conn):
        return conn.execute(text(
            "SELECT id, responsible_id FROM tasks WHERE status = 'open' AND reminded_at IS NULL "
            "AND due_at <= :now ORDER BY due_at, id LIMIT 500"), {"now": _param(conn, NOW)})

    class RolledBack(UnitOfWork):
        async def commit(self) -> None:  # the tick's writes are undone, so each round sees the same 500 rows
            await self.session.flush()

    async def tick():
        return await scan_due(RolledBack(factory, clock=ManualClock(NOW), reactions=REACTIONS), cfg)

    async with engine.connect() as conn:  # both scans on one open connection: the statement, not the pool
        service_scan = due_query(m.Task.reminded_at, NOW, 500)
        assert (await conn.execute(service_scan)).all() == (await hand_scan(conn)).all()
        assert len((await hand_scan(conn)).all()) == 500
        t_select, t_hand = await alternate([lambda: conn.execute(service_scan), lambda: hand_scan(conn)], rounds * 5)
    result = await tick()
    t_tick = await timed(tick, rounds)
    assert result.reminders == 500, result  # the tick really queued and marked them
    print(f"[{label}] due-scan of 500 due among {n_tasks:,} tasks: service {t_select * 1000:.2f} ms, "
          f"hand-written SQL {t_hand * 1000:.2f} ms  (aim: under 2 ms a tick)")
    print(f"[{label}] whole tick (queue and mark {result.reminders} reminders and {result.overdue} overdue alerts, "
          f"one transaction, rolled back): {t_tick * 1000:.1f} ms")
    await engine.dispose()


def _param(conn, value: datetime):
    """SQLite stores naive UTC (core.db.kernel.types.UTCDateTime); PostgreSQL takes the aware value."""
    return value.replace(tzinfo=None) if conn.dialect.name == "sqlite" else value


if __name__ == "__main__":
    run(bench, what="leads", default_n=1_000_000, default_rounds=5, smoke_n=2_000)
