"""The names of a pipeline's statuses and of a deal, in the reader's language.

A status the seeds made keeps its code; its row's name is the seed's words (the migrations wrote them in the seed's
language). While that name is still one of the status's names in the locales (ru, en, pl), nobody renamed it: it is
shown by its locale name in the reader's language. An admin who renames it picks words of their own; those are shown
as typed, to everyone (a renamed status is the admin's choice of words, not a translation). A status an admin added
has no code and is shown by its name."""

from __future__ import annotations

from bot.i18n import Translator


def status_name(t: Translator, pipeline: str, code: str | None, name: str | None) -> str:
    """The status as the reader knows it: its locale name while its row keeps a seed's name (``name`` None: the
    code alone is known), else the name an admin gave it."""
    return t.status_named(pipeline, code, name)


def close_reason(t: Translator, reason: str | None) -> str | None:
    """Why a deal closed: a reason the core wrote by itself (a code, core.domain.campaigns.stages.CLOSE_REASONS) in
    the reader's language; a person's words, or a sentence stored before the codes, as they are."""
    if reason and t.has(f"close_reason.{reason}"):
        return t(f"close_reason.{reason}")
    return reason


def status_of(t: Translator, row) -> str:
    """A status row (anything with ``pipeline``, ``code`` and ``name``) by its name for this reader."""
    return status_name(t, row.pipeline, row.code, row.name)


def dunning_level(t: Translator, name: str) -> str:
    """A dunning level as stored: a default level's code («reminder») in the reader's words, else the words an admin
    typed for it, as typed (not escaped: the caller escapes what goes into HTML)."""
    key = f"dunning_level.{name}"
    return t(key) if t.has(key) else name
