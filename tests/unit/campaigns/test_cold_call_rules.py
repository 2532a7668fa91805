"""Seed 001's rules without a database: INN, OGRN and KPP as the tax office checks them, the calling cadence and
its calendar months, the survey's template and answers by kind, the campaign's states."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.domain.campaigns.campaign import (
    CampaignNotReady,
    CampaignPosted,
    CampaignStatus,
    check_move,
    deal_code,
)
from core.domain.campaigns.counterparties import Period, Unit, check_inn, check_kpp, check_ogrn, parse_cadence
from core.domain.campaigns.survey import Kind, parse_answer, parse_template
from core.domain.kernel.access import Actor
from core.domain.kernel.errors import DomainError, IllegalTransition, InvalidInput
from core.domain.kernel.permissions import Permission, may
from core.domain.kernel.roles import Role


@pytest.mark.parametrize("inn", ["7707083893", "500100732259", " 7707083893 "])
def test_a_right_inn(inn):
    assert check_inn(inn) == inn.strip()


@pytest.mark.parametrize("inn", ["7707083894", "1234567890", "12345", "", "77070838930"])
def test_a_wrong_inn(inn):
    with pytest.raises(InvalidInput) as refused:
        check_inn(inn)
    assert refused.value.key == "bad_inn"


def test_ogrn_and_kpp():
    assert check_ogrn("1027700132195") == "1027700132195"
    assert check_kpp("773601001") == "773601001" and check_kpp("7736ab001") == "7736AB001"
    for bad, check in (("1027700132196", check_ogrn), ("77360100", check_kpp), ("7736-0100", check_kpp)):
        with pytest.raises(InvalidInput):
            check(bad)


@pytest.mark.parametrize(("text", "period"), [
    ("2 недели", Period(2, Unit.WEEK)), ("3 месяца", Period(3, Unit.MONTH)), ("10 дней", Period(10, Unit.DAY)),
    ("1 месяц", Period(1, Unit.MONTH)), ("2 weeks", Period(2, Unit.WEEK)), ("12 месяцев", Period(12, Unit.MONTH))])
def test_a_cadence(text, period):
    assert parse_cadence(text) == period


@pytest.mark.parametrize("text", ["0 недель", "100 лет", "13 месяцев", "53 недели", "367 дней", "недели", "2", ""])
def test_a_bad_cadence(text):
    with pytest.raises(InvalidInput) as refused:
        parse_cadence(text)
    assert refused.value.key == "bad_cadence"


def test_months_are_calendar_months():
    jan31 = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
    assert Period(1, Unit.MONTH).after(jan31) == datetime(2027, 2, 28, 9, 0, tzinfo=UTC)
    assert Period(3, Unit.MONTH).after(datetime(2026, 11, 30, tzinfo=UTC)) == datetime(2027, 2, 28, tzinfo=UTC)
    assert Period(12, Unit.MONTH).after(datetime(2028, 2, 29, tzinfo=UTC)) == datetime(2029, 2, 28, tzinfo=UTC)
    assert Period(2, Unit.WEEK).after(jan31) == datetime(2027, 2, 14, 9, 0, tzinfo=UTC)
    moscow = ZoneInfo("Europe/Moscow")  # the last day of a month at 23:30 there (20:30 UTC): still that month
    late = datetime(2027, 1, 31, 23, 30, tzinfo=moscow)
    assert Period(1, Unit.MONTH).after(late) == datetime(2027, 2, 28, 23, 30, tzinfo=moscow)


def test_a_template_is_typed_as_lines():
    questions = parse_template("текст: Кто директор?\nОдин: Форма? | ООО; ИП; ООО\n\nда/нет: НДС?\nyes/no: VAT?")
    assert [(q.kind, q.text, q.options) for q in questions] == [
        (Kind.TEXT, "Кто директор?", ()), (Kind.ONE, "Форма?", ("ООО", "ИП")), (Kind.YESNO, "НДС?", ()),
        (Kind.YESNO, "VAT?", ())]
    for text, key in (("", "survey_empty"), ("вопрос без типа", "survey_line"), ("анкета: что?", "survey_line"),
                      ("текст: Кто? | а; б", "survey_line"), ("несколько: Что? | одно", "survey_options"),
                      ("\n".join(["текст: ?"] * 51), "survey_too_long")):
        with pytest.raises(InvalidInput) as refused:
            parse_template(text)
        assert refused.value.key == key


@pytest.mark.parametrize(("kind", "raw", "kept"), [
    (Kind.TEXT, " Пётр ", "Пётр"), (Kind.NUMBER, "2,5", "2.5"), (Kind.NUMBER, "1 200", "1200"),
    (Kind.DATE, "01.02.2027", "2027-02-01"), (Kind.YESNO, False, False), (Kind.ONE, 1, "ИП"),
    (Kind.MANY, [1, 0, 1], ["ООО", "ИП"])])
def test_an_answer_of_its_kind(kind, raw, kept):
    assert parse_answer(kind, ("ООО", "ИП"), raw) == kept


@pytest.mark.parametrize(("kind", "raw"), [
    (Kind.TEXT, ""), (Kind.NUMBER, "много"), (Kind.DATE, "завтра"), (Kind.YESNO, "да"), (Kind.ONE, 2),
    (Kind.ONE, "0"), (Kind.MANY, []), (Kind.MANY, [5]), (Kind.MANY, "0")])
def test_an_answer_of_the_wrong_kind(kind, raw):
    with pytest.raises(InvalidInput) as refused:
        parse_answer(kind, ("ООО", "ИП"), raw)
    assert refused.value.key == f"answer_{kind.value}"


def test_the_campaign_states():
    ready = {"rows": 3, "template": True, "executor": True}
    check_move(CampaignStatus.DRAFT, CampaignStatus.IN_WORK, **ready)
    check_move(CampaignStatus.IN_WORK, CampaignStatus.POSTED, **ready)
    check_move(CampaignStatus.IN_WORK, CampaignStatus.DRAFT, **ready)
    with pytest.raises(DomainError) as refused:
        check_move(CampaignStatus.DRAFT, CampaignStatus.POSTED, **ready)
    assert refused.value.key == "campaign_not_in_work"
    with pytest.raises(CampaignPosted):
        check_move(CampaignStatus.POSTED, CampaignStatus.DRAFT, **ready)
    with pytest.raises(IllegalTransition):
        check_move(CampaignStatus.DRAFT, CampaignStatus.DRAFT, **ready)
    for missing in ("rows", "template", "executor"):
        with pytest.raises(CampaignNotReady) as refused:
            check_move(CampaignStatus.DRAFT, CampaignStatus.IN_WORK, **(ready | {missing: 0}))
        assert refused.value.key == f"campaign_no_{missing}"
    assert deal_code(1) == "0000000001"
    # the seed's «Руководитель»: an admin, or the head of a team whatever their role (the access rules)
    def runs(*roles, heads=frozenset()):
        return may(Actor(1, frozenset(roles), heads, heads, heads), Permission.RUN_CAMPAIGN)

    assert runs(Role.ADMIN) and runs(Role.MANAGER, heads=frozenset({1})) and runs(Role.SALES, heads=frozenset({1}))
    assert not runs(Role.MANAGER) and not runs(Role.AGENT)
