"""The screens of «Холодный обзвон» (seed 001): the campaign document, the survey's questions, a deal's stage
panel and its pickers. Texts come from the locale files; what people typed is escaped."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from aiogram.types import InlineKeyboardButton
from aiogram.types import InlineKeyboardMarkup as Markup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.exports import report_rows
from bot.i18n import Translator
from bot.keyboards.builders import menu_button
from bot.keyboards.callbacks import (
    CampAction,
    CampCb,
    ColdAction,
    ColdCb,
    ExchangeAction,
    ExchangeCb,
    MenuAction,
    MenuCb,
    OrderAction,
    OrderCb,
    QuoteAction,
    QuoteCb,
    SurveyAction,
    SurveyCb,
    WsAction,
    WsCb,
)
from bot.keyboards.pager import button, pager
from bot.views.kernel.names import status_name, status_of
from core.domain.campaigns.campaign import CampaignStatus, deal_code
from core.domain.campaigns.counterparties import CounterpartyField
from core.domain.campaigns.stages import STAGE_ACTIONS
from core.domain.campaigns.stages import Action as A
from core.domain.campaigns.survey import Kind, shown
from core.domain.kernel.paging import page_count
from core.services.campaigns.campaign import PAGE, CampaignView, Preview, Report
from core.services.campaigns.cold_call import Panel
from core.services.campaigns.surveys import Step


def campaign_list(t: Translator, items) -> tuple[str, Markup]:
    kb = InlineKeyboardBuilder()
    for c in items:
        kb.row(button(f"{t(f'campaign_status.{c.status}')} · {c.title}", CampCb(action=CampAction.OPEN,
                                                                                   campaign_id=c.id)))
    kb.row(button(t("cold.new"), CampCb(action=CampAction.NEW)),
           button(t("cold.new_template"), CampCb(action=CampAction.NEW_TEMPLATE)))
    kb.row(button(t("onec.open"), ExchangeCb(action=ExchangeAction.MENU)))  # the exchange with 1C: a head's
    kb.row(menu_button(t))
    return t("cold.list") if items else t("cold.list_empty"), kb.as_markup()


def not_a_runner(t: Translator) -> tuple[str, Markup]:
    """«📞 Cold calls» pressed by someone who runs no campaign (a manager, an executor): where their calls are."""
    kb = InlineKeyboardBuilder()
    kb.row(button(t("menu.workspace"), MenuCb(action=MenuAction.WORKSPACE)),
           button(t("menu.tasks"), MenuCb(action=MenuAction.TASKS)))
    kb.row(menu_button(t))
    return t("cold.not_a_runner"), kb.as_markup()


def campaign(t: Translator, v: CampaignView) -> tuple[str, Markup]:
    c = v.campaign
    lines = [t("cold.campaign", title=c.title, id=c.id, status=t(f"campaign_status.{c.status}"),
               template=v.template or "—", executor=v.executor or "—", rows=v.total)]
    first = v.page * PAGE + 1  # a row is called by its place in the document (1, 2, …), as a 1C table does
    for n, (row, name, inn, code, stage) in enumerate(v.rows, start=first):
        # the deal by its number, as its card and the deal list call it (1C's code «0000000001» is on its panel)
        deal = t("cold.row_deal", id=row.deal_id, stage=status_of(t, stage) if stage else "—") if code else ""
        lines.append(t("cold.row" if inn else "cold.row_no_inn", n=n, name=name, inn=inn) + deal)
    if v.editable and c.status != CampaignStatus.DRAFT and v.total:  # « Post » is 1C's word: said what it does
        lines += ["", t("cold.post_hint", count=v.total, executor=v.executor or "—")]
    kb = InlineKeyboardBuilder()
    cid = c.id
    if v.editable:
        kb.row(button(t("cold.file"), CampCb(action=CampAction.FILE, campaign_id=cid)),
               button(t("cold.search"), CampCb(action=CampAction.SEARCH, campaign_id=cid)))
        kb.row(button(t("cold.template"), CampCb(action=CampAction.TEMPLATES, campaign_id=cid)),
               button(t("cold.executor"), CampCb(action=CampAction.EXECUTORS, campaign_id=cid)))
        if c.status == CampaignStatus.DRAFT:
            kb.row(button(t("cold.to_work"), CampCb(action=CampAction.TO_WORK, campaign_id=cid)))
        else:
            kb.row(button(t("cold.to_draft"), CampCb(action=CampAction.TO_DRAFT, campaign_id=cid)),
                   button(t("cold.post"), CampCb(action=CampAction.POST, campaign_id=cid)))
    for n, (row, name, _, code, _) in enumerate(v.rows, start=first):  # each row's deal opens from here; before
        if code:                                                             # posting, a row may go
            kb.row(button(f"{code} · {name}", WsCb(action=WsAction.OPEN, deal_id=row.deal_id)))
        elif v.editable:
            kb.row(button(t("cold.remove_row", n=n, name=name), CampCb(
                action=CampAction.REMOVE_ROW, campaign_id=cid, item=row.id, page=v.page)))
    pager(kb, v.page, page_count(v.total, PAGE), lambda p: CampCb(action=CampAction.OPEN, campaign_id=cid, page=p),
          counter=True)
    if c.status == CampaignStatus.POSTED:
        kb.row(button(t("creport.open"), CampCb(action=CampAction.REPORT, campaign_id=cid)))
    kb.row(button(t("cold.all"), CampCb(action=CampAction.LIST)))
    return "\n".join(lines), kb.as_markup()


def report(t: Translator, r: Report) -> tuple[str, Markup]:
    """The campaign's report as a table (monospace: the figures line up on a phone)."""
    rows = [(label, t.money(value) if isinstance(value, Decimal) else str(value))
            for label, value in report_rows(t, r)]
    width = max(len(label) for label, _ in rows)
    table = "\n".join(f"{escape(label.ljust(width))}  {value}" for label, value in rows)
    kb = InlineKeyboardBuilder()
    kb.row(button(t("creport.xlsx"), CampCb(action=CampAction.REPORT_XLSX, campaign_id=r.campaign.id)),
           button(t("cold.back"), CampCb(action=CampAction.OPEN, campaign_id=r.campaign.id)))
    return t("creport.head", title=r.campaign.title) + f"\n<pre>{table}</pre>", kb.as_markup()


