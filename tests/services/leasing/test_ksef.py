"""KSeF and the correcting faktura through the services, on a real database, the test's clock and the fake KSeF
(tests/fake_ksef.py: never the real network): each faktura queued when issued, sent by a pass of the queue, its
KSeF number and UPO stored and printed; KSeF down: the faktura offline (KOD I «OFFLINE» and KOD II on its PDF),
sent in offline mode once KSeF is back, exactly once (a restart between the hand-over and the answer asks by the
references); refused ones kept with why; without the settings nothing is sent. A correcting faktura names the
corrected one, its line before and after to the grosz, and its credit pays the charge it corrects, not interest."""

from __future__ import annotations

import dataclasses
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

from core.db.kernel import models as m
from core.domain.kernel.errors import InvalidInput
from core.services.kernel.config import KsefConfig
from core.services.leasing import books as lb
from core.services.leasing.books import ksef_api
from tests.fake_ksef import NIP, TOKEN, offline_certificate
from tests.fake_ksef import running as fake_ksef
from tests.services.leasing.test_lease_books import RATES, at, rows, running, staff
from tests.services.leasing.test_leasing import lessor

D = Decimal


def on(cfg, url, **kw):
    return dataclasses.replace(cfg, ksef=KsefConfig(nip=NIP, token=TOKEN, api_url=url, poll_seconds=0.01, **kw))


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())


def qr_squares(content: bytes) -> int:
    """The filled rectangles on the pages (the QR codes' modules; the template draws none)."""
    return sum(p.get_contents().get_data().count(b" re f") for p in PdfReader(io.BytesIO(content)).pages)


async def test_without_the_settings_fakturas_are_queued_and_nothing_is_sent(uow, factory, cfg):
    w = await staff(uow, cfg, await lessor(uow, cfg))
    await running(uow, factory, cfg, w)
    subs = await rows(factory, m.KsefSubmission)
    assert [(s.status, s.offline, s.xml) for s in subs] == [("pending", False, None)] * 2  # the two fees
    assert not await lb.ksef.send_pending(uow, cfg)
    state = await lb.ksef.state(uow(), cfg, w["admin"].id)
    assert (state.enabled, state.waiting) == (False, 2)
    invoice = (await rows(factory, m.LeaseInvoice))[0]
    made = await lb.invoice_document(uow(), w["client"].id, invoice.id, cfg)
    text = pdf_text(made.document.content)
    assert "KSeF" not in text and "OFFLINE" not in text and qr_squares(made.document.content) == 0


async def test_fakturas_go_to_ksef_with_their_number_and_upo_printed(uow, factory, cfg, clock):
    async with fake_ksef() as (fake, url):
        cfg = on(cfg, url)
        w = await staff(uow, cfg, await lessor(uow, cfg))
        case = await running(uow, factory, cfg, w)
        done = await lb.ksef.send_pending(uow, cfg)
        assert (done.sent, done.refused, done.offline) == (2, 0, 0)
        assert not await lb.ksef.send_pending(uow, cfg)  # nothing left: never twice
        invoices = await rows(factory, m.LeaseInvoice)
        assert [i.ksef_number for i in invoices] == [x["ksef"] for x in fake.accepted]
        assert all(i.ksef_upo and i.ksef_number in i.ksef_upo for i in invoices)
        assert [x["number"] for x in fake.accepted] == ["FV/2026/000001", "FV/2026/000002"]
        assert [x["offline"] for x in fake.accepted] == [False, False]
        subs = await rows(factory, m.KsefSubmission)
        assert [s.status for s in subs] == ["accepted", "accepted"]
        assert [s.xml.encode() for s in subs] == [x["xml"] for x in fake.accepted]  # what was kept is what went
        made = await lb.invoice_document(uow(), w["client"].id, invoices[0].id, cfg)
        text = pdf_text(made.document.content)
        assert f"Numer KSeF: {invoices[0].ksef_number}" in text and "offline" not in text
        assert text.count(invoices[0].ksef_number) == 2  # the header, and KOD I's caption
        assert qr_squares(made.document.content) > 100  # KOD I, drawn
        state = await lb.ksef.state(uow(), cfg, w["admin"].id)
        assert (state.enabled, state.env, state.waiting, state.accepted, state.refused) == (True, "test", 0, 2, 0)
        audit = await rows(factory, m.AuditLog, m.AuditLog.action == "ksef_accepted")
        assert [a.entity_id for a in audit] == [case.deal_id] * 2


