"""Fixtures shared by the layers: a real database per test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL names one) at the newest revision, and a unit-of-work factory over it.

A new database is created once per test session, into a template database (``migrated_template``), as a
deployment's first start creates one (migrations/runner.py: the models' tables, the seeded rows, alembic's stamp;
the same as running every revision, tests/services/kernel/test_new_database.py); each test that uses ``engine``
gets a copy of it (the SQLite file copied; PostgreSQL's ``CREATE DATABASE … TEMPLATE``), which is the same schema
in milliseconds instead of seconds. So does every test that runs the real bot process (tests/e2e, tests/faults):
its start finds the copy at alembic's head. The migration tests (``@pytest.mark.real_migrations``:
tests/services/kernel/test_schema.py, where every revision runs, and the e2e tests of a deployment's very first
start, where the process itself creates the database) and the other tests that take only ``db_url`` get an empty
database, as before."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import subprocess
import time
import uuid
from contextlib import asynccontextmanager, closing
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.clock import ManualClock
from core.db.kernel.engine import create_engine, session_factory
from core.db.kernel.repositories import CLOCK
from core.services.kernel.config import CoreConfig
from migrations.runner import upgrade
from tests.factories import T0, units

PG_URL = os.environ.get("TEST_DATABASE_URL")
HERE = Path(__file__).parent
#: the tests that run the real `python -m bot` process and time what it does: run one at a time, after the rest
#: (scripts/test runs the rest on every core with pytest-xdist, then these alone; docs/testing.md); a module that
#: times something itself says ``pytestmark = pytest.mark.serial`` (tests/bot/kernel/test_redis.py)
SERIAL = (HERE / "e2e", HERE / "faults")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(item.path.is_relative_to(folder) for folder in SERIAL):
            item.add_marker(pytest.mark.serial)


def worker_redis_url(url: str) -> str:
    """Under pytest-xdist each worker keeps its own Redis database of the one server (gw0: 0, gw1: 1, …): a test
    empties its database, never the one another worker's test is using."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    return urlsplit(url)._replace(path=f"/{int(worker[2:]) % 16}").geturl()


async def _build_template(directory: Path) -> str:
    """A database at alembic's head, built as a deployment's first start builds one: a SQLite file's path, or a
    PostgreSQL database's name."""
    if not PG_URL:
        path = directory / "template.db"
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()
        with closing(sqlite3.connect(path)) as conn:  # everything in the file itself, nothing left in its WAL
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return str(path)
    name = f"tpl_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine = create_engine(make_url(PG_URL).set(database=name).render_as_string(hide_password=False))
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()  # CREATE DATABASE … TEMPLATE needs the template without connections
    finally:
        await admin.dispose()
    return name


async def _drop_template(name: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """The session's migrated template database (built once, on first use)."""
    template = asyncio.run(_build_template(tmp_path_factory.mktemp("template")))
    yield template
    if PG_URL:
        asyncio.run(_drop_template(template))


@pytest.fixture
def _db_template(request):
    """The template this test's database is copied from, or None for an empty database: a copy for a test that uses
    ``engine`` and for one that runs the real bot process (its start then finds the database at alembic's head, as
    on every start but a deployment's first), unless it is marked ``real_migrations``."""
    if request.node.get_closest_marker("real_migrations") is not None:
        return None
    if "engine" in request.fixturenames or any(request.node.path.is_relative_to(folder) for folder in SERIAL):
        return request.getfixturevalue("migrated_template")
    return None


@asynccontextmanager
async def _database(template: str | None, directory: Path, name: str = "test"):
    """A throwaway database: a SQLite file in ``directory`` or a database of its own on the given PostgreSQL
    server, copied from ``template`` or empty; its URL."""
    if not PG_URL:
        path = directory / f"{name}.db"
        if template is not None:
            shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    db = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{db}"' + (f' TEMPLATE "{template}"' if template else "")))
    yield make_url(PG_URL).set(database=db).render_as_string(hide_password=False)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture
async def db_url(_db_template, tmp_path):
    """This test's own database: a copy of the migrated template when the test uses ``engine`` (``engine`` then
    finds it at alembic's head and runs no revision), an empty one otherwise or under
    ``@pytest.mark.real_migrations``."""
    async with _database(_db_template, tmp_path) as url:
        yield url


@pytest.fixture
async def second_db_url(tmp_path):
    """A second empty database, for a test that compares two."""
    async with _database(None, tmp_path, "second") as url:
        yield url


@pytest.fixture
async def engine(db_url, request):
    eng = create_engine(db_url)
    # a copy of the template: one SELECT finds it at head; a migration test's empty database: every revision runs
    await upgrade(eng, replay=request.node.get_closest_marker("real_migrations") is not None)
    yield eng
    await eng.dispose()


@pytest.fixture
def factory(engine, clock):
    """Plain sessions for a test's own reads and writes; rows it adds are stamped by the test's clock."""
    return session_factory(engine, info={CLOCK: clock})


@pytest.fixture
def clock():
    """The time the code under test is given (``clock.set``, ``clock.advance`` move it); it stands still between
    moves. Nothing in core or the bot reads the machine's clock, so the suite gives the same answers on any date."""
    return ManualClock(T0)


@pytest.fixture
def uow(factory, clock):
    """A factory: each call gives a fresh unit of work, as the bot does per service call."""
    return units(factory, clock)


@pytest.fixture
def cfg():
    return CoreConfig(album_delay_seconds=0)


REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A Redis server for the tests that need one: TEST_REDIS_URL, or a throwaway redis-server on a free port.
    Without either the tests are skipped (docs/testing.md), except in CI, which installs Debian's redis-server
    and sets DEALGRAM_REQUIRE_REDIS=1 so that a missing server fails."""
    if url := os.environ.get("TEST_REDIS_URL"):
        yield worker_redis_url(url)
        return
    if REDIS_SERVER is None:
        if os.environ.get("DEALGRAM_REQUIRE_REDIS"):
            pytest.fail("DEALGRAM_REQUIRE_REDIS is set and there is no redis-server")
        pytest.skip("no redis-server on PATH (.ci/run installs Debian's redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
async def redis_url(redis_server):
    """The server, emptied for this test."""
    from redis.asyncio import Redis

    client = Redis.from_url(redis_server)
    await client.flushdb()
    await client.aclose()
    return redis_server


@pytest.fixture(autouse=True)
def _deployment_defaults():
    """A test that builds the bot with another DEFAULT_LOCALE, DEFAULT_TIMEZONE, CURRENCY or PHONE_REGION leaves the
    defaults as they were for the next one (bot.app.build sets them process-wide)."""
    from core.domain.kernel import preferences

    before = (preferences.DEFAULTS.locale, preferences.DEFAULTS.timezone, preferences.DEFAULTS.currency,
              preferences.DEFAULTS.region)
    yield
    preferences.use_defaults(*before)