def preview(t: Translator, p: Preview, limit: int = 30) -> str:
    lines = [t("cold.preview", add=len(p.add), bad=len(p.bad), repeated=len(p.repeated), known=len(p.known),
               present=len(p.present))]
    lines += [t("import.bad_row", row=row, reason=t.reason(key, params)) for row, key, params in p.bad[:limit]]
    lines += [t("cold.repeated_row", row=row, first=first) for row, first in p.repeated[:limit]]
    lines += [t("cold.known_row", row=row, name=name) for row, name in p.known[:limit]]
    lines += [t("cold.present_row", row=row) for row in p.present[:limit]]
    return "\n".join(lines)


def picks(t: Translator, campaign_id: int, action: CampAction, items) -> Markup:
    kb = InlineKeyboardBuilder()
    for item_id, text in items:
        kb.row(button(text, CampCb(action=action, campaign_id=campaign_id, item=item_id)))
    kb.row(button(t("cold.back"), CampCb(action=CampAction.OPEN, campaign_id=campaign_id)))
    return kb.as_markup()


# --- the survey ----------------------------------------------------------------------------------------------------

def question(t: Translator, step: Step, picked: list[int] | None = None) -> tuple[str, Markup]:
    """The next question and how to answer it: buttons for a choice or yes/no, typing for the rest."""
    deal_id = step.deal_id
    stop = button(t("survey.stop"), SurveyCb(action=SurveyAction.STOP, deal_id=deal_id))
    if step.question is None:
        return t("survey.done"), Markup(inline_keyboard=[[button(t("ws.to_deal"), WsCb(action=WsAction.OPEN,
                                                                                        deal_id=deal_id))]])
    q = step.question
    kind = Kind(q.kind)
    text = t("survey.question", n=step.number, total=step.total, text=q.text) + "\n" + t(f"survey.how_{kind.value}")
    rows: list[list[InlineKeyboardButton]] = []
    if kind == Kind.ONE:
        rows = [[button(o, SurveyCb(action=SurveyAction.ONE, deal_id=deal_id, question_id=q.id, option=i))]
                for i, o in enumerate(q.options)]
    elif kind == Kind.MANY:
        on = set(picked or [])
        rows = [[button(("✅ " if i in on else "⬜ ") + o, SurveyCb(action=SurveyAction.TOGGLE, deal_id=deal_id,
                                                                   question_id=q.id, option=i))]
                for i, o in enumerate(q.options)]
        rows.append([button(t("survey.many_done"), SurveyCb(action=SurveyAction.MANY_DONE, deal_id=deal_id,
                                                           question_id=q.id))])
    elif kind == Kind.YESNO:
        rows = [[button(t("survey.yes"), SurveyCb(action=SurveyAction.YES, deal_id=deal_id, question_id=q.id)),
                 button(t("survey.no"), SurveyCb(action=SurveyAction.NO, deal_id=deal_id, question_id=q.id))]]
    return text, Markup(inline_keyboard=[*rows, [stop]])


