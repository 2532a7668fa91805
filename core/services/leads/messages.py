"""A lead's client and the firm write to each other in the bot (walkthrough item 13): the client's message is kept on
their open lead (its feed) and copied to its responsible, or to the admins while it has none; the answer is kept
there too and copied to the client. Relays copy (copyMessage): never forwarded, never a file's URL."""

from __future__ import annotations

from dataclasses import dataclass

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput, found
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import LeadAnswer, LeadMessage
from core.domain.kernel.permissions import Action
from core.domain.kernel.roles import Role
from core.domain.leads import feed
from core.domain.leads.feed import Answered, ClientGone, ClientWrote, NoteKind
from core.services.leads.lifecycle import _lead_for_work, _worker

MAX_TEXT = 4000  # a Telegram message's words (4096) with room for the header


@dataclass(frozen=True)
class Written:
    """What one person wrote: where it came from and what it is (``content``: core.domain.leads.feed.RELAYED), its
    words (a text's, or a file's caption)."""

    chat_id: int
    message_id: int
    content: str
    text: str | None = None


def _words(w: Written) -> str | None:
    if w.content not in feed.RELAYED:
        raise InvalidInput("lead_chat.message_kind")
    if w.content == "text":
        return clean_text(w.text, max_len=MAX_TEXT)
    return clean_text(w.text, max_len=1000) if w.text and w.text.strip() else None  # a caption: 1024 at most


@dataclass(frozen=True)
class Passed:
    lead_id: int
    to: m.User | None  # the responsible it went to; None: the admins


async def from_client(uow: UnitOfWork, user_id: int, written: Written) -> Passed | None:
    """A person's message outside any dialog: kept on their open request (the newest open lead they left or their
    card has; a duplicate's original) and copied to its responsible, or to every admin while it has none who may
    work leads. None: they have no open request (nothing kept, nobody told)."""
    async with uow:
        requests = await uow.leads.requests_of(user_id)
        originals = await uow.leads.statuses([d for _, _, d in requests if d is not None])
        lead_id = feed.open_request(requests, originals)
        if lead_id is None:
            return None
        words = _words(written)
        lead = found(await uow.leads.get(lead_id))
        works = await uow.leads.may_work(lead.responsible_id)
        admins = [a.id for a in await uow.users.with_role(Role.ADMIN) if not a.blocked and a.erased_at is None]
        name = lead.given_name or lead.contact.name
        note = uow.leads.fact(lead.id, user_id, ClientWrote(chat_id=written.chat_id, message_id=written.message_id,
                                                             content=written.content, name=name), words)
        await uow.flush()
        for to in feed.writes_to(lead.responsible_id, works, admins):
            uow.outbox.notify(to, LeadMessage(
                lead_id=lead.id, note_id=note.id, name=name, from_chat_id=written.chat_id,
                message_id=written.message_id, text=words if written.content == "text" else None,
                caption=words if written.content != "text" else None))
        responsible = await uow.users.get(lead.responsible_id) if works else None
        await uow.commit()
        return Passed(lead.id, responsible)


async def ever_requested(uow: UnitOfWork, user_id: int) -> bool:
    """Whether this person ever left a request (or their card has a lead), open or not."""
    async with uow:
        return bool(await uow.leads.requests_of(user_id))


@dataclass(frozen=True)
class Reply:
    """Whom an answer goes to, on which lead (and which of the client's messages it answers: 0, none)."""

    lead: m.Lead
    client: m.User
    note_id: int = 0


async def _reply(uow: UnitOfWork, actor_id: int, lead_id: int, note_id: int) -> Reply:
    """Who may answer (those who may work the lead: its responsible, an admin, their team's heads), and to whom: the
    author of the client's message ``note_id`` of this lead, or (0) the person in the bot who left the lead (or whom
    its card's shared phone binds); refused when that person is gone (erased, blocked the bot)."""
    actor = await _worker(uow, actor_id, Action.EDIT)
    lead = await _lead_for_work(uow, actor, lead_id)
    if note_id:
        note = await uow.leads.note_of(lead.id, note_id)
        if note is None or note.kind != NoteKind.CLIENT_MESSAGE or note.author_id is None:
            raise InvalidInput("stale_button")
        client_id = note.author_id
    else:
        client_id = lead.client_user_id or lead.contact.user_id
    client = await uow.users.get(client_id) if client_id else None
    if client is None or client.blocked or client.erased_at is not None:
        raise ClientGone(id=lead.id)
    return Reply(lead, client, note_id)


async def reply_to(uow: UnitOfWork, actor_id: int, lead_id: int, note_id: int = 0) -> Reply:
    """Before an answer is typed: may this person answer on this lead, and whom would it reach?"""
    async with uow:
        return await _reply(uow, actor_id, lead_id, note_id)


async def answer(uow: UnitOfWork, actor_id: int, lead_id: int, note_id: int, written: Written) -> Reply:
    """The answer: checked again (the lead may have been handed over meanwhile), kept on the lead and copied to the
    client."""
    words = _words(written)
    async with uow:
        reply = await _reply(uow, actor_id, lead_id, note_id)
        actor = await uow.users.get(actor_id)
        uow.leads.fact(reply.lead.id, actor_id, Answered(
            to_user_id=reply.client.id, chat_id=written.chat_id, message_id=written.message_id,
            content=written.content, reply_to=note_id or None), words)
        uow.outbox.notify(reply.client.id, LeadAnswer(
            lead_id=reply.lead.id, name=actor.name, from_chat_id=written.chat_id, message_id=written.message_id,
            text=words if written.content == "text" else None, caption=words if written.content != "text" else None))
        await uow.commit()
        return reply
