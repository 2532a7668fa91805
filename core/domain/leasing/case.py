"""A Polish lessor's application, from the offer to «Przekazanie do płatności» (seed 002: Wnioskowanie → Ocenianie
ryzyka → Podpisywanie → Weryfikowanie): its statuses, the one table of moves and who makes each, the consents
without which there is no application, the securities and what each needs, the documents each kind of client
brings, and the decision. Pure rules: the services load, call these, and write."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from core.domain.kernel import moves
from core.domain.kernel.errors import DomainError, InvalidInput
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.roles import Role
from core.domain.leasing.vocabulary import LEGAL_FORMS


class LeaseStatus(StrEnum):
    OFFER = "offer"  # Ofertowanie: the offer's versions, until the client accepts one
    DRAFT = "draft"  # Wniosek: the data completed, the consents given, the securities chosen, G2I fetched
    RISK_CHECK = "risk_check"  # Kompletacja dokumentów, weryfikacja danych, automat scoringowy
    ANALYSIS = "analysis"  # Ocena ryzyka: the analyst's
    CORRECTIONS = "corrections"  # Przekazanie do poprawek: back with sales
    MOTION = "motion"  # Wniosek ryzyka: the analyst's motion, waiting for the decision
    APPROVED = "approved"  # Decyzja pozytywna
    CONDITIONAL = "conditional"  # Decyzja warunkowa: conditions to meet before signing
    REFUSED = "refused"  # Decyzja negatywna (or the automaton's hard stop): final
    SIGNING = "signing"  # Podpisywanie: the contract generated, signed, its scan uploaded
    VERIFICATION = "verification"  # Weryfikowanie: Back Office checks each document
    TO_PAYMENT = "to_payment"  # Przekazanie do płatności → Uruchomienie: the vendor paid, the fees charged, the object
    # registered, insured and handed over
    ACTIVE = "active"  # Rozliczanie: instalments charged on their dates, payments, dunning, interest
    SUSPENDED = "suspended"  # zawieszona: no accruals, dunning or interest until it is resumed
    CLOSED = "closed"  # rozliczona: every line charged and paid; it closed itself (bought out: the ownership
    # transfer protocol and the wykup faktura went to the client by themselves, core.services.leasing.ending)
    TERMINATED = "terminated"  # rozwiązana przed terminem: the settlement charged (the principal left, the fee, the
    # interest to the day); it closes itself once paid (an early buyout), or the object comes back
    RETURNED = "returned"  # przedmiot zwrócony: the back office recorded the return with its protocol
    CANCELLED = "cancelled"  # withdrawn before the payment: final


class LeaseOfferStatus(StrEnum):
    """A version of the case's offer (lease_offers.status)."""

    DRAFT = "draft"  # calculated, not yet sent
    SENT = "sent"  # to the client, waiting for the answer
    ACCEPTED = "accepted"  # the client's: the case goes on to the application
    SUPERSEDED = "superseded"  # a newer version replaced it before it was accepted


#: the versions a new one replaces, and that may still be sent
OFFER_OPEN = frozenset({LeaseOfferStatus.DRAFT, LeaseOfferStatus.SENT})


class LeaseFileStatus(StrEnum):
    """A document of the case (lease_files.status): the back office's check of it."""

    SENT = "sent"  # waiting for the check
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # with a reason: sent again, it is replaced
    REPLACED = "replaced"  # the same kind was sent again: kept for the record, no longer the case's


class Actor(StrEnum):
    """Who may make a move, as the service resolves it against one application."""

    SALES = "sales"  # the application's salesperson
    CLIENT = "client"  # its client, in the bot (self care)
    RISK = "risk"  # an analyst
    BACK_OFFICE = "back_office"
    COLLECTIONS = "collections"  # windykacja: payments, dunning, suspension
    SYSTEM = "system"  # the scoring automaton, the scheduler's runs
    ADMIN = "admin"


