"""The leasing application's life (seed 000): statuses, the transition table and who moves it."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from core.domain.kernel import moves
from core.domain.kernel.roles import Role


class AppStatus(StrEnum):
    MODERATION = "moderation"  # submitted, waiting for an admin
    CLARIFICATION = "clarification"  # an admin asked the applicant a question
    REJECTED = "rejected"
    DISPATCHED = "dispatched"  # sent to matching managers, collecting offers
    DOCUMENTS = "documents"  # «Сбор документов»: offers chosen, deal room open
    APPROVED = "approved"  # «Одобрено»
    REWORK = "rework"  # «Доработка»
    ISSUED = "issued"  # «Выдано», final


class Actor(StrEnum):
    """Who may perform a transition; resolved against the application by the service."""

    ADMIN = "admin"
    APPLICANT = "applicant"  # whoever filed the application
    CHOOSER = "chooser"  # the client, or an admin on the client's behalf
    CHOSEN_MANAGER = "chosen_manager"


#: the one table of legal moves: (from, to) -> who may make it
TRANSITIONS: dict[tuple[AppStatus, AppStatus], frozenset[Actor]] = {
    (AppStatus.MODERATION, AppStatus.DISPATCHED): frozenset({Actor.ADMIN}),
    (AppStatus.MODERATION, AppStatus.REJECTED): frozenset({Actor.ADMIN}),
    (AppStatus.MODERATION, AppStatus.CLARIFICATION): frozenset({Actor.ADMIN}),
    (AppStatus.CLARIFICATION, AppStatus.MODERATION): frozenset({Actor.APPLICANT}),
    (AppStatus.DISPATCHED, AppStatus.DOCUMENTS): frozenset({Actor.CHOOSER}),
    (AppStatus.DOCUMENTS, AppStatus.APPROVED): frozenset({Actor.CHOSEN_MANAGER, Actor.ADMIN}),
    (AppStatus.DOCUMENTS, AppStatus.REWORK): frozenset({Actor.CHOSEN_MANAGER, Actor.ADMIN}),
    (AppStatus.REWORK, AppStatus.APPROVED): frozenset({Actor.CHOSEN_MANAGER, Actor.ADMIN}),
    (AppStatus.APPROVED, AppStatus.REWORK): frozenset({Actor.CHOSEN_MANAGER, Actor.ADMIN}),
    (AppStatus.APPROVED, AppStatus.ISSUED): frozenset({Actor.CHOSEN_MANAGER, Actor.ADMIN}),
}

FINAL = frozenset({AppStatus.ISSUED, AppStatus.REJECTED})
#: statuses in which the application is a deal: the room is open
DEAL_STATUSES = frozenset({AppStatus.DOCUMENTS, AppStatus.APPROVED, AppStatus.REWORK, AppStatus.ISSUED})
#: transitions that need a comment
COMMENT_REQUIRED = frozenset({AppStatus.REWORK, AppStatus.REJECTED, AppStatus.CLARIFICATION})
#: deal-stage moves a chosen manager or an admin makes with a button
DEAL_MOVES = (AppStatus.APPROVED, AppStatus.REWORK, AppStatus.ISSUED)


def check_transition(current: AppStatus, target: AppStatus, actors: set[Actor]) -> None:
    """Raise unless ``target`` is reachable from ``current`` by one of ``actors``."""
    moves.check(TRANSITIONS, current, target, actors, "transition_forbidden", "status.")


def actors_for(
    *, role: Role | Iterable[Role], user_id: int, applicant_id: int, client_user_id: int | None,
    chosen_manager_ids: set[int]
) -> set[Actor]:
    """The capacities in which ``user_id`` stands towards one application (``role``: one, or every role the person
    holds)."""
    roles = {role} if isinstance(role, str) else set(role)
    actors: set[Actor] = set()
    if Role.ADMIN in roles:
        actors |= {Actor.ADMIN, Actor.CHOOSER}
    if user_id == applicant_id:
        actors.add(Actor.APPLICANT)
    if client_user_id is not None and user_id == client_user_id:
        actors.add(Actor.CHOOSER)
    if Role.MANAGER in roles and user_id in chosen_manager_ids:
        actors.add(Actor.CHOSEN_MANAGER)
    return actors


def allowed_targets(current: AppStatus, actors: set[Actor]) -> list[AppStatus]:
    """The moves from ``current`` that these actors may make, in the table's order."""
    return moves.targets(TRANSITIONS, current, actors)
