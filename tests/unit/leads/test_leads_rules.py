from datetime import UTC, datetime, timedelta

import pytest

from core.domain.kernel.errors import IllegalTransition
from core.domain.leads.lifecycle import (
    CHOSEN_JUNK,
    FINAL,
    TRANSITIONS,
    Assignment,
    CallPolicy,
    DuplicateLead,
    FunnelRow,
    LeadStatus,
    MeetingTimeRequired,
    NoAnswerNoAttempts,
    NoAnswerTooEarly,
    TaskCode,
    check_no_answer,
    check_transition,
    funnel,
    original_of,
    pick_responsible,
    plan_tasks,
)

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
S = LeadStatus


def test_the_seed_statuses_are_all_there():
    assert len(LeadStatus) == 14 and len(CHOSEN_JUNK) == 6


@pytest.mark.parametrize(("current", "target"), [(c, t) for c, ts in TRANSITIONS.items() for t in sorted(ts)])
def test_table_moves_pass(current, target):
    check_transition(current, target)


@pytest.mark.parametrize("final", sorted(FINAL - {S.DUPLICATE}))
def test_final_statuses_stay(final):
    with pytest.raises(IllegalTransition):
        check_transition(final, S.CALLING)


def test_nobody_sets_duplicate_by_hand_and_a_duplicate_is_not_worked():
    with pytest.raises(IllegalTransition):
        check_transition(S.NEW, S.DUPLICATE)
    with pytest.raises(DuplicateLead):
        check_transition(S.DUPLICATE, S.CALLING)


def test_a_contract_comes_after_a_visit():
    with pytest.raises(IllegalTransition):
        check_transition(S.NEW, S.CONTRACT)
    check_transition(S.VISITED, S.CONTRACT_PREPAID)


def test_no_answer_needs_three_attempts_over_two_days():
    policy = CallPolicy(attempts=3, span=timedelta(days=2))
    with pytest.raises(NoAnswerTooEarly) as exc:
        check_no_answer([T0, T0 + timedelta(hours=3)], policy)
    assert exc.value.params == {"done": 2, "required": 3, "after": T0 + timedelta(days=2)}
    with pytest.raises(NoAnswerTooEarly):  # three, but all within a day and a half
        check_no_answer([T0, T0 + timedelta(hours=5), T0 + timedelta(hours=36)], policy)
    with pytest.raises(NoAnswerNoAttempts) as exc:  # no attempt: no day to name
        check_no_answer([], policy)
    assert exc.value.params == {"required": 3}
    check_no_answer([T0 + timedelta(days=2), T0, T0 + timedelta(days=1)], policy)


def test_the_original_is_the_oldest_open_lead_with_the_phone():
    assert original_of([(7, S.CALLING), (3, S.NEW), (1, S.CONTRACT)]) == 3
    assert original_of([(1, S.CONTRACT), (2, S.REFUSED)]) is None
    assert original_of([]) is None


def test_auto_tasks():
    assert plan_tasks(S.NEW, T0) == [plan_tasks(S.NEW, T0)[0]] and plan_tasks(S.NEW, T0)[0].code == TaskCode.CONTACT
    calling = plan_tasks(S.CALLING, T0, cadence_days=(1, 2, 4))
    assert [(p.code, (p.due_at - T0).days) for p in calling] == [
        (TaskCode.CONTACT, 0), (TaskCode.WHATSAPP, 0), (TaskCode.CONTACT, 1), (TaskCode.WHATSAPP, 1),
        (TaskCode.CONTACT, 2), (TaskCode.WHATSAPP, 2), (TaskCode.CONTACT, 4), (TaskCode.WHATSAPP, 4)]
    meeting = plan_tasks(S.MEETING, T0, meeting_at=T0 + timedelta(days=3))
    assert [(p.code, p.due_at) for p in meeting] == [(TaskCode.SEND_ADDRESS, T0),
                                                    (TaskCode.CONFIRM_MEETING, T0 + timedelta(days=2))]
    with pytest.raises(MeetingTimeRequired):
        plan_tasks(S.MEETING, T0)
    assert [p.code for p in plan_tasks(S.VISITED, T0)] == [TaskCode.UPDATE_NEEDS]
    assert plan_tasks(S.CALLING, T0, enabled=frozenset({TaskCode.WHATSAPP}))[0].code == TaskCode.WHATSAPP
    assert plan_tasks(S.POSTPONED, T0) == []


def test_funnel_counts_later_stages_for_earlier_ones():
    rows = funnel([
        ("Сайт", [S.NEW, S.CALLING, S.MEETING]),
        ("Сайт", [S.NEW, S.MEETING, S.VISITED, S.CONTRACT]),
        ("Сайт", [S.NEW, S.NOT_LEFT]),
        ("Радио", [S.NEW, S.MEETING, S.VISITED, S.CONTRACT_PREPAID]),
    ])
    assert rows == [FunnelRow("Радио", 1, 1, 1, 1, 1), FunnelRow("Сайт", 3, 2, 1, 1, 0)]  # prepaid: a contract too



@pytest.mark.parametrize(("default", "load", "expected"), [
    (7, {1: 0, 2: 5}, (7, Assignment.SOURCE)),  # the source's default responsible, whatever the load
    (None, {1: 3, 2: 1, 3: 1}, (2, Assignment.FEWEST)),  # the fewest open leads; a tie: the lowest id
    (None, {4: 0}, (4, Assignment.FEWEST)),
    (None, {}, (None, Assignment.NOBODY)),  # nobody works leads
])
def test_who_gets_a_lead_that_arrives_by_itself(default, load, expected):
    assert pick_responsible(default, load) == expected


def test_sharing_by_the_fewest_open_leads_goes_round_while_the_load_is_even():
    load, order = {10: 0, 11: 0, 12: 0}, []
    for _ in range(6):
        who, _how = pick_responsible(None, load)
        order.append(who)
        load[who] += 1
    assert order == [10, 11, 12, 10, 11, 12]


def test_a_sales_teams_junk_is_neutral_a_law_firms_keeps_the_small_debt():
    from core.domain.kernel.deployment import LeadPipeline
    from core.domain.leads.lifecycle import FIRST_DEAL_STATUS, offered

    assert LeadStatus.SMALL_DEBT not in offered(LeadPipeline.SALES)
    assert offered(LeadPipeline.LAW) == list(LeadStatus)
    with pytest.raises(IllegalTransition):
        check_transition(LeadStatus.CALLING, LeadStatus.SMALL_DEBT, pipeline=LeadPipeline.SALES)
    check_transition(LeadStatus.CALLING, LeadStatus.SMALL_DEBT, pipeline=LeadPipeline.LAW)
    check_transition(LeadStatus.CALLING, LeadStatus.OTHER_CITY, pipeline=LeadPipeline.SALES)
    assert FIRST_DEAL_STATUS == {LeadPipeline.SALES: "new", LeadPipeline.LAW: "documents"}
