"""A new database is built at the newest revision in one step (the models' tables, the seeded rows, alembic's stamp)
instead of by replaying ~30 revisions: the same schema and the same rows as the revisions build, on SQLite and
PostgreSQL. A database at an older revision still goes through alembic."""

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from core.db.kernel.engine import create_engine
from migrations import runner
from migrations.seed import render, replayed, seeded_rows

#: each test makes its databases from nothing; SQLite's reflection skips the expression index (compared by its DDL)
pytestmark = [pytest.mark.real_migrations,
              pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")]


def _schema(conn) -> dict:
    """Everything the database says of its tables, as plain values: each table's columns by name (with type,
    nullability, server default), primary key, foreign keys, indexes, unique and check constraints. The order of
    a table's columns is left out: the revisions add a column at the end, the models list it where it belongs, and no
    statement of ours depends on the order (each names its columns)."""
    def plain(items) -> list[str]:
        return sorted(repr({k: {o: str(w) for o, w in v.items()} if k == "dialect_options" else v  # a predicate
                            for k, v in sorted(x.items())}) for x in items)

    i = inspect(conn)
    return {t: {"columns": {c["name"]: (str(c["type"]), c["nullable"], c.get("default")) for c in i.get_columns(t)},
                "primary key": i.get_pk_constraint(t),
                "foreign keys": plain(i.get_foreign_keys(t)),
                "indexes": plain(i.get_indexes(t)),
                "unique": plain(i.get_unique_constraints(t)),
                "checks": plain(i.get_check_constraints(t))}
            for t in sorted(i.get_table_names())}


async def _ddl(conn) -> dict[str, str]:
    """Each index's, trigger's and view's CREATE as the database keeps it (the reflection above skips an expression
    index such as uq_clients_inn_kpp, and does not give the predicate of a partial one)."""
    if conn.dialect.name == "postgresql":
        rows = await conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "UNION ALL SELECT tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE NOT tgisinternal "
            "UNION ALL SELECT viewname, definition FROM pg_views WHERE schemaname = current_schema()"))
    else:
        rows = await conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', "
                                       "'view') AND sql IS NOT NULL"))
    return {name: " ".join(ddl.split()) for name, ddl in rows}


async def _sequences(conn) -> dict[str, int]:
    """PostgreSQL: the next id each table's sequence would give (the seeded table's must follow its rows)."""
    if conn.dialect.name != "postgresql":
        return {}
    rows = await conn.execute(text("SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences "
                                   "WHERE schemaname = current_schema()"))
    return dict(rows.all())


async def _everything(url: str, *, replay: bool) -> tuple:
    engine = create_engine(url)
    try:
        await runner.upgrade(engine, replay=replay)
        async with engine.connect() as conn:
            found = (await conn.run_sync(_schema), await _ddl(conn), await _sequences(conn),
                     (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all())
        return *found, await seeded_rows(engine)
    finally:
        await engine.dispose()


async def test_a_new_database_built_in_one_step_is_the_one_the_revisions_build(db_url, second_db_url, caplog):
    caplog.set_level(logging.INFO, logger="migrations.runner")
    replayed_db = await _everything(db_url, replay=True)
    caplog.clear()
    built = await _everything(second_db_url, replay=False)
    assert [r.getMessage() for r in caplog.records] == [f"database: new; creating it (revision {runner.HEAD}) …",
                                                       f"database: created (revision {runner.HEAD})"]
    schema, ddl, sequences, version, rows = built
    assert schema.keys() == replayed_db[0].keys()
    for table, aspects in schema.items():  # one by one, so a difference names its table and what differs
        for aspect, value in aspects.items():
            assert (table, aspect, value) == (table, aspect, replayed_db[0][table][aspect])
    assert ddl == replayed_db[1]
    assert sequences == replayed_db[2]
    assert version == replayed_db[3] == [runner.HEAD]
    assert rows == replayed_db[4]
    assert sum(len(t["rows"]) for t in rows.values()) == 50  # the five pipelines' statuses


async def test_the_seed_file_is_the_revisions_own(tmp_path):
    """``migrations/seed.json`` holds what the revisions seed, at the newest revision: after a new revision, run
    ``python -m migrations.seed``."""
    seed = await replayed(tmp_path)
    assert runner.SEED.read_text(encoding="utf-8") == render(seed), "run: python -m migrations.seed"


async def test_a_seed_left_behind_by_a_new_revision_replays_the_revisions(db_url, tmp_path, monkeypatch, caplog):
    """A revision added without writing the seed again: a new database goes through alembic, never a stale seed."""
    stale = json.loads(runner.SEED.read_text(encoding="utf-8")) | {"revision": "0001"}
    path = Path(tmp_path) / "seed.json"
    path.write_text(json.dumps(stale), encoding="utf-8")
    monkeypatch.setattr(runner, "SEED", path)
    caplog.set_level(logging.INFO, logger="migrations.runner")
    engine = create_engine(db_url)
    try:
        await runner.upgrade(engine)
        assert await runner.current(engine) == runner.HEAD
    finally:
        await engine.dispose()
    assert [r.getMessage() for r in caplog.records if r.name == "migrations.runner"] == [
        f"database: new; migrating to {runner.HEAD} …", f"database: migrated to {runner.HEAD}"]


async def test_a_second_start_on_a_built_database_changes_nothing(db_url):
    engine = create_engine(db_url)
    try:
        await runner.upgrade(engine)
        async with engine.begin() as conn:  # a person's own status, after the seeded ones
            await conn.execute(text("INSERT INTO deal_statuses (pipeline, code, name, position, color, final, "
                                    "archived) VALUES ('sales', NULL, 'Мой', 9, '#000000', false, false)"))
        await runner.upgrade(engine)
        # a second process that found no database and waited for the first one's transaction: finds it built
        assert await runner._build(engine, runner._seed()) is False
        async with engine.connect() as conn:
            ids = (await conn.execute(text("SELECT id FROM deal_statuses ORDER BY id"))).scalars().all()
    finally:
        await engine.dispose()
    assert ids == list(range(1, 52))  # the seeded 50, then the new one's id follows them (PostgreSQL's sequence too)


async def test_two_processes_starting_on_one_new_database_create_it_once(db_url):
    """Two workers started together on a new database, both finding it new: one creates it, the other waits for its
    transaction (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock) and finds it created."""
    import asyncio

    engines = [create_engine(db_url), create_engine(db_url)]
    try:
        created = await asyncio.gather(*(runner._build(e, runner._seed()) for e in engines))
        async with engines[0].connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM deal_statuses"))).scalar() == 50
            assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all() == [
                runner.HEAD]
    finally:
        for engine in engines:
            await engine.dispose()
    assert sorted(created) == [False, True]
