"""E-mail to counterparties through the same discipline as Telegram's outbox: a message is written with the change
that causes it (``uow.mail.queue``: the КП approved, the invoice made), and the mail worker sends it after the
commit.

- A worker claims due messages under a lease (``MailRepo.claim``): two workers never send one message, and a
  message held by a worker that died is due again when its lease ends.
- A message sent is marked in one transaction with what it completes (the КП's or the invoice's interaction, and
  the deal's next stage): it is sent once. A process killed between the server's «250 OK» and that commit sends it
  again after the lease; it carries the same Message-ID, so the receiving side can tell the repeat.
- A server that is down or answers 4xx is tried again with backoff (2, 4, 8 … minutes, five times); one that says
  no for good (5xx: the address refused) parks the message at once. A parked message is in the deal's feed, and
  the executor gets a notice and a task to send the document some other way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns.stages import BY_HAND, Purpose
from core.domain.campaigns.stages import StageCode as S
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Conflict
from core.domain.kernel.notices import MailParked
from core.domain.kernel.permissions import Action, Area
from core.domain.kernel.tasks import OutboxStatus
from core.services.campaigns import interactions
from core.services.campaigns.interactions import Channel
from core.services.kernel.deal_access import editable, tell
from core.services.kernel.mail import Attachment, Mailer, MailFailed, new_message_id

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
LEASE = timedelta(minutes=2)  # the SMTP client gives up well before (its timeout, 20 s)


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** attempts, 60))


#: the References a follow-up carries at most: the first message of the thread and the newest ones (RFC 5322)
MAX_REFERENCES = 10


async def headers(uow: UnitOfWork, mail_id: int, domain: str) -> tuple[str, list[str]]:
    """The message's Message-ID and the thread it follows, fixed on its first attempt (a resend carries the same):
    a new id at this deployment's domain, and the deal's e-mails sent before it (the КП it follows)."""
    async with uow:
        row = await uow.mail.get(mail_id)
        if row.message_id is None:
            row.message_id = new_message_id(domain)
            earlier = await uow.mail.thread(row.deal_id, row.id) if row.deal_id else []
            if len(earlier) > MAX_REFERENCES:
                earlier = earlier[:1] + earlier[-(MAX_REFERENCES - 1):]
            row.thread = " ".join(earlier) or None
            await uow.commit()
        return row.message_id, (row.thread or "").split()


async def deliver(uow_factory: Callable[[], UnitOfWork], mailer: Mailer | None, limit: int = 20) -> int:
    """One pass of the mail worker: claim what is due and send it, one message after another. Returns how many
    were claimed. With no SMTP configured nothing is claimed (the messages wait for a server)."""
    if mailer is None:
        return 0
    uow = uow_factory()
    now = uow.clock.now()
    async with uow.standalone() as unit:
        due = await unit.mail.claim(now, limit, now + LEASE)
    for row in due:
        attachment = None
        if row.document_id is not None:
            async with uow_factory() as unit:
                doc = await unit.documents.get(row.document_id)
                if doc is not None:
                    attachment = Attachment(doc.file_name, doc.content)
        msg_id, thread = await headers(uow_factory(), row.id, mailer.domain)
        try:
            await mailer.send(row.to_addr, row.subject, row.body, attachment, msg_id, thread)
        except MailFailed as exc:
            log.warning("mail %s to a counterparty failed: %s", row.id, exc)
            await failed(uow_factory(), row.id, str(exc), permanent=exc.permanent)
            continue
        await sent(uow_factory(), row.id)
    return len(due)


async def sent(uow: UnitOfWork, mail_id: int) -> None:
    """The message went out: marked, and what it completes done, in one transaction (a second mark is a no-op)."""
    async with uow:
        if not await uow.mail.mark_sent(mail_id, uow.clock.now()):
            return
        row = await uow.mail.get(mail_id)
        interaction = await uow.interactions.get(row.interaction_id) if row.interaction_id else None
        if interaction is not None and interaction.done_at is None:
            deal = await uow.deals.get(interaction.deal_id)
            await interactions.interaction_done(uow, deal, interaction, row.sent_by, Channel.EMAIL, row.to_addr)
        await uow.commit()


async def failed(uow: UnitOfWork, mail_id: int, error: str, *, permanent: bool) -> str:
    """Tried again with backoff, or parked (a permanent refusal, or the last attempt): then the deal's feed says
    so, and its executor is told and given a task to send the document some other way."""
    async with uow:
        row = await uow.mail.get(mail_id)
        row.last_error = error[:1000]
        if not permanent and row.attempts < MAX_ATTEMPTS:
            row.status = OutboxStatus.PENDING
            row.not_before = uow.clock.now() + backoff(row.attempts)
            await uow.commit()
            return row.status
        row.status = OutboxStatus.FAILED
        deal = await uow.deals.get(row.deal_id) if row.deal_id else None
        if deal is not None:
            tell(uow, deal, None, said.MailFailed(subject=row.subject, to_addr=row.to_addr, error=error[:200]))
            uow.audit.record(entity="deal", entity_id=deal.id, actor_id=None, action="mail_failed",
                             comment=error[:300])
            interaction = await uow.interactions.get(row.interaction_id) if row.interaction_id else None
            if deal.responsible_id:
                uow.outbox.notify(deal.responsible_id, MailParked(deal_id=deal.id, name=deal.name,
                                                                  to_addr=row.to_addr, error=error[:200]))
                if interaction is not None and interaction.done_at is None and interaction.task_id is None:
                    task = uow.add(m.Task(title=None, code=interaction.purpose,
                                          params={"subject": row.subject, "variant": BY_HAND},
                                          responsible_id=deal.responsible_id, deal_id=deal.id,
                                          due_at=uow.clock.now() + timedelta(days=1)))
                    await uow.flush()
                    interaction.task_id = task.id
        await uow.commit()
        return row.status



#: the stage whose document goes out, and the interaction that is its key
SENDING_STAGES = {S.SEND: Purpose.QUOTE, S.INVOICE: Purpose.INVOICE}


async def by_hand(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.Deal:
    """The КП (stage 8) or the invoice (stage 13) was sent some other way: the interaction is done by hand, the
    deal goes on, and its e-mail still waiting in the outbox is withdrawn (it will not go later)."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
        stay = await uow.stages.current(deal.id)
        purpose = SENDING_STAGES.get(stay.stage) if stay else None
        interaction = await uow.interactions.open(deal.id, purpose) if purpose else None
        if interaction is None:
            raise Conflict("nothing_to_send")
        await uow.mail.withdraw(interaction.id)
        await interactions.interaction_done(uow, deal, interaction, actor_id, Channel.HAND)
        await uow.commit()
        return deal
