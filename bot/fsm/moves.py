"""Moving a dialog on: the next state and the answer just given, in one write when the storage can."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State


async def move(state: FSMContext, target: State, **answer) -> None:
    storage = state.storage
    if answer and hasattr(storage, "set_state_and_data"):
        await storage.set_state_and_data(state.key, target, {**await state.get_data(), **answer})
        return
    if answer:
        await state.update_data(answer)
    await state.set_state(target)
