"""An instalment's faktura issued ahead of its due date (LEASE_INVOICE_DAYS, 14 by default), through the services on
a real database and the test's clock: the accrual charges it that many days before, once (a rerun, the next days, a
setting moved), never before the contract's start; the faktura's issue date (P_1) is that day, its sale date (P_6),
its payment term, dunning and late interest stay the due date; 0 keeps the charge on the due date; a contract paid
ahead closes on its last due date, not on the day its last faktura went out."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from datetime import date
from decimal import Decimal

from lxml import etree
from pypdf import PdfReader

from core.db.kernel import models as m
from core.services.leasing import books as lb
from tests.fake_ksef import running as fake_ksef
from tests.services.leasing.test_ksef import on
from tests.services.leasing.test_lease_books import RATES, at, rows, running, staff
from tests.services.leasing.test_leasing import lessor

D = Decimal


async def instalments(factory, deal: int) -> list[tuple[str, date, date]]:
    return [(c.key, c.booked_on, c.due) for c in await rows(factory, m.LeaseCharge, m.LeaseCharge.deal_id == deal)
            if c.kind == "instalment"]


async def test_the_faktura_goes_out_14_days_ahead_once_with_the_due_date_as_its_sale_date_and_term(
        uow, factory, cfg, clock):
    async with fake_ksef() as (fake, url):
        cfg = on(cfg, url)
        assert cfg.lease_invoice_days == 14
        w = await staff(uow, cfg, await lessor(uow, cfg))
        await lb.set_table(uow(), w["admin"].id, lb.RATES, RATES)
        case = await running(uow, factory, cfg, w)  # handed over 23 November 2026: i1 due 23 December
        deal = case.deal_id
        await lb.register_payment(uow(), cfg, w["coll"].id, deal, "1 353", key="fees")
        at(clock, date(2026, 12, 8))  # 15 days before
        assert (await lb.accrue(uow(), cfg)).charges == 0
        at(clock, date(2026, 12, 9))  # 14 days before: i1 and its faktura
        run = await lb.accrue(uow(), cfg)
        assert (run.charges, run.invoices) == (1, 1)
        assert not await lb.accrue(uow(), cfg)  # the day's run was made
        at(clock, date(2026, 12, 10))
        assert (await lb.accrue(uow(), cfg)).charges == 0  # never twice
        assert await instalments(factory, deal) == [("i1", date(2026, 12, 9), date(2026, 12, 23))]
        invoice = (await rows(factory, m.LeaseInvoice, m.LeaseInvoice.seq == 3))[0]
        assert (lb.invoice_number(invoice), invoice.issued_on) == ("FV/2026/000003", date(2026, 12, 9))
        told = await rows(factory, m.Outbox, m.Outbox.kind == "lease_invoice")
        assert [n.payload["invoice_id"] for n in told][-1] == invoice.id  # the client told on the day it is issued

        assert (await lb.ksef.send_pending(uow, cfg)).sent == 3
        xml = etree.fromstring(fake.accepted[-1]["xml"])
        assert xml.findtext("{*}Fa/{*}P_2") == "FV/2026/000003"
        assert xml.findtext("{*}Fa/{*}P_1") == "2026-12-09"  # issued
        assert xml.findtext("{*}Fa/{*}P_6") == "2026-12-23"  # the sale date: the payment's due date
        assert xml.findtext("{*}Fa/{*}Platnosc/{*}TerminPlatnosci/{*}Termin") == "2026-12-23"
        made = await lb.invoice_document(uow(), w["client"].id, invoice.id, cfg)
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(made.document.content)).pages)
                        .split())
        assert "Data wystawienia: 09.12.2026 Data sprzedaży: 23.12.2026 Termin płatności: 23.12.2026" in text
        assert made.due == date(2026, 12, 23)

        # not overdue, not dunned, no interest before its due date
        at(clock, date(2026, 12, 23))
        acc = await lb.account(uow(), cfg, w["client"].id, deal)
        assert (acc.balance, acc.overdue) == (D("1230.00"), 0)  # owed, not late
        assert await lb.dun(uow(), cfg) == 0
        at(clock, date(2027, 1, 1))
        assert await lb.post_interest(uow(), cfg) == 1  # 1 230 × 0,1 % × 8 days (24 – 31 December), not 22
        interest = (await rows(factory, m.LeaseCharge, m.LeaseCharge.kind == "interest"))[0]
        assert interest.gross == D("9.84")
        at(clock, date(2027, 1, 22))
        await lb.dun(uow(), cfg)
        dunned = await rows(factory, m.LeaseDunning)
        assert [(d.days, d.sent_on) for d in dunned] == [(30, date(2027, 1, 22))]  # 30 days from 23 December


async def test_0_days_keeps_the_charge_on_the_due_date(uow, factory, cfg, clock):
    cfg = dataclasses.replace(cfg, lease_invoice_days=0)
    w = await staff(uow, cfg, await lessor(uow, cfg))
    deal = (await running(uow, factory, cfg, w)).deal_id
    at(clock, date(2026, 12, 22))
    assert (await lb.accrue(uow(), cfg)).charges == 0
    at(clock, date(2026, 12, 23))
    assert (await lb.accrue(uow(), cfg)).charges == 1
    assert await instalments(factory, deal) == [("i1", date(2026, 12, 23), date(2026, 12, 23))]
    assert (await rows(factory, m.LeaseInvoice))[-1].issued_on == date(2026, 12, 23)


async def test_the_setting_moved_between_runs_skips_nothing_and_charges_nothing_twice(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    deal = (await running(uow, factory, cfg, w)).deal_id
    at(clock, date(2026, 12, 9))
    assert (await lb.accrue(uow(), cfg)).charges == 1  # i1, 14 days ahead
    at(clock, date(2026, 12, 23))  # the lessor went back to 0 days: i1 is not charged again
    assert (await lb.accrue(uow(), dataclasses.replace(cfg, lease_invoice_days=0))).charges == 0
    at(clock, date(2027, 1, 2))  # 0 days: nothing (i2 is due 23 January)
    assert (await lb.accrue(uow(), dataclasses.replace(cfg, lease_invoice_days=0))).charges == 0
    at(clock, date(2027, 1, 3))  # 30 days: i2 now (the window starts at the last run, not 30 days after it)
    assert (await lb.accrue(uow(), dataclasses.replace(cfg, lease_invoice_days=30))).charges == 1
    assert await instalments(factory, deal) == [("i1", date(2026, 12, 9), date(2026, 12, 23)),
                                                ("i2", date(2027, 1, 3), date(2027, 1, 23))]


async def test_never_before_the_contracts_start(uow, factory, cfg, clock):
    """Handed over on 31 January 2027: i1 is due 28 February; 30 days before it (29 January) the contract was not
    running: its faktura is issued at the handover, on the start's day; i2 (31 March) waits for its own day."""
    cfg = dataclasses.replace(cfg, lease_invoice_days=30)
    at(clock, date(2027, 1, 29))
    assert (await lb.accrue(uow(), cfg)).charges == 0
    at(clock, date(2027, 1, 31))
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    assert case.handed_over_on == date(2027, 1, 31)
    lines = await rows(factory, m.LeaseScheduleLine, m.LeaseScheduleLine.deal_id == case.deal_id,
                       m.LeaseScheduleLine.version == 2, order=m.LeaseScheduleLine.n)
    assert [x.due for x in lines[:2]] == [date(2027, 2, 28), date(2027, 3, 31)]
    assert await instalments(factory, case.deal_id) == [("i1", date(2027, 1, 31), date(2027, 2, 28))]
    assert (await rows(factory, m.LeaseInvoice))[-1].issued_on == date(2027, 1, 31)
    assert (await lb.accrue(uow(), cfg)).charges == 0
    at(clock, date(2027, 3, 1))  # 30 days before 31 March
    assert (await lb.accrue(uow(), cfg)).charges == 1
    assert (await instalments(factory, case.deal_id))[-1] == ("i2", date(2027, 3, 1), date(2027, 3, 31))


