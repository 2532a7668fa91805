"""Tasks follow the process (issue 28): a task made for a stage closes — with who and why — when the stage's key
is met or the deal leaves the stage, every open task closes when the deal closes (by hand, by its deadline), and a
closed task reminds nobody. The reactions that do it are declared in one table."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.campaigns.stages import NO_CONTACT
from core.domain.kernel.events import DealClosed, LeaseEnded, ManagerReady, StageEntered, TaskDone
from core.domain.kernel.tasks import TaskClose, TaskStatus
from core.services.campaigns import counterparties, interactions, stages, surveys
from core.services.campaigns.interactions import Channel
from core.services.deals import listing as deal_list
from core.services.deals import workspace
from core.services.kernel import tasks
from core.services.reactions import REACTIONS
from tests.services.campaigns.test_campaigns import cold_world, posted


async def tasks_of(factory, deal_id: int) -> list[tuple]:
    async with factory() as s:
        rows = (await s.scalars(select(m.Task).where(m.Task.deal_id == deal_id).order_by(m.Task.id))).all()
        return [(t.code, t.status, t.closed_by, t.close_reason) for t in rows]


async def answer_all(uow, w, deal) -> None:
    async with uow() as u:
        template = await u.surveys.template_of(deal.id)
    for q, raw in zip(template.questions, ("Ольга", 1, False), strict=True):
        await surveys.answer(uow(), w["a1"].id, deal.id, q.id, raw)


def test_the_reactions_are_declared_in_one_table():
    table = REACTIONS
    assert {event: [f"{r.__module__}.{r.__name__}" for r in rs] for event, rs in table.items()} == {
        TaskDone: ["core.services.deals.workspace.on_task_done", "core.services.campaigns.interactions.on_task_done",
                   "core.services.campaigns.order_to_cash.on_task_done"],
        StageEntered: ["core.services.kernel.task_closing.on_stage_entered"],
        DealClosed: ["core.services.kernel.task_closing.on_deal_closed"],
        ManagerReady: ["core.services.marketplace.applications.on_manager_ready"],
        LeaseEnded: ["core.services.leasing.on_ended"]}


async def test_the_start_task_is_done_when_the_survey_is_and_the_card_task_when_the_card_goes(uow, factory, cfg):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    deal = deals[1]
    assert await tasks_of(factory, deal.id) == [("start_task", TaskStatus.OPEN, None, None)]
    await answer_all(uow, w, deal)
    await counterparties.set_group(uow(), w["a1"].id, deal.id, w["south"].id)  # another group: rerouted
    assert await tasks_of(factory, deal.id) == [("start_task", TaskStatus.DONE, w["a1"].id, TaskClose.KEY_MET),
                                                ("card", TaskStatus.OPEN, None, None)]
    await interactions.card_by_hand(uow(), w["a1"].id, deal.id, Channel.FAX)
    assert (await tasks_of(factory, deal.id))[1] == ("card", TaskStatus.DONE, w["a1"].id, TaskClose.KEY_MET)
    await interactions.reroute(uow(), w["admin"].id, deal.id, w["b1"].id)
    reroute = [t for t in await tasks_of(factory, deal.id) if t[0] == "reroute"]
    assert reroute == [("reroute", TaskStatus.DONE, w["admin"].id, TaskClose.KEY_MET)]


async def test_closing_a_deal_by_hand_closes_its_open_tasks_and_they_remind_nobody(uow, factory, cfg, clock):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    deal = deals[0]
    page = await deal_list.view(uow(), w["a1"].id, deal.id)
    closed = next(s for s in page.statuses if s.code == "closed")
    await workspace.move(uow(), w["a1"].id, deal.id, closed.id, comment="Номер не существует")
    assert await tasks_of(factory, deal.id) == [("start_task", TaskStatus.CANCELLED, w["a1"].id,
                                                 TaskClose.DEAL_CLOSED)]
    clock.advance(timedelta(days=2))  # past due: the closed deal's task reminds nobody; the others' do
    assert (await tasks.scan_due(uow(), cfg)).reminders == len(deals) - 1
    async with factory() as s:
        reminded = {i for p in (await s.scalars(select(m.Outbox.payload).where(m.Outbox.kind.like("task%")))).all()
                    for i in p.get("task_ids") or [p.get("task_id")]}
        closed_task = await s.scalar(select(m.Task.id).where(m.Task.deal_id == deal.id))
    assert closed_task not in reminded and len(reminded) == len(deals) - 1


async def test_ten_days_without_contact_close_the_deal_and_its_tasks_by_the_scheduler(uow, factory, cfg, clock):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    clock.advance(timedelta(days=10))
    assert await stages.scan_deadlines(uow(), cfg) == len(deals)
    for deal in deals:
        assert await tasks_of(factory, deal.id) == [("start_task", TaskStatus.CANCELLED, None,
                                                     TaskClose.DEAL_CLOSED)]
    async with uow() as u:
        assert (await u.stages.current(deals[0].id)).reason == NO_CONTACT


async def test_the_order_paid_closes_the_calls_and_the_panel_and_feed_say_so(uow, factory, cfg):
    from core.services.campaigns import cold_call, counterparties, order_to_cash, stage_effects
    from tests.said import line
    from tests.services.campaigns.test_order_to_cash import ordered

    w, deal, order = await ordered(uow, factory, cfg, ship_unpaid=False)
    await counterparties.set_cadence(uow(), w["a1"].id, deal.id, w["cadence"].id)
    if (await cold_call.panel(uow(), w["a1"].id, deal.id)).next_call is None:  # a call planned by the cadence
        async with uow() as u:
            await stage_effects.plan_call(u, await u.deals.get(deal.id), u.clock.now())
            await u.commit()
    assert (await cold_call.panel(uow(), w["a1"].id, deal.id)).next_call is not None
    await order_to_cash.pay(uow(), w["a2"].id, order.id, order.amount)
    async with factory() as s:
        calls = (await s.scalars(select(m.Task).where(m.Task.deal_id == deal.id, m.Task.code == "call"))).all()
        ship = await s.get(m.Task, order.ship_task_id)
    assert [(t.status, t.close_reason) for t in calls] == [(TaskStatus.CANCELLED, TaskClose.DEAL_PAID)]
    assert ship.status == TaskStatus.OPEN  # the shipping is still to do
    assert (await cold_call.panel(uow(), w["a1"].id, deal.id)).next_call is None  # no «Следующий звонок»
    feed = [line(x) for x in (await deal_list.view(uow(), w["a1"].id, deal.id)).feed]
    assert "🗂 Заказ оплачен — звонки и напоминания клиенту закрыты: 1" in feed
