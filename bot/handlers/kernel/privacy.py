"""Personal data: the consent asked before anything else, «Мои данные» (export, erasure), and an admin's
/userdata for a person who asks them."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import deeplinks
from bot.blueprint import Blueprint
from bot.deeplinks import Link
from bot.entry import begin_with
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import LangCb, MenuAction, MenuCb, PrivacyAction, PrivacyCb
from bot.render import role_name
from bot.views.kernel import common as screens
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.deployment import AREAS, Area
from core.domain.kernel.errors import DomainError
from core.domain.kernel.privacy import CONSENT_VERSION, needs_consent
from core.domain.kernel.roles import Role, holds
from core.services.kernel import deployment, privacy, users
from core.services.kernel.config import CoreConfig

#: included before every other router: without consent only the consent buttons work
router = Blueprint("privacy")


async def unconsented(_, me: User | None = None) -> bool:
    return me is not None and needs_consent(me.role, me.consent_version)


LANGUAGES = (("ru", "🇷🇺 Русский"), ("en", "🇬🇧 English"), ("pl", "🇵🇱 Polski"))


def consent_text(t: Translator, areas, business_name: str = "", *, staff: bool = False) -> str:
    """The consent in the reader's language: who keeps the data (the business, when BUSINESS_NAME is set), and what
    is kept, why and who sees it for the areas the deployment runs only (no deal rooms where no marketplace runs).
    ``staff``: a person who opened a staff invite, whose data is their work, not a client's request."""
    name = business_name or "Dealgram"
    if staff:
        keeps = t("pd_consent.keeps_staff", name=name)
    else:
        run = [a for a in AREAS if a in areas]
        keeps = t("pd_consent.keeps", name=name, what=", ".join(t(f"pd_consent.what.{a}") for a in run),
                  why=", ".join(dict.fromkeys(t(f"pd_consent.why.{a}") for a in run)),
                  who=t("pd_consent.who_market" if Area.MARKETPLACE in areas else "pd_consent.who"))
    return t("pd_consent.text", version=CONSENT_VERSION, keeps=keeps)


def _invited(payload: str) -> bool:
    """Whether the /start link kept for after the consent is a staff invite."""
    return deeplinks.parse(payload)[0] == Link.INVITE


def consent_keyboard(t: Translator):
    """« Agree », « Disagree », then the languages (the one in use ticked): the first screen a person sees."""
    kb = InlineKeyboardBuilder()
    kb.button(text=t("privacy.accept"), callback_data=PrivacyCb(action=PrivacyAction.ACCEPT))
    kb.button(text=t("privacy.decline"), callback_data=PrivacyCb(action=PrivacyAction.DECLINE))
    for code, name in LANGUAGES:
        kb.button(text=("✅ " if code == t.locale else "") + name, callback_data=LangCb(locale=code))
    kb.adjust(2, 3)
    return kb.as_markup()


@router.callback_query(LangCb.filter(), unconsented)
async def consent_language(cb: CallbackQuery, callback_data: LangCb, me: User, uow: UnitOfWork,
                           state: FSMContext, business_name: str = "") -> None:
    """A language picked on the consent screen: stored, and the consent shown again in it."""
    me = await users.set_locale(uow, me.id, callback_data.locale)
    t = Translator(me.locale, me.timezone)
    await cb.answer(t("lang.set"))
    pending = (await state.get_data()).get("pending_start", "")
    await screens.show(cb.message, consent_text(t, await deployment.running(uow), business_name,
                                                staff=_invited(pending)), consent_keyboard(t), edit=True)


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.ACCEPT))
async def accept(cb: CallbackQuery, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                 cfg: CoreConfig, business_name: str = "") -> None:
    """Recorded with the text's version; then what the person came for: the /start link they opened."""
    if not needs_consent(me.role, me.consent_version):
        await cb.answer()
        return
    me = await privacy.consent(uow, me.id, CONSENT_VERSION)
    pending = (await state.get_data()).get("pending_start", "")
    await state.clear()
    await cb.answer(t("privacy.accepted", version=CONSENT_VERSION))
    await cb.message.edit_reply_markup(reply_markup=None)
    try:
        await begin_with(pending, cb.message, state, bot, me, t, uow, business_name, cfg)
    except DomainError as exc:  # a used or expired invite, say: the reason, then the plain start
        await cb.message.answer(t.error(exc))
        await begin_with("", cb.message, state, bot, me, t, uow, business_name)


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.DECLINE))
async def decline(cb: CallbackQuery, t: Translator) -> None:
    await cb.answer(t("privacy.declined"), show_alert=True)


