from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from core.domain.kernel.roles import Role
from core.domain.marketplace.offers import (
    CompanyAlreadyOffered,
    ExistingOffer,
    Hold,
    OfferStatus,
    SlotHeld,
    cost,
    ensure_company_may_offer,
)
from core.domain.marketplace.visibility import may_see_contacts, visible_offer_companies

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_a_second_manager_of_the_company_is_told_who_offered():
    existing = ExistingOffer(manager_id=1, manager_name="Анна", status=OfferStatus.ACTIVE)
    with pytest.raises(CompanyAlreadyOffered) as exc:
        ensure_company_may_offer(manager_id=2, existing=existing, hold=None, now=NOW)
    assert exc.value.params == {"manager": "Анна"}


def test_the_author_may_edit_and_a_withdrawn_offer_frees_the_slot():
    ensure_company_may_offer(manager_id=1, existing=ExistingOffer(1, "Анна", OfferStatus.ACTIVE), hold=None, now=NOW)
    ensure_company_may_offer(manager_id=2, existing=ExistingOffer(1, "Анна", OfferStatus.WITHDRAWN), hold=None,
                             now=NOW)


def test_a_live_hold_of_a_colleague_blocks_an_expired_one_does_not():
    live = Hold(manager_id=1, manager_name="Анна", expires_at=NOW + timedelta(minutes=5))
    with pytest.raises(SlotHeld) as exc:
        ensure_company_may_offer(manager_id=2, existing=None, hold=live, now=NOW)
    assert exc.value.params["manager"] == "Анна"
    ensure_company_may_offer(manager_id=1, existing=None, hold=live, now=NOW)
    expired = Hold(manager_id=1, manager_name="Анна", expires_at=NOW - timedelta(seconds=1))
    ensure_company_may_offer(manager_id=2, existing=None, hold=expired, now=NOW)


def test_cost_and_yearly_increase():
    # price 1 200 000; advance 240 000 + 24 x 50 000 + buyout 10 000 = 1 450 000; over 2 years
    c = cost(price=Decimal("1200000"), monthly_payment=Decimal("50000"), term_months=24, advance=Decimal("240000"),
             buyout=Decimal("10000"))
    assert c.total == Decimal("1450000.00")
    assert c.overpayment == Decimal("250000.00")
    assert c.yearly_increase_pct == Decimal("10.42")  # 250000 / 1200000 / 2 * 100 = 10.4166…


def test_cost_without_advance_or_buyout():
    # 36 months, no advance: total equals 36 payments; increase is simple interest on the price
    c = cost(price=Decimal("1000000"), monthly_payment=Decimal("30000"), term_months=36, advance=Decimal("0"),
             buyout=Decimal("0"))
    assert (c.total, c.yearly_increase_pct) == (Decimal("1080000.00"), Decimal("2.67"))


def test_managers_see_contacts_only_when_chosen():
    kw = dict(applicant_id=10, client_user_id=10, chosen_manager_ids={3}, referrer_id=20)
    assert may_see_contacts(role=Role.MANAGER, user_id=3, **kw)
    assert not may_see_contacts(role=Role.MANAGER, user_id=4, **kw)
    assert may_see_contacts(role=Role.CLIENT, user_id=10, **kw)
    assert may_see_contacts(role=Role.AGENT, user_id=20, **kw)
    assert may_see_contacts(role=Role.ADMIN, user_id=99, **kw)
    assert not may_see_contacts(role=Role.AGENT, user_id=21, **kw)


def test_no_manager_sees_another_companys_offer():
    offers = [1, 2, 3]
    assert visible_offer_companies(role=Role.MANAGER, user_id=3, company_id=2, may_choose=False,
                                   offer_companies=offers) == [2]
    assert visible_offer_companies(role=Role.CLIENT, user_id=9, company_id=None, may_choose=True,
                                   offer_companies=offers) == offers
    assert visible_offer_companies(role=Role.AGENT, user_id=7, company_id=None, may_choose=False,
                                   offer_companies=offers) == []
