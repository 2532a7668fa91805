"""The commercial offer through the services (seed 001, stages 6–7): a draft and its typed lines, totals with VAT,
submission to the approvers the admins' rules name, the first decision winning (a later press, or one at the same
moment, is told who decided), a return with its comment, and the next version starting as a copy."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.campaigns.approval import CommentRequired, Decision, NotApprover
from core.domain.campaigns.quotes import QuoteEmpty, QuoteStatus
from core.domain.kernel.errors import AlreadyDecided, Conflict, InvalidInput
from core.services.campaigns import quotes, stages
from core.services.kernel import tasks
from tests.factories import world
from tests.services.campaigns.test_campaigns import cold_world, posted

D = Decimal


async def to_needs(uow, deal) -> None:
    """The deal at stage 5, where a КП is begun."""
    async with uow() as u:
        await stages.enter(u, await u.deals.get(deal.id), "needs", None)
        await u.commit()


async def test_a_draft_its_lines_and_the_approval(uow, factory, cfg):
    w = await cold_world(uow, cfg)
    await tasks.set_supervisor(uow(), w["admin"].id, w["a1"].id, w["a2"].id)  # A2 heads A1: A2 approves
    _, deals = await posted(uow, cfg, w)
    await to_needs(uow, deals[0])
    deal = deals[0]
    q = await quotes.draft(uow(), w["a1"].id, deal.id)
    assert (q.version, q.status) == (1, QuoteStatus.DRAFT)
    assert (await quotes.draft(uow(), w["a1"].id, deal.id)).id == q.id  # the open draft, not a second one
    with pytest.raises(QuoteEmpty):
        await quotes.submit(uow(), w["a1"].id, q.id)
    for bad in ("Бумага; 0; пачка; 350", "Бумага; 10; пачка; -5"):
        with pytest.raises(InvalidInput):
            await quotes.add_line(uow(), w["a1"].id, q.id, bad)
    await quotes.add_line(uow(), w["a1"].id, q.id, "Бумага А4; 100; пачка; 350; 5%")
    q = await quotes.add_line(uow(), w["a1"].id, q.id, "Доставка; 1; 2 500")
    t = quotes.totals_of(q)
    assert (t.net, t.tax, t.gross) == (D("35750.00"), D("7865.00"), D("43615.00"))
    assert await quotes.submit(uow(), w["a1"].id, q.id) == {w["a2"].id}
    with pytest.raises(Conflict):  # what is with the approvers does not change
        await quotes.add_line(uow(), w["a1"].id, q.id, "Ещё; 1; 1")
    with pytest.raises(NotApprover):
        await quotes.decide(uow(), w["a1"].id, q.id, Decision.APPROVE)
    with pytest.raises(CommentRequired):
        await quotes.decide(uow(), w["a2"].id, q.id, Decision.RETURN, " ")
    returned = await quotes.decide(uow(), w["a2"].id, q.id, Decision.RETURN, "Скидка велика")
    assert (returned.status, returned.decision_comment) == (QuoteStatus.RETURNED, "Скидка велика")
    with pytest.raises(AlreadyDecided) as refused:
        await quotes.decide(uow(), w["a2"].id, q.id, Decision.APPROVE)
    assert (refused.value.params["by"], refused.value.params["status"]) == ("Антон", "returned")
    v2 = await quotes.draft(uow(), w["a1"].id, deal.id)  # a copy of the returned version's lines
    assert v2.version == 2 and [x.item for x in v2.lines] == ["Бумага А4", "Доставка"]
    v2 = await quotes.remove_line(uow(), w["a1"].id, v2.id, v2.lines[1].id)
    await quotes.submit(uow(), w["a1"].id, v2.id)
    approved = await quotes.decide(uow(), w["a2"].id, v2.id, Decision.APPROVE)
    assert approved.status == QuoteStatus.SENT  # approved, and on its way to the client at once (stage 8)
    listed = await quotes.versions(uow(), w["a1"].id, deal.id)
    assert [(q.version, q.status, who, t.gross) for q, t, who in listed] == [
        (2, "sent", "Антон", D("40565.00")), (1, "returned", "Антон", D("43615.00"))]
    async with factory() as s:
        actions = (await s.scalars(select(m.AuditLog.action).where(m.AuditLog.entity == "quote")
                                   .order_by(m.AuditLog.id))).all()
    assert actions == ["draft", "submit", "approval_returned", "draft", "submit", "approval_approved"]


async def test_an_admin_rule_names_the_approver_and_two_presses_at_once_decide_once(uow, factory, cfg):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    await to_needs(uow, deals[0])
    async with uow() as u:  # the admins' rule: a КП from 10,000 ₽ goes to B1 and the admin
        u.add(m.ApprovalRule(subject="quote", min_amount=D("10000"), approver_id=w["b1"].id))
        u.add(m.ApprovalRule(subject="quote", min_amount=D("10000"), approver_id=w["admin"].id))
        await u.commit()
    q = await quotes.draft(uow(), w["a1"].id, deals[0].id)
    await quotes.add_line(uow(), w["a1"].id, q.id, "Картон; 10; кг; 1 500")
    assert await quotes.submit(uow(), w["a1"].id, q.id) == {w["b1"].id, w["admin"].id}
    results = await asyncio.gather(quotes.decide(uow(), w["b1"].id, q.id, Decision.APPROVE),
                                   quotes.decide(uow(), w["admin"].id, q.id, Decision.RETURN, "Нет"),
                                   return_exceptions=True)
    assert sorted(type(r).__name__ for r in results) == ["AlreadyDecided", "Quote"], results
    async with factory() as s:
        decisions = (await s.scalars(select(m.AuditLog.action).where(
            m.AuditLog.entity == "quote", m.AuditLog.action.like("approval_%")))).all()
    assert len(decisions) == 1


async def test_no_rule_and_no_head_means_the_admins(uow, cfg):
    w = await world(uow, cfg)
    from tests.services.campaigns.test_stages import cold_deal

    deal = await cold_deal(uow, w["a1"])
    await to_needs(uow, deal)
    q = await quotes.draft(uow(), w["a1"].id, deal.id)
    await quotes.add_line(uow(), w["a1"].id, q.id, "Бумага; 1; 10")
    assert await quotes.submit(uow(), w["a1"].id, q.id) == {w["admin"].id}