def answer_text(t: Translator, kind: Kind, value) -> str:
    return shown(kind, value, t("survey.yes"), t("survey.no"))


# --- a deal's stage panel --------------------------------------------------------------------------------------------

FIELDS = tuple(CounterpartyField)
#: the card's fields in two screens of at most eight buttons: the requisites (``item`` 0), then the needs (1)
NEEDS = (CounterpartyField.POTENTIAL, CounterpartyField.COMPETITORS, CounterpartyField.VOLUMES,
         CounterpartyField.ASSORTMENT)
FIELD_GROUPS = (tuple(f for f in FIELDS if f not in NEEDS), NEEDS)


def panel(t: Translator, p: Panel) -> tuple[str, Markup]:
    c = p.client
    keys = ", ".join(t(f"cold.key_{k.value}") for k in sorted(p.keys)) or "—"
    stage = status_name(t, p.deal.pipeline, p.stage, p.stage_name)
    lines = [t("cold.panel", name=p.deal.name, code=deal_code(p.deal.id), stage=stage, due=t.dt(p.due_at), keys=keys)]
    if c is not None:
        lines.append(t("cold.counterparty", name=c.name, inn=c.inn or "—", kpp=c.kpp or "—", ogrn=c.ogrn or "—",
                       email=c.email or "—", group=p.group or "—", cadence=p.cadence or "—"))
        extra = [(t(f"cold.field_{f.value}"), getattr(c, f.value)) for f in
                 (CounterpartyField.ADDRESS, CounterpartyField.POTENTIAL, CounterpartyField.COMPETITORS,
                  CounterpartyField.VOLUMES, CounterpartyField.ASSORTMENT)]
        lines += [f"{label}: {escape(value)}" for label, value in extra if value]
    if p.answers:
        lines.append(t("cold.answers"))
        lines += [f"• {escape(text)} — {escape(answer_text(t, kind, value))}" for text, kind, value in p.answers]
    if p.card is not None:
        lines.append(t("cold.card_done", how=t(f"cold.channel_{p.card.channel}"), at=t.dt(p.card.done_at))
                     if p.card.done_at else t("cold.card_open"))
    if p.next_call is not None:
        lines.append(t("cold.next_call", n=p.next_call.number, at=t.dt(p.next_call.planned_at)))
    if p.members:
        lines.append(t("cold.members", names=", ".join(p.members)))
    d = p.deal.id
    rows: list[list[InlineKeyboardButton]] = []
    allowed = STAGE_ACTIONS[p.stage]  # what the process allows at this stage: the panel offers exactly that
    if A.SURVEY in allowed:
        rows.append([button(t("cold.survey"), SurveyCb(action=SurveyAction.ASK, deal_id=d))])
    if A.GROUP in allowed:
        rows.append([button(t("cold.group"), ColdCb(action=ColdAction.GROUPS, deal_id=d))])
    if A.CARD_EMAIL in allowed:
        rows.append([button(t("cold.email"), ColdCb(action=ColdAction.EMAIL, deal_id=d))])
    if A.CARD_FAX in allowed:
        rows.append([button(t("cold.fax"), ColdCb(action=ColdAction.FAX, deal_id=d)),
                     button(t("cold.by_hand"), ColdCb(action=ColdAction.BY_HAND, deal_id=d))])
    if A.REROUTE in allowed and p.may_reroute:  # the group's head or an admin; the executor waits for them
        rows.append([button(t("cold.reroute"), ColdCb(action=ColdAction.REROUTE, deal_id=d))])
    if A.CADENCE in allowed:
        rows.append([button(t("cold.cadence"), ColdCb(action=ColdAction.CADENCES, deal_id=d))])
    if A.DOC_BY_HAND in allowed:  # the document's e-mail waits for the worker: or it went some other way
        rows.append([button(t("cold.doc_by_hand"), ColdCb(action=ColdAction.DOC_BY_HAND, deal_id=d))])
    if A.ANSWERED in allowed:  # stage 9's next step, on the panel itself
        lines.append(t("cold.next.wait"))
        rows.append([button(t("quote.answered"), QuoteCb(action=QuoteAction.ANSWERED, deal_id=d))])
    if A.QUOTE in allowed:
        rows.append([button(t("cold.quote"), QuoteCb(action=QuoteAction.OPEN, deal_id=d))])
    if A.ORDER in allowed and p.order_id is not None:
        rows.append([button(t("cold.order"), OrderCb(action=OrderAction.OPEN, order_id=p.order_id))])
    if c is not None and p.may_ship_unpaid:
        rows.append([button(t("cold.ship_unpaid_on" if c.ship_unpaid else "cold.ship_unpaid_off"),
                            ColdCb(action=ColdAction.SHIP_UNPAID, deal_id=d, item=0 if c.ship_unpaid else 1))])
    if c is not None:
        rows.append([button(t("cold.fields"), ColdCb(action=ColdAction.FIELDS, deal_id=d))])
    if A.CLOSE in allowed and p.closed_status_id and p.may_close:
        rows.append([button(t("cold.close"), WsCb(action=WsAction.SET_STATUS, deal_id=d, item=p.closed_status_id))])
    rows.append([button(t("cold.export"), ColdCb(action=ColdAction.EXPORT, deal_id=d)),
                 button(t("ws.to_deal"), WsCb(action=WsAction.OPEN, deal_id=d))])
    return "\n".join(lines), Markup(inline_keyboard=rows)


