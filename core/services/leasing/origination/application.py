"""«Wniosek» and «Ocenianie ryzyka» (seed 002): the consents, the securities, G2I's fetch from the VAT white list, the
filing that runs the scoring automaton (approved, refused, or to an analyst), the analyst's decision and its
conditions, the move to signing, a cancellation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput, found
from core.domain.kernel.inputs import clean_text, parse_amount
from core.domain.kernel.notices import LeaseMoved
from core.domain.kernel.roles import Role
from core.domain.kernel.schedule import local_date
from core.domain.leasing import case as rules
from core.domain.leasing import pl_ids, scoring
from core.domain.leasing.case import (
    Actor,
    ClientKind,
    Consent,
    LeaseStatus,
    Security,
)
from core.services.leasing.case import load, move
from core.services.leasing.origination.clients import _staff
from core.services.leasing.registries import WHITELIST, RegistryDown, RegistryGarbage, VatWhitelist, parse_subject


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
                                                         reader="risk", **told))
        await uow.commit()
        return outcome


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
        condition = found(await uow.leases.condition(condition_id))
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
