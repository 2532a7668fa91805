"""Core keeps facts; the bot says the words (issue 26). A string literal holding Cyrillic or Polish letters in
core/services or core/domain, outside a docstring, is a word core says: fewer than 40 remain, and the failure
prints where they are.

Not counted: the words parsers read from what people and files give them, kept in one vocabulary module per area
(``core/domain/<area>/vocabulary.py``), and the two 1C exchange formats, whose element names and keys are 1C's own
(CommerceML's XML, the client bank's statement: ``FORMATS``). Their sizes are printed too, so a vocabulary that grows
shows."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
AREAS = ("core/services", "core/domain")
WORD = re.compile(r"[А-Яа-яЁёĄĆĘŁŃÓŚŹŻąćęłńóśźż]")
FORMATS = frozenset({"core/domain/campaigns/commerceml.py", "core/domain/campaigns/client_bank.py"})
LIMIT = 40


def _docstrings(tree: ast.AST) -> set[int]:
    """Docstrings, and any bare string statement (an attribute's doc): prose for developers, not words said."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def literals(path: Path) -> list[tuple[int, str]]:
    """The word literals of a module: a plain string, or an f-string counted once, by its line."""
    tree = ast.parse(path.read_text())
    skip, inside = _docstrings(tree), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside |= {id(v) for v in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip | inside:
            text = node.value
        else:
            continue
        if WORD.search(text):
            found.append((node.lineno, text))
    return found


def scan() -> tuple[dict[str, list[tuple[int, str]]], dict[str, int]]:
    """The word literals per module (counted), and the vocabularies' and formats' sizes (not counted)."""
    counted, kept = {}, {}
    for area in AREAS:
        for path in sorted((ROOT / area).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            found = literals(path)
            if not found:
                continue
            if path.name == "vocabulary.py" or name in FORMATS:
                kept[name] = len(found)
            else:
                counted[name] = found
    return counted, kept


def test_core_says_fewer_than_40_words():
    counted, kept = scan()
    total = sum(len(x) for x in counted.values())
    report = [f"{len(found):4} {name}: " + "; ".join(f"{line}: {text[:40]!r}" for line, text in found)
              for name, found in sorted(counted.items(), key=lambda x: -len(x[1]))]
    print(f"word literals in core: {total} (limit {LIMIT - 1}); not counted: "
          + ", ".join(f"{name} {n}" for name, n in kept.items()))
    print("\n".join(report))
    assert total < LIMIT, f"{total} word literals in core/services and core/domain:\n" + "\n".join(report)


def test_one_vocabulary_per_area():
    _, kept = scan()
    areas = Counter(Path(name).parent.name for name in kept if name.endswith("/vocabulary.py"))
    assert all(n == 1 for n in areas.values()) and not any("services" in name for name in kept)


def test_the_scan_sees_a_word_and_skips_a_docstring(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('"""Слова для разработчика."""\nX = "Сделка"\nY = f"Zapłata {1}"\nZ = "deal"\n')
    assert literals(module) == [(2, "Сделка"), (3, "Zapłata ")]
