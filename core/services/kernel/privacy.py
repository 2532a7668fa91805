"""Personal data: consent on first start, «Мои данные» (what is stored, as a document), erasure by the person or
by an admin on request — also of a person the CRM knows only by phone (a contact who never wrote to the bot).
The rules are in core.domain.kernel.privacy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import privacy
from core.domain.kernel.errors import InvalidInput, NotFound, found
from core.domain.kernel.inputs import normalize_phone
from core.domain.kernel.roles import Role
from core.services.kernel import access, users


async def consent(uow: UnitOfWork, user_id: int, version: str = privacy.CONSENT_VERSION) -> m.User:
    """The person accepted the consent text of ``version``: recorded on them and in the audit trail."""
    async with uow:
        user = await uow.users.get_or_raise(user_id)
        if user.consent_version != version:
            user.consent_version, user.consent_at = version, uow.clock.now()
            uow.audit.record(entity="user", entity_id=user.id, actor_id=user.id, action="consent", comment=version)
            await uow.commit()
        return user


async def _subject(uow: UnitOfWork, actor_id: int, subject_id: int) -> m.User:
    actor = await uow.users.get_or_raise(actor_id)
    subject = await uow.users.get_or_raise(subject_id)
    privacy.check_access(actor.id, actor.role, subject.id)
    return subject


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _row(obj, *fields: str) -> dict[str, Any]:
    return {f: _plain(getattr(obj, f)) for f in fields}


async def export(uow: UnitOfWork, actor_id: int, subject_id: int) -> dict[str, Any]:
    """Everything stored about the person, as plain JSON-ready data: the profile, the consent, the applications
    (with the client's name and phone), the messages written in deal rooms, the contact card with its phones and
    leads, the offers made, and the audit trail of their actions."""
    async with uow.standalone() as uow:
        user = await _subject(uow, actor_id, subject_id)
        found = await uow.personal.gather(user)
        contact = found["contact"]
        return {
            "exported_at": uow.clock.now().isoformat(),
            "profile": _row(user, "id", "tg_id", "name", "username", "phone", "role", "locale", "timezone",
                            "created_at", "erased_at") | {"company": user.company.name if user.company else None},
            "consent": {"version": user.consent_version, "accepted_at": _plain(user.consent_at)},
            "applications": [_row(a, "id", "status", "description", "amount", "term_months", "client_name",
                                  "client_phone", "created_at") | {"files": [f.file_name for f in a.files]}
                             for a in found["applications"]],
            "messages": [_row(msg, "application_id", "kind", "text", "file_name", "created_at")
                         for msg in found["messages"]],
            "contact": None if contact is None else _row(contact, "name", "city", "comment", "messengers")
            | {"phones": [p.phone for p in contact.phones]},
            "leads": [_row(lead, "id", "status", "given_name", "debt_amount", "city", "comment", "created_at")
                      for lead in found["leads"]],
            "lead_messages": [_row(n, "lead_id", "kind", "text", "created_at") for n in found["lead_messages"]],
            "offers": [_row(o, "id", "application_id", "status", "monthly_payment", "term_months", "created_at")
                       for o in found["offers"]],
            "actions": [_row(a, "entity", "entity_id", "action", "from_status", "to_status", "created_at")
                        for a in found["audit"]],
        }


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


async def erase(uow: UnitOfWork, actor_id: int, subject_id: int) -> m.User:
    """Anonymise the person in place (core.domain.kernel.privacy): deals, payments, offers and statuses stay as they
    were; the audit trail records who erased whom and when."""
    async with uow:
        user = await _subject(uow, actor_id, subject_id)
        privacy.check_erasable(user.role, user.erased_at is not None)
        await uow.personal.anonymise(user, privacy.ERASED)
        user = await uow.users.get(subject_id)
        user.name, user.username, user.phone = privacy.ERASED, None, None
        user.tg_id = privacy.erased_tg_id(user.id)
        user.role, user.company, user.referral_code = Role.CLIENT, None, None
        user.blocked, user.erased_at = True, uow.clock.now()
        uow.audit.record(entity="user", entity_id=user.id, actor_id=actor_id, action="erased")
        await uow.commit()
        return user


@dataclass(frozen=True)
class Subject:
    """Whom an admin's request names: a person with an account in the bot, or a contact card known by phone."""

    user_id: int | None = None
    contact_id: int | None = None


async def find_subject(uow: UnitOfWork, admin_id: int, query: str, region: str) -> Subject:
    """By Telegram id or @username (as ``users.find``), else by phone (any form; the contact card of that number).
    A contact linked to an account is that account's person. Admins only."""
    async with uow:
        await access.admin(uow, admin_id)
    q = (query or "").strip()
    if (user := await users.find(uow, q)) is not None:
        return Subject(user_id=user.id)
    if q.startswith("@") or not any(ch.isdigit() for ch in q):
        raise NotFound("user_not_found")
    try:
        phone = normalize_phone(q, region)
    except InvalidInput:
        if q.lstrip("-").isdigit():  # a Telegram id nobody has, rather than a mistyped phone
            raise NotFound("user_not_found") from None
        raise
    async with uow.standalone() as uow:
        contact = found(await uow.personal.contact_by_phone(phone), "user_not_found")
    return Subject(user_id=contact.user_id) if contact.user_id else Subject(contact_id=contact.id)


async def _contact(uow: UnitOfWork, actor_id: int, contact_id: int) -> m.Contact:
    actor = await uow.users.get_or_raise(actor_id)
    contact = await uow.contacts.get_or_raise(contact_id)
    privacy.check_access(actor.id, actor.role, None)  # only an admin: a contact is nobody's own account
    return contact


async def contact_export(uow: UnitOfWork, actor_id: int, contact_id: int) -> dict[str, Any]:
    """Everything the CRM keeps about a person known by phone, as plain JSON-ready data."""
    async with uow.standalone() as uow:
        contact = await _contact(uow, actor_id, contact_id)
        found = await uow.personal.gather_contact(contact)
        return {
            "exported_at": uow.clock.now().isoformat(),
            "contact": _row(contact, "id", "name", "city", "comment", "messengers", "created_at", "erased_at")
            | {"phones": found["phones"], "account": contact.user_id},
            "leads": [_row(lead, "id", "status", "given_name", "debt_amount", "city", "comment", "created_at")
                      | {"source": lead.source.name} for lead in found["leads"]],
            "notes": [_row(n, "lead_id", "kind", "text", "created_at") for n in found["notes"]],
            "deals": [_row(d, "id", "name", "pipeline", "kind", "budget", "created_at") for d in found["deals"]],
            "applications": [_row(a, "id", "status", "client_name", "client_phone", "created_at")
                             for a in found["applications"]],
        }


async def contact_erase(uow: UnitOfWork, actor_id: int, contact_id: int) -> m.Contact:
    """Anonymise a contact card in place, on the person's request to an admin: as for an account's person,
    leads, deals and the numbers in the reports stay; the audit trail records who erased it and when."""
    async with uow:
        contact = await _contact(uow, actor_id, contact_id)
        privacy.check_contact_erasable(contact.erased_at is not None, contact.user_id is not None)
        await uow.personal.anonymise_contact(contact, privacy.ERASED)
        contact = await uow.contacts.get(contact_id)
        contact.erased_at = uow.clock.now()
        uow.audit.record(entity="contact", entity_id=contact.id, actor_id=actor_id, action="erased")
        await uow.commit()
        return contact
