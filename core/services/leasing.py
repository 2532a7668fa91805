"""A Polish lessor's case (seed 002) through the services: «Kalkulacje» (a calculation as a person types it),
«Rejestracja Klienta» (a client with its identifiers checked), «Oferta» (a case opened with its offer's first
version, recalculated into new versions, sent to the client, accepted), «Wniosek» (the consents, the securities,
G2I's fetch from the VAT white list) and its filing, which runs the scoring automaton: approved, refused, or to an
analyst. Every move goes through core.domain.lease_process.TRANSITIONS, is audited, lands in the deal's feed and
is told to whom it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.clock import Clock
from core.db import models as m
from core.db.uow import DuplicateRow, UnitOfWork
from core.domain import lease_calc, pl_ids, scoring
from core.domain import lease_process as rules
from core.domain.deals import DealKind, Pipeline
from core.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.domain.inputs import clean_text, parse_amount
from core.domain.lease_calc import Method, Result, Timing
from core.domain.lease_process import Actor, ClientKind, Consent, LeaseStatus, Security
from core.domain.notices import LeaseMessage, LeaseMoved, LeaseOfferSent
from core.domain.orders import DocKind
from core.domain.roles import LEASE_STAFF, Role
from core.domain.schedule import local_date
from core.services import documents
from core.services.config import CoreConfig
from core.services.registries import WHITELIST, RegistryDown, RegistryGarbage, VatWhitelist, parse_subject

OFFER_VALID_DAYS = 14  # an offer's validity from the day it is made, as a lessor prints it


def calculate(clock: Clock, timezone: str, text: str, method: Method = Method.ANNUITY,
              timing: Timing = Timing.ARREARS) -> Result:
    """«cena; opłata wstępna; miesiące; oprocentowanie; wykup[; opłata]», starting today in ``timezone``."""
    today = local_date(clock.now(), timezone)
    return lease_calc.calculate(lease_calc.parse(text, today, method=method, timing=timing))


# --- who is who -------------------------------------------------------------------------------------------------

async def _staff(uow: UnitOfWork, user_id: int, *roles: Role) -> m.User:
    user = await uow.users.get(user_id)
    if user is None or user.role not in (roles or LEASE_STAFF):
        raise Forbidden()
    return user


@dataclass
class Case:
    """A case as its screens need it: the rows, and the capacities the viewer has towards it."""

    case: m.LeaseCase
    deal: m.Deal
    client: m.Client
    vendor: m.Client | None
    offers: list[m.LeaseOffer]
    consents: list[m.LeaseConsent]
    securities: list[m.LeaseSecurity]
    fetch: m.RegistryFetch | None
    conditions: list[m.LeaseCondition]
    files: list[m.LeaseFile]
    actors: set[Actor]
    moves: list[LeaseStatus]

    @property
    def file_kinds(self) -> tuple[str, ...]:
        """The kinds of file the case takes: its client's checklist, its securities', the signed scan."""
        return rules.file_kinds(ClientKind(self.client.kind), {Security(x.kind) for x in self.securities})

    @property
    def mismatches(self) -> list[str] | None:
        """The client's card against what G2I fetched (None: nothing fetched to compare with)."""
        subject = parse_subject(self.fetch.payload) if self.fetch and self.fetch.ok and self.fetch.payload else None
        if subject is None:
            return None
        c = self.client
        return rules.data_mismatches({"name": c.name, "nip": c.nip, "regon": c.regon, "krs": c.krs},
                                     {"name": subject.name, "nip": subject.nip, "regon": subject.regon,
                                      "krs": subject.krs})

    @property
    def offer(self) -> m.LeaseOffer | None:
        """The accepted version, or else the newest."""
        return next((o for o in self.offers if o.id == self.case.offer_id), self.offers[0] if self.offers else None)


async def load(uow: UnitOfWork, actor_id: int, deal_id: int, *, lock: bool = False
               ) -> tuple[m.User, m.LeaseCase, m.Client, set[Actor]]:
    """The case, reloaded (under a row lock when a move is decided), and who the person is towards it: refused
    when they are nobody to it."""
    user = await uow.users.get(actor_id)
    case = await uow.leases.case(deal_id, lock=lock)
    if user is None or case is None:
        raise NotFound()
    client = await uow.clients.get(case.client_id)
    actors = rules.actors_for(role=user.role, user_id=user.id, sales_id=case.sales_id, client_user_id=client.user_id,
                              status=LeaseStatus(case.status))
    if not actors:
        raise Forbidden()
    return user, case, client, actors


