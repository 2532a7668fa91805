"""«Kalkulacje» and «Oferta» (seed 002): a calculation as a person types it, a case opened with its offer's first
version, recalculated into new versions, sent to the client and accepted."""

from __future__ import annotations

from datetime import date, timedelta

from core.clock import Clock
from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals import DealKind, Pipeline
from core.domain.kernel import feed as said
from core.domain.kernel.deployment import Area, running
from core.domain.kernel.errors import Conflict, Forbidden, NotFound, found
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import LeaseMoved, LeaseOfferAsked, LeaseOfferSent
from core.domain.kernel.roles import Role
from core.domain.kernel.schedule import local_date
from core.domain.leasing import calc as lease_calc
from core.domain.leasing import case as rules
from core.domain.leasing.calc import Method, Result, Timing
from core.domain.leasing.case import FINAL, OFFER_OPEN, Actor, ClientKind, LeaseOfferStatus, LeaseStatus
from core.services.kernel.config import CoreConfig
from core.services.leasing.case import load, move
from core.services.leasing.origination.clients import _staff, add_client, parse_client

OFFER_VALID_DAYS = 14  # an offer's validity from the day it is made, as a lessor prints it


def calculate(clock: Clock, timezone: str, text: str, method: Method = Method.ANNUITY,
              timing: Timing = Timing.ARREARS, *, max_months: int = lease_calc.DEFAULT_MAX_MONTHS) -> Result:
    """«cena; opłata wstępna; miesiące; oprocentowanie; wykup[; opłata]», starting today in ``timezone``; the term
    up to ``max_months`` (the setting)."""
    today = local_date(clock.now(), timezone)
    return lease_calc.calculate(lease_calc.parse(text, today, method=method, timing=timing, max_months=max_months))


def _may_ask(user: m.User, areas) -> bool:
    """A client of a lessor (the leasing area runs) may ask for an offer; the staff calculate for themselves, and a
    marketplace's client files an application instead."""
    return user.role == Role.CLIENT and Area.LEASING in running(areas)


async def may_ask_offer(uow: UnitOfWork, actor_id: int) -> bool:
    """Whether the calculator's result offers this person «🙋 ask for this offer» (the press checks it again)."""
    async with uow:
        return _may_ask(await uow.users.get_or_raise(actor_id), await uow.deployment.areas())


async def ask_offer(uow: UnitOfWork, actor_id: int, text: str, method: Method = Method.ANNUITY,
                    timing: Timing = Timing.ARREARS, *, currency: str,
                    max_months: int = lease_calc.DEFAULT_MAX_MONTHS) -> list[int]:
    """A client in the bot asks the lessor for an offer on the terms they calculated: told to the salesperson of
    their open case, or (no case yet) to every salesperson, or (none) to the admins, with who they are in Telegram so
    the case made for them is linked to them. Returns whom it went to."""
    async with uow:
        user = await uow.users.get_or_raise(actor_id)
        if not _may_ask(user, await uow.deployment.areas()):
            raise Forbidden()
        result = lease_calc.calculate(lease_calc.parse(text, local_date(uow.clock.now(), user.timezone),
                                                       method=method, timing=timing, max_months=max_months))
        own = [c.sales_id for c in await uow.leases.of_client_user(user.id) if c.sales_id and c.status not in FINAL]
        whom = own[:1] or [u.id for u in await uow.users.holding(Role.SALES) if u.id != user.id] or [
            u.id for u in await uow.users.holding(Role.ADMIN)]
        if not whom:
            raise Conflict("lease_nobody_to_ask")
        c = result.calc
        notice = LeaseOfferAsked(name=user.name, tg_id=user.tg_id, username=user.username, price=str(c.price),
                                 advance=str(result.advance), months=c.months, rate=str(c.rate),
                                 residual=str(result.residual), fee=str(result.fee), method=c.method.value,
                                 timing=c.timing.value, instalment=str(result.lines[0].payment), currency=currency)
        for someone in whom:
            uow.outbox.notify(someone, notice)
        uow.audit.record(entity="user", entity_id=user.id, actor_id=user.id, action="lease_offer_asked",
                         comment=f"{c.price}; {result.advance}; {c.months}; {c.rate}; {result.residual}; {result.fee}")
        await uow.commit()
        return whom


