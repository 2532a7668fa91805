"""What the browser tests share: Chromium's place, the bot token the page is signed with, initData as Telegram
signs it."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.factories import T0

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TOKEN = "123456:BROWSER-TEST-TOKEN"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

# without a Chromium the tests are skipped (docs/testing.md), except in CI, which installs it and sets
# DEALGRAM_REQUIRE_BROWSER=1 so that a missing browser fails
BROWSER = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("DEALGRAM_REQUIRE_BROWSER"),
                             reason=f"no Chromium at {CHROMIUM} (.ci/run installs Debian's chromium)")


def init_data(tg_id: int, name: str, token: str = TOKEN, auth_date: int | None = None) -> str:
    """initData as Telegram signs it: HMAC-SHA256 of the sorted fields with a key derived from the bot token."""
    fields = {"auth_date": str(auth_date or int(T0.timestamp())), "query_id": "AAH",  # signed "now": the clock
              "user": json.dumps({"id": tg_id, "first_name": name}, separators=(",", ":"))}
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)
