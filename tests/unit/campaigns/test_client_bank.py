"""1C's client-bank exchange file read as 1C and the banks write it (tests/data/kl_to_1c.txt: Windows-1251, CRLF,
a statement of one account with incoming and outgoing payment orders)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.domain.campaigns import client_bank
from core.domain.kernel.errors import InvalidInput

SAMPLE = (Path(__file__).parents[2] / "data" / "kl_to_1c.txt").read_bytes()
OURS = "40702810938000012345"


def test_the_sample_is_what_1c_writes():
    assert SAMPLE.startswith(b"1CClientBankExchange\r\n") and "Кодировка=Windows".encode("cp1251") in SAMPLE


def test_the_header_accounts_and_documents_with_their_lines():
    f = client_bank.read(SAMPLE)
    assert f.header["ВерсияФормата"] == "1.03" and f.header["Отправитель"].startswith("Бухгалтерия предприятия")
    assert f.accounts == [OURS]
    assert [(d.line, d.kind, d.get("Номер"), d.closed) for d in f.documents] == [
        (21, "Платежное поручение", "512", True), (61, "Платежное поручение", "1048", True),
        (99, "Платежное поручение", "537", True), (139, "Платежное поручение", "88", True),
        (179, "Платежное поручение", "541", True), (219, "Платежное поручение", "542", True)]
    assert [client_bank.is_incoming(d, f.accounts) for d in f.documents] == [True, False, True, True, True, True]
    p = client_bank.payment(f.documents[0])
    assert (p.number, p.on, p.amount, p.payer, p.payer_inn, p.payer_kpp, p.payer_account) == (
        "512", date(2026, 12, 2), Decimal("20000.00"), 'ООО "Ромашка"', "7707083893", "773601001",
        "40702810400000000123")
    assert p.purpose.startswith("Оплата по счету № 1-1 от 01.12.2026")
    assert p.ref == "1c:40702810400000000123:2026-12-02:512:20000.00"


def test_a_dos_file_reads_as_cp866_and_a_utf8_one_by_its_mark():
    text = SAMPLE.decode("cp1251").replace("Кодировка=Windows", "Кодировка=DOS")
    for data in (text.encode("cp866"), b"\xef\xbb\xbf" + SAMPLE.decode("cp1251").encode("utf-8")):
        f = client_bank.read(data)
        assert client_bank.payment(f.documents[0]).payer == 'ООО "Ромашка"'


@pytest.mark.parametrize("purpose, numbers", [
    ("Оплата по счету № 1-1 от 01.12.2026. Сумма 20000-00, в т.ч. НДС (22%) 3606-56", ["1-1"]),
    ("Доплата по сч. 12-3 от 01.12.2026. Сумма 23065-00", ["12-3"]),
    ("Оплата по счёту N12-1, счет на оплату №12-2", ["12-1", "12-2"]),
    ("ОПЛАТА СЧЕТА 7-1", ["7-1"]),
    ("Оплата 12-1 за товар", ["12-1"]),  # no label: any number of our shape …
    ("Оплата за товар. Сумма 43065-00", []),  # … but a sum written 1C's way is not one
    ("Оплата по договору поставки № 15 от 10.11.2026", []),
])
def test_invoice_numbers_in_a_purpose(purpose, numbers):
    assert client_bank.invoice_numbers(purpose) == numbers


def _doc(**fields) -> client_bank.BankDocument:
    base = {"Номер": "5", "Дата": "02.12.2026", "Сумма": "100.00", "ПлательщикИНН": "7707083893"}
    return client_bank.BankDocument(10, "Платежное поручение", {**base, **fields}, closed=True)


@pytest.mark.parametrize("doc, key", [
    (_doc(Сумма="сто"), "onec_bad_amount"), (_doc(Сумма="0.00"), "onec_bad_amount"),
    (_doc(Сумма="1.005"), "onec_bad_amount"), (_doc(Дата="2026-12-02"), "onec_bad_date"),
    (_doc(Номер=""), "onec_no_number"), (_doc(ПлательщикИНН="123"), "onec_no_payer_inn"),
    (client_bank.BankDocument(10, "Платежное поручение", {}, closed=False), "onec_unfinished"),
    (client_bank.BankDocument(10, "Аккредитив", {}, closed=True), "onec_not_payment"),
])
def test_a_bad_document_is_a_row_level_refusal(doc, key):
    with pytest.raises(InvalidInput) as refused:
        client_bank.payment(doc)
    assert refused.value.key == key


def test_an_unfinished_document_and_anything_not_the_format():
    text = SAMPLE.decode("cp1251")
    cut = text[:text.index("КонецДокумента")] + "СекцияДокумент=Платежное поручение\r\nНомер=9\r\n"
    f = client_bank.read(cut.encode("cp1251"))
    assert [d.closed for d in f.documents] == [False, False]
    for data in (b"", "Организация;ИНН\n".encode(), b"%PDF-1.4"):
        with pytest.raises(InvalidInput) as refused:
            client_bank.read(data)
        assert refused.value.key == "onec_not_client_bank"
