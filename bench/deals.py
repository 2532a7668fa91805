"""The deal workspace over many deals: a manager's list (10,000 of their deals among 1,000,000) and the kanban's
data request, through the core service next to hand-written SQL over the same tables and indexes, in one run,
in turns; on SQLite, and on PostgreSQL with --pg.

Data: 100 managers in 10 companies, 10,000 deals each (1,000,000), 200,000 clients, the law pipeline's six
statuses, an open task on every third deal (the list's «nearest reminder»).
The service: deal_list.page (a count and the first page of 8 rows, newest first, with manager, client, nearest
reminder and budget) and deal_list.board (a count per status and the 30 newest cards of each column), each in
its own unit of work, the person loaded and their visibility applied, as the bot and the Mini App call them.
The hand-written SQL: the same statements (two for the list, four for the board), run on a connection held open
for the whole run, and again taking a connection from the same pool for each request (as a handler must: with
PostgreSQL's pre-ping, that costs a round trip of its own).

Run: python -m bench.deals [--deals 1000000] [--rounds 15] [--pg postgresql+asyncpg://…/empty_db] [--smoke]
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, insert, select, text

from bench.common import alternate, run, units
from core.clock import ManualClock
from core.db.kernel import models as m
from core.db.kernel.engine import STANDALONE, create_engine
from core.domain.deals.workspace import Pipeline
from core.services.deals import listing as deal_list
from core.services.deals.listing import Filter
from migrations.runner import upgrade

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MANAGERS, COMPANIES, CLIENTS = 100, 10, 200_000

LIST_COUNT = text("SELECT count(*) FROM deals WHERE responsible_id = :me")
LIST_ROWS = text("""
SELECT d.id, d.name, u.name, c.name,
       (SELECT min(t.due_at) FROM tasks t WHERE t.deal_id = d.id AND t.status = 'open'), d.budget,
       d.status_id, s.name, s.color
FROM deals d JOIN deal_statuses s ON s.id = d.status_id
LEFT JOIN users u ON u.id = d.responsible_id LEFT JOIN clients c ON c.id = d.client_id
WHERE d.responsible_id = :me ORDER BY d.id DESC LIMIT 8""")
BOARD_COUNTS = text("SELECT status_id, count(*) FROM deals WHERE responsible_id = :me AND pipeline = 'law' "
                    "GROUP BY status_id")
BOARD_IDS = text("""
SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY status_id ORDER BY id DESC) AS n
                FROM deals WHERE responsible_id = :me AND pipeline = 'law') x
WHERE n <= 30""")
BOARD_CARDS = text("""
SELECT d.id, d.name, u.name, c.name,
       (SELECT min(t.due_at) FROM tasks t WHERE t.deal_id = d.id AND t.status = 'open'), d.budget,
       d.status_id, s.name, s.color