async def view(uow: UnitOfWork, actor_id: int, deal_id: int) -> Case:
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id)
        vendor = await uow.clients.get(case.vendor_id) if case.vendor_id else None
        return Case(case, await uow.deals.get(deal_id), client, vendor, await uow.leases.offers(deal_id),
                    await uow.leases.consents(deal_id), await uow.leases.securities(deal_id),
                    await uow.leases.last_fetch(deal_id, WHITELIST), await uow.leases.conditions(deal_id),
                    await uow.leases.files(deal_id), actors, rules.allowed_targets(LeaseStatus(case.status), actors))


async def mine(uow: UnitOfWork, actor_id: int) -> list[m.LeaseCase]:
    """The cases a person works: a salesperson's own, a client's, the queue of an analyst (filed, in analysis,
    motions) or of the back office (in verification); an admin's: all the open ones."""
    async with uow:
        user = await uow.users.get(actor_id)
        if user is None:
            raise NotFound()
        if user.role == Role.SALES:
            return await uow.leases.of_sales(user.id)
        if user.role == Role.RISK:
            return await uow.leases.in_statuses([LeaseStatus.RISK_CHECK, LeaseStatus.ANALYSIS, LeaseStatus.MOTION])
        if user.role == Role.BACK_OFFICE:  # the check of the set, the launch, the running contracts
            return await uow.leases.in_statuses([LeaseStatus.VERIFICATION, LeaseStatus.TO_PAYMENT,
                                                 LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED])
        if user.role == Role.COLLECTIONS:
            return await uow.leases.in_statuses([LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED, LeaseStatus.TO_PAYMENT])
        if user.role == Role.ADMIN:
            return await uow.leases.in_statuses([s for s in LeaseStatus if s not in rules.FINAL])
        return await uow.leases.of_client_user(user.id)


# --- the client -------------------------------------------------------------------------------------------------

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
        if fields.get("nip") and await uow.leases.client_by_nip(fields["nip"]) is not None:
            raise Conflict("nip_taken", value=fields["nip"])
        client = uow.add(m.Client(kind=kind.value, created_at=uow.clock.now(), **fields))
        try:
            await uow.flush()
        except DuplicateRow as exc:  # registered by someone else at the same moment
            raise Conflict("nip_taken", value=fields.get("nip")) from exc
        uow.audit.record(entity="client", entity_id=client.id, actor_id=actor_id, action="register",
                         comment=kind.value)
        await uow.commit()
        return client


async def link_client(uow: UnitOfWork, actor_id: int, deal_id: int, query: str) -> m.Client:
    """The client of the case is this person in the bot (self care; by Telegram id or @username): they get its
    offers and move it."""
    async with uow:
        _, _, client, actors = await load(uow, actor_id, deal_id)
        if not actors & {Actor.SALES, Actor.ADMIN}:
            raise Forbidden()
        q = (query or "").strip()
        who = await (uow.users.by_tg(int(q)) if q.lstrip("-").isdigit() else uow.users.by_username(q))
        if who is None:
            raise NotFound("user_not_found")
        if who.role != Role.CLIENT:
            raise InvalidInput("lease_client_not_client")
        taken = await uow.clients.of_user(who.id)
        if taken is not None and taken.id != client.id:
            raise Conflict("lease_client_taken", name=taken.name)
        client.user_id = who.id
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="client_user",
                         comment=str(who.id))
        await uow.commit()
        return client


# --- the case and its offer ---------------------------------------------------------------------------------------

def _offer_row(deal_id: int, version: int, result: Result, actor_id: int, today: date, now) -> m.LeaseOffer:
    c = result.calc
    return m.LeaseOffer(deal_id=deal_id, version=version, status="draft", price=c.price, vat=c.vat, months=c.months,
                        rate=c.rate, advance=result.advance, residual=result.residual, fee=result.fee,
                        method=c.method.value, timing=c.timing.value, start=c.start, financed=result.financed,
                        instalment=result.lines[0].payment, total=result.total,
                        valid_until=today + timedelta(days=OFFER_VALID_DAYS), created_by=actor_id, created_at=now)


def result_of(offer: m.LeaseOffer) -> Result:
    """The offer's calculation again, from what it stored (the schedule is never stored: it is this)."""
    shares = {"advance": lease_calc.Share(offer.advance, percent=False),
              "residual": lease_calc.Share(offer.residual, percent=False),
              "fee": lease_calc.Share(offer.fee, percent=False)}
    return lease_calc.calculate(lease_calc.Calculation(offer.price, offer.months, offer.rate, offer.start,
                                                       vat=offer.vat, timing=Timing(offer.timing),
                                                       method=Method(offer.method), **shares))


SUBJECT_MAX = 256  # lease_cases.subject


def check_subject(text: str | None) -> str:
    """What is leased, as typed (refused when empty or too long, before the terms are asked)."""
    return clean_text(text, max_len=SUBJECT_MAX)


