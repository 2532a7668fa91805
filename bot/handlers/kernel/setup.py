"""An admin's first setup: what the deployment runs (asked at the first /start, changed from « Settings »), the
checklist of what each area still needs, and the admin menu's two sections (« Settings », « More »)."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.commands import set_commands
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import MenuAction, MenuCb, SetupAction, SetupCb
from bot.views.kernel import setup as views
from bot.views.kernel.common import show
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.deployment import from_mask
from core.domain.kernel.roles import Role
from core.services.kernel import deployment

router = Blueprint("setup", roles={Role.ADMIN})


async def send_checklist(message: Message, me: User, t: Translator, uow: UnitOfWork, *, edit: bool = False) -> None:
    await show(message, *views.checklist(t, await deployment.setup(uow, me.id)), edit=edit)


@router.message(Command("setup"))
async def setup_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    await send_checklist(message, me, t, uow)


@router.callback_query(MenuCb.filter(F.action == MenuAction.SETTINGS))
async def settings(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await send_checklist(cb.message, me, t, uow)


@router.callback_query(MenuCb.filter(F.action == MenuAction.MORE))
async def more(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await cb.message.answer(t("menu.more_title"), reply_markup=builders.section(
        t, builders.ADMIN_SECTIONS[MenuAction.MORE], await deployment.running(uow)))


@router.callback_query(SetupCb.filter(F.action.in_({SetupAction.ASK, SetupAction.TOGGLE, SetupAction.PIPELINE})))
async def asked(cb: CallbackQuery, callback_data: SetupCb, t: Translator) -> None:
    """The question (from « Settings »: a message of its own), and its ticks and the pipeline picked (in place)."""
    text, markup = views.question(t, from_mask(callback_data.mask), callback_data.pipeline)
    await cb.answer()
    await show(cb.message, text, markup, edit=callback_data.action != SetupAction.ASK)


@router.callback_query(SetupCb.filter(F.action == SetupAction.SAVE))
async def saved(cb: CallbackQuery, callback_data: SetupCb, bot: Bot, me: User, t: Translator,
                uow: UnitOfWork) -> None:
    areas = await deployment.set_areas(uow, me.id, from_mask(callback_data.mask), callback_data.pipeline)
    await cb.answer(t("setup.saved"))
    await cb.message.edit_text(t("setup.saved_areas", areas=views.area_names(t, areas)), reply_markup=None)
    await set_commands(bot, me, t, areas)
    await send_checklist(cb.message, me, t, uow)
