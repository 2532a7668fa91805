"""A bank statement's lines as the books read them (seed 002, «Rejestracja wpłat»): MT940 (the mt-940 library reads
the format) or a CSV a bank exports, each line with its value date, signed amount, currency, title and the payer's
account; which contract a line pays, read from its title; and the key that makes a line once, whichever statement
(or a later one overlapping it) brings it."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from core.domain.kernel.errors import InvalidInput
from core.domain.leasing.vocabulary import STATEMENT_HEADERS

MAX_LINES = 50_000


@dataclass(frozen=True)
class StatementLine:
    n: int  # its place in the file, from 1
    paid_on: date
    amount: Decimal  # negative: money out (not a receipt)
    currency: str | None
    title: str
    account: str | None = None  # the payer's IBAN, when the bank gives it
    bank_ref: str | None = None

    def key(self, occurrence: int = 0) -> str:
        """The same transaction gives the same key in any statement; ``occurrence`` tells twins in one file apart
        (two equal transfers the same day with the same title and no bank reference)."""
        raw = "|".join(str(x) for x in (self.paid_on, self.amount, self.currency, self.title.strip().casefold(),
                                          self.account or "", self.bank_ref or "", occurrence))
        return "st:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def keyed(lines: list[StatementLine]) -> list[tuple[StatementLine, str]]:
    seen: dict[str, int] = {}
    out = []
    for line in lines:
        base = line.key()
        out.append((line, line.key(seen.get(base, 0))))
        seen[base] = seen.get(base, 0) + 1
    return out


_CONTRACT = re.compile(r"(?<![\d/.-])(\d{1,9})\s?[-/]\s?(\d{1,3})(?![\d/.-])")
#: a number alone («umowa 55», «umowy nr 55»: the contract's number as it prints it), taken only after a word naming a
#: contract
_NUMBER = re.compile(r"(?<![\d/.,-])(\d{1,9})(?![\d/]|[.,]\d|\s?[-/]\s?\d)")
#: a word naming the contract right before its number: «umowa 55-1», «umowy nr 55-1», «do um. 55-1», «UL 55-1»
_NAMES_CONTRACT = re.compile(r"(?:\bumow\w*|\bum\.|\bumowa\s+leasingu|\bleasing\w*|\bcontract|\bagreement|"
                             r"\bUL|\bdogovor\w*|\bдоговор\w*)\s*(?:nr\.?|no\.?|№|#|:)?\s*$", re.IGNORECASE)
#: a word naming instalments or a period right before a range: «rata 1-12», «raty 3-4», «za 01-2027», «poz. 1-2»
_NAMES_OTHER = re.compile(r"(?:\brat\w*|\binstal\w*|\bza|\bpoz\.?|\bfv|\bfaktur\w*|\bmies\w*|\bokres\w*|"
                          r"\bnota\w*)\s*(?:nr\.?|no\.?|№|#|:)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """A «<case>-<version>» a title holds (``version`` 0: the contract's number alone, «umowa 55»), and whether a word
    before it names a contract."""

    case: int
    version: int
    named: bool


def references(title: str) -> list[Reference]:
    """Every «<case>-<version>» in a title, those a word names as a contract («umowa 55-1») first, then a number a
    word names as a contract («umowa 55»); a range a word names as something else («Rata 1-12», «za 01-2027») is no
    contract's number and is left out."""
    text = title or ""
    named, bare = [], []
    for match in _CONTRACT.finditer(text):
        before = text[max(0, match.start() - 40):match.start()]
        if _NAMES_CONTRACT.search(before):
            named.append(Reference(int(match[1]), int(match[2]), True))
        elif not _NAMES_OTHER.search(before):
            bare.append(Reference(int(match[1]), int(match[2]), False))
    for match in _NUMBER.finditer(text):  # «umowa 55»: the number the contract and its fakturas print
        if _NAMES_CONTRACT.search(text[max(0, match.start() - 40):match.start()]):
            named.append(Reference(int(match[1]), 0, True))
    out: list[Reference] = []
    for ref in named + bare:
        if all((r.case, r.version) != (ref.case, ref.version) for r in out):
            out.append(ref)
    return out


def pick(refs: list[Reference], exists) -> Reference | None:
    """The contract a title pays: the first named one that exists (``exists(case, version)``), else the only bare
    one that exists; two bare ones that both exist tell nothing (None: kept aside)."""
    for ref in refs:
        if ref.named and exists(ref.case, ref.version):
            return ref
    found = [r for r in refs if not r.named and exists(r.case, r.version)]
    return found[0] if len(found) == 1 else None


def contract_of(title: str) -> int | None:
    """The contract a title names by its number «<case>-<version>» (as the contract prints it), read without the
    books: the first named one, else the only bare one."""
    refs = references(title)
    named = [r for r in refs if r.named]
    if named:
        return named[0].case
    return refs[0].case if len(refs) == 1 else None


def parse(content: bytes) -> list[StatementLine]:
    text = _decode(content)
    lines = _mt940(text) if re.search(r"^:61:", text, re.MULTILINE) else _csv(text)
    if not lines:
        raise InvalidInput("statement_empty")
    if len(lines) > MAX_LINES:
        raise InvalidInput("statement_too_long", max=MAX_LINES)
    return lines


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1250"):  # Polish banks still export in Windows-1250
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("statement_format")


def _mt940(text: str) -> list[StatementLine]:
    import mt940  # here, not at start: a statement is read now and then

    try:
        transactions = mt940.models.Transactions()
        transactions.parse(text)
    except Exception:  # the library raises what it meets; for the person it is one answer
        raise InvalidInput("statement_format") from None
    out = []
    for n, t in enumerate(transactions, start=1):
        d = t.data
        value = d.get("date")
        amount = d.get("amount")
        if value is None or amount is None:
            raise InvalidInput("statement_line", line=n)
        details = " ".join(str(d.get(k) or "") for k in ("transaction_details", "extra_details")).strip()
        out.append(StatementLine(n, date(value.year, value.month, value.day), Decimal(amount.amount),
                                 (amount.currency or d.get("currency") or "").upper() or None,
                                 re.sub(r"\s+", " ", details), _iban_in(details), d.get("bank_reference")))
    return out


_HEADERS = STATEMENT_HEADERS


def _csv(text: str) -> list[StatementLine]:
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,\t")
    except csv.Error:
        raise InvalidInput("statement_format") from None
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().casefold() for h in next(reader, [])]
    where = {field: next((header.index(n) for n in names if n in header), None) for field, names in _HEADERS.items()}
    if where["date"] is None or where["amount"] is None:
        raise InvalidInput("statement_format")
    out = []
    for n, row in enumerate(reader, start=1):
        if not any(cell.strip() for cell in row):
            continue

        cell = {f: (row[i].strip() or None) if i is not None and i < len(row) else None for f, i in where.items()}
        try:
            out.append(StatementLine(n, _date(cell["date"]), _amount(cell["amount"]),
                                     (cell["currency"] or "").upper() or None, cell["title"] or "",
                                     account_of(cell["account"]), cell["bank_ref"]))
        except (ValueError, InvalidOperation, TypeError):
            raise InvalidInput("statement_line", line=n) from None
    return out


def _date(text: str | None) -> date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text or "", fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _amount(text: str | None) -> Decimal:
    cleaned = re.sub(r"[\s\u00a0]", "", text or "").replace(",", ".")
    value = Decimal(cleaned)
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return value


def account_of(text: str | None) -> str | None:
    """A payer's account as the books compare it: no spaces or dashes, upper case, a Polish NRB (26 digits) as PL
    and those digits."""
    compact = re.sub(r"[\s-]", "", text or "").upper()
    if compact.isdigit() and len(compact) == 26:
        compact = "PL" + compact
    return compact or None


_IBAN_IN = re.compile(r"(?<![A-Za-z0-9])PL(?:[ ]?\d){26}(?!\d)")


def _iban_in(text: str) -> str | None:
    """The payer's Polish IBAN in an MT940 line's details («… PL27 1140 2004 0000 3002 0135 5387 …»)."""
    match = _IBAN_IN.search(text)
    return match[0].replace(" ", "") if match else None
