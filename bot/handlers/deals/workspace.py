"""The deal workspace in the chat (seed 003): «Сделки» with its filter (mine by default), the deal page and its
panels (payments, orders, contacts, feed), edits, the forecast; a «Канбан» button opens the Mini App."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin, checked_file
from bot.fsm.moves import move
from bot.fsm.states import WsInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import MenuAction, MenuCb, WsAction, WsCb, WsListCb
from bot.views.deals import workspace as views
from bot.views.kernel.common import show
from bot.views.kernel.names import status_of
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.deals.workspace import MoveNeedsComment, StatusFinal, pipelines_run
from core.domain.kernel.errors import InvalidInput, Status
from core.domain.kernel.inputs import clean_text, parse_amount_and_date, parse_date
from core.domain.kernel.schedule import datetime_example, local_date, parse_local
from core.services.deals import listing as deal_list
from core.services.deals import payments, workspace
from core.services.deals import statuses as deal_statuses
from core.services.deals.listing import Filter
from core.services.deals.workspace import Attachment
from core.services.kernel import deployment, directories
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory

router = Blueprint("workspace")
FEED_LINES = 10  # the feed panel's lines at a time; «Ещё» shows the older ones


# --- the list ----------------------------------------------------------------------------------------------------

def _filter(cb: WsListCb, query: str | None) -> Filter:
    return Filter(mine=bool(cb.mine), status_id=cb.status or None, manager_id=cb.manager or None,
                  client_id=cb.client or None, query=query if cb.q else None, source_id=cb.source or None)


async def _list(target: Message, me: User, t: Translator, uow: UnitOfWork, state: FSMContext, cb: WsListCb,
                webapp_url: str | None, *, edit: bool) -> None:
    f = _filter(cb, (await state.get_data()).get("ws_query"))
    rows, total = await deal_list.page(uow, me.id, f, cb.page)
    await show(target, *views.deal_list(t, cb, f, rows, total, webapp_url), edit=edit)


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
    """Choices for the filter: the statuses of both pipelines, the sources, or the managers whose deals the person
    sees."""
    if callback_data.pick == 1:
        # the pipelines of the areas the deployment runs; of the leads' two, the one chosen
        run = pipelines_run(await deployment.running(uow), await deployment.lead_pipeline(uow))
        statuses = [(p, s) for p in run for s in await deal_statuses.statuses(uow, me.id, p)]
        text, markup = views.filter_choices(t, callback_data, statuses=statuses)
    elif callback_data.pick == 3:
        await deal_list.page(uow, me.id, Filter(), 0, 1)  # staff only
        sources = await directories.listing(uow, Directory.SOURCES, active_only=False)
        text, markup = views.filter_choices(t, callback_data, sources=sources)
    else:
        text, markup = views.filter_choices(t, callback_data, people=await workspace.colleagues(uow, me.id))
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


# --- the deal page -------------------------------------------------------------------------------------------------

async def show_deal(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int,
                    webapp_url: str | None, *, edit: bool = False) -> None:
    page = await deal_list.view(uow, me.id, deal_id)
    await show(target, views.page_text(t, page), views.page_keyboard(t, page, webapp_url), edit=edit)


@router.callback_query(WsCb.filter(F.action == WsAction.OPEN))
async def opened(cb: CallbackQuery, callback_data: WsCb, state: FSMContext, me: User, t: Translator,
                 uow: UnitOfWork, webapp_url: str | None = None) -> None:
    if callback_data.item == -1:  # «Поиск»
        await deal_list.page(uow, me.id, Filter(), 0, 1)  # staff only
        await begin(state)
        await move(state, WsInput.search)
        await cb.answer()
        await cb.message.answer(t("ws.ask_search"), reply_markup=builders.nav(t, back=False))
        return
    await show_deal(cb.message, me, t, uow, callback_data.deal_id, webapp_url, edit=True)  # a refusal: an alert
    await cb.answer()


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
    remind = callback_data.action == WsAction.REMIND
    words = {"fields": t.moment_fields(), "example": t.moment_example()} if remind else {}
    await cb.message.answer(t(key, **words), reply_markup=builders.nav(t, back=False))  # « Cancel » leaves it


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
    amount, day = parse_amount_and_date(message.text, t.locale)
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
    amount, day = parse_amount_and_date(message.text, t.locale)
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


def _what_and_when(text: str, me: User) -> tuple[str, datetime]:
    """«Позвонить клиенту 25.11.2026 10:00», «Call the client 11/25/2026 3:00 PM»: the words, then the moment (its
    last two or three words) as the reader writes it."""
    words = text.split()
    for n in (3, 2):
        if len(words) > n:
            try:
                return " ".join(words[:-n]), parse_local(" ".join(words[-n:]), me.timezone, me.locale)
            except InvalidInput:
                continue
    raise InvalidInput("bad_datetime", example=datetime_example(me.locale, me.timezone))


@router.message(WsInput.remind, F.text)
async def reminded(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                   webapp_url: str | None = None) -> None:
    title, due = _what_and_when(message.text, me)
    deal_id, _ = await _answered(state)
    await workspace.remind(uow, me.id, deal_id, title, due)
    await _feed(message, me, t, uow, deal_id, edit=False)


@router.message(WsInput.client, F.text)
async def client_search(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    found = await workspace.clients_named(uow, me.id, message.text)
    deal_id, _ = await _answered(state)
    if not found:
        await message.answer(t("ws.no_clients"), reply_markup=views.back(t, deal_id))
        return
    text, markup = views.choices(t, deal_id, "ws.pick_client", WsAction.SET_CLIENT, found)
    await message.answer(text, reply_markup=markup)


@router.message(WsInput.move_comment, F.text)
async def move_commented(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                         webapp_url: str | None = None) -> None:
    comment = clean_text(message.text, max_len=1000)
    deal_id, status_id = await _answered(state)
    deal = await workspace.move(uow, me.id, deal_id, status_id, comment=comment)
    await message.answer(t("ws.moved", status=status_of(t, deal.status)))
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
    """The statuses to move to, a page at a time (``item``: the page); a closed deal has none (a stale or forged
    press: the refusal, nothing shown)."""
    page = await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0)
    if page.status.final:
        raise StatusFinal(status=Status.of(page.status))
    text, markup = views.status_choices(t, page, callback_data.item)
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


@router.callback_query(WsCb.filter(F.action == WsAction.SET_STATUS))
async def status_set(cb: CallbackQuery, callback_data: WsCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork, webapp_url: str | None = None) -> None:
    try:
        deal = await workspace.move(uow, me.id, callback_data.deal_id, callback_data.item)
    except MoveNeedsComment as exc:  # «Доработка»: words first
        await begin(state)
        await move(state, WsInput.move_comment, deal_id=callback_data.deal_id, item=callback_data.item)
        await cb.answer()
        await cb.message.answer(t("ws.ask_move_comment", status=exc.params["status"]),
                                reply_markup=builders.nav(t, back=False))
        return
    await cb.answer(t("ws.moved", status=status_of(t, deal.status)))
    await show_deal(cb.message, me, t, uow, deal.id, webapp_url, edit=True)


@router.callback_query(WsCb.filter(F.action == WsAction.MORE))
async def more(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork,
               webapp_url: str | None = None) -> None:
    """« ⋯ More »: the deal page's other actions, in place of the page."""
    text, markup = views.more_screen(t, await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0),
                                     webapp_url)
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


