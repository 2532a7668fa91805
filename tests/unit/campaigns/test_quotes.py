"""Seed 001, stages 6–14, without a database: the КП's lines and totals with VAT (each line rounded to kopecks,
the totals the sums of the lines), its versions, the client's answer and where it sends the deal, the approval
sub-process (who approves, the first decision wins), and the payment key of one order."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.domain.campaigns.approval import (
    CommentRequired,
    Decided,
    Decision,
    NotApprover,
    Outcome,
    Overpaid,
    Rule,
    approvers,
    decide,
    register_payment,
)
from core.domain.campaigns.quotes import (
    ANSWER_STAGE,
    ANSWER_STATUS,
    Answer,
    Line,
    QuoteEmpty,
    QuoteStatus,
    check_move,
    parse_line,
    totals,
)
from core.domain.kernel.errors import AlreadyDecided, Amount, DomainError, IllegalTransition, InvalidInput

D = Decimal


def test_a_typed_line():
    assert parse_line("Бумага А4; 100; пачка; 350; 5%; 10%") == Line("Бумага А4", D("100"), "пачка", D("350"),
                                                                       D("5"), D("10"))
    assert parse_line("Доставка; 1; 2 500,50") == Line("Доставка", D("1"), "шт", D("2500.50"), D("0"), D("22"))
    assert parse_line("Плёнка; 2,125; т; 99 000; ; без НДС").vat is None


@pytest.mark.parametrize(("text", "key"), [
    ("Бумага; 0; пачка; 350", "quote_quantity"), ("Бумага; -1; пачка; 350", "quote_quantity"),
    ("Бумага; 10; пачка; -350", "quote_price"), ("Бумага; 10; пачка; 1,005", "quote_price"),
    ("Бумага; 10; пачка; 350; 100%", "quote_discount"), ("Бумага; 10; пачка; 350; 0; 18%", "quote_vat"),
    ("Бумага; 10", "quote_line"), ("; 10; шт; 5", "text_expected"), ("Бумага; много; шт; 5", "quote_quantity")])
def test_a_bad_line(text, key):
    with pytest.raises(InvalidInput) as refused:
        parse_line(text)
    assert refused.value.key == key


def test_totals_add_up_line_by_line():
    lines = [parse_line("Бумага; 3; пачка; 333,33; 10%"), parse_line("Доставка; 1; 1 000"),
             parse_line("Услуга; 1; шт; 100; 0; без НДС")]
    assert [(x.net, x.tax, x.gross) for x in lines] == [
        (D("899.99"), D("198.00"), D("1097.99")), (D("1000.00"), D("220.00"), D("1220.00")),
        (D("100.00"), D("0.00"), D("100.00"))]
    t = totals(lines)
    assert (t.net, t.tax, t.gross) == (D("1999.99"), D("418.00"), D("2417.99"))
    assert t.gross == sum(x.gross for x in lines)


def test_the_versions_and_the_answer():
    check_move(QuoteStatus.DRAFT, QuoteStatus.APPROVAL, lines=2)
    with pytest.raises(QuoteEmpty):
        check_move(QuoteStatus.DRAFT, QuoteStatus.APPROVAL, lines=0)
    with pytest.raises(IllegalTransition):
        check_move(QuoteStatus.DRAFT, QuoteStatus.SENT, lines=2)  # not without its approval
    with pytest.raises(IllegalTransition):
        check_move(QuoteStatus.RETURNED, QuoteStatus.APPROVAL, lines=2)  # a returned version stays as it was
    for answer, status, stage in ((Answer.ORDER, QuoteStatus.ACCEPTED, "order"),
                                  (Answer.REWORK, QuoteStatus.REWORK, "quote"),
                                  (Answer.REFUSAL, QuoteStatus.REFUSED, "needs")):  # 10 → 11 / 6 / 5
        check_move(QuoteStatus.SENT, ANSWER_STATUS[answer], lines=2)
        assert ANSWER_STAGE[answer] == stage and ANSWER_STATUS[answer] == status


def test_who_approves():
    rules = [Rule("quote", D("1000000"), 7), Rule("quote", D("5000000"), 8), Rule("quote", D("5000000"), 9),
             Rule("contract", D("0"), 10)]
    assert approvers(rules, "quote", D("999999.99"), head_id=3, admin_ids=[1]) == {3}
    assert approvers(rules, "quote", D("1000000"), head_id=3, admin_ids=[1]) == {7}
    assert approvers(rules, "quote", D("6000000"), head_id=3, admin_ids=[1]) == {8, 9}
    assert approvers([], "quote", D("10"), head_id=None, admin_ids=[1, 2]) == {1, 2}


def test_the_first_decision_wins():
    assert decide(frozenset({7}), 7, Decision.APPROVE, None, None) == Outcome.APPROVED
    assert decide(frozenset({7}), 7, Decision.RETURN, "Скидка велика", None) == Outcome.RETURNED
    with pytest.raises(CommentRequired):
        decide(frozenset({7}), 7, Decision.RETURN, " ", None)
    with pytest.raises(NotApprover):
        decide(frozenset({7}), 8, Decision.APPROVE, None, None)
    at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with pytest.raises(AlreadyDecided) as refused:
        decide(frozenset({7, 8}), 8, Decision.APPROVE, None, Decided("Анна", at, Outcome.RETURNED))
    assert refused.value.params == {"by": "Анна", "at": at, "status": "returned"}


def test_the_payment_key_of_one_order():
    assert register_payment(D("1000.00"), [], D("400.00")) == (D("400.00"), False)
    assert register_payment(D("1000.00"), [D("400.00")], D("600.00")) == (D("1000.00"), True)
    with pytest.raises(Overpaid) as refused:
        register_payment(D("1000.00"), [D("400.00")], D("600.01"))
    assert refused.value.params == {"remaining": Amount(D("600.00"))}
    with pytest.raises(DomainError) as refused:
        register_payment(D("1000.00"), [], D("0"))
    assert refused.value.key == "payment_not_positive"
