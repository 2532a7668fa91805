"""A lead's feed as facts (lead_notes.kind and .params): a duplicate that arrived, the client's message, the answer
the firm sent; the bot words each in the reader's language (bot/views/leads/feed.py). The client's and the answer's
words are kept as typed in lead_notes.text; a line written before the facts were kept holds its sentence there.

Who a client writes to: the lead's responsible while they may still work leads, else every admin. Pure rules, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar

from core.domain.kernel.errors import DomainError
from core.domain.kernel.kinds import registered
from core.domain.leads.lifecycle import LeadStatus, is_open


class NoteKind(StrEnum):
    NOTE = "note"  # a line written before 0039: its sentence in ``text``
    DUPLICATE = "duplicate"  # a request with this lead's phone arrived (a line before 0039: its sentence in text)
    CLIENT_MESSAGE = "client_message"  # the client wrote in the bot (their words in ``text``, a file copied)
    ANSWER = "answer"  # someone of the firm answered the client (their words in ``text``)


#: the kinds of messages a relay copies (copyMessage: never forwarded, never a file's URL)
RELAYED = frozenset({"text", "photo", "document", "voice", "video", "audio"})


@dataclass(frozen=True)
class Fact:
    kind: ClassVar[NoteKind]

    def data(self) -> dict[str, Any]:
        return asdict(self)


FACTS: dict[NoteKind, type[Fact]] = {}


_fact = registered(FACTS)  # @_fact(kind): a frozen dataclass of that kind, kept in FACTS


@_fact(NoteKind.DUPLICATE)
class DuplicateArrived(Fact):
    lead_id: int  # the duplicate
    source: str  # its source, as the admins named it


@_fact(NoteKind.CLIENT_MESSAGE)
class ClientWrote(Fact):
    chat_id: int  # where it was written: what a relay copies from
    message_id: int
    content: str  # RELAYED: text, photo, document…
    name: str | None = None  # the client as the lead's card named them when they wrote


@_fact(NoteKind.ANSWER)
class Answered(Fact):
    to_user_id: int  # whom it went to
    chat_id: int
    message_id: int
    content: str
    reply_to: int | None = None  # the client's message (a lead_notes id) it answers; None: written from the lead


def load(kind: str, params: dict[str, Any] | None) -> Fact | None:
    """The facts a row keeps, typed again; None for a line written before they were kept (its text is shown)."""
    try:
        cls = FACTS.get(NoteKind(kind))
    except ValueError:
        return None
    if cls is None or params is None:
        return None
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in params.items() if k in names})


class ClientGone(DomainError):
    """An answer to a lead's client who is not in the bot (any more: erased, blocked the bot): nobody to copy it
    to."""

    key = "lead_chat.client_gone"


def writes_to(responsible_id: int | None, responsible_works: bool, admin_ids: Iterable[int]) -> list[int]:
    """Who a client's message goes to: the lead's responsible while they may still work leads, else every admin."""
    if responsible_id is not None and responsible_works:
        return [responsible_id]
    return sorted(set(admin_ids))


def open_request(leads: Iterable[tuple[int, LeadStatus, int | None]], statuses: dict[int, LeadStatus]) -> int | None:
    """The lead a client's message belongs to, from their requests (``leads``: id, status, the original a duplicate
    points to; newest first): the newest one still open, a duplicate standing for its original (work happens
    there, seed 004) while that one is open; ``statuses`` has the originals' statuses. None: nothing open."""
    for lead_id, status, original_id in leads:
        if status == LeadStatus.DUPLICATE:
            if original_id is not None and is_open(statuses.get(original_id, LeadStatus.DUPLICATE)):
                return original_id
            continue
        if is_open(status):
            return lead_id
    return None
