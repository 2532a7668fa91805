"""A manager's own dispatch profile: categories, regions, amount range, term range."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin
from bot.fsm.states import ProfileInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import MenuAction, MenuCb, ProfileAction, ProfileCb
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import MAX_AMOUNT, parse_amount, parse_int, parse_range
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory

router = Blueprint("profile")


def _names(items, ids) -> str:
    chosen = [i.name for i in items if i.id in set(ids or ())]
    return ", ".join(chosen) if chosen else None


async def _show(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    p = await users.profile(uow, me.id)
    categories = await directories.listing(uow, Directory.CATEGORIES, active_only=False)
    regions = await directories.listing(uow, Directory.REGIONS, active_only=False)
    anything = t("profile.any")
    text = t("profile.card",
             company=me.company.name if me.company else "—",
             categories=_names(categories, p.categories) or anything,
             regions=_names(regions, p.regions) or anything,
             amount=(f"{t.money(p.amount_min)} – {t.money(p.amount_max)}" if p.amount_min is not None else anything),
             term=(f"{p.term_min}–{p.term_max}" if p.term_min is not None else anything))
    kb = InlineKeyboardBuilder()
    for action in (ProfileAction.CATEGORIES, ProfileAction.REGIONS, ProfileAction.AMOUNT, ProfileAction.TERM):
        kb.button(text=t(f"profile.{action.name.lower()}"), callback_data=ProfileCb(action=action))
    kb.button(text=t("menu.language"), callback_data=MenuCb(action=MenuAction.LANGUAGE))  # and the timezone
    kb.adjust(2)
    await message.answer(text, reply_markup=kb.as_markup())


@router.message(Command("profile"))
async def profile_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _show(message, me, t, uow)


@router.callback_query(MenuCb.filter(F.action == MenuAction.PROFILE))
@router.callback_query(ProfileCb.filter(F.action == ProfileAction.SHOW))
async def profile_button(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await _show(cb.message, me, t, uow)


async def _toggles(t: Translator, uow: UnitOfWork, me: User, field: str):
    p = await users.profile(uow, me.id)
    directory = Directory.CATEGORIES if field == "categories" else Directory.REGIONS
    action = ProfileAction.TOGGLE_CATEGORY if field == "categories" else ProfileAction.TOGGLE_REGION
    kb = InlineKeyboardBuilder()
    for item in await directories.listing(uow, directory):
        mark = "✅ " if item.id in (getattr(p, field) or []) else "⬜ "
        kb.button(text=mark + item.name, callback_data=ProfileCb(action=action, item_id=item.id))
    kb.adjust(2)
    kb.row(InlineKeyboardButton(text=t("buttons.done"), callback_data=ProfileCb(action=ProfileAction.SHOW).pack()))
    return t(f"profile.pick_{field}"), kb.as_markup()


@router.callback_query(ProfileCb.filter(F.action.in_({ProfileAction.CATEGORIES, ProfileAction.REGIONS})))
async def pick(cb: CallbackQuery, callback_data: ProfileCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    field = "categories" if callback_data.action == ProfileAction.CATEGORIES else "regions"
    text, markup = await _toggles(t, uow, me, field)
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(ProfileCb.filter(F.action.in_({ProfileAction.TOGGLE_CATEGORY, ProfileAction.TOGGLE_REGION})))
async def toggle(cb: CallbackQuery, callback_data: ProfileCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    field = "categories" if callback_data.action == ProfileAction.TOGGLE_CATEGORY else "regions"
    await users.toggle_profile_item(uow, me.id, field, callback_data.item_id)
    text, markup = await _toggles(t, uow, me, field)
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


@router.callback_query(ProfileCb.filter(F.action.in_({ProfileAction.AMOUNT, ProfileAction.TERM})))
async def ask_range(cb: CallbackQuery, callback_data: ProfileCb, state: FSMContext, me: User, t: Translator,
                    uow: UnitOfWork) -> None:
    await users.profile(uow, me.id)  # a manager's own profile only
    field = "amount" if callback_data.action == ProfileAction.AMOUNT else "term"
    await begin(state)
    await state.set_state(ProfileInput.amount if field == "amount" else ProfileInput.term)
    await cb.answer()
    await cb.message.answer(t(f"profile.ask_{field}"), reply_markup=builders.nav(t, back=False))


@router.message(ProfileInput.amount)
@router.message(ProfileInput.term)
async def range_given(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    if message.text is None:
        raise InvalidInput("text_expected")
    field = (await state.get_state()).split(":")[-1]
    if field == "amount":
        low, high = parse_range(message.text, parse_amount, maximum=MAX_AMOUNT, locale=t.locale)
    else:
        low, high = parse_range(message.text, parse_int, minimum=1, maximum=120)
    await users.set_profile_range(uow, me.id, field, low, high)
    await state.clear()
    await _show(message, me, t, uow)