async def open_case(uow: UnitOfWork, actor_id: int, client_id: int, subject: str, terms: str,
                    cfg: CoreConfig, method: Method = Method.ANNUITY, timing: Timing = Timing.ARREARS
                    ) -> m.LeaseCase:
    """A salesperson's new case for a registered client: its deal in the pipeline «leasing», at «Ofertowanie»,
    with the offer's first version calculated from ``terms``."""
    subject = check_subject(subject)
    async with uow:
        user = await _staff(uow, actor_id, Role.SALES, Role.ADMIN)
        client = await uow.clients.get(client_id)
        if client is None or client.kind is None:
            raise NotFound()
        today = local_date(uow.clock.now(), user.timezone)
        result = lease_calc.calculate(lease_calc.parse(terms, today, method=method, timing=timing))
        status = await uow.statuses.first(Pipeline.LEASING, LeaseStatus.OFFER)
        deal = await uow.deals.open(pipeline=Pipeline.LEASING, status=status, name=f"{client.name}: {subject}",
                                    client=client, main_contact_id=None, kind=DealKind.LEASING,
                                    responsible_id=user.id, creator_id=user.id)
        case = uow.add(m.LeaseCase(deal_id=deal.id, status=LeaseStatus.OFFER, client_id=client.id,
                                   sales_id=user.id, subject=subject, currency=cfg.lease_currency,
                                   created_at=uow.clock.now()))
        offer = uow.add(_offer_row(deal.id, 1, result, user.id, today, uow.clock.now()))
        await uow.flush()
        uow.feed.write(deal.id, user.id, "comment", f"Oferta, wersja 1: rata {offer.instalment} {case.currency}")
        uow.audit.record(entity="lease", entity_id=deal.id, actor_id=user.id, action="open", to_status="offer")
        await uow.commit()
        return case


async def recalculate(uow: UnitOfWork, actor_id: int, deal_id: int, terms: str,
                      method: Method = Method.ANNUITY, timing: Timing = Timing.ARREARS) -> m.LeaseOffer:
    """«Rekalkulacja»: a new version of the offer from new terms (the salesperson's, or the analyst's during the
    assessment); refused after the decision. The client accepts the new version for it to count."""
    async with uow:
        user, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.RISK, Actor.ADMIN}:
            raise Forbidden()
        rules.check_recalculable(LeaseStatus(case.status))
        today = local_date(uow.clock.now(), user.timezone)
        result = lease_calc.calculate(lease_calc.parse(terms, today, method=method, timing=timing))
        offer = uow.add(_offer_row(deal_id, await uow.leases.next_version(deal_id), result, user.id, today,
                                   uow.clock.now()))
        await uow.flush()
        await uow.leases.supersede(deal_id, offer.id)
        uow.feed.write(deal_id, user.id, "comment", f"Rekalkulacja: oferta, wersja {offer.version}")
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=user.id, action="recalculate",
                         comment=f"v{offer.version}")
        await uow.commit()
        return offer


async def send_offer(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.LeaseOffer:
    """The newest version goes to the client in the bot, to read and accept."""
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.ADMIN}:
            raise Forbidden()
        offers = await uow.leases.offers(deal_id)
        if not offers:
            raise Conflict("lease_no_offer")
        offer = offers[0]
        if offer.status not in ("draft", "sent"):
            raise Conflict("lease_offer_closed", version=offer.version)
        if client.user_id is None:
            raise Conflict("lease_client_not_in_bot")
        offer.status, offer.sent_at = "sent", uow.clock.now()
        uow.outbox.notify(client.user_id, LeaseOfferSent(deal_id=case.deal_id, subject=case.subject,
                                                         version=offer.version, instalment=str(offer.instalment),
                                                         currency=case.currency))
        uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="offer_sent",
                         comment=f"v{offer.version}")
        await uow.commit()
        return offer


async def accept_offer(uow: UnitOfWork, actor_id: int, offer_id: int) -> m.LeaseCase:
    """The client accepts a version sent to them (self care): it becomes the case's offer, every other one gives
    way, and a case at «Ofertowanie» becomes an application («Wniosek»)."""
    async with uow:
        offer = await uow.leases.offer(offer_id)
        if offer is None:
            raise NotFound()
        user, case, _, actors = await load(uow, actor_id, offer.deal_id, lock=True)
        if Actor.CLIENT not in actors:
            raise Forbidden()
        if offer.status != "sent":
            raise Conflict("lease_offer_closed", version=offer.version)
        if local_date(uow.clock.now(), user.timezone) > offer.valid_until:
            raise Conflict("lease_offer_expired", version=offer.version)
        rules.check_recalculable(LeaseStatus(case.status))
        offer.status, offer.accepted_at = "accepted", uow.clock.now()
        await uow.leases.supersede(case.deal_id, offer.id)
        case.offer_id = offer.id
        uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="offer_accepted",
                         comment=f"v{offer.version}")
        if case.status == LeaseStatus.OFFER:
            await move(uow, case, LeaseStatus.DRAFT, actors, actor_id)
        else:
            uow.outbox.notify(case.sales_id, LeaseMoved(deal_id=case.deal_id, subject=case.subject,
                                                        status=case.status, reason=f"v{offer.version}"))
        await uow.commit()
        return case


