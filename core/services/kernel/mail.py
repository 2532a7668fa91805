"""E-mail to a counterparty (stage 3's business card, stage 8's КП, stage 13's invoice): a real message through the
SMTP server the settings name (``SMTP_*``). With none configured there is no mailer, the bot says so, and the
interaction is marked by hand."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib


class MailFailed(Exception):
    """The server refused the message or could not be reached (the reason is logged, never the password).
    ``permanent``: the server said no for good (a 5xx answer: the address refused, the message rejected), so
    trying again would not help; otherwise (down, a timeout, a 4xx) it is tried again later."""

    def __init__(self, reason: str, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mime: str = "application/pdf"


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str, attachment: Attachment | None = None,
                   message_id: str | None = None) -> None: ...


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

    async def send(self, to: str, subject: str, body: str, attachment: Attachment | None = None,
                   message_id: str | None = None) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.cfg.sender, to, subject
        if message_id:  # the same id on a resend: the receiving side can tell a repeat
            msg["Message-ID"] = message_id
        msg.set_content(body)
        if attachment is not None:
            maintype, subtype = attachment.mime.split("/", 1)
            msg.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.name)
        try:
            await aiosmtplib.send(msg, hostname=self.cfg.host, port=self.cfg.port, username=self.cfg.user,
                                  password=self.cfg.password, use_tls=self.cfg.security == "ssl",
                                  start_tls=True if self.cfg.security == "starttls" else False,
                                  timeout=self.cfg.timeout)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise MailFailed(type(exc).__name__ + ": " + str(exc)[:200], permanent=True) from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise MailFailed(type(exc).__name__ + ": " + str(exc)[:200], permanent=exc.code >= 500) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise MailFailed(type(exc).__name__ + ": " + str(exc)[:200]) from exc
