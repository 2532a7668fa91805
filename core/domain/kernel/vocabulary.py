"""The words every area's parsers read from what people type: a currency written after an amount. Every word the
bot says is in bot/locales."""

from __future__ import annotations

#: a currency's sign or name typed after an amount (rubles, złoty, pounds, euros, dollars), as a regular expression's
#: alternatives
CURRENCY_SUFFIX = r"(?:₽|руб\.?|р\.?|rub|zł|zl|pln|£|gbp|€|eur|\$|usd)$"
#: the same sign typed before it («£12,500», «$900»)
CURRENCY_PREFIX = r"^(?:£|gbp|€|eur|\$|usd)"
