"""A lead's feed in the reader's language (core.domain.leads.feed): a duplicate that arrived, the client's message,
the answer; a line written before the facts were kept, as it was written."""

from __future__ import annotations

from bot.i18n import Translator
from core.db.kernel import models as m
from core.domain.leads import feed
from core.domain.leads.feed import Answered, ClientWrote, DuplicateArrived

SHOWN = 200  # a message's words on the card: the start of them (the whole message is in the chat it came to)


def _words(t: Translator, note: m.LeadNote, content: str) -> str:
    text = note.text or ""
    if len(text) > SHOWN:
        text = text[:SHOWN - 1] + "…"
    if content == "text":
        return text or "—"
    what = t(f"lead_chat.{content}") if t.has(f"lead_chat.{content}") else t("lead_chat.document")
    return f"{what} {text}".strip()


def note_line(t: Translator, note: m.LeadNote, authors: dict[int, m.User]) -> str:
    fact = feed.load(note.kind, note.params)
    at = t.dt(note.created_at)
    author = authors.get(note.author_id)
    name = author.name if author else "—"
    if isinstance(fact, DuplicateArrived):
        return t("lead_chat.feed_duplicate", at=at, id=fact.lead_id, source=fact.source)
    if isinstance(fact, ClientWrote):
        return t("lead_chat.feed_client", at=at, name=fact.name or name, text=_words(t, note, fact.content))
    if isinstance(fact, Answered):
        return t("lead_chat.feed_answer", at=at, name=name, text=_words(t, note, fact.content))
    return t("leads.note", at=at, text=note.text or "—")  # a line written before the facts were kept
