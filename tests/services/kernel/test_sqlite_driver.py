"""The SQLite driver's round trips to aiosqlite's thread, counted: one per statement, none for the COMMIT of
statements that ran on their own (no transaction is open: sqlite3 itself would do nothing). Always on a SQLite file
of its own, whatever database the suite runs on: it is the SQLite driver's property."""

from __future__ import annotations

import aiosqlite
import pytest
from sqlalchemy import text

from core.db.kernel.engine import STANDALONE, create_engine


async def test_one_hop_a_statement_and_none_for_a_commit_with_no_transaction(tmp_path, monkeypatch):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'hops.db'}")
    async with engine.begin() as conn:  # the pool's connection is made (its PRAGMAs) before the count
        await conn.execute(text("CREATE TABLE t (x INTEGER PRIMARY KEY)"))
    hops: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        hops.append(getattr(fn, "__name__", type(fn).__name__))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    try:
        async with engine.execution_options(**{STANDALONE: True}).connect() as conn:
            await conn.execute(text("INSERT INTO t VALUES (1)"))
            await conn.commit()
        assert hops == ["_run"]  # the statement; its commit had nothing to end
        hops.clear()
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO t VALUES (2)"))
        assert hops == ["_run", "_run", "commit"]  # BEGIN IMMEDIATE, the statement, the COMMIT
        hops.clear()
        with pytest.raises(ZeroDivisionError):
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t VALUES (3)"))
                1 / 0  # noqa: B018
        assert hops == ["_run", "_run", "rollback"]  # an open transaction is rolled back
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT x FROM t ORDER BY x"))).scalars().all() == [1, 2]
    finally:
        await engine.dispose()


async def test_a_connection_that_meets_another_switching_a_new_file_to_wal_waits_for_it(tmp_path):
    """Two workers' first start on one new file: the connection that finds the file locked while it is still in its
    first journal mode (the other switching it, or writing) was refused at once, «database is locked», since no
    busy timeout covers a change of journal mode. It tries again until the lock is gone, and the file is WAL."""
    import sqlite3
    import threading

    path = tmp_path / "new.db"
    holder = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")  # a file in SQLite's first journal mode, not WAL yet
    holder.execute("BEGIN IMMEDIATE")  # the other worker, creating the database: its write lock held
    holder.execute("INSERT INTO t VALUES (1)")
    threading.Timer(0.3, lambda: holder.execute("COMMIT")).start()
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
    finally:
        await engine.dispose()
        holder.close()