def to_panel(t: Translator, deal_id: int, rows: list[list[InlineKeyboardButton]]) -> Markup:
    return Markup(inline_keyboard=[*rows, [button(t("cold.to_panel"), ColdCb(action=ColdAction.PANEL,
                                                                              deal_id=deal_id))]])


def field_choices(t: Translator, deal_id: int, group: int = 0) -> tuple[str, Markup]:
    """The requisites' fields (``group`` 0) or the needs' (1), and a button to the other group."""
    group = 1 if group == 1 else 0
    rows = [[button(t(f"cold.field_{f.value}"), ColdCb(action=ColdAction.EDIT, deal_id=deal_id, field=f))]
            for f in FIELD_GROUPS[group]]
    other = 1 - group
    rows.append([button(t("cold.fields_needs" if other else "cold.fields_requisites"),
                        ColdCb(action=ColdAction.FIELDS, deal_id=deal_id, item=other))])
    return t("cold.pick_field"), to_panel(t, deal_id, rows)


def item_choices(t: Translator, deal_id: int, key: str, action: ColdAction, items) -> tuple[str, Markup]:
    rows = [[button(name, ColdCb(action=action, deal_id=deal_id, item=item_id))] for item_id, name in items]
    return t(key) if rows else t(f"{key}_none"), to_panel(t, deal_id, rows)
