"""A bank statement imported (MT940 or CSV): each line booked once to the contract it pays, found by the reference
in its title, else by the payer's account among the clients' accounts, else by its amount among that client's
open charges; a payment typed by hand before is matched to its line (never booked twice); the rest kept aside for
the back office, who can assign a line to a contract in the chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import feed as said
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput
from core.domain.kernel.permissions import Area, Permission, ensure
from core.domain.leasing import bank_statement, books
from core.domain.leasing.books import ReceiptKind
from core.domain.leasing.case import LeaseStatus
from core.services.kernel import access
from core.services.kernel.config import CoreConfig
from core.services.leasing.books.ledger import ZERO, money_text, today
from core.services.leasing.books.payments import RECEIVES, Booked, Entry, _book_many

#: a typed payment and its statement line: the same contract and amount, value dates this many days apart at most
TYPED_WINDOW = timedelta(days=5)


@dataclass(frozen=True)
class Imported:
    statement: m.LeaseStatement
    booked: int
    unmatched: int
    skipped: int  # money out, and lines another statement already brought
    by_account: int = 0  # of the booked: found by the payer's account (and the amount), not by the title
    typed: int = 0  # lines that were payments typed by hand before: matched to them, not booked again


async def _staff(uow: UnitOfWork, actor_id: int) -> m.User:
    """The person, if the access rules give them the books (Permission.LEASE_BOOKS)."""
    user = await uow.users.get(actor_id)
    if user is None:
        raise Forbidden()
    ensure(await access.actor(uow, actor_id, user), Area.LEASING, Permission.LEASE_BOOKS)
    return user


def _by_amount(amount: Decimal, cases: list[m.LeaseCase], owed: dict[int, list[books.Owed]]) -> m.LeaseCase | None:
    """Among one client's contracts, the only one the amount pays: an open charge of exactly it, else all it owes."""
    for fits in (lambda d: any(o.left == amount for o in owed.get(d, ())),
                 lambda d: sum((o.left for o in owed.get(d, ())), ZERO) == amount):
        found = [c for c in cases if fits(c.deal_id)]
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


async def import_statement(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, file_name: str | None, content: bytes
                           ) -> Imported:
    """A bank statement (MT940 or CSV): each incoming line is matched to its contract — by the reference in the
    title (core.domain.leasing.bank_statement.references: «umowa 55-1», never «Rata 1-12»), else by the payer's
    account (the client's card, or an account learned from a line assigned before), else, when that client has
    several contracts, by the amount among their open charges — and booked and allocated as a payment by hand
    would be. A payment typed by hand before is matched to its line and not booked again. A line for an unknown or
    closed contract, or in another currency, is kept aside; the same statement again (or a line another one
    brought) adds nothing."""
    async with uow:
        ensure(await access.actor(uow, actor_id), Area.LEASING, Permission.LEASE_BOOKS)
        digest = bank_statement.digest(content)
        before = await uow.books.statement(digest)
        if before is not None:
            raise Conflict("lease_statement_twice", day=before.imported_at.date(), lines=before.lines)
        lines = bank_statement.parse(content)
        statement = uow.add(m.LeaseStatement(digest=digest, file_name=(file_name or "")[:256] or None,
                                             lines=len(lines), booked=0, imported_by=actor_id,
                                             imported_at=uow.clock.now()))
        await uow.flush()
        keyed = [(x, k) for x, k in bank_statement.keyed(lines) if x.amount > 0]
        present = set()
        for i in range(0, len(keyed), 500):
            present |= await uow.books.keys_present([k for _, k in keyed[i:i + 500]])
        fresh = [(x, k) for x, k in keyed if k not in present]
        day = today(uow, cfg)
        chosen, ambiguous, by_account = await _match(uow, fresh)
        # locked (in the order of their ids), so a payment typed meanwhile waits and is allocated after these
        cases = await uow.books.cases_by_id(sorted({c.deal_id for c in chosen.values()}), lock=True)
        typed = await _typed(uow, [(x, k, cases[chosen[x.n].deal_id]) for x, k in fresh if x.n in chosen])
        clients: dict[int, m.Client] = {}
        entries: list[Entry] = []
        unmatched = 0
        for line, key in fresh:
            if key in typed:
                continue
            case = cases.get(chosen[line.n].deal_id) if line.n in chosen else None
            problem = None
            if case is None:
                problem = "ambiguous" if line.n in ambiguous else "unknown_contract"
            elif case.status == LeaseStatus.CLOSED:
                problem = "closed_contract"
            elif case.status not in RECEIVES:
                problem = "not_running"
            elif line.currency and line.currency != case.currency:
                problem = "currency"
            elif line.paid_on > day:
                problem = "future"
            if problem:
                uow.add(m.LeaseStatementLine(statement_id=statement.id, n=line.n, amount=line.amount,
                                             currency=line.currency, paid_on=line.paid_on,
                                             reference=line.title[:256], problem=problem, account=line.account,
                                             key=key))
                unmatched += 1
                continue
            if case.client_id not in clients:
                clients[case.client_id] = await uow.clients.get(case.client_id)
            entries.append(Entry(case, clients[case.client_id], ReceiptKind.PAYMENT, key, line.amount, line.paid_on,
                                 line.title[:256], line.account))
        if entries:
            await _book_many(uow, cfg, entries, "statement", actor_id)
        booked = statement.booked = len(entries)
        accounted = sum(1 for e in entries if e.key in by_account)
        uow.audit.record(entity="lease_statement", entity_id=statement.id, actor_id=actor_id, action="import",
                         comment=f"{len(lines)} lines, {booked} booked ({accounted} by account), {len(typed)} "
                                 f"typed before, {unmatched} aside")
        await uow.commit()
        return Imported(statement, booked, unmatched, len(lines) - booked - unmatched - len(typed), accounted,
                        len(typed))


