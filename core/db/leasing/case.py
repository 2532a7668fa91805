"""The statements of a Polish lessor's case (seed 002): the case beside its deal (read under a row lock where a move
is decided), its offer's versions, its consents and securities, what G2I fetched, the queues each role works, and
the scoring table in force."""

from __future__ import annotations

from sqlalchemy import func, select, update

from core.db.kernel import models as m
from core.db.kernel.repositories import Repo
from core.domain.leasing.case import OFFER_OPEN, LeaseFileStatus, LeaseOfferStatus

#: the statuses as the statements write them
_OPEN_OFFERS = sorted(s.value for s in OFFER_OPEN)
_REPLACED = LeaseFileStatus.REPLACED.value


class LeaseRepo(Repo):
    async def case(self, deal_id: int, *, lock: bool = False) -> m.LeaseCase | None:
        stmt = select(m.LeaseCase).where(m.LeaseCase.deal_id == deal_id)
        return await self.session.scalar(stmt.with_for_update() if lock else stmt)

    async def move(self, case: m.LeaseCase, status: str, status_id: int) -> None:
        """The case and its deal take the status together."""
        case.status = status
        await self.session.execute(update(m.Deal).where(m.Deal.id == case.deal_id).values(status_id=status_id)
                                   .execution_options(synchronize_session="fetch"))

    async def of_sales(self, user_id: int, limit: int = 30) -> list[m.LeaseCase]:
        return list((await self.session.scalars(select(m.LeaseCase).where(m.LeaseCase.sales_id == user_id)
                                                .order_by(m.LeaseCase.deal_id.desc()).limit(limit))).all())

    async def of_teams(self, team_ids: list[int], limit: int = 30) -> list[m.LeaseCase]:
        """The cases whose salesperson works in one of these teams (a member or its head): a head's team's cases."""
        people = select(m.AccessGroupMember.user_id).where(m.AccessGroupMember.group_id.in_(team_ids)).union(
            select(m.AccessGroup.head_id).where(m.AccessGroup.id.in_(team_ids), m.AccessGroup.head_id.is_not(None)))
        return list((await self.session.scalars(select(m.LeaseCase).where(m.LeaseCase.sales_id.in_(people))
                                                .order_by(m.LeaseCase.deal_id.desc()).limit(limit))).all())

    async def of_client_user(self, user_id: int, limit: int = 30) -> list[m.LeaseCase]:
        stmt = (select(m.LeaseCase).join(m.Client, m.Client.id == m.LeaseCase.client_id)
                .where(m.Client.user_id == user_id).order_by(m.LeaseCase.deal_id.desc()).limit(limit))
        return list((await self.session.scalars(stmt)).all())

    async def in_statuses(self, statuses: list[str], limit: int = 30) -> list[m.LeaseCase]:
        return list((await self.session.scalars(select(m.LeaseCase).where(m.LeaseCase.status.in_(statuses))
                                                .order_by(m.LeaseCase.deal_id).limit(limit))).all())

    # --- the offer's versions
    async def offer(self, offer_id: int) -> m.LeaseOffer | None:
        return await self.session.get(m.LeaseOffer, offer_id)

    async def offers(self, deal_id: int) -> list[m.LeaseOffer]:
        """Every version, the newest first."""
        return list((await self.session.scalars(select(m.LeaseOffer).where(m.LeaseOffer.deal_id == deal_id)
                                                .order_by(m.LeaseOffer.version.desc()))).all())

    async def next_version(self, deal_id: int) -> int:
        return (await self.session.scalar(select(func.max(m.LeaseOffer.version))
                                          .where(m.LeaseOffer.deal_id == deal_id)) or 0) + 1

    async def supersede(self, deal_id: int, keep_id: int) -> None:
        """Every other open version of the case gives way to ``keep_id``."""
        await self.session.execute(update(m.LeaseOffer).where(
            m.LeaseOffer.deal_id == deal_id, m.LeaseOffer.id != keep_id,
            m.LeaseOffer.status.in_(_OPEN_OFFERS))
            .values(status=LeaseOfferStatus.SUPERSEDED.value)
            .execution_options(synchronize_session="fetch"))

    # --- consents, securities, registries
    async def consents(self, deal_id: int) -> list[m.LeaseConsent]:
        return list((await self.session.scalars(select(m.LeaseConsent).where(m.LeaseConsent.deal_id == deal_id)
                                                .order_by(m.LeaseConsent.consent))).all())

    async def consent(self, deal_id: int, consent: str) -> m.LeaseConsent | None:
        return await self.session.get(m.LeaseConsent, (deal_id, consent))

    async def securities(self, deal_id: int) -> list[m.LeaseSecurity]:
        return list((await self.session.scalars(select(m.LeaseSecurity).where(m.LeaseSecurity.deal_id == deal_id)
                                                .order_by(m.LeaseSecurity.kind))).all())

    async def security(self, deal_id: int, kind: str) -> m.LeaseSecurity | None:
        return await self.session.get(m.LeaseSecurity, (deal_id, kind))

    async def last_fetch(self, deal_id: int, source: str) -> m.RegistryFetch | None:
        return await self.session.scalar(select(m.RegistryFetch).where(
            m.RegistryFetch.deal_id == deal_id, m.RegistryFetch.source == source)
            .order_by(m.RegistryFetch.id.desc()).limit(1))

    async def conditions(self, deal_id: int) -> list[m.LeaseCondition]:
        return list((await self.session.scalars(select(m.LeaseCondition).where(m.LeaseCondition.deal_id == deal_id)
                                                .order_by(m.LeaseCondition.id))).all())

    async def condition(self, condition_id: int) -> m.LeaseCondition | None:
        return await self.session.get(m.LeaseCondition, condition_id)

    async def files(self, deal_id: int) -> list[m.LeaseFile]:
        """The case's current files (one per kind: the replaced ones are left out), by kind."""
        return list((await self.session.scalars(select(m.LeaseFile).where(
            m.LeaseFile.deal_id == deal_id, m.LeaseFile.status != _REPLACED).order_by(m.LeaseFile.kind))).all())

    async def file(self, file_id: int) -> m.LeaseFile | None:
        return await self.session.get(m.LeaseFile, file_id)

    async def replace_files(self, deal_id: int, kind: str) -> None:
        await self.session.execute(update(m.LeaseFile).where(
            m.LeaseFile.deal_id == deal_id, m.LeaseFile.kind == kind, m.LeaseFile.status != _REPLACED)
            .values(status=_REPLACED).execution_options(synchronize_session="fetch"))

    # --- the contract's end and the identity checks (issue 29)
    async def ending(self, deal_id: int, kind: str) -> m.LeaseEnding | None:
        return await self.session.scalar(select(m.LeaseEnding).where(m.LeaseEnding.deal_id == deal_id,
                                                                     m.LeaseEnding.kind == kind))

    async def ending_by_id(self, ending_id: int) -> m.LeaseEnding | None:
        return await self.session.get(m.LeaseEnding, ending_id)

    async def endings(self, deal_id: int) -> list[m.LeaseEnding]:
        return list((await self.session.scalars(select(m.LeaseEnding).where(m.LeaseEnding.deal_id == deal_id)
                                                .order_by(m.LeaseEnding.id))).all())

    async def identity_checks(self, deal_id: int) -> list[m.LeaseIdentityCheck]:
        """Newest first."""
        return list((await self.session.scalars(select(m.LeaseIdentityCheck)
                                                .where(m.LeaseIdentityCheck.deal_id == deal_id)
                                                .order_by(m.LeaseIdentityCheck.id.desc()))).all())

    async def identity_check(self, check_id: int) -> m.LeaseIdentityCheck | None:
        return await self.session.get(m.LeaseIdentityCheck, check_id)

    # --- the scoring automaton's table
    async def scoring_table(self) -> m.ScoringTable | None:
        return await self.session.scalar(select(m.ScoringTable).order_by(m.ScoringTable.id.desc()).limit(1))

    # --- the client directory's Polish side
    async def client_by_nip(self, nip: str) -> m.Client | None:
        return await self.session.scalar(select(m.Client).where(m.Client.nip == nip))
