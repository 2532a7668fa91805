"""Apply the alembic revisions from code (at bot start and in tests).

A database already at the newest revision is recognised with one SELECT, without loading alembic: a worker that
restarts on a migrated database starts that much sooner."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
#: the newest revision: each revision's id is its file's number (tests/services/test_schema.py checks it)
HEAD = max(p.name.split("_", 1)[0] for p in (HERE / "versions").glob("[0-9]*_*.py"))


def config(url: str | None = None):
    from alembic.config import Config

    cfg = Config(str(HERE.parent / "alembic.ini")) if (HERE.parent / "alembic.ini").exists() else Config()
    cfg.set_main_option("script_location", str(HERE))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def current(engine: AsyncEngine) -> str | None:
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except DBAPIError:  # no alembic_version table: a new database
        return None


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    at = await current(engine)
    if revision == "head" and at == HEAD:
        return
    from alembic import command

    # one line of our own: alembic's line per revision shows at LOG_LEVEL=DEBUG (bot/logs.py)
    log.info("database: %s; migrating to %s …", "new" if at is None else f"at revision {at}",
             HEAD if revision == "head" else revision)

    cfg = config()

    def _run(connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)
    log.info("database: migrated to %s", HEAD if revision == "head" else revision)
