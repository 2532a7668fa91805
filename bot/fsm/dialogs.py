"""What every dialog shares: starting one only when no other is open (and asking its first question), and the
files its steps accept."""

from __future__ import annotations

import io

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from bot.files import file_head
from bot.fsm.states import FORMS
from bot.i18n import Translator
from bot.keyboards import builders
from core.domain.kernel.errors import DomainError, InvalidInput
from core.domain.kernel.inputs import check_content, check_file
from core.services.kernel.config import CoreConfig


class FormOpen(DomainError):
    key = "form_open"


#: the dialog's data key naming the screen its « Cancel » (or /cancel) returns to (a bot.keyboards.callbacks.MenuAction
#: value: bot.entry.return_to shows it); without it, the menu
RETURNS_TO = "returns_to"


async def begin(state: FSMContext, *, returns_to: int | None = None, **data) -> None:
    """Open a dialog; refuse while another form is open (the deal room is left quietly). ``returns_to``: the screen
    it was opened from, where « Cancel » leads back (the menu when not given)."""
    current = await state.get_state()
    if current and any(current.startswith(group.__name__ + ":") for group in FORMS):
        raise FormOpen()
    if returns_to:
        data[RETURNS_TO] = int(returns_to)
    await state.set_data(data)


async def ask(cb: CallbackQuery, state: FSMContext, t: Translator, step: State, key: str, *,
              words: dict | None = None, returns_to: int | None = None, **data) -> None:
    """Open a dialog at ``step`` from a button (refused while another form is open) and ask its question (``words``:
    its parameters; ``returns_to``: the screen its « Cancel » leads back to)."""
    await begin(state, returns_to=returns_to, **data)
    await state.set_state(step)
    await cb.answer()
    await cb.message.answer(t(key, **(words or {})), reply_markup=builders.nav(t, back=False))


async def checked_file(message: Message, cfg: CoreConfig, bot: Bot) -> dict:
    """The message's document or photo, refused when it is neither, of a wrong type or too large, or when a
    document's first bytes are a program or not what its name says (photos are re-encoded by Telegram)."""
    f = file_of(message)
    if f is None:
        raise InvalidInput("file_type")
    check_file(file_name=f["file_name"], mime_type=f["mime_type"], size=f["size"], max_bytes=cfg.max_file_bytes)
    if f["kind"] == "document":
        check_content(file_name=f["file_name"], mime_type=f["mime_type"], head=await file_head(bot, f["file_id"]))
    return f


async def table_file(message: Message, cfg: CoreConfig, bot: Bot) -> tuple[bytes, str]:
    """The CSV or XLSX file an import step takes (leads, a campaign's rows): its bytes and name, refused when it is
    no such file, too large, or not what its name says."""
    return await _import_file(message, cfg, bot, (".csv", ".xlsx"), "import_format")


STATEMENT_EXTENSIONS = (".csv", ".sta", ".mt940", ".940", ".txt")


async def statement_file(message: Message, cfg: CoreConfig, bot: Bot) -> tuple[bytes, str]:
    """A bank statement (MT940 or CSV): its bytes and name, refused when it is no such file, too large, or not
    text."""
    return await _import_file(message, cfg, bot, STATEMENT_EXTENSIONS, "statement_file")


async def _import_file(message: Message, cfg: CoreConfig, bot: Bot, extensions: tuple[str, ...], refusal: str
                       ) -> tuple[bytes, str]:
    doc = message.document
    if doc is None or not (doc.file_name or "").lower().endswith(extensions):
        raise InvalidInput(refusal)
    if doc.file_size and doc.file_size > cfg.max_file_bytes:
        raise InvalidInput("file_too_large", max_mb=cfg.max_file_bytes // (1024 * 1024))
    data = (await bot.download(doc, destination=io.BytesIO())).getvalue()
    check_content(file_name=doc.file_name, mime_type=None, head=data[:512])
    return data, doc.file_name


def file_of(message: Message) -> dict | None:
    """A document or the largest photo of a message, as the core's file input fields."""
    if message.document:
        d = message.document
        return {"kind": "document", "file_id": d.file_id, "file_unique_id": d.file_unique_id,
                "file_name": d.file_name, "mime_type": d.mime_type, "size": d.file_size}
    if message.photo:
        p = message.photo[-1]
        return {"kind": "photo", "file_id": p.file_id, "file_unique_id": p.file_unique_id,
                "file_name": None, "mime_type": "image/jpeg", "size": p.file_size}
    return None
