"""Domain events: what happened, as facts, for the areas that react to it. A use case raises one where it happens
(``reactions.publish(uow, event)``, inside its unit of work); which areas react, and how, is declared in one table
(``core.services.reactions.REACTIONS``), not wired by hand where the thing happens. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TaskDone:
    """A person marked a task done (by hand)."""

    task_id: int
    actor_id: int


@dataclass(frozen=True)
class StageEntered:
    """A deal of a process entered a stage; ``left`` is the stage it left (None for the first), ``key_met`` whether
    it went on the way the process leads when the stage is done (its key held, its branch chosen), not closed or
    moved elsewhere."""

    deal_id: int
    process: str
    entered: str
    left: str | None
    key_met: bool
    actor_id: int | None
    closes: bool = False  # the stage entered is the process's closed one (DealClosed is raised too)


@dataclass(frozen=True)
class DealClosed:
    """A deal closed: a process's deal with a reason (by hand, by a deadline, by a rule), or any deal moved to a final
    status."""

    deal_id: int
    reason: str | None
    actor_id: int | None


@dataclass(frozen=True)
class ManagerReady:
    """A person became a manager (an invite accepted, a role given) or changed what they take (their profile): what
    is still open and matches them now may reach them."""

    user_id: int


@dataclass(frozen=True)
class LeaseEnded:
    """A lessor's contract reached an end (core.domain.leasing.case: «closed» — settled, bought out unless its object
    came back —, «terminated» before its term, its object «returned»); ``actor_id`` None: it ended by itself."""

    deal_id: int
    status: str
    actor_id: int | None


Event = TaskDone | StageEntered | DealClosed | ManagerReady | LeaseEnded
