"""Errors raised by the domain and the services.

Each error names a locale key (``errors.<key>``) and its parameters, so the
adapter can show the reason in the user's language without the core knowing
about languages or Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from core.domain.kernel.preferences import currency as deployment_currency

T = TypeVar("T")


@dataclass(frozen=True)
class Amount:
    """A sum of money among an error's params: the bot writes it as the reader writes money, with its currency."""

    value: Decimal
    currency: str = field(default_factory=deployment_currency)  # the CRM's (CURRENCY) unless said


@dataclass(frozen=True)
class Status:
    """A status among an error's params, by its facts: the bot names it as the reader knows it (a seeded status in
    the reader's language until an admin renames it, bot/views/kernel/names.py), never by its stored words."""

    pipeline: str
    code: str | None
    name: str

    @classmethod
    def of(cls, row) -> Status:
        """Of a status row or a rule's view of one (anything with ``pipeline``, ``code`` and ``name``)."""
        return cls(str(row.pipeline), row.code, row.name)


class DomainError(Exception):
    key: str = "generic"
    # the locale table whose keys name the codes among the params (``"lease_status."``: a status code there is shown
    # as the reader knows that status); None when the params hold no such codes
    names: str | None = None

    def __init__(self, key: str | None = None, *, names: str | None = None, **params: Any) -> None:
        if key is not None:
            self.key = key
        if names is not None:
            self.names = names
        self.params = params
        super().__init__(f"{self.key} {params}" if params else self.key)


class NotFound(DomainError):
    key = "not_found"


def found(row: T | None, key: str | None = None) -> T:
    """``row``, or NotFound (with ``key``, else «not found») when a lookup found nothing: the one place of
    ``if row is None: raise NotFound()`` (the repositories' ``get_or_raise`` is it over their ``get``)."""
    if row is None:
        raise NotFound(key)
    return row


class Forbidden(DomainError):
    key = "forbidden"


class InvalidInput(DomainError):
    key = "invalid_input"


class IllegalTransition(DomainError):
    key = "illegal_transition"

    def __init__(self, current: str, target: str, names: str | None = None) -> None:
        super().__init__(names=names, current=current, target=target)


class AlreadyDecided(DomainError):
    """Somebody else acted first; params name who and when."""

    key = "already_decided"


class Conflict(DomainError):
    key = "conflict"
