"""The words every area's parsers read from what people type: a currency written after an amount. Every word the
bot says is in bot/locales."""

from __future__ import annotations

#: a currency's sign or name typed after an amount (rubles, złoty), as a regular expression's alternatives
CURRENCY_SUFFIX = r"(?:₽|руб\.?|р\.?|rub|zł|zl|pln)$"
