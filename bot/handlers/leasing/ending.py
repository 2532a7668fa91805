"""The contract's end and a client outside Telegram, in the chat (docs/leasing-end.md): the salesperson records the
client's acceptance with the signed document; an analyst, the back office or an admin decides an identity check the
automaton could not; the back office terminates a contract early (the settlement shown, then confirmed) and records
the object's return; the end documents sent again. Every press reloads the case and checks who the person is to it
(the services do). Thin: parse, call one service, render."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import documents as docs
from bot.blueprint import Blueprint
from bot.fsm.dialogs import ask, begin, checked_file
from bot.fsm.states import LeaseEndForm
from bot.i18n import Translator
from bot.keyboards.builders import nav
from bot.keyboards.callbacks import LeaseEndAction, LeaseEndCb
from bot.views.kernel.common import show
from bot.views.leasing import ending as views
from bot.views.leasing import lease as case_views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.leasing.case import Actor
from core.services.kernel.config import CoreConfig
from core.services.leasing import ending
from core.services.leasing import origination as leasing

router = Blueprint("lease_end")


async def _screen(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    await show(target, *case_views.case_screen(t, await leasing.view(uow, me.id, deal_id)), edit=edit)


# --- acceptance on behalf of a client outside Telegram ---------------------------------------------------------

@router.callback_query(LeaseEndCb.filter(F.action == LeaseEndAction.ON_BEHALF))
async def on_behalf_asked(cb: CallbackQuery, callback_data: LeaseEndCb, state: FSMContext, me: User, t: Translator,
                          uow: UnitOfWork) -> None:
    view = await leasing.view(uow, me.id, callback_data.deal_id)  # theirs to work
    offer = next((o for o in view.offers if o.id == callback_data.arg), None)
    if offer is None:
        raise InvalidInput("stale_button")
    await begin(state, deal_id=callback_data.deal_id, offer_id=offer.id)
    await state.set_state(LeaseEndForm.on_behalf)
    await cb.answer()
    await cb.message.answer(t("lease_end.ask_on_behalf", version=offer.version), reply_markup=nav(t, back=False))


@router.message(LeaseEndForm.on_behalf)
async def on_behalf_file(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                         cfg: CoreConfig) -> None:
    data = await state.get_data()
    f = await checked_file(message, cfg, bot)  # no file, a program, too large: refused, the dialog waits
    await leasing.accept_on_behalf(uow, me.id, data["offer_id"], f)
    await state.clear()
    await _screen(message, me, t, uow, data["deal_id"], edit=False)


@router.callback_query(LeaseEndCb.filter(F.action == LeaseEndAction.ACCEPTED_FILE))
async def accepted_file(cb: CallbackQuery, callback_data: LeaseEndCb, me: User, t: Translator,
                        uow: UnitOfWork) -> None:
    view = await leasing.view(uow, me.id, callback_data.deal_id)
    offer = next((o for o in view.offers if o.id == callback_data.arg and o.accepted_file_id), None)
    if offer is None or not view.actors - {Actor.CLIENT}:
        raise InvalidInput("stale_button")
    await cb.answer()
    await cb.message.answer_document(offer.accepted_file_id, caption=t("lease_end.accepted_file"))  # by file id


# --- the identity check a person decides ------------------------------------------------------------------------

@router.callback_query(LeaseEndCb.filter(F.action.in_({LeaseEndAction.IDENTITY_OK, LeaseEndAction.IDENTITY_NO})))
async def identity_decided(cb: CallbackQuery, callback_data: LeaseEndCb, me: User, t: Translator,
                           uow: UnitOfWork) -> None:
    row = await leasing.decide_identity(uow, me.id, callback_data.arg,
                                        callback_data.action == LeaseEndAction.IDENTITY_OK)
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)  # decided: the notice's buttons go
    state = t("lease_end.decided", state=t(f"lease_end.state_{row.decision}"), name=me.name)
    await cb.message.answer(t("lease_end.identity", state=state, at=t.dt(row.decided_at)))
    try:  # the case's screen, when it is theirs to see at this stage (an analyst sees it from the filing on)
        await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=False)
    except Forbidden:
        pass


# --- early termination and the object's return ------------------------------------------------------------------

@router.callback_query(LeaseEndCb.filter(F.action == LeaseEndAction.TERMINATE))
async def terminate_asked(cb: CallbackQuery, callback_data: LeaseEndCb, state: FSMContext, me: User, t: Translator,
                          uow: UnitOfWork) -> None:
    await leasing.view(uow, me.id, callback_data.deal_id)
    await ask(cb, state, t, LeaseEndForm.terminate, "lease_end.ask_terminate", deal_id=callback_data.deal_id)


@router.message(LeaseEndForm.terminate, F.text)
async def terminate_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                          cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    made = await ending.termination_preview(uow, cfg, me.id, deal_id, message.text)  # refused: the dialog waits
    await state.update_data(text=message.text)
    text, markup = views.preview(t, made)
    await message.answer(text, reply_markup=markup)


@router.callback_query(LeaseEndCb.filter(F.action == LeaseEndAction.TERMINATE_CONFIRM))
async def terminate_confirmed(cb: CallbackQuery, callback_data: LeaseEndCb, state: FSMContext, me: User,
                              t: Translator, uow: UnitOfWork, cfg: CoreConfig) -> None:
    data = await state.get_data()
    if await state.get_state() != LeaseEndForm.terminate.state or data.get("deal_id") != callback_data.deal_id \
            or "text" not in data:
        raise InvalidInput("stale_button")
    await ending.terminate(uow, cfg, me.id, callback_data.deal_id, data["text"])
    await state.clear()
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("lease_end.terminated"))
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=False)


@router.callback_query(LeaseEndCb.filter(F.action == LeaseEndAction.RETURN))
async def return_asked(cb: CallbackQuery, callback_data: LeaseEndCb, state: FSMContext, me: User, t: Translator,
                       uow: UnitOfWork) -> None:
    await leasing.view(uow, me.id, callback_data.deal_id)
    await ask(cb, state, t, LeaseEndForm.give_back, "lease_end.ask_return", deal_id=callback_data.deal_id)


@router.message(LeaseEndForm.give_back, F.text)
async def return_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                       cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await ending.record_return(uow, cfg, me.id, deal_id, message.text)
    await state.clear()
    await message.answer(t("lease_end.returned"))
    await _screen(message, me, t, uow, deal_id, edit=False)


@router.callback_query(LeaseEndCb.filter(F.action == LeaseEndAction.DOCS))
async def end_document(cb: CallbackQuery, callback_data: LeaseEndCb, bot: Bot, me: User, t: Translator,
                       uow: UnitOfWork) -> None:
    made = await ending.ending_document(uow, me.id, callback_data.arg)
    await cb.answer()
    await docs.send(bot, cb.message.chat.id, made.document, t(f"lease_end.doc_{made.kind}"), lambda: uow)
