"""What entering a stage of «Холодный обзвон» sets off (core.domain.campaigns.stages.OnEnter), inside the unit of work
that moves the deal: the executor's tasks, the business card's interaction, the rerouting task for the head of the
counterparty's access group, the first planned call; stages 8–14's in core.services.campaigns.order_effects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns.counterparties import Period, Unit
from core.domain.campaigns.stages import OnEnter, Purpose, Stage
from core.domain.kernel import feed as said
from core.domain.kernel.notices import RerouteAsked
from core.domain.kernel.roles import Role
from core.domain.kernel.tasks import TaskStatus
from core.services.campaigns import order_effects

CARD, CALL = Purpose.CARD.value, Purpose.CALL.value
REROUTE = "reroute"
#: «Приступить к сделке» is due a day after the deal starts
START_WITHIN = timedelta(days=1)


def start_task_row(deal_id: int, executor_id: int, now: datetime) -> dict:
    """The executor's «Приступить к сделке» as a row (a campaign's posting writes many at once)."""
    return {"title": None, "code": OnEnter.START_TASK.value, "responsible_id": executor_id, "deal_id": deal_id,
            "status": TaskStatus.OPEN.value, "due_at": now + START_WITHIN, "created_at": now}


async def _start_task(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    if deal.responsible_id:
        uow.add(m.Task(**start_task_row(deal.id, deal.responsible_id, uow.clock.now())))


async def _send_card(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    """The interaction «Визитка компании» and its task for the executor, due with the stage's control."""
    now = uow.clock.now()
    due = stage.control.due(now) if stage.control else now + START_WITHIN
    task = uow.add(m.Task(title=None, code=CARD, responsible_id=deal.responsible_id, deal_id=deal.id,
                          due_at=due)) if deal.responsible_id else None
    await uow.flush()
    uow.add(m.Interaction(deal_id=deal.id, purpose=CARD, number=1, planned_at=now,
                          task_id=task.id if task else None))
    if task is not None:
        uow.feed.tell(deal.id, None, said.reminder(task), task_id=task.id)


async def _reroute_task(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    """A task for the head of the counterparty's access group — every admin when the group has no head — to pick
    an executor from the group."""
    client = await uow.clients.get(deal.client_id) if deal.client_id else None
    group = await uow.access_groups.get(client.access_group_id) if client and client.access_group_id else None
    heads = ([group.head_id] if group and group.head_id else [u.id for u in await uow.users.with_role(Role.ADMIN)])
    now = uow.clock.now()
    for head in heads:
        uow.add(m.Task(title=None, code=REROUTE, responsible_id=head, deal_id=deal.id,
                       due_at=now + START_WITHIN))
        uow.outbox.notify(head, RerouteAsked(deal_id=deal.id, name=deal.name, group=group.name if group else "—"))
    uow.feed.tell(deal.id, None, said.Reminder(code=REROUTE))


async def plan_call(uow: UnitOfWork, deal: m.Deal, after: datetime) -> m.Interaction | None:
    """The next call by the counterparty's cadence, counted from ``after``, with its task (the scheduler reminds of
    it as of any task); nothing when the counterparty has no cadence or the deal no executor."""
    client = await uow.clients.get(deal.client_id) if deal.client_id else None
    cadence = await uow.cadences.get(client.cadence_id) if client and client.cadence_id else None
    if cadence is None or not deal.responsible_id:
        return None
    n = await uow.interactions.last_number(deal.id, CALL) + 1
    executor = await uow.users.get(deal.responsible_id)
    # a month on is counted on the executor's calendar: 31 January 23:30 in Moscow plans 28 February 23:30 there
    when = Period(cadence.count, Unit(cadence.unit)).after(after.astimezone(ZoneInfo(executor.timezone))
                                                           ).astimezone(UTC)
    task = uow.add(m.Task(title=None, code=CALL, params={"n": n}, responsible_id=deal.responsible_id,
                          deal_id=deal.id, due_at=when))
    await uow.flush()
    uow.feed.tell(deal.id, None, said.reminder(task), task_id=task.id)
    return uow.add(m.Interaction(deal_id=deal.id, purpose=CALL, number=n, planned_at=when, task_id=task.id))


async def _plan_calls(uow: UnitOfWork, deal: m.Deal, stage: Stage) -> None:
    if await uow.interactions.open(deal.id, CALL) is None:
        await plan_call(uow, deal, uow.clock.now())


ON_ENTER = {OnEnter.START_TASK: _start_task, OnEnter.SEND_CARD: _send_card, OnEnter.REROUTE_TASK: _reroute_task,
            OnEnter.PLAN_CALLS: _plan_calls, **order_effects.ON_ENTER}
