"""The deal room (seed step 6) and its statuses (steps 7-8)."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin, checked_file
from bot.fsm.states import FORMS, DealRoom, Reason
from bot.i18n import Translator
from bot.keyboards.callbacks import DealAction, DealCb
from bot.views.marketplace import deal_room as views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput
from core.domain.marketplace.applications import COMMENT_REQUIRED, DEAL_MOVES, AppStatus, allowed_targets
from core.services.kernel.config import CoreConfig
from core.services.marketplace import applications
from core.services.marketplace import deal_room as deals
from core.services.marketplace.deal_room import Incoming

router = Blueprint("deals")


async def incoming(message: Message, bot: Bot, cfg: CoreConfig) -> Incoming:
    """The message written in the deal room; a file is checked (type, size, content) before anything is kept."""
    f = await checked_file(message, cfg, bot) if message.document or message.photo else None
    if f is not None:
        return Incoming(chat_id=message.chat.id, message_id=message.message_id, kind=f["kind"], text=message.caption,
                        file_id=f["file_id"], file_name=f["file_name"], mime_type=f["mime_type"], size=f["size"],
                        media_group_id=message.media_group_id)
    if message.text is not None:
        return Incoming(chat_id=message.chat.id, message_id=message.message_id, kind="text", text=message.text)
    raise InvalidInput("file_type")


@router.callback_query(DealCb.filter(F.action == DealAction.OPEN))
async def open_deal(cb: CallbackQuery, callback_data: DealCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = views.deal_page(t, await deals.page(uow, me.id, callback_data.app_id))
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(DealCb.filter(F.action == DealAction.WRITE))
async def enter_room(cb: CallbackQuery, callback_data: DealCb, state: FSMContext, t: Translator,
                     me: User, uow: UnitOfWork) -> None:
    app = await deals.open_room(uow, me.id, callback_data.app_id)
    await begin(state, app_id=app.id)
    await state.set_state(DealRoom.chatting)
    await cb.answer()
    await cb.message.answer(t("deal.entered", id=app.id))


@router.message(DealRoom.chatting, ~F.text.startswith("/"))
async def write(message: Message, state: FSMContext, bot: Bot, me: User, uow: UnitOfWork, cfg: CoreConfig) -> None:
    """In a deal room: to the deal of the message replied to, if it is a relayed one, else to the open room."""
    app_id = await _replied_deal(message, uow) or (await state.get_data())["app_id"]
    await deals.post(uow, me.id, app_id, await incoming(message, bot, cfg), cfg)


@router.message(~StateFilter(*FORMS), F.reply_to_message, ~F.text.startswith("/"))
async def reply_to_relay(message: Message, bot: Bot, me: User, t: Translator, uow: UnitOfWork, cfg: CoreConfig) -> None:
    """Replying to a relayed message writes into that message's deal, with no room open."""
    app_id = await _replied_deal(message, uow)
    if app_id is None:
        await message.answer(t("common.unknown"))
        return
    await deals.post(uow, me.id, app_id, await incoming(message, bot, cfg), cfg)


async def _replied_deal(message: Message, uow: UnitOfWork) -> int | None:
    if message.reply_to_message is None:
        return None
    return await deals.deal_of_reply(uow, message.chat.id, message.reply_to_message.message_id)


@router.edited_message()
async def edited(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    text = message.text if message.text is not None else message.caption
    if await deals.edit(uow, me.id, message.chat.id, message.message_id, text):
        await message.answer(t("deal.edit_relayed"))


@router.callback_query(DealCb.filter(F.action == DealAction.HISTORY))
async def history(cb: CallbackQuery, callback_data: DealCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    page = await deals.history(uow, me.id, callback_data.app_id, callback_data.value)
    text, markup = views.history(t, callback_data.app_id, page)
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(DealCb.filter(F.action == DealAction.STATUS))
async def set_status(cb: CallbackQuery, callback_data: DealCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork, cfg: CoreConfig) -> None:
    target = callback_data.status
    if target not in DEAL_MOVES:
        raise InvalidInput("stale_button")
    if target in COMMENT_REQUIRED:
        card = await applications.card(uow, me.id, callback_data.app_id)  # reload and check before asking
        if target not in allowed_targets(AppStatus(card.app.status), set(card.ctx.actors)):
            raise InvalidInput("stale_button")
        await begin(state, purpose="status", app_id=callback_data.app_id, target=target.value)
        await state.set_state(Reason.text)
        await cb.answer()
        await cb.message.answer(t("deal.ask_comment", status=t.status(target)))
        return
    app = await deals.change_status(uow, me.id, callback_data.app_id, target, None, cfg)
    await cb.answer(t("deal.status_set", id=app.id, status=t.status(target)))
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("deal.status_set", id=app.id, status=t.status(target)))


