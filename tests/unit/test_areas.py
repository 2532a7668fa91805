"""One package per area: core and the bot are cut into marketplace, leads, deals, campaigns, leasing and a shared
kernel (core/domain/<area>, core/db/<area>, core/services/<area>, bot/handlers/<area>, bot/views/<area>). An area
uses another only through what that area's package publishes (the names its ``__init__`` binds); the kernel's
modules are every area's. Read from the source with ``ast``: nothing is imported."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "kernel"
AREAS = frozenset({"marketplace", "leads", "deals", "campaigns", "leasing", KERNEL})


def area_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) >= 3 and parts[0] in ("core", "bot") and parts[2] in AREAS else None


def _file(root: Path, module: str) -> Path | None:
    path = root.joinpath(*module.split("."))
    return next((p for p in (path / "__init__.py", path.with_suffix(".py")) if p.is_file()), None)


def published(root: Path, package: str) -> set[str]:
    """The names an area's package binds at its top, its submodules excepted (those are its internals)."""
    init = _file(root, package)
    names: set[str] = set()
    for node in ast.parse(init.read_text()).body if init else ():
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return {n for n in names if not _file(root, f"{package}.{n}")}


def _reaches(root: Path, tree: ast.AST, own: str, module: str, name: str | None, local: str | None) -> list[str]:
    """What an import of ``module`` (``name`` from it, or the module bound to ``local``) takes from another area
    past its package's publications."""
    target = area_of(module)
    if target in (None, own, KERNEL):
        return []
    package = ".".join(module.split(".")[:3])
    if module != package:
        return [f"imports {module}, inside the {target} area"]
    used = {name} if name else {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                                and isinstance(n.value, ast.Name) and n.value.id == local}
    return [f"uses {package}.{hidden}, which the {target} area does not publish"
            for hidden in sorted(used - published(root, package))]


def violations(root: Path = ROOT) -> list[str]:
    """Every import in an area's module that reaches into another area past what its package publishes."""
    found = []
    for path in sorted([*root.glob("core/**/*.py"), *root.glob("bot/**/*.py")]):
        parts = path.relative_to(root).with_suffix("").parts
        importer = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        own = area_of(importer)
        if own is None:
            continue  # the composition roots and the bot's plumbing (app, sender, keyboards …) are no area's
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                uses = [(a.name, None, a.asname or a.name) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                uses = [(f"{node.module}.{a.name}", None, a.asname or a.name) if _file(root, f"{node.module}.{a.name}")
                        else (node.module, a.name, None) for a in node.names]  # a module, or a name from one
            else:
                continue
            found += [f"{importer}:{node.lineno} {what}" for use in uses for what in _reaches(root, tree, own, *use)]
    return found


def test_an_area_uses_another_only_through_its_package():
    assert violations() == []


#: the one module that stands above every area: the reactions' table names the areas' handlers, and the composition
#: root hands it to the units of work (a module inside an area could not import the others without a cycle)
ABOVE_THE_AREAS = {"core/services": ["reactions.py"]}


def test_every_area_is_a_package_in_each_layer_that_has_it():
    for layer in ("core/domain", "core/db", "core/services", "bot/handlers", "bot/views"):
        folders = {p.name for p in (ROOT / layer).iterdir() if (p / "__init__.py").is_file()}
        assert folders <= AREAS, f"{layer}: {sorted(folders - AREAS)} is no area"
        loose = sorted(p.name for p in (ROOT / layer).glob("*.py") if p.name != "__init__.py")
        assert loose == ABOVE_THE_AREAS.get(layer, []), f"{layer}: {loose} belong in an area's package"


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


MARKET = {"core/services/marketplace/__init__.py": "from core.services.marketplace.offers import choose as choose\n",
          "core/services/marketplace/offers.py": "def choose(): ...\ndef hidden(): ...\n",
          "core/services/kernel/users.py": "def get(): ...\n"}


def test_a_reach_into_another_areas_module_is_caught(tmp_path):
    root = _tree(tmp_path, {**MARKET, "core/services/deals/workspace.py": (
        "from core.services.marketplace.offers import choose\n"  # its internal module
        "from core.services.marketplace import hidden\n"         # a name its package does not publish
        "from core.services import marketplace\n"
        "marketplace.hidden()\n")})                               # the same, through the package
    assert violations(root) == [
        "core.services.deals.workspace:1 imports core.services.marketplace.offers, inside the marketplace area",
        "core.services.deals.workspace:2 uses core.services.marketplace.hidden, which the marketplace area does not "
        "publish",
        "core.services.deals.workspace:3 uses core.services.marketplace.hidden, which the marketplace area does not "
        "publish",
    ]


def test_the_package_the_kernel_and_the_areas_own_modules_are_allowed(tmp_path):
    root = _tree(tmp_path, {**MARKET, "core/services/deals/workspace.py": (
        "from core.services.marketplace import choose\n"
        "from core.services import marketplace\n"
        "from core.services.kernel.users import get\n"
        "from core.services.deals import listing\n"
        "marketplace.choose()\n"),
        "bot/handlers/marketplace/offers.py": "from core.services.marketplace.offers import hidden\n"})  # its own
    assert violations(root) == []
