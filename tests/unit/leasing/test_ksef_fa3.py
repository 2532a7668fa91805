"""A faktura and a correcting faktura as FA(3) XML (core.documents.ksef): built from the books' amounts to the grosz,
valid against the Ministry's schema kept in the repository, refused when broken; its hash and the verification
links of the QR codes; a correction's before and after (core.domain.leasing.corrections)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from lxml import etree

from core.documents import ksef
from core.domain.kernel.errors import InvalidInput
from core.domain.leasing import corrections
from tests.fake_ksef import offline_certificate

D = Decimal
SELLER = ksef.Party("Leasing S.A.", "5260250274", "ul. Prosta 1", "00-001 Warszawa")
BUYER = ksef.Party("Alfa sp. z o.o.", "8567346215", "ul. Długa 2", "Kraków")
MADE = datetime(2026, 12, 23, 9, tzinfo=UTC)
NS = {"f": "http://crd.gov.pl/wzor/2025/06/25/13775/"}


def faktura(**kw) -> ksef.Invoice:
    return ksef.Invoice("FV/2026/000003", date(2026, 12, 23), SELLER, BUYER, "PLN",
                        (ksef.Line("Rata leasingowa nr 1", D("1000.00"), D(23), D("230.00")),),
                        due=date(2026, 12, 23), sale_date=date(2026, 12, 23), **kw)


def texts(xml: bytes, path: str) -> list[str]:
    return [e.text for e in etree.fromstring(xml).findall(path, NS)]


def test_a_faktura_is_valid_fa3_with_the_books_amounts():
    xml = ksef.build_xml(faktura(), MADE)
    ksef.validate(xml)  # the schema kept in the repository
    assert texts(xml, "f:Naglowek/f:KodFormularza") == ["FA"]
    assert texts(xml, "f:Naglowek/f:DataWytworzeniaFa") == ["2026-12-23T09:00:00Z"]
    assert texts(xml, "f:Podmiot1/f:DaneIdentyfikacyjne/f:NIP") == ["5260250274"]
    assert texts(xml, "f:Podmiot2/f:DaneIdentyfikacyjne/f:NIP") == ["8567346215"]
    assert texts(xml, "f:Fa/f:P_2") == ["FV/2026/000003"]
    assert (texts(xml, "f:Fa/f:P_13_1"), texts(xml, "f:Fa/f:P_14_1"), texts(xml, "f:Fa/f:P_15")) == (
        ["1000.00"], ["230.00"], ["1230.00"])
    assert texts(xml, "f:Fa/f:RodzajFaktury") == ["VAT"]
    assert texts(xml, "f:Fa/f:Platnosc/f:TerminPlatnosci/f:Termin") == ["2026-12-23"]
    assert ksef.build_xml(faktura(), MADE) == xml  # the same faktura, the same bytes (its hash is printed)


def test_a_faktura_issued_ahead_keeps_its_sale_date_and_term_on_the_due_date():
    """An instalment's faktura issued 14 days before its due date (LEASE_INVOICE_DAYS): P_1 the day it is issued,
    P_6 (the sale date) and the payment's term the due date."""
    xml = ksef.build_xml(dataclasses.replace(faktura(), issued_on=date(2026, 12, 9)), MADE)
    ksef.validate(xml)
    assert texts(xml, "f:Fa/f:P_1") == ["2026-12-09"]
    assert texts(xml, "f:Fa/f:P_6") == ["2026-12-23"]
    assert texts(xml, "f:Fa/f:Platnosc/f:TerminPlatnosci/f:Termin") == ["2026-12-23"]


def test_a_correcting_faktura_names_the_corrected_one_and_shows_before_and_after():
    before = (ksef.Line("Rata leasingowa nr 1", D("1000.00"), D(23), D("230.00")),)
    after = (ksef.Line("Rata leasingowa nr 1", D("900.00"), D(23), D("207.00")),)
    doc = ksef.Invoice("FK/2027/000001", date(2027, 2, 3), SELLER, ksef.Party("Jan Kowalski", None), "PLN", after,
                       corrected=ksef.Corrected("FV/2026/000003", date(2026, 12, 23),
                                                "5260250274-20261223-0000000000A1-7F", "rabat"), before=before)
    xml = ksef.build_xml(doc, MADE)
    ksef.validate(xml)
    assert texts(xml, "f:Fa/f:RodzajFaktury") == ["KOR"]
    assert texts(xml, "f:Fa/f:PrzyczynaKorekty") == ["rabat"]
    assert texts(xml, "f:Fa/f:DaneFaKorygowanej/f:NrFaKorygowanej") == ["FV/2026/000003"]
    assert texts(xml, "f:Fa/f:DaneFaKorygowanej/f:DataWystFaKorygowanej") == ["2026-12-23"]
    assert texts(xml, "f:Fa/f:DaneFaKorygowanej/f:NrKSeFFaKorygowanej") == ["5260250274-20261223-0000000000A1-7F"]
    assert (texts(xml, "f:Fa/f:P_13_1"), texts(xml, "f:Fa/f:P_14_1"), texts(xml, "f:Fa/f:P_15")) == (
        ["-100.00"], ["-23.00"], ["-123.00"])  # the change
    assert texts(xml, "f:Fa/f:FaWiersz/f:P_11") == ["1000.00", "900.00"]
    assert texts(xml, "f:Fa/f:FaWiersz/f:StanPrzed") == ["1"]  # the first line is the one before
    assert texts(xml, "f:Podmiot2/f:DaneIdentyfikacyjne/f:BrakID") == ["1"]  # a buyer without a NIP


