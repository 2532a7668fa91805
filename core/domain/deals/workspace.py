"""The deal workspace (seed 003): pipelines and their statuses, status moves, payments and the budget, orders,
the copy rules of a deal's contacts. Pure rules, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from core.domain.campaigns import COLD_CALL
from core.domain.kernel import deployment, permissions
from core.domain.kernel.access import Actor
from core.domain.kernel.access import Scope as AccessScope
from core.domain.kernel.errors import DomainError, InvalidInput, Status
from core.domain.kernel.feed import FeedKind as FeedKind  # the feed is the kernel's; published here as before
from core.domain.kernel.permissions import Action, Area, Permission
from core.domain.leads import LawDealStatus, SalesDealStatus
from core.domain.leasing import SEED as LEASE_SEED
from core.domain.leasing import SEED_FINAL as LEASE_SEED_FINAL
from core.domain.leasing import LeaseStatus
from core.domain.marketplace import AppStatus


class Pipeline(StrEnum):
    MARKET = "market"  # the leasing marketplace: approved applications (seed 000)
    LAW = "law"  # the law firm's contracts made from leads (seed 004)
    SALES = "sales"  # a sales team's deals made from leads (the first setup's default, instead of LAW)
    COLD_CALL = "cold_call"  # a cold-call campaign's deals, moved by the stage engine (seed 001,
    # core.domain.campaigns.stages)
    LEASING = "leasing"  # a Polish lessor's cases, moved only by core.domain.leasing.case (seed 002)


#: the area of the deployment each pipeline belongs to (core.domain.kernel.deployment)
PIPELINE_AREA: dict[Pipeline, deployment.Area] = {
    Pipeline.MARKET: deployment.Area.MARKETPLACE, Pipeline.LAW: deployment.Area.LEADS,
    Pipeline.SALES: deployment.Area.LEADS, Pipeline.COLD_CALL: deployment.Area.COLD_CALLS,
    Pipeline.LEASING: deployment.Area.LEASING}
#: the leads' deal pipelines: a deployment works in the one its admin chose (deployment.LeadPipeline)
LEAD_PIPELINES = frozenset({Pipeline.LAW, Pipeline.SALES})


def pipelines_run(areas: frozenset[deployment.Area], chosen: str) -> tuple[Pipeline, ...]:
    """The deal pipelines a deployment works in: those of the areas it runs, and of the leads' two the one chosen."""
    return tuple(p for p in Pipeline if PIPELINE_AREA[p] in areas and (p not in LEAD_PIPELINES or p == chosen))


@dataclass(frozen=True)
class SeedStatus:
    """A status the pipeline starts with, by its code: its name is the locales' (``status.``, ``law_status.``,
    ``stage.cold_call.``, ``lease_status.`` + code), which the migrations wrote into the row in the seed's language;
    the bot shows it in the reader's language until an admin renames it (bot/views/kernel/names.py)."""

    code: str
    color: str
    final: bool = False


#: the statuses each pipeline starts with; an admin then edits names, order, colours, adds and archives
SEED_STATUSES: dict[Pipeline, tuple[SeedStatus, ...]] = {
    Pipeline.MARKET: (
        SeedStatus(AppStatus.DOCUMENTS, "#5b8def"),
        SeedStatus(AppStatus.APPROVED, "#2fb380"),
        SeedStatus(AppStatus.REWORK, "#f0a030"),
        SeedStatus(AppStatus.ISSUED, "#7a7a7a", final=True),
    ),
    Pipeline.LAW: (
        SeedStatus(LawDealStatus.DOCUMENTS, "#5b8def"),
        SeedStatus(LawDealStatus.SENT_TO_COURT, "#8e6cef"),
        SeedStatus(LawDealStatus.COURT_1, "#c060c0"),
        SeedStatus(LawDealStatus.BANKRUPTCY_DONE, "#f0a030"),
        SeedStatus(LawDealStatus.COURT_2, "#30a0b0"),
        SeedStatus(LawDealStatus.DECISION, "#2fb380", final=True),
    ),
    Pipeline.SALES: (
        SeedStatus(SalesDealStatus.NEW, "#5b8def"),
        SeedStatus(SalesDealStatus.QUALIFICATION, "#8e6cef"),
        SeedStatus(SalesDealStatus.PROPOSAL, "#30a0b0"),
        SeedStatus(SalesDealStatus.NEGOTIATION, "#f0a030"),
        SeedStatus(SalesDealStatus.WON, "#2fb380", final=True),
        SeedStatus(SalesDealStatus.LOST, "#7a7a7a", final=True),
    ),
    # the process's stages are the pipeline's statuses, by their codes
    Pipeline.COLD_CALL: tuple(SeedStatus(s.code, colour, final=s.final) for s, colour in zip(
        COLD_CALL.stages, ("#5b8def", "#8e6cef", "#30a0b0", "#f0a030", "#2fb380", "#5b8def", "#c060c0", "#30a0b0",
                            "#f0a030", "#8e6cef", "#2fb380", "#30a0b0", "#f0a030", "#c060c0", "#2fb380", "#7a7a7a"),
        strict=True)),
    Pipeline.LEASING: tuple(SeedStatus(code, colour, final=code in LEASE_SEED_FINAL) for code, _, colour in LEASE_SEED),
}

