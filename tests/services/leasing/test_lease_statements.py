"""A bank statement matched to the contracts it pays (issue 29): by the reference in the title (never a range of
instalments: «Rata 1-12 umowa 55-1» is contract 55), else by the payer's account among the clients' accounts, else
by the amount among that client's open charges; a payment typed by hand before is matched to its line and never
booked twice; a line kept aside assigned to a contract by the back office, booked as if matched, audited, its
account learned for the next statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import update

from core.db.kernel import models as m
from core.domain.kernel.errors import Conflict, Forbidden, InvalidInput
from core.services.leasing import books as lb
from core.services.leasing import launch
from tests.services.leasing.test_lease_books import at, at_launch, rows, running, staff
from tests.services.leasing.test_leasing import lessor

D = Decimal
IBAN_A = "PL61109010140000071219812874"  # Alfa's, on its card
IBAN_B = "PL27114020040000300201355387"  # a payer nobody knows yet
HEAD = "Data;Kwota;Waluta;Tytuł;Rachunek\n"


async def launched(uow, factory, cfg, w, case: m.LeaseCase) -> m.LeaseCase:
    await launch.pay_vendor(uow(), cfg, w["bo"].id, case.deal_id, "13 200; PRZELEW 1")
    await launch.set_insurance(uow(), cfg, w["bo"].id, case.deal_id, "PZU S.A.; POL/2026/1; 23.11.2026; 22.11.2027")
    return await launch.hand_over(uow(), cfg, w["bo"].id, case.deal_id)


async def test_matched_by_reference_then_account_then_amount(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    first = await running(uow, factory, cfg, w)  # Alfa's first contract
    alfa = (await rows(factory, m.Client, m.Client.id == first.client_id))[0]
    second = await launched(uow, factory, cfg, w, await at_launch(uow, factory, cfg, w, client=alfa,
                                                                  terms="28 400; 2 000; 12; 0; 2 400; 200",
                                                                  subject="Ładowarka"))
    other = await running(uow, factory, cfg, w, nip="1234567802")
    async with factory() as s:
        await s.execute(update(m.Client).where(m.Client.id == alfa.id).values(iban=IBAN_A))
        await s.commit()
    assert first.deal_id < 10  # «Rata 1-12 …» would have read contract 1 (or 12): a contract of that number exists
    at(clock, date(2026, 12, 23))
    await lb.accrue(uow(), cfg)
    # the fees: the first contract's 1 353, the second's 2 706 (2 000 + 200 net); the instalments 1 230 and 2 460
    statement = (HEAD
                 + f"2026-12-23;1230,00;PLN;Rata 1-12 umowa {other.deal_id}-1;\n"  # 1: by reference, not «1-12»
                 + f"2026-12-23;2460,00;PLN;Za ładowarkę rata 1;{IBAN_A}\n"  # 2: Alfa's account, the amount: second
                 + "2026-12-23;999,00;PLN;Przelew;" + IBAN_A + "\n"  # 3: Alfa's, but no contract owes 999: aside
                 + f"2026-12-23;1353,00;PLN;Opłaty;{IBAN_B}\n"  # 4: nobody's account, no reference: aside
                 + f"2026-12-23;1,00;PLN;Rata 1-{first.deal_id};\n").encode()  # 5: «Rata» ranges are no reference
    done = await lb.import_statement(uow(), cfg, w["coll"].id, "wyciag.csv", statement)
    assert (done.booked, done.by_account, done.unmatched, done.typed) == (2, 1, 3, 0)
    receipts = await rows(factory, m.LeaseReceipt, m.LeaseReceipt.kind == "payment")
    assert [(r.deal_id, r.amount, r.account) for r in receipts] == [(other.deal_id, D("1230.00"), None),
                                                                   (second.deal_id, D("2460.00"), IBAN_A)]
    aside = await rows(factory, m.LeaseStatementLine)
    assert [(x.n, x.problem, x.account) for x in aside] == [(3, "ambiguous", IBAN_A), (4, "unknown_contract", IBAN_B),
                                                            (5, "unknown_contract", None)]

    # the line from the unknown account assigned to the first contract in the chat: booked, audited, learned
    with pytest.raises(Forbidden):
        await lb.assign_line(uow(), cfg, w["sales"].id, aside[1].id, f"{first.deal_id}-1")
    with pytest.raises(InvalidInput) as caught:
        await lb.assign_line(uow(), cfg, w["coll"].id, aside[1].id, "umowa")
    assert caught.value.key == "books_match.contract_format"
    with pytest.raises(InvalidInput) as caught:
        await lb.assign_line(uow(), cfg, w["coll"].id, aside[1].id, "99999-1")
    assert caught.value.key == "books_match.no_contract"
    booked = await lb.assign_line(uow(), cfg, w["coll"].id, aside[1].id, f"{first.deal_id}-1")
    assert (booked.receipt.deal_id, booked.receipt.amount, booked.receipt.key, booked.receipt.source) == (
        first.deal_id, D("1353.00"), aside[1].key, "statement")
    with pytest.raises(Conflict) as caught:  # a second press
        await lb.assign_line(uow(), cfg, w["coll"].id, aside[1].id, f"{first.deal_id}-1")
    assert caught.value.key == "books_match.line_assigned"
    audit = await rows(factory, m.AuditLog, m.AuditLog.action == "assign_line")
    assert [(a.actor_id, a.entity) for a in audit] == [(w["coll"].id, "lease_statement")]
    assert [x.n for x in await lb.unmatched(uow(), w["coll"].id)] == [5, 3]  # the assigned one is no longer listed
    learned = await rows(factory, m.LeaseClientAccount, order=m.LeaseClientAccount.iban)
    assert [(a.client_id, a.iban, a.source) for a in learned] == [(alfa.id, IBAN_B, "assigned")]

    # the next statement: the same line again adds nothing; the learned account finds Alfa, the amount the contract
    at(clock, date(2026, 12, 28))
    again = (HEAD + f"2026-12-23;1353,00;PLN;Opłaty;{IBAN_B}\n"
             + f"2026-12-27;1230,00;PLN;Rata grudzień;{IBAN_B}\n").encode()
    more = await lb.import_statement(uow(), cfg, w["coll"].id, "wyciag2.csv", again)
    assert (more.booked, more.by_account, more.unmatched, more.skipped) == (1, 1, 0, 1)
    last = (await rows(factory, m.LeaseReceipt, m.LeaseReceipt.kind == "payment"))[-1]
    assert (last.deal_id, last.amount) == (first.deal_id, D("1230.00"))


async def test_a_payment_typed_by_hand_is_matched_to_its_statement_line(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    deal = case.deal_id
    at(clock, date(2026, 11, 25))
    await lb.register_payment(uow(), cfg, w["coll"].id, deal, "1 353 23.11.2026", key="typed")
    statement = (HEAD + f"2026-11-23;1353,00;PLN;Opłaty umowa {deal}-1;{IBAN_B}\n"
                 + f"2026-11-23;1353,00;PLN;Opłaty umowa {deal}-1 (drugi raz);\n").encode()
    done = await lb.import_statement(uow(), cfg, w["coll"].id, "wyciag.csv", statement)
    assert (done.booked, done.typed, done.unmatched) == (1, 1, 0)  # the second 1 353 is money the client sent twice
    receipts = await rows(factory, m.LeaseReceipt, m.LeaseReceipt.kind == "payment")
    assert [(r.key, r.source, r.line_key is not None, r.account) for r in receipts] == [
        ("m:typed", "manual", True, IBAN_B), (receipts[1].key, "statement", False, None)]
    acc = await lb.account(uow(), cfg, w["client"].id, deal)
    assert acc.balance == D("-1353.00")  # the fees paid once, the second transfer kept as credit
    overlapping = (HEAD + f"2026-11-23;1353,00;PLN;Opłaty umowa {deal}-1;{IBAN_B}\n").encode() + b"\n"
    more = await lb.import_statement(uow(), cfg, w["coll"].id, "wyciag2.csv", overlapping)
    assert (more.booked, more.typed, more.skipped) == (0, 0, 1)  # the line matched to the typed payment: present


async def test_commissions_catch_up_a_skipped_month_and_a_backdated_handover_exactly_once(uow, factory, cfg, clock):
    import asyncio

    w = await staff(uow, cfg, await lessor(uow, cfg))
    await running(uow, factory, cfg, w)  # handed over 23 November 2026
    at(clock, date(2026, 12, 10))
    december = await at_launch(uow, factory, cfg, w, nip="1234567802")
    await launched(uow, factory, cfg, w, december)  # handed over 10 December
    # the scheduler did not run on 1 December: January's run settles November and December
    at(clock, date(2027, 1, 1))
    assert await lb.settle_commissions(uow(), cfg) == 4
    assert await lb.settle_commissions(uow(), cfg) == 0
    at(clock, date(2027, 1, 2))
    late = await at_launch(uow, factory, cfg, w, nip="1234567819")
    await launch.pay_vendor(uow(), cfg, w["bo"].id, late.deal_id, "13 200 30.12.2026")
    await launch.set_insurance(uow(), cfg, w["bo"].id, late.deal_id, "PZU; P3; 30.12.2026; 29.12.2027")
    await launch.hand_over(uow(), cfg, w["bo"].id, late.deal_id, "30.12.2026")  # typed late: December's
    at(clock, date(2027, 2, 1))
    results = await asyncio.gather(lb.settle_commissions(uow(), cfg), lb.settle_commissions(uow(), cfg))
    assert sorted(results) == [0, 2]  # two schedulers at once: once
    settled = await rows(factory, m.LeaseCommission, order=m.LeaseCommission.settled_on)
    assert [(c.period, c.party, c.settled_on) for c in settled if c.deal_id == late.deal_id] == [
        ("2026-12", "sales", date(2027, 2, 1)), ("2026-12", "vendor", date(2027, 2, 1))]
    assert len(settled) == 6 and len({(c.deal_id, c.party) for c in settled}) == 6
    told = await rows(factory, m.Outbox, m.Outbox.kind == "lease_commission")
    assert [(n.payload["period"], n.payload["contracts"], n.payload["amount"]) for n in told] == [
        ("2026-11", 1, "132.00"), ("2026-12", 1, "132.00"), ("2026-12", 1, "132.00")]
    at(clock, date(2027, 3, 1))
    assert await lb.settle_commissions(uow(), cfg) == 0


async def test_dunning_counts_no_suspended_days_and_collections_hears_of_each_run(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)
    deal = case.deal_id
    await lb.register_payment(uow(), cfg, w["coll"].id, deal, "1353", key="fees")
    at(clock, date(2026, 12, 23))
    await lb.accrue(uow(), cfg)  # i1 due today, never paid
    at(clock, date(2026, 12, 26))
    assert await lb.dun(uow(), cfg) == 1  # 3 days: the reminder
    at(clock, date(2027, 1, 1))
    await lb.suspend(uow(), cfg, w["coll"].id, deal, "Szkoda, czekamy na odszkodowanie")
    at(clock, date(2027, 2, 1))
    await lb.resume(uow(), cfg, w["coll"].id, deal)
    at(clock, date(2027, 2, 18))  # 57 days after 23 December, 31 of them suspended: 26 days late
    assert await lb.dun(uow(), cfg) == 1
    at(clock, date(2027, 2, 21))  # 29 days: 60 − 31
    assert await lb.dun(uow(), cfg) == 0
    at(clock, date(2027, 2, 22))  # 30 days
    assert await lb.dun(uow(), cfg) == 1
    sent = await rows(factory, m.Outbox, m.Outbox.kind == "lease_dunning", m.Outbox.user_id == w["client"].id)
    assert [(n.payload["level"], n.payload["days"]) for n in sent] == [
        ("reminder", 3), ("demand", 26),  # the default levels stored as codes, the bot names them
        ("final", 30)]  # never «58 dni po terminie»
    runs = await rows(factory, m.Outbox, m.Outbox.kind == "lease_dunning_run")
    assert [(n.user_id, n.payload) for n in runs] == [
        (w["coll"].id, {"day": "2026-12-26", "sent": [[deal, case.subject, "reminder", 3, 0]]}),
        (w["coll"].id, {"day": "2027-02-18", "sent": [[deal, case.subject, "demand", 26, 0]]}),
        (w["coll"].id, {"day": "2027-02-22",
                        "sent": [[deal, case.subject, "final", 30, 0]]})]
