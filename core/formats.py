"""How one language writes money, numbers, per cents, days and plurals (Babel's CLDR data): the one formatter the
chat, the Mini App, the PDF documents and the exports all use (the bot's Translator hands out its own, a document
is given the one of its language). Pure: no Telegram, no database."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from core.domain.kernel.preferences import currency as deployment_currency

NO_VALUE = "—"


@cache
def _locale(code: str):
    from babel import Locale

    return Locale.parse(code)


# Babel (its CLDR tables, ~5 MB) is loaded by the first number, sum or plural written, not by the bot's start.
def format_decimal(*args, **kwargs) -> str:
    from babel.numbers import format_decimal

    return format_decimal(*args, **kwargs)


def get_currency_symbol(*args, **kwargs) -> str:
    from babel.numbers import get_currency_symbol

    return get_currency_symbol(*args, **kwargs)


def get_decimal_symbol(*args, **kwargs) -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(*args, **kwargs)


class Formats:
    """``Formats("pl").money(Decimal("1500000"), "PLN")`` → «1 500 000,00 zł»."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def money(self, value: Decimal | None, currency: str | None = None) -> str:
        """With its sign: «1 500 000,00 zł», «1,500,000.00 PLN», «£12,500.00» (where this language has a sign for
        the currency, Babel's pattern puts it: before the sum in English); roubles whole without kopecks
        («98 500 ₽»), otherwise both places («98 500,50 ₽», never «,5»). No currency: the CRM's (CURRENCY)."""
        if value is None:
            return NO_VALUE
        currency = currency or deployment_currency()
        if currency != "RUB":
            sign = get_currency_symbol(currency, locale=self.locale)
            if sign != currency:
                from babel.numbers import format_currency

                return format_currency(value, currency, locale=self.locale)
            return f"{self.amount(value)}\xa0{sign}"
        pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
        return f"{format_decimal(value, format=pattern, locale=self.locale)} ₽"

    def currency_sign(self, currency: str | None = None) -> str:
        """The currency as this language signs it: «₽», «£», «zł»; its code where it has no sign («PLN» in English)."""
        return get_currency_symbol(currency or deployment_currency(), locale=self.locale)

    def amount(self, value: Decimal | None) -> str:
        """Money without its sign, always two places: «1 500 000,00» (a document's table names the currency)."""
        return NO_VALUE if value is None else format_decimal(value, format="#,##0.00", locale=self.locale)

    def cell(self, value: Decimal) -> str:
        """An amount in a CSV file this language's spreadsheet reads as a number: «1234,56» (no grouping)."""
        return format_decimal(value, format="0.00", locale=self.locale)

    @property
    def csv_delimiter(self) -> str:
        """«;» where the decimal mark is a comma (ru, pl: what their Excel expects), «,» otherwise."""
        return ";" if get_decimal_symbol(self.locale) == "," else ","

    def number(self, value: Decimal | int | float) -> str:
        """A number with no more places than it has (three at most): «12,5», «20», «1 000»."""
        return format_decimal(value, format="#,##0.###", locale=self.locale)

    def percent(self, value: Decimal | int | float) -> str:
        """A rate given in per cent: «23 %» (ru, pl), «23%» (en)."""
        space = "" if self.locale.startswith("en") else "\xa0"
        return f"{self.number(value)}{space}%"

    def day(self, value: date | datetime | None) -> str:
        """«15.01.2027»."""
        return "" if value is None else f"{value.day:02d}.{value.month:02d}.{value.year}"

    def plural_form(self, n: int) -> str:
        """«one», «few», «many» or «other», as this language's plural rules pick for ``n``."""
        return _locale(self.locale).plural_form(abs(n))

    def plural(self, n: int, forms: Mapping[str, str]) -> str:
        """``n`` and the word's form for it: «3 miesiące», «12 miesięcy», «1 month», «5 месяцев»."""
        form = self.plural_form(n)
        return f"{n} {forms.get(form) or forms['other']}"