S, A = LeaseStatus, Actor
_WORKS = frozenset({A.SALES, A.CLIENT})
#: the one table of legal moves: (from, to) -> who may make it
TRANSITIONS: dict[tuple[LeaseStatus, LeaseStatus], frozenset[Actor]] = {
    (S.OFFER, S.DRAFT): _WORKS,  # the client accepted an offer (in the bot, or the salesperson for them)
    (S.DRAFT, S.RISK_CHECK): _WORKS,  # filed: the consents and the data are checked first
    (S.RISK_CHECK, S.APPROVED): frozenset({A.SYSTEM}),  # the automaton's approval
    (S.RISK_CHECK, S.REFUSED): frozenset({A.SYSTEM}),  # a hard stop, or a score below the floor
    (S.RISK_CHECK, S.ANALYSIS): frozenset({A.SYSTEM, A.RISK}),
    (S.RISK_CHECK, S.CORRECTIONS): frozenset({A.RISK}),
    (S.ANALYSIS, S.CORRECTIONS): frozenset({A.RISK}),
    (S.CORRECTIONS, S.RISK_CHECK): _WORKS,
    (S.ANALYSIS, S.MOTION): frozenset({A.RISK}),
    (S.MOTION, S.ANALYSIS): frozenset({A.RISK}),  # the motion taken back
    (S.MOTION, S.APPROVED): frozenset({A.RISK}),
    (S.MOTION, S.CONDITIONAL): frozenset({A.RISK}),
    (S.MOTION, S.REFUSED): frozenset({A.RISK}),
    (S.APPROVED, S.SIGNING): frozenset({A.SALES}),
    (S.CONDITIONAL, S.SIGNING): frozenset({A.SALES}),  # once every condition is met
    (S.SIGNING, S.VERIFICATION): frozenset({A.SALES}),  # signed, the scan uploaded
    (S.VERIFICATION, S.SIGNING): frozenset({A.BACK_OFFICE}),  # a document rejected: back to sales
    (S.VERIFICATION, S.TO_PAYMENT): frozenset({A.BACK_OFFICE}),  # every document accepted
    (S.TO_PAYMENT, S.ACTIVE): frozenset({A.BACK_OFFICE}),  # the object handed over: the schedule from that day
    (S.ACTIVE, S.SUSPENDED): frozenset({A.BACK_OFFICE, A.COLLECTIONS}),
    (S.SUSPENDED, S.ACTIVE): frozenset({A.BACK_OFFICE, A.COLLECTIONS}),  # resumed: the skipped lines move later
    (S.ACTIVE, S.CLOSED): frozenset({A.SYSTEM}),  # settled: closes itself
    # --- the contract's end before its term (docs/leasing-end.md)
    (S.ACTIVE, S.TERMINATED): frozenset({A.BACK_OFFICE, A.ADMIN}),  # early termination with its settlement
    (S.SUSPENDED, S.TERMINATED): frozenset({A.BACK_OFFICE, A.ADMIN}),
    (S.TERMINATED, S.CLOSED): frozenset({A.SYSTEM}),  # the settlement paid: bought out early
    (S.TERMINATED, S.RETURNED): frozenset({A.BACK_OFFICE, A.ADMIN}),  # the object back, its protocol recorded
    (S.RETURNED, S.CLOSED): frozenset({A.SYSTEM}),  # what was still owed paid: the account closes
}
#: who launches a contract and sets its terms (the vendor's payment, the insurance, the handover, the late rate): the
#: capacity of whom the access rules give the back office's check (Permission.BACK_OFFICE_CHECK: the back office, an
#: admin)
LAUNCHERS = frozenset({A.BACK_OFFICE})
#: who keeps its books (payments, other charges, credit notes, suspension): the capacity of whom the access rules
#: give the books (Permission.LEASE_BOOKS: the back office, the collections team, an admin)
BOOKKEEPERS = frozenset({A.COLLECTIONS})
#: from the vendor's payment on, a contract runs: it is no longer cancelled, it is settled
RUNNING = frozenset({S.TO_PAYMENT, S.ACTIVE, S.SUSPENDED, S.TERMINATED, S.RETURNED, S.CLOSED})
#: the contract ended before its term and its account still open: payments are still booked to it
ENDING = frozenset({S.TERMINATED, S.RETURNED})
#: the moves into these raise core.domain.kernel.events.LeaseEnded (its documents are made by themselves)
ENDS = frozenset({S.CLOSED, S.TERMINATED, S.RETURNED})
_OPEN = [s for s in LeaseStatus if s not in RUNNING | {S.REFUSED, S.CANCELLED}]
TRANSITIONS.update({(s, S.CANCELLED): frozenset({A.SALES, A.CLIENT, A.ADMIN}) for s in _OPEN})

