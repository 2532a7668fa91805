"""A button from typed callback data, and the one pager every list uses."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton
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
