"""What a deployment runs (the areas an admin picked at the first start) and the minimum each needs before its
people can work: the first setup's checklist. Pure rules, no I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from core.domain.kernel.roles import Role


class Area(StrEnum):
    MARKETPLACE = "marketplace"  # seed 000: clients' applications, leasing companies' offers, deal rooms
    LEADS = "leads"  # seeds 003, 004: leads, tasks, the deals' workspace
    COLD_CALLS = "cold_calls"  # seed 001: campaigns, counterparties, the КП and orders
    LEASING = "leasing"  # seed 002: a lessor's cases, the calculator, the books


class LeadPipeline(StrEnum):
    """The deal pipeline a lead's contract opens (area «leads»), the admin's choice at the first setup: a general
    sales pipeline (Новая → Квалификация → Предложение → Переговоры → Выиграна / Проиграна, «Сумма сделки»), or the
    law firm's of seed 004 (Сбор документов → … → Решение получено, «Сумма долга»). The values are the deal
    pipelines' (core.domain.deals.workspace.Pipeline)."""

    SALES = "sales"
    LAW = "law"


#: a new deployment sells; one older than the question keeps the law firm's pipeline (migration 0036 writes it)
DEFAULT_PIPELINE = LeadPipeline.SALES


def lead_pipeline(stored: str | None) -> LeadPipeline:
    """The pipeline in effect: the stored answer, else the default (an unknown value reads as the default)."""
    return LeadPipeline(stored) if stored in LeadPipeline._value2member_map_ else DEFAULT_PIPELINE


#: the order the question and the checklist show them in; a bit each in a button's mask
AREAS: tuple[Area, ...] = (Area.MARKETPLACE, Area.LEADS, Area.COLD_CALLS, Area.LEASING)
#: a deployment that never answered (an install older than the question) runs everything, as before
EVERYTHING = frozenset(AREAS)


class Need(StrEnum):
    """One thing an area needs before its people can work."""

    COMPANY = "company"  # a leasing company (managers belong to one)
    CATEGORY = "category"
    REGION = "region"
    MANAGER = "manager"  # a manager who takes applications or works leads
    SOURCE = "source"  # a lead source: its link brings requests
    TEMPLATE = "template"  # a survey template: a campaign's calls follow one
    SALES = "sales"  # a lessor's salesperson
    RISK = "risk"  # the analyst who decides
    BACK_OFFICE = "back_office"  # the documents' check, the payment
    SELLER = "seller"  # the name and details the documents print (a lessor's offer, contract and fakturas)
    TEAM_HEAD = "team_head"  # a team (access group) with its head: runs the calls, gets the tasks meant for a head
    CADENCE = "cadence"  # how often a counterparty is called


NEEDS: dict[Area, tuple[Need, ...]] = {
    Area.MARKETPLACE: (Need.COMPANY, Need.CATEGORY, Need.REGION, Need.MANAGER),
    Area.LEADS: (Need.SOURCE, Need.MANAGER),
    Area.COLD_CALLS: (Need.MANAGER, Need.TEAM_HEAD, Need.CADENCE, Need.TEMPLATE, Need.SELLER),
    Area.LEASING: (Need.SELLER, Need.SALES, Need.RISK, Need.BACK_OFFICE),
}

#: the role an invite for a missing person gives
NEED_ROLE: dict[Need, Role] = {Need.MANAGER: Role.MANAGER, Need.SALES: Role.SALES, Need.RISK: Role.RISK,
                               Need.BACK_OFFICE: Role.BACK_OFFICE}


def running(stored: Iterable[str] | None) -> frozenset[Area]:
    """The areas in effect: never answered (None) is everything; unknown names are ignored."""
    if stored is None:
        return EVERYTHING
    return frozenset(a for a in AREAS if a.value in set(stored))


def to_mask(areas: Iterable[Area]) -> int:
    chosen = set(areas)
    return sum(1 << i for i, a in enumerate(AREAS) if a in chosen)


def from_mask(mask: int) -> frozenset[Area]:
    return frozenset(a for i, a in enumerate(AREAS) if mask >> i & 1)


def checklist(areas: Iterable[Area], counts: Mapping[Need, int]) -> list[tuple[Area, Need, bool]]:
    """Each area's needs in order, each with whether it is met (a need shared by two areas is listed once, under
    the first)."""
    chosen, seen, rows = set(areas), set(), []
    for area in AREAS:
        if area not in chosen:
            continue
        for need in NEEDS[area]:
            if need not in seen:
                seen.add(need)
                rows.append((area, need, counts.get(need, 0) > 0))
    return rows


def company_required(areas: Iterable[Area]) -> bool:
    """A manager belongs to a leasing company only where the marketplace runs (its applications go to companies);
    a law firm's or a distributor's managers work leads and deals without one."""
    return Area.MARKETPLACE in set(areas)
