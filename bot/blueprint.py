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
        return build_together([self])

    @property
    def rule(self) -> tuple[frozenset[str] | None, tuple[Any, ...]]:
        """What the whole router says besides its handlers: who may use it and its message middlewares."""
        return self.roles, self.message_middlewares


def build_together(blueprints: list[Blueprint]) -> Router:
    """One aiogram Router with the handlers of ``blueprints`` (which share one rule), in their order."""
    first = blueprints[0]
    if any(b.rule != first.rule for b in blueprints):
        raise ValueError("blueprints under different rules cannot share a router")
    router = Router(name="+".join(b.name for b in blueprints))
    for blueprint in blueprints:
        for event, filters, kwargs, callback in blueprint._handlers:
            getattr(router, event).register(callback, *map(in_loop, filters), **kwargs)
    for make in first.message_middlewares:
        router.message.middleware(make())
    if first.roles is not None:
        gate = RoleGate(first.roles)
        router.message.middleware(gate)
        router.callback_query.middleware(gate)
    return router


def build_routers(blueprints: Iterable[Blueprint]) -> list[Router]:
    """The routers of ``blueprints``, in their order. Blueprints next to each other under the same rule (roles,
    message middlewares) share one router: an update meets the same handlers in the same order, checked by the
    same gate, and each aiogram Router costs ~30 KB (an observer for each of its ~20 kinds of update)."""
    routers: list[Router] = []
    run: list[Blueprint] = []
    for blueprint in blueprints:
        if run and blueprint.rule != run[0].rule:
            routers.append(build_together(run))
            run = []
        run.append(blueprint)
    if run:
        routers.append(build_together(run))
    return routers
