"""What every area's screens share: showing a screen in place (buttons and the pager: bot/keyboards/pager.py)."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup, Message


async def show(target: Message, text: str, markup: InlineKeyboardMarkup | None, *, edit: bool) -> None:
    """In place when the press came from a text message; a new message otherwise (or when Telegram refuses the
    edit: the message is too old, or the same)."""
    if edit:
        try:
            await target.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest:
            pass
    await target.answer(text, reply_markup=markup)
