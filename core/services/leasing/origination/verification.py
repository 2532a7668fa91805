"""«Podpisywanie» and «Weryfikowanie» (seed 002): the offer's and the contract's documents, the files a case needs sent
and reviewed, verification, the terms accepted, and the move to «Przekazanie do płatności»."""

from __future__ import annotations

from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import DocKind
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from core.domain.kernel.inputs import clean_text, parse_amount
from core.domain.kernel.notices import LeaseContractReady, LeaseIdentityAsked, LeaseMoved
from core.domain.kernel.roles import Role, holds
from core.domain.leasing import case as rules
from core.domain.leasing import ending, pl_ids
from core.domain.leasing.case import (
    Actor,
    ClientKind,
    LeaseFileStatus,
    LeaseOfferStatus,
    LeaseStatus,
    Security,
    contract_number,
)
from core.domain.leasing.ending import IdentityResult
from core.services.kernel import documents
from core.services.leasing.case import load, move
from core.services.leasing.origination.offers import result_of


async def offer_document(uow: UnitOfWork, actor_id: int, deal_id: int, version: int = 0) -> tuple[m.Document, int]:
    """The case's offer (the ``version`` asked; 0: the accepted version, or else the newest) as a PDF, and its
    version: made once per version and kept, so every later send goes by Telegram's file id. A client gets the
    versions sent to them, never a draft."""
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        offers = await uow.leases.offers(deal_id)
        if not actors - {Actor.CLIENT}:
            offers = [o for o in offers if o.status != LeaseOfferStatus.DRAFT]
        if version:  # a button's version: gone (or a draft, for a client) is a stale button
            offer = next((o for o in offers if o.version == version), None)
            if offer is None:
                raise InvalidInput("stale_button")
        else:
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
        row = uow.add(m.LeaseFile(deal_id=deal_id, kind=kind, status=LeaseFileStatus.SENT, tg_file_id=f["file_id"],
                                  file_name=f.get("file_name"), mime_type=f.get("mime_type"), size=f.get("size"),
                                  sent_by=actor_id))
        uow.feed.tell(deal_id, actor_id, said.LeaseFile(doc=kind), file_id=f["file_id"],
                       file_kind=f.get("kind", "document"), file_name=f.get("file_name"))
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action="file", comment=kind)
        await uow.commit()
        return row


async def contract_document(uow: UnitOfWork, actor_id: int, deal_id: int) -> tuple[m.Document, str]:
    """«Automatyczne tworzenie dokumentów umowy»: the contract with its schedule, generated at the signing from the
    accepted version and the decision's conditions (the admins' template), and its number (the case's); made
    again only if the version changed."""
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.CLIENT, Actor.BACK_OFFICE}:
            raise Forbidden()
        if case.status not in (LeaseStatus.SIGNING, LeaseStatus.VERIFICATION, LeaseStatus.TO_PAYMENT):
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        offer = await uow.leases.offer(case.offer_id)
        number = contract_number(deal_id)
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
        if case.status == LeaseStatus.SIGNING and client.user_id not in (None, actor_id):
            # the client told the contract is ready to read and accept in the bot
            uow.outbox.notify(client.user_id, LeaseContractReady(deal_id=deal_id, subject=case.subject,
                                                                 number=number))
        await uow.commit()
        return document, number


def _problems(view_files: list[m.LeaseFile], required: tuple[str, ...], case: m.LeaseCase, *,
              unchecked: bool = False) -> list[tuple[str, str]]:
    """The automatic check's findings; with ``unchecked``, also each file nobody accepted yet (the payment's)."""
    found = rules.auto_check(required, {f.kind: f.status for f in view_files},
                             contract_offer_id=case.contract_offer_id, offer_id=case.offer_id)
    if unchecked:
        found += [("unchecked", f.kind) for f in view_files if f.status == LeaseFileStatus.SENT]
    return found


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
                                                   status=LeaseStatus.VERIFICATION, reader="back_office"))
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
        if row is None or row.status == LeaseFileStatus.REPLACED:
            raise NotFound()
        _, case, _, actors = await load(uow, actor_id, row.deal_id, lock=True)
        if Actor.BACK_OFFICE not in actors:
            raise Forbidden()
        if case.status != LeaseStatus.VERIFICATION:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        if row.status != LeaseFileStatus.SENT:
            raise Conflict("lease_file_checked", kind=row.kind)
        row.checked_by, row.checked_at = actor_id, uow.clock.now()
        if accept:
            row.status = LeaseFileStatus.ACCEPTED
            uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="file_accepted",
                             comment=row.kind)
        else:
            row.status, row.reason = LeaseFileStatus.REJECTED, clean_text(reason or "", max_len=1000)
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


