"""Per update: skip a redelivered update, give handlers a unit of work, the current user and their language."""

from __future__ import annotations

import logging
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from sqlalchemy.exc import IntegrityError

from bot.i18n import Translator
from core.db.models import ProcessedUpdate
from core.db.uow import UnitOfWork
from core.services import users
from core.services.config import CoreConfig

log = logging.getLogger(__name__)


class InboxMiddleware(BaseMiddleware):
    """Records each update_id; an update seen before is not applied again."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork]) -> None:
        self.uow_factory = uow_factory

    async def __call__(self, handler, event: Update, data: dict[str, Any]):
        uow = self.uow_factory()
        try:
            async with uow:
                uow.session.add(ProcessedUpdate(update_id=event.update_id))
                await uow.commit()
        except IntegrityError:
            log.info("update %s already handled; skipped", event.update_id)
            return None
        return await handler(event, data)


class UserMiddleware(BaseMiddleware):
    """Registers or refreshes the Telegram user; puts ``uow``, ``me``, ``t`` and ``cfg`` into the handler data."""

    def __init__(self, uow_factory: Callable[[], UnitOfWork], cfg: CoreConfig, admin_ids: frozenset[int]) -> None:
        self.uow_factory, self.cfg, self.admin_ids = uow_factory, cfg, admin_ids

    async def __call__(self, handler, event: Update, data: dict[str, Any]):
        data["uow"] = self.uow_factory()
        data["cfg"] = self.cfg
        tg_user = data.get("event_from_user")
        if tg_user is None or tg_user.is_bot:
            return await handler(event, data)
        chat = data.get("event_chat")
        if chat is not None and chat.type != "private":
            return None  # the bot works in private chats only
        person = users.TgPerson(tg_id=tg_user.id, name=tg_user.full_name, username=tg_user.username,
                                language_code=tg_user.language_code)
        me = await users.touch(self.uow_factory(), person, self.cfg, self.admin_ids)
        data["me"] = me
        data["t"] = Translator(me.locale, me.timezone, self.cfg.default_locale)
        return await handler(event, data)


class ThrottleMiddleware(BaseMiddleware):
    """At most ``per_minute`` updates a minute from one user; the rest get a short note and do nothing."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute, self.clock = per_minute, clock
        self._seen: dict[int, deque[float]] = defaultdict(deque)

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]):
        tg_user = data.get("event_from_user")
        if tg_user is None or self.per_minute <= 0:
            return await handler(event, data)
        now = self.clock()
        seen = self._seen[tg_user.id]
        while seen and now - seen[0] > 60:
            seen.popleft()
        if len(seen) >= self.per_minute:
            t: Translator | None = data.get("t")
            text = t("errors.throttled") if t else "…"
            if isinstance(event, CallbackQuery):
                await event.answer(text)
            elif isinstance(event, Message) and len(seen) == self.per_minute:
                await event.answer(text)
            seen.append(now)
            return None
        seen.append(now)
        return await handler(event, data)
