"""Handlers are declared on a blueprint at import; the composition root builds a fresh aiogram Router from it
for each Dispatcher (an aiogram Router can belong to one Dispatcher only, and nothing is built at import)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router


class Blueprint:
    def __init__(self, name: str) -> None:
        self.name = name
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
        return router
