"""The deal workspace in the chat (seed 003): «Сделки» with its filter (mine by default), the deal page and its
panels (payments, orders, contacts, feed), edits, the forecast; a «Канбан» button opens the Mini App."""

from __future__ import annotations

from datetime import date

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, WebAppInfo
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin, checked_file
from bot.fsm.moves import move
from bot.fsm.states import WsInput
from bot.i18n import Translator
from bot.keyboards.callbacks import MenuAction, MenuCb, StatusAction, StatusCb, WsAction, WsCb, WsListCb
from core.db.models import User
from core.db.uow import UnitOfWork
from core.domain.deals import DealKind, MoveNeedsComment, Pipeline
from core.domain.errors import Forbidden, InvalidInput
from core.domain.inputs import clean_text, parse_amount_and_date, parse_date
from core.domain.roles import Role
from core.domain.schedule import local_date, parse_local
from core.services import deal_list, deal_statuses, directories, payments, workspace
from core.services.config import CoreConfig
from core.services.deal_list import DealPage, Filter
from core.services.directories import Directory
from core.services.workspace import Attachment

router = Blueprint("workspace")
KINDS = list(DealKind)


def _button(text: str, data) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


# --- the list ----------------------------------------------------------------------------------------------------

def _filter(cb: WsListCb, query: str | None) -> Filter:
    return Filter(mine=bool(cb.mine), status_id=cb.status or None, manager_id=cb.manager or None,
                  client_id=cb.client or None, query=query if cb.q else None, source_id=cb.source or None)


