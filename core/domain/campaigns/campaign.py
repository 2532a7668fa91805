"""The «Холодный обзвон» document (seed 001): a head fills it (rows from a file or the «Контрагенты» directory, a
survey template, an executor), puts it «В работу», and posts it once — one deal of the process per row."""

from __future__ import annotations

from enum import StrEnum

from core.domain.kernel.errors import DomainError, IllegalTransition


class CampaignStatus(StrEnum):
    DRAFT = "draft"  # being filled
    IN_WORK = "in_work"  # «В работе»: ready to post
    POSTED = "posted"  # «Проведён»: its deals started; nothing changes any more


TRANSITIONS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.IN_WORK}),
    CampaignStatus.IN_WORK: frozenset({CampaignStatus.DRAFT, CampaignStatus.POSTED}),
    CampaignStatus.POSTED: frozenset(),
}

#: the rows a campaign may have (a file's rows, or picked by hand)
MAX_ROWS = 5000
#: the deal each row starts (the seed's «Продажа (Сделка с клиентом)») is named by its fact, the counterparty's
#: name: it reads the same in every language (a person may rename it)


class CampaignNotReady(DomainError):
    """What a campaign lacks to go «В работу» (``errors.campaign_no_<what>``)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"campaign_no_{what}")


class CampaignPosted(DomainError):
    key = "campaign_posted"


def check_editable(status: str) -> None:
    """Rows, the template and the executor change while the document is a draft or in work, never once posted."""
    if status == CampaignStatus.POSTED:
        raise CampaignPosted()


def check_move(status: str, target: CampaignStatus, *, rows: int, template: bool, executor: bool) -> None:
    """``status`` → ``target``: the table's edge; «В работу» (and «Провести») needs rows, a template, an executor."""
    if status == CampaignStatus.POSTED:
        raise CampaignPosted()
    if target == CampaignStatus.POSTED and status != CampaignStatus.IN_WORK:
        raise DomainError("campaign_not_in_work")  # «Провести» after «В работу», as the seed has it
    if target not in TRANSITIONS[CampaignStatus(status)]:
        raise IllegalTransition(current=status, target=target, names="campaign_status.")
    if target in (CampaignStatus.IN_WORK, CampaignStatus.POSTED):
        for what, present in (("rows", rows > 0), ("template", template), ("executor", executor)):
            if not present:
                raise CampaignNotReady(what)


def deal_code(deal_id: int) -> str:
    """The deal's code as 1C shows it: «0000000001»."""
    return f"{deal_id:010d}"
