"""The statement import as it was on main before issue 29 (the reference read by one regular expression, no payer's
account, no amount, no typed payments; the receipts booked and allocated at once), kept here only so that
bench.lease_books can measure today's path and the new matcher side by side on the same data. Not used by the
application."""

from __future__ import annotations

import re
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Conflict, Forbidden
from core.domain.kernel.notices import LeaseReceiptBooked
from core.domain.kernel.roles import BOOKS_STAFF
from core.domain.leasing import bank_statement, books
from core.domain.leasing.books import ReceiptKind
from core.domain.leasing.case import LeaseStatus
from core.services.kernel.config import CoreConfig
from core.services.leasing.books.closing import _close_if_settled
from core.services.leasing.books.interest import _correct_interest
from core.services.leasing.books.ledger import ZERO, _allocate_many, money_text, today
from core.services.leasing.books.payments import RECEIVES, Entry

_CONTRACT = re.compile(r"(?<![\d-])(\d{1,9})-(\d{1,3})(?![\d-])")


def contract_of(title: str) -> int | None:
    match = _CONTRACT.search(title or "")
    return int(match[1]) if match else None


async def import_statement(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, file_name: str | None, content: bytes
                           ) -> tuple[int, int]:
    """main's import_statement: (booked, kept aside)."""
    async with uow:
        user = await uow.users.get(actor_id)
        if user is None or user.role not in BOOKS_STAFF:
            raise Forbidden()
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
        refs = {x.n: contract_of(x.title) for x, _ in keyed}
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
        return booked, unmatched


async def _book_many(uow: UnitOfWork, cfg: CoreConfig, entries: list[Entry], source: str, actor_id: int | None
                     ) -> dict[int, tuple[Decimal, Decimal, bool]]:
    day, now = today(uow, cfg), uow.clock.now()
    await uow.books.insert_many(m.LeaseReceipt, [
        {"deal_id": e.case.deal_id, "kind": e.kind.value, "key": e.key, "amount": e.amount, "paid_on": e.paid_on,
         "source": source, "reference": e.reference, "created_by": actor_id, "created_at": now, "spent_on": None}
        for e in entries])
    cases = {e.case.deal_id: e.case for e in entries}
    deals = sorted(cases)
    await _allocate_many(uow, deals, day)
    earliest: dict[int, Entry] = {}
    for e in entries:
        if e.case.deal_id not in earliest or e.paid_on < earliest[e.case.deal_id].paid_on:
            earliest[e.case.deal_id] = e
    through = await uow.books.interest_through_of(deals)
    backdated = {d: e for d, e in earliest.items() if d in through and e.paid_on <= through[d]}
    ids = await uow.books.receipt_ids([e.key for e in backdated.values()])
    corrected = {d: await _correct_interest(uow, cases[d], e.client, through[d], day, ids[e.key])
                 for d, e in backdated.items()}
    closed = {d for d in await uow.books.without_lines_left(deals)
              if await _close_if_settled(uow, cfg, cases[d], day)}
    balances = await uow.books.balances(deals)
    await uow.books.insert_many(m.AuditLog, [
        {"entity": "lease", "entity_id": e.case.deal_id, "actor_id": actor_id, "action": f"receipt_{e.kind.value}",
         "from_status": None, "to_status": None, "comment": f"{money_text(e.amount)} {e.paid_on}", "created_at": now}
        for e in entries])
    await uow.books.insert_many(m.FeedItem, [
        {"deal_id": e.case.deal_id, "author_id": actor_id, "kind": "lease", "created_at": now,
         "text": f"Wpłata {money_text(e.amount)} {e.case.currency} z {e.paid_on.isoformat()}"}
        for e in entries])
    told = [e for e in entries if e.client.user_id is not None and e.client.user_id != actor_id]
    await uow.books.insert_many(m.Outbox, [
        {"user_id": e.client.user_id, "kind": LeaseReceiptBooked.kind.value, "status": "pending", "attempts": 0,
         "not_before": now, "created_at": now,
         "payload": LeaseReceiptBooked(deal_id=e.case.deal_id, amount=money_text(e.amount), currency=e.case.currency,
                                       paid_on=e.paid_on.isoformat(), balance=money_text(balances[e.case.deal_id])
                                       ).data()} for e in told])
    if told:
        uow.outbox.written = True
    return {d: (balances[d], corrected.get(d, ZERO), d in closed) for d in deals}
