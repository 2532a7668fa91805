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


async def _index_ddl(conn, names) -> dict[str, str]:
    """The CREATE INDEX of each of ``names`` as the database keeps it (SQLite: as it was written; PostgreSQL:
    normalised, without the schema's name), in the connection's current schema."""
    from sqlalchemy import text

    if conn.dialect.name == "postgresql":
        rows = await conn.execute(text("SELECT indexname, replace(indexdef, ' ON ' || schemaname || '.', ' ON ') "
                                       "FROM pg_indexes WHERE schemaname = current_schema()"))
    else:
        rows = await conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))
    return {name: " ".join(ddl.split()) for name, ddl in rows if name in names}


async def test_the_models_partial_indexes_are_the_migrations(engine, tmp_path):
    """The models give each partial index's predicate without a dialect's keyword (so a SQLite start does not load
    PostgreSQL's dialect to check one); the models' CREATE of each is the migrations', predicate included (alembic's
    comparison above does not look at predicates)."""
    from contextlib import asynccontextmanager

    from sqlalchemy import text

    from core.db.kernel.engine import create_engine

    indexes = [ix for table in Base.metadata.tables.values() for ix in table.indexes]
    declared = {ix.name: ix.info["where"] for ix in indexes if "where" in ix.info}
    assert len(declared) == 8
    assert not any(ix.dialect_kwargs for ix in indexes)
    async with engine.connect() as conn:
        migrated = await _index_ddl(conn, declared)

    @asynccontextmanager
    async def created_from_the_models():
        """A connection to a schema made by ``create_all`` from the models alone (PostgreSQL: a schema of its own
        in this database, rolled back; SQLite: a file of its own)."""
        if engine.dialect.name == "postgresql":
            async with engine.connect() as conn:
                await conn.execute(text("CREATE SCHEMA from_models"))
                await conn.execute(text("SET LOCAL search_path TO from_models"))
                await conn.run_sync(Base.metadata.create_all)
                yield conn
                await conn.rollback()
            return
        other = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'from_models.db'}")
        try:
            async with other.begin() as conn:
                await conn.run_sync(Base.metadata.create_all)
            async with other.connect() as conn:
                yield conn
        finally:
            await other.dispose()

    async with created_from_the_models() as conn:
        created = await _index_ddl(conn, declared)
    assert created == migrated
    assert migrated.keys() == declared.keys()
    assert all(" WHERE " in ddl for ddl in migrated.values())
    if engine.dialect.name == "sqlite":  # kept as written: the predicate is the one declared
        assert all(ddl.endswith(f" WHERE {declared[name]}") for name, ddl in migrated.items()), migrated


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


