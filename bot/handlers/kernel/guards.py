"""What runs around the other routers: a command in the middle of a form, errors, stale and forged buttons."""

from __future__ import annotations

import logging

from aiogram import F
from aiogram.filters import ExceptionTypeFilter, StateFilter
from aiogram.types import CallbackQuery, ErrorEvent, Message

from bot.blueprint import Blueprint
from bot.fsm.states import FORMS, CalcShown
from bot.i18n import Translator
from bot.keyboards.builders import single
from bot.keyboards.callbacks import MenuAction, MenuCb
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import DomainError
from core.services.kernel import deployment

log = logging.getLogger(__name__)

#: included first: a command (other than /cancel) while a form is open keeps the form
form_guard = Blueprint("form_guard")


@form_guard.message(StateFilter(*FORMS), F.text.startswith("/") & ~F.text.startswith("/cancel"))
async def command_in_form(message: Message, t: Translator) -> None:
    await message.answer(t("form.command_in_form"))


#: included last: errors of every router, and presses nobody handled
fallback = Blueprint("fallback")


def _reply_target(event: ErrorEvent):
    update = event.update
    return update.callback_query or update.message or update.edited_message


@fallback.errors(ExceptionTypeFilter(DomainError))
async def domain_error(event: ErrorEvent, t: Translator | None = None) -> None:
    target = _reply_target(event)
    text = t.error(event.exception) if t else str(event.exception)
    if isinstance(target, CallbackQuery):
        await target.answer(text, show_alert=True)
    elif isinstance(target, Message):
        await target.answer(text)


@fallback.errors()
async def unexpected(event: ErrorEvent, t: Translator | None = None) -> None:
    log.error("update %s failed: %r", event.update.update_id, event.exception, exc_info=event.exception)
    target = _reply_target(event)
    text = t("errors.unexpected") if t else "Sorry, something went wrong."
    try:
        if isinstance(target, CallbackQuery):
            await target.answer(text, show_alert=True)
        elif isinstance(target, Message):
            await target.answer(text)
    except Exception:  # the apology itself failed: the log already has it
        log.exception("could not apologise for update %s", event.update.update_id)


@fallback.callback_query()
async def stale_button(cb: CallbackQuery, t: Translator) -> None:
    """A button from an old message, a finished dialog, or callback data nobody wrote."""
    await cb.answer(t("errors.stale_button"), show_alert=True)


@fallback.message(StateFilter(None, CalcShown.more))
async def unknown_message(message: Message, t: Translator, me: User | None = None,
                          uow: UnitOfWork | None = None) -> None:
    """Words nobody expected: what this person can do here (their /help), with the menu's button."""
    if me is None or uow is None:
        await message.answer(t("common.unknown"))
        return
    from bot.handlers.kernel.common import help_text

    text = t("common.not_understood") + "\n\n" + help_text(t, me, await deployment.running(uow))
    await message.answer(text, reply_markup=single(t("buttons.menu"), MenuCb(action=MenuAction.HOME)))