async def test_ksef_down_the_faktura_is_offline_and_goes_once_ksef_is_back(uow, factory, cfg, clock):
    cert, key = offline_certificate()
    async with fake_ksef() as (fake, url):
        cfg = on(cfg, url, offline_cert_pem=cert, offline_key_pem=key)
        w = await staff(uow, cfg, await lessor(uow, cfg))
        case = await running(uow, factory, cfg, w)
        fake.down = True
        done = await lb.ksef.send_pending(uow, cfg)
        assert (done.sent, done.offline) == (0, 2)
        subs = await rows(factory, m.KsefSubmission)
        assert [(s.status, s.offline, s.attempts) for s in subs] == [("pending", True, 1)] * 2
        assert all(s.next_try_at == clock.now() + timedelta(seconds=60) for s in subs)
        invoice = (await rows(factory, m.LeaseInvoice))[0]
        made = await lb.invoice_document(uow(), w["client"].id, invoice.id, cfg)
        text = pdf_text(made.document.content)
        assert "Faktura wystawiona w trybie offline (KSeF)" in text
        assert "OFFLINE" in text and "CERTYFIKAT" in text  # KOD I's and KOD II's captions
        assert qr_squares(made.document.content) > 200  # both drawn
        fake.down = False
        assert not await lb.ksef.send_pending(uow, cfg)  # not before its time
        clock.set(clock.now() + timedelta(seconds=61))
        done = await lb.ksef.send_pending(uow, cfg)
        assert (done.sent, done.offline) == (2, 0)
        assert [(x["number"], x["offline"]) for x in fake.accepted] == [("FV/2026/000001", True),
                                                                         ("FV/2026/000002", True)]
        invoice = (await rows(factory, m.LeaseInvoice))[0]
        assert invoice.ksef_number == fake.accepted[0]["ksef"] and invoice.document_id is None  # PDF made again
        made = await lb.invoice_document(uow(), w["client"].id, invoice.id, cfg)
        assert f"Numer KSeF: {invoice.ksef_number}" in pdf_text(made.document.content)
        assert made.document.content.count(b"%PDF") == 1
        assert case.deal_id == invoice.deal_id


async def test_a_restart_between_the_hand_over_and_the_answer_never_sends_twice(uow, factory, cfg, clock,
                                                                                 monkeypatch):
    async with fake_ksef() as (fake, url):
        cfg = on(cfg, url)
        w = await staff(uow, cfg, await lessor(uow, cfg))
        await running(uow, factory, cfg, w)

        async def lost(*args, **kw):  # the connection lost after the hand-over (or the process stopped there)
            raise ksef_api.Unavailable("connection reset")

        real = ksef_api._outcome
        monkeypatch.setattr(ksef_api, "_outcome", lost)
        done = await lb.ksef.send_pending(uow, cfg)
        assert (done.sent, done.offline) == (0, 2)
        subs = await rows(factory, m.KsefSubmission)
        assert all(s.invoice_ref and s.session_ref and not s.offline for s in subs)  # handed over, KSeF was up
        sends = sum(r.startswith("POST") and r.endswith("/invoices") for r in fake.requests)
        assert sends == 2
        monkeypatch.setattr(ksef_api, "_outcome", real)
        clock.set(clock.now() + timedelta(seconds=61))
        done = await lb.ksef.send_pending(uow, cfg)
        assert done.sent == 2
        assert sum(r.startswith("POST") and r.endswith("/invoices") for r in fake.requests) == sends  # asked, not sent
        assert len(fake.accepted) == 2


async def test_ksef_answers_a_second_sending_of_the_same_faktura_with_its_first_number(uow, factory, cfg):
    async with fake_ksef() as (fake, url):
        cfg = on(cfg, url)
        w = await staff(uow, cfg, await lessor(uow, cfg))
        await running(uow, factory, cfg, w)
        await lb.ksef.send_pending(uow, cfg)
        sub = (await rows(factory, m.KsefSubmission))[0]
        again = await ksef_api.send(cfg.ksef, [ksef_api.Outgoing(sub.id, sub.xml.encode(), False)])
        invoice = (await rows(factory, m.LeaseInvoice))[0]
        assert again[sub.id].ksef_number == invoice.ksef_number and len(fake.accepted) == 2


async def test_a_refused_faktura_is_kept_with_why(uow, factory, cfg):
    async with fake_ksef() as (fake, url):
        cfg = on(cfg, url)
        fake.refuse.add("FV/2026/000002")
        w = await staff(uow, cfg, await lessor(uow, cfg))
        await running(uow, factory, cfg, w)
        done = await lb.ksef.send_pending(uow, cfg)
        assert (done.sent, done.refused) == (1, 1)
        subs = await rows(factory, m.KsefSubmission)
        assert [s.status for s in subs] == ["accepted", "refused"]
        assert subs[1].error.startswith("450 Błąd weryfikacji semantyki dokumentu faktury")
        state = await lb.ksef.state(uow(), cfg, w["admin"].id)
        assert (state.accepted, state.refused, state.waiting) == (1, 1, 0)


