"""A button from typed callback data, and the one pager every list uses."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton
from aiogram.utils.keyboard import InlineKeyboardBuilder


def fit(text: str, limit: int = 48) -> str:
    """A button's words within ``limit`` characters: cut at the last word boundary that fits, with «…» (a word is
    never cut in the middle; a single word longer than the limit is, as there is no boundary)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(" ,;:—-–(«\"") + "…"


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


#: a screen shows at most eight buttons (issue 30): a picker's page holds this many, with «◀️ ▶️» and its way back
PICKER_PAGE = 5


def page_of(items, page: int, size: int = PICKER_PAGE) -> tuple[list, int, int]:
    """The items of a picker's ``page`` (kept within the pages there are: a stale page shows the last), that page and
    how many pages there are."""
    items = list(items)
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return items[page * size:(page + 1) * size], page, pages
