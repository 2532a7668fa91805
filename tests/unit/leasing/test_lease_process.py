"""A Polish lessor's application (seed 002): the transition table as data (each move and who makes it, everything
else refused), the consents, the securities and the documents each kind of client brings, recalculation locked
after the decision; the scoring automaton's table, verdicts, hard stops and missing facts."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from core.domain.kernel.access import Actor
from core.domain.kernel.errors import Forbidden, IllegalTransition, InvalidInput
from core.domain.kernel.permissions import Permission, may
from core.domain.kernel.roles import Role
from core.domain.leasing import case as lp
from core.domain.leasing import scoring as sc
from core.domain.leasing.case import Actor as A
from core.domain.leasing.case import ClientKind, Consent, Security
from core.domain.leasing.case import LeaseStatus as S

HAPPY = [(S.OFFER, S.DRAFT, A.CLIENT),
         (S.DRAFT, S.RISK_CHECK, A.SALES), (S.RISK_CHECK, S.ANALYSIS, A.SYSTEM), (S.ANALYSIS, S.MOTION, A.RISK),
         (S.MOTION, S.CONDITIONAL, A.RISK), (S.CONDITIONAL, S.SIGNING, A.SALES), (S.SIGNING, S.VERIFICATION, A.SALES),
         (S.VERIFICATION, S.SIGNING, A.BACK_OFFICE), (S.SIGNING, S.VERIFICATION, A.SALES),
         (S.VERIFICATION, S.TO_PAYMENT, A.BACK_OFFICE),
         # the running contract (issue 19): handed over, suspended and resumed, settled
         (S.TO_PAYMENT, S.ACTIVE, A.BACK_OFFICE), (S.ACTIVE, S.SUSPENDED, A.COLLECTIONS),
         (S.SUSPENDED, S.ACTIVE, A.COLLECTIONS), (S.ACTIVE, S.CLOSED, A.SYSTEM)]


def test_the_way_from_the_application_to_the_payment():
    for current, target, actor in HAPPY:
        lp.check_transition(current, target, {actor})


@pytest.mark.parametrize(("current", "target", "actor"), [
    (S.RISK_CHECK, S.APPROVED, A.RISK),  # only the automaton approves without a motion
    (S.MOTION, S.APPROVED, A.SALES),
    (S.SIGNING, S.VERIFICATION, A.CLIENT),
    (S.VERIFICATION, S.TO_PAYMENT, A.SALES),
    (S.DRAFT, S.RISK_CHECK, A.BACK_OFFICE),
    (S.TO_PAYMENT, S.ACTIVE, A.COLLECTIONS),  # the handover is the back office's
    (S.ACTIVE, S.CLOSED, A.COLLECTIONS),  # a contract closes itself when settled, nobody closes it by hand
    (S.ACTIVE, S.SUSPENDED, A.SALES),
])
def test_a_move_by_the_wrong_person_is_forbidden(current, target, actor):
    with pytest.raises(Forbidden):
        lp.check_transition(current, target, {actor})


@pytest.mark.parametrize(("current", "target"), [
    (S.DRAFT, S.SIGNING), (S.REFUSED, S.ANALYSIS), (S.TO_PAYMENT, S.CANCELLED), (S.CANCELLED, S.DRAFT),
    (S.APPROVED, S.TO_PAYMENT), (S.SIGNING, S.TO_PAYMENT),
    (S.ANALYSIS, S.APPROVED),  # a decision follows a motion
    (S.SUSPENDED, S.SUSPENDED), (S.ACTIVE, S.ACTIVE), (S.CLOSED, S.ACTIVE), (S.ACTIVE, S.CANCELLED),
    (S.SUSPENDED, S.CLOSED),  # a suspended contract is resumed before it is settled
])
def test_a_move_outside_the_table_is_illegal(current, target):
    with pytest.raises(IllegalTransition):
        lp.check_transition(current, target, set(A))


def test_every_open_status_may_be_cancelled_and_no_final_one_moves():
    for status in S:
        targets = lp.allowed_targets(status, set(A))
        if status in lp.FINAL:
            assert targets == []
        elif status in lp.RUNNING:  # from the vendor's payment on, a contract is settled, never cancelled
            assert S.CANCELLED not in targets and targets
        else:
            assert S.CANCELLED in targets


def test_recalculation_only_before_the_decision():
    for status in S:
        if status in (S.OFFER, S.DRAFT, S.ANALYSIS, S.CORRECTIONS):
            lp.check_recalculable(status)
        else:
            with pytest.raises(lp.LeaseLocked):
                lp.check_recalculable(status)


def test_no_application_without_the_three_consents():
    lp.check_consents({Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC})
    with pytest.raises(lp.ConsentsMissing) as caught:
        lp.check_consents({Consent.DATA, Consent.MARKETING})
    assert caught.value.params == {"missing": ("bureaus", "electronic")}


def test_the_documents_each_client_brings():
    assert lp.required_documents(ClientKind.PERSON, set()) == ("id_card", "income_proof")
    assert lp.missing_documents(ClientKind.COMPANY, {Security.PROMISSORY_NOTE}, {"id_card", "krs_extract"}) == \
        ["financial_statements", "tax_certificate", "promissory_note", "note_declaration"]
    lp.check_identifiers(ClientKind.COMPANY, nip="8567346215", regon="192598184", krs="0000123456", pesel=None)
    with pytest.raises(InvalidInput) as caught:
        lp.check_identifiers(ClientKind.SOLE_TRADER, nip="8567346215", regon=None, krs=None, pesel=None)
    assert caught.value.params == {"missing": "PESEL"}


def test_conditions_open_block_the_signing():
    lp.check_conditions_met([])
    with pytest.raises(lp.ConditionsOpen):
        lp.check_conditions_met(["poręczenie prezesa"])


FACTS = {sc.Fact.ADVANCE_PCT: D(20), sc.Fact.RESIDUAL_PCT: D(1), sc.Fact.MONTHS: D(48),
         sc.Fact.FINANCED: D(1_200_000), sc.Fact.CLIENT_YEARS: D(5), sc.Fact.VAT_ACTIVE: D(1),
         sc.Fact.ACCOUNT_LISTED: D(1), sc.Fact.SECURITIES: D(1)}


def test_the_automaton_approves_sends_to_an_analyst_or_refuses():
    rules, limits = sc.DEFAULT_RULES, sc.Thresholds()
    best = sc.score(rules, limits, ClientKind.COMPANY, FACTS)
    assert (best.score, best.verdict) == (60, sc.Verdict.APPROVE)
    middling = sc.score(rules, limits, ClientKind.COMPANY, {**FACTS, sc.Fact.ADVANCE_PCT: D(15),
                                                            sc.Fact.SECURITIES: D(0)})
    assert (middling.score, middling.verdict) == (30, sc.Verdict.ANALYST)
    poor = sc.score(rules, limits, ClientKind.COMPANY, {**FACTS, sc.Fact.ADVANCE_PCT: D(5), sc.Fact.MONTHS: D(96),
                                                        sc.Fact.CLIENT_YEARS: D("0.5"), sc.Fact.SECURITIES: D(0)})
    assert (poor.score, poor.verdict) == (-40, sc.Verdict.REFUSE)
    stopped = sc.score(rules, limits, ClientKind.COMPANY, {**FACTS, sc.Fact.ACCOUNT_LISTED: D(0)})
    assert stopped.verdict == sc.Verdict.REFUSE and [r.fact for r in stopped.stops] == [sc.Fact.ACCOUNT_LISTED]


def test_scoring_with_facts_missing_names_them_and_the_registry_does_not_apply_to_a_consumer():
    with pytest.raises(sc.ScoringDataMissing) as caught:
        sc.score(sc.DEFAULT_RULES, sc.Thresholds(), ClientKind.COMPANY,
                 {**FACTS, sc.Fact.CLIENT_YEARS: None, sc.Fact.VAT_ACTIVE: None})
    assert caught.value.params == {"facts": (sc.Fact.CLIENT_YEARS, sc.Fact.VAT_ACTIVE)}
    person = {k: v for k, v in FACTS.items() if k not in (sc.Fact.VAT_ACTIVE, sc.Fact.ACCOUNT_LISTED)}
    assert sc.score(sc.DEFAULT_RULES, sc.Thresholds(), ClientKind.PERSON, person).verdict == sc.Verdict.APPROVE


def test_an_admins_table_round_trips_and_bad_lines_are_refused_by_line():
    text = sc.table_text(sc.DEFAULT_RULES, sc.Thresholds())
    assert sc.parse_table(text) == (sc.DEFAULT_RULES, sc.Thresholds())
    rules, limits = sc.parse_table("advance_pct >= 30: +50\nfinanced > 1 000 000,50: -5\nmonths>60:stop\n"
                                   "approve 45; refuse -10")
    assert rules[1] == sc.Rule(sc.Fact.FINANCED, ">", D("1000000.50"), -5) and rules[2].stop
    assert limits == sc.Thresholds(45, -10)
    for bad, key in [("advance >= 30: +5\napprove 1; refuse 0", "scoring_line"),
                     ("advance_pct => 30: +5\napprove 1; refuse 0", "scoring_line"),
                     ("advance_pct >= 30: lots\napprove 1; refuse 0", "scoring_line"),
                     ("advance_pct >= 30: +5", "scoring_thresholds"),
                     ("advance_pct >= 30: +5\napprove 1; refuse 5", "scoring_thresholds"),
                     ("approve 1; refuse 0", "scoring_size")]:
        with pytest.raises(InvalidInput) as caught:
            sc.parse_table(bad)
        assert caught.value.key == key, bad


def test_who_sees_a_case():
    def actors(role, status, user_id=7):  # the back office's check and the books: whom the access rules give them
        person = Actor(user_id, frozenset({Role(role)}))
        return lp.actors_for(roles={role}, user_id=user_id, sales_id=7, client_user_id=9, status=status,
                             checks=may(person, Permission.BACK_OFFICE_CHECK),
                             books=may(person, Permission.LEASE_BOOKS))

    assert actors("sales", S.OFFER) == {A.SALES}
    assert actors("sales", S.OFFER, user_id=8) == set()  # another salesperson's case
    assert actors("client", S.DRAFT, user_id=9) == {A.CLIENT}
    assert actors("risk", S.DRAFT, user_id=1) == set()  # not filed yet
    assert actors("risk", S.ANALYSIS, user_id=1) == {A.RISK}
    assert actors("back_office", S.ANALYSIS, user_id=1) == set()
    assert actors("back_office", S.VERIFICATION, user_id=1) == {A.BACK_OFFICE}
    assert actors("admin", S.OFFER, user_id=1) == {A.ADMIN}
    assert actors("admin", S.VERIFICATION, user_id=1) == {A.ADMIN, A.BACK_OFFICE}  # the rules give an admin the check
    assert actors("collections", S.TO_PAYMENT, user_id=1) == {A.COLLECTIONS}  # a payment may come before the launch
    assert actors("collections", S.ACTIVE, user_id=1) == {A.COLLECTIONS}
    assert actors("back_office", S.SUSPENDED, user_id=1) == {A.BACK_OFFICE, A.COLLECTIONS}  # it keeps the books too
    assert actors("back_office", S.SIGNING, user_id=1) == {A.BACK_OFFICE}
    assert actors("collections", S.VERIFICATION, user_id=1) == set()


def test_the_clients_data_against_the_registry():
    ours = {"name": "Alfa sp. z o.o.", "nip": "8567346215", "regon": "192598184", "krs": None}
    theirs = {"name": "ALFA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", "nip": "8567346215", "regon": "192598184",
              "krs": "0000123456"}
    assert lp.data_mismatches(ours, theirs) == []  # the legal form spelled out, a field we lack: not a mismatch
    assert lp.data_mismatches({**ours, "name": "Beta S.A.", "regon": "123456785"}, theirs) == ["name", "regon"]
    assert lp.data_mismatches(ours, {"name": None, "nip": None, "regon": None, "krs": None}) == []


def test_a_decisions_words_are_refused_when_too_long_never_cut():
    assert lp.parse_decision(S.CONDITIONAL, " Krótka historia | poręczenie ; cesja ") == \
        ("Krótka historia", ["poręczenie", "cesja"])
    with pytest.raises(InvalidInput) as caught:
        lp.parse_decision(S.REFUSED, "x" * (lp.MAX_REASON + 1))
    assert caught.value.key == "too_long"
    with pytest.raises(InvalidInput) as caught:
        lp.parse_decision(S.CONDITIONAL, "ok | " + "w" * (lp.MAX_CONDITION + 1))
    assert caught.value.key == "too_long"
