"""The deal statuses directory (seed 003): each pipeline's statuses in order, added, edited, archived, moved by the
admins; the seed's fixed ones keep their meaning."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals import workspace as rules
from core.domain.deals.workspace import Pipeline
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.names import check_unique
from core.domain.kernel.roles import Role, holds
from core.services.kernel import access


async def statuses(uow: UnitOfWork, viewer_id: int, pipeline: str, *, with_archived: bool = False
                   ) -> list[m.DealStatus]:
    """A pipeline's statuses in order, to staff; the archived ones too (``with_archived``) to admins."""
    async with uow:
        viewer = await access.staff(uow, viewer_id)
        if with_archived and not holds(viewer, Role.ADMIN):
            raise Forbidden()
        return await uow.statuses.of(pipeline, with_archived=with_archived)


async def add_status(uow: UnitOfWork, admin_id: int, pipeline: str, name: str, color: str = "#5b8def",
                     final: bool = False) -> m.DealStatus:
    name = clean_text(name, max_len=128)
    if pipeline not in set(Pipeline):
        raise InvalidInput()
    async with uow:
        await access.admin(uow, admin_id)
        # two like columns, two like buttons: refused
        check_unique(name, [(x.id, x.name) for x in await uow.statuses.of(pipeline, with_archived=True)])
        row = uow.add(m.DealStatus(pipeline=pipeline, name=name, color=_color(color), final=final,
                                   position=await uow.statuses.last_position(pipeline) + 1))
        uow.audit.record(entity="deal_status", entity_id=0, actor_id=admin_id, action="add", comment=name)
        await uow.commit()
        return row


def _color(color: str) -> str:
    color = color.strip()
    if len(color) != 7 or color[0] != "#" or any(c not in "0123456789abcdefABCDEF" for c in color[1:]):
        raise InvalidInput("color")
    return color.lower()


async def edit_status(uow: UnitOfWork, admin_id: int, status_id: int, *, name: str | None = None,
                      color: str | None = None, final: bool | None = None, archived: bool | None = None,
                      shift: int = 0) -> m.DealStatus:
    """Rename, recolour, make final or not, archive or restore, move up (-1) or down (+1) in the order."""
    async with uow:
        await access.admin(uow, admin_id)
        row = await uow.statuses.get_or_raise(status_id)
        new_final = row.final if final is None else final
        new_archived = row.archived if archived is None else archived
        rules.check_status_edit(row.pipeline, row.code, final=new_final, archived=new_archived)
        if name is not None:
            name = clean_text(name, max_len=128)
            check_unique(name, [(x.id, x.name) for x in await uow.statuses.of(row.pipeline, with_archived=True)],
                         own_id=row.id)
            row.name = name
        if color is not None:
            row.color = _color(color)
        row.final, row.archived = new_final, new_archived
        if shift:
            ordered = await uow.statuses.of(row.pipeline, with_archived=True)
            i = ordered.index(row)
            j = min(max(i + shift, 0), len(ordered) - 1)
            ordered.insert(j, ordered.pop(i))
            for position, s in enumerate(ordered):
                s.position = position
        uow.audit.record(entity="deal_status", entity_id=row.id, actor_id=admin_id, action="edit", comment=row.name)
        await uow.commit()
        return row
