"""aiogram dialog state in the database, so a restart continues a form where it was."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db.models import FsmRecord


class SqlStorage(BaseStorage):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = session_factory
        self._keys = DefaultKeyBuilder(with_destiny=True)

    async def _write(self, key: StorageKey, **values: Any) -> None:
        async with self._factory() as session, session.begin():
            row = await session.get(FsmRecord, self._keys.build(key))
            if row is None:
                row = FsmRecord(key=self._keys.build(key), state=None, data={})
                session.add(row)
            for name, value in values.items():
                setattr(row, name, value)
            if row.state is None and not row.data:
                await session.execute(delete(FsmRecord).where(FsmRecord.key == row.key))

    async def _read(self, key: StorageKey) -> FsmRecord | None:
        async with self._factory() as session:
            return await session.get(FsmRecord, self._keys.build(key))

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._write(key, state=state.state if isinstance(state, State) else state)

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._read(key)
        return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._read(key)
        return dict(row.data) if row and row.data else {}

    async def close(self) -> None:
        return None
