import itertools

import pytest

from core.domain.kernel.errors import Forbidden, IllegalTransition
from core.domain.kernel.roles import Role
from core.domain.marketplace.applications import (
    DEAL_STATUSES,
    TRANSITIONS,
    Actor,
    AppStatus,
    actors_for,
    allowed_targets,
    check_transition,
)

LEGAL = [(frm, to, min(who)) for (frm, to), who in TRANSITIONS.items()]
#: every pair of statuses the table has no move for: each one is a case that asserts the refusal
ILLEGAL = [(frm, to) for frm in AppStatus for to in AppStatus if (frm, to) not in TRANSITIONS]


@pytest.mark.parametrize(("current", "target", "actor"), LEGAL)
def test_every_legal_move_passes_for_its_actor(current, target, actor):
    check_transition(current, target, {actor})
    assert target in allowed_targets(current, {actor})


def test_the_pairs_split_into_legal_and_illegal():
    assert len(LEGAL) + len(ILLEGAL) == len(AppStatus) ** 2 and ILLEGAL


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_moves_outside_the_table_are_refused(current, target):
    with pytest.raises(IllegalTransition) as exc:
        check_transition(current, target, set(Actor))
    assert exc.value.params == {"current": current.value, "target": target.value}


def test_issued_is_final():
    assert allowed_targets(AppStatus.ISSUED, set(Actor)) == []


def test_the_seed_path_from_moderation_to_issued():
    path = [AppStatus.MODERATION, AppStatus.DISPATCHED, AppStatus.DOCUMENTS, AppStatus.REWORK, AppStatus.APPROVED,
            AppStatus.ISSUED]
    for a, b in itertools.pairwise(path):
        check_transition(a, b, set(Actor))


def test_a_manager_who_was_not_chosen_cannot_move_the_deal():
    with pytest.raises(Forbidden):
        check_transition(AppStatus.DOCUMENTS, AppStatus.APPROVED, {Actor.APPLICANT})


def test_the_client_chooses_but_does_not_moderate():
    actors = actors_for(role=Role.CLIENT, user_id=5, applicant_id=5, client_user_id=5, chosen_manager_ids=set())
    assert actors == {Actor.APPLICANT, Actor.CHOOSER}
    with pytest.raises(Forbidden):
        check_transition(AppStatus.MODERATION, AppStatus.DISPATCHED, actors)
    check_transition(AppStatus.DISPATCHED, AppStatus.DOCUMENTS, actors)


def test_an_agent_applicant_is_not_the_chooser():
    actors = actors_for(role=Role.AGENT, user_id=7, applicant_id=7, client_user_id=None, chosen_manager_ids=set())
    assert Actor.CHOOSER not in actors


def test_admin_chooses_on_the_clients_behalf():
    actors = actors_for(role=Role.ADMIN, user_id=1, applicant_id=7, client_user_id=None, chosen_manager_ids=set())
    assert {Actor.ADMIN, Actor.CHOOSER} <= actors


def test_chosen_manager_moves_the_deal():
    actors = actors_for(role=Role.MANAGER, user_id=3, applicant_id=7, client_user_id=None, chosen_manager_ids={3})
    assert allowed_targets(AppStatus.DOCUMENTS, actors) == [AppStatus.APPROVED, AppStatus.REWORK]
    assert allowed_targets(AppStatus.APPROVED, actors) == [AppStatus.REWORK, AppStatus.ISSUED]


def test_deal_statuses():
    assert AppStatus.DISPATCHED not in DEAL_STATUSES and AppStatus.ISSUED in DEAL_STATUSES
