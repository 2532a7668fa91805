"""A Polish lessor's running contract through the services (seed 002: Uruchomienie, Rozliczanie), on a real database
and the test's clock: the vendor paid and the fees charged once; the handover and the schedule from that day; the
accrual run once a day, once, catching up after downtime; payments by hand and from a bank statement, allocated
interest first and then the oldest; late interest, posted monthly and corrected by a backdated receipt; dunning
levels; suspension and resumption; the final settlement closing the contract; the commissions."""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from bot.i18n import Translator
from core.db.kernel import models as m
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput
from core.domain.kernel.roles import Role
from core.domain.leasing.case import LeaseStatus
from core.services.kernel import users
from core.services.leasing import books as lb
from core.services.leasing import launch
from core.services.leasing import origination as leasing
from tests.factories import person
from tests.services.leasing.test_leasing import lessor

D = Decimal
UTC_9 = timedelta(hours=9)  # the clock's hour: 10:00 in Warsaw in winter, 11:00 in summer
#: 14 200 net, 1 000 down (gross 1 230), 12 months at 0 %, residual 1 200 (gross 1 476), admin fee 100 (gross 123):
#: financed 13 200, instalments of 1 000 net, 1 230 gross
TERMS = "14 200; 1 000; 12; 0; 1 200; 100"
RATES = "2024-01-01; 36,5"  # 0.1 % a day: the sums below are easy to check by hand


def at(clock, day: date) -> None:
    clock.set(datetime(day.year, day.month, day.day, tzinfo=clock.now().tzinfo) + UTC_9)


async def staff(uow, cfg, w) -> dict:
    p = await users.touch(uow(), users.TgPerson(tg_id=5005, name="Windykacja Anna", language_code="pl"), cfg,
                          frozenset({1}))
    w["coll"] = await users.set_role(uow(), w["admin"].id, p.id, Role.COLLECTIONS)
    return w


async def at_launch(uow, factory, cfg, w, *, client_in_bot: bool = True, nip: str = "8567346215", terms: str = TERMS,
                    subject: str = "Koparka Volvo EC220E", client: m.Client | None = None) -> m.LeaseCase:
    """A case whose set the back office accepted («Przekazanie do płatności»), its vendor named: the way there is
    issue 18's, tested in test_leasing. ``client``: a second contract of a client registered before."""
    if client is None:
        client = await leasing.register_client(uow(), w["sales"].id, leasing.ClientKind.COMPANY,
                                               f"Alfa {nip}; {nip}; 192598184; 0000123456")
    case = await leasing.open_case(uow(), w["sales"].id, client.id, subject, terms, cfg)
    await leasing.set_vendor(uow(), w["sales"].id, case.deal_id, "Volvo Maszyny Budowlane; 5260250274")
    who = w["client"] if nip == "8567346215" else await person(uow, cfg, 6000 + int(nip[-3:]), f"Prezes {nip}")
    await leasing.link_client(uow(), w["sales"].id, case.deal_id, str(who.tg_id))
    offer = await leasing.send_offer(uow(), w["sales"].id, case.deal_id)
    await leasing.accept_offer(uow(), who.id, offer.id)
    async with factory() as s:
        status = await s.scalar(select(m.DealStatus).where(m.DealStatus.pipeline == "leasing",
                                                          m.DealStatus.code == "to_payment"))
        await s.execute(update(m.LeaseCase).where(m.LeaseCase.deal_id == case.deal_id).values(status="to_payment"))
        await s.execute(update(m.Deal).where(m.Deal.id == case.deal_id).values(status_id=status.id))
        if not client_in_bot:
            await s.execute(update(m.Client).where(m.Client.id == client.id).values(user_id=None))
        await s.commit()
    return case


async def running(uow, factory, cfg, w, **kw) -> m.LeaseCase:
    case = await at_launch(uow, factory, cfg, w, **kw)
    await launch.pay_vendor(uow(), cfg, w["bo"].id, case.deal_id, "13 200; PRZELEW 1")
    await launch.set_insurance(uow(), cfg, w["bo"].id, case.deal_id, "PZU S.A.; POL/2026/1; 23.11.2026; 22.11.2027")
    return await launch.hand_over(uow(), cfg, w["bo"].id, case.deal_id)


