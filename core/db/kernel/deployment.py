"""The deployment's one row (what it runs) and the counts its first setup's checklist reads."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo
from core.domain.kernel.deployment import Need
from core.domain.kernel.roles import Role

ROW_ID = 1

#: a need and what counts towards it: a directory's live rows, or the people of a role
_DIRECTORIES = {Need.COMPANY: m.Company, Need.CATEGORY: m.Category, Need.REGION: m.Region, Need.SOURCE: m.Source,
                Need.TEMPLATE: m.SurveyTemplate, Need.CADENCE: m.Cadence}
_PEOPLE = {Need.MANAGER: Role.MANAGER, Need.SALES: Role.SALES, Need.RISK: Role.RISK,
           Need.BACK_OFFICE: Role.BACK_OFFICE}


class DeploymentRepo(Repo):
    async def get(self) -> m.Deployment | None:
        return await self.session.get(m.Deployment, ROW_ID)

    async def areas(self) -> list[str] | None:
        """The stored answer (None: never answered), without loading the row into the session."""
        return await self.session.scalar(select(m.Deployment.areas).where(m.Deployment.id == ROW_ID))

    async def pipeline(self) -> str | None:
        """The deal pipeline a lead's contract opens, as stored (None: the default)."""
        return await self.session.scalar(select(m.Deployment.pipeline).where(m.Deployment.id == ROW_ID))

    async def counts(self) -> dict[Need, int]:
        """How many of each need there are: live directory rows, people of each role (not blocked or erased)."""
        out: dict[Need, int] = {}
        for need, model in _DIRECTORIES.items():
            out[need] = await self.session.scalar(
                select(func.count()).select_from(model).where(model.archived.is_(False))) or 0
        # the people of each role who can work: reachable (not blocked, not erased), the role held first or besides
        # (an admin who is also a manager counts as a manager); staff are few, their roles read off each row
        people = (await self.session.execute(
            select(m.User.role, m.User.extra_roles).where(
                m.User.blocked.is_(False), m.User.erased_at.is_(None),
                or_(m.User.role.in_(list(_PEOPLE.values())), m.User.extra_roles.is_not(None))))).all()
        for need, role in _PEOPLE.items():
            out[need] = sum(1 for first, extra in people if role in {first, *(extra or ())})
        out[Need.TEAM_HEAD] = await self.session.scalar(
            select(func.count()).select_from(m.AccessGroup).where(m.AccessGroup.archived.is_(False),
                                                                  m.AccessGroup.head_id.is_not(None))) or 0
        out[Need.SELLER] = await self.session.scalar(  # the documents' seller (kernel.documents.SELLER) typed in
            select(func.count()).select_from(m.DocTemplate).where(m.DocTemplate.kind == "seller")) or 0
        return out
