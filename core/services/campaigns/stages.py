"""The stage engine at work (seed 001): a deal enters the first stage of its process, moves on only when the stage's
exit key holds (closing always, with a reason), and the scheduler acts, once, on every control deadline that passed
— for every entry point (the chat, the Mini App's drag, an import, the scheduler) through these functions.

Every stay is a row of ``deal_stages`` (entered, due, its deadline's action done, left, by whom); every move and
every automatic action is in the audit trail and the deal's feed."""

from __future__ import annotations

from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import stages as rules
from core.domain.campaigns.orders import Paid
from core.domain.campaigns.quotes import ANSWER_STAGE, Answer, QuoteStatus
from core.domain.campaigns.stages import (
    COLD_CALL,
    ORDER_STAGES,
    QUOTE_STAGES,
    Facts,
    Key,
    OnEnter,
    OnExpire,
    Process,
    Purpose,
)
from core.domain.deals import Pipeline
from core.domain.kernel import feed as said
from core.domain.kernel.errors import InvalidInput, found
from core.domain.kernel.events import DealClosed, StageEntered
from core.domain.kernel.notices import StageClosed, StageOverdue, StagesClosed
from core.domain.kernel.permissions import Action, Area, Permission
from core.domain.kernel.roles import Role
from core.domain.kernel.tasks import TaskStatus
from core.services.campaigns import order_effects
from core.services.campaigns import stage_effects as effects
from core.services.kernel import access, reactions, teams
from core.services.kernel.config import CoreConfig
from core.services.kernel.deal_access import editable, ensure, tell

PROCESSES: dict[str, Process] = {Pipeline.COLD_CALL: COLD_CALL}  # a pipeline moved by a process: its process
SUBMITTED = frozenset({QuoteStatus.APPROVAL, QuoteStatus.APPROVED, QuoteStatus.SENT, QuoteStatus.ACCEPTED})
ANSWERED = {QuoteStatus.ACCEPTED: Answer.ORDER, QuoteStatus.REWORK: Answer.REWORK,
            QuoteStatus.REFUSED: Answer.REFUSAL}


def process_of(deal: m.Deal) -> Process | None:
    return PROCESSES.get(deal.pipeline)


async def enter(uow: UnitOfWork, deal: m.Deal, code: str, actor_id: int | None, *, reason: str | None = None) -> None:
    """Inside an open unit of work: the deal leaves its stage and enters ``code`` (its status follows), due by the
    stage's control deadline; the feed and the audit trail say so; what entering the stage sets off happens."""
    process = process_of(deal)
    now = uow.clock.now()
    stay = await uow.stages.current(deal.id)
    key_met = False
    if stay is not None:
        stay.left_at, stay.left_by = now, actor_id
        key_met = code != process.closed and code == rules.next_stage(process, stay.stage,
                                                                      await facts(uow, deal, stay.stage))
    stage = process.stage(code)
    uow.stages.add(m.DealStage(deal_id=deal.id, process=process.code, stage=code, entered_at=now, entered_by=actor_id,
                               due_at=stage.control.due(now) if stage.control else None, reason=reason))
    status = await uow.statuses.first(deal.pipeline, code)
    was = await uow.statuses.get(deal.status_id) if stay is not None else None
    deal.status_id = status.id
    tell(uow, deal, actor_id, said.moved(deal.pipeline, status, was, reason))
    text = (f"{was.name} → {status.name}" if was else status.name) + (f": {reason}" if reason else "")
    uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="stage",
                     from_status=stay.stage if stay else None, to_status=code, comment=text)
    if code == process.closed:  # first: what closes with the deal says so
        await reactions.publish(uow, DealClosed(deal_id=deal.id, reason=reason, actor_id=actor_id))
    await reactions.publish(uow, StageEntered(deal_id=deal.id, process=process.code, entered=code,
                                              left=stay.stage if stay else None, key_met=key_met, actor_id=actor_id,
                                              closes=code == process.closed))
    for effect in stage.on_enter:
        await effects.ON_ENTER[effect](uow, deal, stage)


async def start(uow: UnitOfWork, deal: m.Deal, actor_id: int | None) -> None:
    """Inside the use case that opens the deal: it enters its process's first stage."""
    await uow.flush()
    await enter(uow, deal, process_of(deal).first.code, actor_id)