FROM deals d JOIN deal_statuses s ON s.id = d.status_id
LEFT JOIN users u ON u.id = d.responsible_id LEFT JOIN clients c ON c.id = d.client_id
WHERE d.id IN :ids ORDER BY d.id DESC""").bindparams(bindparam("ids", expanding=True))
STATUSES = text("SELECT * FROM deal_statuses WHERE pipeline = 'law' AND archived = false ORDER BY position, id")


async def load(engine, n: int) -> int:
    """Returns the id of the manager whose list is timed."""
    rnd = random.Random(5)
    clients = min(CLIENTS, max(n // 5, 1))  # 200,000 for a million deals
    async with engine.begin() as conn:
        companies = [(await conn.execute(insert(m.Company).values(name=f"Фирма {i}").returning(m.Company.id)))
                     .scalar_one() for i in range(COMPANIES)]
        await conn.execute(insert(m.User), [
            {"id": i + 1, "tg_id": 10_000 + i, "name": f"Менеджер {i}", "role": "manager",
             "company_id": companies[i % COMPANIES], "locale": "ru", "timezone": "Europe/Moscow", "blocked": False,
             "created_at": NOW} for i in range(MANAGERS)])
        await conn.execute(insert(m.Client), [{"id": i + 1, "name": f"Клиент {i}", "created_at": NOW}
                                              for i in range(clients)])
        statuses = (await conn.execute(select(m.DealStatus.id).where(m.DealStatus.pipeline == Pipeline.LAW))
                    ).scalars().all()
        batch = 50_000
        for start in range(0, n, batch):
            rows = [{"id": i + 1, "pipeline": "law", "name": f"Сделка {i}", "status_id": rnd.choice(statuses),
                     "client_id": rnd.randrange(clients) + 1, "responsible_id": i % MANAGERS + 1,
                     "creator_id": i % MANAGERS + 1, "budget": rnd.randrange(10_000, 5_000_000),
                     "created_at": NOW - timedelta(minutes=n - i), "version": 1}
                    for i in range(start, min(start + batch, n))]
            await conn.execute(m.Deal.__table__.insert(), rows)
            tasks = [{"title": "Позвонить", "responsible_id": r["responsible_id"], "deal_id": r["id"],
                      "status": "open", "due_at": NOW + timedelta(hours=rnd.randrange(1, 2000)), "created_at": NOW}
                     for r in rows if r["id"] % 3 == 0]
            await conn.execute(m.Task.__table__.insert(), tasks)
        await conn.execute(text("ANALYZE"))
    if engine.dialect.name == "postgresql":  # as autovacuum would have by now: index-only scans need it
        async with engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(text("VACUUM ANALYZE"))
    return 1


async def bench(url: str, n: int, rounds: int, label: str, smoke: bool = False) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    started = time.perf_counter()
    me = await load(engine, n)
    print(f"[{label}] built {n:,} deals ({n // MANAGERS:,} per manager) with {n // 3:,} open tasks "
          f"in {time.perf_counter() - started:.0f} s")
    uow = units(engine, ManualClock(NOW))

    # the hand-written SQL reads outside a transaction (SQLite: no BEGIN IMMEDIATE, which would hold the writer
    # lock; PostgreSQL: autocommit), once on a connection held open, once taking one from the pool per request
    reader = engine.execution_options(**({"isolation_level": "AUTOCOMMIT"} if engine.dialect.name == "postgresql"
                                         else {STANDALONE: True}))

    async def hand_list(conn):
        total = (await conn.execute(LIST_COUNT, {"me": me})).scalar_one()
        return (await conn.execute(LIST_ROWS, {"me": me})).all(), total

    async def hand_board(conn):
        counts = dict((await conn.execute(BOARD_COUNTS, {"me": me})).all())
        ids = (await conn.execute(BOARD_IDS, {"me": me})).scalars().all()
        cards = (await conn.execute(BOARD_CARDS, {"ids": list(ids)})).all()
        return (await conn.execute(STATUSES)).all(), counts, cards

    def per_request(fn):
        async def call():
            async with reader.connect() as conn:
                return await fn(conn)
        return call

    async with reader.connect() as held:
        async def service_list():
            return await deal_list.page(uow(), me, Filter())

        async def service_board():
            return await deal_list.board(uow(), me, Pipeline.LAW)

        rows, total = await service_list()
        hand_rows, hand_total = await hand_list(held)
        assert total == hand_total == n // MANAGERS and [r.id for r in rows] == [r[0] for r in hand_rows]
        columns = await service_board()
        _, counts, cards = await hand_board(held)
        assert {c.status.id: c.count for c in columns if c.count} == counts
        assert sorted(r.id for c in columns for r in c.cards) == sorted(r[0] for r in cards)
        (t_list, t_hand_list, t_list_pr, t_board, t_hand_board, t_board_pr) = await alternate(
            [service_list, lambda: hand_list(held), per_request(hand_list),
             service_board, lambda: hand_board(held), per_request(hand_board)], rounds)
    for name, service, held_open, pooled in (
            (f"deals list (mine, page 1 of {total // deal_list.PAGE + 1})", t_list, t_hand_list, t_list_pr),
            ("kanban data (6 columns, 30 cards each)", t_board, t_hand_board, t_board_pr)):
        print(f"[{label}] {name}: service {service * 1000:.2f} ms | hand-written SQL on a held connection "
              f"{held_open * 1000:.2f} ms, ratio {service / held_open:.2f} | with a connection from the pool per "
              f"request {pooled * 1000:.2f} ms, ratio {service / pooled:.2f}  (aim <= 1.5)")
    await engine.dispose()


if __name__ == "__main__":
    run(bench, what="deals", default_n=1_000_000, default_rounds=15, smoke_n=2_000)