async def test_a_deal_closed_by_itself_keeps_why_as_a_code_the_bot_names(db_url):
    """Migration 0031: «НЕ УСТАНОВЛЕН КОНТАКТ» written by the core becomes the code «no_contact» (the stay, the
    feed's line, a notice not yet sent); a person's reason stays as typed; the downgrade writes the sentence back."""
    import json

    from sqlalchemy import text

    from core.db.kernel.engine import create_engine
    from migrations.runner import upgrade

    engine = create_engine(db_url)
    sentence = "НЕ УСТАНОВЛЕН КОНТАКТ"
    try:
        await upgrade(engine, "0028")
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO users (id, tg_id, name, role, locale, timezone, blocked, created_at) "
                                    "VALUES (1, 1, 'M', 'manager', 'ru', 'Europe/Moscow', false, '2026-11-01')"))
            status = (await conn.execute(text("SELECT id FROM deal_statuses WHERE pipeline = 'cold_call' "
                                              "ORDER BY id LIMIT 1"))).scalar()
            await conn.execute(text("INSERT INTO deals (id, pipeline, name, status_id, budget, created_at, version) "
                                    "VALUES (1, 'cold_call', 'Alfa', :s, 0, '2026-11-01', 1)"), {"s": status})
            for i, reason in ((1, sentence), (2, "клиент ушёл")):
                await conn.execute(text("INSERT INTO deal_stages (id, deal_id, process, stage, entered_at, reason) "
                                        "VALUES (:i, 1, 'cold_call', 'closed', '2026-11-01', :r)"),
                                   {"i": i, "r": reason})
                params = json.dumps({"pipeline": "cold_call", "to_code": "closed", "to_name": "x", "reason": reason})
                await conn.execute(text("INSERT INTO deal_feed (id, deal_id, kind, params, created_at) "
                                        "VALUES (:i, 1, 'status', :p, '2026-11-01')"), {"i": i, "p": params})
                payload = json.dumps({"deal_id": 1, "name": "Alfa", "reason": reason})
                await conn.execute(text("INSERT INTO outbox (id, user_id, kind, payload, status, attempts, "
                                        "not_before, created_at) VALUES (:i, 1, 'stage_closed', :p, 'pending', 0, "
                                        "'2026-11-01', '2026-11-01')"), {"i": i, "p": payload})
        await upgrade(engine)

        async def stored():
            async with engine.connect() as conn:
                stays = (await conn.execute(text("SELECT reason FROM deal_stages ORDER BY id"))).scalars().all()
                feed = (await conn.execute(text("SELECT params FROM deal_feed ORDER BY id"))).scalars().all()
                out = (await conn.execute(text("SELECT payload FROM outbox ORDER BY id"))).scalars().all()
            as_dict = [json.loads(x) if isinstance(x, str) else x for x in (*feed, *out)]
            return list(stays), [x["reason"] for x in as_dict]

        assert await stored() == (["no_contact", "клиент ушёл"], ["no_contact", "клиент ушёл"] * 2)
        from alembic import command

        from migrations.runner import config

        def down(connection) -> None:
            cfg = config()
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0028")

        async with engine.begin() as conn:
            await conn.run_sync(down)
        assert await stored() == ([sentence, "клиент ушёл"], [sentence, "клиент ушёл"] * 2)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("answered", [False, True])
async def test_a_deployment_with_people_keeps_the_law_firms_pipeline_a_new_one_sells(db_url, answered):
    """Migration 0036 only adds: the «sales» pipeline's statuses, and the choice. A deployment that already has people
    (whether or not its admin answered the setup's question) keeps the law firm's pipeline; its statuses stay."""
    from sqlalchemy import text

    from core.db.kernel.engine import create_engine
    from migrations.runner import upgrade

    engine = create_engine(db_url)
    try:
        await upgrade(engine, "0034")
        async with engine.begin() as conn:
            law = (await conn.execute(text("SELECT id, code, name FROM deal_statuses WHERE pipeline = 'law' "
                                           "ORDER BY id"))).all()
            await conn.execute(text("INSERT INTO users (id, tg_id, name, role, locale, timezone, blocked, created_at) "
                                    "VALUES (1, 1, 'A', 'admin', 'ru', 'Europe/Moscow', false, '2026-11-01')"))
            if answered:
                await conn.execute(text("INSERT INTO deployment (id, areas, set_by, updated_at) "
                                        "VALUES (1, '[\"leads\"]', 1, '2026-11-01')"))
        await upgrade(engine)
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT areas, pipeline FROM deployment"))).all()
            assert [r.pipeline for r in row] == ["law"]
            assert (row[0].areas is None) == (not answered)  # the question stays unanswered where it was
            assert (await conn.execute(text("SELECT id, code, name FROM deal_statuses WHERE pipeline = 'law' "
                                            "ORDER BY id"))).all() == law
            sales = (await conn.execute(text("SELECT code, name, final FROM deal_statuses WHERE pipeline = 'sales' "
                                             "ORDER BY position"))).all()
            assert [tuple(r) for r in sales] == [("new", "Новая", False), ("qualification", "Квалификация", False),
                                                 ("proposal", "Предложение", False),
                                                 ("negotiation", "Переговоры", False), ("won", "Выиграна", True),
                                                 ("lost", "Проиграна", True)]
    finally:
        await engine.dispose()


async def test_a_new_deployment_gets_the_sales_pipeline(db_url):
    from sqlalchemy import text

    from core.db.kernel.engine import create_engine
    from migrations.runner import upgrade

    engine = create_engine(db_url)
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT pipeline FROM deployment"))).all() == []  # the default: sales
    finally:
        await engine.dispose()
