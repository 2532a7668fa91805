"""How a person comes in: /start with one of our links (bot.deeplinks) — an invite, a lead source's form, a
referral — then the welcome and the menu. The start handler and the consent screen (which holds the link until the
person agrees) both go through here."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove

from bot import deeplinks
from bot.commands import set_commands
from bot.deeplinks import Link
from bot.fsm.dialogs import begin
from bot.fsm.states import SourceForm
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import MenuAction
from bot.render import role_name, roles_names
from bot.views.kernel import setup as setup_views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.roles import OPERATOR_STAFF, Role, held, holds
from core.services.kernel import deployment, teams, users
from core.services.kernel.config import CoreConfig
from core.services.leads import lifecycle as leads


async def begin_with(payload: str, message: Message, state: FSMContext, bot: Bot, me: User, t: Translator,
                     uow: UnitOfWork, business: str = "", cfg: CoreConfig | None = None) -> None:
    """/start with a link's payload: an invite, a lead source's form, a referral, or a lease case's client link;
    then the welcome."""
    kind, code = deeplinks.parse(payload)
    if kind == Link.INVITE:
        me = await users.accept_invite(uow, me.id, code)
        t = Translator(me.locale, me.timezone)
        if me.company is not None:  # a marketplace partner's manager
            await message.answer(t("start.invite_accepted", role=role_name(t, me.role), company=me.company.name))
        else:  # the operator's staff: the team they joined
            names = ", ".join(g.name for g in await teams.of_person(uow, me.id))
            await message.answer(t("people.welcome_team", role=role_name(t, me.role), team=names) if names
                                 else t("people.welcome_staff", role=role_name(t, me.role)))
    elif kind == Link.SOURCE:
        await source_form(message, state, t, uow, code)
        return
    elif kind == Link.REFERRAL:
        referrer = await users.attach_referrer(uow, me.id, code)
        if referrer is not None:
            await message.answer(t("start.referred", name=referrer.name))
    elif kind == Link.CASE and cfg is not None:  # a lease case's client link: the case, then the welcome
        from bot.views.kernel.common import show
        from bot.views.leasing import lease as lease_views
        from core.services.leasing import origination as leasing

        deal_id = await leasing.join_by_link(uow, me.id, code, cfg)
        await welcome(message, state, bot, me, t, uow, business)
        await message.answer(t("lease.joined", id=deal_id))
        await show(message, *lease_views.case_screen(t, await leasing.view(uow, me.id, deal_id)), edit=False)
        return
    await welcome(message, state, bot, me, t, uow, business)


async def welcome(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                  business: str = "") -> None:
    """The greeting (the business's name when BUSINESS_NAME is set), the commands and the menu; an admin of a
    deployment that never said what it runs is asked that last (the first setup)."""
    await state.clear()
    if set(held(me)) & OPERATOR_STAFF:  # the business's own people: whose bot it is and what they are in it
        greeting = t("start.welcome_staff_named" if business else "start.welcome_staff", name=me.name,
                     business=business, role=roles_names(t, me))
    else:
        greeting = t("start.welcome_named", name=me.name, business=business) if business else t("start.welcome",
                                                                                                 name=me.name)
    await message.answer(greeting, reply_markup=ReplyKeyboardRemove())
    areas = await deployment.running(uow)
    await set_commands(bot, me, t, areas)
    await message.answer(t("menu.title", role=roles_names(t, me)), reply_markup=builders.menu(t, held(me), areas))
    if holds(me, Role.ADMIN) and not await deployment.answered(uow):
        text, markup = setup_views.question(t, frozenset())
        await message.answer(t("setup.first") + "\n\n" + text, reply_markup=markup)


async def return_to(message: Message, me: User, t: Translator, uow: UnitOfWork, screen: int | None) -> None:
    """Where a dialog left by « Cancel » or /cancel leads: the settings' checklist it was opened from (an admin's),
    else the menu."""
    if screen == MenuAction.SETTINGS and holds(me, Role.ADMIN):
        text, markup = setup_views.checklist(t, await deployment.setup(uow, me.id))
        await message.answer(text, reply_markup=markup)
        return
    await show_menu(message, me, t, uow)


async def show_menu(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    areas = await deployment.running(uow)
    await message.answer(t("menu.title", role=roles_names(t, me)), reply_markup=builders.menu(t, held(me), areas))


async def source_form(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork, code: str) -> None:
    """A lead source's link: the person's request form (its steps are in bot.handlers.leads)."""
    source = await leads.source_by_code(uow, code)
    await begin(state, source=source.id)
    await state.set_state(SourceForm.name)
    await message.answer(t("leads.request_intro"))
    await message.answer(t("leads.ask.own_name"), reply_markup=builders.nav(t, back=False))
