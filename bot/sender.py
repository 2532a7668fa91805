"""The one way out: every Bot API call passes the rate limiter; notifications go through the outbox worker.

Limits (Telegram's): about 30 messages a second overall and 1 a second per chat. A 429 is waited out
(retry_after) and the call retried; a 403 marks the user blocked; 5xx and time-outs are retried with
backoff, then the row is parked with its error.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    CopyMessage,
    CopyMessages,
    ForwardMessage,
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)

from core.db.uow import UnitOfWork
from core.services import outbox as outbox_service

log = logging.getLogger(__name__)

SEND_METHODS = (SendMessage, CopyMessage, CopyMessages, SendDocument, SendPhoto, SendMediaGroup, ForwardMessage)


class RateLimiter:
    """A global pace (``rate`` a second) and a per-chat pace: one per ``chat_interval`` seconds in a private chat,
    one per ``group_interval`` in a group (Telegram allows 20 a minute there; group chat ids are negative)."""

    def __init__(self, rate: float = 30.0, chat_interval: float = 1.0, clock=time.monotonic,
                 group_interval: float = 3.0) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.chat_interval = chat_interval
        self.group_interval = max(group_interval, chat_interval)
        self._clock = clock
        self._next_global = 0.0
        self._next_chat: dict[int | str, float] = defaultdict(float)
        self._lock = asyncio.Lock()

    async def acquire(self, chat_id: int | str | None) -> None:
        async with self._lock:
            now = self._clock()
            start = max(now, self._next_global)
            if chat_id is not None:
                start = max(start, self._next_chat[chat_id])
                group = isinstance(chat_id, str) or chat_id < 0
                self._next_chat[chat_id] = start + (self.group_interval if group else self.chat_interval)
            self._next_global = start + self.interval
        delay = start - now
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        """After a 429 nobody sends until the flood wait is over."""
        self._next_global = max(self._next_global, self._clock() + seconds)


class LimitMiddleware(BaseRequestMiddleware):
    """A Bot API request middleware: every send goes through the limiter and survives 429."""

    def __init__(self, limiter: RateLimiter, max_retries: int = 5) -> None:
        self.limiter = limiter
        self.max_retries = max_retries

    async def __call__(self, make_request: NextRequestMiddlewareType, bot: Bot, method: TelegramMethod):
        if not isinstance(method, SEND_METHODS):
            return await make_request(bot, method)
        chat_id = getattr(method, "chat_id", None)
        for attempt in range(self.max_retries + 1):
            await self.limiter.acquire(chat_id)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                log.warning("429 from Telegram on %s, waiting %s s", type(method).__name__, exc.retry_after)
                self.limiter.pause(exc.retry_after)
        raise AssertionError("unreachable")  # pragma: no cover


class OutboxWorker:
    """Delivers the outbox: the rows of one recipient in order, recipients side by side."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], deliver, batch: int = 100, poll: float = 1.0) -> None:
        self._uow = uow_factory
        self._deliver = deliver  # async (row) -> list[outbox_service.Copy]
        self.batch, self.poll = batch, poll
        self._wake = asyncio.Event()
        self._stopped = False

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        await outbox_service.release_claims(self._uow())
        while not self._stopped:
            try:
                if await self.drain_once():
                    continue
            except Exception:  # the sender must outlive a bad row or a database hiccup
                log.exception("outbox pass failed")
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), self.poll)
            except TimeoutError:
                pass

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    async def drain(self) -> int:
        """Deliver until nothing is due (tests and shutdown)."""
        total = 0
        while n := await self.drain_once():
            total += n
        return total

    async def drain_once(self) -> int:
        rows = await outbox_service.claim(self._uow(), self.batch)
        by_user: dict[int, list] = defaultdict(list)
        for row in rows:
            by_user[row.user_id].append(row)
        await asyncio.gather(*(self._send_all(user_rows) for user_rows in by_user.values()))
        return len(rows)

    async def _send_all(self, rows) -> None:
        for row in rows:
            await self._send_one(row)

    async def _send_one(self, row) -> None:
        try:
            copies = await self._deliver(row)
        except TelegramForbiddenError as exc:
            log.info("user %s blocked the bot; outbox %s dropped", row.user_id, row.id)
            await outbox_service.blocked(self._uow(), row.id, row.user_id, str(exc))
        except TelegramRetryAfter as exc:
            await outbox_service.failed(self._uow(), row.id, str(exc), retry_after=exc.retry_after)
        except (TelegramServerError, TelegramNetworkError, TimeoutError) as exc:
            status = await outbox_service.failed(self._uow(), row.id, str(exc),
                                                 retry_after=outbox_service.backoff(row.attempts))
            log.warning("outbox %s: %s (%s)", row.id, exc, status)
        except TelegramBadRequest as exc:
            log.warning("outbox %s parked: %s", row.id, exc)
            await outbox_service.failed(self._uow(), row.id, str(exc))
        except Exception as exc:
            log.exception("outbox %s parked", row.id)
            await outbox_service.failed(self._uow(), row.id, f"{type(exc).__name__}: {exc}")
        else:
            await outbox_service.sent(self._uow(), row.id, copies or [])
