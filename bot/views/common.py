"""What every area's screens share: a button from typed callback data, the one pager, showing a screen in place."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def pager(kb: InlineKeyboardBuilder, page: int, pages: int, to: Callable[[int], CallbackData], *,
          counter: bool = False) -> None:
    """The row under a list: «◀️», «n/N» (``counter``), «▶️», each button the list's callback data for that page
    (``to(page)``, which keeps the list's filters); nothing when the list has one page."""
    row = []
    if page > 0:
        row.append(button("◀️", to(page - 1)))
    if counter and pages > 1:
        row.append(button(f"{page + 1}/{pages}", to(page)))
    if page + 1 < pages:
        row.append(button("▶️", to(page + 1)))
    if row:
        kb.row(*row)


def pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


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
