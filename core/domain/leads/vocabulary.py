"""The words the leads' import reads from a spreadsheet: its column headers (the file's words, as people write
them); every word the bot says is in bot/locales."""

from __future__ import annotations

#: a lead spreadsheet's column headers, by the field each fills (lower case)
LEAD_COLUMNS = {
    "phone": ("телефон", "phone", "тел"),
    "name": ("имя", "фио", "name", "клиент"),
    "source": ("источник", "source"),
    "debt": ("сумма долга", "долг", "debt", "сумма сделки", "сумма", "amount", "deal amount", "kwota transakcji",
             "kwota", "dług"),
    "city": ("город", "city"),
    "comment": ("комментарий", "comment"),
    "responsible": ("ответственный", "менеджер", "responsible", "manager"),  # optional: else the source's rule
}
