"""Handlers are declared on a blueprint at import; the composition root builds a fresh aiogram Router from it
for each Dispatcher (an aiogram Router can belong to one Dispatcher only, and nothing is built at import). A rule
for the whole router — who may use it — is said once, on the blueprint (``roles``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from aiogram import Router

from bot.middlewares.roles import RoleGate


class Blueprint:
    def __init__(self, name: str, *, roles: Iterable[str] | None = None) -> None:
        self.name = name
        self.roles = frozenset(roles) if roles is not None else None
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
            getattr(router, event).register(callback, *filters, **kwargs)
        if self.roles is not None:
            gate = RoleGate(self.roles)
            router.message.middleware(gate)
            router.callback_query.middleware(gate)
        return router
