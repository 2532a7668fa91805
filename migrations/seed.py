"""Write ``migrations/seed.json``: the rows the revisions leave in a new database (every table but alembic's own),
which ``migrations.runner`` puts into a new database built in one step. Run it after adding a revision:

    python -m migrations.seed

Until then a new database replays the revisions (the file names an older revision), and
tests/services/kernel/test_new_database.py fails saying to run it."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

from sqlalchemy import select


async def seeded_rows(engine) -> dict:
    """Every table's rows in a database the revisions built, in the primary key's order, by column name."""
    from core.db.kernel.models import Base

    tables = {}
    async with engine.connect() as conn:
        for name, table in sorted(Base.metadata.tables.items()):
            rows = (await conn.execute(select(table).order_by(*table.primary_key.columns))).all()
            if rows:
                columns = [c.name for c in table.columns]
                tables[name] = {"columns": columns, "rows": [list(r) for r in rows]}
    return tables


async def replayed(directory: Path) -> dict:
    """The seed a new SQLite database gets from running every revision."""
    from core.db.kernel.engine import create_engine
    from migrations.runner import HEAD, upgrade

    engine = create_engine(f"sqlite+aiosqlite:///{directory / 'seed.db'}")
    try:
        await upgrade(engine, replay=True)
        return {"revision": HEAD, "tables": await seeded_rows(engine)}
    finally:
        await engine.dispose()


def render(seed: dict) -> str:
    """JSON with one row a line (a new revision's rows show as lines in a diff)."""
    def line(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    tables = ",\n".join(
        f'  {line(name)}: {{\n   "columns": {line(t["columns"])},\n   "rows": [\n'
        + ",\n".join(f"    {line(row)}" for row in t["rows"]) + "\n   ]\n  }"
        for name, t in seed["tables"].items())
    return f'{{\n "revision": {line(seed["revision"])},\n "tables": {{\n{tables}\n }}\n}}\n'


def main() -> None:
    from migrations.runner import SEED

    with tempfile.TemporaryDirectory() as directory:
        seed = asyncio.run(replayed(Path(directory)))
    SEED.write_text(render(seed), encoding="utf-8")
    print(f"{SEED}: {sum(len(t['rows']) for t in seed['tables'].values())} rows of "
          f"{len(seed['tables'])} table(s) at revision {seed['revision']}")


if __name__ == "__main__":
    main()
