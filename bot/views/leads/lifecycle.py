"""The screens of leads and contact cards (seed 004): the lead card with its status buttons, the contact card, the
lead list with its filters, the edit menus; «Мои задачи»; the funnel report's table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.exports import REACHED, share, total
from bot.i18n import Translator
from bot.keyboards.builders import menu_button
from bot.keyboards.callbacks import (
    ContactAction,
    ContactCb,
    LeadAction,
    LeadCb,
    LeadListCb,
    PrivacyAction,
    PrivacyCb,
    ReportCb,
    WsAction,
    WsCb,
)
from bot.keyboards.pager import button, fit, pager
from bot.views.kernel.names import status_of
from bot.views.kernel.tasks import task_title
from bot.views.leads.feed import note_line
from core.db.kernel import models as m
from core.db.kernel.repositories import Page
from core.domain.kernel.contacts import ContactField
from core.domain.kernel.roles import Role, holds
from core.domain.leads.lifecycle import CHOSEN_JUNK, TRANSITIONS, LeadField, LeadStatus, offered
from core.services.leads.lifecycle import ContactView, LeadView

Markup = InlineKeyboardMarkup
ORDER = list(LeadStatus)  # the order status buttons are shown in (never their wire code: that is the value)


def worded(t: Translator, pipeline: str, key: str) -> str:
    """A lead's word as the deployment's pipeline says it: ``leads.sales.debt`` («Сумма сделки») where the deals are
    a sales team's, ``leads.debt`` («Сумма долга», seed 004) where they are a law firm's."""
    own = f"leads.{pipeline}.{key}"
    return own if t.has(own) else f"leads.{key}"


# --- a lead --------------------------------------------------------------------------------------------------------

def _day(t: Translator, at: datetime) -> str:
    """The day of a moment in the reader's timezone (stored UTC; SQLite gives it back naive)."""
    return t.day((at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(ZoneInfo(t.timezone)))


def lead_card(t: Translator, v: LeadView) -> tuple[str, Markup]:
    lead = v.lead
    lines = [t("leads.title", id=lead.id, status=t(f"lead_status.{lead.status}")),
             t("leads.contact", name=lead.contact.name, phones=t.phones(lead.contact.phones)),
             t("leads.source", value=lead.source.name)]
    if lead.given_name:  # a known phone with another name: the name this request gave, beside the card's
        lines.insert(2, t("leads.given_name", name=lead.given_name, card=lead.contact.name))
    if lead.debt_amount is not None:
        lines.append(t(worded(t, v.lead_pipeline, "debt"), value=t.money(lead.debt_amount)))
    if lead.city:
        lines.append(t("leads.city", value=lead.city))
    if lead.comment:
        lines.append(t("leads.comment", value=lead.comment))
    if lead.meeting_at:
        lines.append(t("leads.meeting", value=t.dt(lead.meeting_at)))
    lines.append(t("leads.responsible", value=v.responsible.name if v.responsible else "—"))
    lines.append(t("leads.attempts", count=v.attempts))
    touches: dict[str, list] = {}  # a task repeated by the calling cadence (seed 004): one line, its next days after
    for task in sorted(v.open_tasks, key=lambda x: x.due_at):
        touches.setdefault(task_title(t, task), []).append(task)
    for title, same in list(touches.items())[:5]:
        then = t("leads.task_then", days=", ".join(_day(t, x.due_at) for x in same[1:])) if len(same) > 1 else ""
        lines.append(t("leads.task", title=title, due=t.dt(same[0].due_at)) + then)
    for note in v.notes[:3]:
        lines.append(note_line(t, note, v.authors))
    if v.deal is not None:  # «Договор» made it: which, a press away
        lines.append(t("leads.deal", id=v.deal.id, name=v.deal.name))
    kb = InlineKeyboardBuilder()
    if v.deal is not None:
        kb.row(button(t("leads.deal_button", id=v.deal.id), WsCb(action=WsAction.OPEN, deal_id=v.deal.id)))
    kb.row(button(t("leads.contact_button"), LeadCb(action=LeadAction.CONTACT, lead_id=lead.id, value=lead.contact_id)),
           button(t("leads.edit_button"), LeadCb(action=LeadAction.EDIT, lead_id=lead.id)))
    if lead.given_name and lead.contact.erased_at is None:
        kb.row(button(fit(t("leads.take_name_button", name=lead.given_name), 60),
                      LeadCb(action=LeadAction.TAKE_NAME, lead_id=lead.id)))
    current = LeadStatus(lead.status)
    if current != LeadStatus.DUPLICATE and current in TRANSITIONS:
        kb.row(button(t("leads.attempt_button"), LeadCb(action=LeadAction.ATTEMPT, lead_id=lead.id)))
        for target in sorted(TRANSITIONS[current] - CHOSEN_JUNK, key=ORDER.index):
            kb.button(text=t(f"lead_status.{target}"), callback_data=LeadCb(
                action=LeadAction.STATUS, lead_id=lead.id, status=target))
        kb.adjust(1, 2)
        if TRANSITIONS[current] & CHOSEN_JUNK & set(offered(v.lead_pipeline)):
            kb.row(button(t("leads.junk_button"), LeadCb(action=LeadAction.JUNK, lead_id=lead.id)))
    if v.client_in_bot:  # the client left it in the bot: a message reaches them there
        kb.row(button(t("lead_chat.write_button"), LeadCb(action=LeadAction.ANSWER, lead_id=lead.id)))
    kb.row(button(t("leads.back_to_list"), LeadListCb()), menu_button(t))
    return "\n".join(lines), kb.as_markup()


def junk_choices(t: Translator, v: LeadView) -> tuple[str, Markup]:
    kb = InlineKeyboardBuilder()
    junk = TRANSITIONS.get(LeadStatus(v.lead.status), frozenset()) & CHOSEN_JUNK & set(offered(v.lead_pipeline))
    for target in sorted(junk, key=ORDER.index):
        kb.button(text=t(f"lead_status.{target}"), callback_data=LeadCb(
            action=LeadAction.STATUS, lead_id=v.lead.id, status=target))
    kb.adjust(2)
    kb.row(button(t("leads.to_lead"), LeadCb(action=LeadAction.OPEN, lead_id=v.lead.id)))
    return t("leads.junk_title", id=v.lead.id), kb.as_markup()


def lead_edit_menu(t: Translator, v: LeadView) -> tuple[str, Markup]:
    kb = InlineKeyboardBuilder()
    for field in LeadField:
        kb.button(text=t(worded(t, v.lead_pipeline, f"field_{field.value}")), callback_data=LeadCb(
            action=LeadAction.EDIT_FIELD, lead_id=v.lead.id, field=field))
    kb.button(text=t("leads.edit_source"), callback_data=LeadCb(action=LeadAction.SOURCE, lead_id=v.lead.id))
    kb.button(text=t("leads.edit_responsible"), callback_data=LeadCb(action=LeadAction.RESPONSIBLE,
                                                                      lead_id=v.lead.id))
    kb.button(text=t("leads.edit_contact"), callback_data=LeadCb(action=LeadAction.CONTACT, lead_id=v.lead.id,
                                                                  value=v.lead.contact_id))
    kb.adjust(3, 2, 1)
    kb.row(button(t("leads.to_lead"), LeadCb(action=LeadAction.OPEN, lead_id=v.lead.id)))
    return t("leads.edit_title", id=v.lead.id), kb.as_markup()


# --- a contact card ------------------------------------------------------------------------------------------------

#: a screen shows at most eight buttons (issue 30), its ways back included
CARD_MAX = 8


def contact_card(t: Translator, me: m.User, v: ContactView) -> tuple[str, Markup]:
    c = v.contact
    lines = [t("contact.title", name=c.name), t("contact.phones", value=t.phones(c.phones))]
    if c.city:
        lines.append(t("leads.city", value=c.city))
    if c.messengers:
        lines.append(t("contact.messengers", value=", ".join(f"{k}: {x}" for k, x in c.messengers.items())))
    if c.comment:
        lines.append(t("leads.comment", value=c.comment))
    lines.append(t("contact.leads", count=len(v.leads)))
    lines += [t("contact.lead", id=x.id, status=t(f"lead_status.{x.status}"), source=x.source.name) for x in v.leads]
    lines.append(t("contact.deals", count=len(v.deals)))
    # the status as the board names it
    lines += [t("contact.deal", id=x.id, status=status_of(t, x.status)) for x in v.deals]
    kb = InlineKeyboardBuilder()
    own = []
    if c.erased_at is None:
        own.append(button(t("contact.edit_button"), ContactCb(action=ContactAction.EDIT, contact_id=c.id)))
    if holds(me, Role.ADMIN) and c.user_id is None:  # a person known by phone only: their data, on request
        own.append(button(t("privacy.contact_button"), PrivacyCb(action=PrivacyAction.CONTACT, subject_id=c.id)))
    # the newest leads and deals (the text lists them all), its own buttons, the ways back: CARD_MAX in all
    room = CARD_MAX - 2 - len(own)
    n_deals = min(len(v.deals), max(room // 2, room - len(v.leads)))  # half each, or what the other leaves
    deals = v.deals[len(v.deals) - n_deals:]
    for x in v.leads[max(0, len(v.leads) - (room - n_deals)):]:  # each by the name its request gave
        kb.row(button(t("leads.row", id=x.id, name=x.given_name or c.name, status=t(f"lead_status.{x.status}")),
                      LeadCb(action=LeadAction.OPEN, lead_id=x.id)))
    for x in deals:  # those this person reads (the service's rule); the deal's page checks again
        kb.row(button(fit(t("contact.deal_button", id=x.id, name=x.name), 60), WsCb(action=WsAction.OPEN,
                                                                                    deal_id=x.id)))
    for b in own:
        kb.row(b)
    kb.row(button(t("leads.back_to_list"), LeadListCb()), menu_button(t))
    return "\n".join(lines), kb.as_markup()


def contact_edit_menu(t: Translator, c: m.Contact) -> tuple[str, Markup]:
    kb = InlineKeyboardBuilder()
    for field in ContactField:
        kb.button(text=t(f"contact.field_{field.value}"), callback_data=ContactCb(
            action=ContactAction.FIELD, contact_id=c.id, field=field))
    kb.button(text=t("contact.add_phone"), callback_data=ContactCb(action=ContactAction.ADD_PHONE, contact_id=c.id))
    for phone in c.phones:
        kb.button(text=t("contact.remove_phone", phone=t.phone(phone.phone)), callback_data=ContactCb(
            action=ContactAction.REMOVE_PHONE, contact_id=c.id, value=phone.id))
    kb.adjust(2)
    kb.row(button(t("contact.to_contact"), LeadCb(action=LeadAction.CONTACT, value=c.id)))
    return t("contact.edit_title", name=c.name), kb.as_markup()


# --- the list ------------------------------------------------------------------------------------------------------

def lead_list(t: Translator, me: m.User, f: LeadListCb, page: Page[m.Lead], wide: bool = False
              ) -> tuple[str, Markup]:
    """The lead list with its filter buttons; ``f`` carries the page and the filters in every button; «Все» for
    someone who reads more than their own leads (``wide``: an admin, a team's head)."""
    kb = InlineKeyboardBuilder()
    for lead in page.items:
        kb.row(button(t("leads.row", id=lead.id, name=lead.contact.name, status=t(f"lead_status.{lead.status}")),
                      LeadCb(action=LeadAction.OPEN, lead_id=lead.id)))
    pager(kb, page.page, page.pages, lambda n: f.model_copy(update={"page": n}))
    kb.row(button(t("leads.filter_status"), f.model_copy(update={"pick": "status", "page": 0})),
           button(t("leads.filter_source"), f.model_copy(update={"pick": "source", "page": 0})),
           button(t("leads.filter_week") if f.days != 7 else t("leads.filter_any_time"),
                  f.model_copy(update={"days": 0 if f.days == 7 else 7, "page": 0})))
    if wide:
        kb.row(button(t("leads.list_mine_button") if f.everyone else t("leads.all_button"),
                      LeadListCb(everyone=not f.everyone)))
    kb.row(menu_button(t))
    title = t("leads.list_all" if f.everyone else "leads.list_mine", total=page.total)
    if f.status is not None:
        title += " · " + t(f"lead_status.{f.status}")
    if f.days:
        title += " · " + t("leads.filter_week")
    return f"<b>{title}</b>" + ("" if page.items else "\n" + t("lists.empty")), kb.as_markup()


def filter_choices(t: Translator, f: LeadListCb, sources: list = (), statuses: list[LeadStatus] = ORDER
                   ) -> tuple[str, Markup]:
    kb = InlineKeyboardBuilder()
    back = f.model_copy(update={"pick": "", "page": 0})
    if f.pick == "status":
        kb.button(text=t("leads.filter_any"), callback_data=back.model_copy(update={"status": None}))
        for status in statuses:
            kb.button(text=t(f"lead_status.{status}"), callback_data=back.model_copy(update={"status": status}))
    else:
        kb.button(text=t("leads.filter_any"), callback_data=back.model_copy(update={"source": 0}))
        for source in sources:
            kb.button(text=source.name, callback_data=back.model_copy(update={"source": source.id}))
    kb.adjust(2)
    kb.row(button(t("buttons.back"), back))  # to the list, its filters as they were
    return t(f"leads.pick_{f.pick}"), kb.as_markup()


# --- the funnel report ---------------------------------------------------------------------------------------------

def report_menu(t: Translator) -> tuple[str, Markup]:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("report.this_month"), callback_data=ReportCb(months_back=0))
    kb.button(text=t("report.last_month"), callback_data=ReportCb(months_back=1))
    kb.button(text=t("report.other"), callback_data=ReportCb(months_back=-1))
    kb.row(menu_button(t))
    return t("report.choose"), kb.as_markup()


def funnel_period(t: Translator, start: datetime, end: datetime) -> str:
    return t("report.period", start=t.dt(start)[:10], end=t.dt(end - timedelta(seconds=1))[:10])


def render_funnel(t: Translator, rows, period: str) -> str:
    """A block per source that fits a phone's chat bubble: its leads, then each stage with how many reached it and
    their share of the leads; the total last."""
    blocks = []
    for r in [*rows, total(rows, t)] if rows else []:
        name = r.source if len(r.source) <= 20 else r.source[:19] + "…"
        lines = [f"{name:<20} {r.leads:>5}"]
        for stage in REACHED:
            value = getattr(r, stage)
            lines.append(f"  {t(f'report.{stage}'):<15} {value:>5} {share(value, r.leads):>4.0f}%")
        blocks.append("\n".join(lines))
    body = "\n\n".join(blocks) or t("lists.empty")
    return f"<b>{escape(period)}</b>\n<pre>{escape(body)}</pre>"