async def _match(uow: UnitOfWork, fresh: list[tuple[bank_statement.StatementLine, str]]
                 ) -> tuple[dict[int, m.LeaseCase], set[int], set[str]]:
    """Each line's contract (by its place in the file): by the reference, else by the payer's account, else by the
    amount among that client's contracts' open charges. Also the lines whose account named a client with several
    contracts the amount could not tell apart, and the keys of the lines found by account."""
    lines = [x for x, _ in fresh]
    keys = {x.n: k for x, k in fresh}
    refs = {x.n: bank_statement.references(x.title) for x in lines}
    named = await uow.books.cases_by_id(sorted({r.case for rs in refs.values() for r in rs}))
    versions = await uow.books.accepted_versions(list(named)) if named else {}
    chosen: dict[int, m.LeaseCase] = {}
    rest = []
    for x in lines:
        ref = bank_statement.pick(refs[x.n], lambda case, version: 1 <= (version or 1) <= versions.get(case, 0))
        if ref is not None:
            chosen[x.n] = named[ref.case]
        else:
            rest.append(x)
    ambiguous: set[int] = set()
    by_account: set[str] = set()
    with_account = [x for x in rest if x.account]
    if not with_account:
        return chosen, ambiguous, by_account
    owners = await uow.books.clients_by_account([x.account for x in with_account])
    of_clients = await uow.books.cases_of_clients(sorted({c for ids in owners.values() for c in ids}))
    candidates = {x.n: [c for cid in sorted(owners.get(x.account, ())) for c in of_clients.get(cid, ())
                        if c.status in RECEIVES] for x in with_account}
    several = sorted({c.deal_id for cs in candidates.values() if len(cs) > 1 for c in cs})
    owed = await uow.books.owed_of(several) if several else {}
    for x in with_account:
        found = candidates[x.n]
        case = found[0] if len(found) == 1 else _by_amount(x.amount, found, owed) if found else None
        if case is not None:
            chosen[x.n] = case
            by_account.add(keys[x.n])
        elif found:
            ambiguous.add(x.n)
    return chosen, ambiguous, by_account