FINAL = frozenset({S.REFUSED, S.CLOSED, S.CANCELLED})
#: a new offer version may replace the application's offer only before the decision: after it, the decision
#: stands on the terms it was made on, and after signing the contract does
RECALCULABLE = frozenset({S.OFFER, S.DRAFT, S.ANALYSIS, S.CORRECTIONS})
#: the deal statuses of the pipeline «leasing», one per status, as the workspace shows them (the lessor is Polish)
SEED = ((S.OFFER, "Ofertowanie", "#5b8def"), (S.DRAFT, "Wniosek", "#6c8ebf"),
        (S.RISK_CHECK, "Weryfikacja i scoring", "#9673a6"), (S.ANALYSIS, "Ocena ryzyka", "#9673a6"),
        (S.CORRECTIONS, "Poprawki", "#d6b656"), (S.MOTION, "Wniosek ryzyka", "#9673a6"),
        (S.APPROVED, "Decyzja pozytywna", "#82b366"), (S.CONDITIONAL, "Decyzja warunkowa", "#d79b00"),
        (S.SIGNING, "Podpisywanie", "#6c8ebf"), (S.VERIFICATION, "Weryfikowanie", "#6c8ebf"),
        (S.TO_PAYMENT, "Uruchomienie", "#82b366"), (S.ACTIVE, "Rozliczanie", "#82b366"),
        (S.SUSPENDED, "Zawieszona", "#d79b00"), (S.CLOSED, "Rozliczona", "#999999"),
        (S.TERMINATED, "Rozwiązana przed terminem", "#b85450"), (S.RETURNED, "Przedmiot zwrócony", "#999999"),
        (S.REFUSED, "Decyzja negatywna", "#b85450"),
        (S.CANCELLED, "Anulowany", "#999999"))
#: the statuses that end the case in the workspace
SEED_FINAL = frozenset({S.REFUSED, S.CANCELLED, S.CLOSED})
#: moves that need a reason a person types
REASON_REQUIRED = frozenset({(S.RISK_CHECK, S.CORRECTIONS), (S.ANALYSIS, S.CORRECTIONS), (S.ANALYSIS, S.MOTION),
                             (S.MOTION, S.REFUSED),
                             (S.MOTION, S.CONDITIONAL), (S.MOTION, S.APPROVED), (S.VERIFICATION, S.SIGNING)})


#: the statuses in which a case is the analysts' to see (from the filing on), and the back office's (from the signing)
RISK_SEES = frozenset({S.RISK_CHECK, S.ANALYSIS, S.CORRECTIONS, S.MOTION, S.APPROVED, S.CONDITIONAL, S.REFUSED,
                       S.SIGNING, S.VERIFICATION, S.TO_PAYMENT})
BACK_OFFICE_SEES = frozenset({S.SIGNING, S.VERIFICATION, *RUNNING})
COLLECTIONS_SEES = frozenset({S.TO_PAYMENT, S.ACTIVE, S.SUSPENDED, S.CLOSED, *ENDING})  # a payment may come early


def actors_for(*, roles: Iterable[str], user_id: int, sales_id: int, client_user_id: int | None, status: LeaseStatus,
               heads: bool = False, checks: bool = False, books: bool = False) -> set[Actor]:
    """The capacities in which ``user_id`` stands towards one case; none: it is not theirs to see (another
    salesperson's case, an analyst's before the filing, the back office's before the signing). ``roles``: every
    role the person holds; ``heads``: whether they head the team of the case's salesperson (they work it as the
    salesperson does); ``checks`` and ``books``: whether the access rules give them the back office's check
    (Permission.BACK_OFFICE_CHECK) and the books (Permission.LEASE_BOOKS) on this case."""
    roles = {Role(r) for r in roles}
    actors: set[Actor] = set()
    if Role.ADMIN in roles:
        actors.add(A.ADMIN)
    if (user_id == sales_id and roles & {Role.SALES, Role.ADMIN}) or heads:
        actors.add(A.SALES)
    if client_user_id is not None and user_id == client_user_id:
        actors.add(A.CLIENT)
    if Role.RISK in roles and status in RISK_SEES:
        actors.add(A.RISK)
    if checks and status in BACK_OFFICE_SEES:
        actors.add(A.BACK_OFFICE)
    if books and status in COLLECTIONS_SEES:
        actors.add(A.COLLECTIONS)
    return actors


def contract_number(deal_id: int) -> str:
    """A contract's number: its case's, the one number the chat, the contract, the fakturas, the letters and the
    transfers' titles use («umowa nr 55»; an offer's PDF adds its version: «55-2»)."""
    return str(deal_id)


