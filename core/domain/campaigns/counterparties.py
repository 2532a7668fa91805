"""«Контрагенты» (seed 001; the same directory as seed 003's clients): their requisites checked as the tax office
defines them (INN and OGRN by their check digits, through python-stdnum), the fields the cold call fills, and the
calling cadence («2 недели», «3 месяца») that plans the next call."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.domain.campaigns.vocabulary import CADENCE_UNITS
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import clean_text, optional_text


def check_inn(text: str) -> str:
    """A Russian INN: 10 digits (an organisation) or 12 (a person), its check digits right."""
    from stdnum.exceptions import ValidationError  # python-stdnum at the first check, not at start
    from stdnum.ru import inn as ru_inn

    try:
        return ru_inn.validate(text)
    except ValidationError as exc:
        raise InvalidInput("bad_inn", value=(text or "").strip()[:20]) from exc


def check_ogrn(text: str) -> str:
    """OGRN (13 digits) or OGRNIP (15), its check digit right."""
    from stdnum.exceptions import ValidationError
    from stdnum.ru import ogrn as ru_ogrn

    try:
        return ru_ogrn.validate(text)
    except ValidationError as exc:
        raise InvalidInput("bad_ogrn", value=(text or "").strip()[:20]) from exc


_KPP = re.compile(r"\d{4}[\dA-Z]{2}\d{3}")


def check_kpp(text: str) -> str:
    """KPP: nine characters, the tax office's code, the reason (two digits or capital letters), a number (KPP has no
    check digit, so its shape is all there is to check)."""
    value = (text or "").strip().upper()
    if not _KPP.fullmatch(value):
        raise InvalidInput("bad_kpp", value=value[:20])
    return value


_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")


def check_email(text: str) -> str:
    value = (text or "").strip()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise InvalidInput("bad_email")
    return value


class CounterpartyField(StrEnum):
    """What a person types on a counterparty's card (a stage's form, the directory): «-» clears an optional one."""

    NAME = "name"
    INN = "inn"
    KPP = "kpp"
    OGRN = "ogrn"
    ADDRESS = "address"
    EMAIL = "email"
    CITY = "city"
    POTENTIAL = "potential"
    COMPETITORS = "competitors"
    VOLUMES = "volumes"
    ASSORTMENT = "assortment"


#: how the feed and the audit trail name a field (the team's language, as the feed keeps every line)
_CHECKS = {CounterpartyField.INN: check_inn, CounterpartyField.KPP: check_kpp, CounterpartyField.OGRN: check_ogrn,
           CounterpartyField.EMAIL: check_email}


def parse_field(field: CounterpartyField, text: str | None, max_text: int) -> str | None:
    """The value to store for ``field`` as typed (None clears it; the name is never cleared)."""
    if field == CounterpartyField.NAME:
        return clean_text(text, max_len=256)
    value = optional_text(text, 128 if field == CounterpartyField.CITY else max_text)
    if value is None:
        return None
    check = _CHECKS.get(field)
    return check(value) if check else value


# --- the calling cadence ----------------------------------------------------------------------------------------

class Unit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


#: the longest period a cadence may have in each unit: a year (a call a century away is a typo)
LONGEST = {Unit.DAY: 366, Unit.WEEK: 52, Unit.MONTH: 12}
_UNITS = {Unit(unit): stems for unit, stems in CADENCE_UNITS.items()}


@dataclass(frozen=True)
class Period:
    count: int
    unit: Unit

    def after(self, moment: datetime) -> datetime:
        """``moment`` plus the period; months are calendar months (31 January + 1 month is 28/29 February)."""
        if self.unit == Unit.DAY:
            return moment + timedelta(days=self.count)
        if self.unit == Unit.WEEK:
            return moment + timedelta(weeks=self.count)
        month = moment.month - 1 + self.count
        year, month = moment.year + month // 12, month % 12 + 1
        return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def parse_cadence(text: str) -> Period:
    """«2 недели», «3 месяца», «10 дней», «2 weeks»: a whole number from 1, then the unit; no more than a year."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*([^\d\s].*?)\s*", text or "")
    if not match:
        raise InvalidInput("bad_cadence")
    count, word = int(match.group(1)), match.group(2).lower()
    unit = next((u for u, stems in _UNITS.items() if word.startswith(stems)), None)
    if unit is None or not 1 <= count <= LONGEST[unit]:
        raise InvalidInput("bad_cadence")
    return Period(count, unit)
