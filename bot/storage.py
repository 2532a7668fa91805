"""aiogram dialog state in the database, so a restart continues a form where it was.

Every change is written at once (before the bot answers, so a prompt the user sees is a state that survives a
kill -9), as one INSERT … ON CONFLICT statement (on SQLite through one connection the storage keeps). With the
cache on (the default) reads come from memory: in one bot process every change goes through this object, so the
cache is never stale; several processes on one database must use the Redis storage (REDIS_URL) or
``cache=False``."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import Clock, SystemClock
from core.db.kernel.engine import STANDALONE
from core.db.kernel.models import FsmRecord
from core.db.kernel.upserts import insert as upsert

_MISSING = object()


class SqlStorage(BaseStorage):
    def __init__(self, engine: AsyncEngine, *, cache: bool = True, cache_size: int = 10_000,
                 clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()  # stamps updated_at: when a dialog was last touched
        # each write is one statement: on SQLite it needs no BEGIN IMMEDIATE of its own
        self._engine = engine.execution_options(**{STANDALONE: True})
        self._keys = DefaultKeyBuilder(with_destiny=True)
        self._cache: OrderedDict[str, tuple[str | None, dict]] | None = OrderedDict() if cache else None
        self._cache_size = cache_size
        self._held = None  # SQLite: the connection writes go through (no pool round trip per dialog step)
        self._lock = asyncio.Lock()

    async def _load(self, key: str) -> tuple[str | None, dict]:
        if self._cache is not None and (hit := self._cache.get(key, _MISSING)) is not _MISSING:
            self._cache.move_to_end(key)
            return hit
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key))).first()
        value = (row.state, dict(row.data or {})) if row else (None, {})
        self._remember(key, value)
        return value

    def _remember(self, key: str, value: tuple[str | None, dict]) -> None:
        if self._cache is None:
            return
        self._cache[key] = value
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def _store(self, key: str, state: str | None, data: dict) -> None:
        await self._write({key: (state, data)})
        self._remember(key, (state, data))

    async def _write(self, changes: dict[str, tuple[str | None, dict]]) -> None:
        gone = [k for k, (state, data) in changes.items() if state is None and not data]
        kept = [{"key": k, "state": state, "data": data, "updated_at": self._clock.now()}
                for k, (state, data) in changes.items() if state is not None or data]
        if self._engine.dialect.name == "sqlite":  # one writer at a time anyway: a connection of its own
            async with self._lock:
                if self._held is None:
                    self._held = await self._engine.connect()
                try:
                    await self._statements_on(self._held, gone, kept)
                    await self._held.commit()
                except BaseException:  # a failed write (the database locked too long, a cancel): start afresh
                    held, self._held = self._held, None
                    await held.close()
                    raise
            return
        async with self._engine.begin() as conn:
            await self._statements_on(conn, gone, kept)

    async def _statements_on(self, conn, gone: list[str], kept: list[dict]) -> None:
        if gone:
            await conn.execute(delete(FsmRecord).where(FsmRecord.key.in_(gone)))
        if kept:
            await conn.execute(self._upsert(conn.dialect.name), kept)

    _statements: dict[str, object] = {}

    @classmethod
    def _upsert(cls, dialect_name: str):
        """INSERT … ON CONFLICT (key) DO UPDATE, built once per dialect."""
        if dialect_name not in cls._statements:
            stmt = upsert(dialect_name, FsmRecord.__table__)
            cls._statements[dialect_name] = stmt.on_conflict_do_update(
                index_elements=[FsmRecord.key],
                set_={"state": stmt.excluded.state, "data": stmt.excluded.data, "updated_at": stmt.excluded.updated_at})
        return cls._statements[dialect_name]

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        k = self._keys.build(key)
        _, data = await self._load(k)
        await self._store(k, state.state if isinstance(state, State) else state, data)

    async def set_state_and_data(self, key: StorageKey, state: StateType, data: Mapping[str, Any]) -> None:
        """A dialog step in one write: the next state with the answer just given."""
        await self._store(self._keys.build(key), state.state if isinstance(state, State) else state, dict(data))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(self._keys.build(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        k = self._keys.build(key)
        state, _ = await self._load(k)
        await self._store(k, state, dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict((await self._load(self._keys.build(key)))[1])

    async def close(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            await held.close()
