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


_CONTRACT = re.compile(r"(?<![\d-])(\d{1,9})-(\d{1,3})(?![\d-])")


def contract_of(title: str) -> int | None:
    """The contract a title names by its number «<case>-<version>» (as the contract prints it): its case."""
    match = _CONTRACT.search(title or "")
    return int(match[1]) if match else None


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
                                     (cell["account"] or "").replace(" ", "") or None, cell["bank_ref"]))
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


def _iban_in(text: str) -> str | None:
    match = re.search(r"\bPL\d{26}\b", text.replace(" ", ""))
    return match[0] if match else None
