"""Tasks follow the process (seed 001, issue 28): a task made for a stage closes when the deal leaves that stage —
done when the stage's key was met, cancelled when the deal went another way — and every open task of a deal closes
when the deal closes; who and why are kept on the task (``closed_by``, ``close_reason``). Reactions to the stage
engine's events (core.services.kernel.reactions declares them)."""

from __future__ import annotations

from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import PAID_STAGE, SELLING_TASKS, TASK_STAGE
from core.domain.kernel import feed as said
from core.domain.kernel.events import DealClosed, StageEntered
from core.domain.kernel.tasks import TaskClose, TaskStatus


async def on_stage_entered(uow: UnitOfWork, event: StageEntered) -> None:
    """The open tasks made for the stage the deal left close: done when it went on, cancelled otherwise. The order
    paid ends the calls and the follow-ups (the shipping task stays), and the feed says how many closed."""
    if event.left is None or event.left == event.entered or event.closes:  # closing: DealClosed closed them all
        return
    if event.entered == PAID_STAGE:
        n = await uow.tasks.close_open(event.deal_id, list(SELLING_TASKS), status=TaskStatus.CANCELLED,
                                       reason=TaskClose.DEAL_PAID, by=event.actor_id, at=uow.clock.now())
        if n:
            uow.feed.tell(event.deal_id, event.actor_id, said.TasksClosed(count=n, reason=TaskClose.DEAL_PAID))
    codes = [code for code, stage in TASK_STAGE.items() if stage == event.left]
    await uow.tasks.close_open(event.deal_id, codes, status=TaskStatus.DONE if event.key_met else TaskStatus.CANCELLED,
                               reason=TaskClose.KEY_MET if event.key_met else TaskClose.STAGE_LEFT,
                               by=event.actor_id, at=uow.clock.now())


async def on_deal_closed(uow: UnitOfWork, event: DealClosed) -> None:
    """Every open task of the deal closes with it, whoever holds it; the feed says how many."""
    n = await uow.tasks.close_open(event.deal_id, None, status=TaskStatus.CANCELLED, reason=TaskClose.DEAL_CLOSED,
                                   by=event.actor_id, at=uow.clock.now())
    if n:
        uow.feed.tell(event.deal_id, event.actor_id, said.TasksClosed(count=n, reason=TaskClose.DEAL_CLOSED))
