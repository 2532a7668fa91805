"""The cells of a file a person sends to import rows (leads, a campaign's counterparties): the first sheet of an
XLSX file, or a CSV file in UTF-8 or Windows-1251 (what Excel saves in Russia), «;», «,» or tab separated."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from core.domain.kernel.errors import InvalidInput


def _decode(data: bytes) -> str:
    """UTF-8 (with or without its mark), else Windows-1251; a file that is neither (UTF-16, a binary) is refused."""
    if b"\x00" in data[:4096]:
        raise InvalidInput("import_encoding")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as exc:  # 0x98 is the one byte Windows-1251 leaves undefined
        raise InvalidInput("import_encoding") from exc


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """Every row with any text in it, its cells as stripped text."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            rows = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
        except Exception as exc:  # openpyxl raises many kinds on a damaged file
            raise InvalidInput("import_unreadable") from exc
    elif name.endswith(".csv"):
        text = _decode(data)
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
        except csv.Error:
            dialect = csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
    else:
        raise InvalidInput("import_format")
    return [[cell.strip() for cell in row] for row in rows if any(cell.strip() for cell in row)]


def columns(header: list[str], names: Mapping[str, tuple[str, ...]], required: tuple[str, ...]) -> dict[str, int]:
    """Which column holds each field, by the header's titles (any case); the required ones missing are refused."""
    found: dict[str, int] = {}
    for i, title in enumerate(header):
        for key, titles in names.items():
            if title.strip().lower() in titles and key not in found:
                found[key] = i
    missing = [k for k in required if k not in found]
    if missing:
        raise InvalidInput("import_columns", missing=", ".join(missing))
    return found


def values(row: list[str], cols: Mapping[str, int], names: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """The row's cell for every field (empty where the file has no such column or the row is short)."""
    return dict.fromkeys(names, "") | {k: row[i] for k, i in cols.items() if i < len(row)}