def _offer_row(deal_id: int, version: int, result: Result, actor_id: int, today: date, now) -> m.LeaseOffer:
    c = result.calc
    return m.LeaseOffer(deal_id=deal_id, version=version, status=LeaseOfferStatus.DRAFT, price=c.price, vat=c.vat,
                        months=c.months, rate=c.rate, advance=result.advance, residual=result.residual, fee=result.fee,
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
        case = await _open(uow, user, client, subject, terms, cfg, method, timing)
        await uow.commit()
        return case


async def open_new_case(uow: UnitOfWork, actor_id: int, kind: ClientKind, client: str, subject: str, terms: str,
                        cfg: CoreConfig) -> m.LeaseCase:
    """The new-case dialog's last step: its client (as typed, «Nazwa; NIP; …») registered and its case opened with
    the offer's first version, in one transaction: refused terms register nobody, and a dialog left before this
    step has written nothing."""
    fields, subject = parse_client(kind, client), check_subject(subject)
    async with uow:
        user = await _staff(uow, actor_id, Role.SALES, Role.ADMIN)
        row = await add_client(uow, user.id, kind, fields)
        case = await _open(uow, user, row, subject, terms, cfg, Method.ANNUITY, Timing.ARREARS)
        await uow.commit()
        return case


async def _open(uow: UnitOfWork, user: m.User, client: m.Client, subject: str, terms: str, cfg: CoreConfig,
                method: Method, timing: Timing) -> m.LeaseCase:
    """The case's deal at «Ofertowanie» and its offer's first version, written in the caller's transaction."""
    today = local_date(uow.clock.now(), user.timezone)
    result = lease_calc.calculate(lease_calc.parse(terms, today, method=method, timing=timing,
                                                   max_months=cfg.lease_max_months))
    status = await uow.statuses.first(Pipeline.LEASING, LeaseStatus.OFFER)
    deal = await uow.deals.open(pipeline=Pipeline.LEASING, status=status, name=f"{client.name}: {subject}",
                                client=client, main_contact_id=None, kind=DealKind.LEASING,
                                responsible_id=user.id, creator_id=user.id)
    case = uow.add(m.LeaseCase(deal_id=deal.id, status=LeaseStatus.OFFER, client_id=client.id,
                               sales_id=user.id, subject=subject, currency=cfg.lease_currency,
                               created_at=uow.clock.now()))
    offer = uow.add(_offer_row(deal.id, 1, result, user.id, today, uow.clock.now()))
    await uow.flush()
    uow.feed.tell(deal.id, user.id, said.LeaseOffer(version=1, instalment=offer.instalment, currency=case.currency))
    uow.audit.record(entity="lease", entity_id=deal.id, actor_id=user.id, action="open", to_status="offer")
    return case


async def recalculate(uow: UnitOfWork, actor_id: int, deal_id: int, terms: str,
                      method: Method = Method.ANNUITY, timing: Timing = Timing.ARREARS, *,
                      max_months: int = lease_calc.DEFAULT_MAX_MONTHS) -> m.LeaseOffer:
    """«Rekalkulacja»: a new version of the offer from new terms (the salesperson's, or the analyst's during the
    assessment); refused after the decision. The client accepts the new version for it to count."""
    async with uow:
        user, case, _, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.RISK, Actor.ADMIN}:
            raise Forbidden()
        rules.check_recalculable(LeaseStatus(case.status))
        today = local_date(uow.clock.now(), user.timezone)
        result = lease_calc.calculate(lease_calc.parse(terms, today, method=method, timing=timing,
                                                       max_months=max_months))
        offer = uow.add(_offer_row(deal_id, await uow.leases.next_version(deal_id), result, user.id, today,
                                   uow.clock.now()))
        await uow.flush()
        await uow.leases.supersede(deal_id, offer.id)
        uow.feed.tell(deal_id, user.id, said.LeaseOffer(version=offer.version, instalment=None, currency=case.currency))
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
        if offer.status not in OFFER_OPEN:
            raise Conflict("lease_offer_closed", version=offer.version)
        if client.user_id is None:
            raise Conflict("lease_client_not_in_bot")
        offer.status, offer.sent_at = LeaseOfferStatus.SENT, uow.clock.now()
        uow.outbox.notify(client.user_id, LeaseOfferSent(deal_id=case.deal_id, subject=case.subject,
                                                         version=offer.version, instalment=str(offer.instalment),
                                                         currency=case.currency))
        uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="offer_sent",
                         comment=f"v{offer.version}")
        await uow.commit()
        return offer