def test_a_correction_of_a_faktura_outside_ksef_says_so():
    doc = ksef.Invoice("FK/2027/000002", date(2027, 2, 3), SELLER, BUYER, "PLN",
                       (ksef.Line("Opłata", D("0.00"), D(23), D("0.00")),),
                       corrected=ksef.Corrected("FV/2026/000001", date(2026, 11, 23), None, "anulowana"),
                       before=(ksef.Line("Opłata", D("50.00"), D(23), D("11.50")),))
    xml = ksef.build_xml(doc, MADE)
    ksef.validate(xml)
    assert texts(xml, "f:Fa/f:DaneFaKorygowanej/f:NrKSeFN") == ["1"]


def test_the_schema_refuses_what_ksef_would():
    xml = ksef.build_xml(faktura(), MADE).replace(b"<P_2>FV/2026/000003</P_2>", b"")
    with pytest.raises(ksef.Fa3Invalid) as caught:
        ksef.validate(xml)
    assert "P_2" in str(caught.value)
    with pytest.raises(ksef.Fa3Invalid):
        ksef.validate(b"<Faktura")


def test_the_hash_and_the_verification_links():
    xml = ksef.build_xml(faktura(), MADE)
    digest = ksef.digest(xml)
    assert base64.b64decode(digest) == hashlib.sha256(xml).digest()
    link = ksef.invoice_url("https://qr-test.ksef.mf.gov.pl", "5260250274", date(2026, 12, 23), digest)
    tail = base64.urlsafe_b64encode(hashlib.sha256(xml).digest()).decode().rstrip("=")
    assert link == f"https://qr-test.ksef.mf.gov.pl/invoice/5260250274/23-12-2026/{tail}"
    assert ksef.qr_png(link).startswith(b"\x89PNG")


def test_kod_ii_is_signed_with_the_offline_certificate():
    cert, key = offline_certificate()
    digest = ksef.digest(b"<x/>")
    link = ksef.certificate_url("https://qr-test.ksef.mf.gov.pl", "5260250274", digest, cert, key)
    parts = link.removeprefix("https://qr-test.ksef.mf.gov.pl/").split("/")
    assert parts[:3] == ["certificate", "Nip", "5260250274"] and parts[3] == "5260250274"
    assert parts[4] == "1F2A3" and len(parts) == 7  # the certificate's serial, then the hash and the signature
    assert parts[5] == base64.urlsafe_b64encode(base64.b64decode(digest)).decode().rstrip("=")


@pytest.mark.parametrize(("gross", "back", "rate", "net", "vat"), [
    ("1230.00", "123.00", "23", "900.00", "207.00"),
    ("1107.00", "0.01", "23", "899.99", "207.00"),  # a grosz off the gross: the net rounds, the VAT is the rest
    ("61.50", "61.50", "23", "0.00", "0.00"),  # the whole line
    ("108.00", "54.00", "8", "50.00", "4.00"),
    ("100.00", "33.33", "0", "66.67", "0.00"),
])
def test_a_correction_splits_the_gross_taken_back_at_the_lines_rate(gross, back, rate, net, vat):
    gross, rate = D(gross), D(rate)
    before_net = (gross * 100 / (100 + rate)).quantize(D("0.01"))
    after = corrections.after(corrections.Amounts(before_net, gross - before_net), D(back), rate)
    assert (after.net, after.vat, after.gross) == (D(net), D(vat), gross - D(back))


def test_what_a_person_types_for_a_correction():
    typed = corrections.parse("fv/2027/3; 123,00; rabat za opóźnienie")
    assert (typed.series, typed.seq, typed.amount_text, typed.reason) == ("FV/2027", 3, "123,00",
                                                                          "rabat za opóźnienie")
    for bad in ("123,00; rabat", "FK/2027/000001; 1; x", "FV/2027/000001", ""):
        with pytest.raises(InvalidInput) as caught:
            corrections.parse(bad)
        assert caught.value.key == "lease_correction_format"
