"""Seed 001's two bulk paths, through the core services next to hand-written SQL doing the same work, in one run,
in turns; on SQLite, and on PostgreSQL with --pg.

1. Posting a «Холодный обзвон» of 5,000 rows (campaigns.post: the deals, each row's deal, the deals' contacts,
   their stays in stage 1, the feed's and the audit trail's lines, the executor's «Приступить к сделке» tasks, the
   campaign's status, the executor's notice) against a hand-written bulk INSERT of the same rows (the deals' ids
   taken first, one executemany per table, no RETURNING). Each round posts a fresh campaign of each.
2. The scheduler's stage-deadline scan: 500 stays due among 1,000,000 deals in stage 1 — the read of the due
   stays (the repository, in its unit of work) against the hand-written SELECT on the same partial index; and the
   tick that finds nothing due (what the scheduler does every 30 seconds almost always). The acting scan (closing
   500 deals with their feed, audit and notices) is timed once, as a figure.

Run: python -m bench.campaigns [--rows 5000] [--rounds 5] [--pg postgresql+asyncpg://…/empty_db] [--smoke]
     (--smoke: 200 rows, 2,000 deals)
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text

from bench.common import alternate, run, units
from core.clock import ManualClock
from core.db.kernel import models as m
from core.db.kernel.engine import create_engine
from core.domain.campaigns.campaign import CampaignStatus
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import stages
from core.services.kernel.config import CoreConfig
from migrations.runner import upgrade

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
HEAD, EXECUTOR = 1, 2


async def people(engine) -> None:
    async with engine.begin() as conn:
        await conn.execute(insert(m.User), [
            {"id": HEAD, "tg_id": 1, "name": "Руководитель", "role": "admin", "locale": "ru",
             "timezone": "Europe/Moscow", "blocked": False, "created_at": NOW},
            {"id": EXECUTOR, "tg_id": 2, "name": "Исполнитель", "role": "manager", "locale": "ru",
             "timezone": "Europe/Moscow", "blocked": False, "created_at": NOW}])
        template = (await conn.execute(insert(m.SurveyTemplate).values(name="Опрос", archived=False)
                                       .returning(m.SurveyTemplate.id))).scalar_one()
        await conn.execute(insert(m.SurveyQuestion).values(template_id=template, position=1, text="Кто?",
                                                           kind="text", options=[]))


async def campaign(engine, rows: int, tag: str) -> int:
    """A campaign in work with ``rows`` counterparties, each with a contact card (not timed)."""
    async with engine.begin() as conn:
        base = (await conn.execute(select(func.coalesce(func.max(m.Client.id), 0)))).scalar_one()
        cid = (await conn.execute(insert(m.Campaign).values(
            title=tag, status=CampaignStatus.IN_WORK, author_id=HEAD, executor_id=EXECUTOR, template_id=1,
            created_at=NOW, version=1).returning(m.Campaign.id))).scalar_one()
        await conn.execute(insert(m.Client), [{"id": base + i + 1, "name": f"ООО {tag} {i}", "created_at": NOW}
                                              for i in range(rows)])
        await conn.execute(insert(m.Contact), [{"id": base + i + 1, "name": f"Контакт {i}", "messengers": {},
                                                "created_at": NOW} for i in range(rows)])
        await conn.execute(insert(m.ClientContact), [{"client_id": base + i + 1, "contact_id": base + i + 1}
                                                     for i in range(rows)])
        await conn.execute(insert(m.CampaignRow), [{"campaign_id": cid, "row_no": i + 2, "client_id": base + i + 1}
                                                   for i in range(rows)])
    return cid


async def hand_post(engine, cid: int) -> int:
    """The same rows as campaigns.post writes, by hand: one statement per table."""
    async with engine.begin() as conn:
        status = (await conn.execute(text("SELECT id FROM deal_statuses WHERE pipeline = 'cold_call' AND "
                                          "code = 'contact'"))).scalar_one()
        rows = (await conn.execute(text(
            "SELECT r.id, r.client_id, (SELECT min(contact_id) FROM client_contacts cc WHERE cc.client_id = "
            "r.client_id), c.name FROM campaign_rows r JOIN clients c ON c.id = r.client_id WHERE r.campaign_id = "
            ":c AND r.deal_id IS NULL ORDER BY r.row_no"), {"c": cid})).all()
        if engine.dialect.name == "postgresql":  # the ids from the table's sequence, as any other insert takes them
            ids = list((await conn.execute(text("SELECT nextval('deals_id_seq') FROM generate_series(1, :n)"),
                                           {"n": len(rows)})).scalars())
        else:  # the transaction holds SQLite's writer lock
            first = (await conn.execute(text("SELECT coalesce(max(id), 0) FROM deals"))).scalar_one() + 1
            ids = list(range(first, first + len(rows)))
        await conn.execute(m.Deal.__table__.insert(), [
            {"id": d, "pipeline": "cold_call", "name": f"Сделка с клиентом: {r[3]}", "status_id": status,
             "kind": "sale", "client_id": r[1], "contact_id": r[2], "responsible_id": EXECUTOR, "creator_id": HEAD,
             "budget": 0, "created_at": NOW, "version": 1} for r, d in zip(rows, ids, strict=True)])
        await conn.execute(text("UPDATE campaign_rows SET deal_id = :d WHERE id = :r"),
                           [{"d": d, "r": r[0]} for r, d in zip(rows, ids, strict=True)])
        await conn.execute(text("INSERT INTO deal_contacts (deal_id, contact_id) SELECT r.deal_id, cc.contact_id "
                                "FROM campaign_rows r JOIN client_contacts cc ON cc.client_id = r.client_id "
                                "WHERE r.campaign_id = :c"), {"c": cid})
        due = NOW + timedelta(days=10)
        await conn.execute(m.DealStage.__table__.insert(), [
            {"deal_id": d, "process": "cold_call", "stage": "contact", "entered_at": NOW, "entered_by": HEAD,
             "due_at": due} for d in ids])
        await conn.execute(m.FeedItem.__table__.insert(), [
            {"deal_id": d, "author_id": HEAD, "kind": "status", "text": "Первичный контакт. Анкетирование",
             "created_at": NOW} for d in ids])
        await conn.execute(m.AuditLog.__table__.insert(), [
            {"entity": "deal", "entity_id": d, "actor_id": HEAD, "action": "stage", "to_status": "contact",
             "comment": "Первичный контакт. Анкетирование", "created_at": NOW} for d in ids])
        await conn.execute(m.Task.__table__.insert(), [
            {"title": "Приступить к сделке", "code": "start_task", "responsible_id": EXECUTOR, "deal_id": d,
             "status": "open", "due_at": NOW + timedelta(days=1), "created_at": NOW} for d in ids])
        await conn.execute(text("UPDATE campaigns SET status = 'posted', posted_at = :now, version = version + 1 "
                                "WHERE id = :c"), {"c": cid, "now": NOW})
        await conn.execute(m.AuditLog.__table__.insert().values(
            entity="campaign", entity_id=cid, actor_id=HEAD, action="post", created_at=NOW))
        await conn.execute(m.Outbox.__table__.insert().values(
            user_id=EXECUTOR, kind="campaign_posted", payload={"campaign_id": cid}, status="pending", attempts=0,
            not_before=NOW, created_at=NOW))
    return len(ids)


async def deals_in_stage_one(engine, n: int, due: int) -> None:
    """``n`` cold-call deals in stage 1, ``due`` of them past their control deadline (not timed)."""
    async with engine.begin() as conn:
        status = (await conn.execute(text("SELECT id FROM deal_statuses WHERE pipeline = 'cold_call' AND "
                                          "code = 'contact'"))).scalar_one()
        first = (await conn.execute(text("SELECT coalesce(max(id), 0) FROM deals"))).scalar_one() + 1
        batch = 50_000
        for start in range(0, n, batch):
            ids = range(first + start, first + min(start + batch, n))
            await conn.execute(m.Deal.__table__.insert(), [
                {"id": d, "pipeline": "cold_call", "name": f"Сделка {d}", "status_id": status,
                 "responsible_id": EXECUTOR, "budget": 0, "created_at": NOW, "version": 1} for d in ids])
            await conn.execute(m.DealStage.__table__.insert(), [
                {"deal_id": d, "process": "cold_call", "stage": "contact",
                 "entered_at": NOW - timedelta(days=11 if (d - first) < due else 1), "entered_by": HEAD,
                 "due_at": NOW - timedelta(days=1 if (d - first) < due else -9)} for d in ids])
        await conn.execute(text("ANALYZE"))


DUE = text("SELECT id, deal_id, stage, entered_at FROM deal_stages WHERE left_at IS NULL AND expired_at IS NULL "
           "AND due_at <= :now ORDER BY due_at, id LIMIT :limit")


async def bench(url: str, n: int, rounds: int, label: str, smoke: bool = False) -> None:
    rows = 200 if smoke else n
    deals = 2_000 if smoke else 1_000_000
    engine = create_engine(url)
    await upgrade(engine)
    await people(engine)
    uow = units(engine, ManualClock(NOW))

    # 1. posting
    service_t, hand_t = [], []
    for r in range(rounds):
        a = await campaign(engine, rows, f"A{r}")
        started = time.perf_counter()
        posted = await campaigns.post(uow(), HEAD, a)
        service_t.append(time.perf_counter() - started)
        b = await campaign(engine, rows, f"B{r}")
        started = time.perf_counter()
        by_hand = await hand_post(engine, b)
        hand_t.append(time.perf_counter() - started)
        assert posted == by_hand == rows
    async with engine.connect() as conn:  # both wrote the same rows
        per = (await conn.execute(text("SELECT count(*) FROM deals d JOIN deal_stages s ON s.deal_id = d.id "
                                       "JOIN tasks t ON t.deal_id = d.id JOIN deal_contacts c ON c.deal_id = d.id"))
               ).scalar_one()
        assert per == 2 * rounds * rows, per
    s, h = statistics.median(service_t), statistics.median(hand_t)
    print(f"[{label}] posting a campaign of {rows:,} rows: service {s * 1000:.0f} ms | hand-written bulk INSERT "
          f"{h * 1000:.0f} ms, ratio {s / h:.2f}  (aim <= 1.5)")

    # 2. the deadline scan
    started = time.perf_counter()
    await deals_in_stage_one(engine, deals, 500)
    print(f"[{label}] built {deals:,} deals in stage 1, 500 past their deadline, in "
          f"{time.perf_counter() - started:.0f} s")

    async def repo_due():
        async with uow() as u:
            return await u.stages.due(NOW, 500)

    async def hand_due():
        async with engine.begin() as conn:
            return (await conn.execute(DUE, {"now": NOW, "limit": 500})).all()

    found, by_hand = await repo_due(), await hand_due()
    assert len(found) == len(by_hand) == 500 and [s.id for s in found] == [r[0] for r in by_hand]
    t_repo, t_hand = await alternate([repo_due, hand_due], max(rounds * 4, 3))
    print(f"[{label}] the due read (500 among {deals:,}): service {t_repo * 1000:.2f} ms | hand-written SQL "
          f"{t_hand * 1000:.2f} ms, ratio {t_repo / t_hand:.2f}  (aim <= 2 ms)")
    started = time.perf_counter()
    acted = await stages.scan_deadlines(uow(), CoreConfig())
    acting = time.perf_counter() - started
    assert acted == 500
    print(f"[{label}] the acting scan: 500 deals closed «НЕ УСТАНОВЛЕН КОНТАКТ» with their feed, audit and "
          f"notices in {acting * 1000:.0f} ms")

    async def empty_tick():
        return await stages.scan_deadlines(uow(), CoreConfig())

    async def hand_empty():
        async with engine.begin() as conn:
            return (await conn.execute(DUE, {"now": NOW, "limit": 500})).all()

    assert await empty_tick() == 0 and await hand_empty() == []
    t_tick, t_hand_tick = await alternate([empty_tick, hand_empty], max(rounds * 4, 3))
    print(f"[{label}] the tick with nothing due (among {deals:,}): service {t_tick * 1000:.2f} ms | hand-written "
          f"SQL {t_hand_tick * 1000:.2f} ms, ratio {t_tick / t_hand_tick:.2f}  (aim <= 2 ms)")
    await engine.dispose()


if __name__ == "__main__":
    run(bench, what="rows", default_n=5_000, default_rounds=5, smoke_n=200)