async def rows(factory, model, *where, order=None):
    async with factory() as s:
        return list((await s.scalars(select(model).where(*where).order_by(order or model.id))).all())


async def test_the_launch_charges_the_fees_once_and_the_schedule_runs_from_the_handover(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await at_launch(uow, factory, cfg, w)
    deal = case.deal_id
    with pytest.raises(Forbidden):  # the launch is the back office's
        await launch.pay_vendor(uow(), cfg, w["sales"].id, deal, "13 200")
    with pytest.raises(Conflict) as caught:
        await launch.hand_over(uow(), cfg, w["bo"].id, deal)
    assert caught.value.key == "lease_launch_vendor_payment"
    with pytest.raises(InvalidInput):
        await launch.pay_vendor(uow(), cfg, w["bo"].id, deal, "13 200 EUR")  # the contract is in PLN
    await launch.pay_vendor(uow(), cfg, w["bo"].id, deal, "13 200; PRZELEW 1")
    with pytest.raises(Conflict) as caught:  # a second press
        await launch.pay_vendor(uow(), cfg, w["bo"].id, deal, "13 200")
    assert caught.value.key == "lease_vendor_paid"
    for locale, paid in (("pl", "13 200,00 zł"), ("en", "13,200.00 PLN"), ("ru", "13 200,00 PLN")):
        assert Translator(locale).error(caught.value).replace("\xa0", " ").endswith(f": {paid}.")
    charges = await rows(factory, m.LeaseCharge, m.LeaseCharge.deal_id == deal)
    assert [(c.kind, c.net, c.vat, c.gross, c.due) for c in charges] == [
        ("initial_fee", D("1000.00"), D("230.00"), D("1230.00"), date(2026, 11, 23)),
        ("admin_fee", D("100.00"), D("23.00"), D("123.00"), date(2026, 11, 23))]
    invoices = await rows(factory, m.LeaseInvoice)
    assert [lb.invoice_number(i) for i in invoices] == ["FV/2026/000001", "FV/2026/000002"]
    with pytest.raises(Conflict) as caught:
        await launch.hand_over(uow(), cfg, w["bo"].id, deal)
    assert caught.value.key == "lease_launch_insurance"
    with pytest.raises(InvalidInput) as caught:  # a policy already ended
        await launch.set_insurance(uow(), cfg, w["bo"].id, deal, "PZU; P1; 01.01.2025; 01.01.2026")
    assert caught.value.key == "lease_insurance_dates"
    await launch.set_insurance(uow(), cfg, w["bo"].id, deal, "PZU S.A.; POL/2026/1; 23.11.2026; 22.11.2027")
    await launch.set_registration(uow(), w["bo"].id, deal, "wx 12345")
    with pytest.raises(InvalidInput) as caught:
        await launch.hand_over(uow(), cfg, w["bo"].id, deal, "24.11.2026")  # tomorrow
    assert caught.value.key == "lease_handover_day"
    done = await launch.hand_over(uow(), cfg, w["bo"].id, deal)
    assert (done.status, done.handed_over_on, done.schedule_version, done.registration) == \
        ("active", date(2026, 11, 23), 2, "WX 12345")  # version 1: the offer's schedule, kept
    lines = await rows(factory, m.LeaseScheduleLine, m.LeaseScheduleLine.deal_id == deal,
                       m.LeaseScheduleLine.version == 2, order=m.LeaseScheduleLine.n)
    assert [(x.key, x.due, x.gross) for x in (lines[0], lines[11], lines[12])] == [
        ("i1", date(2026, 12, 23), D("1230.00")), ("i12", date(2027, 11, 23), D("1230.00")),
        ("r", date(2027, 11, 23), D("1476.00"))]
    assert (await lb.accrue(uow(), cfg)).charges == 0  # nothing due on the handover day (in arrears)

    at(clock, date(2026, 12, 23))
    first = await lb.accrue(uow(), cfg)
    assert (first.charges, first.invoices) == (1, 1)
    assert not await lb.accrue(uow(), cfg)  # the day's run was made: a rerun adds nothing
    at(clock, date(2027, 3, 25))  # three months of downtime: one run catches up
    caught_up = await lb.accrue(uow(), cfg)
    assert (caught_up.charges, caught_up.invoices) == (3, 3)
    charges = await rows(factory, m.LeaseCharge, m.LeaseCharge.deal_id == deal)
    assert [c.key for c in charges] == ["initial_fee", "admin_fee", "i1", "i2", "i3", "i4"]
    assert [lb.invoice_number(i) for i in await rows(factory, m.LeaseInvoice)][-4:] == [
        "FV/2026/000003", "FV/2027/000001", "FV/2027/000002", "FV/2027/000003"]
    notices = await rows(factory, m.Outbox, m.Outbox.kind == "lease_invoice")
    assert len(notices) == 6 and {n.user_id for n in notices} == {w["client"].id}
    assert sorted(n.payload["invoice_id"] for n in notices) == [i.id for i in await rows(factory, m.LeaseInvoice)]
    told = await rows(factory, m.Outbox, m.Outbox.kind == "lease_vendor_paid")
    assert [n.user_id for n in told] == [w["sales"].id]  # the vendor is not in the bot
    made = await lb.invoice_document(uow(), w["client"].id, notices[-1].payload["invoice_id"])
    assert made.document.content.startswith(b"%PDF") and made.document.file_name == "FV_2027_000003.pdf"
    from pypdf import PdfReader
    page = PdfReader(io.BytesIO(made.document.content)).pages[0].extract_text().replace("\xa0", " ")
    assert "1 000,00 23 % 230,00 1 230,00" in page  # the VAT rate as a rate, never «23.00»
    # each date under its own name (the sale's is the instalment's day in the schedule, as is its term), and the
    # contract's one number, the case's, as the chat says it and the transfer's title is asked to carry it
    assert [x for x in page.splitlines() if x.startswith(("Data ", "Termin ", "Umowa ", "W tytule"))] == [
        "Data wystawienia: 25.03.2027", "Data sprzedaży: 23.03.2027", "Termin płatności: 23.03.2027",
        f"Umowa leasingu nr {deal}: Koparka Volvo EC220E", f"W tytule przelewu prosimy podać numer umowy {deal}."]
    assert (made.number, made.gross, made.due) == ("FV/2027/000003", D("1230.00"), date(2027, 3, 23))
    again = await lb.invoice_document(uow(), w["client"].id, notices[-1].payload["invoice_id"])
    assert again.document.id == made.document.id  # made once
    with pytest.raises(Forbidden):
        await lb.invoice_document(uow(), w["sales2"].id, notices[-1].payload["invoice_id"])


async def test_payments_interest_first_then_the_oldest_and_a_backdated_one_corrects_the_interest(
        uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    await lb.set_table(uow(), w["admin"].id, lb.RATES, RATES)
    case = await at_launch(uow, factory, cfg, w)
    deal = case.deal_id
    prepaid = await lb.register_payment(uow(), cfg, w["coll"].id, deal, "500", key="t1")  # before any charge
    assert (prepaid.balance, prepaid.receipt.spent_on) == (D("-500.00"), None)  # kept as credit
    await launch.pay_vendor(uow(), cfg, w["bo"].id, deal, "13 200")
    await launch.set_insurance(uow(), cfg, w["bo"].id, deal, "PZU; P1; 23.11.2026; 22.11.2027")
    await launch.hand_over(uow(), cfg, w["bo"].id, deal)
    booked = await lb.register_payment(uow(), cfg, w["coll"].id, deal, "853,00", key="t2")
    assert booked.balance == 0  # the fees (1 353) paid by the credit and this
    for text, key in (("0", "lease_amount_positive"), ("100 EUR", "lease_currency"),
                      ("100 24.11.2026", "lease_paid_in_future"), ("1,001", "not_amount")):
        with pytest.raises(InvalidInput) as caught:
            await lb.register_payment(uow(), cfg, w["coll"].id, deal, text, key="bad")
        assert caught.value.key == key
    with pytest.raises(Conflict) as caught:  # the same message twice
        await lb.register_payment(uow(), cfg, w["coll"].id, deal, "853,00", key="t2")
    assert caught.value.key == "lease_receipt_twice"
    with pytest.raises(Forbidden):
        await lb.register_payment(uow(), cfg, w["sales"].id, deal, "1", key="t3")

    at(clock, date(2026, 12, 23))
    await lb.accrue(uow(), cfg)  # i1: 1 230 due 23 December
    at(clock, date(2027, 1, 2))
    await lb.register_payment(uow(), cfg, w["coll"].id, deal, "615", key="t4")  # half, 10 days late
    at(clock, date(2027, 1, 23))
    await lb.accrue(uow(), cfg)  # i2
    at(clock, date(2027, 2, 1))
    assert await lb.post_interest(uow(), cfg) == 1
    assert await lb.post_interest(uow(), cfg) == 0  # the month's posting was made
    interest = await rows(factory, m.LeaseCharge, m.LeaseCharge.kind == "interest")
    # the payment of 2 January settled as of its day: i1's interest to that day posted (1 230 × 10 days × 0.1 %)
    # and paid first, then 602.70 of i1; to 31 January: 627.30 × 29 days (3 – 31 Jan) + i2: 1 230 × 8 days
    # (24 – 31 Jan) = 28.0317 → 28.03
    assert [(c.key, c.gross, c.vat) for c in interest] == [("int:2027-01-02:p3", D("12.30"), D("0.00")),
                                                          ("int:2027-01-31", D("28.03"), D("0.00"))]
    at(clock, date(2027, 2, 3))
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    # «Saldo do zapłaty» on 3 February: the ledger's 1 885.33 (i1's 627.30, i2, the interest posted) and i1's and
    # i2's interest of 1 – 3 February, (627.30 × 3 + 1 230 × 3) × 0.1 % = 5.5719 → 5.57
    assert (acc.balance, acc.accrued, acc.payable) == (D("1885.33"), D("5.57"), D("1890.90"))
    late = await lb.register_payment(uow(), cfg, w["coll"].id, deal, "632,32 10.01.2027", key="t5")  # backdated
    # settled as of 10 January: it pays the interest grown by then and not paid (627.30 × 8 days = 5.02), then all
    # of i1 (627.30), never the interest posted for the days after it. Interest to 31 January recomputed: 12.30 +
    # 5.0184 + i2's 9.84 = 27.1584 → 27.16; 40.33 was posted: 13.17 credited back
    assert late.corrected == D("13.17")
    credit = (await rows(factory, m.LeaseReceipt, m.LeaseReceipt.kind == "credit"))[0]
    assert (credit.amount, credit.key.startswith("intcorr:"), credit.source) == (D("13.17"), True, "system")
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    owed = {c.key: c.gross - acc.paid.get(c.id, 0) for c in acc.charges if c.paid_off is None}
    assert owed == {"int:2027-01-31": D("9.84"), "i2": D("1230.00")}  # i1 paid off; i2's January interest left
    assert next(c for c in acc.charges if c.key == "i1").paid_off == date(2027, 2, 3)
    assert acc.balance == D("1239.84") and acc.overdue == D("1239.84")
    assert [n.kind for n in await rows(factory, m.Outbox, m.Outbox.user_id == w["client"].id)].count(
        "lease_receipt") == 4


async def test_a_bank_statement_books_once_and_keeps_aside_what_it_cannot(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    deal = case.deal_id
    closed = await at_launch(uow, factory, cfg, w, nip="1234567802")
    async with factory() as s:
        await s.execute(update(m.LeaseCase).where(m.LeaseCase.deal_id == closed.deal_id).values(status="closed"))
        await s.commit()
    at(clock, date(2026, 12, 23))
    await lb.accrue(uow(), cfg)
    statement = (f"Data;Kwota;Waluta;Tytuł\n2026-11-24;1 353,00;PLN;Opłaty umowa {deal}-1\n"
                 f"2026-12-23;1230,00;PLN;Umowa {deal}-1 rata 1\n2026-12-23;-15,00;PLN;Prowizja banku\n"
                 f"2026-12-23;100,00;PLN;Umowa 99999-1\n2026-12-23;100,00;EUR;Umowa {deal}-1\n"
                 f"2026-12-23;50,00;PLN;Umowa {closed.deal_id}-1\n").encode()
    with pytest.raises(Forbidden):
        await lb.import_statement(uow(), cfg, w["sales"].id, "wyciag.csv", statement)
    done = await lb.import_statement(uow(), cfg, w["coll"].id, "wyciag.csv", statement)
    assert (done.booked, done.unmatched, done.skipped) == (2, 3, 1)
    aside = await rows(factory, m.LeaseStatementLine)
    assert [(x.n, x.problem) for x in aside] == [(4, "unknown_contract"), (5, "currency"), (6, "closed_contract")]
    with pytest.raises(Conflict) as caught:
        await lb.import_statement(uow(), cfg, w["coll"].id, "wyciag.csv", statement)
    assert caught.value.key == "lease_statement_twice"
    overlapping = [*statement.splitlines()[:3], f"2026-12-23;10,00;PLN;Umowa {deal}-1 nadpłata".encode()]
    more = await lb.import_statement(uow(), cfg, w["coll"].id, "wyciag2.csv", b"\n".join(overlapping))
    assert (more.booked, more.unmatched) == (1, 0)  # the lines the first statement brought are not booked twice
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    assert [r.amount for r in acc.receipts] == [D("1353.00"), D("1230.00"), D("10.00")]
    # the fees were paid a day late (24 November): a day's statutory interest, 1 353 × 15,25 % / 365 = 0.57, posted
    # as of that payment; the rest is an overpayment, credit for the next instalment
    assert [(c.key, c.gross) for c in acc.charges if c.kind == "interest"] == [("int:2026-11-24:p1", D("0.57"))]
    assert acc.balance == D("-9.43")
    with pytest.raises(InvalidInput) as caught:
        await lb.import_statement(uow(), cfg, w["coll"].id, "x.csv", b"nothing here")
    assert caught.value.key == "statement_format"


async def test_dunning_levels_once_each_and_a_letter_for_a_client_outside_the_bot(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    offline = await running(uow, factory, cfg, w, client_in_bot=False, nip="1234567802")
    await lb.register_payment(uow(), cfg, w["coll"].id, case.deal_id, "1353", key="f1")
    await lb.register_payment(uow(), cfg, w["coll"].id, offline.deal_id, "1353", key="f2")
    at(clock, date(2026, 12, 23))
    await lb.accrue(uow(), cfg)
    at(clock, date(2026, 12, 25))
    assert await lb.dun(uow(), cfg) == 0  # 2 days late: no level yet
    at(clock, date(2026, 12, 26))
    assert await lb.dun(uow(), cfg) == 2  # 3 days: the reminder, to both
    assert await lb.dun(uow(), cfg) == 0
    at(clock, date(2027, 1, 6))  # 14 days
    assert await lb.dun(uow(), cfg) == 2
    saldo = (await lb.account(uow(), cfg, w["client"].id, case.deal_id)).payable  # i1 and its 14 days' interest
    assert saldo == D("1237.19")  # 1 230 + 1 230 × 15,25 % × 14 / 365 = 7.194… → 7.19
    await lb.register_payment(uow(), cfg, w["coll"].id, case.deal_id, f"{saldo}", key="f3")  # paid: it stops
    at(clock, date(2027, 1, 22))  # 30 days
    assert await lb.dun(uow(), cfg) == 1
    sent = await rows(factory, m.LeaseDunning)
    assert [(d.deal_id, d.days, d.by_letter) for d in sent] == [
        (case.deal_id, 3, False), (offline.deal_id, 3, True), (case.deal_id, 14, False), (offline.deal_id, 14, True),
        (offline.deal_id, 30, True)]
    to_client = await rows(factory, m.Outbox, m.Outbox.kind == "lease_dunning", m.Outbox.user_id == w["client"].id)
    assert [n.payload["level"] for n in to_client] == ["reminder", "demand"]  # codes: the bot names them
    to_sales = await rows(factory, m.Outbox, m.Outbox.kind == "lease_dunning", m.Outbox.user_id == w["sales"].id)
    assert [(n.payload["by_letter"], n.payload["dunning_id"]) for n in to_sales] == [
        (False, None), (True, None), (False, None), (True, None), (True, None)]  # the responsible told of each
    letters = [n.payload for n in await rows(factory, m.Outbox, m.Outbox.kind == "lease_dunning",
                                             m.Outbox.user_id == w["bo"].id)]
    assert len(letters) == 3 and letters[-1]["owed"] == "1230.00" and letters[-1]["days"] == 30  # to send
    letter = await lb.letter_document(uow(), w["coll"].id, letters[-1]["dunning_id"])
    assert letter.content.startswith(b"%PDF")
    with pytest.raises(Forbidden):  # the letter is the staff's
        await lb.letter_document(uow(), w["client"].id, letters[-1]["dunning_id"])


async def test_suspension_stops_the_books_and_resumption_moves_the_schedule(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    await lb.set_table(uow(), w["admin"].id, lb.RATES, RATES)
    case = await running(uow, factory, cfg, w)
    deal = case.deal_id
    await lb.register_payment(uow(), cfg, w["coll"].id, deal, "1353", key="s1")
    with pytest.raises(Conflict) as caught:
        await lb.resume(uow(), cfg, w["coll"].id, deal)
    assert caught.value.key == "lease_active_already"
    at(clock, date(2026, 12, 1))
    with pytest.raises(InvalidInput):
        await lb.suspend(uow(), cfg, w["coll"].id, deal, "  ")  # a reason is needed
    await lb.suspend(uow(), cfg, w["coll"].id, deal, "Szkoda całkowita, czekamy na odszkodowanie")
    with pytest.raises(Conflict) as caught:
        await lb.suspend(uow(), cfg, w["coll"].id, deal, "again")
    assert caught.value.key == "lease_suspended_already"
    at(clock, date(2027, 2, 10))  # i1 (23 Dec) and i2 (23 Jan) fell due while suspended
    assert (await lb.accrue(uow(), cfg)).charges == 0
    assert await lb.dun(uow(), cfg) == 0
    assert await lb.post_interest(uow(), cfg) == 0
    _, shift = await lb.resume(uow(), cfg, w["coll"].id, deal)
    assert shift == 2
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    assert (acc.case.status, acc.case.schedule_version) == ("active", 3)
    assert [(x.key, x.due) for x in acc.lines][:2] == [("i1", date(2027, 2, 23)), ("i2", date(2027, 3, 23))]
    assert acc.lines[-1].key == "r" and acc.lines[-1].due == date(2028, 1, 23)  # the contract two months longer
    versions = await rows(factory, m.LeaseSchedule, m.LeaseSchedule.deal_id == deal, order=m.LeaseSchedule.version)
    assert [(v.version, v.reason) for v in versions] == [(1, "offer"), (2, "handover"), (3, "resumption")]
    # i1 (now due 23 February) is invoiced at the resumption, 13 days ahead (LEASE_INVOICE_DAYS: 14 by default)
    assert [(c.key, c.booked_on, c.due) for c in await rows(factory, m.LeaseCharge, m.LeaseCharge.deal_id == deal)
            if c.kind == "instalment"] == [("i1", date(2027, 2, 10), date(2027, 2, 23))]
    at(clock, date(2027, 2, 23))
    assert (await lb.accrue(uow(), cfg)).charges == 0
    at(clock, date(2027, 3, 9))  # i2 (23 March) 14 days ahead
    assert (await lb.accrue(uow(), cfg)).charges == 1


async def test_the_final_settlement_closes_the_contract_by_itself_and_returns_an_overpayment(uow, factory, cfg,
                                                                                             clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    deal = case.deal_id
    async with factory() as s:  # a contractual late-interest rate of 0 %: no interest to settle
        await s.execute(update(m.LeaseCase).where(m.LeaseCase.deal_id == deal).values(late_rate=D(0)))
        await s.commit()
    at(clock, date(2027, 11, 23))
    assert (await lb.accrue(uow(), cfg)).charges == 13  # twelve instalments and the residual
    # 1 353 fees + 12 × 1 230 + 1 476 = 17 589; paid with 10 too much
    booked = await lb.register_payment(uow(), cfg, w["coll"].id, deal, "17 599", key="z1")
    assert booked.closed
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    assert (acc.case.status, acc.balance, acc.settlement.settled) == ("closed", 0, True)
    refund = next(c for c in acc.charges if c.kind == "refund")
    assert refund.gross == D("10.00")
    closed = await rows(factory, m.Outbox, m.Outbox.kind == "lease_closed")
    assert {n.user_id for n in closed} == {w["client"].id, w["sales"].id} and closed[0].payload["refund"] == "10.00"
    with pytest.raises(Conflict) as caught:
        await lb.register_payment(uow(), cfg, w["coll"].id, deal, "5", key="z2")
    assert caught.value.key == "lease_contract_closed"
    import io

    from pypdf import PdfReader

    statement = await lb.settlement_document(uow(), w["client"].id, deal)
    text = PdfReader(io.BytesIO(statement.content)).pages[0].extract_text()
    assert f"Rozliczenie końcowe umowy leasingu nr {deal}\n" in text
    for line in ("Raty leasingowe 14 760,00", "Wykup 1 476,00", "Razem naliczono 17 589,00", "Wpłaty 17 599,00",
                 "Nadpłata 10,00 PLN zostanie zwrócona"):
        assert line.replace(" ", "") in text.replace(" ", "").replace("\xa0", ""), (line, text)
    assert (await lb.accrue(uow(), cfg)).charges == 0


async def test_commissions_once_a_month(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    await running(uow, factory, cfg, w)
    at(clock, date(2026, 12, 1))
    assert await lb.settle_commissions(uow(), cfg) == 2
    assert await lb.settle_commissions(uow(), cfg) == 0
    rows_ = await rows(factory, m.LeaseCommission, order=m.LeaseCommission.party)
    assert [(c.party, c.period, c.amount) for c in rows_] == [("sales", "2026-11", D("132.00")),
                                                            ("vendor", "2026-11", D("66.00"))]
    told = await rows(factory, m.Outbox, m.Outbox.kind == "lease_commission")
    assert [(n.user_id, n.payload["amount"]) for n in told] == [(w["sales"].id, "132.00")]


async def test_two_schedulers_at_once_charge_once(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    for nip in ("8567346215", "1234567802", "1234567819"):
        await running(uow, factory, cfg, w, nip=nip)
    at(clock, date(2027, 1, 30))
    results = await asyncio.gather(lb.run_day(uow, cfg), lb.run_day(uow, cfg))
    assert sorted(r.charges for r in results) == [0, 6]
    assert len(await rows(factory, m.LeaseCharge, m.LeaseCharge.kind == "instalment")) == 6
    assert len(await rows(factory, m.LeaseInvoice)) == 6 + 6  # the fees' and the instalments', each once
    assert LeaseStatus.ACTIVE == "active"


async def test_other_charges_and_credit_notes_with_their_fakturas(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    deal = case.deal_id
    fee = await lb.add_charge(uow(), cfg, w["coll"].id, deal, "50; Duplikat faktury", key="c1")
    assert (fee.kind, fee.net, fee.vat, fee.gross, fee.note) == ("fee", D("50.00"), D("11.50"), D("61.50"),
                                                                 "Duplikat faktury")
    with pytest.raises(Conflict) as caught:  # the same message twice
        await lb.add_charge(uow(), cfg, w["coll"].id, deal, "50; Duplikat faktury", key="c1")
    assert caught.value.key == "lease_charge_twice"
    with pytest.raises(InvalidInput) as caught:
        await lb.add_charge(uow(), cfg, w["coll"].id, deal, "50;  ", key="c2")  # what for
    with pytest.raises(InvalidInput) as caught:  # more than the corrected faktura's line holds (61,50)
        await lb.credit_note(uow(), cfg, w["coll"].id, deal, "FV/2026/000003; 2 000; Rabat", key="k1")
    assert caught.value.key == "lease_credit_too_big"
    correction = await lb.credit_note(uow(), cfg, w["coll"].id, deal,
                                      "FV/2026/000003; 61,50; Obciążenie anulowane", key="k2")
    assert lb.invoice_number(correction) == "FK/2026/000001"
    made = await lb.invoice_document(uow(), w["client"].id, correction.id)
    assert made.gross == D("-61.50") and made.document.content.startswith(b"%PDF")
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    assert acc.balance == D("1353.00") and acc.settlement.credited == D("61.50")
    assert [lb.invoice_number(i) for i in acc.invoices] == ["FV/2026/000001", "FV/2026/000002", "FV/2026/000003",
                                                            "FK/2026/000001"]
    await launch.set_late_rate(uow(), w["bo"].id, deal, "12,5 %")
    with pytest.raises(InvalidInput):
        await launch.set_late_rate(uow(), w["bo"].id, deal, "dużo")
    with pytest.raises(Forbidden):
        await launch.set_late_rate(uow(), w["coll"].id, deal, "0")  # the contract's terms are the back office's
    assert (await lb.account(uow(), cfg, w["client"].id, deal)).case.late_rate == D("12.50")
    await launch.set_late_rate(uow(), w["bo"].id, deal, "ustawowe")
    assert (await lb.account(uow(), cfg, w["client"].id, deal)).case.late_rate is None


async def test_insurance_reminders_before_the_policy_ends_once_each(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    await launch.set_insurance(uow(), cfg, w["bo"].id, case.deal_id, "Warta; W/2; 23.11.2026; 20.01.2027")  # a renewal
    at(clock, date(2026, 12, 20))
    assert await lb.remind_insurance(uow(), cfg) == 0  # 31 days before
    at(clock, date(2026, 12, 21))
    assert await lb.remind_insurance(uow(), cfg) == 1  # 30 days
    assert await lb.remind_insurance(uow(), cfg) == 0
    at(clock, date(2027, 1, 14))
    assert await lb.remind_insurance(uow(), cfg) == 1  # 6 days: the 7 days' reminder, once
    assert await lb.remind_insurance(uow(), cfg) == 0
    told = await rows(factory, m.Outbox, m.Outbox.kind == "lease_insurance")
    assert sorted((n.user_id, n.payload["days"]) for n in told) == sorted(
        [(w["bo"].id, 30), (w["client"].id, 30), (w["bo"].id, 6), (w["client"].id, 6)])
    assert {n.payload["policy_no"] for n in told} == {"W/2"}  # the policy in force, not the first one


async def test_the_admins_dunning_levels_and_a_gap_in_the_rate_table(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    with pytest.raises(Forbidden):
        await lb.set_table(uow(), w["coll"].id, lb.LEVELS, "5; A")
    await lb.set_table(uow(), w["admin"].id, lb.LEVELS, "5; Uprzejme przypomnienie\n20; Wezwanie")
    await lb.set_table(uow(), w["admin"].id, lb.RATES, "2027-01-01; 10")  # nothing before 2027: a gap
    assert await lb.table_text(uow(), w["admin"].id, lb.LEVELS) == "5; Uprzejme przypomnienie\n20; Wezwanie"
    case = await running(uow, factory, cfg, w)  # its fees unpaid from 23 November
    at(clock, date(2026, 11, 27))
    assert await lb.dun(uow(), cfg) == 0  # 4 days: the admins' first level is at 5
    at(clock, date(2026, 12, 1))
    first = await lb.run_day(uow, cfg)
    assert (first.interest, first.dunnings) == (0, 1)  # interest held back; the dunning goes on
    again = await lb.run_day(uow, cfg)
    assert not again
    gaps = await rows(factory, m.Outbox, m.Outbox.kind == "lease_rate_gap")
    assert [(n.user_id, n.payload) for n in gaps] == [(w["admin"].id, {"day": "2026-11-24"})]  # once a day
    await lb.set_table(uow(), w["admin"].id, lb.RATES, "2026-01-01; 36,5\n2027-01-01; 10")
    assert await lb.post_interest(uow(), cfg) == 1  # mended: November's interest posted (1 353 × 0,1 % × 7 days)
    interest = (await rows(factory, m.LeaseCharge, m.LeaseCharge.deal_id == case.deal_id,
                           m.LeaseCharge.kind == "interest"))[0]
    assert interest.gross == D("9.47")


async def test_the_saldo_shown_pays_off_to_the_grosz(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    deal = case.deal_id
    at(clock, date(2026, 12, 23))
    await lb.accrue(uow(), cfg)  # the fees (1 353, due 23 November) never paid, i1 (1 230) due today
    at(clock, date(2027, 1, 19))
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    # the fees 57 days late, i1 27 days, at the statutory 15,25 %: (1 353 × 57 + 1 230 × 27) × 0,1525 / 365
    # = 46.0965… → 46.10, not yet posted
    assert (acc.balance, acc.accrued, acc.payable) == (D("2583.00"), D("46.10"), D("2629.10"))
    booked = await lb.register_payment(uow(), cfg, w["coll"].id, deal, "2 629,10", key="p1")
    assert booked.balance == 0
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    assert (acc.balance, acc.accrued, acc.payable, acc.overdue) == (0, 0, 0, 0)
    assert all(c.paid_off == date(2027, 1, 19) for c in acc.charges)
    assert [(c.key, c.gross) for c in acc.charges if c.kind == "interest"] == [("int:2027-01-19:p1", D("46.10"))]
    at(clock, date(2027, 2, 1))
    assert await lb.post_interest(uow(), cfg) == 0  # nothing grew after the payment: the month adds nothing
    assert (await lb.account(uow(), cfg, w["client"].id, deal)).payable == 0
