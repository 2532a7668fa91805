"""aiogram dialog state in the database, so a restart continues a form where it was.

With the cache on (the default), reads come from memory and the changes an update makes are written in one
transaction when the update is done (``flush``, called by the context middleware). In one bot process every
change goes through this object, so the cache is never stale; several processes on one database must use the
Redis storage (REDIS_URL) or ``cache=False``, which writes every change at once."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db.models import FsmRecord
from core.db.types import utcnow

_MISSING = object()


class SqlStorage(BaseStorage):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], *, cache: bool = True,
                 cache_size: int = 10_000) -> None:
        self._factory = session_factory
        self._keys = DefaultKeyBuilder(with_destiny=True)
        self._cache: OrderedDict[str, tuple[str | None, dict]] | None = OrderedDict() if cache else None
        self._cache_size = cache_size
        self._dirty: set[str] = set()

    async def _load(self, key: str) -> tuple[str | None, dict]:
        if self._cache is not None and (hit := self._cache.get(key, _MISSING)) is not _MISSING:
            self._cache.move_to_end(key)
            return hit
        async with self._factory() as session:
            row = (await session.execute(select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key))).first()
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
        if self._cache is None:
            await self._write({key: (state, data)})
            return
        self._remember(key, (state, data))
        self._dirty.add(key)

    async def flush(self) -> None:
        """Write the changed dialogs (the end of an update)."""
        if not self._dirty:
            return
        keys, self._dirty = self._dirty, set()
        try:
            await self._write({k: self._cache[k] for k in keys if k in self._cache})
        except BaseException:
            self._dirty |= keys
            raise

    async def _write(self, changes: dict[str, tuple[str | None, dict]]) -> None:
        gone = [k for k, (state, data) in changes.items() if state is None and not data]
        kept = [{"key": k, "state": state, "data": data, "updated_at": utcnow()}
                for k, (state, data) in changes.items() if state is not None or data]
        async with self._factory() as session, session.begin():
            if gone:
                await session.execute(delete(FsmRecord).where(FsmRecord.key.in_(gone)))
            if kept:
                await session.execute(self._upsert(session.bind.dialect.name), kept)

    _statements: dict[str, object] = {}

    @classmethod
    def _upsert(cls, dialect_name: str):
        """INSERT … ON CONFLICT (key) DO UPDATE, built once per dialect."""
        if dialect_name not in cls._statements:
            dialect = postgresql if dialect_name == "postgresql" else sqlite
            stmt = dialect.insert(FsmRecord.__table__)
            cls._statements[dialect_name] = stmt.on_conflict_do_update(
                index_elements=[FsmRecord.key],
                set_={"state": stmt.excluded.state, "data": stmt.excluded.data, "updated_at": stmt.excluded.updated_at})
        return cls._statements[dialect_name]

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        k = self._keys.build(key)
        _, data = await self._load(k)
        await self._store(k, state.state if isinstance(state, State) else state, data)

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._load(self._keys.build(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        k = self._keys.build(key)
        state, _ = await self._load(k)
        await self._store(k, state, dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict((await self._load(self._keys.build(key)))[1])

    async def close(self) -> None:
        await self.flush()
