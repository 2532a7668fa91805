"""/start (with invite and referral payloads), /menu, /cancel, /lang, and the command menu per role."""

from __future__ import annotations

import logging

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message, ReplyKeyboardRemove
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import deeplinks, entry
from bot.blueprint import Blueprint
from bot.commands import set_commands
from bot.deeplinks import Link
from bot.fsm.dialogs import RETURNS_TO, begin
from bot.fsm.states import ProfileInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import LangCb, MenuAction, MenuCb, TzCb, TzPageCb
from bot.keyboards.pager import PICKER_PAGE, page_of, pager
from bot.render import roles_names
from bot.views.kernel.common import show
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.deployment import AREAS, Area
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.roles import REFERRER_ROLES, Role, held, holds
from core.domain.kernel.schedule import OFFERED_ZONES
from core.services.kernel import deployment, users
from core.services.kernel.config import CoreConfig

log = logging.getLogger(__name__)
router = Blueprint("common")

@router.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    had, returns_to = await state.get_state(), (await state.get_data()).get(RETURNS_TO)
    await state.clear()
    await message.answer(t("common.cancelled") if had else t("common.nothing_to_cancel"),
                         reply_markup=ReplyKeyboardRemove())
    await entry.return_to(message, me, t, uow, returns_to if had else None)


@router.message(CommandStart(deep_link=True))
async def start_with_payload(message: Message, command: CommandObject, state: FSMContext, bot: Bot, me: User,
                             t: Translator, uow: UnitOfWork, cfg: CoreConfig, business_name: str = "") -> None:
    await entry.begin_with(command.args or "", message, state, bot, me, t, uow, business_name, cfg)


@router.message(CommandStart())
async def start(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                business_name: str = "") -> None:
    await entry.welcome(message, state, bot, me, t, uow, business_name)


