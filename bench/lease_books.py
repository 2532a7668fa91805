"""The lessor's books at scale (seed 002, issue 19), on SQLite and on PostgreSQL, each figure measured side by side:

1. the accrual run over N running contracts, one instalment due each, through the service (``lease_books.accrue``:
   the charges, their fakturas numbered, a notice to each client, in one transaction) against the same three
   statements hand-written as INSERT … SELECT (aim: ≤ 1.2×); and the rerun of the same day (it finds the day's run
   and adds nothing);
2. the dunning scan (the oldest unpaid charge of each running contract past the first level): 500 due among
   1,000,000 instalments (aim: ≤ 2 ms), and the whole dunning run over those 500;
3. importing a bank statement of 10,000 lines (CSV), each paying one contract's instalment: today's path as it was
   on main (bench.lease_books_main) and the new matcher (issue 29: reference, payer's account, amount, typed
   payments) on the same file, in turns, and their ratio (aim: ≤ 1.2×); the same lines found by account alone.

Run: python -m bench.lease_books [--contracts 100000] [--instalments 1000000] [--lines 10000] [--rounds 3]
     [--pg postgresql+asyncpg://…/db] [--smoke]
(--smoke: 300 contracts, 3,000 instalments with 30 due, 100 lines, one round)"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import text

from bench import lease_books_main as main_path
from bench.common import SMOKE_HELP, units
from core.clock import ManualClock
from core.db.kernel.engine import create_engine
from core.domain.kernel.errors import Conflict
from core.services.kernel.config import CoreConfig
from core.services.leasing import books as lb
from migrations.runner import upgrade

DAY = date(2027, 3, 23)  # the accrual's day
NOW = datetime(2027, 3, 23, 9, 0, tzinfo=UTC)
BASE = {"accrual": 1_000_000, "dunning": 3_000_000, "statement": 5_000_000}  # each part's contracts start here


def series(pg: bool, n: int) -> str:
    """A SELECT of the integers 1..n as column i."""
    if pg:
        return f"SELECT generate_series(1, {n}) AS i"
    return f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s"


async def contracts(conn, pg: bool, base: int, n: int, *, in_bot: bool, status_id: int) -> None:
    """N running contracts (ids base+1 … base+n): a client each (in the bot or not), a deal, a case at «active»
    on schedule version 1."""
    ins = (f"INSERT INTO users (id, tg_id, name, role, locale, timezone, blocked, created_at) "
           f"SELECT {base} + i, {base} + i, 'k' || i, 'client', 'pl', 'Europe/Warsaw', false, :now "
           f"FROM ({series(pg, n)}) s")
    if in_bot:
        await conn.execute(text(ins), {"now": NOW})
    user = f"{base} + i" if in_bot else "NULL"
    await conn.execute(text(f"INSERT INTO clients (id, name, user_id, created_at, ship_unpaid, vendor) "
                            f"SELECT {base} + i, 'Firma ' || i, {user}, :now, false, false FROM ({series(pg, n)}) s"),
                       {"now": NOW})
    await conn.execute(text(f"INSERT INTO deals (id, pipeline, name, status_id, budget, created_at, version) SELECT "
                            f"{base} + i, 'leasing', 'Umowa ' || i, {status_id}, 0, :now, 1 FROM ({series(pg, n)}) s"),
                       {"now": NOW})
    await conn.execute(text(f"INSERT INTO lease_cases (deal_id, status, client_id, sales_id, subject, currency, "
                            f"created_at, version, schedule_version) SELECT {base} + i, 'active', {base} + i, 1, "
                            f"'Koparka', 'PLN', :now, 1, 1 FROM ({series(pg, n)}) s"), {"now": NOW})


async def prepare(engine) -> int:
    await upgrade(engine)
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO users (id, tg_id, name, role, locale, timezone, blocked, created_at) "
                                "VALUES (1, 1, 'Ola', 'sales', 'pl', 'Europe/Warsaw', false, :now)"), {"now": NOW})
        return (await conn.execute(text("SELECT id FROM deal_statuses WHERE pipeline = 'leasing' AND code = 'active'"))
                ).scalar_one()


# --- 1. the accrual ------------------------------------------------------------------------------------------------

HAND = [  # the service's three statements, hand-written
    """INSERT INTO lease_charges (deal_id, kind, key, net, vat, gross, due, booked_on, created_at)
       SELECT l.deal_id, l.kind, l.key, l.net, l.vat, l.gross, l.due, :day, :now FROM lease_schedule_lines l
       JOIN lease_cases c ON c.deal_id = l.deal_id AND c.schedule_version = l.version
       WHERE c.status = 'active' AND l.due > :last AND l.due <= :day
       ON CONFLICT (deal_id, key) DO NOTHING""",
    """INSERT INTO lease_invoices (deal_id, charge_id, series, seq, issued_on)
       SELECT ch.deal_id, ch.id, 'FV/2027', row_number() OVER (ORDER BY ch.id), :day FROM lease_charges ch
       WHERE ch.booked_on = :day AND ch.kind IN ('admin_fee', 'fee', 'initial_fee', 'instalment', 'residual')
       AND NOT EXISTS (SELECT 1 FROM lease_invoices i WHERE i.charge_id = ch.id)""",
    """INSERT INTO outbox (user_id, kind, payload, status, attempts, not_before, created_at)
       SELECT cl.user_id, 'lease_invoice', {json}('invoice_id', i.id), 'pending', 0, :now, :now
       FROM lease_invoices i JOIN lease_cases c ON c.deal_id = i.deal_id JOIN clients cl ON cl.id = c.client_id
       WHERE i.series = 'FV/2027' AND cl.user_id IS NOT NULL"""]
RESET = ["DELETE FROM outbox", "DELETE FROM lease_invoices", "DELETE FROM lease_charges WHERE booked_on = :day",
         "DELETE FROM lease_series", "DELETE FROM lease_runs"]


async def accrual(engine, pg: bool, n: int, rounds: int, status_id: int) -> dict:
    async with engine.begin() as conn:
        await contracts(conn, pg, BASE["accrual"], n, in_bot=True, status_id=status_id)
        for k, due in ((1, DAY), (2, date(2027, 4, 23))):  # the line due today, and the next month's
            await conn.execute(text(
                f"INSERT INTO lease_schedule_lines (deal_id, version, key, kind, n, due, net, vat, gross, interest, "
                f"principal) SELECT {BASE['accrual']} + i, 1, 'i{k}', 'instalment', {k}, :due, 100000, 23000, "
                f"123000, 0, 100000 FROM ({series(pg, n)}) s"), {"due": due})
    clock = ManualClock(NOW)
    uow = units(engine, clock)
    cfg = CoreConfig()
    hand = [text(s.replace("{json}", "json_build_object" if pg else "json_object")) for s in HAND]
    params = {"day": DAY, "now": NOW, "last": date(2027, 3, 22)}

    async def reset() -> None:
        async with engine.begin() as conn:
            for s in RESET:
                await conn.execute(text(s), params)

    async def by_hand() -> None:
        async with engine.begin() as conn:
            for s in hand:
                await conn.execute(s, params)

    async def by_service() -> None:
        result = await lb.accrue(uow(), cfg)
        assert result.charges == n and result.invoices == n, result

    async def written() -> tuple[int, int, int]:
        async with engine.connect() as conn:
            return tuple([(await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one() for t in (
                "lease_charges", "lease_invoices", "outbox")])

    times: dict[str, list[float]] = {"hand": [], "service": [], "rerun": []}
    for r in range(rounds):
        for name, fn in ((("hand", by_hand), ("service", by_service)) if r % 2 == 0 else
                         (("service", by_service), ("hand", by_hand))):
            await reset()
            started = time.perf_counter()
            await fn()
            times[name].append(time.perf_counter() - started)
            assert await written() == (n, n, n), (name, await written())
            if name == "service":
                for _ in range(5):
                    started = time.perf_counter()
                    assert not await lb.accrue(uow(), cfg)  # the day's run was made
                    times["rerun"].append(time.perf_counter() - started)
    await reset()
    return {k: statistics.median(v) for k, v in times.items()}


# --- 2. the dunning scan ------------------------------------------------------------------------------------------

async def dunning(engine, pg: bool, instalments: int, due: int, status_id: int) -> dict:
    per = 10
    n = instalments // per
    base = BASE["dunning"]
    async with engine.begin() as conn:
        await contracts(conn, pg, base, n, in_bot=False, status_id=status_id)
        # each contract's ten instalments, due monthly through 2026; all paid but one instalment of ``due`` contracts
        step = max(n // due, 1)
        for k in range(1, per + 1):
            await conn.execute(text(
                f"INSERT INTO lease_charges (deal_id, kind, key, net, vat, gross, due, booked_on, created_at, "
                f"paid_off) "
                f"SELECT {base} + i, 'instalment', 'i{k}', 100000, 23000, 123000, :due, :due, :now, "
                f"CASE WHEN {k} = {per} AND i % {step} = 0 AND i / {step} <= {due} THEN NULL "
                f"ELSE CAST(:due AS DATE) END "
                f"FROM ({series(pg, n)}) s"), {"due": date(2026, k, 5), "now": NOW})
    if pg:  # as autovacuum would have: the visibility map lets the scan read the index alone; and the million
        # rows written out before the measure, not during it
        async with engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE lease_charges"))
            try:
                await conn.execute(text("CHECKPOINT"))
            except Exception:  # only a superuser may ask for one; then the measure takes its chance
                pass
    clock = ManualClock(NOW)
    uow = units(engine, clock)
    cfg = CoreConfig()
    cutoff = DAY.replace(day=20)  # the first level's cutoff: 3 days before the day

    async def scan() -> int:
        async with uow() as u:
            return len(await u.books.overdue(cutoff))

    found = await scan()
    assert found == min(due, n), found
    times, alone = [], []
    async with uow() as u:  # as the dunning run makes it: inside its transaction
        for _ in range(50):
            started = time.perf_counter()
            await u.books.overdue(cutoff)
            times.append(time.perf_counter() - started)
    for _ in range(50):  # with a transaction of its own around it
        started = time.perf_counter()
        await scan()
        alone.append(time.perf_counter() - started)
    started = time.perf_counter()
    sent = await lb.dun(uow(), cfg)
    run = time.perf_counter() - started
    assert sent == found, sent
    return {"scan": statistics.median(times), "alone": statistics.median(alone), "run": run, "due": found,
            "instalments": n * per}


# --- 3. a bank statement --------------------------------------------------------------------------------------------

STATEMENT_RESET = ["DELETE FROM lease_allocations", "DELETE FROM lease_receipts", "DELETE FROM lease_statement_lines",
                   "DELETE FROM lease_statements", "DELETE FROM outbox", "DELETE FROM audit_log",
                   "DELETE FROM deal_feed", "DELETE FROM lease_charges WHERE kind = 'interest'",
                   "UPDATE lease_charges SET paid_off = NULL WHERE deal_id > :base"]


async def statement(engine, pg: bool, lines: int, rounds: int, status_id: int) -> dict:
    """The same statement of N lines (each paying one contract's instalment, its number in the title) imported by
    today's path as it was on main (bench.lease_books_main: one regular expression) and by the new matcher (the
    reference parsed, then the payer's account, then the amount; typed payments looked for), in turns, the books
    reset between; and the N lines with no number in the title, found by the payer's account alone (new only)."""
    base = BASE["statement"]
    async with engine.begin() as conn:
        await contracts(conn, pg, base, lines, in_bot=False, status_id=status_id)
        await conn.execute(text(f"UPDATE clients SET iban = 'PL' || CAST(id AS VARCHAR(12)) WHERE id > {base}"))
        await conn.execute(text(f"INSERT INTO lease_offers (id, deal_id, version, status, price, vat, months, rate, "
                                f"advance, residual, fee, method, timing, start, financed, instalment, total, "
                                f"valid_until, created_at) SELECT {base} + i, {base} + i, 1, 'accepted', 100000, 23, "
                                f"12, 0, 0, 0, 0, 'annuity', 'arrears', :due, 100000, 1000, 12000, :due, :now "
                                f"FROM ({series(pg, lines)}) s"), {"due": date(2027, 3, 5), "now": NOW})
        await conn.execute(text(f"UPDATE lease_cases SET offer_id = deal_id WHERE deal_id > {base}"))
        await conn.execute(text(
            f"INSERT INTO lease_charges (deal_id, kind, key, net, vat, gross, due, booked_on, created_at) "
            f"SELECT {base} + i, 'instalment', 'i1', 100000, 23000, 123000, :due, :due, :now "
            f"FROM ({series(pg, lines)}) s"), {"due": date(2027, 3, 5), "now": NOW})
        for k in range(1, 13):  # a year's schedule, the first line charged
            await conn.execute(text(
                f"INSERT INTO lease_schedule_lines (deal_id, version, key, kind, n, due, net, vat, gross, interest, "
                f"principal) SELECT {base} + i, 1, 'i{k}', 'instalment', {k}, :due, 100000, 23000, 123000, 0, 100000 "
                f"FROM ({series(pg, lines)}) s"), {"due": date(2027 + (k + 1) // 12, (k + 1) % 12 + 1, 5)})
        await conn.execute(text("INSERT INTO users (id, tg_id, name, role, locale, timezone, blocked, created_at) "
                                "VALUES (2, 2, 'Anna', 'collections', 'pl', 'Europe/Warsaw', false, :now)"),
                           {"now": NOW})
    by_title = ("Data;Kwota;Waluta;Tytuł\n" + "".join(
        f"2027-03-05;1230,00;PLN;Rata 1-12 umowa {base + i}-1\n" for i in range(1, lines + 1))).encode()
    by_account = ("Data;Kwota;Waluta;Tytuł;Rachunek\n" + "".join(
        f"2027-03-05;1230,00;PLN;Rata za marzec;PL{base + i}\n" for i in range(1, lines + 1))).encode()
    clock = ManualClock(NOW)
    uow = units(engine, clock)
    cfg = CoreConfig()

    async def reset() -> None:
        async with engine.begin() as conn:
            for s in STATEMENT_RESET:
                await conn.execute(text(s), {"base": base})

    async def as_on_main() -> None:
        booked, aside = await main_path.import_statement(uow(), cfg, 2, "wyciag.csv", by_title)
        # main read «Rata 1-12 umowa N-1» as contract 1: every line kept aside, nothing booked
        assert (booked, aside) == (0, lines), (booked, aside)

    async def as_on_main_fair() -> None:  # the same lines with the number alone, which main reads right
        booked, _ = await main_path.import_statement(uow(), cfg, 2, "wyciag.csv", plain)
        assert booked == lines, booked

    async def matcher() -> None:
        done = await lb.import_statement(uow(), cfg, 2, "wyciag.csv", plain)
        assert (done.booked, done.unmatched) == (lines, 0), done

    plain = by_title.replace(b"Rata 1-12 umowa ", b"Umowa ")
    await reset()
    await as_on_main()  # what main did with «Rata 1-12 umowa N-1» (every line aside)
    await reset()
    done = await lb.import_statement(uow(), cfg, 2, "wyciag.csv", by_title)
    assert (done.booked, done.unmatched) == (lines, 0), done
    times: dict[str, list[float]] = {"main": [], "new": []}
    for r in range(rounds):
        for name, fn in ((("main", as_on_main_fair), ("new", matcher)) if r % 2 == 0 else
                         (("new", matcher), ("main", as_on_main_fair))):
            await reset()
            started = time.perf_counter()
            await fn()
            times[name].append(time.perf_counter() - started)
    started = time.perf_counter()
    try:
        await lb.import_statement(uow(), cfg, 2, "wyciag.csv", plain)
    except Conflict:
        pass
    else:
        raise AssertionError("a statement imported twice")
    again = time.perf_counter() - started
    await reset()
    started = time.perf_counter()
    done = await lb.import_statement(uow(), cfg, 2, "wyciag.csv", by_account)
    accounts = time.perf_counter() - started
    assert (done.booked, done.by_account) == (lines, lines), done
    return {"main": statistics.median(times["main"]), "new": statistics.median(times["new"]), "again": again,
            "accounts": accounts, "lines": lines}


async def bench(url: str, label: str, args) -> None:
    engine = create_engine(url)
    pg = engine.dialect.name == "postgresql"
    try:
        status_id = await prepare(engine)
        a = await accrual(engine, pg, args.contracts, args.rounds, status_id)
        d = await dunning(engine, pg, args.instalments, args.due, status_id)
        s = await statement(engine, pg, args.lines, args.rounds, status_id)
    finally:
        await engine.dispose()
    print(f"{label}: accrual over {args.contracts:,} contracts — hand-written INSERT … SELECT "
          f"{a['hand'] * 1000:.0f} ms,"
          f" the service {a['service'] * 1000:.0f} ms: {a['service'] / a['hand']:.2f}× (aim ≤ 1.2×); the rerun "
          f"{a['rerun'] * 1000:.1f} ms")
    print(f"{label}: dunning scan of {d['due']:,} due among {d['instalments']:,} instalments — "
          f"{d['scan'] * 1000:.2f} ms (aim ≤ 2 ms; {d['alone'] * 1000:.2f} ms with a transaction of its own); the "
          f"whole run sending them {d['run'] * 1000:.0f} ms")
    print(f"{label}: a statement of {s['lines']:,} lines — today's path as on main {s['main']:.2f} s, the new "
          f"matcher {s['new']:.2f} s ({s['lines'] / s['new']:,.0f} lines/s): {s['new'] / s['main']:.2f}× "
          f"(aim ≤ 1.2×); found by the payer's account alone {s['accounts']:.2f} s; the same file again refused in "
          f"{s['again'] * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int)
    parser.add_argument("--instalments", type=int)
    parser.add_argument("--lines", type=int)
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--pg", help="an empty PostgreSQL database URL (postgresql+asyncpg://…)")
    parser.add_argument("--smoke", action="store_true", help=SMOKE_HELP)
    args = parser.parse_args()
    args.contracts = args.contracts or (300 if args.smoke else 100_000)
    args.instalments = args.instalments or (3_000 if args.smoke else 1_000_000)
    args.due = 30 if args.smoke else 500
    args.lines = args.lines or (100 if args.smoke else 10_000)
    args.rounds = args.rounds or (1 if args.smoke else 3)

    async def both() -> None:
        with tempfile.TemporaryDirectory() as tmp:
            await bench(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}", "SQLite", args)
        if args.pg:
            await bench(args.pg, "PostgreSQL", args)

    asyncio.run(both())


if __name__ == "__main__":
    main()
