"""The stage engine at work (seed 001, «Холодный обзвон»): a deal enters its first stage, a move without the stage's
key is refused (the workspace's move and a drag on the board too), closing needs a reason, and the control
deadlines act exactly once — after downtime, and with two schedulers scanning at once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.db.kernel.engine import create_engine
from core.domain.campaigns.stages import COLD_CALL, NO_CONTACT, Key, ReasonRequired, StageKeyMissing
from core.domain.deals.workspace import MoveNeedsComment, Pipeline, StatusFixed
from core.services.campaigns import stages
from core.services.deals import listing as deal_list
from core.services.deals import statuses as deal_statuses
from core.services.deals import workspace
from core.services.kernel import tasks
from core.services.kernel.contacts import contact_for
from tests.factories import T0, units, world
from tests.said import line


async def cold_deal(uow, manager, phone: str = "+79001112233", name: str = "ООО Ромашка") -> m.Deal:
    """A campaign's row as its posting will open it: a deal of the «Холодный обзвон» pipeline for the executor."""
    async with uow() as u:
        contact = await contact_for(u, phone, name, None)
        deal = await workspace.open_deal(u, contact, pipeline=Pipeline.COLD_CALL, name=f"Сделка с клиентом {name}",
                                         responsible_id=manager.id, creator_id=manager.id)
        await u.commit()
        return deal


async def history(factory, deal_id: int) -> list[tuple]:
    async with factory() as s:
        rows = (await s.scalars(select(m.DealStage).where(m.DealStage.deal_id == deal_id)
                                .order_by(m.DealStage.id))).all()
        return [(r.stage, r.due_at, r.expired_at is not None, r.left_at is not None, r.reason) for r in rows]


async def notices(factory, kind: str) -> list[m.Outbox]:
    async with factory() as s:
        return list((await s.scalars(select(m.Outbox).where(m.Outbox.kind == kind).order_by(m.Outbox.id))).all())


async def test_a_deal_enters_the_first_stage_and_moves_on_only_with_its_key(uow, factory, cfg, clock):
    w = await world(uow, cfg)
    deal = await cold_deal(uow, w["a1"])
    assert await history(factory, deal.id) == [("contact", T0 + timedelta(days=10), False, False, None)]
    page = await deal_list.view(uow(), w["a1"].id, deal.id)
    assert page.status.code == "contact" and [s.code for s in page.statuses] == [s.code for s in COLD_CALL.stages]
    with pytest.raises(StageKeyMissing) as refused:
        await stages.move(uow(), w["a1"].id, deal.id, "qualify")
    assert refused.value.missing == Key.SURVEY_DONE
    by_code = {s.code: s for s in page.statuses}
    with pytest.raises(StageKeyMissing):  # the chat's status buttons and the board's drag go the same way
        await workspace.move(uow(), w["a1"].id, deal.id, by_code["qualify"].id)
    with pytest.raises(MoveNeedsComment):  # closing asks for the reason
        await workspace.move(uow(), w["a1"].id, deal.id, by_code["closed"].id)
    with pytest.raises(ReasonRequired):
        await stages.move(uow(), w["a1"].id, deal.id, "closed", reason=" ")
    assert len(await history(factory, deal.id)) == 1  # nothing written by the refusals
    await workspace.move(uow(), w["a1"].id, deal.id, by_code["closed"].id, comment="Номер не существует")
    assert await history(factory, deal.id) == [("contact", T0 + timedelta(days=10), False, True, None),
                                               ("closed", None, False, False, "Номер не существует")]
    page = await deal_list.view(uow(), w["a1"].id, deal.id)
    assert page.status.code == "closed" and line(page.feed[1]) == ("🔀 Первичный контакт. Анкетирование → "
                                                                   "Сделка закрыта: Номер не существует")
    assert line(page.feed[0]) == "🗂 Сделка закрыта — открытые задачи закрыты: 1"  # «Приступить к сделке»
    assert line(page.feed[1], "en") == "🔀 First contact. Survey → Deal closed: Номер не существует"


