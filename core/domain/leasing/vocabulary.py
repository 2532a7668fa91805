"""The words the lessor's parsers read from what people and banks give them (a bank statement's headers, a typed
amount or day, a typed late rate, a company's legal form in a register's name): the files' and the typists' words,
kept here in one place; every word the bot says is in bot/locales."""

from __future__ import annotations

#: a bank statement's (CSV) column headers, by the field each fills (lower case)
STATEMENT_HEADERS = {"date": ("data", "date", "data waluty", "data operacji"), "amount": ("kwota", "amount"),
                     "currency": ("waluta", "currency"), "title": ("tytuł", "tytul", "title", "opis", "description"),
                     "account": ("rachunek", "account", "iban", "rachunek nadawcy"),
                     "bank_ref": ("referencja", "reference", "id")}

#: the złoty's sign, as a typed amount may carry it
ZLOTY = "zł"
#: a typed day that means today
TODAY_WORDS = frozenset({"", "dziś", "dzis", "dzisiaj", "today", "сегодня"})
#: a typed late rate that means the statutory table
STATUTORY_WORDS = frozenset({"ustawowe", "ustawowa", "statutory", "законные", "по закону"})
#: a company's legal form, written out and shortened (names compare in the short form)
LEGAL_FORMS = (("spółka z ograniczoną odpowiedzialnością", "sp. z o.o."), ("spółka akcyjna", "s.a."),
               ("spółka komandytowa", "sp.k."), ("spółka jawna", "sp.j."))
