"""The business card's e-mail through a real SMTP conversation: a local server (aiosmtpd) catches the message the
bot's mailer sends; a server that is not there is a MailFailed, never a crash."""

from __future__ import annotations

import pytest

from core.db.kernel import models as m
from core.domain.campaigns.approval import Decision
from core.services.kernel.mail import MailFailed, SmtpConfig, SmtpMailer, domain_of
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


async def test_a_message_has_a_date_and_a_message_id_at_the_deployments_domain(smtp, clock):
    controller, catcher = smtp
    mailer = SmtpMailer(SmtpConfig(host="127.0.0.1", port=controller.port, sender="Отдел продаж <sales@romashka.ru>",
                                   security="none"), clock)
    await mailer.send("info@lutik.ru", "Визитка компании", "…")
    await mailer.send("info@lutik.ru", "Визитка компании", "…")
    first, second = (msg for _, _, msg in catcher.messages)
    assert first["Date"].datetime == clock.now()
    assert first["Message-ID"].endswith("@romashka.ru>") and first["Message-ID"] != second["Message-ID"]
    assert first["In-Reply-To"] is None and first["References"] is None


def test_mail_domain_is_a_setting_and_defaults_to_the_senders_domain():
    from bot.config import Settings

    base = {"bot_token": "1:x", "smtp_host": "127.0.0.1", "smtp_from": "Продажи <sales@romashka.ru>"}
    assert Settings(**base).mailer().domain == "romashka.ru"
    assert Settings(**base, mail_domain="mail.dealgram.example").mailer().domain == "mail.dealgram.example"
    assert Settings(**base, mail_domain="").mailer().domain == "romashka.ru"
    assert domain_of("dealgram@localhost") == "localhost" and domain_of("") == "localhost"


async def test_a_resend_keeps_its_message_id_and_a_revised_kp_is_threaded_to_the_first(smtp, uow, factory, cfg,
                                                                                          clock):
    """The КП fails once (the server is down), goes on the second attempt with the id it was given on the first;
    the client asks for a rework, and the second version's e-mail answers the first one's thread."""
    from core.domain.campaigns.quotes import Answer
    from core.services.campaigns import mail_outbox, quotes
    from tests.services.campaigns.test_order_to_cash import approved, at_needs, rows

    controller, catcher = smtp
    w, deal = await at_needs(uow, cfg)
    await approved(uow, w, deal)
    down = SmtpMailer(SmtpConfig(host="127.0.0.1", port=free_port(), sender="sales@dealgram.test", security="none",
                                 timeout=2), clock)
    assert await mail_outbox.deliver(uow, down) == 1
    [first] = await rows(factory, m.MailOutbox)
    assert first.status == "pending" and first.message_id.endswith("@dealgram.test>")
    clock.advance(minutes=2)
    up = SmtpMailer(SmtpConfig(host="127.0.0.1", port=controller.port, sender="sales@dealgram.test",
                               security="none"), clock)
    assert await mail_outbox.deliver(uow, up) == 1
    [(_, _, kp)] = catcher.messages
    assert kp["Message-ID"] == first.message_id and kp["Date"].datetime == clock.now()
    assert kp["In-Reply-To"] is None
    await quotes.client_answered(uow(), w["a1"].id, deal.id)
    await quotes.answer(uow(), w["a1"].id, deal.id, Answer.REWORK, "Дорого")
    v2 = await quotes.draft(uow(), w["a1"].id, deal.id)
    await quotes.submit(uow(), w["a1"].id, v2.id)
    await quotes.decide(uow(), w["a2"].id, v2.id, Decision.APPROVE)
    assert await mail_outbox.deliver(uow, up) == 1
    revised = catcher.messages[-1][2]
    assert revised["Message-ID"] not in (None, kp["Message-ID"])
    assert (revised["In-Reply-To"], revised["References"]) == (kp["Message-ID"], kp["Message-ID"])
