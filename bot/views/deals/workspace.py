"""The deal workspace's screens (seed 003): the list with its filter, the deal page and its panels, the choices,
the forecast, and the admins' statuses editor."""

from __future__ import annotations

from datetime import date

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.keyboards.builders import to_directories
from bot.keyboards.callbacks import (
    ColdAction,
    ColdCb,
    MenuAction,
    MenuCb,
    StatusAction,
    StatusCb,
    WsAction,
    WsCb,
    WsListCb,
)
from bot.keyboards.pager import button, fit, page_of, pager
from bot.views.deals.feed import entry_text
from bot.views.kernel.names import status_of
from bot.views.kernel.tasks import task_title
from core.db.kernel import models as m
from core.domain.deals.workspace import DealKind, Pipeline
from core.domain.kernel.paging import page_count
from core.services.deals.listing import PAGE, DealPage, Filter, Row

Markup = InlineKeyboardMarkup


# --- the list ------------------------------------------------------------------------------------------------------

def _facts(t: Translator, r: Row) -> list[str]:
    """A deal's line after its name: each fact once and named (the client when not the deal's name, the manager, the
    source), then its next task and its amount; what is not known is left out."""
    facts = [t("ws.filter_client", name=r.client)] if r.client and r.client != r.name else []
    facts += [t(key, name=value) for key, value in (("ws.filter_manager", r.manager), ("ws.filter_source", r.source))
              if value]
    facts.append(t("ws.no_tasks") if r.next_reminder is None else t("ws.row_next", when=t.dt(r.next_reminder)))
    if r.amount:  # a deal opened with no amount yet (a campaign's: 0) says none
        facts.append(t.money(r.amount))
    return facts


def deal_list(t: Translator, cb: WsListCb, f: Filter, rows: list[Row], total: int, webapp_url: str | None
              ) -> tuple[str, Markup]:
    labels = []
    if f.status_id:
        labels.append(t("ws.filter_status", name=next((r.status for r in rows), "…")))
    if f.manager_id:
        labels.append(t("ws.filter_manager", name=next((r.manager for r in rows), "…")))
    if f.client_id:
        labels.append(t("ws.filter_client", name=next((r.client for r in rows), "…")))
    if f.source_id:
        labels.append(t("ws.filter_source", name=next((r.source for r in rows), "…")))
    if f.query:
        labels.append(t("ws.filter_query", text=f.query))
    lines = [t("ws.list_title", scope=t("ws.scope_mine" if f.mine else "ws.scope_all"), total=total,
               filters=(" · " + ", ".join(labels)) if labels else "")]
    kb = InlineKeyboardBuilder()
    for n, r in enumerate(rows, start=cb.page * PAGE + 1):
        lines.append(t("ws.row", n=n, name=r.name) + "".join(" · " + fact for fact in _facts(t, r)))
        kb.row(button(fit(f"{n}. {r.name}", 60), WsCb(action=WsAction.OPEN, deal_id=r.id)))
    if not rows:
        lines.append(t("ws.empty"))
    pager(kb, cb.page, page_count(total, PAGE), lambda n: cb.model_copy(update={"page": n, "pick": 0}))
    scope = cb.model_copy(update={"mine": 0 if cb.mine else 1, "page": 0, "pick": 0})
    kb.row(button(t("ws.all") if cb.mine else t("ws.mine"), scope),
           button(t("ws.by_status"), cb.model_copy(update={"pick": 1})))
    kb.row(button(t("ws.by_manager"), cb.model_copy(update={"pick": 2})),
           button(t("ws.by_source"), cb.model_copy(update={"pick": 3})))
    kb.row(button(t("ws.search"), WsCb(action=WsAction.OPEN, item=-1)),
           button(t("ws.clear"), WsListCb()), button(t("ws.forecast"), WsCb(action=WsAction.FORECAST)))
    if webapp_url:
        kb.row(InlineKeyboardButton(text=t("ws.board"), web_app=WebAppInfo(url=webapp_url)))
    kb.row(button(t("buttons.menu"), MenuCb(action=MenuAction.HOME)))
    return "\n".join(lines), kb.as_markup()


