"""Every kind of notice the core queues has its payload dataclass and its renderer in the bot, taking exactly the
payload's fields; no renderer is left without a kind; core queues notices only as payloads."""

from __future__ import annotations

import ast
import inspect
from dataclasses import MISSING, fields
from pathlib import Path

from bot.notifications import RENDERERS, Notifier
from core.domain.kernel.notices import PAYLOADS, Notice, Payload

ROOT = Path(__file__).resolve().parents[3]


def test_every_kind_has_a_renderer():
    """The notifier dispatches by one table, kind → renderer (no method looked up by a kind's name)."""
    assert set(RENDERERS) == set(Notice)
    for kind in Notice:
        assert inspect.iscoroutinefunction(RENDERERS[kind]), kind
        assert Notifier(None, None).renderer(kind).__func__ is RENDERERS[kind]


def test_every_kind_has_its_payload():
    assert set(PAYLOADS) == set(Notice)
    for kind, cls in PAYLOADS.items():
        assert issubclass(cls, Payload) and cls.kind == kind


def test_no_renderer_without_a_kind():
    helpers = {"text", "files", "card", "task_text", "task_list", "copied"}  # shared by several renderers
    renderers = {name[1:] for name, fn in vars(Notifier).items()
                 if name.startswith("_") and not name.startswith("__") and inspect.iscoroutinefunction(fn)}
    assert renderers - helpers == {fn.__name__[1:] for fn in RENDERERS.values()}


def test_each_renderer_takes_exactly_its_payloads_fields():
    for kind, cls in PAYLOADS.items():
        params = inspect.signature(RENDERERS[kind]).parameters
        taken = {n: p.default is not inspect.Parameter.empty for n, p in params.items()
                 if n not in ("self", "user", "t")}
        given = {f.name: f.default is not MISSING for f in fields(cls)}
        assert taken == given, kind


def test_core_queues_notices_as_payloads():
    """``notify(…, Notice.X, key=…)`` or a kind spelled as a string would bypass the payload's fields."""
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "notify", "notify_many"):
                assert (len(node.args) == 2 and not node.keywords) or [k.arg for k in node.keywords] == [
                    "not_before"], f"{path.name}:{node.lineno}"
                assert not isinstance(node.args[1], ast.Constant), f"{path.name}:{node.lineno}"
