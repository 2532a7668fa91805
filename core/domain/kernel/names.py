"""The names a person picks from (deal statuses, directory entries, cadences, survey templates): one is offered once.
Every service that adds or renames such a name checks it here, the same way: case and spacing do not make a name
new («Сбор документов» is «сбор  документов»)."""

from __future__ import annotations

from collections.abc import Iterable

from core.domain.kernel.errors import InvalidInput


def same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def check_unique(name: str, taken: Iterable[tuple[int, str]], own_id: int | None = None) -> None:
    """Refused («duplicate_name», the name said back) when another of ``taken`` (id, name) reads as ``name``; a
    rename to its own name (``own_id``) is no clash."""
    if any(same(name, other) and item_id != own_id for item_id, other in taken):
        raise InvalidInput("duplicate_name", name=name)