#: statuses the seeds fix as final: an admin can rename them but not make them non-final or archive them
FIXED_FINAL = frozenset({(Pipeline.MARKET, AppStatus.ISSUED), (Pipeline.LAW, LawDealStatus.DECISION),
                         (Pipeline.SALES, SalesDealStatus.WON), (Pipeline.SALES, SalesDealStatus.LOST)})

#: the marketplace's status moves stay the application's (domain.applications.TRANSITIONS): these need words
#: (a comment), which a drag on the board cannot carry
NEEDS_COMMENT = frozenset({AppStatus.REWORK})


class DealKind(StrEnum):
    SALE = "sale"  # seed 001's «Продажа по полной схеме»: a cold call's deal
    LEASING = "leasing"
    CONTRACT = "contract"
    CONTRACT_PREPAID = "contract_prepaid"
    SERVICE = "service"
    OTHER = "other"


class OrderStatus(StrEnum):
    NEW = "new"
    IN_WORK = "in_work"
    SHIPPED = "shipped"
    DONE = "done"
    CANCELLED = "cancelled"


class StatusFinal(DomainError):
    key = "deal_status_final"


class StatusArchived(DomainError):
    key = "deal_status_archived"


class StatusFixed(DomainError):
    key = "deal_status_fixed"


class MoveNeedsComment(DomainError):
    key = "deal_move_needs_comment"


class MoveNotAllowed(DomainError):
    key = "deal_move_not_allowed"


@dataclass(frozen=True)
class StatusInfo:
    """What a rule needs to know of a status row."""

    id: int
    pipeline: str
    code: str | None
    name: str
    final: bool
    archived: bool


def check_move(current: StatusInfo, target: StatusInfo) -> None:
    """A deal moves to another live status of its own pipeline; a deal in a final status stays there."""
    if target.pipeline != current.pipeline:
        raise InvalidInput("deal_status_other_pipeline")
    if target.id == current.id:
        raise MoveNotAllowed(status=Status.of(target))
    if current.final:
        raise StatusFinal(status=Status.of(current))
    if target.archived:
        raise StatusArchived(status=Status.of(target))


def check_status_edit(pipeline: str, code: str | None, *, final: bool, archived: bool) -> None:
    """A status the seeds fix as final stays final and live; a stage of a process stays live and as final as the
    process says (an admin renames and recolours it)."""
    if (pipeline, code) in FIXED_FINAL and (not final or archived):
        raise StatusFixed()
    if pipeline == Pipeline.COLD_CALL and code in COLD_CALL.by_code and (
            archived or final != COLD_CALL.stage(code).final):
        raise StatusFixed()
    if pipeline == Pipeline.LEASING and code in LeaseStatus._value2member_map_ and (
            archived or final != (code in LEASE_SEED_FINAL)):
        raise StatusFixed()


def budget(payments: list[tuple[Decimal, bool]]) -> Decimal:
    """The budget: the sum of the payments still to come (not received)."""
    return sum((amount for amount, received in payments if not received), Decimal("0.00"))


