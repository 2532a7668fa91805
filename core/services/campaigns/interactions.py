"""Stage 3's business card and stage 5's calls (seed 001), and stage 4's rerouting.

The card goes by e-mail through the configured SMTP server, or is recorded by hand (a fax, or an e-mail sent
elsewhere — what is left when no SMTP is configured). Either way the interaction is done, its task closes and the
deal goes on: to «Формирование потребностей», or to «Перенаправление» when the counterparty's access group is not
the executor's. A call done plans the next one by the counterparty's cadence."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns.stages import TAKE_OVER, Purpose
from core.domain.campaigns.stages import StageCode as S
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput
from core.domain.kernel.events import TaskDone
from core.domain.kernel.notices import DealAssigned, DealHandedOver
from core.domain.kernel.permissions import Action, Area
from core.domain.kernel.roles import STAFF, Role, holds
from core.services.campaigns import stage_effects, stages
from core.services.kernel.deal_access import editable, tell
from core.services.kernel.mail import Mailer, MailFailed

CARD_SUBJECT = "Визитка компании"
#: how long a press that is sending the card's e-mail holds it: a second press meanwhile sends nothing; after it (the
#: process died mid-send) the card may be sent again. The SMTP client gives up well before (its timeout, 20 s).
CLAIM = timedelta(minutes=2)


class Channel(StrEnum):
    EMAIL = "email"  # sent through SMTP by the bot
    FAX = "fax"  # recorded by hand
    HAND = "hand"  # an e-mail (or any other way) sent outside the bot, recorded by hand
    PHONE = "phone"  # a call


async def _open_card(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.Deal, m.Interaction]:
    _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
    card = await uow.interactions.open(deal.id, Purpose.CARD)
    if card is None:
        raise Conflict("card_none")
    return deal, card


async def interaction_done(uow: UnitOfWork, deal: m.Deal, interaction: m.Interaction, actor_id: int | None,
                           channel: Channel, note: str | None = None) -> None:
    """The business card (stage 3), the КП (8) or the invoice (13) sent — by the bot's e-mail or some other way:
    the feed and the audit trail say so, and the deal goes on (its task closes as the deal leaves the stage:
    core.services.kernel.task_closing)."""
    now = uow.clock.now()
    interaction.done_at, interaction.done_by, interaction.channel, interaction.note = now, actor_id, channel, note
    tell(uow, deal, actor_id, said.InteractionDone(purpose=interaction.purpose, channel=channel.value, note=note))
    uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="interaction",
                     to_status=channel.value, comment=interaction.purpose)
    await uow.flush()
    await stages.advance(uow, deal, actor_id)


async def card_by_hand(uow: UnitOfWork, actor_id: int, deal_id: int, channel: Channel) -> m.Deal:
    """The card sent by fax, or by e-mail outside the bot: recorded, the deal goes on."""
    if channel not in (Channel.FAX, Channel.HAND):
        raise InvalidInput("stale_button")
    async with uow:
        deal, card = await _open_card(uow, actor_id, deal_id)
        await interaction_done(uow, deal, card, actor_id, channel)
        await uow.commit()
        return deal


async def card_by_email(uow: UnitOfWork, actor_id: int, deal_id: int, mailer: Mailer | None, body: str) -> str:
    """The card by e-mail to the counterparty's address, through SMTP: the interaction is claimed first (a second
    press sends nothing), the message sent, then the interaction done; a refused message frees the claim. Returns
    the address."""
    if mailer is None:
        raise InvalidInput("smtp_off")
    async with uow:
        deal, card = await _open_card(uow, actor_id, deal_id)
        client = await uow.clients.get(deal.client_id) if deal.client_id else None
        if client is None or not client.email:
            raise InvalidInput("card_no_email")
        now = uow.clock.now()
        if card.claimed_at is not None and now - card.claimed_at < CLAIM:  # another press is sending it
            raise Conflict("card_sending")
        card.channel, card.claimed_at = Channel.EMAIL, now
        await uow.commit()
        address, card_id = client.email, card.id
    try:
        await mailer.send(address, CARD_SUBJECT, body)
    except MailFailed as exc:
        async with uow:
            claimed = await uow.interactions.get(card_id)
            claimed.channel, claimed.claimed_at = None, None
            uow.audit.record(entity="deal", entity_id=deal_id, actor_id=actor_id, action="mail_failed",
                             comment=str(exc)[:300])
            await uow.commit()
        raise InvalidInput("mail_failed") from exc
    async with uow:
        deal = await uow.deals.get(deal_id)
        card = await uow.interactions.get(card_id)
        await interaction_done(uow, deal, card, actor_id, Channel.EMAIL, address)
        await uow.commit()
    return address


async def on_task_done(uow: UnitOfWork, event: TaskDone) -> None:
    """A task done (core.services.kernel.reactions): the card's task done by hand is the card recorded by hand; a call's
    task done is the call done, and the next one is planned by the cadence."""
    task, actor_id = await uow.tasks.get(event.task_id), event.actor_id
    interaction = await uow.interactions.by_task(task.id) if task.deal_id else None
    if interaction is None or interaction.done_at is not None:
        return
    deal = await uow.deals.get(task.deal_id)
    if interaction.purpose == Purpose.CARD:
        await interaction_done(uow, deal, interaction, actor_id, Channel.HAND)
        return
    if interaction.purpose in (Purpose.QUOTE, Purpose.INVOICE):  # sent some other way: the deal goes on
        await interaction_done(uow, deal, interaction, actor_id, Channel.HAND)
        return
    now = uow.clock.now()
    if interaction.purpose == Purpose.FOLLOW:  # stage 9's follow-up: talked to the client
        interaction.done_at, interaction.done_by, interaction.channel = now, actor_id, Channel.PHONE
        return
    interaction.done_at, interaction.done_by, interaction.channel = now, actor_id, Channel.PHONE
    tell(uow, deal, actor_id, said.CallDone(number=interaction.number))
    uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="interaction",
                     to_status=Channel.PHONE.value, comment=f"call {interaction.number}")
    await uow.flush()
    await stage_effects.plan_call(uow, deal, now)


# --- stage 4: rerouting --------------------------------------------------------------------------------------------

async def _rerouting(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.Deal, m.AccessGroup | None]:
    """The deal waiting for an executor of its counterparty's group, if this person picks it: the group's head, or
    an admin (every admin, when the group has no head)."""
    actor = await uow.users.get_or_raise(actor_id)
    deal = await uow.deals.get_or_raise(deal_id)
    stay = await uow.stages.current(deal.id)
    if stay is None or stay.stage != S.REROUTE:
        raise Conflict("reroute_done")
    client = await uow.clients.get(deal.client_id) if deal.client_id else None
    group = await uow.access_groups.get(client.access_group_id) if client and client.access_group_id else None
    if not holds(actor, Role.ADMIN) and (group is None or group.head_id != actor.id):
        raise Forbidden()
    return deal, group


async def reroute_choices(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.Deal, list[m.User]]:
    async with uow:
        deal, group = await _rerouting(uow, actor_id, deal_id)
        people = await uow.access_groups.members(group.id) if group else []
        if group and group.head_id and all(p.id != group.head_id for p in people):
            people.append(await uow.users.get(group.head_id))
        return deal, [p for p in people if holds(p, *STAFF) and not p.blocked]


async def reroute(uow: UnitOfWork, actor_id: int, deal_id: int, user_id: int) -> m.Deal:
    """The head gives the deal to a person of the counterparty's group: the previous executor joins «Сотрудники по
    сделке» (once), keeps seeing it and is told where it went; the rerouting tasks close; the deal goes on to
    «Формирование потребностей», and the new executor is told with their first task, «Принять сделку»."""
    async with uow:
        deal, group = await _rerouting(uow, actor_id, deal_id)
        executor = await uow.users.get(user_id)
        in_group = group is not None and (await uow.access_groups.is_member(group.id, user_id)
                                          or group.head_id == user_id)
        if executor is None or not holds(executor, *STAFF) or not in_group:
            raise InvalidInput("reroute_not_in_group")
        now = uow.clock.now()
        previous = deal.responsible_id
        if previous and previous != executor.id:
            await uow.members.add(deal.id, previous, now)
        deal.responsible_id = executor.id
        tell(uow, deal, actor_id, said.Rerouted(executor_id=executor.id, executor=executor.name))
        uow.audit.record(entity="deal", entity_id=deal.id, actor_id=actor_id, action="reroute",
                         comment=f"{previous} → {executor.id}")
        await stages.enter(uow, deal, S.NEEDS, actor_id)
        task = uow.add(m.Task(title=None, code=TAKE_OVER, responsible_id=executor.id, deal_id=deal.id,
                              due_at=now + stage_effects.START_WITHIN))
        await uow.flush()
        uow.feed.tell(deal.id, None, said.reminder(task), task_id=task.id)
        uow.outbox.notify(executor.id, DealAssigned(deal_id=deal.id, name=deal.name, task_id=task.id))
        if previous and previous not in (executor.id, actor_id):
            uow.outbox.notify(previous, DealHandedOver(deal_id=deal.id, name=deal.name, to=executor.name,
                                                       group=group.name, kept=True))
        await uow.commit()
        return deal
