"""The cancel button every dialog has (bot.fsm.dialogs starts them)."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ReplyKeyboardRemove

from bot import entry
from bot.blueprint import Blueprint
from bot.fsm.states import FORMS
from bot.i18n import Translator
from bot.keyboards.callbacks import FormAction, FormCb
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork

router = Blueprint("forms")


@router.callback_query(StateFilter(*FORMS), FormCb.filter(F.action == FormAction.CANCEL))
async def cancel_button(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    await state.clear()
    await cb.answer(t("common.cancelled"))
    await cb.message.answer(t("common.cancelled"), reply_markup=ReplyKeyboardRemove())
    await entry.show_menu(cb.message, me, t, uow)
