"""G2I, data fetched from outside registries (seed 002, «Automatyczne pobieranie danych ze źródeł zewnętrznych»):
the Polish Ministry of Finance's VAT white list (Wykaz podatników VAT, https://wl-api.mf.gov.pl), which gives a
firm's data by NIP — its name, REGON, KRS, VAT status, registration date — and the bank accounts it reported.

The request and the answer are the registry's own: ``GET {base}/api/search/nip/{nip}?date=YYYY-MM-DD`` answers
``{"result": {"subject": {...} | null, "requestId": ..., "requestDateTime": ...}}``, or an error
``{"code": "WL-1xx", "message": ...}`` with 400. A registry that does not answer in time, answers 5xx, or answers
something else than this shape is reported as such (``RegistryDown``, ``RegistryGarbage``): the application
waits, nothing is guessed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import aiohttp

from core.domain.kernel.errors import DomainError

WHITELIST = "vat_whitelist"


class RegistryDown(DomainError):
    key = "registry_down"


class RegistryGarbage(DomainError):
    key = "registry_garbage"


@dataclass(frozen=True)
class Subject:
    """A firm as the white list knows it (None fields: the registry gave none)."""

    name: str
    nip: str
    regon: str | None
    krs: str | None
    status_vat: str | None  # «Czynny», «Zwolniony», «Niezarejestrowany»
    registered_on: date | None  # registrationLegalDate
    accounts: tuple[str, ...]  # NRB, 26 digits each

    @property
    def vat_active(self) -> bool:
        return self.status_vat == "Czynny"

    def lists(self, iban: str | None) -> bool:
        """Is this account (an IBAN, PL + 26 digits) among the ones the firm reported?"""
        return bool(iban) and iban.upper().removeprefix("PL") in self.accounts


class VatWhitelist(Protocol):
    async def subject(self, nip: str, on: date) -> tuple[Subject | None, dict[str, Any]]:
        """The firm of this NIP on this day (None: the list does not have it), and the answer as it came."""


def parse_subject(answer: Any) -> Subject | None:
    try:
        raw = answer["result"]["subject"]
        if raw is None:
            return None
        registered = raw.get("registrationLegalDate")
        return Subject(name=str(raw["name"]), nip=str(raw["nip"]), regon=raw.get("regon"), krs=raw.get("krs"),
                       status_vat=raw.get("statusVat"),
                       registered_on=date.fromisoformat(registered) if registered else None,
                       accounts=tuple(str(a) for a in raw.get("accountNumbers") or ()))
    except (KeyError, TypeError, ValueError) as exc:
        raise RegistryGarbage(registry=WHITELIST) from exc


class HttpVatWhitelist:
    def __init__(self, base_url: str = "https://wl-api.mf.gov.pl", timeout: float = 5.0) -> None:
        self.base_url, self.timeout = base_url.rstrip("/"), timeout

    async def subject(self, nip: str, on: date) -> tuple[Subject | None, dict[str, Any]]:
        url = f"{self.base_url}/api/search/nip/{nip}"
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as http, \
                    http.get(url, params={"date": on.isoformat()}) as response:
                if response.status >= 500:
                    raise RegistryDown(registry=WHITELIST)
                try:
                    answer = await response.json(content_type=None)
                except ValueError as exc:
                    raise RegistryGarbage(registry=WHITELIST) from exc
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise RegistryDown(registry=WHITELIST) from exc
        if not isinstance(answer, dict):
            raise RegistryGarbage(registry=WHITELIST)
        if response.status != 200:  # {"code": "WL-1xx", "message": ...}: the registry refused the question
            raise RegistryGarbage(registry=WHITELIST)
        return parse_subject(answer), answer
