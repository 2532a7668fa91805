"""A contact card's fields as people type them. Pure rules, no I/O."""

from __future__ import annotations

import re
from enum import StrEnum

from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import CLEAR, clean_text


class ContactField(StrEnum):
    NAME = "name"
    CITY = "city"
    MESSENGERS = "messengers"
    COMMENT = "comment"


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
