"""Contact cards: one per phone number for the whole company, kept so when a phone is added; edits audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.contacts import ContactField, parse_messengers
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import clean_text, normalize_phone, optional_text
from core.services.kernel.access import staff
from core.services.kernel.config import CoreConfig


async def contact_for(uow: UnitOfWork, phone: str, name: str, city: str | None) -> m.Contact:
    """The company's one card for this phone; made when the phone is new."""
    contact = await uow.contacts.by_phone(phone)
    if contact is not None:
        return contact
    contact = uow.add(m.Contact(name=name, city=city, messengers={}, phones=[m.ContactPhone(phone=phone)]))
    await uow.flush()
    return contact


#: who may open a card, asked in the transaction that changes it: the area that shows the card says (the leads:
#: a card whose leads and deals are all beyond its reader is not there for them); it raises when they may not
Guard = Callable[[UnitOfWork, int, m.Contact], Awaitable[None]]


async def _card(uow: UnitOfWork, actor_id: int, contact_id: int, guard: Guard | None) -> m.Contact:
    await staff(uow, actor_id)
    contact = await uow.contacts.get_or_raise(contact_id)
    if guard is not None:
        await guard(uow, actor_id, contact)
    if contact.erased_at is not None:
        raise InvalidInput("contact_already_erased")
    return contact


async def edit(uow: UnitOfWork, actor_id: int, contact_id: int, field: ContactField, text: str | None, *,
               guard: Guard | None = None) -> m.Contact:
    """A field of the card, as typed (``optional_text``: «-» clears an optional one); in the audit trail."""
    async with uow:
        contact = await _card(uow, actor_id, contact_id, guard)
        if field == ContactField.NAME:
            value = clean_text(text, max_len=128)
        elif field == ContactField.MESSENGERS:
            value = parse_messengers(text)
        else:
            value = optional_text(text, 128 if field == ContactField.CITY else 2000)
        old = getattr(contact, field.value)
        setattr(contact, field.value, value)
        uow.audit.record(entity="contact", entity_id=contact.id, actor_id=actor_id, action=f"edit_{field.value}",
                         comment=f"{_shown(old)} → {_shown(value)}")
        await uow.commit()
        return contact


async def add_phone(uow: UnitOfWork, actor_id: int, contact_id: int, text: str, cfg: CoreConfig, *,
                    guard: Guard | None = None) -> m.Contact:
    """Another phone on the card. One card per phone: a number another card holds is refused with that card
    named (the same person twice is a duplicate to settle, not a second card)."""
    phone = normalize_phone(text, cfg.phone_region)
    async with uow:
        contact = await _card(uow, actor_id, contact_id, guard)
        holder = await uow.contacts.phone(phone)
        if holder is not None:
            if holder.contact_id == contact.id:
                raise InvalidInput("phone_on_card")
            other = await uow.contacts.get(holder.contact_id)
            raise InvalidInput("phone_taken", name=other.name, id=other.id)
        contact.phones.append(m.ContactPhone(phone=phone))
        uow.audit.record(entity="contact", entity_id=contact.id, actor_id=actor_id, action="add_phone", comment=phone)
        await uow.commit()
        return contact


async def remove_phone(uow: UnitOfWork, actor_id: int, contact_id: int, phone_id: int, *,
                       guard: Guard | None = None) -> m.Contact:
    """A phone off the card; the last one stays (a card is found by its phones)."""
    async with uow:
        contact = await _card(uow, actor_id, contact_id, guard)
        phone = next((p for p in contact.phones if p.id == phone_id), None)
        if phone is None:
            raise InvalidInput("stale_button")
        if len(contact.phones) == 1:
            raise InvalidInput("last_phone")
        contact.phones.remove(phone)
        uow.audit.record(entity="contact", entity_id=contact.id, actor_id=actor_id, action="remove_phone",
                         comment=phone.phone)
        await uow.commit()
        return contact


def _shown(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items()) or "—"
    return "—" if value in (None, "") else str(value)
