"""The directories admins keep: leasing companies, object categories, regions."""

from __future__ import annotations

from enum import StrEnum

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import parse_cadence
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.names import check_unique
from core.services.kernel.access import admin


class Directory(StrEnum):
    COMPANIES = "companies"
    CATEGORIES = "categories"
    REGIONS = "regions"
    SOURCES = "sources"
    ACCESS_GROUPS = "access_groups"  # a head and members besides (core.services.campaigns.counterparties)
    CADENCES = "cadences"  # added through core.services.campaigns.counterparties.add_cadence (the name is the period)


MODELS = {Directory.COMPANIES: m.Company, Directory.CATEGORIES: m.Category, Directory.REGIONS: m.Region,
          Directory.SOURCES: m.Source, Directory.ACCESS_GROUPS: m.AccessGroup, Directory.CADENCES: m.Cadence}


def _repo(uow: UnitOfWork, directory: Directory):
    return getattr(uow, directory.value)


async def listing(uow: UnitOfWork, directory: Directory, *, active_only: bool = True):
    async with uow:
        return await _repo(uow, directory).list(active_only=active_only)


async def add(uow: UnitOfWork, admin_id: int, directory: Directory, name: str):
    if directory == Directory.CADENCES:
        raise InvalidInput("stale_button")  # a cadence is a period: counterparties.add_cadence
    name = clean_text(name, max_len=128)
    async with uow:
        await admin(uow, admin_id)
        repo = _repo(uow, directory)
        check_unique(name, [(x.id, x.name) for x in await repo.list(active_only=False)])
        item = repo.add(MODELS[directory](name=name))
        await uow.flush()
        uow.audit.record(entity=directory.value, entity_id=item.id, actor_id=admin_id, action="add", comment=name)
        await uow.commit()
        return item


async def toggle_archived(uow: UnitOfWork, admin_id: int, directory: Directory, item_id: int):
    """Archive hides an item from new forms; old records keep it."""
    async with uow:
        await admin(uow, admin_id)
        item = await _repo(uow, directory).get_or_raise(item_id)
        item.archived = not item.archived
        uow.audit.record(entity=directory.value, entity_id=item.id, actor_id=admin_id,
                         action="archive" if item.archived else "restore")
        await uow.commit()
        return item


async def rename(uow: UnitOfWork, admin_id: int, directory: Directory, item_id: int, name: str):
    name = clean_text(name, max_len=128)
    async with uow:
        await admin(uow, admin_id)
        repo = _repo(uow, directory)
        item = await repo.get_or_raise(item_id)
        check_unique(name, [(x.id, x.name) for x in await repo.list(active_only=False)], own_id=item.id)
        uow.audit.record(entity=directory.value, entity_id=item.id, actor_id=admin_id, action="rename",
                         comment=f"{item.name} → {name}")
        if directory == Directory.CADENCES:  # a cadence's name is its period: renamed, it plans by the new one
            period = parse_cadence(name)
            item.count, item.unit = period.count, period.unit
        item.name = name
        await uow.commit()
        return item
