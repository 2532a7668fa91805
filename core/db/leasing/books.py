"""The statements of a running contract's books (seed 002, Rozliczanie): the schedule's versions, the ledger
(charges, receipts, allocations: only appended to), invoice numbers in their series, the runs done, statements,
dunning, the admins' tables. The scheduled runs are set-based: one INSERT … SELECT per step, made once by unique
keys (a charge per contract and line, a run per job and day), so a second scheduler or a rerun adds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, and_, func, insert, literal, or_, select, update

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo
from core.db.kernel.tasks import _json
from core.db.kernel.types import UTCDateTime
from core.db.kernel.upserts import insert as upsert
from core.domain.kernel.notices import Notice
from core.domain.kernel.tasks import OutboxStatus
from core.domain.leasing.books import BEARS_INTEREST, INVOICED, INVOICED_AHEAD, ChargeKind, Owed, invoiced_through
from core.domain.leasing.case import LeaseStatus

_INVOICED = sorted(k.value for k in INVOICED)
_AHEAD = sorted(k.value for k in INVOICED_AHEAD)


@dataclass(frozen=True)
class OpenCharge:
    charge: m.LeaseCharge
    allocated: Decimal

    @property
    def left(self) -> Decimal:
        return self.charge.gross - self.allocated


class LeaseBooksRepo(Repo):
    @property
    def _pg(self) -> bool:
        return self.session.bind.dialect.name == "postgresql"

    def _insert(self, table):
        return upsert(self.session.bind.dialect.name, table)

    # --- the runs ---------------------------------------------------------------------------------------------
    async def claim_run(self, job: str, day: date) -> bool:
        """The run of ``job`` for ``day`` is this transaction's; False when it was done (or is being done: on
        PostgreSQL a second scheduler waits here for the first to commit, then finds the row)."""
        stmt = self._insert(m.LeaseRun).values(job=job, day=day, count=0, done_at=self.now())
        return bool((await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["job", "day"])))
                    .rowcount)

    async def finish_run(self, job: str, day: date, count: int) -> None:
        await self.session.execute(update(m.LeaseRun).where(m.LeaseRun.job == job, m.LeaseRun.day == day)
                                   .values(count=count))

    async def last_run(self, job: str, before: date) -> date | None:
        return await self.session.scalar(select(func.max(m.LeaseRun.day)).where(
            m.LeaseRun.job == job, m.LeaseRun.day < before))

    # --- the schedule -----------------------------------------------------------------------------------------
    async def lines(self, deal_id: int, version: int) -> list[m.LeaseScheduleLine]:
        return list((await self.session.scalars(select(m.LeaseScheduleLine).where(
            m.LeaseScheduleLine.deal_id == deal_id, m.LeaseScheduleLine.version == version)
            .order_by(m.LeaseScheduleLine.due, m.LeaseScheduleLine.n))).all())

    async def schedules(self, deal_id: int) -> list[m.LeaseSchedule]:
        return list((await self.session.scalars(select(m.LeaseSchedule).where(m.LeaseSchedule.deal_id == deal_id)
                                                .order_by(m.LeaseSchedule.version))).all())

    async def lines_left(self, deal_id: int, version: int) -> int:
        """The lines of the schedule in force not yet charged."""
        line, charge = m.LeaseScheduleLine, m.LeaseCharge
        return await self.session.scalar(select(func.count()).select_from(line).where(
            line.deal_id == deal_id, line.version == version,
            ~select(charge.id).where(charge.deal_id == deal_id, charge.key == line.key).exists()))

    async def balance(self, deal_id: int) -> Decimal:
        """Charges less receipts: derived from the ledger, never stored."""
        charged = await self.session.scalar(select(func.coalesce(func.sum(m.LeaseCharge.gross), 0)).where(
            m.LeaseCharge.deal_id == deal_id))
        received = await self.session.scalar(select(func.coalesce(func.sum(m.LeaseReceipt.amount), 0)).where(
            m.LeaseReceipt.deal_id == deal_id))
        return charged - received

    async def charged_keys(self, deal_id: int) -> set[str]:
        return set((await self.session.scalars(select(m.LeaseCharge.key).where(m.LeaseCharge.deal_id == deal_id)))
                   .all())

    # --- accrual ----------------------------------------------------------------------------------------------
    async def accrue(self, after: date | None, today: date, deal_id: int | None = None, *, lead_days: int = 0
                     ) -> int:
        """Every line of a running contract's schedule in force whose day to be charged has come since ``after``
        becomes a charge booked ``today`` (its faktura's day), in one INSERT … SELECT: a line due in (``after``,
        ``today``], and an instalment due up to ``lead_days`` later (core.domain.leasing.books.invoice_day; never
        before the contract's start, the handover). A line charged before is left (the unique key), so a horizon
        moved or a run repeated charges nothing twice. The number of charges added."""
        line, case = m.LeaseScheduleLine, m.LeaseCase
        now = literal(self.now(), UTCDateTime())
        due_by = or_(line.due <= today, and_(line.kind.in_(_AHEAD),
                                             line.due <= invoiced_through(ChargeKind.INSTALMENT, today, lead_days)))
        source = (select(line.deal_id, line.kind, line.key, line.net, line.vat, line.gross, line.due,
                         literal(today, Date()), now)
                  .join(case, and_(case.deal_id == line.deal_id, case.schedule_version == line.version))
                  .where(case.status == LeaseStatus.ACTIVE.value, due_by,
                         or_(case.handed_over_on.is_(None), case.handed_over_on <= today)))
        if after is not None:
            source = source.where(line.due > after)
        if deal_id is not None:
            source = source.where(line.deal_id == deal_id)
        stmt = self._insert(m.LeaseCharge).from_select(
            ["deal_id", "kind", "key", "net", "vat", "gross", "due", "booked_on", "created_at"], source)
        return (await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["deal_id", "key"]))).rowcount

    async def number_invoices(self, series: str, issued_on: date, deal_id: int | None = None) -> tuple[int, int]:
        """Every invoiced charge booked on ``issued_on`` without its faktura gets one, numbered on from the series'
        last in the order the charges were booked; the series' row is locked meanwhile. (first number, count)."""
        last = await self._lock_series(series)
        charge, invoice = m.LeaseCharge, m.LeaseInvoice
        source = (select(charge.deal_id, charge.id, literal(series),
                         literal(last) + func.row_number().over(order_by=charge.id), literal(issued_on, Date()))
                  .where(charge.booked_on == issued_on, charge.kind.in_(_INVOICED),
                         ~select(invoice.id).where(invoice.charge_id == charge.id).exists()))
        if deal_id is not None:
            source = source.where(charge.deal_id == deal_id)
        count = (await self.session.execute(self._insert(invoice).from_select(
            ["deal_id", "charge_id", "series", "seq", "issued_on"], source))).rowcount
        if count:
            await self._advance_series(series, last + count)
        return last + 1, count

    async def correction_number(self, series: str, deal_id: int, receipt_id: int, issued_on: date
                                ) -> m.LeaseInvoice:
        last = await self._lock_series(series)
        row = self.add(m.LeaseInvoice(deal_id=deal_id, receipt_id=receipt_id, series=series, seq=last + 1,
                                      issued_on=issued_on))
        await self._advance_series(series, last + 1)
        return row

    async def _lock_series(self, series: str) -> int:
        await self.session.execute(self._insert(m.LeaseSeries).values(series=series, last=0)
                                   .on_conflict_do_nothing(index_elements=["series"]))
        stmt = select(m.LeaseSeries.last).where(m.LeaseSeries.series == series)
        return await self.session.scalar(stmt.with_for_update() if self._pg else stmt)

    async def _advance_series(self, series: str, last: int) -> None:
        await self.session.execute(update(m.LeaseSeries).where(m.LeaseSeries.series == series).values(last=last))

    async def notify_invoices(self, series: str, first: int, count: int) -> int:
        """A notice per faktura just numbered to its client, when the client is in the bot: one INSERT … SELECT."""
        if not count:
            return 0
        invoice, case, client, outbox = m.LeaseInvoice, m.LeaseCase, m.Client, m.Outbox
        now = literal(self.now(), UTCDateTime())
        source = (select(client.user_id, literal(Notice.LEASE_INVOICE.value), _json(self._pg, invoice_id=invoice.id),
                         literal(OutboxStatus.PENDING.value), literal(0), now, now)
                  .join(case, case.deal_id == invoice.deal_id).join(client, client.id == case.client_id)
                  .where(invoice.series == series, invoice.seq.between(first, first + count - 1),
                         client.user_id.is_not(None)))
        return (await self.session.execute(insert(outbox).from_select(
            ["user_id", "kind", "payload", "status", "attempts", "not_before", "created_at"], source))).rowcount

    async def fell_due(self, after: date | None, today: date) -> list[int]:
        """Running contracts with a line invoiced ahead (booked before its due date) that fell due in (``after``,
        ``today``]: one its money paid before then may close now that its term has come."""
        charge, case = m.LeaseCharge, m.LeaseCase
        stmt = (select(charge.deal_id).distinct().join(case, case.deal_id == charge.deal_id)
                .where(case.status == LeaseStatus.ACTIVE.value, charge.kind.in_(_AHEAD), charge.due <= today,
                       charge.booked_on < charge.due))
        if after is not None:
            stmt = stmt.where(charge.due > after)
        return list((await self.session.scalars(stmt)).all())

    async def due_later(self, deal_id: int, day: date) -> bool:
        """A charge invoiced ahead of a due date still to come: the contract's term is not over."""
        charge = m.LeaseCharge
        return bool(await self.session.scalar(select(charge.id).where(
            charge.deal_id == deal_id, charge.kind.in_(_AHEAD), charge.due > day).limit(1)))

    async def unspent_deals(self, booked_on: date) -> list[int]:
        """Contracts charged on ``booked_on`` that hold money not yet used (an overpayment, a prepayment)."""
        receipt, charge = m.LeaseReceipt, m.LeaseCharge
        charged = select(charge.deal_id).where(charge.booked_on == booked_on)
        return list((await self.session.scalars(select(receipt.deal_id).distinct().where(
            receipt.spent_on.is_(None), receipt.deal_id.in_(charged)))).all())

    # --- the ledger, many contracts at once (a statement's lines, the accrual's overpayments) -------------------
    async def owed_of(self, deal_ids: Sequence[int]) -> dict[int, list[Owed]]:
        """What is left of each open charge of these contracts, by contract."""
        charge, alloc = m.LeaseCharge, m.LeaseAllocation
        paid = (select(func.coalesce(func.sum(alloc.amount), 0)).where(alloc.charge_id == charge.id)
                .scalar_subquery())
        out: dict[int, list[Owed]] = {}
        for chunk in _chunks(deal_ids):
            rows = await self.session.execute(select(charge.deal_id, charge.id, charge.kind, charge.due, charge.gross,
                                                     paid).where(charge.deal_id.in_(chunk),
                                                                 charge.paid_off.is_(None)))
            for deal_id, charge_id, kind, due, gross, allocated in rows:
                out.setdefault(deal_id, []).append(Owed(charge_id, ChargeKind(kind), due, gross - allocated))
        return out

    async def unspent_of(self, deal_ids: Sequence[int], only: Sequence[int] | None = None
                         ) -> dict[int, list[tuple[int, Decimal]]]:
        """Each contract's receipts with money left (oldest value date first), and how much is left (``only``:
        these receipts)."""
        receipt, alloc = m.LeaseReceipt, m.LeaseAllocation
        used = (select(func.coalesce(func.sum(alloc.amount), 0)).where(alloc.receipt_id == receipt.id)
                .scalar_subquery())
        out: dict[int, list[tuple[int, Decimal]]] = {}
        for chunk in _chunks(deal_ids):
            stmt = select(receipt.deal_id, receipt.id, receipt.amount, used).where(
                receipt.deal_id.in_(chunk), receipt.spent_on.is_(None))
            if only is not None:
                stmt = stmt.where(receipt.id.in_(list(only)))
            rows = await self.session.execute(stmt.order_by(receipt.paid_on, receipt.id))
            for deal_id, receipt_id, amount, spent in rows:
                out.setdefault(deal_id, []).append((receipt_id, amount - spent))
        return out

    async def receipt_ids(self, keys: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(keys):
            out.update((await self.session.execute(select(m.LeaseReceipt.key, m.LeaseReceipt.id).where(
                m.LeaseReceipt.key.in_(chunk)))).all())
        return out

    async def balances(self, deal_ids: Sequence[int]) -> dict[int, Decimal]:
        """Charges less receipts of each contract."""
        out = dict.fromkeys(deal_ids, Decimal("0.00"))
        for chunk in _chunks(deal_ids):
            for model, column, sign in ((m.LeaseCharge, m.LeaseCharge.gross, 1),
                                        (m.LeaseReceipt, m.LeaseReceipt.amount, -1)):
                rows = await self.session.execute(select(model.deal_id, func.sum(column)).where(
                    model.deal_id.in_(chunk)).group_by(model.deal_id))
                for deal_id, total in rows:
                    out[deal_id] += sign * total
        return out

    async def interest_through_of(self, deal_ids: Sequence[int]) -> dict[int, date]:
        """The last day late interest was posted to (charged, or credited back), for each contract where it was:
        read from the postings' keys (the month's «int:2027-01-31», a payment's «int:2027-02-03:p5», the final
        «int:final:…», a correction's «intcorr:…»)."""
        out: dict[int, date] = {}
        charge, receipt = m.LeaseCharge, m.LeaseReceipt
        for chunk in _chunks(deal_ids):
            rows = [*(await self.session.execute(select(charge.deal_id, charge.key).where(
                charge.deal_id.in_(chunk), charge.kind == ChargeKind.INTEREST.value))).all(),
                    *(await self.session.execute(select(receipt.deal_id, receipt.key).where(
                        receipt.deal_id.in_(chunk), receipt.key.like("intcorr:%")))).all()]
            for deal_id, key in rows:
                day = _day_in(key)
                if day is not None:
                    out[deal_id] = max(out.get(deal_id, day), day)
        return out

    async def late_before(self, deal_ids: Sequence[int], day: date) -> set[int]:
        """The contracts among these with a charge that bears interest open past its date before ``day``."""
        charge = m.LeaseCharge
        out: set[int] = set()
        for chunk in _chunks(deal_ids):
            out |= set((await self.session.scalars(select(charge.deal_id).distinct().where(
                charge.deal_id.in_(chunk), charge.paid_off.is_(None), charge.due < day,
                charge.kind.in_(sorted(k.value for k in BEARS_INTEREST))))).all())
        return out

    async def without_lines_left(self, deal_ids: Sequence[int]) -> list[int]:
        """The running contracts among these whose every line of the schedule in force is charged."""
        case, line, charge = m.LeaseCase, m.LeaseScheduleLine, m.LeaseCharge
        left = (select(line.id).where(line.deal_id == case.deal_id, line.version == case.schedule_version,
                                      ~select(charge.id).where(charge.deal_id == line.deal_id,
                                                               charge.key == line.key).exists()).exists())
        out: list[int] = []
        for chunk in _chunks(deal_ids):
            out += (await self.session.scalars(select(case.deal_id).where(
                case.deal_id.in_(chunk), case.status.in_([LeaseStatus.ACTIVE.value, LeaseStatus.TERMINATED.value,
                                                          LeaseStatus.RETURNED.value]),
                case.schedule_version.is_not(None), ~left))).all()
        return sorted(out)

    # --- the ledger -------------------------------------------------------------------------------------------
    async def open_charges(self, deal_id: int) -> list[OpenCharge]:
        charge, alloc = m.LeaseCharge, m.LeaseAllocation
        paid = (select(func.coalesce(func.sum(alloc.amount), 0)).where(alloc.charge_id == charge.id)
                .scalar_subquery())
        rows = (await self.session.execute(select(charge, paid).where(
            charge.deal_id == deal_id, charge.paid_off.is_(None)).order_by(charge.due, charge.id))).all()
        return [OpenCharge(c, Decimal(p) / 100 if not isinstance(p, Decimal) else p) for c, p in rows]

    async def mark_paid_off(self, charge_ids: Sequence[int], day: date) -> None:
        if charge_ids:
            await self.session.execute(update(m.LeaseCharge).where(m.LeaseCharge.id.in_(charge_ids))
                                       .values(paid_off=day).execution_options(synchronize_session="fetch"))

    async def mark_spent(self, receipt_ids: Sequence[int], day: date) -> None:
        if receipt_ids:
            await self.session.execute(update(m.LeaseReceipt).where(m.LeaseReceipt.id.in_(receipt_ids))
                                       .values(spent_on=day).execution_options(synchronize_session="fetch"))

    async def charges(self, deal_id: int) -> list[m.LeaseCharge]:
        return list((await self.session.scalars(select(m.LeaseCharge).where(m.LeaseCharge.deal_id == deal_id)
                                                .order_by(m.LeaseCharge.due, m.LeaseCharge.id))).all())

    async def charge(self, charge_id: int) -> m.LeaseCharge | None:
        return await self.session.get(m.LeaseCharge, charge_id)

    async def receipt(self, receipt_id: int) -> m.LeaseReceipt | None:
        return await self.session.get(m.LeaseReceipt, receipt_id)

    async def receipts(self, deal_id: int) -> list[m.LeaseReceipt]:
        return list((await self.session.scalars(select(m.LeaseReceipt).where(m.LeaseReceipt.deal_id == deal_id)
                                                .order_by(m.LeaseReceipt.paid_on, m.LeaseReceipt.id))).all())

    async def receipt_by_key(self, key: str) -> m.LeaseReceipt | None:
        return await self.session.scalar(select(m.LeaseReceipt).where(m.LeaseReceipt.key == key))

    async def keys_present(self, keys: Sequence[str]) -> set[str]:
        """The statement lines' keys already booked: as a receipt's own key, or a typed payment matched to them."""
        if not keys:
            return set()
        r = m.LeaseReceipt
        return set((await self.session.scalars(select(r.key).where(r.key.in_(list(keys))))).all()) | set(
            (await self.session.scalars(select(r.line_key).where(r.line_key.in_(list(keys))))).all())

    async def typed_unmatched(self, deal_ids: Sequence[int], since: date) -> list[m.LeaseReceipt]:
        """Payments typed by hand on these contracts, valued on or after ``since``, not yet found on a statement."""
        r = m.LeaseReceipt
        out: list[m.LeaseReceipt] = []
        for chunk in _chunks(deal_ids):
            out += (await self.session.scalars(select(r).where(
                r.deal_id.in_(chunk), r.source == "manual", r.kind == "payment", r.line_key.is_(None),
                r.paid_on >= since).order_by(r.paid_on, r.id))).all()
        return out

    async def accepted_versions(self, deal_ids: Sequence[int]) -> dict[int, int]:
        """The accepted offer's version of each contract (its number is «<case>-<version>»)."""
        case, offer = m.LeaseCase, m.LeaseOffer
        out: dict[int, int] = {}
        for chunk in _chunks(deal_ids):
            out.update((await self.session.execute(select(case.deal_id, offer.version).join(
                offer, offer.id == case.offer_id).where(case.deal_id.in_(chunk)))).all())
        return out

    async def clients_by_account(self, ibans: Sequence[str]) -> dict[str, set[int]]:
        """The clients each account is known for: the IBAN on the client's card, or an account learned."""
        out: dict[str, set[int]] = {}
        client, learned = m.Client, m.LeaseClientAccount
        for chunk in _chunks(sorted(set(ibans))):
            for iban, client_id in [*(await self.session.execute(select(client.iban, client.id).where(
                    client.iban.in_(chunk)))).all(), *(await self.session.execute(select(
                    learned.iban, learned.client_id).where(learned.iban.in_(chunk)))).all()]:
                out.setdefault(iban, set()).add(client_id)
        return out

    async def cases_of_clients(self, client_ids: Sequence[int]) -> dict[int, list[m.LeaseCase]]:
        out: dict[int, list[m.LeaseCase]] = {}
        for chunk in _chunks(sorted(set(client_ids))):
            for case in (await self.session.scalars(select(m.LeaseCase).where(
                    m.LeaseCase.client_id.in_(chunk)).order_by(m.LeaseCase.deal_id))).all():
                out.setdefault(case.client_id, []).append(case)
        return out

    async def learn_account(self, client_id: int, iban: str, source: str) -> None:
        stmt = self._insert(m.LeaseClientAccount).values(client_id=client_id, iban=iban, source=source,
                                                        created_at=self.now())
        await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["client_id", "iban"]))

    async def statement_line(self, line_id: int, *, lock: bool = False) -> m.LeaseStatementLine | None:
        stmt = select(m.LeaseStatementLine).where(m.LeaseStatementLine.id == line_id)
        return await self.session.scalar(stmt.with_for_update() if lock and self._pg else stmt)

    async def allocations(self, deal_id: int) -> list[tuple[m.LeaseAllocation, date]]:
        """The contract's allocations, each with its receipt's value date."""
        alloc, receipt = m.LeaseAllocation, m.LeaseReceipt
        return [(a, d) for a, d in (await self.session.execute(
            select(alloc, receipt.paid_on).join(receipt, receipt.id == alloc.receipt_id)
            .where(receipt.deal_id == deal_id).order_by(alloc.id))).all()]

    async def invoices(self, deal_id: int) -> list[m.LeaseInvoice]:
        return list((await self.session.scalars(select(m.LeaseInvoice).where(m.LeaseInvoice.deal_id == deal_id)
                                                .order_by(m.LeaseInvoice.id))).all())

    async def invoice(self, invoice_id: int) -> m.LeaseInvoice | None:
        return await self.session.get(m.LeaseInvoice, invoice_id)

    async def suspensions(self, deal_id: int) -> list[m.LeaseSuspension]:
        return list((await self.session.scalars(select(m.LeaseSuspension).where(
            m.LeaseSuspension.deal_id == deal_id).order_by(m.LeaseSuspension.id))).all())

    async def insurance(self, deal_id: int) -> m.LeaseInsurance | None:
        return await self.session.scalar(select(m.LeaseInsurance).where(m.LeaseInsurance.deal_id == deal_id)
                                         .order_by(m.LeaseInsurance.id.desc()).limit(1))

    # --- interest ----------------------------------------------------------------------------------------------
    async def late_deals(self, as_of: date, since: date | None) -> list[int]:
        """Running contracts with a charge open past its date, or paid late after ``since`` (the last posting):
        those whose interest may have grown."""
        charge, case = m.LeaseCharge, m.LeaseCase
        late = charge.paid_off.is_(None) & (charge.due < as_of)
        if since is not None:
            late = late | ((charge.paid_off > charge.due) & (charge.paid_off > since))
        else:
            late = late | (charge.paid_off > charge.due)
        return list((await self.session.scalars(select(charge.deal_id).distinct()
                                                .join(case, case.deal_id == charge.deal_id)
                                                .where(case.status.in_([LeaseStatus.ACTIVE.value,
                                                                        LeaseStatus.SUSPENDED.value]),
                                                       charge.kind.in_(_INVOICED), late))).all())

    async def posted_interest(self, deal_id: int) -> Decimal:
        """Interest charged less interest credited back."""
        charged = await self.session.scalar(select(func.coalesce(func.sum(m.LeaseCharge.gross), 0)).where(
            m.LeaseCharge.deal_id == deal_id, m.LeaseCharge.kind == ChargeKind.INTEREST.value))
        credited = await self.session.scalar(select(func.coalesce(func.sum(m.LeaseReceipt.amount), 0)).where(
            m.LeaseReceipt.deal_id == deal_id, m.LeaseReceipt.key.like("intcorr:%")))
        return charged - credited

    # --- dunning ----------------------------------------------------------------------------------------------
    async def overdue(self, cutoff: date) -> list[tuple[int, int, date]]:
        """The oldest unpaid charge, due on or before ``cutoff``, of each running (not suspended) contract, as
        (deal, charge, due): the dunning scan, on the index of open charges."""
        charge, case = m.LeaseCharge, m.LeaseCase
        # the open charges, on their partial index (it holds all that is read), less those of the few contracts
        # that have charges and are not running (suspended, or not yet handed over; a closed one has no open
        # charge), found by the status index. A join, or a probe of each charge's contract, cost more: the
        # planner walked every running contract, and 500 probes were two thirds of the scan on PostgreSQL.
        # SQLite makes the few a table once inside the one statement; PostgreSQL planned that NOT IN as a subplan
        # run per row (39 ms), so there the few are read first and left out here
        not_running = select(case.deal_id).where(case.status.in_([LeaseStatus.SUSPENDED.value,
                                                                  LeaseStatus.TO_PAYMENT.value]))
        open_late = select(charge.deal_id, charge.id, charge.due).where(
            charge.paid_off.is_(None), charge.due <= cutoff, charge.kind != ChargeKind.REFUND.value)
        if self._pg:
            paused = set((await self.session.scalars(not_running)).all())
            rows = [r for r in (await self.session.execute(open_late)).all() if r[0] not in paused]
        else:
            rows = (await self.session.execute(open_late.where(charge.deal_id.not_in(not_running)))).all()
        oldest: dict[int, tuple[date, int]] = {}
        for deal_id, charge_id, due in rows:  # the oldest of each contract (by date, then as booked)
            key = (due, charge_id)
            if deal_id not in oldest or key < oldest[deal_id]:
                oldest[deal_id] = key
        return [(d, oldest[d][1], oldest[d][0]) for d in sorted(oldest)]

    async def dunned(self, pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int, int]]:
        if not pairs:
            return set()
        d = m.LeaseDunning
        rows = (await self.session.execute(select(d.deal_id, d.charge_id, d.days).where(
            d.charge_id.in_([c for _, c in pairs])))).all()
        return {tuple(r) for r in rows}

    async def add_dunning(self, **values) -> bool:
        stmt = self._insert(m.LeaseDunning).values(created_at=self.now(), **values)
        return bool((await self.session.execute(stmt.on_conflict_do_nothing(
            index_elements=["deal_id", "charge_id", "days"]))).rowcount)

    async def dunnings(self, deal_id: int) -> list[m.LeaseDunning]:
        return list((await self.session.scalars(select(m.LeaseDunning).where(m.LeaseDunning.deal_id == deal_id)
                                                .order_by(m.LeaseDunning.id))).all())

    async def dunning_by_id(self, dunning_id: int) -> m.LeaseDunning | None:
        return await self.session.get(m.LeaseDunning, dunning_id)

    async def dunning(self, deal_id: int, charge_id: int, days: int) -> m.LeaseDunning | None:
        return await self.session.scalar(select(m.LeaseDunning).where(
            m.LeaseDunning.deal_id == deal_id, m.LeaseDunning.charge_id == charge_id, m.LeaseDunning.days == days))

    # --- the admins' tables -------------------------------------------------------------------------------------
    async def table(self, kind: str) -> m.LeaseTable | None:
        return await self.session.scalar(select(m.LeaseTable).where(m.LeaseTable.kind == kind)
                                         .order_by(m.LeaseTable.id.desc()).limit(1))

    # --- statements ---------------------------------------------------------------------------------------------
    async def statement(self, digest: str) -> m.LeaseStatement | None:
        return await self.session.scalar(select(m.LeaseStatement).where(m.LeaseStatement.digest == digest))

    async def unmatched(self, limit: int = 30) -> list[m.LeaseStatementLine]:
        """The lines kept aside and not yet assigned to a contract, newest first."""
        line = m.LeaseStatementLine
        return list((await self.session.scalars(select(line).where(line.deal_id.is_(None))
                                                .order_by(line.id.desc()).limit(limit))).all())

    async def cases_by_id(self, deal_ids: Sequence[int], *, lock: bool = False) -> dict[int, m.LeaseCase]:
        """The cases, under row locks taken in the order of their ids when ``lock``."""
        out: dict[int, m.LeaseCase] = {}
        for chunk in _chunks(sorted(deal_ids)):
            stmt = select(m.LeaseCase).where(m.LeaseCase.deal_id.in_(chunk)).order_by(m.LeaseCase.deal_id)
            out.update((c.deal_id, c) for c in (await self.session.scalars(
                stmt.with_for_update() if lock else stmt)).all())
        return out

    # --- insurance, commissions -------------------------------------------------------------------------------
    async def insurances_ending(self, until: date) -> list[tuple[m.LeaseInsurance, m.LeaseCase]]:
        """The newest policy of each running contract, ending on or before ``until``."""
        ins, case = m.LeaseInsurance, m.LeaseCase
        newest = select(func.max(ins.id)).group_by(ins.deal_id).scalar_subquery()
        return [(i, c) for i, c in (await self.session.execute(
            select(ins, case).join(case, case.deal_id == ins.deal_id)
            .where(ins.id.in_(newest), ins.ends_on <= until,
                   case.status.in_([s.value for s in (LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED,
                                                      LeaseStatus.TO_PAYMENT)])))).all()]

    async def mark_reminded(self, insurance_id: int, days: int) -> bool:
        """The reminder ``days`` before the end is this transaction's (a conditional UPDATE: once)."""
        ins = m.LeaseInsurance
        return bool((await self.session.execute(update(ins).where(
            ins.id == insurance_id, (ins.reminded_days.is_(None)) | (ins.reminded_days > days))
            .values(reminded_days=days).execution_options(synchronize_session=False))).rowcount)

    async def unsettled_launches(self, until: date) -> list[m.LeaseCase]:
        """Contracts handed over on or before ``until`` with no commission settled yet (whatever month)."""
        case, commission = m.LeaseCase, m.LeaseCommission
        return list((await self.session.scalars(select(case).where(
            case.handed_over_on <= until, case.offer_id.is_not(None),
            ~select(commission.deal_id).where(commission.deal_id == case.deal_id).exists())
            .order_by(case.handed_over_on, case.deal_id))).all())

    async def add_commissions(self, rows: list[dict]) -> int:
        if not rows:
            return 0
        stmt = self._insert(m.LeaseCommission).on_conflict_do_nothing(index_elements=["deal_id", "party"])
        added = 0
        for row in rows:
            added += (await self.session.execute(stmt.values(**row))).rowcount
        return added


def _day_in(key: str) -> date | None:
    """The day an interest posting's key names (its first part that is a date)."""
    for part in key.split(":"):
        if len(part) == 10 and part[4] == "-":
            try:
                return date.fromisoformat(part)
            except ValueError:
                continue
    return None


def _chunks(items: Sequence, size: int = 900):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i:i + size]


