"""The business card's e-mail through a real SMTP conversation: a local server (aiosmtpd) catches the message the
bot's mailer sends; a server that is not there is a MailFailed, never a crash."""

from __future__ import annotations

import pytest

from core.services.kernel.mail import MailFailed, SmtpConfig, SmtpMailer
from tests.smtp import free_port, smtp_server


@pytest.fixture
def smtp():
    with smtp_server() as server:
        yield server


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
