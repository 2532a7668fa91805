"""A deal's counterparty as the cold call learns it (seed 001, stages 2 and 5): its requisites, its access group
(stage 2's key), purchase volumes, assortment, potential, competitors and the calling cadence (stage 5's planned
calls); and the directories behind them — access groups (a head, members) and cadences — that admins keep."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow, UnitOfWork
from core.domain.campaigns.counterparties import CounterpartyField, parse_cadence, parse_field
from core.domain.campaigns.orders import Duty
from core.domain.campaigns.stages import Purpose
from core.domain.campaigns.stages import StageCode as S
from core.domain.kernel import feed as said
from core.domain.kernel.errors import InvalidInput, NotFound
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.names import check_unique
from core.domain.kernel.notices import HeadNamed
from core.domain.kernel.permissions import Action, Area
from core.domain.kernel.roles import OPERATOR_STAFF
from core.services.campaigns import stage_effects, stages
from core.services.kernel.access import admin
from core.services.kernel.config import CoreConfig
from core.services.kernel.deal_access import editable, tell


async def _of_deal(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.Deal, m.Client]:
    _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
    client = await uow.clients.get(deal.client_id) if deal.client_id else None
    if client is None:
        raise InvalidInput("deal_no_client")
    return deal, client


async def card(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.Client:
    async with uow:
        return (await _of_deal(uow, actor_id, deal_id))[1]


async def edit(uow: UnitOfWork, actor_id: int, deal_id: int, field: CounterpartyField, text: str | None,
               cfg: CoreConfig) -> m.Client:
    """One requisite of the deal's counterparty, as typed (checked: INN, KPP, OGRN, e-mail)."""
    value = parse_field(field, text, cfg.max_text)
    try:
        async with uow:
            deal, client = await _of_deal(uow, actor_id, deal_id)
            if field in (CounterpartyField.INN, CounterpartyField.KPP):
                await _check_unique(uow, client, value if field == CounterpartyField.INN else client.inn,
                                    value if field == CounterpartyField.KPP else client.kpp)
            setattr(client, field.value, value)
            tell(uow, deal, actor_id, said.ClientField(field=field.value, value=value))
            uow.audit.record(entity="client", entity_id=client.id, actor_id=actor_id, action=f"edit_{field.value}",
                             comment=value)
            await uow.commit()
            return client
    except DuplicateRow as exc:  # another person gave the same INN and KPP to another counterparty a moment ago
        raise InvalidInput("inn_taken", value=value) from exc


def needs_kpp(client: m.Client) -> bool:
    """An organisation (a 10-digit INN) always has a KPP: asked for right after its INN when it has none."""
    return bool(client.inn) and len(client.inn) == 10 and not client.kpp


async def _check_unique(uow: UnitOfWork, client: m.Client, inn: str | None, kpp: str | None) -> None:
    """One counterparty per INN and KPP: a branch shares its company's INN with its own KPP. Refused with the
    counterparty that has them; when that one has no KPP or the same, the refusal asks for this one's KPP."""
    if not inn:
        return
    for other in await uow.counterparties.branches(inn):
        if other.id != client.id and (other.kpp or None) == (kpp or None):
            if kpp:
                raise InvalidInput("inn_kpp_taken", inn=inn, kpp=kpp, name=other.name)
            raise InvalidInput("kpp_needed", inn=inn, name=other.name)


async def groups(uow: UnitOfWork) -> list[m.AccessGroup]:
    async with uow:
        return list(await uow.access_groups.list())


async def set_group(uow: UnitOfWork, actor_id: int, deal_id: int, group_id: int) -> m.Deal:
    """Stage 2's key: the counterparty's access group. The deal goes on (to «Визитка компании») at once."""
    async with uow:
        deal, client = await _of_deal(uow, actor_id, deal_id)
        group = await uow.access_groups.get(group_id)
        if group is None or group.archived:
            raise NotFound()
        client.access_group_id = group.id
        tell(uow, deal, actor_id, said.AccessGroupSet(group_id=group.id, name=group.name))
        uow.audit.record(entity="client", entity_id=client.id, actor_id=actor_id, action="access_group",
                         comment=group.name)
        await stages.advance(uow, deal, actor_id)
        await uow.commit()
        return deal


async def cadences(uow: UnitOfWork) -> list[m.Cadence]:
    async with uow:
        return list(await uow.cadences.list())


