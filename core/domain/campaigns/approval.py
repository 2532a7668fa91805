"""«Согласование» (seed 001, stage 7): a standard approval, a sub-process of its own that any process can nest —
the approvers of a subject (a КП, a contract …) approve it or return it with a comment; the first decision wins,
and a later press is told who decided and when. Pure rules, no I/O.

Who approves: the admins' rules for the subject, by amount (for example «КП from 1 000 000 ₽: the commercial
director»): of the rules whose threshold the amount reaches, those with the highest threshold name the approvers;
with none, the head (the executor's supervisor, else the head of their team up the nesting, else the campaign's
«Руководитель»), and the admins when there is no head."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from core.domain.kernel.errors import AlreadyDecided, Amount, DomainError, Forbidden


class Decision(StrEnum):
    APPROVE = "approve"
    RETURN = "return"


class Outcome(StrEnum):
    """Where an approval stands: the sub-process's states."""

    PENDING = "pending"
    APPROVED = "approved"
    RETURNED = "returned"


OUTCOME = {Decision.APPROVE: Outcome.APPROVED, Decision.RETURN: Outcome.RETURNED}


@dataclass(frozen=True)
class Rule:
    subject: str  # what is approved: «quote», …
    min_amount: Decimal  # from this amount up
    approver_id: int


def approvers(rules: Iterable[Rule], subject: str, amount: Decimal, head_id: int | None,
              admin_ids: Iterable[int]) -> frozenset[int]:
    """Who may decide on ``subject`` of ``amount`` (the module's docstring says how)."""
    applicable = [r for r in rules if r.subject == subject and amount >= r.min_amount]
    if applicable:
        top = max(r.min_amount for r in applicable)
        return frozenset(r.approver_id for r in applicable if r.min_amount == top)
    return frozenset({head_id}) if head_id else frozenset(admin_ids)


@dataclass(frozen=True)
class Decided:
    by: str  # the decider's name, as the later press is told
    at: datetime
    outcome: Outcome


class NotApprover(Forbidden):
    key = "approval_not_approver"


class CommentRequired(DomainError):
    key = "approval_comment_required"


def decide(approver_ids: frozenset[int], actor_id: int, decision: Decision, comment: str | None,
           decided: Decided | None) -> Outcome:
    """The outcome of ``actor_id``'s press: refused when somebody decided first (who and when), when the actor is
    not an approver, or when a return has no comment."""
    if decided is not None:
        raise AlreadyDecided(by=decided.by, at=decided.at, status=decided.outcome.value)
    if actor_id not in approver_ids:
        raise NotApprover()
    if decision == Decision.RETURN and not (comment or "").strip():
        raise CommentRequired()
    return OUTCOME[decision]


# --- the payment key (stage 14) --------------------------------------------------------------------------------

class Overpaid(DomainError):
    """A payment above what the order still awaits: refused, with what remains."""

    key = "payment_over"


def register_payment(order_total: Decimal, paid: Iterable[Decimal], amount: Decimal) -> tuple[Decimal, bool]:
    """A payment for one order: refused when it is not positive or above what remains; otherwise the order's paid
    total after it, and whether the order is paid in full (stage 14's key). Partial payments are kept."""
    so_far = sum(paid, Decimal("0.00"))
    remaining = order_total - so_far
    if amount <= 0:
        raise DomainError("payment_not_positive")
    if amount > remaining:
        raise Overpaid(remaining=Amount(remaining))
    return so_far + amount, so_far + amount == order_total