async def _list(target: Message, me: User, t: Translator, uow: UnitOfWork, state: FSMContext, cb: WsListCb,
                webapp_url: str | None, *, edit: bool) -> None:
    query = (await state.get_data()).get("ws_query")
    f = _filter(cb, query)
    rows, total = await deal_list.page(uow, me.id, f, cb.page)
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
    for n, r in enumerate(rows, start=cb.page * deal_list.PAGE + 1):
        when = t("ws.no_tasks") if r.next_reminder is None else "⏰ " + t.dt(r.next_reminder)
        lines.append(t("ws.row", n=n, name=r.name, client=r.client or "—", manager=r.manager or "—",
                       source=r.source or "—", when=when, budget=t.money(r.budget)))
        kb.row(_button(f"{n}. {r.name}"[:60], WsCb(action=WsAction.OPEN, deal_id=r.id)))
    if not rows:
        lines.append(t("ws.empty"))
    pages = max((total + deal_list.PAGE - 1) // deal_list.PAGE, 1)
    nav = []
    if cb.page > 0:
        nav.append(_button("◀️", cb.model_copy(update={"page": cb.page - 1, "pick": 0})))
    if cb.page + 1 < pages:
        nav.append(_button("▶️", cb.model_copy(update={"page": cb.page + 1, "pick": 0})))
    if nav:
        kb.row(*nav)
    scope = cb.model_copy(update={"mine": 0 if cb.mine else 1, "page": 0, "pick": 0})
    kb.row(_button(t("ws.all") if cb.mine else t("ws.mine"), scope),
           _button(t("ws.by_status"), cb.model_copy(update={"pick": 1})))
    kb.row(_button(t("ws.by_manager"), cb.model_copy(update={"pick": 2})),
           _button(t("ws.by_source"), cb.model_copy(update={"pick": 3})))
    kb.row(InlineKeyboardButton(text=t("ws.search"), callback_data=WsCb(action=WsAction.OPEN, item=-1).pack()),
           _button(t("ws.clear"), WsListCb()), _button(t("ws.forecast"), WsCb(action=WsAction.FORECAST)))
    if webapp_url:
        kb.row(InlineKeyboardButton(text=t("ws.board"), web_app=WebAppInfo(url=webapp_url)))
    kb.row(_button(t("buttons.menu"), MenuCb(action=MenuAction.HOME)))
    await _show(target, "\n".join(lines), kb.as_markup(), edit=edit)


async def _show(target: Message, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool) -> None:
    """In place when the press came from a text message; a new message otherwise (or when Telegram refuses the
    edit: the message is too old, or the same)."""
    if edit:
        try:
            await target.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest:
            pass
    await target.answer(text, reply_markup=markup)


@router.callback_query(MenuCb.filter(F.action == MenuAction.WORKSPACE))
async def from_menu(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork, state: FSMContext,
                    webapp_url: str | None = None) -> None:
    await cb.answer()
    await _list(cb.message, me, t, uow, state, WsListCb(), webapp_url, edit=False)


@router.message(Command("crm"))
async def from_command(message: Message, me: User, t: Translator, uow: UnitOfWork, state: FSMContext,
                       webapp_url: str | None = None) -> None:
    await _list(message, me, t, uow, state, WsListCb(), webapp_url, edit=False)


@router.callback_query(WsListCb.filter(F.pick == 0))
async def listed(cb: CallbackQuery, callback_data: WsListCb, me: User, t: Translator, uow: UnitOfWork,
                 state: FSMContext, webapp_url: str | None = None) -> None:
    await cb.answer()
    await _list(cb.message, me, t, uow, state, callback_data, webapp_url, edit=True)


@router.callback_query(WsListCb.filter(F.pick > 0))
async def pick_filter(cb: CallbackQuery, callback_data: WsListCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """Choices for the filter: the statuses of both pipelines, or the managers whose deals the person sees."""
    kb = InlineKeyboardBuilder()
    base = callback_data.model_copy(update={"pick": 0, "page": 0})
    if callback_data.pick == 1:
        for pipeline in ("market", "law"):
            for s in await deal_statuses.statuses(uow, me.id, pipeline):
                kb.row(_button(f"{t(f'pipeline.{pipeline}')}: {s.name}"[:60], base.model_copy(update={"status": s.id})))
        text = t("ws.pick_status")
    elif callback_data.pick == 3:
        await deal_list.page(uow, me.id, Filter(), 0, 1)  # staff only
        for source in await directories.listing(uow, Directory.SOURCES, active_only=False):
            kb.row(_button(source.name, base.model_copy(update={"source": source.id})))
        text = t("ws.pick_source_filter")
    else:
        for person in await workspace.colleagues(uow, me.id):
            kb.row(_button(person.name, base.model_copy(update={"manager": person.id, "mine": 0})))
        text = t("ws.pick_manager")
    kb.row(_button(t("buttons.back"), base))
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=kb.as_markup())


# --- the deal page -------------------------------------------------------------------------------------------------

def _page_text(t: Translator, p: DealPage) -> str:
    main = next((c for c in p.contacts if c.id == p.deal.contact_id), None)
    reminder = (t("ws.no_tasks") if p.next_reminder is None
                else f"{p.next_reminder.title} — {t.dt(p.next_reminder.due_at)}")
    return t("ws.page", name=p.deal.name, id=p.deal.id, pipeline=t(f"pipeline.{p.deal.pipeline}"), status=p.status.name,
             kind=t(f"deal_kind.{p.deal.kind}") if p.deal.kind else "—", client=p.client.name if p.client else "—",
             source=p.source.name if p.source else "—",
             responsible=p.responsible.name if p.responsible else "—", budget=t.money(p.deal.budget),
             reminder=reminder, contact=f"{main.name} {', '.join(ph.phone for ph in main.phones)}" if main else "—")


def _page_keyboard(t: Translator, deal_id: int, client_id: int | None, pipeline: str, webapp_url: str | None
                   ) -> InlineKeyboardMarkup:
    def b(key: str, action: WsAction) -> InlineKeyboardButton:
        return _button(t(f"ws.{key}"), WsCb(action=action, deal_id=deal_id))

    rows = [[b("rename", WsAction.RENAME), b("status", WsAction.STATUS), b("kind", WsAction.KIND)],
            [b("responsible", WsAction.RESPONSIBLE), b("client", WsAction.CLIENT), b("source", WsAction.SOURCE)],
            [b("payments", WsAction.PAYMENTS), b("orders", WsAction.ORDERS), b("contacts", WsAction.CONTACTS)],
            [b("feed", WsAction.FEED), b("comment", WsAction.COMMENT), b("remind", WsAction.REMIND)]]
    if client_id:
        rows.append([_button(t("ws.client_deals"), WsListCb(mine=0, client=client_id))])
    if webapp_url:  # the board of the deal's own pipeline
        board = WebAppInfo(url=f"{webapp_url}?pipeline={pipeline}")
        rows.append([InlineKeyboardButton(text=t("ws.board"), web_app=board)])
    rows.append([_button(t("ws.back"), WsListCb())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_deal(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int,
                    webapp_url: str | None, *, edit: bool = False) -> None:
    page = await deal_list.view(uow, me.id, deal_id)
    await _show(target, _page_text(t, page), _page_keyboard(t, deal_id, page.deal.client_id, page.deal.pipeline,
                                                                webapp_url), edit=edit)


def _back(t: Translator, deal_id: int, *extra: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[*extra, [_button(t("ws.to_deal"),
                                                                  WsCb(action=WsAction.OPEN, deal_id=deal_id))]])


@router.callback_query(WsCb.filter(F.action == WsAction.OPEN))
async def opened(cb: CallbackQuery, callback_data: WsCb, state: FSMContext, me: User, t: Translator,
                 uow: UnitOfWork, webapp_url: str | None = None) -> None:
    if callback_data.item == -1:  # «Поиск»
        await deal_list.page(uow, me.id, Filter(), 0, 1)  # staff only
        await begin(state)
        await move(state, WsInput.search)
        await cb.answer()
        await cb.message.answer(t("ws.ask_search"))
        return
    await cb.answer()
    await show_deal(cb.message, me, t, uow, callback_data.deal_id, webapp_url, edit=True)


@router.message(WsInput.search, F.text)
async def searched(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                   webapp_url: str | None = None) -> None:
    query = clean_text(message.text, max_len=64)
    await state.set_state(None)
    await state.set_data({"ws_query": query})
    await _list(message, me, t, uow, state, WsListCb(mine=0, q=1), webapp_url, edit=False)


# --- asking in words: one table of what each button asks and what the answer does ----------------------------------

ASKS = {
    WsAction.RENAME: (WsInput.name, "ws.ask_name"),
    WsAction.PAY_ADD: (WsInput.payment, "ws.ask_payment"),
    WsAction.PAY_MOVE: (WsInput.pay_date, "ws.ask_date"),
    WsAction.ORDER_ADD: (WsInput.order, "ws.ask_order"),
    WsAction.CONTACT_ADD: (WsInput.contact, "ws.ask_contact"),
    WsAction.COMMENT: (WsInput.comment, "ws.ask_comment"),
    WsAction.REMIND: (WsInput.remind, "ws.ask_remind"),
    WsAction.CLIENT: (WsInput.client, "ws.ask_client"),
}


@router.callback_query(WsCb.filter(F.action.in_(set(ASKS))))
async def ask(cb: CallbackQuery, callback_data: WsCb, state: FSMContext, me: User, t: Translator,
              uow: UnitOfWork) -> None:
    await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0)  # is the deal there, and mine to edit?
    target, key = ASKS[callback_data.action]
    await begin(state)
    await move(state, target, deal_id=callback_data.deal_id, item=callback_data.item)
    await cb.answer()
    await cb.message.answer(t(key))


async def _answered(state: FSMContext) -> tuple[int, int]:
    data = await state.get_data()
    if "deal_id" not in data:
        raise InvalidInput("stale_button")
    await state.clear()
    return data["deal_id"], data.get("item", 0)


@router.message(WsInput.name, F.text)
async def renamed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                  webapp_url: str | None = None) -> None:
    name = clean_text(message.text, max_len=256)
    deal_id, _ = await _answered(state)
    await workspace.rename(uow, me.id, deal_id, name)
    await show_deal(message, me, t, uow, deal_id, webapp_url)


@router.message(WsInput.payment, F.text)
async def payment_added(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    amount, day = parse_amount_and_date(message.text)
    deal_id, _ = await _answered(state)
    await payments.add_payment(uow, me.id, deal_id, amount, day)
    await _payments(message, me, t, uow, deal_id, edit=False)


@router.message(WsInput.pay_date, F.text)
async def payment_moved(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    day = parse_date(message.text)
    deal_id, payment_id = await _answered(state)
    await payments.move_payment(uow, me.id, payment_id, day)
    await _payments(message, me, t, uow, deal_id, edit=False)


@router.message(WsInput.order, F.text)
async def order_added(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    amount, day = parse_amount_and_date(message.text)
    deal_id, _ = await _answered(state)
    await payments.add_order(uow, me.id, deal_id, amount, day)
    await _orders(message, me, t, uow, deal_id, edit=False)


@router.message(WsInput.contact, F.text)
async def contact_added(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                        cfg: CoreConfig) -> None:
    phone, _, name = message.text.strip().rpartition(" ")
    if not phone:
        raise InvalidInput("phone_and_name")
    deal_id, _ = await _answered(state)
    await workspace.add_contact(uow, me.id, deal_id, phone, name, cfg)
    await _contacts(message, me, t, uow, deal_id, edit=False)


@router.message(WsInput.comment, F.text | F.photo | F.document)
async def commented(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                    cfg: CoreConfig) -> None:
    file = None
    if message.photo or message.document:
        f = await checked_file(message, cfg, bot)
        file = Attachment(f["file_id"], f["kind"], f.get("file_name"), f.get("mime_type"), f.get("size"))
    text = message.text or message.caption
    deal_id, _ = await _answered(state)
    await workspace.comment(uow, me.id, deal_id, text, cfg, file)
    await _feed(message, me, t, uow, deal_id, edit=False)


@router.message(WsInput.remind, F.text)
async def reminded(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                   webapp_url: str | None = None) -> None:
    parts = message.text.strip().rsplit(" ", 2)
    if len(parts) < 3:
        raise InvalidInput("bad_datetime")
    due = parse_local(" ".join(parts[1:]), me.timezone)
    deal_id, _ = await _answered(state)
    await workspace.remind(uow, me.id, deal_id, parts[0], due)
    await _feed(message, me, t, uow, deal_id, edit=False)


@router.message(WsInput.client, F.text)
async def client_search(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    found = await workspace.clients_named(uow, me.id, message.text)
    deal_id, _ = await _answered(state)
    if not found:
        await message.answer(t("ws.no_clients"), reply_markup=_back(t, deal_id))
        return
    rows = [[_button(c.name, WsCb(action=WsAction.SET_CLIENT, deal_id=deal_id, item=c.id))] for c in found]
    await message.answer(t("ws.pick_client"), reply_markup=_back(t, deal_id, *rows))


@router.message(WsInput.move_comment, F.text)
async def move_commented(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                         webapp_url: str | None = None) -> None:
    comment = clean_text(message.text, max_len=1000)
    deal_id, status_id = await _answered(state)
    deal = await workspace.move(uow, me.id, deal_id, status_id, comment=comment)
    await message.answer(t("ws.moved", status=deal.status.name))
    await show_deal(message, me, t, uow, deal_id, webapp_url)


@router.message(WsInput.comment)
@router.message(WsInput.name)
@router.message(WsInput.payment)
@router.message(WsInput.pay_date)
@router.message(WsInput.order)
@router.message(WsInput.contact)
@router.message(WsInput.remind)
@router.message(WsInput.search)
@router.message(WsInput.client)
@router.message(WsInput.move_comment)
async def words_expected(message: Message, t: Translator) -> None:
    await message.answer(t("errors.text_expected"))


# --- choices -------------------------------------------------------------------------------------------------------

@router.callback_query(WsCb.filter(F.action == WsAction.STATUS))
async def status_choices(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    page = await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0)
    rows = [[_button(s.name, WsCb(action=WsAction.SET_STATUS, deal_id=page.deal.id, item=s.id))]
            for s in page.statuses if s.id != page.status.id]
    await cb.answer()
    await cb.message.edit_text(t("ws.pick_status"), reply_markup=_back(t, page.deal.id, *rows))


@router.callback_query(WsCb.filter(F.action == WsAction.SET_STATUS))
async def status_set(cb: CallbackQuery, callback_data: WsCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork, webapp_url: str | None = None) -> None:
    try:
        deal = await workspace.move(uow, me.id, callback_data.deal_id, callback_data.item)
    except MoveNeedsComment as exc:  # «Доработка»: words first
        await begin(state)
        await move(state, WsInput.move_comment, deal_id=callback_data.deal_id, item=callback_data.item)
        await cb.answer()
        await cb.message.answer(t("ws.ask_move_comment", status=exc.params["status"]))
        return
    await cb.answer(t("ws.moved", status=deal.status.name))
    await show_deal(cb.message, me, t, uow, deal.id, webapp_url, edit=True)


@router.callback_query(WsCb.filter(F.action == WsAction.KIND))
async def kind_choices(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0)
    rows = [[_button(t(f"deal_kind.{k}"), WsCb(action=WsAction.SET_KIND, deal_id=callback_data.deal_id, item=i))]
            for i, k in enumerate(KINDS)]
    await cb.answer()
    await cb.message.edit_text(t("ws.pick_kind"), reply_markup=_back(t, callback_data.deal_id, *rows))


@router.callback_query(WsCb.filter(F.action == WsAction.SET_KIND))
async def kind_set(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork,
                   webapp_url: str | None = None) -> None:
    if not 0 <= callback_data.item < len(KINDS):
        raise InvalidInput("stale_button")
    await workspace.set_kind(uow, me.id, callback_data.deal_id, KINDS[callback_data.item])
    await cb.answer(t("ws.saved"))
    await show_deal(cb.message, me, t, uow, callback_data.deal_id, webapp_url, edit=True)


@router.callback_query(WsCb.filter(F.action == WsAction.SOURCE))
async def source_choices(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0)  # may this person edit the deal at all
    rows = [[_button(x.name, WsCb(action=WsAction.SET_SOURCE, deal_id=callback_data.deal_id, item=x.id))]
            for x in await directories.listing(uow, Directory.SOURCES)]
    await cb.answer()
    await cb.message.edit_text(t("ws.pick_source"), reply_markup=_back(t, callback_data.deal_id, *rows))


@router.callback_query(WsCb.filter(F.action == WsAction.SET_SOURCE))
async def source_set(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork,
                     webapp_url: str | None = None) -> None:
    await workspace.set_source(uow, me.id, callback_data.deal_id, callback_data.item or None)
    await cb.answer(t("ws.saved"))
    await show_deal(cb.message, me, t, uow, callback_data.deal_id, webapp_url, edit=True)


@router.callback_query(WsCb.filter(F.action == WsAction.RESPONSIBLE))
async def responsible_choices(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator,
                              uow: UnitOfWork) -> None:
    await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0)
    rows = [[_button(p.name, WsCb(action=WsAction.SET_RESPONSIBLE, deal_id=callback_data.deal_id, item=p.id))]
            for p in await workspace.colleagues(uow, me.id)]
    await cb.answer()
    await cb.message.edit_text(t("ws.pick_manager"), reply_markup=_back(t, callback_data.deal_id, *rows))


@router.callback_query(WsCb.filter(F.action == WsAction.SET_RESPONSIBLE))
async def responsible_set(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork,
                          webapp_url: str | None = None) -> None:
    await workspace.set_responsible(uow, me.id, callback_data.deal_id, callback_data.item)
    await cb.answer(t("ws.saved"))
    await show_deal(cb.message, me, t, uow, callback_data.deal_id, webapp_url, edit=True)


@router.callback_query(WsCb.filter(F.action == WsAction.SET_CLIENT))
async def client_set(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork,
                     webapp_url: str | None = None) -> None:
    await workspace.set_client(uow, me.id, callback_data.deal_id, callback_data.item)
    await cb.answer(t("ws.saved"))
    await show_deal(cb.message, me, t, uow, callback_data.deal_id, webapp_url, edit=True)


# --- the panels ----------------------------------------------------------------------------------------------------

async def _payments(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    p = await deal_list.view(uow, me.id, deal_id, feed_size=0)
    today = _today(me, uow)
    lines, buttons = [t("ws.payments_title", name=p.deal.name, budget=t.money(p.deal.budget))], []
    for n, x in enumerate(p.payments, start=1):
        mark = t("ws.received") if x.received_at else (t("ws.overdue") if x.due_on < today else t("ws.waiting"))
        lines.append(t("ws.payment_row", n=n, mark=mark, amount=t.money(x.amount), due=_day(x.due_on)))
        if x.received_at is None:
            buttons.append([_button(t("ws.pay_receive", n=n), WsCb(action=WsAction.PAY_RECEIVE, deal_id=deal_id,
                                                                     item=x.id)),
                            _button(t("ws.pay_move", n=n), WsCb(action=WsAction.PAY_MOVE, deal_id=deal_id,
                                                                  item=x.id))])
    buttons.append([_button(t("ws.pay_add"), WsCb(action=WsAction.PAY_ADD, deal_id=deal_id))])
    await _show(target, "\n".join(lines), _back(t, deal_id, *buttons), edit=edit)


def _today(me: User, uow: UnitOfWork) -> date:
    """Today where the person is."""
    return local_date(uow.clock.now(), me.timezone)


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


@router.callback_query(WsCb.filter(F.action == WsAction.PAYMENTS))
async def show_payments(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await _payments(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(WsCb.filter(F.action == WsAction.PAY_RECEIVE))
async def payment_received(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await payments.receive_payment(uow, me.id, callback_data.item)
    await cb.answer(t("ws.saved"))
    await _payments(cb.message, me, t, uow, callback_data.deal_id, edit=True)


async def _orders(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    p = await deal_list.view(uow, me.id, deal_id, feed_size=0)
    lines = [t("ws.orders_title", name=p.deal.name)] + [
        t("ws.order_row", number=o.number, date=_day(o.ordered_on), amount=t.money(o.amount),
          status=t(f"order_status.{o.status}")) for o in p.orders]
    add = [_button(t("ws.order_add"), WsCb(action=WsAction.ORDER_ADD, deal_id=deal_id))]
    await _show(target, "\n".join(lines), _back(t, deal_id, add), edit=edit)


@router.callback_query(WsCb.filter(F.action == WsAction.ORDERS))
async def orders(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await _orders(cb.message, me, t, uow, callback_data.deal_id, edit=True)


async def _contacts(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    p = await deal_list.view(uow, me.id, deal_id, feed_size=0)
    lines, buttons = [t("ws.contacts_title", name=p.deal.name)], []
    for c in p.contacts:
        main = c.id == p.deal.contact_id
        lines.append(t("ws.contact_row", main="★ " if main else "", name=c.name,
                       phones=", ".join(ph.phone for ph in c.phones)))
        row = [] if main else [_button(t("ws.contact_main", name=c.name)[:40],
                                       WsCb(action=WsAction.CONTACT_MAIN, deal_id=deal_id, item=c.id))]
        row.append(_button(t("ws.contact_remove", name=c.name)[:40],
                           WsCb(action=WsAction.CONTACT_REMOVE, deal_id=deal_id, item=c.id)))
        buttons.append(row)
    buttons.append([_button(t("ws.contact_add"), WsCb(action=WsAction.CONTACT_ADD, deal_id=deal_id))])
    await _show(target, "\n".join(lines), _back(t, deal_id, *buttons), edit=edit)


@router.callback_query(WsCb.filter(F.action == WsAction.CONTACTS))
async def contacts(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await _contacts(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(WsCb.filter(F.action.in_({WsAction.CONTACT_MAIN, WsAction.CONTACT_REMOVE})))
async def contact_changed(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    if callback_data.action == WsAction.CONTACT_MAIN:
        await workspace.set_main_contact(uow, me.id, callback_data.deal_id, callback_data.item)
    else:
        await workspace.remove_contact(uow, me.id, callback_data.deal_id, callback_data.item)
    await cb.answer(t("ws.saved"))
    await _contacts(cb.message, me, t, uow, callback_data.deal_id, edit=True)


async def _feed(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    """The feed, newest first; a photo goes out as a photo, a file as a file (by Telegram's file id: no URL)."""
    p = await deal_list.view(uow, me.id, deal_id, feed_size=10)
    people = {p.responsible.id: p.responsible.name} if p.responsible else {}
    lines = [t("ws.feed_title", name=p.deal.name)]
    for item in p.feed:
        text = t(f"ws.feed_{item.kind}", text=item.text or "")
        if item.file_kind == "document":
            text += " " + t("ws.feed_file", name=item.file_name or "")
        lines.append(t("ws.feed_row", at=t.dt(item.created_at), who=people.get(item.author_id, "—"), text=text))
        if item.file_kind == "photo":
            await target.answer_photo(item.file_id, caption=t.dt(item.created_at))
    if not p.feed:
        lines.append(t("ws.feed_empty"))
    buttons = [[_button(t("ws.comment"), WsCb(action=WsAction.COMMENT, deal_id=deal_id)),
                _button(t("ws.remind"), WsCb(action=WsAction.REMIND, deal_id=deal_id))]]
    await _show(target, "\n".join(lines), _back(t, deal_id, *buttons), edit=edit)


@router.callback_query(WsCb.filter(F.action == WsAction.FEED))
async def feed(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await _feed(cb.message, me, t, uow, callback_data.deal_id, edit=False)


@router.callback_query(WsCb.filter(F.action == WsAction.FORECAST))
async def forecast(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    figures, names = await payments.forecast(uow, me.id)
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
    await cb.answer()
    await cb.message.answer("\n".join(lines), reply_markup=InlineKeyboardMarkup(inline_keyboard=[
        [_button(t("ws.back"), WsListCb())]]))



# --- the admins' editor of the pipelines' statuses ------------------------------------------------------------------

PIPELINES = list(Pipeline)


def _pipeline(index: int) -> Pipeline:
    if not 0 <= index < len(PIPELINES):
        raise InvalidInput("stale_button")
    return PIPELINES[index]


async def _statuses(target: Message, me: User, t: Translator, uow: UnitOfWork, index: int, *, edit: bool) -> None:
    pipeline = _pipeline(index)
    rows = []
    for s in await deal_statuses.statuses(uow, me.id, pipeline, with_archived=True):
        marks = ("⭐ " if s.final else "") + ("🗄 " if s.archived else "")
        rows.append([_button(f"{marks}{s.name} {s.color}",
                             StatusCb(action=StatusAction.OPEN, pipeline=index, status_id=s.id))])
    rows.append([_button(t("ws.status_add"), StatusCb(action=StatusAction.ADD, pipeline=index))])
    await _show(target, t("ws.statuses_title", pipeline=t(f"pipeline.{pipeline}")),
                InlineKeyboardMarkup(inline_keyboard=rows), edit=edit)


async def _status_card(target: Message, me: User, t: Translator, uow: UnitOfWork, index: int,
                       status_id: int) -> None:
    s = next((x for x in await deal_statuses.statuses(uow, me.id, _pipeline(index), with_archived=True)
              if x.id == status_id), None)
    if s is None:
        raise InvalidInput("stale_button")

    def b(key: str, action: StatusAction) -> InlineKeyboardButton:
        return _button(t(key), StatusCb(action=action, pipeline=index, status_id=s.id))

    text = t("ws.status_card", name=s.name, color=s.color, final=t("ws.yes") if s.final else t("ws.no"),
             archived=t("ws.yes") if s.archived else t("ws.no"))
    await _show(target, text, InlineKeyboardMarkup(inline_keyboard=[
        [b("ws.status_up", StatusAction.UP), b("ws.status_down", StatusAction.DOWN)],
        [b("ws.status_rename", StatusAction.RENAME), b("ws.status_color", StatusAction.COLOR)],
        [b("ws.status_final", StatusAction.FINAL), b("ws.status_archive", StatusAction.ARCHIVE)],
        [_button(t("buttons.back"), StatusCb(action=StatusAction.PIPELINE, pipeline=index))]]), edit=True)


@router.callback_query(StatusCb.filter(F.action == StatusAction.PIPELINE))
async def statuses_listed(cb: CallbackQuery, callback_data: StatusCb, me: User, t: Translator,
                          uow: UnitOfWork) -> None:
    if me.role != Role.ADMIN:
        raise Forbidden()
    await cb.answer()
    await _statuses(cb.message, me, t, uow, callback_data.pipeline, edit=False)


@router.callback_query(StatusCb.filter(F.action == StatusAction.OPEN))
async def status_opened(cb: CallbackQuery, callback_data: StatusCb, me: User, t: Translator,
                        uow: UnitOfWork) -> None:
    if me.role != Role.ADMIN:
        raise Forbidden()
    await cb.answer()
    await _status_card(cb.message, me, t, uow, callback_data.pipeline, callback_data.status_id)


@router.callback_query(StatusCb.filter(F.action.in_({StatusAction.UP, StatusAction.DOWN, StatusAction.FINAL,
                                                     StatusAction.ARCHIVE})))
async def status_edited(cb: CallbackQuery, callback_data: StatusCb, me: User, t: Translator,
                        uow: UnitOfWork) -> None:
    statuses = {x.id: x for x in await deal_statuses.statuses(uow, me.id, _pipeline(callback_data.pipeline),
                                                          with_archived=True)}
    s = statuses.get(callback_data.status_id)
    if s is None:
        raise InvalidInput("stale_button")
    action = callback_data.action
    await deal_statuses.edit_status(
        uow, me.id, s.id, shift={StatusAction.UP: -1, StatusAction.DOWN: 1}.get(action, 0),
        final=(not s.final) if action == StatusAction.FINAL else None,
        archived=(not s.archived) if action == StatusAction.ARCHIVE else None)
    await cb.answer(t("ws.saved"))
    await _status_card(cb.message, me, t, uow, callback_data.pipeline, s.id)


STATUS_ASKS = {StatusAction.ADD: "ws.ask_status_name", StatusAction.RENAME: "ws.ask_status_name",
               StatusAction.COLOR: "ws.ask_status_color"}


@router.callback_query(StatusCb.filter(F.action.in_(set(STATUS_ASKS))))
async def status_ask(cb: CallbackQuery, callback_data: StatusCb, state: FSMContext, me: User,
                     t: Translator) -> None:
    if me.role != Role.ADMIN:
        raise Forbidden()
    _pipeline(callback_data.pipeline)
    await begin(state)
    await move(state, WsInput.status_text, pipeline=callback_data.pipeline, status_id=callback_data.status_id,
               action=int(callback_data.action))
    await cb.answer()
    await cb.message.answer(t(STATUS_ASKS[callback_data.action]))


@router.message(WsInput.status_text, F.text)
async def status_text(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    if "action" not in data:
        raise InvalidInput("stale_button")
    action, index, status_id = StatusAction(data["action"]), data["pipeline"], data["status_id"]
    if action == StatusAction.ADD:
        await deal_statuses.add_status(uow, me.id, _pipeline(index), message.text)
    elif action == StatusAction.RENAME:
        await deal_statuses.edit_status(uow, me.id, status_id, name=message.text)
    else:
        await deal_statuses.edit_status(uow, me.id, status_id, color=message.text)
    await state.clear()
    await _statuses(message, me, t, uow, index, edit=False)


@router.message(WsInput.status_text)
async def status_words_expected(message: Message, t: Translator) -> None:
    await words_expected(message, t)
