"""alembic upgrade head gives exactly the models' schema (on SQLite, and on PostgreSQL in CI)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db.models import Base


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
