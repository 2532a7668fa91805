"""A contact card's fields as people type them. Pure rules, no I/O."""

from __future__ import annotations

import re
from enum import StrEnum

from core.domain.errors import InvalidInput
from core.domain.inputs import clean_text

#: «-» (or «—») clears an optional field
CLEAR = frozenset({"-", "—", "–"})


class ContactField(StrEnum):
    NAME = "name"
    CITY = "city"
    MESSENGERS = "messengers"
    COMMENT = "comment"


class LeadField(StrEnum):
    """What of a lead is typed (its source and responsible are picked; its name and phones are its contact's)."""

    DEBT = "debt"
    CITY = "city"
    COMMENT = "comment"


def optional_text(text: str | None, max_len: int) -> str | None:
    """A typed value for an optional field: «-» clears it."""
    if text is not None and text.strip() in CLEAR:
        return None
    return clean_text(text, max_len=max_len)


_PAIR = re.compile(r"^\s*([^:\s][^:]{0,31}?)\s*[:\s]\s*(\S.{0,127}?)\s*$")


def parse_messengers(text: str | None) -> dict[str, str]:
    """«Telegram @petr, WhatsApp +79001234567» (a comma, «;» or a new line between them; a colon or a space after
    the name): the messengers and the handle or number in each. «-» clears them all."""
    if text is not None and text.strip() in CLEAR:
        return {}
    cleaned = clean_text(text, max_len=1000)
    found: dict[str, str] = {}
    for part in re.split(r"[,;\n]", cleaned):
        if not part.strip():
            continue
        match = _PAIR.match(part)
        if match is None:
            raise InvalidInput("messengers")
        found[match.group(1).strip()] = match.group(2).strip()
    if not found:
        raise InvalidInput("messengers")
    return found