@router.message(unconsented)
async def ask_consent(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork,
                      business_name: str = "") -> None:
    """The first message from a person (or the first after a new consent text): the text and two buttons. The
    link they started with is kept and followed once they agree."""
    text = message.text or ""
    if text.startswith("/start "):
        await state.set_data({"pending_start": text.removeprefix("/start ").strip()[:64]})
    pending = (await state.get_data()).get("pending_start", "")
    await message.answer(consent_text(t, await deployment.running(uow), business_name, staff=_invited(pending)),
                         reply_markup=consent_keyboard(t))


@router.callback_query(unconsented)
async def consent_first(cb: CallbackQuery, t: Translator) -> None:
    await cb.answer(t("privacy.consent_first"), show_alert=True)


async def show(message: Message, me: User, subject_id: int, t: Translator, uow: UnitOfWork) -> None:
    data = await privacy.export(uow, me.id, subject_id)
    profile, consent = data["profile"], data["consent"]
    at = t.dt(datetime.fromisoformat(consent["accepted_at"])) if consent["accepted_at"] else "—"
    kb = InlineKeyboardBuilder()
    kb.button(text=t("privacy.export"), callback_data=PrivacyCb(action=PrivacyAction.EXPORT, subject_id=subject_id))
    if profile["role"] != Role.ADMIN and profile["erased_at"] is None:
        kb.button(text=t("privacy.erase"), callback_data=PrivacyCb(action=PrivacyAction.ERASE, subject_id=subject_id))
    kb.adjust(1)
    kb.row(*builders.settings_way_back(t, me))
    await message.answer(t("privacy.title", name=profile["name"], role=role_name(t, profile["role"]),
                           version=consent["version"] or t("privacy.no_consent"), at=at,
                           applications=len(data["applications"]), messages=len(data["messages"]),
                           leads=len(data["leads"])), reply_markup=kb.as_markup())


@router.message(Command("mydata"))
async def my_data_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    await show(message, me, me.id, t, uow)


@router.callback_query(MenuCb.filter(F.action == MenuAction.MY_DATA))
async def my_data_button(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await show(cb.message, me, me.id, t, uow)


@router.message(Command("userdata"))
async def user_data(message: Message, command: CommandObject, me: User, t: Translator, uow: UnitOfWork,
                    cfg: CoreConfig) -> None:
    """An admin, on a person's request: what is stored about them, with export and erase buttons. The person is
    named by Telegram id, @username or phone (a contact card, for someone who never wrote to the bot)."""
    if not holds(me, Role.ADMIN):
        await message.answer(t("common.unknown"))
        return
    if not command.args:
        await message.answer(t("privacy.admin_usage"))
        return
    subject = await privacy.find_subject(uow, me.id, command.args, cfg.phone_region)
    if subject.user_id is not None:
        await show(message, me, subject.user_id, t, uow)
    else:
        await show_contact(message, me, subject.contact_id, t, uow)


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.EXPORT))
async def export(cb: CallbackQuery, callback_data: PrivacyCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await privacy.export(uow, me.id, callback_data.subject_id)  # re-checks who may see whose data
    await cb.answer()
    name = data["profile"]["name"]
    await cb.message.answer_document(
        BufferedInputFile(privacy.export_json(data), filename=f"dealgram-data-{data['profile']['id']}.json"),
        caption=t("privacy.export_caption", name=name, at=t.dt(datetime.fromisoformat(data["exported_at"]))))


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.ERASE))
async def erase_ask(cb: CallbackQuery, callback_data: PrivacyCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await privacy.export(uow, me.id, callback_data.subject_id)
    kb = InlineKeyboardBuilder()
    kb.button(text=t("privacy.erase_yes"),
              callback_data=PrivacyCb(action=PrivacyAction.ERASE_CONFIRM, subject_id=callback_data.subject_id))
    kb.button(text=t("buttons.menu"), callback_data=MenuCb(action=MenuAction.HOME))
    await cb.answer()
    await cb.message.answer(t("privacy.erase_ask", name=data["profile"]["name"]),
                            reply_markup=kb.as_markup())


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.ERASE_CONFIRM))
async def erase(cb: CallbackQuery, callback_data: PrivacyCb, state: FSMContext, fsm_storage: BaseStorage, bot: Bot,
                me: User, t: Translator, uow: UnitOfWork) -> None:
    tg_id = (await users.get(uow, me.id, callback_data.subject_id)).tg_id
    erased = await privacy.erase(uow, me.id, callback_data.subject_id)
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    # their dialog state goes too (it may hold what they typed into a form)
    await fsm_storage.set_data(StorageKey(bot_id=bot.id, chat_id=tg_id, user_id=tg_id), {})
    await fsm_storage.set_state(StorageKey(bot_id=bot.id, chat_id=tg_id, user_id=tg_id), None)
    if erased.id == me.id:
        await state.clear()
        await cb.message.answer(t("privacy.erased_self"))
    else:
        await cb.message.answer(t("privacy.erased_admin", id=erased.id))


