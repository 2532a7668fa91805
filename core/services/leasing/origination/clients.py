"""«Rejestracja Klienta i Sprzedawcy» (seed 002): a client registered with its identifiers checked (NIP, REGON, KRS,
PESEL), linked to a case, and the vendor of the object."""

from __future__ import annotations

from datetime import timedelta

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow, UnitOfWork
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput, found
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import LeaseClientJoined, LeaseClientLinked
from core.domain.kernel.roles import LEASE_STAFF, Role, holds
from core.domain.leasing import case as rules
from core.domain.leasing import links, pl_ids
from core.domain.leasing.case import Actor, ClientKind, LeaseStatus
from core.services.kernel.config import CoreConfig
from core.services.leasing.case import load


async def _staff(uow: UnitOfWork, user_id: int, *roles: Role) -> m.User:
    user = await uow.users.get(user_id)
    if user is None or not holds(user, *(roles or LEASE_STAFF)):
        raise Forbidden()
    return user


#: what a salesperson types for each kind of client, after the name
CLIENT_FIELDS = {ClientKind.COMPANY: ("nip", "regon", "krs"), ClientKind.SOLE_TRADER: ("nip", "pesel"),
                 ClientKind.PERSON: ("pesel",)}


CHECKS = {"nip": pl_ids.check_nip, "regon": pl_ids.check_regon, "krs": pl_ids.check_krs,
          "pesel": pl_ids.check_pesel, "iban": pl_ids.check_account}


def parse_client(kind: ClientKind, text: str) -> dict[str, str]:
    """«Nazwa; NIP; REGON; KRS[; IBAN]» for a company, «Nazwa; NIP; PESEL[; IBAN]» for a sole trader, «Imię i
    nazwisko; PESEL[; IBAN]» for a person: each identifier checked by its check digits."""
    parts = [p.strip() for p in (text or "").split(";")]
    names = ("name", *CLIENT_FIELDS[kind])
    if len(parts) not in (len(names), len(names) + 1) or not all(parts):
        raise InvalidInput(f"lease_client_{kind.value}")
    fields = {"name": clean_text(parts[0], max_len=256)}
    for name, value in zip((*names[1:], "iban"), parts[1:], strict=False):
        fields[name] = CHECKS[name](value)
    return fields


async def register_client(uow: UnitOfWork, actor_id: int, kind: ClientKind, text: str) -> m.Client:
    fields = parse_client(kind, text)
    async with uow:
        await _staff(uow, actor_id, Role.SALES, Role.ADMIN)
        client = await add_client(uow, actor_id, kind, fields)
        await uow.commit()
        return client


async def check_new_client(uow: UnitOfWork, actor_id: int, kind: ClientKind, text: str) -> dict[str, str]:
    """A new case's client as the salesperson typed it, checked (identifiers, a NIP nobody has) but not written:
    it is registered with the case (core.services.leasing.origination.offers.open_new_case), so a dialog left
    halfway leaves no client behind."""
    fields = parse_client(kind, text)
    async with uow:
        await _staff(uow, actor_id, Role.SALES, Role.ADMIN)
        await _nip_free(uow, fields)
    return fields


async def _nip_free(uow: UnitOfWork, fields: dict[str, str]) -> None:
    if fields.get("nip") and await uow.leases.client_by_nip(fields["nip"]) is not None:
        raise Conflict("nip_taken", value=fields["nip"])


async def add_client(uow: UnitOfWork, actor_id: int, kind: ClientKind, fields: dict[str, str]) -> m.Client:
    """A client (``fields``: parse_client's), written in the caller's transaction (refused when its NIP is taken)."""
    await _nip_free(uow, fields)
    client = uow.add(m.Client(kind=kind.value, created_at=uow.clock.now(), **fields))
    try:
        await uow.flush()
    except DuplicateRow as exc:  # registered by someone else at the same moment
        raise Conflict("nip_taken", value=fields.get("nip")) from exc
    uow.audit.record(entity="client", entity_id=client.id, actor_id=actor_id, action="register", comment=kind.value)
    return client


