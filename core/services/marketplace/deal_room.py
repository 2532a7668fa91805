"""The deal room (seed step 6) and the deal's statuses (steps 7-8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.db.kernel import models as m
from core.db.kernel.uow import StaleRow, UnitOfWork
from core.domain.kernel.errors import AlreadyDecided, Forbidden, InvalidInput
from core.domain.kernel.inputs import check_file, clean_text
from core.domain.kernel.notices import Relay, RelayAlbum, RelayEdit, StatusChanged
from core.domain.kernel.permissions import Action
from core.domain.marketplace import applications as rules
from core.domain.marketplace.applications import DEAL_STATUSES, AppStatus
from core.services.kernel.config import CoreConfig
from core.services.marketplace.applications import Card, Context, card_in, context, load, participants


@dataclass
class Incoming:
    """A message a participant wrote, as the core needs it (no Telegram types)."""

    chat_id: int
    message_id: int
    kind: str  # text | photo | document
    text: str | None = None
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    media_group_id: str | None = None


async def _room(uow: UnitOfWork, user_id: int, app_id: int) -> tuple[m.Application, Context, dict[int, str]]:
    """The room, to write in: the rules let the person write in it (area «marketplace», action «edit», on the room's
    facts), and they are one of its people (an admin reads it, the people write)."""
    app = await load(uow, app_id)
    ctx = await context(uow, user_id, app)
    people = participants(app, ctx.chosen_manager_ids)
    ctx.ensure(Action.EDIT, room=True, code="not_participant")
    if user_id not in people:
        raise Forbidden("not_participant")
    if app.status not in DEAL_STATUSES:
        raise InvalidInput("deal_not_open")
    return app, ctx, people


async def open_room(uow: UnitOfWork, user_id: int, app_id: int) -> m.Application:
    async with uow:
        app, _, _ = await _room(uow, user_id, app_id)
        return app


async def post(uow: UnitOfWork, user_id: int, app_id: int, msg: Incoming, cfg: CoreConfig) -> m.DealMessage | None:
    """Keep the message and queue a copy for each other participant. An album is queued once, a little later,
    so that it goes out as one album. A message already recorded (a redelivered update) is not posted twice."""
    if msg.kind == "text":
        msg.text = clean_text(msg.text, max_len=4000)
    elif msg.kind in ("photo", "document"):
        check_file(file_name=msg.file_name, mime_type=msg.mime_type or ("image/jpeg" if msg.kind == "photo" else None),
                   size=msg.size, max_bytes=cfg.max_file_bytes)
        if msg.text:
            msg.text = clean_text(msg.text, max_len=1000)
    else:
        raise InvalidInput("file_type")
    async with uow:
        app, _ctx, people = await _room(uow, user_id, app_id)
        if await uow.deal_messages.by_chat_message(msg.chat_id, msg.message_id) is not None:
            return None
        first_of_album = msg.media_group_id is None or not await uow.deal_messages.album(app.id, msg.media_group_id)
        row = uow.deal_messages.add(m.DealMessage(
            application_id=app.id, sender_id=user_id, sender_role=people[user_id], chat_id=msg.chat_id,
            message_id=msg.message_id, media_group_id=msg.media_group_id, kind=msg.kind, text=msg.text,
            file_id=msg.file_id, file_name=msg.file_name,
        ))
        await uow.flush()
        if first_of_album:
            later = uow.clock.now() + timedelta(seconds=cfg.album_delay_seconds) if msg.media_group_id else None
            for recipient in people:
                if recipient == user_id:
                    continue
                if msg.media_group_id:
                    uow.outbox.notify(recipient, RelayAlbum(app_id=app.id, media_group_id=msg.media_group_id,
                                                            from_chat_id=msg.chat_id, sender_role=people[user_id],
                                                            first_id=row.id), not_before=later)
                else:
                    uow.outbox.notify(recipient, Relay(deal_message_id=row.id))
        await uow.commit()
        return row


async def edit(uow: UnitOfWork, user_id: int, chat_id: int, message_id: int, new_text: str | None) -> bool:
    """An edited deal message: both versions kept, the others get an edit note. False if not a deal message."""
    async with uow:
        row = await uow.deal_messages.by_chat_message(chat_id, message_id)
        if row is None or row.sender_id != user_id:
            return False
        _app, _ctx, people = await _room(uow, user_id, row.application_id)
        new_text = clean_text(new_text, max_len=4000, min_len=0)
        edit_row = uow.deal_messages.add(m.DealMessageEdit(deal_message_id=row.id, old_text=row.text,
                                                           new_text=new_text))
        row.text = new_text
        await uow.flush()
        for recipient in people:
            if recipient != user_id:
                uow.outbox.notify(recipient, RelayEdit(deal_message_id=row.id, edit_id=edit_row.id))
        await uow.commit()
        return True


async def deal_of_reply(uow: UnitOfWork, chat_id: int, message_id: int) -> int | None:
    """The deal a relayed message belongs to, so replying to it writes into that deal."""
    async with uow:
        copy = await uow.relays.find(chat_id, message_id)
        if copy is not None:
            return copy.application_id
        own = await uow.deal_messages.by_chat_message(chat_id, message_id)
        return own.application_id if own else None


async def page(uow: UnitOfWork, viewer_id: int, app_id: int) -> Card:
    """The deal's page (the card, its status and moves): to its participants and admins only; a manager who was
    sent the application but not chosen is refused like anyone else."""
    async with uow:
        card = await card_in(uow, viewer_id, app_id)
        card.ctx.ensure(Action.READ, room=True, code="not_participant")
        if card.app.status not in DEAL_STATUSES:
            raise InvalidInput("deal_not_open")
        return card


async def history(uow: UnitOfWork, user_id: int, app_id: int, page_no: int, size: int = 10):
    async with uow:
        app = await load(uow, app_id)
        ctx = await context(uow, user_id, app)
        ctx.ensure(Action.READ, room=True, code="not_participant")
        return await uow.deal_messages.history(app.id, page=page_no, size=size)


async def change_status(uow: UnitOfWork, actor_id: int, app_id: int, target: AppStatus, comment: str | None,
                        cfg: CoreConfig) -> m.Application:
    """Seed steps 7-8: «Одобрено», «Доработка» (with a comment), «Выдано»; audited and announced."""
    if target in rules.COMMENT_REQUIRED:
        comment = clean_text(comment, max_len=cfg.max_text)
    elif comment:
        comment = clean_text(comment, max_len=cfg.max_text)
    try:
        async with uow:
            app = await apply_status(uow, actor_id, app_id, target, comment)
            await uow.commit()
            return app
    except StaleRow:
        raise AlreadyDecided(by="—", at=None, status="") from None


async def apply_status(uow: UnitOfWork, actor_id: int, app_id: int, target: AppStatus, comment: str | None
                       ) -> m.Application:
    """The status move inside an open unit of work (the room's buttons and the deal workspace call it): the
    application's rule, its audit record, the participants told, the marketplace deal's status kept in step."""
    app = await load(uow, app_id, for_update=True)
    ctx = await context(uow, actor_id, app)
    ctx.ensure(Action.MOVE, room=True)
    current = AppStatus(app.status)
    if current == target:
        raise AlreadyDecided(by="—", at=app.updated_at, status=app.status)
    rules.check_transition(current, target, set(ctx.actors))
    now = uow.clock.now()
    app.status = target
    uow.audit.record(entity="application", entity_id=app.id, actor_id=actor_id, action="status",
                     from_status=current, to_status=target, comment=comment, at=now)
    for user_id in participants(app, ctx.chosen_manager_ids):
        if user_id != actor_id:
            uow.outbox.notify(user_id, StatusChanged(app_id=app.id, old=current.value, new=target.value,
                                                     comment=comment))
    await uow.flush()
    await uow.deals.follow_application(app.id, app.status)
    return app


async def message(uow: UnitOfWork, deal_message_id: int) -> m.DealMessage:
    """A deal message, for the sender that relays it."""
    async with uow:
        return await uow.deal_messages.get(deal_message_id)


async def album(uow: UnitOfWork, app_id: int, media_group_id: str) -> list[m.DealMessage]:
    async with uow:
        return list(await uow.deal_messages.album(app_id, media_group_id))


async def copy_in_chat(uow: UnitOfWork, deal_message_id: int, chat_id: int) -> int | None:
    """Where a deal message landed in one chat, so an edit note can answer it."""
    async with uow:
        copies = await uow.relays.copies_of(deal_message_id)
        return next((c.message_id for c in copies if c.chat_id == chat_id), None)
