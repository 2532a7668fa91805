"""INSERT … ON CONFLICT, in the form of the database in use (PostgreSQL's or SQLite's ``insert()``).

The dialect's module is imported when a statement is first built, not by the repositories' import: a SQLite
deployment never loads PostgreSQL's dialect (~2.4 MB resident), nor a PostgreSQL one SQLite's."""

from __future__ import annotations

from typing import Any


def insert(dialect_name: str, table: Any) -> Any:
    """``insert(table)`` of the dialect named (``engine.dialect.name``), with ``on_conflict_do_…``."""
    if dialect_name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table)
