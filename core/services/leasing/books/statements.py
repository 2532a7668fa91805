"""A bank statement imported (MT940 or CSV): each line booked once to the contract its title names, the rest kept as
unmatched for the back office."""

from __future__ import annotations

from dataclasses import dataclass

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Conflict
from core.domain.kernel.permissions import Area, Permission, ensure
from core.domain.leasing import bank_statement, books
from core.domain.leasing.books import ReceiptKind
from core.domain.leasing.case import LeaseStatus
from core.services.kernel import access
from core.services.kernel.config import CoreConfig
from core.services.leasing.books.ledger import today
from core.services.leasing.books.payments import RECEIVES, Entry, _book_many


@dataclass(frozen=True)
class Imported:
    statement: m.LeaseStatement
    booked: int
    unmatched: int
    skipped: int  # money out, and lines another statement already brought


async def import_statement(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, file_name: str | None, content: bytes
                           ) -> Imported:
    """A bank statement (MT940 or CSV): each incoming line names its contract by number in the title (or comes from
    the client's account); booked and allocated as a payment by hand would be. A line for an unknown or closed
    contract, or in another currency, is kept aside for the collections team; the same statement again (or a line
    another one brought) adds nothing."""
    async with uow:
        ensure(await access.actor(uow, actor_id), Area.LEASING, Permission.LEASE_BOOKS)
        digest = bank_statement.digest(content)
        before = await uow.books.statement(digest)
        if before is not None:
            raise Conflict("lease_statement_twice", day=books.day_text(before.imported_at.date()), lines=before.lines)
        lines = bank_statement.parse(content)
        statement = uow.add(m.LeaseStatement(digest=digest, file_name=(file_name or "")[:256] or None,
                                             lines=len(lines), booked=0, imported_by=actor_id,
                                             imported_at=uow.clock.now()))
        await uow.flush()
        keyed = [(x, k) for x, k in bank_statement.keyed(lines) if x.amount > 0]
        present = set()
        for i in range(0, len(keyed), 500):
            present |= await uow.books.keys_present([k for _, k in keyed[i:i + 500]])
        day = today(uow, cfg)
        refs = {x.n: bank_statement.contract_of(x.title) for x, _ in keyed}
        # locked (in the order of their ids), so a payment typed meanwhile waits and is allocated after these
        cases = await uow.books.cases_by_id(sorted({r for r in refs.values() if r is not None}), lock=True)
        clients: dict[int, m.Client] = {}
        entries: list[Entry] = []
        unmatched = 0
        for line, key in keyed:
            if key in present:
                continue
            case = cases.get(refs[line.n])
            problem = None
            if case is None:
                problem = "unknown_contract"
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
                                             reference=line.title[:256], problem=problem))
                unmatched += 1
                continue
            if case.client_id not in clients:
                clients[case.client_id] = await uow.clients.get(case.client_id)
            entries.append(Entry(case, clients[case.client_id], ReceiptKind.PAYMENT, key, line.amount, line.paid_on,
                                 line.title[:256]))
            present.add(key)
        if entries:
            await _book_many(uow, cfg, entries, "statement", actor_id)
        booked = statement.booked = len(entries)
        uow.audit.record(entity="lease_statement", entity_id=statement.id, actor_id=actor_id, action="import",
                         comment=f"{len(lines)} lines, {booked} booked, {unmatched} aside")
        await uow.commit()
        return Imported(statement, booked, unmatched, len(lines) - booked - unmatched)


async def unmatched(uow: UnitOfWork, actor_id: int) -> list[m.LeaseStatementLine]:
    async with uow:
        ensure(await access.actor(uow, actor_id), Area.LEASING, Permission.LEASE_BOOKS)
        return await uow.books.unmatched()
