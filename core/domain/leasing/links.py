"""A lease case's client link (pl 2): the salesperson hands the client ``t.me/<bot>?start=cl_<token>``; whoever
opens it is linked to that one case as its client. The token names the case and when it stops working, signed
(HMAC-SHA256, 128 bits kept) with the deployment's key, so nobody can make one for another case or stretch its
life; once a client is linked, the link links nobody else (kernel: the service refuses). Pure: no I/O."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

from core.domain.kernel.errors import InvalidInput


def _sig(key: bytes, deal_id: int, minute: int) -> str:
    digest = hmac.new(key, f"case-link:{deal_id}:{minute}".encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(key: bytes, deal_id: int, expires: datetime) -> str:
    """The token: the case, the minute it expires (base 36), the signature; letters, digits, «-», «_» only (a
    Telegram /start payload), under 64 characters."""
    if not key:
        raise ValueError("no key to sign a case link with")
    minute = int(expires.timestamp()) // 60
    return f"{deal_id}-{_b36(minute)}-{_sig(key, deal_id, minute)}"


def read(key: bytes, token: str, now: datetime) -> int:
    """The case a token names; refused when forged or malformed («lease_link_invalid») or past its time
    («lease_link_expired»)."""
    try:
        deal, minute_text, sig = token.split("-", 2)
        deal_id, minute = int(deal), int(minute_text, 36)
    except ValueError:
        raise InvalidInput("lease_link_invalid") from None
    if not key or not hmac.compare_digest(sig, _sig(key, deal_id, minute)):
        raise InvalidInput("lease_link_invalid")
    if now >= datetime.fromtimestamp(minute * 60, UTC):
        raise InvalidInput("lease_link_expired")
    return deal_id


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out
