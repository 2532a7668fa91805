"""Apply the alembic revisions from code (at bot start and in tests).

A database already at the newest revision is recognised with one SELECT, without loading alembic: a worker that
restarts on a migrated database starts that much sooner. A new database is built at the newest revision in one
step instead of by replaying every revision (alembic's cookbook, "Building an Up to Date Database from Scratch"):
the models' tables (``create_all``), the rows the revisions seed (``seed.json``) and alembic's stamp; the tests
show it equals what the revisions build, on SQLite and PostgreSQL (tests/services/kernel/test_new_database.py).
A database at an older revision, and any revision but the newest, goes through alembic."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
#: the newest revision: each revision's id is its file's number (tests/services/test_schema.py checks it)
HEAD = max(p.name.split("_", 1)[0] for p in (HERE / "versions").glob("[0-9]*_*.py"))
#: the rows the revisions seed a new database with, as they stand at the revision it names
#: (``python -m migrations.seed`` writes it; a test fails when it is not the revisions' own)
SEED = HERE / "seed.json"


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


def _seed() -> dict | None:
    """The seeded rows if they are the newest revision's, else None (a revision added since: the revisions run)."""
    if not SEED.exists():
        return None
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    return seed if seed.get("revision") == HEAD else None


async def upgrade(engine: AsyncEngine, revision: str = "head", *, replay: bool = False) -> None:
    """Bring the database to ``revision``. A new database going to the newest revision is built in one step unless
    ``replay`` (the migration tests run every revision)."""
    at = await current(engine)
    if revision == "head" and at == HEAD:
        return
    seed = _seed() if at is None and revision in ("head", HEAD) and not replay else None
    # one line of our own: alembic's line per revision shows at LOG_LEVEL=DEBUG (bot/logs.py)
    target = HEAD if revision == "head" else revision
    log.info("database: new; creating it (revision %s) …" if seed else "database: %s; migrating to %s …",
             *((target,) if seed else ("new" if at is None else f"at revision {at}", target)))
    if seed is not None:
        if await _build(engine, seed):
            log.info("database: created (revision %s)", HEAD)
        else:
            log.info("database: created (revision %s) by another process meanwhile", HEAD)
        return
    from alembic import command

    cfg = config()

    def _run(connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)
    log.info("database: migrated to %s", HEAD if revision == "head" else revision)


#: alembic's own table, as alembic makes it
_VERSION_TABLE = ("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                  "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))")


async def _build(engine: AsyncEngine, seed: dict) -> bool:
    """The models' tables, the seeded rows and alembic's stamp, in one transaction. Two processes starting on one
    new database: the second waits for the first (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock), then finds
    it built and does nothing (False)."""
    from sqlalchemy import insert

    from core.db.kernel.models import Base

    async with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('dealgram:migrations'))"))
        if await conn.run_sync(lambda c: c.dialect.has_table(c, "alembic_version")):
            return False
        await conn.run_sync(Base.metadata.create_all)
        for name, rows in seed["tables"].items():
            table = Base.metadata.tables[name]
            await conn.execute(insert(table), [dict(zip(rows["columns"], row, strict=True)) for row in rows["rows"]])
            if postgres and "id" in rows["columns"]:  # the next id after the seeded ones, as the revisions leave it
                await conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                        f"(SELECT max(id) FROM {name}))"))
        await conn.execute(text(_VERSION_TABLE))
        await conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": HEAD})
    return True
