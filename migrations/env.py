"""Alembic environment: async engines; reuses a connection handed in by migrations.runner."""

from __future__ import annotations

import asyncio
import os
import warnings

from alembic import context
from sqlalchemy.pool import NullPool

from core.db.kernel.engine import create_engine
from core.db.kernel.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return (config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
            or "sqlite+aiosqlite:///data/dealgram.db")


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
