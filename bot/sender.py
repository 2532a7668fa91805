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

from core.db.kernel.uow import UnitOfWork
from core.services.kernel import outbox as outbox_service

log = logging.getLogger(__name__)

SEND_METHODS = (SendMessage, CopyMessage, CopyMessages, SendDocument, SendPhoto, SendMediaGroup, ForwardMessage)


class RateLimiter:
    """A global pace (``rate`` a second) and a per-chat pace: one per ``chat_interval`` seconds in a private chat,
    one per ``group_interval`` in a group (Telegram allows 20 a minute there; group chat ids are negative).

    Slots are taken at the moment of sending, on the clock as it is then, not booked ahead: a send that wakes
    late (the event loop was busy) cannot bunch up with the next ones and overrun the limit. Waiting for a chat
    happens outside the lock, so one slow chat does not hold up the others."""

    def __init__(self, rate: float = 30.0, chat_interval: float = 1.0, clock=time.monotonic,
                 group_interval: float = 3.0) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.chat_interval = chat_interval
        self.group_interval = max(group_interval, chat_interval)
        self._clock = clock
        self._next_global = 0.0
        self._next_chat: dict[int | str, float] = defaultdict(float)
        self._lock = asyncio.Lock()
        self._unlimited = self.interval == 0 and self.chat_interval == 0

    def _interval(self, chat_id: int | str) -> float:
        group = isinstance(chat_id, str) or chat_id < 0
        return self.group_interval if group else self.chat_interval

    async def _take(self, chat_id: int | str | None) -> tuple[float, float]:
        """Take the slot if both paces allow a send now; else (seconds the pace wants, seconds the chat wants)."""
        now = self._clock()
        wait_all = self._next_global - now
        wait_chat = self._next_chat[chat_id] - now if chat_id is not None else 0.0
        if wait_all <= 0 and wait_chat <= 0:
            # a send a little late keeps to the grid (the pace does not drift down by a millisecond a message);
            # one later than a whole interval starts afresh (so a stall is never made up for with a burst)
            base = self._next_global if now - self._next_global < self.interval else now
            self._next_global = base + self.interval
            if chat_id is not None:
                self._next_chat[chat_id] = now + self._interval(chat_id)
        return wait_all, wait_chat

    async def _chat_wait(self, chat_id: int | str) -> float:
        return self._next_chat[chat_id] - self._clock()

    async def acquire(self, chat_id: int | str | None) -> None:
        if self._unlimited:
            return
        chat_wait = await self._chat_wait(chat_id) if chat_id is not None else 0.0
        while True:
            if chat_wait > 0:
                await asyncio.sleep(chat_wait)
            async with self._lock:  # one sender at a time takes the global pace
                while True:
                    wait_all, chat_wait = await self._take(chat_id)
                    if wait_all <= 0 and chat_wait <= 0:
                        return
                    if chat_wait > 0:  # the chat is not free yet: wait for it outside the lock
                        break
                    await asyncio.sleep(wait_all)

    async def pause(self, seconds: float) -> None:
        """After a 429 nobody sends until the flood wait is over."""
        self._next_global = max(self._next_global, self._clock() + seconds)

    async def close(self) -> None:
        return None


