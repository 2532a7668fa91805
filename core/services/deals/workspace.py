"""The deal workspace (seed 003): what staff do to a deal — rename it, give it to a colleague, another client or
source, move it, its contacts, comments and files, reminders — and the one way a deal is opened. The chat and the
Mini App call the same functions. Its statuses directory is ``deal_statuses``, its money ``payments``, its list,
board and page ``deal_list``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.db.kernel import models as m
from core.db.kernel.uow import StaleRow, UnitOfWork
from core.domain.deals import workspace as rules
from core.domain.deals.workspace import DealKind, FeedKind, Pipeline, StatusInfo
from core.domain.kernel import feed as said
from core.domain.kernel.errors import AlreadyDecided, Forbidden, InvalidInput, NotFound, Status
from core.domain.kernel.events import DealClosed, TaskDone
from core.domain.kernel.inputs import check_file, clean_text, normalize_phone
from core.domain.kernel.notices import DealAssigned, DealHandedOver, DealMoved
from core.domain.kernel.permissions import Action, Area, Permission
from core.domain.kernel.roles import STAFF, holds
from core.domain.marketplace import AppStatus
from core.services import (
    campaigns,
    marketplace,  # the deal room owns the marketplace application's status
)
from core.services.kernel import access, reactions
from core.services.kernel.config import CoreConfig
from core.services.kernel.contacts import contact_for
from core.services.kernel.deal_access import editable, ensure, tell, viewer_of

# ---------------------------------------------------------------- who sees what

def _info(s: m.DealStatus) -> StatusInfo:
    return StatusInfo(s.id, s.pipeline, s.code, s.name, s.final, s.archived)


# ---------------------------------------------------------------- opening a deal (inside another use case)

async def open_deal(uow: UnitOfWork, contact: m.Contact, *, pipeline: Pipeline, name: str,
                    responsible_id: int | None, creator_id: int | None, kind: str | None = None,
                    source_id: int | None = None, lead_id: int | None = None, application_id: int | None = None,
                    client_user_id: int | None = None, status_code: str | None = None) -> m.Deal:
    """A new deal, in the open unit of work of the use case that makes it (a lead's contract, an approved
    application): of the client this contact belongs to (one named after the contact, or the person's
    ``client_user_id`` own, when it has none), with the client's contacts copied in and this one as its main, in
    the pipeline's first status (or the one of ``status_code``). A law-firm deal has a source, always (seed 004:
    «источник обязателен в лиде и сделке»)."""
    if not rules.source_ok(pipeline, source_id):
        raise InvalidInput("source_required")
    client = await uow.clients.of_contact(contact.id)
    if client is None and client_user_id is not None:
        client = await uow.clients.of_user(client_user_id)
    if client is None:
        client = uow.add(m.Client(name=contact.name, user_id=client_user_id))
        await uow.flush()
    await uow.clients.link(client.id, contact.id)
    status = await uow.statuses.first(pipeline, status_code)
    deal = await uow.deals.open(pipeline=pipeline, status=status, name=name, client=client,
                                main_contact_id=contact.id, kind=kind, source_id=source_id,
                                responsible_id=responsible_id, creator_id=creator_id or responsible_id,
                                lead_id=lead_id, application_id=application_id)
    if campaigns.process_of(deal) is not None:  # a process's deal enters its first stage
        await campaigns.start(uow, deal, creator_id or responsible_id)
    return deal


# ---------------------------------------------------------------- changing a deal

async def rename(uow: UnitOfWork, actor_id: int, deal_id: int, name: str) -> m.Deal:
    name = clean_text(name, max_len=256)
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="rename", comment=name)
        deal.name = name
        await uow.commit()
        return deal


async def set_kind(uow: UnitOfWork, actor_id: int, deal_id: int, kind: str) -> m.Deal:
    if kind not in set(DealKind):
        raise InvalidInput()
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        deal.kind = kind
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="kind", comment=kind)
        await uow.commit()
        return deal


async def set_responsible(uow: UnitOfWork, actor_id: int, deal_id: int, user_id: int) -> m.Deal:
    async with uow:
        actor, deal = await editable(uow, actor_id, deal_id)
        who = await uow.users.get(user_id)
        if who is None or not holds(who, *STAFF):
            raise InvalidInput("not_staff")
        if not (await viewer_of(uow, actor)).may_give_to(await uow.deals.teams_of(who.id), who.company_id):
            raise Forbidden()
        previous = deal.responsible_id
        deal.responsible_id = who.id
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="responsible",
                         comment=str(who.id))
        if who.id != actor_id:
            uow.outbox.notify(who.id, DealAssigned(deal_id=deal.id, name=deal.name))
        if previous and previous not in (who.id, actor_id):  # the one it was taken from: where it went
            uow.outbox.notify(previous, DealHandedOver(deal_id=deal.id, name=deal.name, to=who.name,
                                                       kept=await uow.members.has(deal.id, previous)))
        await uow.commit()
        return deal


async def colleagues(uow: UnitOfWork, actor_id: int) -> list[m.User]:
    """Whom a deal can be given to, or filtered by: an admin picks any staff; a manager their company's."""
    async with uow:
        user = await access.staff(uow, actor_id)
        return await uow.deals.colleagues(await viewer_of(uow, user))


