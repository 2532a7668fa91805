"""Handlers are declared on a blueprint at import; the composition root builds a fresh aiogram Router from it
for each Dispatcher (an aiogram Router can belong to one Dispatcher only, and nothing is built at import). A rule
for the whole router — who may use it — is said once, on the blueprint (``roles``)."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from aiogram import Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.state import State
from aiogram.types import TelegramObject
from magic_filter import MagicFilter

from bot.middlewares.roles import RoleGate


class _Magic(Filter):
    """A magic filter (``F.text``, ``F.action == ...``) checked in the event loop."""

    __slots__ = ("magic",)

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, obj: TelegramObject) -> Any:
        return self.magic.resolve(obj)


def in_loop(check: Any) -> Any:
    """The filter as one aiogram awaits: aiogram runs a plain callable filter (a ``State``, a magic filter, a
    function) through ``asyncio.to_thread``, a thread hop for every check of every handler an update passes on its
    way (most of a dialog step's cost was these hops). A plain function is refused: write it ``async``."""
    if isinstance(check, State):
        return StateFilter(check)
    if isinstance(check, MagicFilter):
        return _Magic(check)
    if isinstance(check, Filter) or inspect.iscoroutinefunction(inspect.unwrap(check)):
        return check
    raise TypeError(f"the filter {check!r} is a plain callable (aiogram would run it in a thread): make it async")


class Blueprint:
    def __init__(self, name: str, *, roles: Iterable[str] | None = None, message_middlewares: Iterable[Any] = ()
                 ) -> None:
        self.name = name
        self.roles = frozenset(roles) if roles is not None else None
        self.message_middlewares = tuple(message_middlewares)  # made once per router build (each is a factory)
        self._handlers: list[tuple[str, tuple[Any, ...], dict[str, Any], Callable]] = []

    def _observer(self, event: str):
        def with_filters(*filters: Any, **kwargs: Any):
            def register(callback: Callable) -> Callable:
                self._handlers.append((event, filters, kwargs, callback))
                return callback
            return register
        return with_filters

    def __getattr__(self, event: str):
        if event.startswith("_"):
            raise AttributeError(event)
        return self._observer(event)

    def build(self) -> Router:
        router = Router(name=self.name)
        for event, filters, kwargs, callback in self._handlers:
            getattr(router, event).register(callback, *map(in_loop, filters), **kwargs)
        for make in self.message_middlewares:
            router.message.middleware(make())
        if self.roles is not None:
            gate = RoleGate(self.roles)
            router.message.middleware(gate)
            router.callback_query.middleware(gate)
        return router
