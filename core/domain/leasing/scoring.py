"""The scoring automaton (seed 002, «Automat scoringowy»): a rule table an admin edits — each rule a fact, a
comparison, a value and the points it adds, or a hard stop — and two thresholds. An application's facts are scored
by the table: a hard stop refuses it, a score at or above «approve at» approves it, a score below «refuse below»
refuses it, anything between goes to an analyst. A rule whose fact is missing stops the scoring with the facts to
complete; a fact that does not apply to the client's kind (the VAT registry to a consumer) skips its rules."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from core.domain.kernel.errors import DomainError, InvalidInput
from core.domain.leasing.case import ClientKind


class Fact(StrEnum):
    ADVANCE_PCT = "advance_pct"  # the advance, % of the net price
    RESIDUAL_PCT = "residual_pct"  # the wykup, % of the net price
    MONTHS = "months"
    FINANCED = "financed"  # the financed amount
    CLIENT_YEARS = "client_years"  # a firm's years since registration, a person's age
    VAT_ACTIVE = "vat_active"  # 1: an active VAT payer in the white list, 0: not
    ACCOUNT_LISTED = "account_listed"  # 1: the client's account is on the VAT white list, 0: not
    SECURITIES = "securities"  # how many securities
    VERIFIED = "verified"  # 1: the verification payment came from the client's own account, 0: not (optional)


#: facts that apply only to some kinds of client; the rest apply to every kind
APPLIES: dict[Fact, frozenset[ClientKind]] = {
    Fact.VAT_ACTIVE: frozenset({ClientKind.COMPANY, ClientKind.SOLE_TRADER}),
    Fact.ACCOUNT_LISTED: frozenset({ClientKind.COMPANY, ClientKind.SOLE_TRADER}),
}

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "=": operator.eq,
       "!=": operator.ne}


class Verdict(StrEnum):
    APPROVE = "approve"
    ANALYST = "analyst"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Rule:
    fact: Fact
    op: str
    value: Decimal
    points: int = 0
    stop: bool = False  # a hard stop: matched, the application is refused whatever the score

    def matches(self, actual: Decimal) -> bool:
        return OPS[self.op](actual, self.value)

    def text(self) -> str:
        value = f"{self.value.normalize():f}"
        return f"{self.fact.value} {self.op} {value}: " + ("stop" if self.stop else f"{self.points:+d}")


@dataclass(frozen=True)
class Thresholds:
    approve_at: int = 40
    refuse_below: int = 0


@dataclass(frozen=True)
class Outcome:
    score: int
    verdict: Verdict
    matched: tuple[Rule, ...]
    stops: tuple[Rule, ...]


class ScoringDataMissing(DomainError):
    key = "scoring_data_missing"
    names = "scoring_fact."  # each missing fact named in the reader's words


#: the facts the VAT white list and the registries give (the salesperson fetches them)
REGISTRY_FACTS = frozenset({Fact.CLIENT_YEARS, Fact.VAT_ACTIVE, Fact.ACCOUNT_LISTED})


#: what a Polish lessor starts from; an admin replaces the table in the chat
DEFAULT_RULES = (
    Rule(Fact.ADVANCE_PCT, ">=", Decimal(20), 20),
    Rule(Fact.ADVANCE_PCT, "<", Decimal(10), -10),
    Rule(Fact.MONTHS, "<=", Decimal(48), 10),
    Rule(Fact.MONTHS, ">", Decimal(84), -10),
    Rule(Fact.CLIENT_YEARS, ">=", Decimal(2), 20),
    Rule(Fact.CLIENT_YEARS, "<", Decimal(1), -20),
    Rule(Fact.FINANCED, ">", Decimal(2_000_000), -10),
    Rule(Fact.SECURITIES, ">=", Decimal(1), 10),
    Rule(Fact.VAT_ACTIVE, "=", Decimal(0), stop=True),
    Rule(Fact.ACCOUNT_LISTED, "=", Decimal(0), stop=True),
)


def score(rules: tuple[Rule, ...], thresholds: Thresholds, kind: ClientKind,
          facts: dict[Fact, Decimal | None]) -> Outcome:
    relevant = [r for r in rules if kind in APPLIES.get(r.fact, frozenset(ClientKind))]
    missing = [f for f in Fact if any(r.fact == f and facts.get(f) is None for r in relevant)]
    if missing:
        registry = all(f in REGISTRY_FACTS for f in missing)  # what only the salesperson's fetch gives
        raise ScoringDataMissing("scoring_registry_missing" if registry else None, facts=tuple(missing))
    matched = tuple(r for r in relevant if r.matches(facts[r.fact]))
    stops = tuple(r for r in matched if r.stop)
    total = sum(r.points for r in matched if not r.stop)
    if stops or total < thresholds.refuse_below:
        verdict = Verdict.REFUSE
    elif total >= thresholds.approve_at:
        verdict = Verdict.APPROVE
    else:
        verdict = Verdict.ANALYST
    return Outcome(total, verdict, matched, stops)


_RULE = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|!=|<|>|=)\s*(-?[\d\s.,]+?)\s*:\s*(stop|[+-]?\d+)\s*$", re.IGNORECASE)
_THRESHOLDS = re.compile(r"^\s*approve\s+(-?\d+)\s*;\s*refuse\s+(-?\d+)\s*$", re.IGNORECASE)
MAX_RULES = 50


def parse_table(text: str) -> tuple[tuple[Rule, ...], Thresholds]:
    """The table as an admin types it, a rule per line — ``advance_pct >= 20: +20``, ``account_listed = 0: stop``
    — and one line of thresholds, ``approve 40; refuse 0``."""
    rules, thresholds = [], None
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        if m := _THRESHOLDS.match(line):
            thresholds = Thresholds(int(m.group(1)), int(m.group(2)))
            continue
        m = _RULE.match(line)
        if m is None or m.group(1).lower() not in Fact._value2member_map_:
            raise InvalidInput("scoring_line", line=n, facts=", ".join(f.value for f in Fact))
        try:
            value = Decimal(re.sub(r"\s", "", m.group(3)).replace(",", "."))
        except InvalidOperation as exc:
            raise InvalidInput("scoring_line", line=n, facts=", ".join(f.value for f in Fact)) from exc
        stop = m.group(4).lower() == "stop"
        rules.append(Rule(Fact(m.group(1).lower()), m.group(2), value, 0 if stop else int(m.group(4)), stop))
    if not rules or len(rules) > MAX_RULES:
        raise InvalidInput("scoring_size", max=MAX_RULES)
    if thresholds is None:
        raise InvalidInput("scoring_thresholds")
    if thresholds.refuse_below > thresholds.approve_at:
        raise InvalidInput("scoring_thresholds")
    return tuple(rules), thresholds


def table_text(rules: tuple[Rule, ...], thresholds: Thresholds) -> str:
    return "\n".join([*(r.text() for r in rules), f"approve {thresholds.approve_at}; refuse {thresholds.refuse_below}"])