async def move(uow: UnitOfWork, case: m.LeaseCase, target: LeaseStatus, actors: set[Actor], actor_id: int | None,
                reason: str | None = None, *, told: dict | None = None) -> None:
    """The one way a case moves: the table's check, the case and its deal together, the audit, the feed, and the
    notices to its salesperson and its client (the one who moved it is not told); ``told``, when given, is what the
    notice says instead of ``reason`` (codes and params the bot names: a document's kind, the scoring's rules)."""
    current = LeaseStatus(case.status)
    rules.check_transition(current, target, actors)
    if (current, target) in rules.REASON_REQUIRED and not reason:
        raise InvalidInput("lease_reason_required")
    status = await uow.statuses.first(Pipeline.LEASING, target)
    await uow.leases.move(case, target, status.id)
    uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="move",
                     from_status=current, to_status=target, comment=reason)
    uow.feed.write(case.deal_id, actor_id, "status", f"{status.name}" + (f": {reason}" if reason else ""))
    client = await uow.clients.get(case.client_id)
    for whom in {case.sales_id, client.user_id} - {None, actor_id}:
        uow.outbox.notify(whom, LeaseMoved(deal_id=case.deal_id, subject=case.subject, status=target,
                                           **(told if told is not None else {"reason": reason})))


# --- the application («Wniosek») -----------------------------------------------------------------------------------

async def give_consent(uow: UnitOfWork, actor_id: int, deal_id: int, consent: Consent) -> m.LeaseConsent:
    """A consent, with its text's version and time; given by the client in the bot, or recorded by the
    salesperson from the client's signed form."""
    async with uow:
        _, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.CLIENT, Actor.SALES}:
            raise Forbidden()
        if case.status not in (LeaseStatus.OFFER, LeaseStatus.DRAFT, LeaseStatus.CORRECTIONS):
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        row = await uow.leases.consent(deal_id, consent)
        if row is None:
            row = uow.add(m.LeaseConsent(deal_id=deal_id, consent=consent, text_version=rules.CONSENT_VERSION,
                                         given_by=actor_id, given_at=uow.clock.now()))
            uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="consent",
                             comment=f"{consent.value} {rules.CONSENT_VERSION}")
            await uow.commit()
        return row


async def set_security(uow: UnitOfWork, actor_id: int, deal_id: int, kind: Security, detail: str | None = None
                       ) -> m.LeaseSecurity:
    """A security for the case: a surety names its guarantor (PESEL or NIP), a deposit its amount."""
    needs = rules.SECURITY_NEEDS[kind]
    value, amount = None, None
    if needs.surety_id:
        text = (detail or "").strip()
        value = pl_ids.check_pesel(text) if len(text) == 11 else pl_ids.check_nip(text)
    if needs.amount:
        amount = parse_amount(detail or "", minimum=Decimal("0.01"))
    async with uow:
        _, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        if Actor.SALES not in actors:
            raise Forbidden()
        if case.status not in (LeaseStatus.OFFER, LeaseStatus.DRAFT, LeaseStatus.CORRECTIONS):
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        row = await uow.leases.security(deal_id, kind) or uow.add(m.LeaseSecurity(deal_id=deal_id, kind=kind))
        row.detail, row.amount = value, amount
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="security", comment=kind.value)
        await uow.commit()
        return row


async def fetch_registry(uow: UnitOfWork, registry: VatWhitelist, actor_id: int, deal_id: int) -> m.RegistryFetch:
    """G2I: the client's firm from the VAT white list, kept with the application as it came (or the error, when
    the registry is down or answers garbage: then the person is told, and may try again). No transaction is held
    open while the registry answers."""
    async with uow:
        user, case, client, actors = await load(uow, actor_id, deal_id)
        if not actors & {Actor.SALES, Actor.CLIENT, Actor.RISK}:
            raise Forbidden()
        if not client.nip:
            raise InvalidInput("lease_no_nip")
        nip, today = client.nip, local_date(uow.clock.now(), user.timezone)
    error, subject, answer = None, None, None
    try:
        subject, answer = await registry.subject(nip, today)
    except (RegistryDown, RegistryGarbage) as exc:
        error = exc
    async with uow:
        row = uow.add(m.RegistryFetch(deal_id=deal_id, source=WHITELIST, query=nip, ok=error is None,
                                      payload=answer, error=error.key if error else None,
                                      fetched_at=uow.clock.now()))
        if subject is not None:
            client = await uow.clients.get(case.client_id)
            client.regon, client.krs = client.regon or subject.regon, client.krs or subject.krs
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="g2i",
                         comment=error.key if error else (subject.status_vat if subject else "not_found"))
        await uow.commit()
    if error is not None:
        raise error
    if subject is None:
        raise Conflict("registry_not_found", nip=nip)
    return row


