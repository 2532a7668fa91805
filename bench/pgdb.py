"""An empty database of its own for a benchmark on a PostgreSQL server: ``python -m bench.pgdb URL NAME`` makes
(or makes again) database NAME on the server of URL and prints its URL. Used by scripts/bench-smoke."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.db.kernel.engine import create_engine


async def fresh(server_url: str, name: str) -> str:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


if __name__ == "__main__":
    print(asyncio.run(fresh(sys.argv[1], sys.argv[2])))