def check_transition(current: LeaseStatus, target: LeaseStatus, actors: set[Actor]) -> None:
    moves.check(TRANSITIONS, current, target, actors, "lease_move_forbidden", "lease_status.")


def allowed_targets(current: LeaseStatus, actors: set[Actor]) -> list[LeaseStatus]:
    return moves.targets(TRANSITIONS, current, actors)


def check_recalculable(current: LeaseStatus) -> None:
    if current not in RECALCULABLE:
        raise LeaseLocked("lease_recalc_locked", status=current.value)


class LeaseLocked(DomainError):
    """The application is past the point where this may change."""


# --- consents (Zgody) -----------------------------------------------------------------------------------------

class Consent(StrEnum):
    DATA = "data"  # przetwarzanie danych osobowych
    BUREAUS = "bureaus"  # zapytania do BIK / BIG
    ELECTRONIC = "electronic"  # komunikacja elektroniczna
    MARKETING = "marketing"  # optional


REQUIRED_CONSENTS = frozenset({Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC})
#: the version of each consent's text; a new text gets a new version and the old grants stay what they were
CONSENT_VERSION = "2026-12"


class ConsentsMissing(DomainError):
    key = "lease_consents"
    names = "consent."  # ``missing`` holds consent codes


def check_consents(given: set[Consent]) -> None:
    missing = REQUIRED_CONSENTS - given
    if missing:
        raise ConsentsMissing(missing=tuple(sorted(missing)))


# --- securities (Zabezpieczenia) ------------------------------------------------------------------------------

class Security(StrEnum):
    PROMISSORY_NOTE = "promissory_note"  # weksel in blanco z deklaracją wekslową
    SURETY = "surety"  # poręczenie
    POLICY_ASSIGNMENT = "policy_assignment"  # cesja praw z polisy
    DEPOSIT = "deposit"  # kaucja


@dataclass(frozen=True)
class SecurityNeeds:
    documents: tuple[str, ...]  # the document kinds it brings (see DocKind)
    surety_id: bool = False  # a surety names the guarantor (their PESEL or NIP)
    amount: bool = False  # a deposit has an amount


SECURITY_NEEDS: dict[Security, SecurityNeeds] = {
    Security.PROMISSORY_NOTE: SecurityNeeds(("promissory_note", "note_declaration")),
    Security.SURETY: SecurityNeeds(("surety_agreement",), surety_id=True),
    Security.POLICY_ASSIGNMENT: SecurityNeeds(("insurance_policy", "assignment_agreement")),
    Security.DEPOSIT: SecurityNeeds(("deposit_confirmation",), amount=True),
}


# --- the client and the documents it brings (Kompletacja dokumentów) -----------------------------------------

class ClientKind(StrEnum):
    COMPANY = "company"  # spółka: NIP, REGON, KRS
    SOLE_TRADER = "sole_trader"  # JDG: NIP, REGON, PESEL
    PERSON = "person"  # konsument: PESEL


#: the documents the risk check requires of each kind of client (a security adds its own)
CHECKLIST: dict[ClientKind, tuple[str, ...]] = {
    ClientKind.COMPANY: ("id_card", "financial_statements", "krs_extract", "tax_certificate"),
    ClientKind.SOLE_TRADER: ("id_card", "tax_return", "ceidg_extract", "tax_certificate"),
    ClientKind.PERSON: ("id_card", "income_proof"),
}
#: the signed contract's scan (Wskanowanie umowy do systemu): the signing's own file
SIGNED_SCAN = "contract_signed"
#: a file may be sent while the case is worked; not at «Ofertowanie» (no application yet), not while the back office
#: checks the set, not once it ended
FILES_OPEN = frozenset({S.DRAFT, S.RISK_CHECK, S.ANALYSIS, S.CORRECTIONS, S.MOTION, S.APPROVED, S.CONDITIONAL,
                        S.SIGNING})


def required_documents(kind: ClientKind, securities: set[Security]) -> tuple[str, ...]:
    extra = [doc for s in sorted(securities) for doc in SECURITY_NEEDS[s].documents]
    return (*CHECKLIST[kind], *extra)


def missing_documents(kind: ClientKind, securities: set[Security], present: set[str]) -> list[str]:
    return [doc for doc in required_documents(kind, securities) if doc not in present]


def file_kinds(kind: ClientKind, securities: set[Security]) -> tuple[str, ...]:
    """Every kind of file the case takes: the checklist's, the securities', the signed scan."""
    return (*required_documents(kind, securities), SIGNED_SCAN)