async def _typed(uow: UnitOfWork, found: list[tuple[bank_statement.StatementLine, str, m.LeaseCase]]) -> set[str]:
    """Payments typed by hand that the statement now brings: each matched to its line (the same contract and
    amount, the nearest value date within TYPED_WINDOW), so the line is not booked again. The lines' keys."""
    if not found:
        return set()
    since = min(x.paid_on for x, _, _ in found) - TYPED_WINDOW
    waiting: dict[tuple[int, Decimal], list[m.LeaseReceipt]] = {}
    for r in await uow.books.typed_unmatched(sorted({c.deal_id for _, _, c in found}), since):
        waiting.setdefault((r.deal_id, r.amount), []).append(r)
    matched: set[str] = set()
    if not waiting:
        return matched
    for line, key, case in found:
        pool = waiting.get((case.deal_id, line.amount))
        near = [r for r in pool or () if abs(r.paid_on - line.paid_on) <= TYPED_WINDOW]
        if not near:
            continue
        receipt = min(near, key=lambda r: (abs(r.paid_on - line.paid_on), r.id))
        pool.remove(receipt)
        receipt.line_key = key
        receipt.account = receipt.account or line.account
        uow.feed.tell(case.deal_id, None, said.ReceiptFound(amount=receipt.amount, currency=case.currency,
                                                            paid_on=receipt.paid_on, line=line.n))
        matched.add(key)
    return matched


async def unmatched(uow: UnitOfWork, actor_id: int) -> list[m.LeaseStatementLine]:
    async with uow:
        ensure(await access.actor(uow, actor_id), Area.LEASING, Permission.LEASE_BOOKS)
        return await uow.books.unmatched()


async def assign_line(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, line_id: int, text: str) -> Booked:
    """A line kept aside assigned to a contract by the back office or the collections team in the chat (the
    contract's number «55-1», or «55»): booked as if the statement had matched it (the line's key, so the statement
    again never books it twice), audited; the payer's account learned for the client, so the next statement finds
    it by itself."""
    deal_id = _contract_typed(text)
    async with uow:
        await _staff(uow, actor_id)
        line = await uow.books.statement_line(line_id, lock=True)
        if line is None:
            raise InvalidInput("stale_button")
        if line.deal_id is not None:
            raise Conflict("books_match.line_assigned", id=line.deal_id)
        case = (await uow.books.cases_by_id([deal_id], lock=True)).get(deal_id)
        if case is None:
            raise InvalidInput("books_match.no_contract", number=text.strip()[:20])
        if case.status == LeaseStatus.CLOSED:
            raise Conflict("lease_contract_closed")
        if case.status not in RECEIVES:
            raise Conflict("lease_not_running")
        books.check_currency(line.currency, case.currency)
        if line.paid_on > today(uow, cfg):
            raise InvalidInput("lease_paid_in_future", day=line.paid_on)
        key = line.key or f"stline:{line.id}"
        if await uow.books.keys_present([key]):
            raise Conflict("lease_receipt_twice")
        client = await uow.clients.get(case.client_id)
        done = await _book_many(uow, cfg, [Entry(case, client, ReceiptKind.PAYMENT, key, line.amount, line.paid_on,
                                                 (line.reference or "")[:256], line.account)], "statement", actor_id)
        line.deal_id, line.assigned_by, line.assigned_at = deal_id, actor_id, uow.clock.now()
        if line.account:
            await uow.books.learn_account(case.client_id, line.account, "assigned")
        uow.audit.record(entity="lease_statement", entity_id=line.statement_id, actor_id=actor_id,
                         action="assign_line", comment=f"line {line.n} ({money_text(line.amount)}) to {deal_id}")
        balance, corrected, closed = done[deal_id]
        receipt = await uow.books.receipt_by_key(key)
        await uow.commit()
        return Booked(receipt, balance, corrected, closed, case.currency)


def _contract_typed(text: str) -> int:
    """«55-1», «umowa 55-1» or «55»: the contract's case."""
    refs = bank_statement.references(text or "")
    if refs:
        return refs[0].case
    raw = (text or "").strip()
    if raw.isdigit() and len(raw) <= 9:
        return int(raw)
    raise InvalidInput("books_match.contract_format")