async def accept_on_behalf(uow: UnitOfWork, actor_id: int, offer_id: int, f: dict) -> m.LeaseCase:
    """A client outside Telegram accepted the offer on paper or by e-mail: the case's salesperson records it with
    the signed acceptance attached (``f``: the file, already checked by type and size by the adapter); the version
    becomes the case's offer exactly as if the client had pressed «accept» (a case at «Ofertowanie» becomes an
    application), audited, and shown as accepted by the salesperson on the client's behalf, with the document."""
    async with uow:
        offer = found(await uow.leases.offer(offer_id))
        user, case, _, actors = await load(uow, actor_id, offer.deal_id, lock=True)
        if Actor.SALES not in actors:
            raise Forbidden()
        if offer.status not in OFFER_OPEN:
            raise Conflict("lease_offer_closed", version=offer.version)
        if local_date(uow.clock.now(), user.timezone) > offer.valid_until:
            raise Conflict("lease_offer_expired", version=offer.version)
        rules.check_recalculable(LeaseStatus(case.status))
        offer.status, offer.accepted_at, offer.accepted_by = LeaseOfferStatus.ACCEPTED, uow.clock.now(), actor_id
        offer.accepted_file_id, offer.accepted_file_name = f["file_id"], f.get("file_name")
        await uow.leases.supersede(case.deal_id, offer.id)
        case.offer_id = offer.id
        uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="offer_accepted_on_behalf",
                         comment=f"v{offer.version} {f.get('file_name') or f['file_id']}"[:500])
        uow.feed.tell(case.deal_id, actor_id, said.AcceptedOnBehalf(version=offer.version, by=user.name),
                      file_id=f["file_id"], file_kind=f.get("kind", "document"), file_name=f.get("file_name"))
        if case.status == LeaseStatus.OFFER:
            await move(uow, case, LeaseStatus.DRAFT, actors, actor_id)
        await uow.commit()
        return case


async def accept_offer(uow: UnitOfWork, actor_id: int, offer_id: int) -> m.LeaseCase:
    """The client accepts a version sent to them (self care): it becomes the case's offer, every other one gives
    way, and a case at «Ofertowanie» becomes an application («Wniosek»)."""
    async with uow:
        offer = found(await uow.leases.offer(offer_id))
        user, case, _, actors = await load(uow, actor_id, offer.deal_id, lock=True)
        if Actor.CLIENT not in actors:
            raise Forbidden()
        if offer.status != LeaseOfferStatus.SENT:
            raise Conflict("lease_offer_closed", version=offer.version)
        if local_date(uow.clock.now(), user.timezone) > offer.valid_until:
            raise Conflict("lease_offer_expired", version=offer.version)
        rules.check_recalculable(LeaseStatus(case.status))
        offer.status, offer.accepted_at = LeaseOfferStatus.ACCEPTED, uow.clock.now()
        await uow.leases.supersede(case.deal_id, offer.id)
        case.offer_id = offer.id
        uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="offer_accepted",
                         comment=f"v{offer.version}")
        if case.status == LeaseStatus.OFFER:
            await move(uow, case, LeaseStatus.DRAFT, actors, actor_id)
        else:
            uow.outbox.notify(case.sales_id, LeaseMoved(deal_id=case.deal_id, subject=case.subject,
                                                        status=case.status, reason=f"v{offer.version}",
                                                        reader="sales", what="offer_accepted"))
        await uow.commit()
        return case