async def start_many(uow: UnitOfWork, pipeline: Pipeline, deals: list[tuple[int, int]], actor_id: int | None) -> None:
    """New deals (``(id, executor)``, a campaign's posting) enter the process's first stage together: one statement
    per table for all of them — their stays, the feed's and the audit trail's lines, and the tasks entering the
    stage sets off (the first stage's only effect is the executor's «Приступить к сделке»)."""
    process = PROCESSES[pipeline]
    stage, now = process.first, uow.clock.now()
    if set(stage.on_enter) - {OnEnter.START_TASK}:
        raise NotImplementedError("a first stage that sets off more than a task is entered one deal at a time")
    status = await uow.statuses.first(pipeline, stage.code)
    due = stage.control.due(now) if stage.control else None
    await uow.stages.insert_many(m.DealStage, [
        {"deal_id": d, "process": process.code, "stage": stage.code, "entered_at": now, "entered_by": actor_id,
         "due_at": due} for d, _ in deals])
    await uow.stages.insert_many(m.FeedItem, [
        {"deal_id": d, "author_id": actor_id, "kind": entry.kind.value, "params": entry.data(), "created_at": now}
        for entry in (said.moved(pipeline, status),) for d, _ in deals])
    await uow.stages.insert_many(m.AuditLog, [
        {"entity": "deal", "entity_id": d, "actor_id": actor_id, "action": "stage", "to_status": stage.code,
         "comment": status.name, "created_at": now} for d, _ in deals])
    if OnEnter.START_TASK in stage.on_enter:
        await uow.stages.insert_many(m.Task, [effects.start_task_row(d, executor, now) for d, executor in deals])


async def facts(uow: UnitOfWork, deal: m.Deal, stage: str | None = None) -> Facts:
    """What the deal has done, for the exit keys: its survey answered in full, its counterparty's access group
    filled, the business card sent; and whether that group is one its executor works in (stage 4's branch). In the
    stages of the КП and the order (``stage``), theirs: the КП's version submitted, decided, sent, answered; the
    order made, its tasks done, its invoice sent, its payments covering it."""
    keys = set()
    answered, asked = await uow.surveys.progress(deal.id)
    if asked and answered >= asked:
        keys.add(Key.SURVEY_DONE)
    client = await uow.clients.get(deal.client_id) if deal.client_id else None
    group = client.access_group_id if client else None
    if group is not None:
        keys.add(Key.ACCESS_GROUP)
    if await uow.interactions.done(deal.id, effects.CARD):
        keys.add(Key.INTERACTION_DONE)
    matches = group is None or (deal.responsible_id is not None
                                and group in await uow.access_groups.of_user(deal.responsible_id))
    approved, answer_stage = False, None
    if stage in QUOTE_STAGES:
        quote = await uow.quotes.last(deal.id)
        status = QuoteStatus(quote.status) if quote else None
        if status in SUBMITTED:
            keys.add(Key.QUOTE_SUBMITTED)
        if status in (QuoteStatus.APPROVED, QuoteStatus.RETURNED):
            keys.add(Key.APPROVAL_DECIDED)
            approved = status == QuoteStatus.APPROVED
        if status in ANSWERED:
            keys.add(Key.ANSWER_GIVEN)
            answer_stage = ANSWER_STAGE[ANSWERED[status]]
        sent = await uow.interactions.last(deal.id, Purpose.QUOTE)
        if sent is not None and sent.done_at is not None:
            keys.add(Key.QUOTE_SENT)
    if stage in ORDER_STAGES and (order := await uow.order_money.of_process(deal.id)) is not None:
        keys.add(Key.ORDER_MADE)
        tasks_done = [await uow.tasks.get(t) for t in (order.purchase_task_id, order.contract_task_id) if t]
        if all(t is None or t.status == TaskStatus.DONE for t in tasks_done):
            keys.add(Key.ORDER_TASKS_DONE)
        invoice = await uow.interactions.last(deal.id, Purpose.INVOICE)
        if invoice is not None and invoice.done_at is not None:
            keys.add(Key.INVOICE_SENT)
        if Paid(order.amount, sum(await uow.order_money.paid(order.id), Decimal("0"))).full:
            keys.add(Key.ORDER_PAID)
    return Facts(keys=frozenset(keys), group_matches=matches, approved=approved, answer_stage=answer_stage)


async def advance(uow: UnitOfWork, deal: m.Deal, actor_id: int | None) -> bool:
    """Inside the use case that made a key hold (the last answer, the access group, the card sent): the deal goes
    on to the next stage at once, as the seed's «Переходит на следующий этап». Whether it moved."""
    process = process_of(deal)
    stay = await uow.stages.current(deal.id) if process else None
    if stay is None:
        return False
    stage = process.stage(stay.stage)
    facts_now = await facts(uow, deal, stay.stage)
    if stage.key is None or stage.key not in facts_now.keys:
        return False
    target = rules.next_stage(process, stay.stage, facts_now)
    if target is None:
        return False
    await enter(uow, deal, target, actor_id)
    return True


