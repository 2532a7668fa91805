"""Fixtures shared by the layers: a real database per test (SQLite file, or PostgreSQL when
TEST_DATABASE_URL names one), migrated with alembic, and a unit-of-work factory over it."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.db.engine import create_engine, session_factory
from core.db.uow import UnitOfWork
from core.services.config import CoreConfig
from migrations.runner import upgrade

PG_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
async def db_url(tmp_path):
    if not PG_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    # one throwaway database per test on the given server
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture
async def engine(db_url):
    eng = create_engine(db_url)
    await upgrade(eng)
    yield eng
    await eng.dispose()


@pytest.fixture
def factory(engine):
    return session_factory(engine)


@pytest.fixture
def uow(factory):
    """A factory: each call gives a fresh unit of work, as the bot does per service call."""
    return lambda: UnitOfWork(factory)


@pytest.fixture
def cfg():
    return CoreConfig(album_delay_seconds=0)
