"""Settings that cannot work are refused at start, with what to set."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings


def test_webhook_mode_needs_a_proper_secret():
    for secret in (None, "short", "has spaces in it, 1234567"):
        with pytest.raises(ValidationError, match="WEBHOOK_URL needs WEBHOOK_SECRET"):
            Settings(_env_file=None, bot_token="1:x", webhook_url="https://bot.example.com/telegram",
                     webhook_secret=secret)
    ok = Settings(_env_file=None, bot_token="1:x", webhook_url="https://bot.example.com/telegram",
                  webhook_secret="a-secret-of-16-chars")
    assert ok.webhook_port == 8081 and ok.webhook_path == "/telegram"
    assert Settings(_env_file=None, bot_token="1:x", webhook_url="").webhook_url is None  # empty: polling