async def clients_named(uow: UnitOfWork, actor_id: int, query: str, limit: int = 8) -> list[m.Client]:
    query = clean_text(query, max_len=64).lower()
    async with uow:
        await access.staff(uow, actor_id)
        return await uow.clients.named(query, limit)


async def set_source(uow: UnitOfWork, actor_id: int, deal_id: int, source_id: int | None) -> m.Deal:
    """Where the client came from; a law-firm deal's source can be changed, never removed."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        if not rules.source_ok(Pipeline(deal.pipeline), source_id):
            raise InvalidInput("source_required")
        source = await uow.sources.get(source_id) if source_id else None
        if source_id and (source is None or source.archived):
            raise InvalidInput("directory_item_gone")
        deal.source_id = source_id
        tell(uow, deal, actor_id, said.SourceSet(source_id=source_id, name=source.name if source else None))
        await uow.commit()
        return deal


async def set_client(uow: UnitOfWork, actor_id: int, deal_id: int, client_id: int) -> m.Deal:
    """Another client for the deal: its contacts are copied in (the deal's own ones stay)."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        client = await uow.clients.get_or_raise(client_id)
        deal.client_id = client.id
        for contact_id in await uow.clients.contact_ids(client.id):
            await uow.deals.add_contact(deal.id, contact_id)
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="client", comment=client.name)
        await uow.commit()
        return deal


async def move(uow: UnitOfWork, actor_id: int, deal_id: int, status_id: int, *, comment: str | None = None
               ) -> m.Deal:
    """A status move, from the chat or a drag on the board: the same rules. A marketplace deal moves only as its
    application may (domain.applications.TRANSITIONS); a move that needs words asks for them."""
    try:
        async with uow:
            _, deal = await editable(uow, actor_id, deal_id, Action.MOVE)
            target = await uow.statuses.get_or_raise(status_id)
            current = deal.status
            rules.check_move(_info(current), _info(target))
            if target.final:  # closing a deal is a permission of its own (issue 27)
                await ensure(uow, await access.actor(uow, actor_id), deal, Area.DEALS, Permission.CLOSE_DEAL)
            if deal.pipeline == Pipeline.LEASING:  # a lease moves only by its own table, on its screens
                raise rules.MoveNotAllowed(status=Status.of(target))
            if campaigns.process_of(deal) is not None:  # a process's stages move only as the process allows
                if target.code is None:
                    raise rules.MoveNotAllowed(status=Status.of(target))
                if target.code == campaigns.process_of(deal).closed and not comment:
                    raise rules.MoveNeedsComment(status=Status.of(target))  # the reason it is closed
                await campaigns.move_in(uow, actor_id, deal.id, target.code, reason=comment)
                if deal.responsible_id and deal.responsible_id != actor_id:
                    uow.outbox.notify(deal.responsible_id, DealMoved(deal_id=deal.id, name=deal.name,
                                                                     status=target.name, pipeline=deal.pipeline,
                                                                     code=target.code))
                await uow.commit()
                await uow.deals.refresh(deal)
                return deal
            if deal.pipeline == Pipeline.MARKET and deal.application_id:
                if target.code is None:
                    raise rules.MoveNotAllowed(status=Status.of(target))
                if target.code in rules.NEEDS_COMMENT and not comment:
                    raise rules.MoveNeedsComment(status=Status.of(target))
                await marketplace.apply_status(uow, actor_id, deal.application_id, AppStatus(target.code), comment)
                await uow.deals.refresh(deal)  # the room moved it, in step with the application
            else:
                deal.status = target
            # statuses by id (their names are the admins' and long); the words go to the comment
            uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="status",
                             from_status=str(current.id), to_status=str(target.id),
                             comment=f"{current.name} → {target.name}" + (f": {comment}" if comment else ""))
            tell(uow, deal, actor_id, said.moved(deal.pipeline, target, current))
            if target.final and not current.final:  # closed: its open tasks close with it (the reactions table)
                await reactions.publish(uow, DealClosed(deal_id=deal.id, reason=comment, actor_id=actor_id))
            if deal.responsible_id and deal.responsible_id != actor_id:
                uow.outbox.notify(deal.responsible_id, DealMoved(deal_id=deal.id, name=deal.name, status=target.name,
                                                                 pipeline=deal.pipeline, code=target.code))
            await uow.commit()
            return deal
    except StaleRow:
        raise AlreadyDecided(by="—", at=None, status="") from None


