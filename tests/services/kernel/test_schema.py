"""alembic upgrade head gives exactly the models' schema (on SQLite, and on PostgreSQL in CI)."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db.kernel.models import Base

#: the schema these tests check is the one alembic builds, each test running the revisions itself
pytestmark = pytest.mark.real_migrations


async def test_migrations_match_the_models(engine):
    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_the_head_known_without_alembic_is_alembics_head(engine):
    from alembic.script import ScriptDirectory

    from migrations.runner import HEAD, config, current

    assert HEAD == ScriptDirectory.from_config(config()).get_current_head()
    assert await current(engine) == HEAD  # the fixture's database: migrated, so a start skips alembic


async def test_leads_already_made_get_the_stages_their_history_shows(db_url):
    """Migration 0012 fills what each existing lead has reached from its status history; 0034 counts a contract with
    prepayment as a contract."""
    from sqlalchemy import text

    from core.db.kernel.engine import create_engine
    from migrations.runner import upgrade

    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0011")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO users (id, tg_id, name, role, locale, timezone, blocked, created_at) "
                                    "VALUES (1, 1, 'M', 'manager', 'ru', 'Europe/Moscow', false, '2026-11-01')"))
            await conn.execute(text("INSERT INTO sources (id, name, code, archived) VALUES (1, 'Сайт', 's', false)"))
            for i, path in enumerate((["new", "meeting", "junk_not_came"], ["new", "meeting", "visited", "contract"],
                                      ["new", "calling"], ["new", "meeting", "visited", "contract_prepaid"]),
                                     start=1):
                await conn.execute(text(f"INSERT INTO contacts (id, name, messengers, created_at) "
                                        f"VALUES ({i}, 'C', '{{}}', '2026-11-01')"))
                await conn.execute(text(f"INSERT INTO leads (id, contact_id, source_id, status, created_at, "
                                        f"updated_at, version) VALUES ({i}, {i}, 1, '{path[-1]}', '2026-11-01', "
                                        f"'2026-11-01', 1)"))
                for status in path:
                    await conn.execute(text(f"INSERT INTO lead_status_history (lead_id, to_status, created_at) "
                                            f"VALUES ({i}, '{status}', '2026-11-01')"))
        await upgrade(engine)
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, reached_records, reached_visits, reached_contracts, "
                                            "reached_prepaid FROM leads ORDER BY id"))).all()
        # a contract with prepayment is a contract too (0034)
        assert [tuple(r) for r in rows] == [(1, 1, 0, 0, 0), (2, 1, 1, 1, 0), (3, 0, 0, 0, 0), (4, 1, 1, 1, 1)]
    finally:
        await engine.dispose()