# --- a contact card: a person the CRM knows by phone, who may never have written to the bot ----------------------

async def show_contact(message: Message, me: User, contact_id: int, t: Translator, uow: UnitOfWork) -> None:
    data = await privacy.contact_export(uow, me.id, contact_id)  # admins only
    c = data["contact"]
    lines = [t("privacy.contact_title", name=c["name"], phones=", ".join(map(t.phone, c["phones"])) or "—",
               leads=len(data["leads"]), notes=len(data["notes"]), deals=len(data["deals"]),
               applications=len(data["applications"]))]
    kb = InlineKeyboardBuilder()
    kb.button(text=t("privacy.export"), callback_data=PrivacyCb(action=PrivacyAction.CONTACT_EXPORT,
                                                                subject_id=contact_id))
    if c["erased_at"]:
        lines.append(t("privacy.contact_erased_at", at=t.dt(datetime.fromisoformat(c["erased_at"]))))
    else:
        kb.button(text=t("privacy.contact_erase"), callback_data=PrivacyCb(action=PrivacyAction.CONTACT_ERASE,
                                                                           subject_id=contact_id))
    kb.button(text=t("buttons.menu"), callback_data=MenuCb(action=MenuAction.HOME))
    kb.adjust(1)
    await message.answer("\n".join(lines), reply_markup=kb.as_markup())


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.CONTACT))
async def contact_data(cb: CallbackQuery, callback_data: PrivacyCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await show_contact(cb.message, me, callback_data.subject_id, t, uow)
    await cb.answer()


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.CONTACT_EXPORT))
async def contact_export(cb: CallbackQuery, callback_data: PrivacyCb, me: User, t: Translator,
                         uow: UnitOfWork) -> None:
    data = await privacy.contact_export(uow, me.id, callback_data.subject_id)
    await cb.answer()
    await cb.message.answer_document(
        BufferedInputFile(privacy.export_json(data), filename=f"dealgram-contact-{data['contact']['id']}.json"),
        caption=t("privacy.contact_export_caption", name=data["contact"]["name"],
                  at=t.dt(datetime.fromisoformat(data["exported_at"]))))


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.CONTACT_ERASE))
async def contact_erase_ask(cb: CallbackQuery, callback_data: PrivacyCb, me: User, t: Translator,
                            uow: UnitOfWork) -> None:
    data = await privacy.contact_export(uow, me.id, callback_data.subject_id)
    kb = InlineKeyboardBuilder()
    kb.button(text=t("privacy.erase_yes"), callback_data=PrivacyCb(action=PrivacyAction.CONTACT_ERASE_CONFIRM,
                                                                   subject_id=callback_data.subject_id))
    kb.button(text=t("buttons.menu"), callback_data=MenuCb(action=MenuAction.HOME))
    await cb.answer()
    await cb.message.answer(t("privacy.contact_erase_ask", name=data["contact"]["name"]),
                            reply_markup=kb.as_markup())


@router.callback_query(PrivacyCb.filter(F.action == PrivacyAction.CONTACT_ERASE_CONFIRM))
async def contact_erase(cb: CallbackQuery, callback_data: PrivacyCb, me: User, t: Translator,
                        uow: UnitOfWork) -> None:
    erased = await privacy.contact_erase(uow, me.id, callback_data.subject_id)
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("privacy.contact_erased", id=erased.id))
