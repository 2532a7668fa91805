"""A lead's client and the firm write to each other (walkthrough item 13): a client's words outside any dialog go to
their open request's responsible (or the admins) and are kept on the lead; «↩️ Answer» under them, or «💬 Write to
the client» on the lead's card, copies the answer back. A client with no open request is told how to leave one.

Included just before the fallback: every other router's messages first."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin, checked_file
from bot.fsm.states import LeadAnswerInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import LeadAction, LeadCb, MenuAction, MenuCb
from bot.keyboards.pager import button
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.deployment import Area
from core.domain.kernel.roles import Role
from core.domain.leads.feed import RELAYED
from core.services.kernel import deployment
from core.services.kernel.config import CoreConfig
from core.services.leads import messages as lead_messages
from core.services.leads.messages import Written

router = Blueprint("lead_messages")


async def written(message: Message, cfg: CoreConfig, bot: Bot) -> Written:
    """What a message is, for a relay: a photo or a document checked as every file the bot takes (no program, not
    too large); a voice, a video, an audio copied as they are; its words or caption."""
    content = message.content_type
    if content in ("photo", "document"):
        await checked_file(message, cfg, bot)
    return Written(chat_id=message.chat.id, message_id=message.message_id,
                   content=content if content in RELAYED else "other", text=message.text or message.caption)


def request_buttons(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [button(t("menu.new_request"), MenuCb(action=MenuAction.NEW_REQUEST))], [builders.menu_button(t)]])


@router.message(StateFilter(None))
async def client_wrote(message: Message, bot: Bot, t: Translator, uow: UnitOfWork, cfg: CoreConfig,
                       me: User | None = None) -> None:
    """A client's message outside any dialog, where the firm takes requests: passed to whoever works their open
    request; none open: how to leave one (where the marketplace runs too, only to one who left a request before).
    Anyone else's words go on to the fallback (« I don't understand » and their /help)."""
    if me is None or me.role != Role.CLIENT or (message.text and message.text.startswith("/")):
        raise SkipHandler()
    areas = await deployment.running(uow)
    if Area.LEADS not in areas:
        raise SkipHandler()
    passed = await lead_messages.from_client(uow, me.id, await written(message, cfg, bot))
    if passed is None:
        if Area.MARKETPLACE in areas and not await lead_messages.ever_requested(uow, me.id):
            raise SkipHandler()  # a marketplace's client who never left a request: their /help, as before
        await message.answer(t("lead_chat.no_request"), reply_markup=request_buttons(t))
        return
    await message.answer(t("lead_chat.passed_to", name=passed.to.name) if passed.to else t("lead_chat.passed"))


@router.callback_query(LeadCb.filter(F.action == LeadAction.ANSWER))
async def answer_asked(cb: CallbackQuery, callback_data: LeadCb, state: FSMContext, me: User, t: Translator,
                       uow: UnitOfWork) -> None:
    """« ↩️ Answer »: who may work the lead answers its client (checked now, and again when the answer comes)."""
    reply = await lead_messages.reply_to(uow, me.id, callback_data.lead_id, callback_data.value)
    await begin(state, lead_id=reply.lead.id, note_id=reply.note_id)
    await state.set_state(LeadAnswerInput.text)
    await cb.answer()
    await cb.message.answer(t("lead_chat.ask_answer", id=reply.lead.id,
                              name=reply.lead.given_name or reply.lead.contact.name),
                            reply_markup=builders.nav(t, back=False))


@router.message(LeadAnswerInput.text)
async def answer_written(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                         cfg: CoreConfig) -> None:
    data = await state.get_data()
    reply = await lead_messages.answer(uow, me.id, data["lead_id"], data["note_id"], await written(message, cfg, bot))
    await state.clear()
    await message.answer(t("lead_chat.answer_sent", id=reply.lead.id,
                           name=reply.lead.given_name or reply.lead.contact.name),
                         reply_markup=builders.single(t("buttons.open_lead"),
                                                      LeadCb(action=LeadAction.OPEN, lead_id=reply.lead.id)))
