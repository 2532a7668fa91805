"""The stage engine (seed 001): «Холодный обзвон», stages 1–5, a test per stage row — its key, its deadline and
what the deadline does, what entering it sets off, where it may go next; and that every refusal reads in both
languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.i18n import Translator
from core.domain.errors import IllegalTransition
from core.domain.process import (
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
    next_stage,
)

T = datetime(2026, 11, 27, 18, 0, tzinfo=UTC)  # a Friday evening: the deadlines count calendar days
ALL = Facts(keys=frozenset(Key))


def test_the_process_is_whole():
    codes = [s.code for s in COLD_CALL.stages]
    assert codes == ["contact", "qualify", "card", "reroute", "needs", "closed"]
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
    assert next_stage(COLD_CALL, "needs", ALL) is None  # the next issue's stages 6–14 go on from here
    with pytest.raises(IllegalTransition):
        check_move(COLD_CALL, "needs", "contact", ALL)


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
