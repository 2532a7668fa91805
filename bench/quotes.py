"""The КП as a PDF (seed 001, stage 8), side by side in one run: a generated КП of 10 lines against the bare template
laid out by the same library (fpdf2), in time and in memory; then a batch of 1,000 КП made through the service that
approves them (documents.quote_document: the lines read, the template, the PDF, the row stored), on SQLite, and on
PostgreSQL with --pg.

- bare: the built-in template's HTML as it is (no Jinja, no lines) through fpdf2's HTML writer to a PDF;
- КП: the same template rendered by Jinja's sandbox with a 10-line offer, its totals and the sum in words, then
  the same writer.
Memory: tracemalloc's peak for one document of each (after a warm-up); the batch: the process's peak RSS before and
after, so a batch that kept its documents in memory would show.

Run: python -m bench.quotes [--docs 1000] [--rounds 15] [--pg postgresql+asyncpg://…/empty_db] [--smoke]
     (--smoke: 5 documents, one round)
"""

from __future__ import annotations

import resource
import statistics
import time
import tracemalloc
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, insert, select

from bench.common import run, units
from core import documents as render
from core.clock import ManualClock
from core.db.kernel import models as m
from core.db.kernel.engine import create_engine
from core.domain.campaigns.orders import DocKind
from core.domain.campaigns.quotes import Line, totals
from core.services.kernel import documents
from migrations.runner import upgrade

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LINES = [Line(f"Товар №{i} — бумага офисная А4, 80 г/м²", Decimal(10 + i), "пачка", Decimal("350.50") + i,
              Decimal("5") if i % 3 == 0 else Decimal("0"), None if i == 9 else Decimal("22")) for i in range(10)]
CHUNK = 100  # documents made per transaction in the batch


def bare() -> bytes:
    return render.html_to_pdf(render.default_template(DocKind.QUOTE), "bare")


def kp() -> bytes:
    ctx = render.sample_context(DocKind.QUOTE)
    ctx.update(render.lines_context(LINES, totals(LINES), render.Words("ru")))
    return render.render_pdf(render.default_template(DocKind.QUOTE), ctx, "КП")


def timed(fns, rounds: int) -> list[float]:
    """Median seconds of each, run in turns after a warm-up (a noisy machine slows them alike)."""
    times = [[] for _ in fns]
    for fn in fns:
        fn()
    for _ in range(rounds):
        for fn, out in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            out.append(time.perf_counter() - started)
    return [statistics.median(x) for x in times]


def peak(fn) -> int:
    fn()
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


async def seed(engine, n: int) -> list[int]:
    """n deals, each with an approved КП of 10 lines (bulk: the benchmark times the documents, not this)."""
    async with engine.begin() as conn:
        status = (await conn.execute(select(m.DealStatus.id).where(m.DealStatus.pipeline == "cold_call")
                                     .limit(1))).scalar_one()
        client = (await conn.execute(insert(m.Client).returning(m.Client.id), [
            {"name": "ООО Ромашка", "inn": "7707083893", "created_at": NOW, "ship_unpaid": False}])).scalar_one()
        deals = (await conn.execute(insert(m.Deal).returning(m.Deal.id, sort_by_parameter_order=True), [
            {"pipeline": "cold_call", "name": f"Сделка {i}", "status_id": status, "client_id": client,
             "budget": Decimal("0"), "created_at": NOW, "version": 1} for i in range(n)])).scalars().all()
        quotes = (await conn.execute(insert(m.Quote).returning(m.Quote.id, sort_by_parameter_order=True), [
            {"deal_id": d, "version": 1, "status": "approved", "created_at": NOW} for d in deals])).scalars().all()
        await conn.execute(insert(m.QuoteLine), [
            {"quote_id": q, "position": i + 1, "item": x.item, "quantity": x.quantity, "unit": x.unit,
             "price": x.price, "discount": x.discount, "vat": x.vat} for q in quotes for i, x in enumerate(LINES)])
    return list(quotes)


async def batch(engine, quotes: list[int]) -> float:
    uow = units(engine, ManualClock(NOW))
    started = time.perf_counter()
    for start in range(0, len(quotes), CHUNK):
        async with uow() as u:
            for qid in quotes[start:start + CHUNK]:
                quote = await u.quotes.get(qid)
                await documents.quote_document(u, await u.deals.get(quote.deal_id), quote)
            await u.commit()
    return time.perf_counter() - started


async def bench(url: str, n: int, rounds: int, label: str, *, smoke: bool) -> None:
    b_time, k_time = timed([bare, kp], rounds)
    b_mem, k_mem = peak(bare), peak(kp)
    assert bare().startswith(b"%PDF") and kp().startswith(b"%PDF")
    engine = create_engine(url)
    await upgrade(engine)
    quotes = await seed(engine, n)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    took = await batch(engine, quotes)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    async with engine.connect() as conn:
        made, small = (await conn.execute(select(func.count(), func.min(func.length(m.Document.content))))).one()
    await engine.dispose()
    assert made == n and small > 1000, (made, small)  # every КП was made, each a real PDF
    print(f"{label}: one document ({rounds} rounds, medians), the same library (fpdf2)")
    print(f"  bare template : {b_time * 1000:7.1f} ms, peak {b_mem / 1024:8.0f} KiB")
    print(f"  КП of 10 lines: {k_time * 1000:7.1f} ms, peak {k_mem / 1024:8.0f} KiB   "
          f"ratio {k_time / b_time:.2f}× time, {k_mem / b_mem:.2f}× memory")
    print(f"  batch of {n:,} through the service ({CHUNK} a transaction): {took:.1f} s, {took / n * 1000:.1f} ms a "
          f"document ({took / n / k_time:.2f}× the bare КП render), {n / took:.1f} documents/s; "
          f"peak RSS {rss_before / 1024:.0f} → {rss_after / 1024:.0f} MiB")


if __name__ == "__main__":
    run(bench, what="docs", default_n=1000, default_rounds=15, smoke_n=5)