class RedisRateLimiter(RateLimiter):
    """The same pace shared by every process on one Redis (REDIS_URL): several bot workers and the scheduler
    together send about ``rate`` messages a second and one a second per chat. Taking a slot is one Lua script
    (atomic in Redis) on Redis's own clock, so the processes need no common clock; within a process the lock
    lets one sender at a time ask."""

    _TAKE = """
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
    local next_all = tonumber(redis.call('GET', KEYS[1]) or '0')
    local wait_all = next_all - now
    local wait_chat = 0
    if #KEYS > 1 then wait_chat = tonumber(redis.call('GET', KEYS[2]) or '0') - now end
    if wait_all <= 0 and wait_chat <= 0 then
      local interval = tonumber(ARGV[1])
      local base = now
      if now - next_all < interval then base = next_all end  -- a little late: keep to the grid
      redis.call('SET', KEYS[1], string.format('%.3f', base + interval), 'PX', math.ceil(interval) + 1000)
      if #KEYS > 1 then
        local chat_interval = tonumber(ARGV[2])
        redis.call('SET', KEYS[2], string.format('%.3f', now + chat_interval), 'PX', math.ceil(chat_interval) + 1000)
      end
    end
    return {string.format('%.3f', wait_all), string.format('%.3f', wait_chat)}
    """
    _PAUSE = """
    local t = redis.call('TIME')
    local until_ms = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000 + tonumber(ARGV[1])
    if until_ms > tonumber(redis.call('GET', KEYS[1]) or '0') then
      redis.call('SET', KEYS[1], string.format('%.3f', until_ms), 'PX', math.ceil(tonumber(ARGV[1])) + 1000)
    end
    return 1
    """

    def __init__(self, redis, rate: float = 30.0, chat_interval: float = 1.0, group_interval: float = 3.0,
                 prefix: str = "dealgram:rate") -> None:
        super().__init__(rate, chat_interval, group_interval=group_interval)
        self._redis, self._prefix = redis, prefix
        self._take_script = redis.register_script(self._TAKE)
        self._pause_script = redis.register_script(self._PAUSE)

    def _keys(self, chat_id: int | str | None) -> list[str]:
        keys = [f"{self._prefix}:all"]
        if chat_id is not None:
            keys.append(f"{self._prefix}:chat:{chat_id}")
        return keys

    async def _take(self, chat_id: int | str | None) -> tuple[float, float]:
        chat_ms = self._interval(chat_id) * 1000 if chat_id is not None else 0
        wait_all, wait_chat = await self._take_script(keys=self._keys(chat_id), args=[self.interval * 1000, chat_ms])
        return float(wait_all) / 1000, float(wait_chat) / 1000

    async def _chat_wait(self, chat_id: int | str) -> float:
        return 0.0  # asked atomically with the global pace in _take

    async def pause(self, seconds: float) -> None:
        await self._pause_script(keys=[f"{self._prefix}:all"], args=[seconds * 1000])

    async def close(self) -> None:
        await self._redis.aclose()


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
                await self.limiter.pause(exc.retry_after)
        raise AssertionError("unreachable")  # pragma: no cover


