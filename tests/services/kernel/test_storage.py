"""Dialog state in the database: every step written at once, read back by another process, and a write that fails
leaves the storage able to write the next one (on SQLite its writes go through a connection it keeps)."""

from __future__ import annotations

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy.exc import StatementError

from bot.storage import SqlStorage

KEY = StorageKey(bot_id=42, chat_id=7, user_id=7)


async def test_a_step_is_written_at_once_and_a_failed_write_does_not_stop_the_next(engine, clock):
    storage = SqlStorage(engine, clock=clock)
    try:
        await storage.set_state_and_data(KEY, "AppForm:amount", {"category_id": 1})
        later = SqlStorage(engine, clock=clock, cache=False)  # another process on the same database
        assert (await later.get_state(KEY), await later.get_data(KEY)) == ("AppForm:amount", {"category_id": 1})
        with pytest.raises(StatementError):
            await storage.set_data(KEY, {"bad": object()})  # cannot be stored as JSON
        await storage.set_state_and_data(KEY, "AppForm:term", {"category_id": 1, "amount": "1500000"})
        assert (await later.get_state(KEY), await later.get_data(KEY)) == (
            "AppForm:term", {"category_id": 1, "amount": "1500000"})
        await storage.set_state(KEY, None)
        await storage.set_data(KEY, {})
        assert (await later.get_state(KEY), await later.get_data(KEY)) == (None, {})  # the row is gone
    finally:
        await storage.close()
