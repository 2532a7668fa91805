"""The cancel button every dialog has (bot.fsm.dialogs starts them), and a dialog's buttons pressed when no dialog is
open."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, ReplyKeyboardRemove

from bot import entry
from bot.blueprint import Blueprint
from bot.fsm.dialogs import RETURNS_TO
from bot.fsm.states import FORMS
from bot.i18n import Translator
from bot.keyboards.callbacks import FormAction, FormCb
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork

router = Blueprint("forms")


@router.callback_query(StateFilter(*FORMS), FormCb.filter(F.action == FormAction.CANCEL))
async def cancel_button(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    returns_to = (await state.get_data()).get(RETURNS_TO)
    await state.clear()
    await cb.answer()  # one notice: the message (it also takes a reply keyboard away)
    await cb.message.answer(t("common.cancelled"), reply_markup=ReplyKeyboardRemove())
    await entry.return_to(cb.message, me, t, uow, returns_to)


@router.callback_query(~StateFilter(*FORMS), FormCb.filter())
async def form_over(cb: CallbackQuery, t: Translator) -> None:
    """A dialog's button (« Skip », « Back », a pick, « Send ») from a dialog that has ended: said stale, in the
    person's language, and nothing changes. Answered here, before the areas' routers, so that no other handler (an
    admins' router's gate among them) takes the press for its own."""
    await cb.answer(t("errors.stale_button"), show_alert=True)