async def link_client(uow: UnitOfWork, actor_id: int, deal_id: int, query: str) -> m.Client:
    """The client of the case is this person in the bot (self care; by Telegram id or @username): they get its
    offers and move it."""
    async with uow:
        actor, case, client, actors = await load(uow, actor_id, deal_id)
        if not actors & {Actor.SALES, Actor.ADMIN}:
            raise Forbidden()
        q = (query or "").strip()
        who = found(await (uow.users.by_tg(int(q)) if q.lstrip("-").isdigit() else uow.users.by_username(q)),
                    "user_not_found")
        if who.role != Role.CLIENT:
            raise InvalidInput("lease_client_not_client")
        taken = await uow.clients.of_user(who.id)
        if taken is not None and taken.id != client.id:
            raise Conflict("lease_client_taken", name=taken.name)
        if client.user_id != who.id:  # linked again: told once
            uow.outbox.notify(who.id, LeaseClientLinked(deal_id=deal_id, subject=case.subject, name=actor.name))
        client.user_id = who.id
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="client_user",
                         comment=str(who.id))
        await uow.commit()
        return client


async def case_link(uow: UnitOfWork, actor_id: int, deal_id: int, cfg: CoreConfig) -> str:
    """The case's client link for its salesperson (or an admin) to hand the client: signed, for this case only,
    valid for INVITE_TTL_HOURS (core.domain.leasing.links)."""
    async with uow:
        _, _, _, actors = await load(uow, actor_id, deal_id)
        if not actors & {Actor.SALES, Actor.ADMIN}:
            raise Forbidden()
        return links.sign(cfg.link_key, deal_id, uow.clock.now() + timedelta(hours=cfg.invite_ttl_hours))


async def join_by_link(uow: UnitOfWork, user_id: int, token: str, cfg: CoreConfig) -> int:
    """A client opened a case's link: they become the case's client in the bot (as «👤 Klient w bocie» would
    make them) and its case is theirs to see. Refused when forged or expired, when the person is staff, when the
    case's client is someone else already (the link is spent), or when they are another client already."""
    async with uow:
        deal_id = links.read(cfg.link_key, token, uow.clock.now())
        who = await uow.users.get_or_raise(user_id)
        case = found(await uow.leases.case(deal_id, lock=True), "lease_link_invalid")
        client = await uow.clients.get(case.client_id)
        if client.user_id == who.id:
            return deal_id  # opened twice: already theirs
        if who.role != Role.CLIENT:
            raise InvalidInput("lease_client_not_client")
        if client.user_id is not None:
            raise Conflict("lease_link_used")
        taken = await uow.clients.of_user(who.id)
        if taken is not None and taken.id != client.id:
            raise Conflict("lease_client_taken", name=taken.name)
        client.user_id = who.id
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=who.id, action="client_user",
                         comment="link")
        uow.outbox.notify(case.sales_id, LeaseClientJoined(deal_id=deal_id, subject=case.subject, client=client.name))
        await uow.commit()
        return deal_id


async def set_vendor(uow: UnitOfWork, actor_id: int, deal_id: int, text: str) -> m.Client:
    """«Rejestracja Sprzedawcy»: the seller of the leased object, as «Nazwa; NIP» — found by its NIP in the
    directory, or registered as a vendor — becomes the case's vendor (the lessor buys the object from it)."""
    name, _, nip_text = (text or "").rpartition(";")
    if not name.strip():
        raise InvalidInput("lease_vendor_format")
    nip, name = pl_ids.check_nip(nip_text), clean_text(name, max_len=256)
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.ADMIN}:
            raise Forbidden()
        if case.status not in (LeaseStatus.OFFER, LeaseStatus.DRAFT, LeaseStatus.CORRECTIONS):
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        vendor = await uow.leases.client_by_nip(nip)
        if vendor is not None and vendor.id == client.id:
            raise InvalidInput("lease_vendor_is_client")
        if vendor is None:
            vendor = uow.add(m.Client(kind=ClientKind.COMPANY.value, vendor=True, name=name, nip=nip))
            await uow.flush()
        vendor.vendor = True
        case.vendor_id = vendor.id
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="vendor", comment=nip)
        await uow.commit()
        return vendor
