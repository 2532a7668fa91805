"""Logging that never prints the bot token (it sits in every Bot API URL)."""

from __future__ import annotations

import logging


class RedactToken(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.token:
            return True
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<BOT_TOKEN>"), ()
        if record.exc_info:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = text.replace(self.token, "<BOT_TOKEN>")
        return True


def setup_logging(level: str, token: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    # alembic's «Running upgrade …» per revision (about 30 on a new database): our own two lines say it
    # (migrations/runner.py); LOG_LEVEL=DEBUG shows alembic's too
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING if level.upper() != "DEBUG"
                                                             else logging.DEBUG)
    logging.getLogger("aiogram.event").setLevel(logging.WARNING if level.upper() == "INFO" else level.upper())
    # APScheduler's two lines a scan («Running job …», «… executed successfully») are chatter: its warnings and
    # errors (a missed run, a failed job) stay; LOG_LEVEL=DEBUG shows all
    logging.getLogger("apscheduler").setLevel(logging.WARNING if level.upper() != "DEBUG" else logging.DEBUG)
