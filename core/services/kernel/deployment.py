"""What the deployment runs, as its admins answered at the first start, and the first setup's checklist: what each
area still needs (directories, a team) before its people can work."""

from __future__ import annotations

from dataclasses import dataclass

from core.db.kernel import models as m
from core.db.kernel.deployment import ROW_ID
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import deployment as rules
from core.domain.kernel.deployment import Area, LeadPipeline, Need
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.roles import Role


async def running(uow: UnitOfWork) -> frozenset[Area]:
    """The areas in effect (everything when never answered). One small read, for a menu."""
    async with uow:
        return rules.running(await uow.deployment.areas())


async def answered(uow: UnitOfWork) -> bool:
    async with uow:
        return await uow.deployment.areas() is not None


async def lead_pipeline(uow: UnitOfWork) -> LeadPipeline:
    """The deal pipeline a lead's contract opens here (sales by default, the law firm's where chosen). Inside an open
    unit of work it reads in its transaction; outside, in a unit of its own."""
    if uow.session is not None:
        return rules.lead_pipeline(await uow.deployment.pipeline())
    async with uow:
        return rules.lead_pipeline(await uow.deployment.pipeline())


@dataclass(frozen=True)
class Setup:
    answered: bool
    areas: frozenset[Area]
    rows: list[tuple[Area, Need, bool]]  # each need of the areas run, met or not
    lead_pipeline: LeadPipeline = rules.DEFAULT_PIPELINE  # the deals' pipeline of the leads area

    @property
    def missing(self) -> list[Need]:
        return [need for _, need, done in self.rows if not done]


async def _admin(uow: UnitOfWork, admin_id: int) -> m.User:
    admin = await uow.users.get(admin_id)
    if admin is None or admin.role != Role.ADMIN:
        raise Forbidden()
    return admin


async def setup(uow: UnitOfWork, admin_id: int) -> Setup:
    """The checklist an admin sees: what the deployment runs and what each of those areas still needs."""
    async with uow:
        await _admin(uow, admin_id)
        stored = await uow.deployment.areas()
        areas = rules.running(stored)
        return Setup(stored is not None, areas, rules.checklist(areas, await uow.deployment.counts()),
                     rules.lead_pipeline(await uow.deployment.pipeline()))


async def set_areas(uow: UnitOfWork, admin_id: int, areas: frozenset[Area],
                    pipeline: LeadPipeline | None = None) -> frozenset[Area]:
    """An admin says what the deployment runs: one area or several (none is refused), and, with the leads area,
    which pipeline its deals follow (``pipeline``; None leaves it as it is)."""
    if not areas:
        raise InvalidInput("areas_none")
    async with uow:
        await _admin(uow, admin_id)
        row = await _row(uow)
        old = "never" if row.areas is None else ",".join(row.areas)
        row.areas, row.set_by = [a.value for a in rules.AREAS if a in areas], admin_id
        uow.audit.record(entity="deployment", entity_id=ROW_ID, actor_id=admin_id, action="areas",
                         comment=f"{old} -> {','.join(row.areas)}")
        if pipeline is not None and Area.LEADS in areas:
            _pipeline(uow, row, admin_id, pipeline)
        await uow.commit()
        return frozenset(areas)


async def set_lead_pipeline(uow: UnitOfWork, admin_id: int, pipeline: LeadPipeline) -> LeadPipeline:
    """An admin picks the pipeline a lead's contract opens its deal in: the deals already made stay where they are
    (another pipeline's statuses are its own)."""
    async with uow:
        await _admin(uow, admin_id)
        _pipeline(uow, await _row(uow), admin_id, LeadPipeline(pipeline))
        await uow.commit()
        return LeadPipeline(pipeline)


async def _row(uow: UnitOfWork) -> m.Deployment:
    row = await uow.deployment.get()
    return row if row is not None else uow.add(m.Deployment(id=ROW_ID))


def _pipeline(uow: UnitOfWork, row: m.Deployment, admin_id: int, pipeline: LeadPipeline) -> None:
    old = rules.lead_pipeline(row.pipeline)
    row.pipeline = pipeline.value
    if old != pipeline:
        uow.audit.record(entity="deployment", entity_id=ROW_ID, actor_id=admin_id, action="pipeline",
                         comment=f"{old.value} -> {pipeline.value}")
