"""What a reader sees of a feed line or a task core stored as facts: the bot's words for them, in a language
(Russian unless asked), so that a service test asserts the words a person reads."""

from __future__ import annotations

from bot.i18n import Translator
from bot.views.deals.feed import entry_text
from bot.views.kernel.tasks import task_title


def line(item, locale: str = "ru") -> str:
    """A feed row's words (its kind and params, or its text)."""
    return entry_text(Translator(locale), item.kind, item.params, item.text)


def title(task, locale: str = "ru") -> str:
    """A task's name (its code and params, or the words a person typed)."""
    return task_title(Translator(locale), task)