async def test_a_correcting_faktura_names_the_faktura_and_reduces_its_charge_not_interest(uow, factory, cfg, clock):
    async with fake_ksef() as (fake, url):
        cfg = on(cfg, url)
        w = await staff(uow, cfg, await lessor(uow, cfg))
        await lb.set_table(uow(), w["admin"].id, lb.RATES, RATES)
        case = await running(uow, factory, cfg, w)
        deal = case.deal_id
        await lb.register_payment(uow(), cfg, w["coll"].id, deal, "1 353", key="fees")
        at(clock, date(2026, 12, 23))
        await lb.accrue(uow(), cfg)  # i1: 1 230 due 23 December, FV/2026/000003
        at(clock, date(2027, 1, 1))
        assert await lb.post_interest(uow(), cfg) == 1  # 1 230 × 0,1 % × 8 days (24 – 31 December)
        interest = (await rows(factory, m.LeaseCharge, m.LeaseCharge.kind == "interest"))[0]
        assert interest.gross == D("9.84")
        await lb.ksef.send_pending(uow, cfg)
        corrected = (await rows(factory, m.LeaseInvoice, m.LeaseInvoice.seq == 3))[0]
        assert corrected.ksef_number

        with pytest.raises(InvalidInput) as caught:
            await lb.credit_note(uow(), cfg, w["coll"].id, deal, "FV/2026/000099; 10; x", key="k0")
        assert (caught.value.key, caught.value.params["number"]) == ("lease_correction_unknown", "FV/2026/000099")
        with pytest.raises(InvalidInput) as caught:
            await lb.credit_note(uow(), cfg, w["coll"].id, deal, "FV/2026/000003; 1 230,01; x", key="k0")
        assert caught.value.key == "lease_credit_too_big"
        at(clock, date(2027, 1, 5))
        fk = await lb.credit_note(uow(), cfg, w["coll"].id, deal, "FV/2026/000003; 123,00; rabat", key="k1")
        assert (lb.invoice_number(fk), fk.corrects_id, fk.net, fk.vat) == ("FK/2027/000001", corrected.id,
                                                                           D("-100.00"), D("-23.00"))
        credit = (await rows(factory, m.LeaseReceipt, m.LeaseReceipt.key == "cn:k1"))[0]
        allocs = await rows(factory, m.LeaseAllocation, m.LeaseAllocation.receipt_id == credit.id)
        assert [(a.charge_id, a.amount) for a in allocs] == [(corrected.charge_id, D("123.00"))]  # not the interest
        acc = await lb.account(uow(), cfg, w["client"].id, deal)
        owed = {c.key: c.gross - acc.paid.get(c.id, 0) for c in acc.charges if c.paid_off is None}
        assert owed == {"i1": D("1107.00"), "int:2026-12-31": D("9.84")}

        assert (await lb.ksef.send_pending(uow, cfg, invoice_ids=[fk.id])).sent == 1  # before it is handed out
        made = await lb.invoice_document(uow(), w["client"].id, fk.id, cfg)
        text = pdf_text(made.document.content)
        assert "Faktura korygująca nr FK/2027/000001" in text
        assert f"Korygowana faktura: nr FV/2026/000003 z dnia 23.12.2026, numer KSeF {corrected.ksef_number}" in text
        assert "(Przed korektą) 1 000,00 23 % 230,00 1 230,00" in text
        assert "(Po korekcie) 900,00 23 % 207,00 1 107,00" in text
        assert "(Różnica) -100,00 23 % -23,00 -123,00" in text
        assert "Kwota korekty: -123,00 PLN" in text and "Przyczyna korekty: rabat" in text

        second = await lb.credit_note(uow(), cfg, w["coll"].id, deal, "FV/2026/000003; 0,01; zaokrąglenie", key="k2")
        assert (second.net, second.vat) == (D("-0.01"), D("0.00"))  # 1 106,99: net 899,99, VAT 207,00
        with pytest.raises(InvalidInput) as caught:
            await lb.credit_note(uow(), cfg, w["coll"].id, deal, "FV/2026/000003; 1 107,00; x", key="k3")
        assert caught.value.key == "lease_credit_too_big"  # 1 106,99 is left of the line

        done = await lb.ksef.send_pending(uow, cfg)
        assert done.sent == 1
        xml = fake.accepted[-2]["xml"]
        root = etree.fromstring(xml)
        assert root.findtext("{*}Fa/{*}DaneFaKorygowanej/{*}NrKSeFFaKorygowanej") == corrected.ksef_number
        assert [root.findtext("{*}Fa/{*}" + f) for f in ("P_13_1", "P_14_1", "P_15")] == ["-100.00", "-23.00",
                                                                                           "-123.00"]
        later = etree.fromstring(fake.accepted[-1]["xml"])
        assert [e.text for e in later.iterfind("{*}Fa/{*}FaWiersz/{*}P_11")] == ["900.00", "899.99"]
