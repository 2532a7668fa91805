"""The business card's e-mail through a real SMTP conversation: a local server (aiosmtpd) catches the message the
bot's mailer sends; a server that is not there is a MailFailed, never a crash."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from core.services.mail import MailFailed, SmtpConfig, SmtpMailer


class Catcher:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              message_from_bytes(envelope.content, policy=default)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, catcher
    controller.stop()


async def test_the_card_goes_through_smtp(smtp):
    controller, catcher = smtp
    mailer = SmtpMailer(SmtpConfig(host="127.0.0.1", port=controller.port, sender="sales@dealgram.test",
                                   security="none"))
    await mailer.send("info@romashka.ru", "Визитка компании", "Здравствуйте! Высылаем визитку.")
    [(sender, to, msg)] = catcher.messages
    assert (sender, to, msg["Subject"], msg.get_content().strip()) == (
        "sales@dealgram.test", ["info@romashka.ru"], "Визитка компании", "Здравствуйте! Высылаем визитку.")


async def test_a_server_that_is_not_there_is_a_refusal():
    mailer = SmtpMailer(SmtpConfig(host="127.0.0.1", port=free_port(), security="none", timeout=2))
    with pytest.raises(MailFailed):
        await mailer.send("info@romashka.ru", "Визитка компании", "…")
