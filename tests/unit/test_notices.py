"""Every kind of notice the core queues has its renderer in the bot, taking exactly the payload the core sends;
no renderer is left without a kind."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from bot.notifications import Notifier
from core.domain.notices import Notice

ROOT = Path(__file__).resolve().parents[2]


def test_every_kind_has_a_renderer():
    for kind in Notice:
        assert inspect.iscoroutinefunction(getattr(Notifier, f"_{kind.value}", None)), kind


def test_no_renderer_without_a_kind():
    helpers = {"text", "files", "card", "task_text"}  # shared by several renderers
    renderers = {name[1:] for name, fn in vars(Notifier).items()
                 if name.startswith("_") and not name.startswith("__") and inspect.iscoroutinefunction(fn)}
    assert renderers - helpers == {k.value for k in Notice}


def _queued() -> dict[str, set[frozenset[str]]]:
    """What each ``notify(…, Notice.X, key=…)`` in core/services sends: the payload's keys per kind."""
    found: dict[str, set[frozenset[str]]] = {}
    for path in (ROOT / "core" / "services").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("notify", "notify_many")):
                continue
            kind_arg = list(ast.walk(node.args[1])) if len(node.args) > 1 else []
            kinds = [n.attr for n in kind_arg if isinstance(n, ast.Attribute)
                     and isinstance(n.value, ast.Name) and n.value.id == "Notice"]
            spelled = [n.value for n in kind_arg if isinstance(n, ast.Constant)]
            assert spelled == [], f"{path.name}:{node.lineno}: a kind spelled as a string {spelled}: use Notice"
            keys = frozenset(k.arg for k in node.keywords if k.arg and k.arg != "not_before")
            for kind in kinds:
                found.setdefault(Notice[kind].value, set()).add(keys)
    return found


def test_each_renderer_takes_the_payload_its_kind_is_queued_with():
    for kind, payloads in _queued().items():
        params = inspect.signature(getattr(Notifier, f"_{kind}")).parameters
        names = set(params) - {"self", "user", "t"}
        required = {n for n in names if params[n].default is inspect.Parameter.empty}
        for keys in payloads:
            assert required <= keys <= names, (kind, sorted(keys), sorted(names))