async def _facts(uow: UnitOfWork, case: m.LeaseCase, client: m.Client, offer: m.LeaseOffer, today: date
                 ) -> dict[scoring.Fact, Decimal | None]:
    f = scoring.Fact
    facts: dict[scoring.Fact, Decimal | None] = {
        f.ADVANCE_PCT: offer.advance * 100 / offer.price, f.RESIDUAL_PCT: offer.residual * 100 / offer.price,
        f.MONTHS: Decimal(offer.months), f.FINANCED: offer.financed,
        f.SECURITIES: Decimal(len(await uow.leases.securities(case.deal_id))),
        f.VERIFIED: Decimal(int(case.verified_at is not None)),
        f.CLIENT_YEARS: None, f.VAT_ACTIVE: None, f.ACCOUNT_LISTED: None}
    if client.kind == ClientKind.PERSON and client.pesel:
        born = pl_ids.birth_date(client.pesel)
        facts[f.CLIENT_YEARS] = Decimal((today - born).days) / Decimal("365.25")
    fetch = await uow.leases.last_fetch(case.deal_id, WHITELIST)
    if fetch is not None and fetch.ok and fetch.payload:
        subject = parse_subject(fetch.payload)
        if subject is not None:
            facts[f.VAT_ACTIVE] = Decimal(int(subject.vat_active))
            facts[f.ACCOUNT_LISTED] = Decimal(int(subject.lists(client.iban)))
            if subject.registered_on:
                facts[f.CLIENT_YEARS] = Decimal((today - subject.registered_on).days) / Decimal("365.25")
    return facts


async def scoring_table(uow: UnitOfWork) -> tuple[tuple[scoring.Rule, ...], scoring.Thresholds]:
    row = await uow.leases.scoring_table()
    return scoring.parse_table(row.body) if row else (scoring.DEFAULT_RULES, scoring.Thresholds())


async def scoring_text(uow: UnitOfWork, actor_id: int) -> str:
    """The table in force, as an admin edits it."""
    async with uow:
        await _staff(uow, actor_id, Role.ADMIN)
        return scoring.table_text(*await scoring_table(uow))


async def set_scoring(uow: UnitOfWork, actor_id: int, text: str) -> tuple[scoring.Rule, ...]:
    """An admin's new table: refused by line when a rule is not understood; the old tables stay in the history."""
    table, thresholds = scoring.parse_table(text)
    async with uow:
        await _staff(uow, actor_id, Role.ADMIN)
        uow.add(m.ScoringTable(body=scoring.table_text(table, thresholds), set_by=actor_id, set_at=uow.clock.now()))
        uow.audit.record(entity="scoring", entity_id=0, actor_id=actor_id, action="table",
                         comment=f"{len(table)} rules")
        await uow.commit()
        return table


async def submit(uow: UnitOfWork, actor_id: int, deal_id: int) -> scoring.Outcome:
    """The application filed (from «Wniosek», or back from «Poprawki»): the consents and the client's identifiers
    checked, the scoring automaton run on the accepted offer and what G2I fetched — a fact missing refuses the
    filing with what to complete —, then the automaton's verdict moves the case: approved, refused (its reason:
    the hard stops, or the score), or to the analysts."""
    async with uow:
        user, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.RISK_CHECK, actors)
        rules.check_consents({Consent(c.consent) for c in await uow.leases.consents(deal_id)})
        rules.check_identifiers(ClientKind(client.kind), nip=client.nip, regon=client.regon, krs=client.krs,
                                pesel=client.pesel)
        offer = await uow.leases.offer(case.offer_id) if case.offer_id else None
        if offer is None:
            raise Conflict("lease_no_offer")
        table, thresholds = await scoring_table(uow)
        outcome = scoring.score(table, thresholds, ClientKind(client.kind),
                                await _facts(uow, case, client, offer, local_date(uow.clock.now(), user.timezone)))
        await move(uow, case, LeaseStatus.RISK_CHECK, actors, actor_id)
        case.score, case.verdict = outcome.score, outcome.verdict
        target = {scoring.Verdict.APPROVE: LeaseStatus.APPROVED, scoring.Verdict.REFUSE: LeaseStatus.REFUSED,
                  scoring.Verdict.ANALYST: LeaseStatus.ANALYSIS}[outcome.verdict]
        reason = f"scoring {outcome.score}" + (
            "; stop: " + ", ".join(r.text() for r in outcome.stops) if outcome.stops else "")
        told = {"score": outcome.score,
                "stops": [[r.fact.value, r.op, f"{r.value.normalize():f}"] for r in outcome.stops] or None}
        await move(uow, case, target, {Actor.SYSTEM}, None, reason, told=told)
        if target == LeaseStatus.ANALYSIS:
            for analyst in await uow.users.with_role(Role.RISK):
                uow.outbox.notify(analyst.id, LeaseMoved(deal_id=deal_id, subject=case.subject, status=target,
                                                         **told))
        await uow.commit()
        return outcome