@router.message(Command("menu"))
async def menu_command(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    if (await state.get_state() or "").startswith(("DealRoom", "CalcShown")):
        await state.clear()
    await entry.show_menu(message, me, t, uow)


@router.callback_query(MenuCb.filter(F.action == MenuAction.HOME))
async def menu_button(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await entry.show_menu(cb.message, me, t, uow)


#: the menu's sections open here (an admin's « More » and « Settings »: bot.handlers.kernel.setup)
AREA_SECTIONS = frozenset(builders.SECTIONS) - {MenuAction.MORE, MenuAction.SETTINGS}


@router.callback_query(MenuCb.filter(F.action.in_(AREA_SECTIONS)))
async def menu_section(cb: CallbackQuery, callback_data: MenuCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """A section of the menu (an area's entries, one's own settings): its entries that this person's menu has, then
    « Menu »."""
    await cb.answer()
    areas = await deployment.running(uow)
    mine = builders.held_entries(held(me))
    actions = [a for a in builders.SECTIONS[callback_data.action] if a in mine]
    if callback_data.action not in builders.sections(held(me), areas) or not actions:
        await entry.show_menu(cb.message, me, t, uow)  # a stale button: not (or no longer) in this person's menu
        return
    await cb.message.answer(t(f"menu.{callback_data.action.name.lower()}_title"),
                            reply_markup=builders.section(t, actions, areas))


@router.message(Command("help"))
async def help_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    await message.answer(help_text(t, me, await deployment.running(uow)),
                         reply_markup=builders.single(t("buttons.menu"), MenuCb(action=MenuAction.HOME)))


def help_text(t: Translator, me: User, areas) -> str:
    """What this person can do: their role, each entry of their menu (an admin's sections too) with what it is for,
    the commands every dialog knows."""
    def about(a: MenuAction) -> str:
        if a == MenuAction.DIRECTORIES:  # the directories of the areas run, not every area's
            return ", ".join([*(t(f"help_dirs.{x}") for x in AREAS if x in areas), t("help_dirs.always")])
        return t(f"help.{a.name.lower()}")

    def described(actions) -> list[str]:
        return [f"{t(f'menu.{a.name.lower()}')} — {about(a)}" for a in actions]

    entries = builders.entries(held(me), areas)
    mine = builders.held_entries(held(me))
    lines = [t("help.intro", role=roles_names(t, me)), ""]
    lines += described(a for a in entries if a not in builders.SECTIONS)
    for section in builders.sections(held(me), areas):  # each section under its heading
        lines += ["", t(f"help.{section.name.lower()}"),
                  *described(a for a in builders.shown(builders.SECTIONS[section], areas) if a in mine)]
    if me.role == Role.CLIENT and Area.LEADS in areas:  # a client of a firm taking requests: they may write in
        lines += ["", t("client_hint.leads")]
    if me.role == Role.CLIENT and Area.LEASING in areas:  # a lessor's client: how a case starts
        lines += ["", t("client_hint.lease", id=me.tg_id)]
    lines += ["", t("help.commands")]
    return "\n".join(lines)


def _settings(t: Translator, me: User, uow: UnitOfWork):
    """The language and the timezone: the languages, the offered zones (a screen of their own, paged), another one
    typed, « Menu »."""
    now = uow.clock.now()
    kb = InlineKeyboardBuilder()
    kb.row(InlineKeyboardButton(text="Русский", callback_data=LangCb(locale="ru").pack()),
           InlineKeyboardButton(text="English", callback_data=LangCb(locale="en").pack()),
           InlineKeyboardButton(text="Polski", callback_data=LangCb(locale="pl").pack()))
    kb.row(InlineKeyboardButton(text=t("lang.zones_button"), callback_data=TzPageCb(
        page=OFFERED_ZONES.index(me.timezone) // PICKER_PAGE if me.timezone in OFFERED_ZONES else 0).pack()))
    kb.row(InlineKeyboardButton(text=t("lang.other_zone"), callback_data=TzCb(zone=0).pack()))
    kb.row(*builders.settings_way_back(t, me))
    return f"{t('lang.choose')}\n\n{t('lang.settings', zone=t.zone(me.timezone, now))}", kb.as_markup()


def _zones(t: Translator, me: User, uow: UnitOfWork, page: int):
    """A page of the offered zones (each with its offset now, the person's ticked), «◀️ ▶️», « ⬅️ Back » to the
    language and timezone screen."""
    now = uow.clock.now()
    shown, page, pages = page_of(enumerate(OFFERED_ZONES, start=1), page)
    kb = InlineKeyboardBuilder()
    for i, zone in shown:
        kb.row(InlineKeyboardButton(text=("✅ " if zone == me.timezone else "") + t.zone(zone, now),
                                    callback_data=TzCb(zone=i).pack()))
    pager(kb, page, pages, lambda n: TzPageCb(page=n))
    kb.row(InlineKeyboardButton(text=t("buttons.back"), callback_data=MenuCb(action=MenuAction.LANGUAGE).pack()))
    return f"{t('lang.settings', zone=t.zone(me.timezone, now))}\n\n{t('lang.pick_zone')}", kb.as_markup()


@router.message(Command("lang"))
async def lang_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = _settings(t, me, uow)
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCb.filter(F.action == MenuAction.LANGUAGE))
async def lang_button(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = _settings(t, me, uow)
    await cb.answer()
    # back from the zones: in place; from the menu: a message of its own
    await show(cb.message, text, markup, edit=(cb.message.text or "").endswith(t("lang.pick_zone")))


@router.callback_query(TzPageCb.filter())
async def zones_page(cb: CallbackQuery, callback_data: TzPageCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = _zones(t, me, uow, callback_data.page)
    await cb.answer()
    await show(cb.message, text, markup, edit=True)


@router.callback_query(LangCb.filter())
async def lang_set(cb: CallbackQuery, callback_data: LangCb, bot: Bot, me: User, uow: UnitOfWork) -> None:
    me = await users.set_locale(uow, me.id, callback_data.locale)
    t = Translator(me.locale, me.timezone)
    await cb.answer(t("lang.set"))
    await set_commands(bot, me, t, await deployment.running(uow))
    await entry.show_menu(cb.message, me, t, uow)


@router.callback_query(TzCb.filter())
async def zone_picked(cb: CallbackQuery, callback_data: TzCb, state: FSMContext, me: User, t: Translator,
                      uow: UnitOfWork) -> None:
    if callback_data.zone == 0:
        await begin(state)
        await state.set_state(ProfileInput.timezone)
        await cb.answer()
        await cb.message.answer(t("lang.ask_zone"), reply_markup=builders.nav(t, back=False))
        return
    if not 1 <= callback_data.zone <= len(OFFERED_ZONES):
        raise InvalidInput("stale_button")
    me = await users.set_timezone(uow, me.id, OFFERED_ZONES[callback_data.zone - 1])
    t = Translator(me.locale, me.timezone)
    text, markup = _zones(t, me, uow, (callback_data.zone - 1) // PICKER_PAGE)
    await cb.answer(t("lang.zone_set", zone=t.zone(me.timezone, uow.clock.now())))
    await cb.message.edit_text(text, reply_markup=markup)


@router.message(ProfileInput.timezone)
async def zone_typed(message: Message, state: FSMContext, me: User, uow: UnitOfWork) -> None:
    me = await users.set_timezone(uow, me.id, message.text or "")
    await state.clear()
    t = Translator(me.locale, me.timezone)
    await message.answer(t("lang.zone_set", zone=t.zone(me.timezone, uow.clock.now())))
    await entry.show_menu(message, me, t, uow)


@router.message(Command("link"))
async def link_command(message: Message, bot: Bot, me: User, t: Translator) -> None:
    await _send_link(message, bot, me, t)


@router.callback_query(MenuCb.filter(F.action == MenuAction.REF_LINK))
async def link_button(cb: CallbackQuery, bot: Bot, me: User, t: Translator) -> None:
    await cb.answer()
    await _send_link(cb.message, bot, me, t)


async def _send_link(message: Message, bot: Bot, me: User, t: Translator) -> None:
    if not holds(me, *REFERRER_ROLES) or not me.referral_code:
        await message.answer(t("errors.forbidden"))
        return
    me_bot = await bot.me()
    await message.answer(t("start.ref_link", link=deeplinks.url(me_bot.username, Link.REFERRAL, me.referral_code)))
