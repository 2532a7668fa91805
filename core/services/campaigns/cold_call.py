"""What a cold-call deal's panel shows (seed 001): its stage and control deadline, which exit key holds, the
survey's progress and answers, the counterparty as learned so far, the business card, the next call and
«Сотрудники по сделке»; and what this person may do there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns.stages import Key, Purpose
from core.domain.campaigns.stages import StageCode as S
from core.domain.campaigns.survey import Kind
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.permissions import Action, Area, Permission
from core.domain.kernel.roles import Role, holds
from core.domain.kernel.tasks import TaskStatus
from core.services.campaigns import stages, surveys
from core.services.kernel import access
from core.services.kernel.deal_access import ensure, may, visible_deal


@dataclass
class Panel:
    deal: m.Deal
    stage: str  # its code in the process
    stage_name: str  # as the statuses directory names it now
    due_at: datetime | None
    keys: frozenset[Key]
    answers: list[tuple[str, Kind, Any]]
    client: m.Client | None
    group: str | None
    cadence: str | None
    card: m.Interaction | None  # the business card's interaction (open or done)
    next_call: m.Interaction | None
    members: list[str] = field(default_factory=list)
    may_reroute: bool = False
    closed_status_id: int | None = None
    order_id: int | None = None  # the order built from the КП (stages 11–14)
    may_ship_unpaid: bool = False  # may set the counterparty's «отгрузка без оплаты» (Permission.SHIP_UNPAID)
    may_close: bool = False  # may close the deal (Permission.CLOSE_DEAL)


async def panel(uow: UnitOfWork, actor_id: int, deal_id: int) -> Panel:
    async with uow.standalone() as u:
        user = await u.users.get(actor_id)
        actor = await access.actor(u, actor_id, user)  # Forbidden for nobody
        deal = await visible_deal(u, actor, deal_id)
        await ensure(u, actor, deal, Area.CAMPAIGNS, Action.READ)
        process = stages.process_of(deal)
        stay = await u.stages.current(deal.id) if process else None
        if stay is None:
            raise InvalidInput("not_a_process_deal")
        status = await u.statuses.get(deal.status_id)
        closed = await u.statuses.first(deal.pipeline, process.closed)
        client = await u.clients.get(deal.client_id) if deal.client_id else None
        group = await u.access_groups.get(client.access_group_id) if client and client.access_group_id else None
        cadence = await u.cadences.get(client.cadence_id) if client and client.cadence_id else None
        cards = [i for i in await u.interactions.of_deal(deal.id) if i.purpose == Purpose.CARD]
        facts = await stages.facts(u, deal, stay.stage)
        order = await u.order_money.of_process(deal.id)
        call = await u.interactions.open(deal.id, Purpose.CALL)
        task = await u.tasks.get(call.task_id) if call is not None and call.task_id else None
        if task is not None and task.status != TaskStatus.OPEN:  # its task closed (the order paid, the deal closed)
            call = None
        return Panel(
            deal, stay.stage, status.name, stay.due_at, facts.keys, await surveys.answers(u, deal.id), client,
            group.name if group else None, cadence.name if cadence else None, cards[-1] if cards else None,
            call, [p.name for p in await u.members.of_deal(deal.id)],
            stay.stage == S.REROUTE and (holds(user, Role.ADMIN) or (group is not None and group.head_id == user.id)),
            closed.id if closed else None, order.id if order else None,
            await may(u, actor, deal, Area.CAMPAIGNS, Permission.SHIP_UNPAID),
            await may(u, actor, deal, Area.DEALS, Permission.CLOSE_DEAL))


@dataclass
class Stay:
    stage: str  # as the statuses directory names it now
    entered_at: datetime
    due_at: datetime | None
    expired_at: datetime | None
    left_at: datetime | None
    reason: str | None  # a person's words, or a code (core.domain.campaigns.stages.CLOSE_REASONS)
    code: str | None = None  # the stage's code: a seeded one is named in the reader's language unless renamed


@dataclass
class Export:
    """A cold-call deal as a file: what the panel shows, every stay in a stage, every interaction."""

    panel: Panel
    stays: list[Stay]
    interactions: list[m.Interaction]


async def export(uow: UnitOfWork, actor_id: int, deal_id: int) -> Export:
    shown = await panel(uow, actor_id, deal_id)  # who sees the deal may take its file
    async with uow.standalone() as u:
        names = {s.code: s.name for s in await u.statuses.of(shown.deal.pipeline, with_archived=True)}
        stays = [Stay(names.get(s.stage, s.stage), s.entered_at, s.due_at, s.expired_at, s.left_at, s.reason, s.stage)
                 for s in await u.stages.history(deal_id)]
        return Export(shown, stays, await u.interactions.of_deal(deal_id))