# --- Ocenianie ryzyka: the analyst, the motion, the decision; then to the signing -----------------------------

async def risk_move(uow: UnitOfWork, actor_id: int, deal_id: int, target: LeaseStatus, text: str | None = None
                    ) -> m.LeaseCase:
    """The analyst's move: take a filed case into the assessment, send it back to sales for corrections (why),
    put the motion (wniosek ryzyka: its text), take the motion back, or decide — positive, conditional (its
    conditions after «|»), negative — each with its reason, told to the salesperson and the client."""
    if target not in rules.RISK_MOVES:
        raise InvalidInput("stale_button")
    reason, conditions = (rules.parse_decision(target, text or "") if target in rules.DECISIONS
                          else ((clean_text(text, max_len=2000) if (text or "").strip() else None), []))
    async with uow:
        _, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        if Actor.RISK not in actors:
            raise Forbidden()
        await move(uow, case, target, {Actor.RISK}, actor_id, reason)
        case.analyst_id = actor_id
        if target == LeaseStatus.MOTION:
            case.motion = reason
        if target in rules.DECISIONS:
            case.decision_reason, case.decided_by, case.decided_at = reason, actor_id, uow.clock.now()
            for condition in conditions:
                uow.add(m.LeaseCondition(deal_id=deal_id, text=condition))
        await uow.commit()
        return case


async def meet_condition(uow: UnitOfWork, actor_id: int, condition_id: int) -> m.LeaseCondition:
    """«Uzupełnienie decyzji»: the salesperson ticks a condition off (once; a second press changes nothing)."""
    async with uow:
        condition = await uow.leases.condition(condition_id)
        if condition is None:
            raise NotFound()
        _, case, _, actors = await load(uow, actor_id, condition.deal_id, lock=True)
        if Actor.SALES not in actors:
            raise Forbidden()
        if case.status != LeaseStatus.CONDITIONAL:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        if condition.met_at is None:
            condition.met_by, condition.met_at = actor_id, uow.clock.now()
            uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="condition_met",
                             comment=condition.text[:200])
            await uow.commit()
        return condition


async def to_signing(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.LeaseCase:
    """After a positive decision, or a conditional one whose every condition is met, the case goes to signing."""
    async with uow:
        _, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.SIGNING, actors)
        rules.check_conditions_met([c.text for c in await uow.leases.conditions(deal_id) if c.met_at is None])
        await move(uow, case, LeaseStatus.SIGNING, actors, actor_id)
        await uow.commit()
        return case


async def cancel(uow: UnitOfWork, actor_id: int, deal_id: int, reason: str | None = None) -> m.LeaseCase:
    """The case withdrawn before the payment (by its salesperson, its client or an admin), with why if given."""
    async with uow:
        _, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        await move(uow, case, LeaseStatus.CANCELLED, actors, actor_id,
                    clean_text(reason, max_len=2000) if reason else None)
        await uow.commit()
        return case


async def offer_document(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.Document, int]:
    """The case's offer (the accepted version, or else the newest) as a PDF, and its version: made once per
    version and kept, so every later send goes by Telegram's file id."""
    async with uow:
        _, case, client, _ = await load(uow, actor_id, deal_id, lock=True)
        offers = await uow.leases.offers(deal_id)
        offer = next((o for o in offers if o.id == case.offer_id), offers[0] if offers else None)
        if offer is None:
            raise Conflict("lease_no_offer")
        if offer.document_id is not None:
            return await uow.documents.get(offer.document_id), offer.version
        vendor = await uow.clients.get(case.vendor_id) if case.vendor_id else None
        document = await documents.lease_offer_document(uow, await uow.deals.get(deal_id), case, offer,
                                                        result_of(offer), client, vendor=vendor)
        await uow.flush()
        offer.document_id = document.id
        await uow.commit()
        return document, offer.version


# --- documents: Kompletacja, Podpisywanie, Weryfikowanie --------------------------------------------------------

