"""Per update: skip a redelivered update, give handlers a unit of work, the current user and their language;
throttle floods and refuse callback data that is not the bot's own, before any database work."""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.filters.callback_data import CallbackData
from aiogram.types import TelegramObject, Update

from bot.i18n import Translator
from core.db.kernel.uow import UnitOfWork
from core.services.kernel import inbox, users
from core.services.kernel.config import CoreConfig

log = logging.getLogger(__name__)


class ContextMiddleware(BaseMiddleware):
    """Per update, in one transaction: record its update_id (a redelivered update is skipped) and find or
    register the Telegram user. Handlers get ``uow``, ``cfg``, ``me`` and ``t`` (the user's language)."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], inbox_uow_factory: Callable[[], UnitOfWork],
                 cfg: CoreConfig, admin_ids: frozenset[int]) -> None:
        self.uow_factory, self.inbox_uow_factory = uow_factory, inbox_uow_factory
        self.cfg, self.admin_ids = cfg, admin_ids

    async def __call__(self, handler, event: Update, data: dict[str, Any]):
        chat = data.get("event_chat")
        if chat is not None and chat.type != "private":
            return None  # the bot works in private chats only
        tg_user = data.get("event_from_user")
        person = None
        if tg_user is not None and not tg_user.is_bot:
            person = users.TgPerson(tg_id=tg_user.id, name=tg_user.full_name, username=tg_user.username,
                                    language_code=tg_user.language_code)
        fresh, me = await inbox.begin_update(self.inbox_uow_factory(), event.update_id, person, self.cfg,
                                             self.admin_ids)
        if not fresh:
            log.info("update %s already handled; skipped", event.update_id)
            return None
        data["uow"] = self.uow_factory()
        data["cfg"] = self.cfg
        if me is not None:
            data["me"] = me
            data["t"] = Translator(me.locale, me.timezone, self.cfg.default_locale)
            if event.message is not None and (event.message.text or "").startswith("/start"):
                # how a person finds their numeric id for ADMIN_IDS (docs/settings.md)
                log.info("/start from Telegram id %s (%s), %s", me.tg_id,
                         f"@{me.username}" if me.username else "no @username", me.role)
        return await handler(event, data)


class GateMiddleware(BaseMiddleware):
    """Before any database work (registered ahead of ContextMiddleware): at most ``per_minute`` updates a minute
    from one user, and callback data that is not one of the bot's own (an unknown prefix, or fields that do not
    parse) refused. Both get a short note and cost no database write."""

    def __init__(self, per_minute: int, callbacks: dict[str, type[CallbackData]], default_locale: str = "ru",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute, self.callbacks, self.default_locale, self.clock = per_minute, callbacks, default_locale, clock
        self._seen: dict[int, deque[float]] = defaultdict(deque)

    def _t(self, tg_user) -> Translator:
        return Translator(users.pick_locale(tg_user.language_code, self.default_locale))

    def _forged(self, data: str | None) -> bool:
        prefix = (data or "").split(":", 1)[0]
        kind = self.callbacks.get(prefix)
        if kind is None:
            return True
        try:
            kind.unpack(data)
        except (ValueError, TypeError):
            return True
        return False

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: Update, data: dict[str, Any]):
        tg_user = data.get("event_from_user")
        if tg_user is None:
            return await handler(event, data)
        cb, message = event.callback_query, event.message
        if cb is not None and self._forged(cb.data):
            log.info("update %s: callback data not ours, refused", event.update_id)
            await cb.answer(self._t(tg_user)("errors.stale_button"), show_alert=True)
            return None
        if self.per_minute <= 0:
            return await handler(event, data)
        now = self.clock()
        seen = self._seen[tg_user.id]
        while seen and now - seen[0] > 60:
            seen.popleft()
        if len(seen) >= self.per_minute:
            text = self._t(tg_user)("errors.throttled")
            if cb is not None:
                await cb.answer(text)
            elif message is not None and len(seen) == self.per_minute:
                await message.answer(text)
            seen.append(now)
            return None
        seen.append(now)
        return await handler(event, data)
