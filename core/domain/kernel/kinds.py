"""Facts kept as data: a notice's payload, a deal's feed line, a lead's note. Each kind is a frozen dataclass kept
in its table by its kind's code, so a stored row (its kind and its JSON) is read back into the class it was written
from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def registered(table: dict[Any, type]) -> Callable[[Any], Callable[[type], type]]:
    """``@kind(X)`` for ``kind = registered(TABLE)``: the class becomes a frozen dataclass of kind ``X``, kept in
    ``TABLE[X]``."""
    def of_kind(kind: Any) -> Callable[[type], type]:
        def register(cls: type) -> type:
            cls = dataclass(frozen=True)(cls)
            cls.kind = kind
            table[kind] = cls
            return cls
        return register
    return of_kind
