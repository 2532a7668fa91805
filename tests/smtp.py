"""A local SMTP server (aiosmtpd) that catches what the bot's mailer sends, for the service and e2e tests."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.policy import default

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Catcher:
    """Each message received: its envelope's sender and recipients, and the parsed message."""

    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              message_from_bytes(envelope.content, policy=default)))
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[tuple[Controller, Catcher]]:
    catcher = Catcher()
    controller = Controller(catcher, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, catcher
    finally:
        controller.stop()
