"""Blueprints build routers whose every filter and handler aiogram awaits in the event loop: aiogram runs a plain
callable (a ``State``, a magic filter ``F.text``, a function) through ``asyncio.to_thread``, a thread hop for every
check of every handler an update passes on its way, which was most of a dialog step's cost (issue 14)."""

from __future__ import annotations

import pytest
from aiogram import F
from aiogram.fsm.state import State, StatesGroup

from bot.app import routers
from bot.blueprint import Blueprint


class Demo(StatesGroup):
    step = State()


def test_every_filter_and_handler_of_the_bot_runs_in_the_event_loop():
    plain = []
    for router in routers():
        for event, observer in router.observers.items():
            for f in observer._handler.filters or []:
                if not f.awaitable:
                    plain.append((router.name, event, "router filter", f.callback))
            for handler in observer.handlers:
                if not handler.awaitable:
                    plain.append((router.name, event, handler.callback.__name__, "the handler itself"))
                plain += [(router.name, event, handler.callback.__name__, f.callback)
                          for f in handler.filters or [] if not f.awaitable]
    assert plain == []


async def test_a_state_and_a_magic_filter_keep_their_meaning():
    bp = Blueprint("demo")

    @bp.message(Demo.step, F.text.as_("said"))
    async def step(message, said):  # pragma: no cover - only its filters are checked here
        return said

    handler = bp.build().message.handlers[0]
    assert all(f.awaitable for f in handler.filters)
    assert (await handler.check(object(), raw_state="Demo:step"))[0] is False  # no text: F.text is None

    class Text:
        text = "12 500"

    assert await handler.check(Text(), raw_state="Demo:step") == (True, {"raw_state": "Demo:step", "said": "12 500"})
    assert (await handler.check(Text(), raw_state="Demo:other"))[0] is False


def test_a_plain_function_filter_is_refused_when_the_router_is_built():
    bp = Blueprint("demo")

    @bp.message(lambda message: True)
    async def anything(message):  # pragma: no cover
        return None

    with pytest.raises(TypeError, match="make it async"):
        bp.build()


def test_neighbours_under_one_rule_share_a_router_in_their_order():
    from bot.blueprint import build_routers
    from bot.middlewares.roles import RoleGate

    made = {name: Blueprint(name, roles={"admin"} if name.startswith("admin") else None)
            for name in ("a", "b", "admin1", "admin2", "c")}
    handlers = {}
    for name, bp in made.items():
        @bp.message(F.text == name)
        async def said(message):  # pragma: no cover - only the registration is checked
            return None
        handlers[name] = said

    routers = build_routers(made.values())
    assert [r.name for r in routers] == ["a+b", "admin1+admin2", "c"]
    assert [[h.callback for h in r.message.handlers] for r in routers] == [
        [handlers["a"], handlers["b"]], [handlers["admin1"], handlers["admin2"]], [handlers["c"]]]
    gates = [[type(mw) for mw in r.message.middleware] for r in routers]
    assert gates == [[], [RoleGate], []]  # the admins' gate guards only the admins' handlers


def test_the_bot_has_a_router_per_run_of_blueprints_under_one_rule():
    from bot.app import routers

    names = [r.name for r in routers()]
    assert names[0].startswith("privacy+form_guard+") and names[-1].endswith("+fallback")
    assert "admin+setup" in names and len(names) < 12
