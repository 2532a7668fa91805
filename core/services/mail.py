"""E-mail to a counterparty (stage 3's business card): a real message through the SMTP server the settings name
(``SMTP_*``). With none configured there is no mailer, the bot says so, and the interaction is marked by hand."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib


class MailFailed(Exception):
    """The server refused the message or could not be reached (the reason is logged, never the password)."""


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    sender: str = ""
    user: str | None = None
    password: str | None = None
    security: str = "starttls"  # starttls | ssl | none
    timeout: float = 20.0


class SmtpMailer:
    def __init__(self, cfg: SmtpConfig) -> None:
        self.cfg = cfg

    async def send(self, to: str, subject: str, body: str) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.cfg.sender, to, subject
        msg.set_content(body)
        try:
            await aiosmtplib.send(msg, hostname=self.cfg.host, port=self.cfg.port, username=self.cfg.user,
                                  password=self.cfg.password, use_tls=self.cfg.security == "ssl",
                                  start_tls=True if self.cfg.security == "starttls" else False,
                                  timeout=self.cfg.timeout)
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise MailFailed(type(exc).__name__ + ": " + str(exc)[:200]) from exc
