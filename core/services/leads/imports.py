"""Leads from a CSV or XLSX file an admin sends: a preview first (what will be created, duplicates and bad rows
with their row numbers), then, on confirmation, the leads, each by the same rule as one typed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import DomainError, Forbidden, InvalidInput
from core.domain.kernel.inputs import clean_text, normalize_phone, parse_amount
from core.domain.kernel.roles import Role
from core.domain.kernel.tables import columns, read_table
from core.domain.kernel.tables import values as cells
from core.domain.leads.lifecycle import original_of
from core.domain.leads.vocabulary import LEAD_COLUMNS
from core.services.kernel.config import CoreConfig
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput

MAX_ROWS = 5000
COLUMNS = LEAD_COLUMNS


@dataclass
class Preview:
    create: list[dict] = field(default_factory=list)  # row number and the lead's fields, JSON-ready
    bad: list[tuple[int, str, dict]] = field(default_factory=list)  # row number, error key, its params
    repeated: list[tuple[int, str, int]] = field(default_factory=list)  # row, phone, the earlier row in the file
    existing: list[tuple[int, str, int]] = field(default_factory=list)  # row, phone, the open lead it duplicates


async def preview(uow: UnitOfWork, actor_id: int, data: bytes, filename: str, cfg: CoreConfig) -> Preview:
    table = read_table(data, filename)
    if len(table) < 2:
        raise InvalidInput("import_empty")
    if len(table) > MAX_ROWS + 1:
        raise InvalidInput("import_too_many", max_rows=MAX_ROWS)
    cols = columns(table[0], COLUMNS, ("phone", "name", "source"))
    result = Preview()
    async with uow:
        actor = await uow.users.get(actor_id)
        if actor is None or actor.role != Role.ADMIN:
            raise Forbidden()
        sources = {s.name.casefold(): s for s in await uow.sources.list()}
        workers = {u.name.casefold(): u for u in (await uow.users.get_many(await uow.leads.workload())).values()}
        seen: dict[str, int] = {}
        for row_no, row in enumerate(table[1:], start=2):
            values = cells(row, cols, COLUMNS)
            try:
                phone = normalize_phone(values["phone"], cfg.phone_region)
                name = clean_text(values["name"], max_len=128)
                source = sources.get(values["source"].casefold())
                if source is None:
                    raise InvalidInput("import_source", name=values["source"])
                debt = str(parse_amount(values["debt"])) if values["debt"] else None
                city = clean_text(values["city"], max_len=128) if values["city"] else None
                comment = clean_text(values["comment"], max_len=cfg.max_text) if values["comment"] else None
                responsible = workers.get(values["responsible"].casefold()) if values["responsible"] else None
                if values["responsible"] and responsible is None:
                    raise InvalidInput("import_responsible", name=values["responsible"])
            except DomainError as exc:
                result.bad.append((row_no, exc.key, exc.params))
                continue
            if phone in seen:
                result.repeated.append((row_no, phone, seen[phone]))
                continue
            seen[phone] = row_no
            original = await _open_lead_with(uow, phone)
            if original is not None:
                result.existing.append((row_no, phone, original))
            result.create.append({"row": row_no, "phone": phone, "name": name, "source_id": source.id,
                                  "debt": debt, "city": city, "comment": comment,
                                  "responsible_id": responsible.id if responsible else None})
    return result


async def _open_lead_with(uow: UnitOfWork, phone: str) -> int | None:
    return original_of(await uow.leads.statuses_with_phone(phone))


async def confirm(uow_factory, actor_id: int, rows: list[dict], cfg: CoreConfig) -> list[m.Lead]:
    """Create the previewed leads; a phone of an open lead makes a «Дубль» as always."""
    created = []
    for row in rows:
        created.append(await leads.create(uow_factory(), actor_id, LeadInput(
            phone=row["phone"], name=row["name"], source_id=row["source_id"],
            debt_amount=Decimal(row["debt"]) if row["debt"] else None, city=row["city"], comment=row["comment"]),
            cfg, row.get("responsible_id"), arrived=True))
    return created
