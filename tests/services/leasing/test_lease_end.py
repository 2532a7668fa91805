"""The contract's end through the services (seed 002, «Zakończenie umowy»; docs/leasing-end.md), on a real database
and the test's clock: the last payment makes the ownership transfer protocol by itself (a reaction to the domain
event), naming the wykup faktura the books issued; an early termination charges its settlement (the principal
left, the contract's interest to the day, the fee) with fakturas on the books' series, the schedule's other lines
never charged; the settlement paid closes it as an early buyout; a return with its protocol; the identity check
passed, failed or left to a person by itself; an offer accepted on a client's behalf with the signed document."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy_financial as npf
import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from core.db.kernel import models as m
from core.domain.kernel.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from core.domain.leasing.case import LeaseStatus
from core.services.leasing import books as lb
from core.services.leasing import ending
from core.services.leasing import origination as leasing
from core.services.leasing.books import ksef
from tests.services.leasing.test_lease_books import at, rows, running, staff
from tests.services.leasing.test_leasing import IBAN, lessor, opened

D = Decimal
#: 100 000 net, nothing down, 12 months at 12 % (1 % a month), wykup 10 000: the schedule numpy-financial checks
TERMS = "100 000; 0; 12; 12; 10 000"


def pdf_text(content: bytes) -> str:
    import io

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def no_late_interest(factory, deal: int) -> None:
    async with factory() as s:
        await s.execute(update(m.LeaseCase).where(m.LeaseCase.deal_id == deal).values(late_rate=D(0)))
        await s.commit()


async def test_the_last_payment_transfers_the_ownership_by_itself(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w)  # 12 × 1 230 gross, the wykup 1 476 with the last one
    deal = case.deal_id
    await no_late_interest(factory, deal)
    at(clock, date(2027, 11, 23))
    assert (await lb.accrue(uow(), cfg)).charges == 13
    assert await rows(factory, m.LeaseEnding) == []
    await lb.register_payment(uow(), cfg, w["coll"].id, deal, "17 000", key="p1")  # not all: nothing passes yet
    assert await rows(factory, m.LeaseEnding) == []
    booked = await lb.register_payment(uow(), cfg, w["coll"].id, deal, "589", key="p2")  # the last of it
    assert booked.closed
    [end] = await rows(factory, m.LeaseEnding)
    assert (end.kind, end.day, end.made_by) == ("buyout", date(2027, 11, 23), None)
    charges = await rows(factory, m.LeaseCharge, m.LeaseCharge.deal_id == deal)
    residual = next(c for c in charges if c.kind == "residual")
    invoice = (await rows(factory, m.LeaseInvoice, m.LeaseInvoice.charge_id == residual.id))[0]
    assert end.invoice_id == invoice.id  # the wykup faktura, issued on the books' own series
    told = await rows(factory, m.Outbox, m.Outbox.kind == "lease_ended")
    assert {n.user_id for n in told} == {w["client"].id, w["sales"].id}
    assert told[0].payload == {"deal_id": deal, "subject": "Koparka Volvo EC220E", "how": "buyout",
                               "ending_id": end.id, "invoice": lb.invoice_number(invoice)}
    [doc] = await rows(factory, m.Document, m.Document.id == end.document_id)
    text = pdf_text(doc.content)
    assert "Protokół przeniesienia własności" in text and lb.invoice_number(invoice) in text
    audit = await rows(factory, m.AuditLog, m.AuditLog.action == "ownership_transferred")
    assert [(a.entity_id, a.actor_id) for a in audit] == [(deal, None)]
    made = await ending.ending_document(uow(), w["client"].id, end.id)  # the client reads it again: the same one
    assert (made.document.id, made.kind, made.invoice) == (doc.id, "buyout", lb.invoice_number(invoice))
    with pytest.raises(Forbidden):
        await ending.ending_document(uow(), w["sales2"].id, end.id)


async def test_an_early_termination_charges_its_settlement_and_paid_it_is_a_buyout(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w, terms=TERMS)  # handed over on 23.11.2026
    deal = case.deal_id
    await no_late_interest(factory, deal)
    at(clock, date(2027, 3, 23))
    await lb.accrue(uow(), cfg)  # four instalments charged: 23.12, 23.01, 23.02, 23.03
    with pytest.raises(Forbidden):  # the back office's, not the salesperson's
        await ending.termination_preview(uow(), cfg, w["sales"].id, deal, "dziś; 2%")
    at(clock, date(2027, 4, 7))  # 15 days into the fifth period (31 days)
    with pytest.raises(InvalidInput) as caught:
        await ending.termination_preview(uow(), cfg, w["bo"].id, deal, "20.03.2027; 2%")  # before a line charged
    assert caught.value.key == "lease_end_before"
    with pytest.raises(InvalidInput) as caught:
        await ending.termination_preview(uow(), cfg, w["bo"].id, deal, "08.04.2027")
    assert caught.value.key == "lease_end_future"
    preview = await ending.termination_preview(uow(), cfg, w["bo"].id, deal, "dziś; 2%")
    t = preview.terms
    # the oracle: the balance after four payments of the rounded instalment, and the fifth period's interest
    pmt = -npf.pmt(0.01, 12, 100000, -10000)
    balance = npf.fv(0.01, 4, round(pmt, 2), -100000)
    assert abs(t.principal - D(str(round(balance, 2)))) <= D("0.02")
    fifth = -npf.ipmt(0.01, 5, 12, 100000, -10000)
    assert abs(t.interest - D(str(round(fifth * 15 / 31, 2)))) <= D("0.01")
    assert t.fee == (t.principal * 2 / 100).quantize(D("0.01"))
    assert (t.day, t.since, t.until, t.lines) == (date(2027, 4, 7), date(2027, 3, 23), date(2027, 4, 23), 9)
    assert await rows(factory, m.LeaseEnding) == []  # a preview writes nothing

    made = await ending.terminate(uow(), cfg, w["bo"].id, deal, "dziś; 2%")
    assert made.terms == t
    acc = await lb.account(uow(), cfg, w["bo"].id, deal)
    assert acc.case.status == "terminated" and acc.next_line is None  # nothing more to charge
    settlement = [c for c in acc.charges if c.kind == "termination"]
    assert [(c.key, c.net, c.vat) for c in settlement] == [
        ("tp", t.principal, (t.principal * D("0.23")).quantize(D("0.01"))),
        ("ti", t.interest, (t.interest * D("0.23")).quantize(D("0.01"))),
        ("tf", t.fee, (t.fee * D("0.23")).quantize(D("0.01")))]
    numbered = {i.charge_id for i in acc.invoices}
    assert all(c.id in numbered for c in settlement)  # each with its faktura, on the books' series
    assert all(c.note is None for c in settlement)  # no sentence stored: a faktura names the part in its language
    first = next(i for i in acc.invoices if i.charge_id == settlement[0].id)
    async with uow() as u:
        assert (await ksef.facts(u, first)).item == "Rozliczenie przedterminowe: kapitał pozostały"  # the XML's
        # a faktura is a Polish tax document whoever reads it (core.documents.FIXED_LANGUAGE)
        assert (await ksef.facts(u, first, "en")).item == "Rozliczenie przedterminowe: kapitał pozostały"
        assert (await ksef.facts(u, first, "ru")).item == "Rozliczenie przedterminowe: kapitał pozostały"
    at(clock, date(2027, 6, 1))
    assert (await lb.accrue(uow(), cfg)).charges == 0  # the schedule's other lines are never charged
    [end] = await rows(factory, m.LeaseEnding)
    assert (end.kind, end.principal, end.interest, end.fee, end.made_by) == (
        "termination", t.principal, t.interest, t.fee, w["bo"].id)
    [doc] = await rows(factory, m.Document, m.Document.id == end.document_id)
    assert "Rozliczenie przedterminowego" in pdf_text(doc.content)
    told = await rows(factory, m.Outbox, m.Outbox.kind == "lease_ended")
    assert {n.user_id for n in told} == {w["client"].id, w["sales"].id}
    with pytest.raises(IllegalTransition):  # once
        await ending.terminate(uow(), cfg, w["bo"].id, deal, "dziś")

    owed = acc.balance
    booked = await lb.register_payment(uow(), cfg, w["coll"].id, deal, f"{owed}", key="t1")
    assert booked.closed  # the settlement paid: bought out early, the protocol by itself
    kinds = [e.kind for e in await rows(factory, m.LeaseEnding)]
    assert kinds == ["termination", "buyout"]
    buyout = (await rows(factory, m.LeaseEnding, m.LeaseEnding.kind == "buyout"))[0]
    principal = next(c for c in settlement if c.key == "tp")
    assert buyout.invoice_id == next(i.id for i in acc.invoices if i.charge_id == principal.id)


async def test_a_returned_object_is_recorded_with_its_protocol_and_passes_nothing(uow, factory, cfg, clock):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await running(uow, factory, cfg, w, terms=TERMS)
    deal = case.deal_id
    await no_late_interest(factory, deal)
    at(clock, date(2027, 1, 10))
    with pytest.raises(IllegalTransition):  # a running contract is terminated first
        await ending.record_return(uow(), cfg, w["bo"].id, deal, "dziś; stan dobry")
    await ending.terminate(uow(), cfg, w["bo"].id, deal, "dziś")
    with pytest.raises(InvalidInput):
        await ending.record_return(uow(), cfg, w["bo"].id, deal, "dziś;")  # the object's state is what it records
    at(clock, date(2027, 1, 12))
    row = await ending.record_return(uow(), cfg, w["bo"].id, deal, "dziś; stan dobry, przebieg 1 200 mth")
    assert (row.kind, row.day, row.notes) == ("return", date(2027, 1, 12), "stan dobry, przebieg 1 200 mth")
    case = (await rows(factory, m.LeaseCase, m.LeaseCase.deal_id == deal, order=m.LeaseCase.deal_id))[0]
    assert case.status == "returned"
    [doc] = await rows(factory, m.Document, m.Document.id == row.document_id)
    assert "stan dobry, przebieg 1 200 mth" in pdf_text(doc.content)
    acc = await lb.account(uow(), cfg, w["bo"].id, deal)
    await lb.register_payment(uow(), cfg, w["coll"].id, deal, f"{acc.balance}", key="r1")  # what was owed, paid
    case = (await rows(factory, m.LeaseCase, m.LeaseCase.deal_id == deal, order=m.LeaseCase.deal_id))[0]
    assert case.status == "closed"
    assert [e.kind for e in await rows(factory, m.LeaseEnding)] == ["termination", "return"]  # no ownership passes


async def drafted(uow, factory, cfg, w) -> m.LeaseCase:
    """A case at «Wniosek»: its client outside Telegram, the offer accepted on their behalf."""
    case = await opened(uow, cfg, w)
    [offer] = await rows(factory, m.LeaseOffer, m.LeaseOffer.deal_id == case.deal_id)
    return await leasing.accept_on_behalf(uow(), w["sales"].id, offer.id, {"file_id": "BQAC-x", "file_name": "a.pdf"})


@pytest.mark.parametrize(("typed", "result", "reasons", "verified"), [
    (f"ALFA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ; {IBAN}; 1,00", "passed", "", True),
    ("Alfa sp. z o.o.; DE89 3704 0044 0532 0130 00; 1,00", "failed", "account", False),
    (f"Jan Kowalski; {IBAN}; 1,00", "needs_person", "name", False),
    (f"{IBAN}; 1,00", "needs_person", "no_name", False),
])
async def test_the_identity_check_decides_by_itself_where_it_can(uow, factory, cfg, typed, result, reasons,
                                                                 verified):
    w = await lessor(uow, cfg)
    case = await drafted(uow, factory, cfg, w)
    row = await leasing.verification_payment(uow(), w["sales"].id, case.deal_id, typed)
    assert (row.result, row.reasons) == (result, reasons)
    case = (await rows(factory, m.LeaseCase, m.LeaseCase.deal_id == case.deal_id, order=m.LeaseCase.deal_id))[0]
    assert (case.verified_at is not None) == verified
    audit = await rows(factory, m.AuditLog, m.AuditLog.action == f"identity_{result}")
    assert [a.actor_id for a in audit] == [w["sales"].id]
    asked = await rows(factory, m.Outbox, m.Outbox.kind == "lease_identity")
    assert {n.user_id for n in asked} == ({w["admin"].id, w["risk"].id, w["bo"].id} if result == "needs_person"
                                          else set())


async def test_a_person_decides_what_the_automaton_could_not(uow, factory, cfg):
    w = await lessor(uow, cfg)
    case = await drafted(uow, factory, cfg, w)
    row = await leasing.verification_payment(uow(), w["sales"].id, case.deal_id, f"Jan Kowalski; {IBAN}; 1,00")
    with pytest.raises(Forbidden):  # not the salesperson whose case it is
        await leasing.decide_identity(uow(), w["sales"].id, row.id, True)
    decided = await leasing.decide_identity(uow(), w["risk"].id, row.id, True)
    assert (decided.decision, decided.decided_by) == ("passed", w["risk"].id)
    case = (await rows(factory, m.LeaseCase, m.LeaseCase.deal_id == case.deal_id, order=m.LeaseCase.deal_id))[0]
    assert case.verified_amount == D("1.00")
    with pytest.raises(Conflict):  # once
        await leasing.decide_identity(uow(), w["admin"].id, row.id, False)
    assert [a.actor_id for a in await rows(factory, m.AuditLog, m.AuditLog.action == "identity_decided_passed")] \
        == [w["risk"].id]


async def test_an_offer_accepted_on_behalf_of_a_client_outside_telegram(uow, factory, cfg):
    w = await lessor(uow, cfg)
    case = await opened(uow, cfg, w)  # the client is not in the bot: the offer cannot be sent
    [offer] = await rows(factory, m.LeaseOffer)
    signed = {"file_id": "BQACAgIAAxk-signed", "file_name": "akceptacja_oferty.pdf", "kind": "document"}
    with pytest.raises(Forbidden):  # another salesperson
        await leasing.accept_on_behalf(uow(), w["sales2"].id, offer.id, signed)
    case = await leasing.accept_on_behalf(uow(), w["sales"].id, offer.id, signed)
    assert (case.status, case.offer_id) == (LeaseStatus.DRAFT, offer.id)
    [offer] = await rows(factory, m.LeaseOffer)
    assert (offer.status, offer.accepted_by, offer.accepted_file_id, offer.accepted_file_name) == (
        "accepted", w["sales"].id, "BQACAgIAAxk-signed", "akceptacja_oferty.pdf")
    [audit] = await rows(factory, m.AuditLog, m.AuditLog.action == "offer_accepted_on_behalf")
    assert (audit.actor_id, audit.comment) == (w["sales"].id, "v1 akceptacja_oferty.pdf")
    view = await leasing.view(uow(), w["sales"].id, case.deal_id)
    assert view.accepted_by.id == w["sales"].id
    with pytest.raises(Conflict):  # accepted already
        await leasing.accept_on_behalf(uow(), w["sales"].id, offer.id, signed)
    async with factory() as s:
        assert await s.scalar(select(m.LeaseCase.status).where(m.LeaseCase.deal_id == case.deal_id)) == "draft"
