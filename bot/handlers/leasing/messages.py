"""A lessor's client writes outside any dialog (without pressing «💬 Napisz»): the words go to the adviser of their
open case, as «💬 Napisz» sends them. Included just before the leads' client messages and the fallback: every other
router's messages first."""

from __future__ import annotations

from aiogram import Bot
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import StateFilter
from aiogram.types import Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import checked_file
from bot.i18n import Translator
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.deployment import Area
from core.domain.kernel.roles import Role
from core.services.kernel import deployment
from core.services.kernel.config import CoreConfig
from core.services.leasing import origination as leasing

router = Blueprint("lease_messages")


@router.message(StateFilter(None))
async def client_wrote(message: Message, bot: Bot, t: Translator, uow: UnitOfWork, cfg: CoreConfig,
                       me: User | None = None) -> None:
    """To the adviser of the client's newest open case; a client with none, or anyone else, goes on (the leads'
    client messages, then the fallback: their /help says how a case starts)."""
    if me is None or me.role != Role.CLIENT or (message.text and message.text.startswith("/")):
        raise SkipHandler()
    if message.content_type not in ("text", "photo", "document"):  # what «💬 Napisz» relays; a sticker goes on
        raise SkipHandler()
    if Area.LEASING not in await deployment.running(uow):
        raise SkipHandler()
    f = None if message.text else await checked_file(message, cfg, bot)  # a program or a wrong file: refused
    to = await leasing.client_write(uow, me.id, chat_id=message.chat.id, message_id=message.message_id,
                                    text=message.text or message.caption, file_id=f and f["file_id"],
                                    file_kind=f and f["kind"], file_name=f and f["file_name"])
    if to is None:
        raise SkipHandler()
    await message.answer(t("lease.message_sent"))
