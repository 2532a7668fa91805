"""1C's client-bank exchange file (``1CClientBankExchange``, format 1.03): what 1C:Бухгалтерия and 1C:УТ write
for a bank and read from it («Обмен с банком», the files ``1c_to_kl.txt`` and ``kl_to_1c.txt``). Pure: bytes in,
the file's header and its documents out, each document with the line it starts on, so a bad one is a row-level
error and the others go on.

The format is ``Key=Value`` lines in Windows-1251 (``Кодировка=Windows``) or CP866 (``Кодировка=DOS``), CRLF: a
header, the statement's account sections (``СекцияРасчСчет`` … ``КонецРасчСчет``), the documents
(``СекцияДокумент=Платежное поручение`` … ``КонецДокумента``) and ``КонецФайла``. The libraries on PyPI for it
are unmaintained (client-bank-1c: last release 2023, checks by ``assert``, no line numbers, ignores
``Кодировка=DOS``; client-bank-exchange-1c: 2017), so this small reader is ours (docs/exchange-1c.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from core.domain.kernel.errors import InvalidInput

SIGNATURE = "1CClientBankExchange"
#: what a bank's statement (``kl_to_1c.txt``) lists as money that came in or went out
PAYMENT_KINDS = frozenset({"платежное поручение", "платёжное поручение", "банковский ордер", "платежное требование",
                           "инкассовое поручение", "платежный ордер", "мемориальный ордер"})


@dataclass
class BankDocument:
    """One ``СекцияДокумент``: the line it starts on, its kind and its fields as written."""

    line: int
    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    closed: bool = False  # its ``КонецДокумента`` was there

    def get(self, key: str) -> str:
        return self.fields.get(key, "").strip()


@dataclass
class ClientBankFile:
    header: dict[str, str]
    accounts: list[str]  # the header's ``РасчСчет`` lines: the accounts the statement is of (ours)
    documents: list[BankDocument]


def _text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):  # a file re-saved as UTF-8 by an editor
        return data[3:].decode("utf-8", errors="replace")
    text = data.decode("cp1251", errors="replace")
    if "Кодировка=DOS" in text[:2000] or "Кодировка=DOS".encode("cp866") in data[:2000]:
        text = data.decode("cp866", errors="replace")
    return text


def read(data: bytes) -> ClientBankFile:
    """The file's header, accounts and documents; refused when it is not a client-bank exchange file."""
    lines = _text(data).splitlines()
    if not lines or lines[0].strip() != SIGNATURE:
        raise InvalidInput("onec_not_client_bank")
    header: dict[str, str] = {}
    accounts: list[str] = []
    documents: list[BankDocument] = []
    doc: BankDocument | None = None
    in_account = False
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.strip()
        if not line:
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key == "СекцияДокумент":
            doc = BankDocument(number, value)
            documents.append(doc)
        elif key == "КонецДокумента":
            if doc is not None:
                doc.closed = True
            doc = None
        elif key == "СекцияРасчСчет":
            in_account = True
        elif key == "КонецРасчСчет":
            in_account = False
        elif key == "КонецФайла":
            break
        elif doc is not None:
            doc.fields.setdefault(key, value)
        elif in_account:
            continue
        elif key == "РасчСчет":
            accounts.append(value)
        else:
            header.setdefault(key, value)
    return ClientBankFile(header, accounts, documents)


@dataclass(frozen=True)
class IncomingPayment:
    """A payment to us as the bank's document tells it."""

    line: int
    number: str
    on: date
    amount: Decimal
    payer: str
    payer_inn: str
    payer_kpp: str
    payer_account: str
    purpose: str

    @property
    def ref(self) -> str:
        """The bank document's identity: the payer's account (or INN), its date, number and sum. The same
        document in a second file (a statement downloaded again) has the same one."""
        return f"1c:{self.payer_account or self.payer_inn}:{self.on.isoformat()}:{self.number}:{self.amount}"[:128]


def _date(text: str) -> date:
    try:
        return datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError as exc:
        raise InvalidInput("onec_bad_date", value=text[:20]) from exc


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation as exc:
        raise InvalidInput("onec_bad_amount", value=text[:20]) from exc
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        raise InvalidInput("onec_bad_amount", value=text[:20])
    return value.quantize(Decimal("0.01"))


def is_incoming(doc: BankDocument, accounts: list[str]) -> bool:
    """Money that came to us: paid into one of the statement's accounts (all of them when it names none) and not
    from one of them."""
    if not accounts:
        return True
    to = doc.get("ПолучательСчет") or doc.get("ПолучательРасчСчет")
    source = doc.get("ПлательщикСчет") or doc.get("ПлательщикРасчСчет")
    return to in accounts and source not in accounts


def payment(doc: BankDocument) -> IncomingPayment:
    """The document as a payment: refused (a row-level error) when it is not finished, not a payment, or its
    number, date, sum or payer's INN is missing or wrong."""
    if not doc.closed:
        raise InvalidInput("onec_unfinished")
    if doc.kind.casefold() not in PAYMENT_KINDS:
        raise InvalidInput("onec_not_payment", kind=doc.kind[:40])
    number = doc.get("Номер")
    if not number:
        raise InvalidInput("onec_no_number")
    on = _date(doc.get("ДатаПоступило") or doc.get("Дата"))
    amount = _amount(doc.get("Сумма"))
    inn = doc.get("ПлательщикИНН")
    if not re.fullmatch(r"\d{10}|\d{12}", inn):
        raise InvalidInput("onec_no_payer_inn", value=inn[:20])
    payer = doc.get("Плательщик1") or doc.get("Плательщик")
    return IncomingPayment(line=doc.line, number=number[:32], on=on, amount=amount, payer=payer[:160], payer_inn=inn,
                           payer_kpp=doc.get("ПлательщикКПП"),
                           payer_account=doc.get("ПлательщикСчет") or doc.get("ПлательщикРасчСчет"),
                           purpose=doc.get("НазначениеПлатежа")[:210])


#: «счёт № 12-1», «сч. 12-1», «по счету N12-1», «№ 12-1»: an invoice's number as people type it in a purpose
_LABELLED = re.compile(r"(?:сч[её]?т?[а-я]*\.?|№|n|#)\s*(?:на оплату\s*)?(?:№|n|#)?\s*(\d+-\d+)(?![\d-])")
_ANY = re.compile(r"(?<![\d-])(\d+-\d+)(?![\d-])")


def invoice_numbers(purpose: str) -> list[str]:
    """The invoice numbers a payment's purpose names (our orders are numbered «<deal>-<n>»): those after «счёт»
    or «№» first; with none, any such number (a sum written «43065-00» is not an order's number, which has no
    leading zero in its second part)."""
    text = purpose.casefold()
    found = _LABELLED.findall(text) or [n for n in _ANY.findall(text) if not n.split("-")[1].startswith("0")]
    return list(dict.fromkeys(found))