def filter_choices(t: Translator, cb: WsListCb, *, statuses: list[tuple[str, m.DealStatus]] = (),
                   sources: list = (), people: list[m.User] = ()) -> tuple[str, Markup]:
    """Choices for the list's filter: statuses (a pipeline first, when there are several), sources, or managers; a
    page of them at a time (PICKER_PAGE, «◀️ ▶️»), then « Back »."""
    kb = InlineKeyboardBuilder()
    base = cb.model_copy(update={"pick": 0, "page": 0, "pipe": 0})
    back_to = base
    if cb.pick == 1:
        pipelines = list(dict.fromkeys(p for p, _ in statuses))
        if cb.pipe == 0 and len(pipelines) > 1:  # which pipeline's statuses
            for pipeline in pipelines:
                kb.row(button(t(f"pipeline.{pipeline}"),
                              cb.model_copy(update={"pipe": list(Pipeline).index(pipeline) + 1, "page": 0})))
            kb.row(button(t("buttons.back"), base))
            return t("ws.pick_pipeline"), kb.as_markup()
        if cb.pipe:
            pipeline = list(Pipeline)[min(max(cb.pipe, 1), len(Pipeline)) - 1]  # a forged place: the nearest
            statuses = [(p, s) for p, s in statuses if p == pipeline]
            if len(pipelines) > 1:
                back_to = cb.model_copy(update={"pipe": 0, "page": 0})
        items = [(status_of(t, s), base.model_copy(update={"status": s.id})) for _, s in statuses]
        text = t("ws.pick_status")
    elif cb.pick == 3:
        items = [(source.name, base.model_copy(update={"source": source.id})) for source in sources]
        text = t("ws.pick_source_filter")
    else:
        items = [(person.name, base.model_copy(update={"manager": person.id, "mine": 0})) for person in people]
        text = t("ws.pick_manager")
    shown, page, pages = page_of(items, cb.page)
    for label, data in shown:
        kb.row(button(fit(label, 60), data))
    pager(kb, page, pages, lambda n: cb.model_copy(update={"page": n}))
    kb.row(button(t("buttons.back"), back_to))
    return text, kb.as_markup()


# --- the deal page -------------------------------------------------------------------------------------------------

def page_text(t: Translator, p: DealPage) -> str:
    main = next((c for c in p.contacts if c.id == p.deal.contact_id), None)
    reminder = (t("ws.no_tasks") if p.next_reminder is None
                else f"{task_title(t, p.next_reminder)} — {t.dt(p.next_reminder.due_at)}")
    return t("ws.page", name=p.deal.name, id=p.deal.id, pipeline=t(f"pipeline.{p.deal.pipeline}"),
             status=status_of(t, p.status),
             kind=t(f"deal_kind.{p.deal.kind}") if p.deal.kind else "—", client=p.client.name if p.client else "—",
             source=p.source.name if p.source else "—",
             responsible=p.responsible.name if p.responsible else "—",
             amount=t("ws.page_amount", value=t.money(p.amount)) if p.amount is not None else "",
             reminder=reminder, contact=f"{main.name} {t.phones(main.phones)}" if main else "—")


#: a screen shows at most eight buttons (issue 30): the deal page's and its « ⋯ More » screen's, ways back included
PAGE_MAX = 8