async def send_file(uow: UnitOfWork, actor_id: int, deal_id: int, kind: str, f: dict) -> m.LeaseFile:
    """A document of the case's checklist, or the signed contract's scan at the signing (already checked by type,
    size and content by the adapter): it replaces the one sent before for the same kind."""
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.CLIENT}:
            raise Forbidden()
        securities = {Security(x.kind) for x in await uow.leases.securities(deal_id)}
        rules.check_file_kind(ClientKind(client.kind), securities, kind, LeaseStatus(case.status))
        await uow.leases.replace_files(deal_id, kind)
        row = uow.add(m.LeaseFile(deal_id=deal_id, kind=kind, status="sent", tg_file_id=f["file_id"],
                                  file_name=f.get("file_name"), mime_type=f.get("mime_type"), size=f.get("size"),
                                  sent_by=actor_id))
        uow.feed.write(deal_id, actor_id, "comment", f"Dokument: {kind}", file_id=f["file_id"],
                       file_kind=f.get("kind", "document"), file_name=f.get("file_name"))
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="file", comment=kind)
        await uow.commit()
        return row


async def contract_document(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.Document, str]:
    """«Automatyczne tworzenie dokumentów umowy»: the contract with its schedule, generated at the signing from the
    accepted version and the decision's conditions (the admins' template), and its number «<case>-<version>»; made
    again only if the version changed."""
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.CLIENT, Actor.BACK_OFFICE}:
            raise Forbidden()
        if case.status not in (LeaseStatus.SIGNING, LeaseStatus.VERIFICATION, LeaseStatus.TO_PAYMENT):
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        offer = await uow.leases.offer(case.offer_id)
        number = f"{deal_id}-{offer.version}"
        if case.contract_document_id is not None and case.contract_offer_id == case.offer_id:
            return await uow.documents.get(case.contract_document_id), number
        conditions = [c.text for c in await uow.leases.conditions(deal_id)]
        vendor = await uow.clients.get(case.vendor_id) if case.vendor_id else None
        document = await documents.lease_offer_document(uow, await uow.deals.get(deal_id), case, offer,
                                                        result_of(offer), client, DocKind.LEASE_CONTRACT, conditions,
                                                        vendor)
        await uow.flush()
        case.contract_document_id, case.contract_offer_id = document.id, offer.id
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="contract",
                         comment=f"v{offer.version}")
        await uow.commit()
        return document, number


def _problems(view_files: list[m.LeaseFile], required: tuple[str, ...], case: m.LeaseCase, *,
              unchecked: bool = False) -> list[tuple[str, str]]:
    """The automatic check's findings; with ``unchecked``, also each file nobody accepted yet (the payment's)."""
    found = rules.auto_check(required, {f.kind: f.status for f in view_files},
                             contract_offer_id=case.contract_offer_id, offer_id=case.offer_id)
    return found + ([("unchecked", f.kind) for f in view_files if f.status == "sent"] if unchecked else [])


async def to_verification(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.LeaseCase:
    """Signed: the set goes to the back office — refused while the contract was not generated or its signed scan
    not sent."""
    async with uow:
        _, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.VERIFICATION, actors)
        files = {f.kind: f for f in await uow.leases.files(deal_id)}
        if case.contract_document_id is None:
            raise Conflict("lease_no_contract")
        if rules.SIGNED_SCAN not in files:
            raise Conflict("lease_no_scan")
        await move(uow, case, LeaseStatus.VERIFICATION, actors, actor_id)
        for clerk in await uow.users.with_role(Role.BACK_OFFICE):
            uow.outbox.notify(clerk.id, LeaseMoved(deal_id=deal_id, subject=case.subject,
                                                   status=LeaseStatus.VERIFICATION))
        await uow.commit()
        return case


async def check_set(uow: UnitOfWork, actor_id: int, deal_id: int, *, for_payment: bool = False
                    ) -> list[tuple[str, str]]:
    """The automatic check of the set, as the back office sees it; ``for_payment``: also the files not accepted yet,
    which keep the case from the payment."""
    async with uow:
        _, case, client, _ = await load(uow, actor_id, deal_id)
        securities = {Security(x.kind) for x in await uow.leases.securities(deal_id)}
        return _problems(await uow.leases.files(deal_id),
                         rules.required_documents(ClientKind(client.kind), securities), case, unchecked=for_payment)