# ---------------------------------------------------------------- contacts

async def add_contact(uow: UnitOfWork, actor_id: int, deal_id: int, phone_text: str, name: str,
                      cfg: CoreConfig) -> m.Contact:
    """A contact added to the deal is also added to its client (one card per phone, as ever)."""
    phone = normalize_phone(phone_text, cfg.phone_region)
    name = clean_text(name, max_len=128)
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        contact = await contact_for(uow, phone, name, None)
        await uow.deals.add_contact(deal.id, contact.id)
        if deal.client_id:
            await uow.clients.link(deal.client_id, contact.id)
        if deal.contact_id is None:
            deal.contact_id = contact.id
        await uow.commit()
        return contact


async def remove_contact(uow: UnitOfWork, actor_id: int, deal_id: int, contact_id: int) -> None:
    """Off the deal only: the client keeps the contact. The main contact passes to the next one."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        if not await uow.deals.remove_contact(deal.id, contact_id):
            raise NotFound()
        if deal.contact_id == contact_id:
            deal.contact_id = await uow.deals.first_contact_id(deal.id)
        await uow.commit()


async def set_main_contact(uow: UnitOfWork, actor_id: int, deal_id: int, contact_id: int) -> m.Deal:
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        if not await uow.deals.has_contact(deal.id, contact_id):
            raise NotFound()
        deal.contact_id = contact_id
        await uow.commit()
        return deal


async def client_contacts(uow: UnitOfWork, client_id: int) -> list[int]:
    async with uow:
        return await uow.clients.contact_ids(client_id)


# ---------------------------------------------------------------- the feed

@dataclass(frozen=True)
class Attachment:
    file_id: str
    kind: str  # photo | document
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


async def comment(uow: UnitOfWork, actor_id: int, deal_id: int, text: str | None, cfg: CoreConfig,
                  file: Attachment | None = None) -> m.FeedItem:
    if file is None:
        text = clean_text(text, max_len=cfg.max_text)
    else:
        text = clean_text(text, max_len=1024) if text else None
        check_file(file_name=file.file_name, mime_type=file.mime_type or (
            "image/jpeg" if file.kind == "photo" else None), size=file.size, max_bytes=cfg.max_file_bytes)
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id)
        item = uow.feed.write(deal.id, actor_id, FeedKind.COMMENT, text, file_id=file.file_id if file else None,
                              file_kind=file.kind if file else None, file_name=file.file_name if file else None)
        await uow.commit()
        return item


async def remind(uow: UnitOfWork, actor_id: int, deal_id: int, title: str, due_at: datetime) -> m.Task:
    """A reminder on the deal: a task for the responsible (the actor when none), shown in the feed."""
    title = clean_text(title, max_len=256)
    async with uow:
        actor, deal = await editable(uow, actor_id, deal_id)
        task = uow.add(m.Task(title=title, due_at=due_at, responsible_id=deal.responsible_id or actor.id,
                              deal_id=deal.id))
        await uow.flush()
        tell(uow, deal, actor_id, said.reminder(task), task_id=task.id)
        await uow.commit()
        return task


async def on_task_done(uow: UnitOfWork, event: TaskDone) -> None:
    """A task done (core.services.kernel.reactions): a done reminder leaves its mark in the deal's feed."""
    task = await uow.tasks.get(event.task_id)
    if task.deal_id:
        uow.feed.tell(task.deal_id, event.actor_id, said.reminder(task, done=True), task_id=task.id)
