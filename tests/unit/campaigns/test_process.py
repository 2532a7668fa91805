"""The stage engine (seed 001): «Холодный обзвон», stages 1–14, a test per stage row — its key, its deadline and
what the deadline does, what entering it sets off, where it may go next; and that every refusal reads in both
languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import Translator
from core.domain.campaigns.quotes import ANSWER_STAGE, Answer
from core.domain.campaigns.stages import (
    COLD_CALL,
    NO_CONTACT,
    Expiry,
    Facts,
    Key,
    OnEnter,
    OnExpire,
    ReasonRequired,
    StageKeyMissing,
    check_move,
    expired,
    next_follow_up,
    next_stage,
)
from core.domain.kernel.errors import IllegalTransition

T = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)  # a Friday evening: the deadlines count calendar days
ALL = Facts(keys=frozenset(Key))


def test_the_process_is_whole():
    codes = [s.code for s in COLD_CALL.stages]
    assert codes == ["contact", "qualify", "card", "reroute", "needs", "quote", "approval", "send", "wait",
                     "analysis", "order", "purchase", "invoice", "payment", "paid", "closed"]
    assert COLD_CALL.first.code == "contact" and COLD_CALL.stage("closed").final
    for stage in COLD_CALL.stages:
        assert set(stage.next) <= set(codes), stage.code
        assert stage.final or COLD_CALL.closed in stage.next, stage.code  # every open stage may be closed


def test_stage_1_first_contact_and_the_survey():
    stage = COLD_CALL.stage("contact")
    assert (stage.key, stage.on_enter, stage.next) == (Key.SURVEY_DONE, (OnEnter.START_TASK,), ("qualify", "closed"))
    with pytest.raises(StageKeyMissing) as refused:
        check_move(COLD_CALL, "contact", "qualify", Facts())
    assert refused.value.missing == Key.SURVEY_DONE
    check_move(COLD_CALL, "contact", "qualify", Facts(keys=frozenset({Key.SURVEY_DONE})))
    with pytest.raises(ReasonRequired):
        check_move(COLD_CALL, "contact", "closed", Facts(), reason="  ")
    check_move(COLD_CALL, "contact", "closed", Facts(), reason="Номер не существует")
    # 10 calendar days: not a minute before, then the deal closes itself as «НЕ УСТАНОВЛЕН КОНТАКТ»
    assert expired(COLD_CALL, "contact", T, T + timedelta(days=10) - timedelta(minutes=1)) is None
    assert expired(COLD_CALL, "contact", T, T + timedelta(days=10)) == Expiry(OnExpire.CLOSE, NO_CONTACT)


def test_stage_2_qualify_the_client():
    stage = COLD_CALL.stage("qualify")
    assert (stage.key, stage.next) == (Key.ACCESS_GROUP, ("card", "closed"))
    with pytest.raises(StageKeyMissing) as refused:
        check_move(COLD_CALL, "qualify", "card", Facts(keys=frozenset({Key.SURVEY_DONE})))
    assert refused.value.missing == Key.ACCESS_GROUP
    check_move(COLD_CALL, "qualify", "card", Facts(keys=frozenset({Key.ACCESS_GROUP})))
    assert expired(COLD_CALL, "qualify", T, T + timedelta(hours=23)) is None
    assert expired(COLD_CALL, "qualify", T, T + timedelta(days=1)) == Expiry(OnExpire.REMIND_HEAD, None)


def test_stage_3_the_business_card_then_the_access_group_decides():
    stage = COLD_CALL.stage("card")
    assert (stage.key, stage.on_enter) == (Key.INTERACTION_DONE, (OnEnter.SEND_CARD,))
    with pytest.raises(StageKeyMissing):
        check_move(COLD_CALL, "card", "needs", Facts(keys=frozenset({Key.ACCESS_GROUP})))
    own = Facts(keys=frozenset(Key), group_matches=True)
    other = Facts(keys=frozenset(Key), group_matches=False)
    check_move(COLD_CALL, "card", "needs", own)
    check_move(COLD_CALL, "card", "reroute", other)
    with pytest.raises(IllegalTransition):
        check_move(COLD_CALL, "card", "reroute", own)  # the executor's own group: nobody to reroute to
    with pytest.raises(IllegalTransition):
        check_move(COLD_CALL, "card", "needs", other)  # another group's client goes to its head first
    assert (next_stage(COLD_CALL, "card", own), next_stage(COLD_CALL, "card", other)) == ("needs", "reroute")
    assert expired(COLD_CALL, "card", T, T + timedelta(days=1)) == Expiry(OnExpire.REMIND_HEAD, None)


def test_stage_4_rerouting_by_the_clients_group():
    stage = COLD_CALL.stage("reroute")
    assert (stage.key, stage.control, stage.on_enter) == (None, None, (OnEnter.REROUTE_TASK,))
    check_move(COLD_CALL, "reroute", "needs", Facts())
    assert next_stage(COLD_CALL, "reroute", Facts()) == "needs"
    assert expired(COLD_CALL, "reroute", T, T + timedelta(days=365)) is None


def test_stage_5_the_clients_needs():
    stage = COLD_CALL.stage("needs")
    assert (stage.key, stage.control, stage.on_enter) == (None, None, (OnEnter.PLAN_CALLS,))
    assert expired(COLD_CALL, "needs", T, T + timedelta(days=3650)) is None
    assert next_stage(COLD_CALL, "needs", ALL) == "quote"  # by hand: the executor starts a КП
    with pytest.raises(IllegalTransition):
        check_move(COLD_CALL, "needs", "contact", ALL)


def test_stages_6_and_7_the_offer_and_its_nested_approval():
    assert COLD_CALL.stage("quote").key == Key.QUOTE_SUBMITTED
    with pytest.raises(StageKeyMissing):  # a draft does not leave stage 6
        check_move(COLD_CALL, "quote", "approval", Facts())
    check_move(COLD_CALL, "quote", "approval", Facts(keys=frozenset({Key.QUOTE_SUBMITTED})))
    approval = COLD_CALL.stage("approval")
    assert approval.sub is not None and approval.sub.code == "approval"  # the standard approval, nested
    assert [s.code for s in approval.sub.stages] == ["pending", "approved", "returned"]
    with pytest.raises(StageKeyMissing):  # nobody decided yet
        check_move(COLD_CALL, "approval", "send", Facts(keys=frozenset({Key.QUOTE_SUBMITTED})))
    decided = frozenset({Key.APPROVAL_DECIDED})
    approved, returned = Facts(keys=decided, approved=True), Facts(keys=decided, approved=False)
    assert (next_stage(COLD_CALL, "approval", approved), next_stage(COLD_CALL, "approval", returned)) == (
        "send", "quote")
    check_move(COLD_CALL, "approval", "quote", returned)
    with pytest.raises(IllegalTransition):  # a returned КП never reaches the client
        check_move(COLD_CALL, "approval", "send", returned)


def test_stages_8_and_9_sending_and_the_weekly_follow_up():
    send = COLD_CALL.stage("send")
    assert (send.key, send.on_enter) == (Key.QUOTE_SENT, (OnEnter.SEND_QUOTE,))
    with pytest.raises(StageKeyMissing):
        check_move(COLD_CALL, "send", "wait", Facts())
    wait = COLD_CALL.stage("wait")
    assert (wait.key, wait.control.days, wait.control.on_expire) == (None, 7, OnExpire.FOLLOW_UP)
    assert expired(COLD_CALL, "wait", T, T + timedelta(days=7) - timedelta(seconds=1)) is None
    assert expired(COLD_CALL, "wait", T, T + timedelta(days=7)) == Expiry(OnExpire.FOLLOW_UP, None)
    # again a week later while the deal waits; weeks the bot was down are not made up one by one
    assert next_follow_up(T, T + timedelta(days=7)) == T + timedelta(days=14)
    assert next_follow_up(T, T + timedelta(days=30)) == T + timedelta(days=35)


@pytest.mark.parametrize(("answer", "stage"), [(Answer.ORDER, "order"), (Answer.REWORK, "quote"),
                                               (Answer.REFUSAL, "needs")])
def test_stage_10_the_answer_chooses_11_6_or_5(answer, stage):
    facts = Facts(keys=frozenset({Key.ANSWER_GIVEN}), answer_stage=ANSWER_STAGE[answer])
    assert next_stage(COLD_CALL, "analysis", facts) == stage
    check_move(COLD_CALL, "analysis", stage, facts)
    for other in {"order", "quote", "needs"} - {stage}:
        with pytest.raises(IllegalTransition):
            check_move(COLD_CALL, "analysis", other, facts)
    with pytest.raises(StageKeyMissing):  # no answer yet
        check_move(COLD_CALL, "analysis", stage, Facts())


def test_stages_11_to_14_order_to_cash():
    rows = [(s.code, s.key, s.on_enter) for s in COLD_CALL.stages[10:15]]
    assert rows == [("order", Key.ORDER_MADE, (OnEnter.MAKE_ORDER,)),
                    ("purchase", Key.ORDER_TASKS_DONE, (OnEnter.ORDER_TASKS,)),
                    ("invoice", Key.INVOICE_SENT, (OnEnter.SEND_INVOICE,)),
                    ("payment", Key.ORDER_PAID, (OnEnter.SHIPPING_TASK,)),
                    ("paid", None, ())]
    with pytest.raises(StageKeyMissing) as refused:  # the order's payment is the key, and nothing else
        check_move(COLD_CALL, "payment", "paid", Facts(keys=frozenset(set(Key) - {Key.ORDER_PAID})))
    assert refused.value.missing == Key.ORDER_PAID
    check_move(COLD_CALL, "payment", "paid", Facts(keys=frozenset({Key.ORDER_PAID})))
    assert COLD_CALL.stage("paid").final


def test_a_closed_deal_moves_no_more():
    with pytest.raises(IllegalTransition):
        check_move(COLD_CALL, "closed", "contact", ALL, reason="снова")
    assert expired(COLD_CALL, "closed", T, T + timedelta(days=100)) is None


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_refusal_reads_in_the_readers_language(locale):
    t = Translator(locale)
    for key in Key:
        text = t.error(StageKeyMissing(stage="Квалифицировать клиента", missing=key))
        assert "Квалифицировать клиента" in text and not text.startswith("errors."), key
    assert t.error(ReasonRequired()) != t("errors.generic")