class OutboxWorker:
    """Delivers the outbox: the rows of one recipient in order, recipients side by side.

    Up to ``batch`` rows are held at a time; when half of them are done, more are claimed (not for recipients
    still being sent to, so each one's rows keep their order), so sending never waits for the slowest recipient
    of a batch. The held rows' lease is renewed while they are held. A delivery is marked sent at most
    ``flush_interval`` seconds after Telegram answered (with the others of that moment: one UPDATE), so a process
    killed in between sends again only the few it had not yet marked."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], deliver, batch: int = 100, poll: float = 1.0,
                 lease: float = 60.0, flush_interval: float = 0.025) -> None:
        self._uow = uow_factory
        self._deliver = deliver  # async (row) -> list[outbox_service.Copy]
        self.batch, self.poll, self.lease, self.flush_interval = batch, poll, lease, flush_interval
        self._done: list[tuple[int, list[outbox_service.Copy]]] = []  # delivered, not yet marked sent
        self._held: set[int] = set()  # claimed rows not yet delivered or given up
        self._sending: dict[int, asyncio.Task] = {}  # recipient -> the task sending their claimed rows
        self._room = asyncio.Event()
        self._delivered = asyncio.Event()  # something to mark sent
        self._wake = asyncio.Event()
        self._stopped = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    async def run(self) -> None:
        keeping = asyncio.create_task(self._keep_leases())
        marking = asyncio.create_task(self._mark_every())
        try:
            while not self._stopped:
                try:
                    await self._fill()
                except Exception:  # the sender must outlive a bad row or a database hiccup
                    log.exception("outbox pass failed")
                self._wake.clear()
                self._room.clear()
                waits = [asyncio.ensure_future(self._wake.wait())]
                if self._sending:
                    waits.append(asyncio.ensure_future(self._room.wait()))
                _, pending = await asyncio.wait(waits, timeout=self.poll, return_when=asyncio.FIRST_COMPLETED)
                for w in pending:
                    w.cancel()
            if self._sending:  # stopping: let what was started finish (the caller bounds the wait)
                await asyncio.wait(list(self._sending.values()))
        finally:
            keeping.cancel()
            self._stopped = True
            self._delivered.set()
            await marking  # it finishes the mark in hand (never cancelled halfway: sent rows would stay held)
            await self._flush()

    async def drain(self) -> int:
        """Deliver until nothing is due (tests, benchmarks): claiming as ``run`` does, when half the room is free."""
        total = 0
        while True:
            total += await self._fill(force=not self._sending)
            if not self._sending:  # nothing in flight, and a claim with the whole room found nothing
                break
            self._room.clear()
            await self._room.wait()
        await self._flush()
        return total

    async def drain_once(self) -> int:
        """Claim once and deliver what was claimed."""
        claimed = await self._fill(force=True)
        if self._sending:
            await asyncio.wait(list(self._sending.values()))
        await self._flush()
        return claimed

    async def _fill(self, force: bool = False) -> int:
        """Claim rows for the room there is, when at least half a batch is free (or ``force``)."""
        room = self.batch - len(self._held)
        if room <= 0 or (room < self.batch // 2 and not force):
            return 0
        rows = await outbox_service.claim(self._uow(), room, self.lease, exclude_users=list(self._sending))
        by_user: dict[int, list] = defaultdict(list)
        for row in rows:
            by_user[row.user_id].append(row)
            self._held.add(row.id)
        for user_id, user_rows in by_user.items():
            task = asyncio.create_task(self._send_all(user_rows))
            self._sending[user_id] = task
            task.add_done_callback(lambda _, u=user_id: self._finished(u))
        return len(rows)

    def _finished(self, user_id: int) -> None:
        self._sending.pop(user_id, None)
        self._room.set()

    async def _mark_every(self) -> None:
        while not self._stopped:
            await self._delivered.wait()  # idle: asleep
            await asyncio.sleep(self.flush_interval)  # what else is delivered meanwhile goes in the same UPDATE
            self._delivered.clear()
            await self._flush()

    async def _flush(self) -> None:
        """Mark what was delivered as sent, a handful of rows a transaction. Until then a row is only held: a
        process killed before the mark sends it again after the lease (a repeat, never a loss)."""
        done, self._done = self._done, []
        if done:
            try:
                await outbox_service.sent_many(self._uow(), done)
            except Exception:  # kept for the next mark (in a second at the latest); if the process dies first
                log.exception("outbox: marking %s rows sent failed", len(done))  # they go again after the lease
                self._done[:0] = done
                asyncio.get_running_loop().call_later(1.0, self._delivered.set)

    async def _keep_leases(self) -> None:
        """While rows are held (the pace may stretch that past the lease), they stay ours."""
        while True:
            await asyncio.sleep(self.lease / 3)
            held = list(self._held) + [row_id for row_id, _ in self._done]
            if held:
                try:
                    await outbox_service.renew(self._uow(), held, self.lease)
                except Exception:  # a missed renewal only risks a resend after the lease
                    log.exception("outbox lease renewal failed")

    async def _send_all(self, rows) -> None:
        for row in rows:
            await self._send_one(row)

    async def _send_one(self, row) -> None:
        try:
            await self._attempt(row)
        finally:
            self._held.discard(row.id)
            if len(self._held) <= self.batch // 2:
                self._room.set()

    async def _attempt(self, row) -> None:
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
            self._done.append((row.id, copies or []))
            self._delivered.set()
