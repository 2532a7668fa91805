"""Alembic environment: async engines; reuses a connection handed in by migrations.runner."""

from __future__ import annotations

import asyncio
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from alembic.operations import Operations
from sqlalchemy.pool import NullPool

from core.db.kernel.engine import create_engine
from core.db.kernel.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return (config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
            or "sqlite+aiosqlite:///data/dealgram.db")


@contextmanager
def _batches_reflect_only_their_table() -> Iterator[None]:
    """SQLite's batch mode rebuilds a table from its reflection; by default SQLAlchemy also reflects every table it
    refers to, and theirs in turn (~9 tables for each of the 18 rebuilds of a new database: half the CPU of all the
    migrations). alembic needs only their names for the new table's foreign keys (it makes stand-ins), so while the
    revisions run, ``op.batch_alter_table`` reflects the table alone (``resolve_fks=False``; a revision can still
    pass its own ``reflect_kwargs``). The rebuilt table has the same columns, in the same order, and the same
    constraints; only the order in which its CREATE lists the constraints can differ, as it could before (alembic
    takes them from a set)."""
    plain = Operations.batch_alter_table

    def batch_alter_table(self, table_name, *args, **kw):
        kw.setdefault("reflect_kwargs", {"resolve_fks": False})
        return plain(self, table_name, *args, **kw)

    Operations.batch_alter_table = batch_alter_table
    try:
        yield
    finally:
        Operations.batch_alter_table = plain


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction(), warnings.catch_warnings():
        # SQLite's batch mode rebuilds a table by reflecting it and the tables it refers to; SQLAlchemy cannot
        # reflect an expression index (uq_clients_inn_kpp, on ``coalesce(kpp, '')``) and says so each time. Only
        # referenced tables are reflected that way (``clients`` itself is never rebuilt after 0020; its index
        # stays, tests/services/campaigns/test_counterparty_branches.py), so the warning is noise in a new
        # deployment's first log.
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
        with _batches_reflect_only_their_table():
            context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_url(), poolclass=NullPool)
    async with engine.begin() as conn:
        await conn.run_sync(_configure)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    connection = config.attributes.get("connection")
    if connection is None:
        asyncio.run(_run_async())
    else:
        _configure(connection)
