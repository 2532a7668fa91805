"""Engine and session factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from core.db.kernel import sqlite_driver

#: an execution option: on SQLite, statements run without BEGIN IMMEDIATE, each its own transaction (the driver
#: is in autocommit mode); elsewhere it changes nothing
STANDALONE = "dealgram_standalone_statements"


def create_engine(url: str, **kwargs) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # sessions always end their transactions, so the pool need not roll back again on check-in
        kwargs.setdefault("pool_reset_on_return", None)
        sqlite_driver.install()  # one thread hop per statement
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        _sqlite_write_serialised(engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_write_serialised(engine: AsyncEngine) -> None:
    """Take the write lock at BEGIN (BEGIN IMMEDIATE) so two transactions never read-then-write past each other.

    The pysqlite driver's own transaction handling is switched off, as SQLAlchemy's docs advise for aiosqlite.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        _wal(cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        # a page cache of 32 MiB a connection (SQLite's default is 2 MiB): the books' scans over a million
        # charges read their index pages from it instead of the file (the dunning scan: twice as fast)
        cur.execute("PRAGMA cache_size=-32768")
        cur.close()
        # SQLite's own lower() knows only ASCII: searches by name («пётр» finds «Пётр») need Unicode's
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn):
        if not conn.get_execution_options().get(STANDALONE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def _wal(cur) -> None:
    """The file in WAL mode. A new file's first two connections at once (two workers' first start) both switch it,
    and the one that meets the other's write lock is refused at once, «database is locked» (no busy timeout covers
    a change of journal mode). It then waits for that write to end as any writer does (BEGIN IMMEDIATE under the
    busy timeout, then ROLLBACK) and reads the mode again, switching it while it is not WAL yet."""
    for attempt in range(10):
        try:
            cur.execute("PRAGMA journal_mode")
            if cur.fetchone()[0] != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 9:
                raise
            cur.execute("BEGIN IMMEDIATE")
            cur.execute("ROLLBACK")


def session_factory(engine: AsyncEngine, *, autocommit: bool = False, **kwargs) -> async_sessionmaker[AsyncSession]:
    """Sessions for units of work. ``autocommit`` sessions run each statement as its own transaction (SQLite: no
    BEGIN IMMEDIATE; PostgreSQL: autocommit, no BEGIN and COMMIT round trips): only for work whose every statement
    stands alone (``UnitOfWork.standalone``: reads, the inbox, the sender's claim)."""
    if autocommit:
        options = {STANDALONE: True}
        if engine.dialect.name == "postgresql":
            options["isolation_level"] = "AUTOCOMMIT"
        bind = engine.execution_options(**options)
    else:
        bind = engine
    return async_sessionmaker(bind, expire_on_commit=False, autoflush=True, **kwargs)


def _lower(value):
    return value.lower() if isinstance(value, str) else value