async def verification_payment(uow: UnitOfWork, actor_id: int, deal_id: int, text: str) -> m.LeaseIdentityCheck:
    """«Wpłata weryfikująca» and «Weryfikacja tożsamości» (seed 002: full automation): the transfer the client made
    to confirm who they are, typed from the bank statement as «the payer's name; the payer's account; the amount»
    (the name may be left out), checked by itself against the client's card (core.domain.leasing.ending
    .check_identity): passed — identity and account confirmed, the scoring counts it (the fact ``verified``) —,
    failed (another account), or left to a person (no account on the card, no name, another name), who is told.
    Every result is recorded and audited."""
    parts = [x.strip() for x in (text or "").split(";")]
    if len(parts) not in (2, 3):
        raise InvalidInput("lease_verification_format")
    name = clean_text(parts[0], max_len=256) if len(parts) == 3 and parts[0] else None
    payer = pl_ids.check_account(parts[-2])
    amount = parse_amount(parts[-1], minimum=Decimal("0.01"))
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id, lock=True)
        if not actors & {Actor.SALES, Actor.BACK_OFFICE, Actor.RISK}:
            raise Forbidden()
        if case.status not in rules.FILES_OPEN:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        found = ending.check_identity(client_name=client.name, client_iban=client.iban, payer_name=name,
                                      payer_iban=payer)
        row = uow.add(m.LeaseIdentityCheck(deal_id=deal_id, payer_name=name, payer_iban=payer, amount=amount,
                                           result=found.result, reasons=",".join(found.reasons),
                                           checked_by=actor_id, checked_at=uow.clock.now()))
        await uow.flush()
        uow.audit.record(entity="lease", entity_id=deal_id, actor_id=actor_id, action=f"identity_{found.result}",
                         comment=f"{amount} {payer} {name or ''} {row.reasons}".strip())
        if found.result == IdentityResult.PASSED:
            _confirm(uow, case, row, actor_id)
        elif found.result == IdentityResult.NEEDS_PERSON:
            notice = LeaseIdentityAsked(deal_id=deal_id, subject=case.subject, check_id=row.id,
                                        reasons=list(found.reasons), payer=name)
            for whom in {u.id for role in DECIDES for u in await uow.users.with_role(role)} - {actor_id}:
                uow.outbox.notify(whom, notice)
        await uow.commit()
        return row


#: who decides an identity check the automaton left to a person: not the salesperson whose case it is
DECIDES = (Role.RISK, Role.BACK_OFFICE, Role.ADMIN)


def _confirm(uow: UnitOfWork, case: m.LeaseCase, row: m.LeaseIdentityCheck, actor_id: int | None) -> None:
    case.verified_at, case.verified_amount = uow.clock.now(), row.amount
    uow.feed.tell(case.deal_id, actor_id, said.LeaseVerified(amount=row.amount, currency=case.currency,
                                                             payer=row.payer_iban))


async def decide_identity(uow: UnitOfWork, actor_id: int, check_id: int, accept: bool) -> m.LeaseIdentityCheck:
    """A person's word on a check the automaton could not decide (an analyst, the back office, an admin — never the
    case's salesperson): confirmed, the client counts as verified; refused, not. Once; audited."""
    async with uow:
        row = await uow.leases.identity_check(check_id)
        if row is None:
            raise InvalidInput("stale_button")
        user = await uow.users.get_or_raise(actor_id)
        case = await uow.leases.case(row.deal_id, lock=True)
        if case is None or not holds(user, *DECIDES) or user.id == case.sales_id:
            raise Forbidden()
        if row.result != IdentityResult.NEEDS_PERSON or row.decision is not None:
            raise Conflict("lease_identity_decided")
        if case.status not in rules.FILES_OPEN:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        row.decision = IdentityResult.PASSED if accept else IdentityResult.FAILED
        row.decided_by, row.decided_at = actor_id, uow.clock.now()
        uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id,
                         action=f"identity_decided_{row.decision}", comment=f"check {row.id}")
        if accept:
            _confirm(uow, case, row, actor_id)
        await uow.commit()
        return row


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
            uow.feed.tell(deal_id, actor_id, said.TermsAccepted())
            if case.sales_id not in (None, actor_id):  # the salesperson told: the signing can go on
                uow.outbox.notify(case.sales_id, LeaseMoved(deal_id=deal_id, subject=case.subject, status=case.status,
                                                            reader="sales", what="terms_accepted"))
            await uow.commit()
        return case