async def test_a_contract_paid_ahead_closes_on_its_last_due_date(uow, factory, cfg, clock):
    """No residual: the last instalment (23 November 2027) is the contract's last line, invoiced on 9 November and
    paid from money the client paid ahead; the contract runs to 23 November and closes then, once."""
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w, terms="14 200; 1 000; 12; 0; 0; 100")
    deal = case.deal_id
    async with factory() as s:  # a contractual late-interest rate of 0 %: no interest to settle
        from sqlalchemy import update

        await s.execute(update(m.LeaseCase).where(m.LeaseCase.deal_id == deal).values(late_rate=D(0)))
        await s.commit()
    # 1 353 fees + 12 × 1 353 (1 100 net) = 17 589, all paid on the first day
    booked = await lb.register_payment(uow(), cfg, w["coll"].id, deal, "17 589", key="all")
    assert not booked.closed
    at(clock, date(2027, 11, 9))
    run = await lb.accrue(uow(), cfg)
    assert (run.charges, run.closed) == (12, 0)  # i12 invoiced and paid, its due date still to come
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    assert (acc.case.status, acc.balance) == ("active", 0)
    at(clock, date(2027, 11, 22))
    assert (await lb.accrue(uow(), cfg)).closed == 0
    at(clock, date(2027, 11, 23))
    assert (await lb.accrue(uow(), cfg)).closed == 1
    at(clock, date(2027, 11, 24))
    assert not await lb.accrue(uow(), cfg)
    closed = await rows(factory, m.AuditLog, m.AuditLog.entity == "lease", m.AuditLog.to_status == "closed")
    assert len(closed) == 1


async def test_two_schedulers_at_once_and_a_downtime_issue_each_ahead_once(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    deals = [(await running(uow, factory, cfg, w, nip=nip)).deal_id for nip in ("8567346215", "1234567802")]
    at(clock, date(2026, 12, 9))
    results = await asyncio.gather(lb.run_day(uow, cfg), lb.run_day(uow, cfg))
    assert sorted(r.charges for r in results) == [0, 2]  # i1 of each, 14 days ahead, by one of the two
    at(clock, date(2027, 1, 20))  # six weeks down: i2 (23 January) 3 days ahead, i3 (23 February) not yet
    assert (await lb.run_day(uow, cfg)).charges == 2
    assert not (await lb.run_day(uow, cfg)).charges
    for deal in deals:
        assert await instalments(factory, deal) == [("i1", date(2026, 12, 9), date(2026, 12, 23)),
                                                    ("i2", date(2027, 1, 20), date(2027, 1, 23))]
    assert len(await rows(factory, m.LeaseInvoice)) == 2 * 2 + 4  # the fees' and the instalments', each once