def worth(orders: list[tuple[Decimal, str]], lead_amount: Decimal | None, budget: Decimal) -> Decimal | None:
    """What a deal is worth: its orders' total (a cancelled order left out), else the amount its lead was given,
    else its payments still to come; None when none of these says anything (the line is left out, never «0»).
    core.db.deals.workspace.amount_of says the same in SQL for the lists."""
    live = [amount for amount, status in orders if status != OrderStatus.CANCELLED]
    if live:
        return sum(live, Decimal("0.00"))
    if lead_amount is not None:
        return lead_amount
    return budget if budget else None


def check_payment(amount: Decimal) -> Decimal:
    if amount <= 0:
        raise InvalidInput("amount_positive")
    return amount


@dataclass(frozen=True)
class PlannedPayment:
    responsible_id: int | None
    amount: Decimal
    due_on: date


FORECAST_DAYS = (30, 60, 90)


def forecast(payments: list[PlannedPayment], today: date, days: tuple[int, ...] = FORECAST_DAYS
             ) -> dict[int | None, dict[str, Decimal]]:
    """Receipts expected per manager (None: the total): the payments not yet received that fall due within the
    next 30, 60 and 90 days counted from today, and the overdue ones (due before today, still expected)."""
    out: dict[int | None, dict[str, Decimal]] = {}
    for p in payments:
        for who in (p.responsible_id, None):
            row = out.setdefault(who, {"overdue": Decimal("0.00"), **{str(d): Decimal("0.00") for d in days}})
            if p.due_on < today:
                row["overdue"] += p.amount
                continue
            for d in days:
                if p.due_on <= today + timedelta(days=d):
                    row[str(d)] += p.amount
    return out


def source_ok(pipeline: Pipeline, source_id: int | None) -> bool:
    """Seed 004: the source is mandatory on a deal a lead made (as on its lead); a marketplace deal may have none."""
    return source_id is not None or pipeline not in (Pipeline.LAW, Pipeline.SALES)


# ---------------------------------------------------------------- who sees which deals

class Scope(StrEnum):
    """Which deals a person sees: the repository turns it into SQL (core.db.deals). Built from the access rules
    (core.domain.kernel.permissions, area «deals», action «read») by ``viewer_for``."""

    ALL = "all"  # every deal
    TEAMS = "teams"  # their own and those of their teams (``Viewer.teams``): the responsible's or the counterparty's
    COMPANY = "company"  # a partner company's manager (in no team): their own and their colleagues'
    OWN = "own"  # their own (responsible, or «Сотрудники по сделке»)


@dataclass(frozen=True)
class Viewer:
    """What the deal scope needs of a person: how far their reading reaches, through which teams."""

    id: int
    reach: AccessScope
    teams: frozenset[int] = frozenset()  # the teams «team» (or «team and below») reaches
    company_id: int | None = None

    @property
    def is_staff(self) -> bool:  # who reads deals at all
        return self.reach != AccessScope.NONE

    def scope(self, *, mine: bool = False) -> Scope:
        """"My deals" need no more than ``responsible = me``: their scope is all of those."""
        if self.reach == AccessScope.ALL or mine:
            return Scope.ALL
        if self.reach in (AccessScope.TEAM, AccessScope.TEAM_BELOW):
            if self.teams:
                return Scope.TEAMS
            if self.company_id:
                return Scope.COMPANY
        return Scope.OWN

    def may_give_to(self, who_teams: frozenset[int], who_company_id: int | None) -> bool:
        """A deal is handed to staff the giver reaches: anyone for «all»; else someone of the giver's teams (a
        partner company's manager: of their company; someone in no team and no company: anyone)."""
        if self.reach == AccessScope.ALL:
            return True
        if self.teams:
            return not self.teams.isdisjoint(who_teams)
        return self.company_id is None or who_company_id == self.company_id


def viewer_for(actor: Actor, action: Action | Permission = Action.READ) -> Viewer:
    """The person as the deal scope sees them, from the access rules."""
    reach = permissions.scope(actor, Area.DEALS, action)
    teams = actor.below if reach == AccessScope.TEAM_BELOW else actor.teams
    return Viewer(actor.id, reach, frozenset(teams), actor.company_id)