def _page_buttons(t: Translator, p: DealPage, webapp_url: str | None
                  ) -> tuple[list[InlineKeyboardButton], list[InlineKeyboardButton]]:
    """The deal page's buttons: the daily ones (shown on the page) and the rest (behind « ⋯ More »). A comment and a
    reminder are also on the feed's panel: they give way when both screens would be too full."""
    deal_id = p.deal.id

    def b(key: str, action: WsAction) -> InlineKeyboardButton:
        return button(t(f"ws.{key}"), WsCb(action=action, deal_id=deal_id))

    daily = []
    if p.deal.pipeline == Pipeline.COLD_CALL:  # the stage engine's panel: its key, the survey, the card, the calls
        daily.append(button(t("cold.panel_button"), ColdCb(action=ColdAction.PANEL, deal_id=deal_id)))
    if not p.status.final:  # a deal in a final status stays there (core.domain.deals.workspace.check_move)
        daily.append(b("status", WsAction.STATUS))
    daily += [b("comment", WsAction.COMMENT), b("feed", WsAction.FEED), b("payments", WsAction.PAYMENTS),
              b("contacts", WsAction.CONTACTS), b("orders", WsAction.ORDERS), b("remind", WsAction.REMIND)]
    rest = [b("rename", WsAction.RENAME), b("kind", WsAction.KIND), b("responsible", WsAction.RESPONSIBLE),
            b("client", WsAction.CLIENT), b("source", WsAction.SOURCE)]
    if p.deal.client_id:
        rest.append(button(t("ws.client_deals"), WsListCb(mine=0, client=p.deal.client_id)))
    if webapp_url:  # the board of the deal's own pipeline
        board = WebAppInfo(url=f"{webapp_url}?pipeline={p.deal.pipeline}")
        rest.append(InlineKeyboardButton(text=t("ws.board"), web_app=board))
    for key in ("remind", "comment"):  # on the feed's panel too: the first to give way
        if len(daily) + len(rest) <= 2 * PAGE_MAX - 3:  # the page: ⋯ and ⬅️; « More »: ⬅️
            break
        daily = [x for x in daily if x.text != t(f"ws.{key}")]
    if len(daily) + len(rest) <= PAGE_MAX - 1:  # all fit on the page
        return daily + rest, []
    room = PAGE_MAX - 2
    return daily[:room], daily[room:] + rest


def _two_a_row(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + 2] for i in range(0, len(buttons), 2)]


