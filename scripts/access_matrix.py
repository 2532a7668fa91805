"""Writes the access rules' table into docs/access.md (between its access-matrix markers): ``python -m
scripts.access_matrix``; ``--check`` exits 1 when the file is not what the rules say."""

from __future__ import annotations

import sys
from pathlib import Path

from core.domain.kernel.permissions import matrix_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "access.md"
BEGIN, END = "<!-- access-matrix:begin -->", "<!-- access-matrix:end -->"


def rendered(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{matrix_markdown()}{END}{tail}"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    if "--check" in argv:
        return 0 if rendered(text) == text else 1
    DOC.write_text(rendered(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
