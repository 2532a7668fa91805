"""Seed 002, «Rejestracja Klienta i Sprzedawcy»: a Polish client's and vendor's identifiers checked as their
registries define them, through python-stdnum — NIP (the tax number, its check digit), REGON (9 or 14 digits,
their check digits), PESEL (a person's number: its check digit and a real birth date), KRS (the court register's
10-digit number: it has no check digit, so only its shape is checked) and a bank account as an IBAN (a Polish
NRB of 26 digits is taken as PL + those digits). Each returns the compact form to store."""

from __future__ import annotations

import re
from datetime import date
from importlib import import_module

from core.domain.kernel.errors import InvalidInput

# python-stdnum is imported at the first check, not at start (the bot's start and memory stay a bare bot's)


def _shown(text: str | None) -> str:
    return (text or "").strip()[:40]


def _validated(module: str, key: str, text: str | None) -> str:
    """python-stdnum's compact form of ``text`` (``module``: «pl.nip» …), or the refusal named ``key`` showing what
    was typed."""
    from stdnum.exceptions import ValidationError

    try:
        return import_module(f"stdnum.{module}").validate(text)
    except ValidationError as exc:
        raise InvalidInput(key, value=_shown(text)) from exc


def check_nip(text: str) -> str:
    """«PL 856-734-62-15» → «8567346215»."""
    return _validated("pl.nip", "bad_nip", text)


def check_regon(text: str) -> str:
    return _validated("pl.regon", "bad_regon", text)


def check_pesel(text: str) -> str:
    return _validated("pl.pesel", "bad_pesel", text)


def birth_date(pesel: str) -> date:
    from stdnum.pl import pesel as _pesel

    return _pesel.get_birth_date(pesel)


_KRS = re.compile(r"\d{10}")


def check_krs(text: str) -> str:
    """«0000123456» or «KRS 123456» (the leading zeros may be left out): ten digits."""
    digits = re.sub(r"(?i)^\s*krs[\s:]*|[\s-]", "", text or "")
    if not digits.isdigit() or len(digits) > 10 or int(digits) == 0:
        raise InvalidInput("bad_krs", value=_shown(text))
    return digits.zfill(10)


def check_account(text: str) -> str:
    """An IBAN («PL61 1090 1014 0000 0712 1981 2874»), or a Polish NRB of 26 digits taken as PL + those digits."""
    compact = re.sub(r"[\s-]", "", text or "").upper()
    if compact.isdigit() and len(compact) == 26:
        compact = "PL" + compact
    from stdnum import iban as _iban
    from stdnum.exceptions import ValidationError

    try:
        return _iban.validate(compact)
    except ValidationError as exc:  # the refusal shows what was typed, not the compact form
        raise InvalidInput("bad_iban", value=_shown(text)) from exc