@router.callback_query(WsCb.filter(F.action == WsAction.KIND))
async def kind_choices(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0)
    text, markup = views.kind_choices(t, callback_data.deal_id)
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


@router.callback_query(WsCb.filter(F.action == WsAction.SET_KIND))
async def kind_set(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork,
                   webapp_url: str | None = None) -> None:
    if callback_data.kind is None:
        raise InvalidInput("stale_button")
    await workspace.set_kind(uow, me.id, callback_data.deal_id, callback_data.kind)
    await cb.answer(t("ws.saved"))
    await show_deal(cb.message, me, t, uow, callback_data.deal_id, webapp_url, edit=True)


@router.callback_query(WsCb.filter(F.action == WsAction.SOURCE))
async def source_choices(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await deal_list.view(uow, me.id, callback_data.deal_id, feed_size=0)  # may this person edit the deal at all
    text, markup = views.choices(t, callback_data.deal_id, "ws.pick_source", WsAction.SET_SOURCE,
                                 await directories.listing(uow, Directory.SOURCES))
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


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
    text, markup = views.choices(t, callback_data.deal_id, "ws.pick_manager", WsAction.SET_RESPONSIBLE,
                                 await workspace.colleagues(uow, me.id))
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


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
    await show(target, *views.payments_panel(t, p, local_date(uow.clock.now(), me.timezone)), edit=edit)


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
    await show(target, *views.orders_panel(t, await deal_list.view(uow, me.id, deal_id, feed_size=0)), edit=edit)


@router.callback_query(WsCb.filter(F.action == WsAction.ORDERS))
async def orders(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await _orders(cb.message, me, t, uow, callback_data.deal_id, edit=True)


async def _contacts(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    await show(target, *views.contacts_panel(t, await deal_list.view(uow, me.id, deal_id, feed_size=0)), edit=edit)


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


async def _feed(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool,
                page: int = 0) -> None:
    """The feed's photos go out as photos (by Telegram's file id: no URL), then the feed: its ``FEED_LINES`` newest
    lines (``page`` 1 on: the older ones, «Ещё»)."""
    text, markup, photos = views.feed_panel(t, await deal_list.view(uow, me.id, deal_id, feed_size=FEED_LINES,
                                                                    feed_page=page))
    for item in photos:
        await target.answer_photo(item.file_id, caption=t.dt(item.created_at))
    await show(target, text, markup, edit=edit)


@router.callback_query(WsCb.filter(F.action == WsAction.FEED))
async def feed(cb: CallbackQuery, callback_data: WsCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _feed(cb.message, me, t, uow, callback_data.deal_id, edit=False,  # a refusal: an alert
                page=callback_data.item)
    await cb.answer()


@router.callback_query(WsCb.filter(F.action == WsAction.FORECAST))
async def forecast(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = views.forecast(t, *await payments.forecast(uow, me.id))
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)
