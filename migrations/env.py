"""Alembic environment: async engines; reuses a connection handed in by migrations.runner."""

from __future__ import annotations

import asyncio
import os

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
    with context.begin_transaction():
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
