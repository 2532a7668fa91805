"""A generated document (a КП, an invoice) into a chat: uploaded once, then sent by Telegram's file id (the id is
kept with the document; the bytes never travel through the outbox)."""

from __future__ import annotations

from collections.abc import Callable

from aiogram import Bot
from aiogram.types import BufferedInputFile, Message

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.services.kernel import documents


async def send(bot: Bot, chat_id: int, doc: m.Document, caption: str, uow_factory: Callable[[], UnitOfWork],
               reply_markup=None) -> Message:
    if doc.tg_file_id:
        return await bot.send_document(chat_id, doc.tg_file_id, caption=caption, reply_markup=reply_markup)
    sent = await bot.send_document(chat_id, BufferedInputFile(doc.content, doc.file_name), caption=caption,
                                   reply_markup=reply_markup)
    if sent.document is not None:
        await documents.remember_file_id(uow_factory(), doc.id, sent.document.file_id)
    return sent