async def review_file(uow: UnitOfWork, actor_id: int, file_id: int, accept: bool, reason: str | None = None
                      ) -> m.LeaseFile:
    """The back office accepts a file, or rejects it with the reason: then the case goes back to the signing for
    the salesperson to complete (Uzupełnienie braków), with what was wrong."""
    async with uow:
        row = await uow.leases.file(file_id)
        if row is None or row.status == "replaced":
            raise NotFound()
        _, case, _, actors = await load(uow, actor_id, row.deal_id, lock=True)
        if Actor.BACK_OFFICE not in actors:
            raise Forbidden()
        if case.status != LeaseStatus.VERIFICATION:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        if row.status != "sent":
            raise Conflict("lease_file_checked", kind=row.kind)
        row.checked_by, row.checked_at = actor_id, uow.clock.now()
        if accept:
            row.status = "accepted"
            uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="file_accepted",
                             comment=row.kind)
        else:
            row.status, row.reason = "rejected", clean_text(reason or "", max_len=1000)
            await move(uow, case, LeaseStatus.SIGNING, actors, actor_id, f"{row.kind}: {row.reason}",
                       told={"reason": row.reason, "file_kind": row.kind})
        await uow.commit()
        return row


async def to_payment(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.LeaseCase:
    """«Przekazanie do płatności»: the set is complete — the automatic check finds nothing and every file was
    accepted by hand."""
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        rules.check_transition(LeaseStatus(case.status), LeaseStatus.TO_PAYMENT, actors)
        securities = {Security(x.kind) for x in await uow.leases.securities(deal_id)}
        problems = _problems(await uow.leases.files(deal_id),
                             rules.required_documents(ClientKind(client.kind), securities), case, unchecked=True)
        if problems:  # the chat asks check_set first and names them; this is the last word, under the lock
            raise Conflict("lease_set_incomplete", what=", ".join(f"{what} {which}".strip()
                                                                   for what, which in problems))
        await move(uow, case, LeaseStatus.TO_PAYMENT, actors, actor_id)
        await uow.commit()
        return case


async def verification_payment(uow: UnitOfWork, actor_id: int, deal_id: int, text: str) -> m.LeaseCase:
    """«Wpłata weryfikująca» (optional): the payment the client made to confirm who they are and their account,
    recorded from the bank statement as «the payer's account; the amount»: it confirms them only when it came from
    the account on the client's card (else refused with why); the scoring may count it (the fact ``verified``)."""
    account, _, amount_text = (text or "").rpartition(";")
    payer = pl_ids.check_account(account)
    amount = parse_amount(amount_text, minimum=Decimal("0.01"))
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.BACK_OFFICE, Actor.RISK}:
            raise Forbidden()
        if case.status not in rules.FILES_OPEN:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        if not client.iban:
            raise Conflict("lease_no_account")
        if payer != client.iban:
            raise Conflict("lease_payer_not_client", account=payer)
        case.verified_at, case.verified_amount = uow.clock.now(), amount
        uow.feed.write(deal_id, actor_id, "payment", f"Wpłata weryfikująca {amount} {case.currency} z {payer}")
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="verified", comment=str(amount))
        await uow.commit()
        return case


async def accept_terms(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.LeaseCase:
    """Self care: the client, having read the generated contract in the bot, accepts its terms (recorded with the
    time; the signature itself is the signed scan)."""
    async with uow:
        _, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        if Actor.CLIENT not in actors:
            raise Forbidden()
        if case.status != LeaseStatus.SIGNING:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        if case.contract_document_id is None or case.contract_offer_id != case.offer_id:
            raise Conflict("lease_no_contract")
        if case.terms_accepted_at is None:
            case.terms_accepted_at = uow.clock.now()
            uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="terms_accepted")
            uow.feed.write(deal_id, actor_id, "comment", "Klient zaakceptował warunki umowy")
            await uow.commit()
        return case


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


async def write(uow: UnitOfWork, actor_id: int, deal_id: int, *, chat_id: int, message_id: int, text: str | None,
                file_id: str | None = None, file_kind: str | None = None, file_name: str | None = None) -> int:
    """Self care's «komunikacja»: the client writes to the case's salesperson, or the salesperson to the client (a
    text, a photo or a document), through the bot; the message is copied to the other side and kept in the deal's
    feed. Returns whom it went to."""
    if text is not None:
        text = clean_text(text, max_len=4000)
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id)
        if Actor.CLIENT in actors:
            role, to = "client", case.sales_id
        elif Actor.SALES in actors:
            role, to = "sales", client.user_id
        else:
            raise Forbidden()
        if to is None:
            raise Conflict("lease_client_not_in_bot")
        if case.status in rules.FINAL:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        uow.feed.write(deal_id, actor_id, "comment", text, file_id=file_id, file_kind=file_kind, file_name=file_name)
        uow.outbox.notify(to, LeaseMessage(deal_id=deal_id, from_role=role, from_chat_id=chat_id,
                                           message_id=message_id, text=text if file_id is None else None,
                                           caption=text if file_id is not None else None))
        await uow.commit()
        return to
