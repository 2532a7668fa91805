"""A head posts 500 campaign rows and nobody touches them for two weeks (issue 28): the scheduler runs on the moved
clock, and each executor gets at most one reminder message a day — the tasks that fell due together in one
message, their overdue alert in one more — plus the stage-deadline notice (the deals closed together, in one); no
task reminds after its deal closed."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from core.db.kernel import models as m
from core.domain.campaigns.campaign import CampaignStatus
from core.domain.campaigns.stages import NO_CONTACT
from core.domain.kernel.tasks import TaskStatus
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import stages
from core.services.kernel import tasks
from tests.services.campaigns.test_campaigns import cold_world

ROWS = 250  # per executor: two executors, 500 rows
TASK_KINDS = {"tasks_due", "tasks_overdue", "task_reminder", "task_overdue"}
STAGE_KINDS = {"stage_closed", "stages_closed", "stage_overdue"}


def rows_file(first: int) -> bytes:
    lines = ["Организация;Телефон"] + [f"ООО Клиент {i};+7901{i:07d}"
                                       for i in range(first, first + ROWS)]
    return "\n".join(lines).encode()


async def post(uow, cfg, w, executor, first: int) -> None:
    c = await campaigns.create(uow(), w["a2"].id, f"Обзвон {first}")
    pv = await campaigns.preview(uow(), w["a2"].id, c.id, rows_file(first), "base.csv", cfg)
    assert len(pv.add) == ROWS, pv.bad[:3]
    await campaigns.add_rows(uow(), w["a2"].id, c.id, pv.add)
    await campaigns.set_template(uow(), w["a2"].id, c.id, w["template"].id)
    await campaigns.set_executor(uow(), w["a2"].id, c.id, executor.id)
    await campaigns.move(uow(), w["a2"].id, c.id, CampaignStatus.IN_WORK)
    assert await campaigns.post(uow(), w["a2"].id, c.id) == ROWS


async def test_500_idle_rows_make_one_reminder_a_day_per_executor(uow, factory, cfg, clock):
    w = await cold_world(uow, cfg)
    executors = (w["a1"], w["b1"])
    for person in executors:
        await tasks.set_supervisor(uow(), w["admin"].id, person.id, w["a2"].id)  # Антон heads both
    await post(uow, cfg, w, w["a1"], 0)
    await post(uow, cfg, w, w["b1"], 500)
    start = clock.now()
    while clock.now() < start + timedelta(days=14):  # the scheduler's tick: hourly while the tasks fall due and
        clock.advance(timedelta(hours=1 if clock.now() < start + timedelta(days=2) else 3))  # overdue, then 3 h
        await tasks.scan_due(uow(), cfg)
        await tasks.scan_digests(uow(), cfg)
        while await stages.scan_deadlines(uow(), cfg):
            pass
    async with factory() as s:
        queued = (await s.execute(select(m.Outbox.user_id, m.Outbox.kind, m.Outbox.created_at, m.Outbox.payload)
                                  .order_by(m.Outbox.id))).all()
        open_tasks = await s.scalar(select(func.count()).select_from(m.Task).where(m.Task.status == TaskStatus.OPEN))
    moscow = ZoneInfo("Europe/Moscow")
    for person in executors:
        mine = [(kind, at.astimezone(moscow).date(), payload) for uid, kind, at, payload in queued
                if uid == person.id]
        per_day = Counter((day, kind) for kind, day, _ in mine if kind in TASK_KINDS)
        assert max(per_day.values()) == 1, per_day  # at most one of each a day
        # in two weeks: the 250 «Приступить к сделке» due together — one reminder listing them, one overdue alert
        reminders = [p["task_ids"] for kind, _, p in mine if kind == "tasks_due"]
        alerts = [p["task_ids"] for kind, _, p in mine if kind == "tasks_overdue"]
        assert [len(x) for x in reminders] == [ROWS] and [len(x) for x in alerts] == [ROWS]
        assert {kind for kind, _, _ in mine} <= TASK_KINDS | STAGE_KINDS | {"digest", "campaign_posted", "role_changed"}
        # the stage-deadline notice: the deals closed by their 10 days without contact, together, in one
        assert [(kind, len(p["deals"]), p["reason"]) for kind, _, p in mine if kind in STAGE_KINDS] == [
            ("stages_closed", ROWS, NO_CONTACT)]
    head = [(kind, len(p["task_ids"])) for uid, kind, _, p in queued if uid == w["a2"].id and kind in TASK_KINDS]
    assert head == [("tasks_overdue", 2 * ROWS)]  # the head: both executors' tasks, overdue together, in one message
    assert open_tasks == 0  # every deal closed at day 10, and its task with it: nothing reminds any more
