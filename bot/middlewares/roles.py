"""A rule that holds for a whole router: only these roles use its handlers (the admins' screens). Said once, where
the router is declared (``Blueprint("admin", roles={Role.ADMIN})``); the services check again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from core.domain.kernel.errors import Forbidden
from core.domain.kernel.roles import holds


class RoleGate(BaseMiddleware):
    """An inner middleware of a router's observers: it runs when one of the router's handlers matched, and refuses
    (Forbidden: «no rights», in the person's language) anyone who holds none of ``roles``."""

    def __init__(self, roles: frozenset[str]) -> None:
        self.roles = roles

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        me = data.get("me")
        if me is None or not holds(me, *self.roles):  # any role the person holds
            raise Forbidden()
        return await handler(event, data)
