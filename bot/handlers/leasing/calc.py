"""The leasing calculator in the chat (seed 002, «Kalkulacje», open to everyone: a client's self care as much as
the salesperson's tool): the terms typed in one line, the figures and the schedule's first lines shown, recalculated
by a button (equal ⇄ decreasing, in arrears ⇄ in advance), the whole schedule as a CSV file. The terms live in the
dialog's state; a button names the calculation it belongs to (the id of the message that typed its terms), so an
older screen's buttons are stale. Thin: parse,
call the service, render."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import ask, begin
from bot.fsm.states import CalcShown, LeaseInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import CalcAction, CalcCb, MenuAction, MenuCb
from bot.views.kernel.common import show
from bot.views.leasing import lease as views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput
from core.domain.leasing.calc import Method, Timing
from core.services.kernel.config import CoreConfig
from core.services.leasing import origination as leasing

router = Blueprint("lease_calc")


@router.message(Command("calc"))
async def from_command(message: Message, state: FSMContext, t: Translator) -> None:
    await begin(state)
    await state.set_state(LeaseInput.terms)
    await message.answer(t("calc.ask"), reply_markup=builders.nav(t, back=False))


@router.callback_query(MenuCb.filter(F.action == MenuAction.CALC))
async def from_menu(cb: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await ask(cb, state, t, LeaseInput.terms, "calc.ask")


@router.message(LeaseInput.terms, F.text)
@router.message(CalcShown.more, F.text, ~F.text.startswith("/"))
async def typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                cfg: CoreConfig, webapp_url: str | None = None) -> None:
    result = leasing.calculate(uow.clock, me.timezone, message.text,  # refused: the dialog stays, to type again
                               max_months=cfg.lease_max_months)
    serial = message.message_id  # unique in the chat: the screen's buttons name this calculation
    # the dialog is over (commands and the menu work); the terms stay for the buttons, and new terms typed next
    # are the next calculation, until another dialog starts
    await state.set_state(CalcShown.more)
    await state.set_data({"terms": message.text, "method": Method.ANNUITY.value, "timing": Timing.ARREARS.value,
                          "serial": serial})
    await show(message, *views.screen(t, result, cfg.lease_currency, serial, webapp_url,
                                      ask=await _may_ask(uow, me, {})), edit=False)


@router.message(LeaseInput.terms)
async def words_expected(message: Message, t: Translator) -> None:
    await message.answer(t("errors.text_expected"))


FLIP = {CalcAction.METHOD: ("method", Method), CalcAction.TIMING: ("timing", Timing)}


@router.callback_query(CalcCb.filter(F.action.in_(set(FLIP)) | (F.action == CalcAction.CSV)))
async def pressed(cb: CallbackQuery, callback_data: CalcCb, state: FSMContext, me: User, t: Translator,
                  uow: UnitOfWork, cfg: CoreConfig, webapp_url: str | None = None) -> None:
    data = await state.get_data()
    if "terms" not in data or data.get("serial") != callback_data.serial:
        raise InvalidInput("stale_button")
    if callback_data.action in FLIP:
        field, kind = FLIP[callback_data.action]
        data[field] = next(v for v in kind if v.value != data[field]).value  # the other of the two
    result = leasing.calculate(uow.clock, me.timezone, data["terms"], Method(data["method"]), Timing(data["timing"]),
                               max_months=cfg.lease_max_months)
    await cb.answer()
    if callback_data.action is CalcAction.CSV:
        await cb.message.answer_document(BufferedInputFile(views.csv_bytes(t, result.lines), t("calc.file")),
                                         caption=t("calc.csv_caption", term=views.term(t, result)))
        return
    await state.set_data(data)
    await show(cb.message, *views.screen(t, result, cfg.lease_currency, callback_data.serial, webapp_url,
                                         ask=await _may_ask(uow, me, data),
                                         asked=data.get("asked") == callback_data.serial),
               edit=True)


async def _may_ask(uow: UnitOfWork, me: User, data: dict) -> bool:
    """Whether «🙋 ask for this offer» shows: the service says who may ask; once asked, this calculation's button
    goes."""
    if "asked" in data and data["asked"] == data.get("serial"):
        return False
    return await leasing.may_ask_offer(uow, me.id)


@router.callback_query(CalcCb.filter(F.action == CalcAction.ASK))
async def ask_offer(cb: CallbackQuery, callback_data: CalcCb, state: FSMContext, me: User, t: Translator,
                    uow: UnitOfWork, cfg: CoreConfig, webapp_url: str | None = None) -> None:
    """The client asks the lessor for an offer on the terms on the screen (as they are now: equal or decreasing,
    in arrears or in advance); said once, then the button goes."""
    data = await state.get_data()
    if "terms" not in data or data.get("serial") != callback_data.serial:
        raise InvalidInput("stale_button")
    if data.get("asked") == callback_data.serial:
        await cb.answer(t("calc.asked_already"), show_alert=True)
        return
    method, timing = Method(data["method"]), Timing(data["timing"])
    await leasing.ask_offer(uow, me.id, data["terms"], method, timing, currency=cfg.lease_currency,
                            max_months=cfg.lease_max_months)
    data["asked"] = callback_data.serial
    await state.set_data(data)
    await cb.answer(t("calc.asked"), show_alert=True)
    result = leasing.calculate(uow.clock, me.timezone, data["terms"], method, timing, max_months=cfg.lease_max_months)
    await show(cb.message, *views.screen(t, result, cfg.lease_currency, callback_data.serial, webapp_url,
                                         asked=True), edit=True)


@router.callback_query(CalcCb.filter(F.action == CalcAction.AGAIN))
async def again(cb: CallbackQuery, t: Translator, state: FSMContext) -> None:
    await ask(cb, state, t, LeaseInput.terms, "calc.ask")
