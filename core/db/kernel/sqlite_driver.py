"""One thread hop per statement on SQLite.

aiosqlite runs sqlite3 in a thread of its own; every call into it is a hop there and back (a queue put, a future,
a wake-up of the event loop). SQLAlchemy's adapter makes four for one SELECT (open a cursor, execute, fetch all,
close) and three for a write. This cursor does the four in one function run in that thread, so a statement costs
one hop: a dialog step's statements (its update's id, its person, its dialog state) take a third of the round trips.
A COMMIT or ROLLBACK with no transaction open (statements that ran on their own, ``engine.STANDALONE``) is what
sqlite3 itself makes of it, nothing, and costs no hop either.
Installed by ``core.db.kernel.engine.create_engine`` for SQLite; SQLAlchemy is pinned to 2.1 (``pyproject.toml``), whose
adapter this extends, and the whole suite runs on it."""

from __future__ import annotations

import collections
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor


class _Ran:
    """What the sqlite3 cursor left after its statement (it is closed already, in the driver's thread)."""

    __slots__ = ("arraysize", "description", "lastrowid", "rowcount")

    def __init__(self, description=None, rowcount: int = -1, lastrowid: int | None = None) -> None:
        self.description, self.rowcount, self.lastrowid, self.arraysize = description, rowcount, lastrowid, 1

    def close(self) -> None:
        return None


def _run(aio_connection, operation: str, parameters, many: bool):
    """In aiosqlite's thread: the whole statement on a sqlite3 cursor of its own."""
    cursor = aio_connection._conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()
    _awaitable_cursor_close = False  # nothing is left open in the driver: closing costs no hop

    def _make_new_cursor(self, connection) -> None:
        return None

    def _aenter_cursor(self, cursor) -> _Ran:
        return _Ran()

    async def _go(self, operation: str, parameters, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            description, rows, rowcount, lastrowid = await self._connection._execute(
                _run, self._connection, operation, parameters, many)
        self._cursor = _Ran(description, rowcount, lastrowid)
        if description:
            self._rows = collections.deque(rows)

    async def _execute_async(self, operation: Any, parameters) -> None:
        await self._go(operation, parameters, False)

    async def _executemany_async(self, operation: Any, seq_of_parameters) -> None:
        await self._go(operation, seq_of_parameters, True)


_commit, _rollback = AsyncAdapt_aiosqlite_connection.commit, AsyncAdapt_aiosqlite_connection.rollback


def _open(adapted) -> bool:
    """Whether a transaction is open on the connection (read from here: nothing runs on it while its user, the one
    SQLAlchemy connection, is at its commit or rollback)."""
    raw = adapted._connection._connection
    return raw is not None and raw.in_transaction


def _commit_open(self) -> None:
    if _open(self):
        _commit(self)


def _rollback_open(self) -> None:
    if _open(self):
        _rollback(self)


def install() -> None:
    AsyncAdapt_aiosqlite_connection._cursor_cls = OneHopCursor
    AsyncAdapt_aiosqlite_connection.commit = _commit_open
    AsyncAdapt_aiosqlite_connection.rollback = _rollback_open
