"""A list's pages: how many a list of ``total`` rows has, ``size`` to a page, and which page a number asked for
stands for. The one place of this arithmetic: the repositories' pages, the services' and the bot's pagers use it."""

from __future__ import annotations


def page_count(total: int, size: int) -> int:
    """How many pages: at least one (an empty list shows one empty page)."""
    return max(1, -(-total // size))


def clamp(page: int, total: int, size: int) -> int:
    """The page asked for, within the pages there are: a negative number is the first page, one past the end (a
    button pressed after rows went away) the last."""
    return min(max(page, 0), page_count(total, size) - 1)
