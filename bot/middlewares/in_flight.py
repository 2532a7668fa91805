"""The updates being handled right now, so that a stop waits for them: an update taken just before SIGINT is
answered before the bot's session closes, not cut off between its commit and its reply."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import BaseMiddleware

log = logging.getLogger(__name__)


class InFlight(BaseMiddleware):
    """The outermost middleware: counts the updates inside the dispatcher."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler, event, data: dict[str, Any]):
        self.count += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.count -= 1
            if not self.count:
                self._idle.set()

    async def settle(self, timeout: float) -> None:
        """Until no update is being handled, for at most ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            log.warning("stopping with %s updates still being handled", self.count)