async def set_cadence(uow: UnitOfWork, actor_id: int, deal_id: int, cadence_id: int) -> m.Interaction | None:
    """Stage 5: how often to call. In «Формирование потребностей» with no call planned, the first is planned now
    (each next one when the previous is done); returns the call planned, if any."""
    async with uow:
        deal, client = await _of_deal(uow, actor_id, deal_id)
        cadence = await uow.cadences.get(cadence_id)
        if cadence is None or cadence.archived:
            raise NotFound()
        client.cadence_id = cadence.id
        tell(uow, deal, actor_id, said.CadenceSet(cadence_id=cadence.id, name=cadence.name))
        uow.audit.record(entity="client", entity_id=client.id, actor_id=actor_id, action="cadence",
                         comment=cadence.name)
        stay = await uow.stages.current(deal.id)
        planned = None
        if stay is not None and stay.stage == S.NEEDS and await uow.interactions.open(deal.id, Purpose.CALL) is None:
            await uow.flush()
            planned = await stage_effects.plan_call(uow, deal, uow.clock.now())
        await uow.commit()
        return planned


# --- the directories admins keep ---------------------------------------------------------------------------------

async def add_cadence(uow: UnitOfWork, admin_id: int, text: str) -> m.Cadence:
    """«2 недели», «3 месяца»: the name is the period as typed (checked: from 1 to a year)."""
    name = clean_text(text, max_len=128)
    period = parse_cadence(name)
    async with uow:
        await admin(uow, admin_id)
        check_unique(name, [(x.id, x.name) for x in await uow.cadences.list(active_only=False)])
        item = uow.add(m.Cadence(name=name, count=period.count, unit=period.unit))
        await uow.flush()
        uow.audit.record(entity="cadences", entity_id=item.id, actor_id=admin_id, action="add", comment=name)
        await uow.commit()
        return item


async def _staff(uow: UnitOfWork, user_id: int) -> m.User:
    """One of the operator's people (a team's head or member: managers, a lessor's staff, admins)."""
    user = await uow.users.get(user_id)
    if user is None or user.role not in OPERATOR_STAFF:
        raise InvalidInput("not_staff")
    return user


async def set_head(uow: UnitOfWork, admin_id: int, group_id: int, user_id: int) -> m.AccessGroup:
    async with uow:
        await admin(uow, admin_id)
        group = await uow.access_groups.get_or_raise(group_id)
        head = await _staff(uow, user_id)
        if group.head_id != head.id:  # the new head is told what they now see (pressed again: nothing new)
            uow.outbox.notify(head.id, HeadNamed(team=group.name))
        group.head_id = head.id
        uow.audit.record(entity="access_groups", entity_id=group.id, actor_id=admin_id, action="head",
                         comment=head.name)
        await uow.commit()
        return group


async def toggle_duty(uow: UnitOfWork, admin_id: int, group_id: int, duty: Duty) -> m.AccessGroup:
    """The group takes a duty for orders (its head gets that task: purchasing, contracts, shipping), or gives it
    up when it has it; one group per duty (another group that had it gives it up)."""
    async with uow:
        await admin(uow, admin_id)
        group = await uow.access_groups.get_or_raise(group_id)
        await uow.access_groups.set_duty(group, None if group.duty == duty else duty)
        uow.audit.record(entity="access_groups", entity_id=group.id, actor_id=admin_id, action="duty",
                         comment=group.duty or "—")
        await uow.commit()
        return group


async def toggle_member(uow: UnitOfWork, admin_id: int, group_id: int, user_id: int) -> bool:
    """The person joins the group, or leaves it when they are in; whether they are in now."""
    async with uow:
        await admin(uow, admin_id)
        group = await uow.access_groups.get_or_raise(group_id)
        member = await _staff(uow, user_id)
        now_in = await uow.access_groups.toggle_member(group.id, member.id)
        uow.audit.record(entity="access_groups", entity_id=group.id, actor_id=admin_id,
                         action="member_add" if now_in else "member_remove", comment=member.name)
        await uow.commit()
        return now_in


async def group_view(uow: UnitOfWork, admin_id: int, group_id: int) -> tuple[m.AccessGroup, m.User | None,
                                                                              list[m.User], list[m.User]]:
    """The group, its head, its members, and the staff to pick from."""
    async with uow:
        await admin(uow, admin_id)
        group = await uow.access_groups.get_or_raise(group_id)
        head = await uow.users.get(group.head_id) if group.head_id else None
        staff = [u for role in sorted(OPERATOR_STAFF) for u in await uow.users.with_role(role)]
        return group, head, await uow.access_groups.members(group.id), staff


