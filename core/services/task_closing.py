"""Tasks follow the process (seed 001, issue 28): a task made for a stage closes when the deal leaves that stage —
done when the stage's key was met, cancelled when the deal went another way — and every open task of a deal closes
when the deal closes; who and why are kept on the task (``closed_by``, ``close_reason``). Reactions to the stage
engine's events (core.services.reactions declares them)."""

from __future__ import annotations

from core.db.uow import UnitOfWork
from core.domain.events import DealClosed, StageEntered
from core.domain.process import TASK_STAGE
from core.domain.tasks import TaskClose, TaskStatus


async def on_stage_entered(uow: UnitOfWork, event: StageEntered) -> None:
    """The open tasks made for the stage the deal left close: done when its key held, cancelled otherwise."""
    if event.left is None or event.left == event.entered:
        return
    codes = [code for code, stage in TASK_STAGE.items() if stage == event.left]
    how = TaskClose.KEY_MET if event.key_met else TaskClose.STAGE_LEFT
    status = TaskStatus.DONE if event.key_met else TaskStatus.CANCELLED
    now = uow.clock.now()
    for task in await uow.tasks.open_of_deal_codes(event.deal_id, codes):
        task.status, task.done_at, task.closed_by, task.close_reason = status, now, event.actor_id, how


async def on_deal_closed(uow: UnitOfWork, event: DealClosed) -> None:
    """Every open task of the deal closes with it, whoever holds it."""
    now = uow.clock.now()
    for task in await uow.tasks.open_of_deal_codes(event.deal_id, None):
        task.status, task.done_at, task.closed_by = TaskStatus.CANCELLED, now, event.actor_id
        task.close_reason = TaskClose.DEAL_CLOSED