async def test_the_process_stages_can_be_renamed_not_archived(uow, cfg):
    w = await world(uow, cfg)
    statuses = {s.code: s for s in await deal_statuses.statuses(uow(), w["admin"].id, Pipeline.COLD_CALL)}
    renamed = await deal_statuses.edit_status(uow(), w["admin"].id, statuses["qualify"].id, name="Квалификация")
    assert renamed.name == "Квалификация"
    for change in ({"archived": True}, {"final": True}):
        with pytest.raises(StatusFixed):
            await deal_statuses.edit_status(uow(), w["admin"].id, statuses["qualify"].id, **change)
    with pytest.raises(StatusFixed):
        await deal_statuses.edit_status(uow(), w["admin"].id, statuses["closed"].id, final=False)


async def test_ten_days_without_contact_close_the_deal_once_even_after_downtime(uow, factory, cfg, clock):
    w = await world(uow, cfg)
    deal = await cold_deal(uow, w["a1"])
    clock.advance(timedelta(days=10) - timedelta(minutes=1))
    assert await stages.scan_deadlines(uow(), cfg) == 0
    clock.advance(timedelta(days=30))  # the bot was down: what fell due acts at the first scan
    assert await stages.scan_deadlines(uow(), cfg) == 1
    assert await stages.scan_deadlines(uow(), cfg) == 0
    assert [(r[0], r[2], r[3], r[4]) for r in await history(factory, deal.id)] == [
        ("contact", True, True, None), ("closed", False, False, NO_CONTACT)]
    closed = await notices(factory, "stage_closed")
    assert [(n.user_id, n.payload["reason"]) for n in closed] == [(w["a1"].id, NO_CONTACT)]


async def test_a_stage_past_its_day_reminds_the_head_once(uow, factory, cfg, clock):
    w = await world(uow, cfg)
    await tasks.set_supervisor(uow(), w["admin"].id, w["a1"].id, w["a2"].id)  # Антон heads Анна
    deal = await cold_deal(uow, w["a1"])
    async with uow() as u:  # the survey is done (the campaign's part): the deal is qualified next
        await stages.enter(u, await u.deals.get(deal.id), "qualify", w["a1"].id)
        await u.commit()
    clock.advance(timedelta(days=1))
    assert await stages.scan_deadlines(uow(), cfg) == 1
    assert await stages.scan_deadlines(uow(), cfg) == 0
    reminded = await notices(factory, "stage_overdue")
    assert [(n.user_id, n.payload) for n in reminded] == [(w["a2"].id, {
        "deal_id": deal.id, "name": deal.name, "executor": "Анна", "stage": "Квалифицировать клиента",
        "pipeline": "cold_call", "code": "qualify"})]
    assert (await deal_list.view(uow(), w["a1"].id, deal.id)).status.code == "qualify"  # it stays where it is


async def test_two_schedulers_at_once_act_on_each_deadline_once(db_url, uow, factory, cfg, clock):
    w = await world(uow, cfg)
    deals = [await cold_deal(uow, w["a1"], f"+790011122{i:02d}", f"Клиент {i}") for i in range(12)]
    other = create_engine(db_url)  # a second process: its own pool of connections
    try:
        clock.advance(timedelta(days=11))
        other_uow = units(other, clock)
        acted = await asyncio.gather(*(stages.scan_deadlines(u(), cfg, limit=5) for u in [uow, other_uow] * 3))
        total = sum(acted)
        while extra := await stages.scan_deadlines(uow(), cfg, limit=5):
            total += extra
    finally:
        await other.dispose()
    assert total == 12
    closed = [n.payload["deal_id"] for n in await notices(factory, "stage_closed")]  # one closed in a scan
    closed += [d for n in await notices(factory, "stages_closed") for d, _ in n.payload["deals"]]  # several: one
    assert sorted(closed) == sorted(d.id for d in deals)  # each deal closed, and told, once