async def move(uow: UnitOfWork, actor_id: int, deal_id: int, target: str, *, reason: str | None = None) -> m.Deal:
    """A person moves a deal of a process to the stage ``target``: the table's edge, the stage's exit key, a reason
    to close it."""
    async with uow:
        deal = await move_in(uow, actor_id, deal_id, target, reason=reason)
        await uow.commit()
        return deal


async def move_in(uow: UnitOfWork, actor_id: int, deal_id: int, target: str, *, reason: str | None = None) -> m.Deal:
    """``move`` inside an open unit of work (the workspace's move, the Mini App's drag)."""
    _, deal = await editable(uow, actor_id, deal_id, Action.MOVE, Area.CAMPAIGNS)
    process = process_of(deal)
    if process is None:
        raise InvalidInput("invalid_input")
    stay = found(await uow.stages.current(deal.id))
    if target not in process.by_code:
        raise InvalidInput("stale_button")
    if process.stage(target).final:  # closing a deal is a permission of its own (issue 27)
        await ensure(uow, await access.actor(uow, actor_id), deal, Area.DEALS, Permission.CLOSE_DEAL)
    rules.check_move(process, stay.stage, target, await facts(uow, deal, stay.stage), reason=reason)
    await enter(uow, deal, target, actor_id, reason=reason.strip() if reason else None)
    return deal


async def scan_deadlines(uow: UnitOfWork, cfg: CoreConfig, limit: int = 500) -> int:
    """The scheduler's tick: every open stay whose control deadline passed gets its action, exactly once — the stay
    is marked in the same transaction as the action (a second scan, a second process, a restart after downtime
    never acts again; what fell due while the bot was down acts at the first scan). Returns how many acted."""
    now = uow.clock.now()
    async with uow:
        due = await uow.stages.due(now, limit)
        if not due:
            return 0
        await uow.stages.mark_expired([s.id for s in due], now)
        closed: dict[tuple[int, str | None], list[m.Deal]] = {}  # per executor and reason: one notice for all
        for stay in due:
            deal = await uow.deals.get(stay.deal_id)
            process = PROCESSES.get(deal.pipeline) if deal else None
            expiry = rules.expired(process, stay.stage, stay.entered_at, now) if process else None
            if expiry is None:
                continue
            if expiry.action == OnExpire.FOLLOW_UP:  # stage 9: and again a week later while the deal waits
                await order_effects.follow_up(uow, deal)
                await uow.stages.rearm(stay.id, rules.next_follow_up(stay.entered_at, now))
            elif expiry.action == OnExpire.CLOSE:
                await enter(uow, deal, process.closed, None, reason=expiry.reason)
                if deal.responsible_id:
                    closed.setdefault((deal.responsible_id, expiry.reason), []).append(deal)
            else:
                await _remind_head(uow, deal, process, stay.stage)
        for (who, reason), deals in closed.items():
            uow.outbox.notify(who, StageClosed(deal_id=deals[0].id, name=deals[0].name, reason=reason)
                              if len(deals) == 1 else
                              StagesClosed(deals=[[d.id, d.name] for d in deals], reason=reason))
        await uow.commit()
        return len(due)


async def head_of_deal(uow: UnitOfWork, deal: m.Deal, executor: m.User | None) -> int | None:
    """"The head" for a deal of a process (issue 27): the executor's head (the supervisor an admin set for them,
    else the head of their team, up the nesting), else the campaign's «Руководитель» (who formed it, when that is
    not the executor); None: nobody, so the admins."""
    head = await teams.head_id(uow, executor) if executor is not None else None
    if head is None:
        author = await uow.campaigns.author_of(deal.id)
        head = author if author is not None and (executor is None or author != executor.id) else None
    return head


async def _remind_head(uow: UnitOfWork, deal: m.Deal, process: Process, code: str) -> None:
    """«Напоминание» to the deal's head (``head_of_deal``), else every admin: «Сделка, Исполнитель, Этап,
    ПРОСРОЧЕН СРОК», and a line in the feed."""
    executor = await uow.users.get(deal.responsible_id) if deal.responsible_id else None
    head = await head_of_deal(uow, deal, executor)
    heads = [head] if head is not None else [u.id for u in await uow.users.with_role(Role.ADMIN)]
    status = await uow.statuses.first(deal.pipeline, code)
    stage = status.name if status else code  # the stage as the board names it (the seed's words, or the admin's)
    for head in heads:
        uow.outbox.notify(head, StageOverdue(deal_id=deal.id, name=deal.name,
                                             executor=executor.name if executor else "—", stage=stage,
                                             pipeline=deal.pipeline, code=code))
    tell(uow, deal, None, said.StageOverdue(process=process.code, stage=code))
    uow.audit.record(entity="deal", entity_id=deal.id, actor_id=None, action="stage_overdue", comment=stage)
