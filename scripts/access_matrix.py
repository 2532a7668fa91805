"""Writes the access rules' table into docs/access.md (between its access-matrix markers): ``python -m
scripts.access_matrix``; ``--check`` exits 1 when the file is not what the rules say."""

from __future__ import annotations

import sys
from pathlib import Path

from core.domain.kernel.access import Scope
from core.domain.kernel.permissions import RULES, Action, Holder, Who
from core.domain.kernel.roles import Role

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "access.md"
README = ROOT / "README.md"
BEGIN, END = "<!-- access-matrix:begin -->", "<!-- access-matrix:end -->"
SUMMARY_BEGIN, SUMMARY_END = "<!-- access-summary:begin -->", "<!-- access-summary:end -->"


SCOPE_WORDS = {Scope.ALL: "all", Scope.TEAM_BELOW: "team and below", Scope.TEAM: "team", Scope.OWN: "own",
               Scope.NONE: "—"}
WHO_ORDER: tuple[Who, ...] = (*Role, Holder.HEAD)


def matrix_markdown() -> str:
    """The rules as one table per area: a row per action, a column per role (and the head of a team)."""
    out: list[str] = []
    for area, table in RULES.items():
        out.append(f"### {area.value}\n")
        out.append("| action | " + " | ".join(w.value for w in WHO_ORDER) + " |")
        out.append("| --- |" + " --- |" * len(WHO_ORDER))
        for action, rule in table.items():
            out.append(f"| {action.value} | " + " | ".join(SCOPE_WORDS[rule.get(w, Scope.NONE)] for w in WHO_ORDER)
                       + " |")
        out.append("")
    return "\n".join(out)


def summary_markdown() -> str:
    """The README's table: a row per role (and a team's head), a column per area: how far they read, and the named
    permissions they hold there."""
    areas = list(RULES)
    out = ["| who | " + " | ".join(a.value for a in areas) + " |", "| --- |" + " --- |" * len(areas)]
    for who in WHO_ORDER:
        cells = []
        for area in areas:
            table = RULES[area]
            read = table.get(Action.READ, {}).get(who, Scope.NONE)
            named = [a.value for a in table
                     if not isinstance(a, Action) and table[a].get(who, Scope.NONE) != Scope.NONE]
            cells.append(SCOPE_WORDS[read] + (f" ({', '.join(named)})" if named else ""))
        out.append(f"| {who.value} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def _between(text: str, begin: str, end: str, body: str) -> str:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}{end}{tail}"


def rendered(text: str) -> str:
    return _between(text, BEGIN, END, matrix_markdown())


def rendered_readme(text: str) -> str:
    return _between(text, SUMMARY_BEGIN, SUMMARY_END, summary_markdown())


def main(argv: list[str]) -> int:
    doc, readme = DOC.read_text(encoding="utf-8"), README.read_text(encoding="utf-8")
    if "--check" in argv:
        return 0 if rendered(doc) == doc and rendered_readme(readme) == readme else 1
    DOC.write_text(rendered(doc), encoding="utf-8")
    README.write_text(rendered_readme(readme), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