def check_file_kind(kind: ClientKind, securities: set[Security], file_kind: str, status: LeaseStatus) -> None:
    if status not in FILES_OPEN:
        raise LeaseLocked("lease_application_locked", status=status.value)
    if file_kind not in file_kinds(kind, securities):
        raise InvalidInput("stale_button")
    if file_kind == SIGNED_SCAN and status != S.SIGNING:
        raise InvalidInput("lease_scan_at_signing")


def auto_check(required: tuple[str, ...], files: dict[str, str], *, contract_offer_id: int | None,
               offer_id: int | None) -> list[tuple[str, str]]:
    """The back office's automatic check of the set (Automatyczne sprawdzenie każdego z dokumentów): each required
    file present and not rejected, the signed scan present, the contract generated from the version the client
    accepted (its amounts are that version's). Each problem as (what, which)."""
    problems = [("missing", doc) for doc in (*required, SIGNED_SCAN) if doc not in files]
    problems += [("rejected", doc) for doc, status in files.items() if status == LeaseFileStatus.REJECTED]
    if contract_offer_id is None:
        problems.append(("no_contract", ""))
    elif contract_offer_id != offer_id:
        problems.append(("amounts", ""))
    return problems


_LEGAL_FORMS = LEGAL_FORMS


def _name_key(name: str | None) -> str:
    text = (name or "").casefold()
    for long, short in _LEGAL_FORMS:
        text = text.replace(long, short)
    return "".join(ch for ch in text if ch.isalnum())


def data_mismatches(ours: dict[str, str | None], registry: dict[str, str | None]) -> list[str]:
    """«Weryfikacja danych Klienta»: the fields of the client's card that differ from what the registry gave
    (a name compared without case, punctuation and the legal form's spelling; a field the registry left empty is
    not compared)."""
    wrong = []
    for field, value in ours.items():
        theirs = registry.get(field)
        if not theirs or not value:
            continue
        same = _name_key(value) == _name_key(theirs) if field == "name" else value == theirs
        if not same:
            wrong.append(field)
    return wrong


def check_identifiers(kind: ClientKind, *, nip: str | None, regon: str | None, krs: str | None,
                      pesel: str | None) -> None:
    """What each kind of client must be identified by (checked for their check digits elsewhere)."""
    needed = {ClientKind.COMPANY: {"nip": nip, "regon": regon, "krs": krs},
              ClientKind.SOLE_TRADER: {"nip": nip, "pesel": pesel},
              ClientKind.PERSON: {"pesel": pesel}}[kind]
    missing = [name.upper() for name, value in needed.items() if not value]
    if missing:
        raise InvalidInput("lease_ids_missing", missing=", ".join(missing))


# --- the decision -------------------------------------------------------------------------------------------

DECISIONS = {S.APPROVED: "positive", S.CONDITIONAL: "conditional", S.REFUSED: "negative"}
#: the analyst's moves, each from its buttons (the decisions need the motion first)
RISK_MOVES = (S.ANALYSIS, S.CORRECTIONS, S.MOTION, S.APPROVED, S.CONDITIONAL, S.REFUSED)
MAX_CONDITIONS = 10
MAX_REASON = 2000
MAX_CONDITION = 512  # lease_conditions.text


def parse_decision(target: LeaseStatus, text: str) -> tuple[str, list[str]]:
    """The decision's reason, and for a conditional one its conditions after «|», separated by «;»:
    «Dobra historia | poręczenie prezesa; polisa z cesją»."""
    reason, _, rest = (text or "").partition("|")
    conditions = [c.strip() for c in rest.split(";") if c.strip()]
    if not reason.strip():
        raise InvalidInput("lease_reason_required")
    if target == S.CONDITIONAL and not 1 <= len(conditions) <= MAX_CONDITIONS:
        raise InvalidInput("lease_conditions_format", max=MAX_CONDITIONS)
    if target != S.CONDITIONAL and conditions:
        raise InvalidInput("lease_conditions_only_conditional")
    # refused when too long, never cut: the reason goes into notices, a condition onto the contract
    return clean_text(reason, max_len=MAX_REASON), [clean_text(c, max_len=MAX_CONDITION) for c in conditions]


class ConditionsOpen(DomainError):
    key = "lease_conditions_open"


def check_conditions_met(open_conditions: list[str]) -> None:
    if open_conditions:
        raise ConditionsOpen(conditions="; ".join(open_conditions))