def page_keyboard(t: Translator, p: DealPage, webapp_url: str | None) -> Markup:
    """The deal page: its daily actions, « ⋯ More » (the rest), « ⬅️ To the list »: at most PAGE_MAX buttons."""
    daily, rest = _page_buttons(t, p, webapp_url)
    rows = _two_a_row(daily)
    if rest:
        rows.append([button(t("ws.more"), WsCb(action=WsAction.MORE, deal_id=p.deal.id))])
    rows.append([button(t("ws.back"), WsListCb())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def more_screen(t: Translator, p: DealPage, webapp_url: str | None) -> tuple[str, Markup]:
    """« ⋯ More »: the deal page's actions that are not on it, then « ⬅️ To the deal »."""
    _, rest = _page_buttons(t, p, webapp_url)
    return t("ws.more_title", name=p.deal.name, id=p.deal.id), back(t, p.deal.id, *_two_a_row(rest))


def back(t: Translator, deal_id: int, *extra: list[InlineKeyboardButton]) -> Markup:
    """A panel's buttons, then «to the deal»."""
    return InlineKeyboardMarkup(inline_keyboard=[*extra, [button(t("ws.to_deal"),
                                                                 WsCb(action=WsAction.OPEN, deal_id=deal_id))]])


# --- choices -------------------------------------------------------------------------------------------------------

def status_choices(t: Translator, p: DealPage, page: int = 0) -> tuple[str, Markup]:
    """The statuses the deal may move to, a page at a time (PICKER_PAGE, «◀️ ▶️»), then « ⬅️ To the deal »."""
    items = [s for s in p.statuses if s.id != p.status.id and (p.may_close or not s.final)]
    shown, page, pages = page_of(items, page)
    kb = InlineKeyboardBuilder()
    for s in shown:
        kb.row(button(status_of(t, s), WsCb(action=WsAction.SET_STATUS, deal_id=p.deal.id, item=s.id)))
    pager(kb, page, pages, lambda n: WsCb(action=WsAction.STATUS, deal_id=p.deal.id, item=n))
    return t("ws.pick_status"), back(t, p.deal.id, *kb.export())


def kind_choices(t: Translator, deal_id: int) -> tuple[str, Markup]:
    rows = [[button(t(f"deal_kind.{k}"), WsCb(action=WsAction.SET_KIND, deal_id=deal_id, kind=k))]
            for k in DealKind]
    return t("ws.pick_kind"), back(t, deal_id, *rows)


def choices(t: Translator, deal_id: int, key: str, action: WsAction, items) -> tuple[str, Markup]:
    """One of the things a deal takes by id (a source, a manager, a client), by name."""
    rows = [[button(x.name, WsCb(action=action, deal_id=deal_id, item=x.id))] for x in items]
    return t(key), back(t, deal_id, *rows)


# --- the panels ----------------------------------------------------------------------------------------------------

def payments_panel(t: Translator, p: DealPage, today: date) -> tuple[str, Markup]:
    deal_id = p.deal.id
    lines, buttons = [t("ws.payments_title", name=p.deal.name, budget=t.money(p.deal.budget))], []
    for n, x in enumerate(p.payments, start=1):
        mark = t("ws.received") if x.received_at else (t("ws.overdue") if x.due_on < today else t("ws.waiting"))
        lines.append(t("ws.payment_row", n=n, mark=mark, amount=t.money(x.amount), due=t.day(x.due_on)))
        if x.received_at is None:
            buttons.append([button(t("ws.pay_receive", n=n), WsCb(action=WsAction.PAY_RECEIVE, deal_id=deal_id,
                                                                    item=x.id)),
                            button(t("ws.pay_move", n=n), WsCb(action=WsAction.PAY_MOVE, deal_id=deal_id,
                                                                 item=x.id))])
    buttons.append([button(t("ws.pay_add"), WsCb(action=WsAction.PAY_ADD, deal_id=deal_id))])
    return "\n".join(lines), back(t, deal_id, *buttons)


def orders_panel(t: Translator, p: DealPage) -> tuple[str, Markup]:
    lines = [t("ws.orders_title", name=p.deal.name)] + [
        t("ws.order_row", number=o.number, date=t.day(o.ordered_on), amount=t.money(o.amount),
          status=t(f"order_status.{o.status}")) for o in p.orders]
    add = [button(t("ws.order_add"), WsCb(action=WsAction.ORDER_ADD, deal_id=p.deal.id))]
    return "\n".join(lines), back(t, p.deal.id, add)


def contacts_panel(t: Translator, p: DealPage) -> tuple[str, Markup]:
    deal_id = p.deal.id
    lines, buttons = [t("ws.contacts_title", name=p.deal.name)], []
    for c in p.contacts:
        main = c.id == p.deal.contact_id
        lines.append(t("ws.contact_row", main="★ " if main else "", name=c.name,
                       phones=t.phones(c.phones)))
        row = [] if main else [button(fit(t("ws.contact_main", name=c.name), 40),
                                      WsCb(action=WsAction.CONTACT_MAIN, deal_id=deal_id, item=c.id))]
        row.append(button(fit(t("ws.contact_remove", name=c.name), 40),
                          WsCb(action=WsAction.CONTACT_REMOVE, deal_id=deal_id, item=c.id)))
        buttons.append(row)
    buttons.append([button(t("ws.contact_add"), WsCb(action=WsAction.CONTACT_ADD, deal_id=deal_id))])
    return "\n".join(lines), back(t, deal_id, *buttons)


def feed_panel(t: Translator, p: DealPage) -> tuple[str, Markup, list[m.FeedItem]]:
    """The feed, newest first, each line with its author (a line nobody wrote, a rule's: «—»), «Ещё» for the older
    lines, and its photos (they go out as photos, by Telegram's file id: no URL)."""
    people = ({p.responsible.id: p.responsible.name} if p.responsible else {}) | p.authors
    lines = [t("ws.feed_title", name=p.deal.name)]
    for item in p.feed:
        text = entry_text(t, item.kind, item.params, item.text)
        if item.file_kind == "document":
            text += " " + t("ws.feed_file", name=item.file_name or "")
        lines.append(t("ws.feed_row", at=t.dt(item.created_at), who=people.get(item.author_id, "—"), text=text))
    if not p.feed:
        lines.append(t("ws.feed_empty"))
    buttons = [[button(t("ws.comment"), WsCb(action=WsAction.COMMENT, deal_id=p.deal.id)),
                button(t("ws.remind"), WsCb(action=WsAction.REMIND, deal_id=p.deal.id))]]
    if p.feed_more:
        buttons.insert(0, [button(t("ws.feed_more"), WsCb(action=WsAction.FEED, deal_id=p.deal.id,
                                                          item=p.feed_page + 1))])
    return "\n".join(lines), back(t, p.deal.id, *buttons), [i for i in p.feed if i.file_kind == "photo"]


def forecast(t: Translator, figures: dict, names: dict[int, str]) -> tuple[str, Markup]:
    lines = [t("ws.forecast_title")]
    for who in [k for k in figures if k is not None] + [None]:
        if who not in figures:
            continue
        f = figures[who]
        lines.append(t("ws.forecast_row", who=names.get(who, "—") if who else t("ws.forecast_total"),
                       overdue=t.money(f["overdue"]), d30=t.money(f["30"]), d60=t.money(f["60"]),
                       d90=t.money(f["90"])))
    if not figures:
        lines.append(t("ws.forecast_empty"))
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[[button(t("ws.back"), WsListCb())]])


# --- the admins' statuses editor -----------------------------------------------------------------------------------

#: the colours a status is given by a button: an emoji each (the status's hex code stays for the web board)
PALETTE: tuple[tuple[str, str], ...] = (("🔴", "#e53935"), ("🟠", "#fb8c00"), ("🟡", "#fdd835"), ("🟢", "#43a047"),
                                        ("🔵", "#5b8def"), ("🟣", "#8e24aa"), ("🟤", "#6d4c41"), ("⚫", "#212121"),
                                        ("⚪", "#e0e0e0"))
#: each palette colour's name (locale table «colour»), in the palette's order
COLOUR_NAMES = ("red", "orange", "yellow", "green", "blue", "purple", "brown", "black", "white")


def color_mark(color: str | None) -> str:
    """A status's colour as people see it: the palette's emoji nearest to its hex code."""
    try:
        rgb = [int((color or "").lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    except ValueError:
        return "⚪"
    return min(PALETTE, key=lambda p: sum((a - int(p[1][1 + 2 * i:3 + 2 * i], 16)) ** 2
                                          for i, a in enumerate(rgb)))[0]


def color_named(t: Translator, color: str | None) -> str:
    """A status's colour with its name in the reader's language: «🔵 Синий»."""
    emoji = color_mark(color)
    return f"{emoji} {t('colour.' + COLOUR_NAMES[[e for e, _ in PALETTE].index(emoji)])}"


def palette(t: Translator, pipeline: Pipeline, status_id: int) -> tuple[str, Markup]:
    """The colour question: a button per colour (its emoji and its name), and the way back to the status."""
    picks = [button(f"{emoji} {t('colour.' + COLOUR_NAMES[i])}",
                    StatusCb(action=StatusAction.PAINT, pipeline=pipeline, status_id=status_id, color=i))
             for i, (emoji, _) in enumerate(PALETTE)]
    return t("ws.ask_status_color"), InlineKeyboardMarkup(inline_keyboard=[
        picks[:3], picks[3:6], picks[6:],
        [button(t("buttons.back"), StatusCb(action=StatusAction.OPEN, pipeline=pipeline, status_id=status_id))]])


def statuses_editor(t: Translator, pipeline: Pipeline, statuses: list[m.DealStatus]) -> tuple[str, Markup]:
    rows = []
    for s in statuses:
        marks = ("⭐ " if s.final else "") + ("🗄 " if s.archived else "")
        rows.append([button(f"{color_mark(s.color)} {marks}{status_of(t, s)}",
                            StatusCb(action=StatusAction.OPEN, pipeline=pipeline, status_id=s.id))])
    rows.append([button(t("ws.status_add"), StatusCb(action=StatusAction.ADD, pipeline=pipeline))])
    rows.append([to_directories(t)])
    return t("ws.statuses_title", pipeline=t(f"pipeline.{pipeline}")), InlineKeyboardMarkup(inline_keyboard=rows)


def status_card(t: Translator, pipeline: Pipeline, s: m.DealStatus) -> tuple[str, Markup]:
    def b(key: str, action: StatusAction) -> InlineKeyboardButton:
        return button(t(key), StatusCb(action=action, pipeline=pipeline, status_id=s.id))

    text = t("ws.status_card", name=status_of(t, s), color=color_named(t, s.color),
             final=t("ws.yes") if s.final else t("ws.no"), archived=t("ws.yes") if s.archived else t("ws.no"))
    return text, InlineKeyboardMarkup(inline_keyboard=[
        [b("ws.status_up", StatusAction.UP), b("ws.status_down", StatusAction.DOWN)],
        [b("ws.status_rename", StatusAction.RENAME), b("ws.status_color", StatusAction.COLOR)],
        [b("ws.status_final", StatusAction.FINAL), b("ws.status_archive", StatusAction.ARCHIVE)],
        [button(t("buttons.back"), StatusCb(action=StatusAction.PIPELINE, pipeline=pipeline))]])
