"""Contact cards: one per phone number for the whole company."""

from __future__ import annotations

from sqlalchemy import select

from core.db import models as m
from core.db.uow import UnitOfWork


async def contact_for(uow: UnitOfWork, phone: str, name: str, city: str | None) -> m.Contact:
    """The company's one card for this phone; made when the phone is new."""
    row = await uow.session.scalar(select(m.ContactPhone).where(m.ContactPhone.phone == phone))
    if row is not None:
        return await uow.session.get(m.Contact, row.contact_id)
    contact = m.Contact(name=name, city=city, messengers={}, phones=[m.ContactPhone(phone=phone)])
    uow.session.add(contact)
    await uow.flush()
    return contact
