"""E-mail to a counterparty (stage 3's business card, stage 8's КП, stage 13's invoice): a real message through the
SMTP server the settings name (``SMTP_*``). With none configured there is no mailer, the bot says so, and the
interaction is marked by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Protocol

from core.clock import Clock, SystemClock


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


def domain_of(sender: str) -> str:
    """The domain of a sender's address («Отдел продаж <sales@romashka.ru>» → «romashka.ru»): the default domain
    of the Message-IDs (``MAIL_DOMAIN``)."""
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2].strip().lower() or "localhost"


def new_message_id(domain: str) -> str:
    """A Message-ID unique across deployments and restored backups: the time, the process and a random number
    (``email.utils.make_msgid``) at the deployment's own domain, never a database's row number."""
    return make_msgid(idstring="dealgram", domain=domain)


class Mailer(Protocol):
    #: the domain of the Message-IDs this mailer's messages carry (``MAIL_DOMAIN``)
    domain: str

    async def send(self, to: str, subject: str, body: str, attachment: Attachment | None = None,
                   message_id: str | None = None, thread: Sequence[str] = ()) -> None:
        """``thread``: the Message-IDs of the earlier messages this one follows, oldest first (``References``; the
        last is ``In-Reply-To``)."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    sender: str = ""
    user: str | None = None
    password: str | None = None
    security: str = "starttls"  # starttls | ssl | none
    timeout: float = 20.0
    domain: str = ""  # of the Message-IDs (MAIL_DOMAIN); empty: the sender's domain


class SmtpMailer:
    def __init__(self, cfg: SmtpConfig, clock: Clock | None = None) -> None:
        self.cfg = cfg
        self.clock = clock or SystemClock()
        self.domain = cfg.domain or domain_of(cfg.sender)

    async def send(self, to: str, subject: str, body: str, attachment: Attachment | None = None,
                   message_id: str | None = None, thread: Sequence[str] = ()) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self.cfg.sender, to, subject
        msg["Date"] = format_datetime(self.clock.now())
        # the same id on a resend (the outbox keeps it): the receiving side can tell a repeat
        msg["Message-ID"] = message_id or new_message_id(self.domain)
        if thread:  # a follow-up: shown in the thread of the КП it follows
            msg["In-Reply-To"] = thread[-1]
            msg["References"] = " ".join(thread)
        msg.set_content(body)
        if attachment is not None:
            maintype, subtype = attachment.mime.split("/", 1)
            msg.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.name)
        import aiosmtplib  # here, not at start: most deployments send no e-mail

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
