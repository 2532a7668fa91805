"""The statements of seed 001's first half: «Контрагенты» lookups, access groups, the survey, the «Холодный обзвон»
campaign and its posting (bulk: one statement per table for all its rows), interactions, «Сотрудники по сделке»."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, func, insert, or_, select, update

from core.db.kernel import models as m
from core.db.kernel.repositories import DirectoryRepo, Repo

DEALS, ROWS = m.Deal.__table__, m.CampaignRow.__table__


class CounterpartyRepo(Repo):
    """«Контрагенты» are the clients table (seed 003's clients): the lookups the campaign needs."""

    async def by_requisites(self, keys: Sequence[tuple[str, str | None]]) -> dict[tuple[str, str | None], int]:
        """The known counterparties of these (INN, KPP) pairs: the pair → id. A pair finds the counterparty with
        that INN and KPP; or, when the INN has only one, that one if either KPP is not known (the first pair
        with a KPP tells it; the next ones of that INN are branches). Several branches of the INN and no KPP:
        not found (which branch is meant, only a KPP says; ``branches`` tells how many)."""
        inns = sorted({inn for inn, _ in keys})
        if not inns:
            return {}
        rows = (await self.session.execute(select(m.Client.inn, m.Client.kpp, m.Client.id)
                                           .where(m.Client.inn.in_(inns)).order_by(m.Client.id))).all()
        found: dict[tuple[str, str | None], int] = {}
        of_inn: dict[str, list[tuple[str | None, int]]] = {}
        for inn, kpp, client_id in rows:
            of_inn.setdefault(inn, []).append((kpp, client_id))
        learnt: set[int] = set()  # a counterparty whose KPP the first pair of its INN tells: not a second's
        for inn, kpp in keys:
            known = of_inn.get(inn, [])
            exact = next((cid for k, cid in known if k == kpp), None)
            if exact is None and len(known) == 1 and (kpp is None or known[0][0] is None) \
                    and known[0][1] not in learnt:
                exact = known[0][1]
                if kpp is not None:
                    learnt.add(exact)
            if exact is not None:
                found[(inn, kpp)] = exact
        return found

    async def branches(self, inn: str) -> list[m.Client]:
        """The counterparties of one INN (a company and its branches), by KPP."""
        return list((await self.session.scalars(select(m.Client).where(m.Client.inn == inn)
                                                .order_by(m.Client.kpp, m.Client.id))).all())

    async def by_phones(self, phones: Sequence[str]) -> dict[str, int]:
        """The counterparties a phone's contact card belongs to: phone → counterparty id."""
        if not phones:
            return {}
        rows = await self.session.execute(
            select(m.ContactPhone.phone, func.min(m.ClientContact.client_id))
            .join(m.ClientContact, m.ClientContact.contact_id == m.ContactPhone.contact_id)
            .where(m.ContactPhone.phone.in_(list(phones))).group_by(m.ContactPhone.phone))
        return dict(rows.all())

    async def names(self, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        return dict((await self.session.execute(select(m.Client.id, m.Client.name).where(
            m.Client.id.in_(sorted(ids))))).all())

    async def search(self, query: str, limit: int) -> list[m.Client]:
        """By INN (its digits) or a part of the name (any case, any alphabet: folded in Python for SQLite)."""
        digits = query.strip()
        if digits.isdigit():
            stmt = select(m.Client).where(m.Client.inn.like(f"{digits}%"))
        else:
            stmt = select(m.Client).where(or_(m.Client.name.ilike(f"%{digits}%"),
                                              func.lower(m.Client.name).like(f"%{digits.lower()}%")))
        return list((await self.session.scalars(stmt.order_by(m.Client.name, m.Client.id).limit(limit))).all())


class AccessGroupRepo(DirectoryRepo[m.AccessGroup]):
    """A directory (name, archived) whose items have a head and members."""

    def __init__(self, session) -> None:
        super().__init__(session, m.AccessGroup)

    async def of_user(self, user_id: int) -> set[int]:
        """The groups a person works in: those they are a member or the head of."""
        member = select(m.AccessGroupMember.group_id).where(m.AccessGroupMember.user_id == user_id)
        headed = select(m.AccessGroup.id).where(m.AccessGroup.head_id == user_id)
        return set((await self.session.scalars(member.union(headed))).all())

    async def headed_by(self, user_id: int) -> set[int]:
        return set((await self.session.scalars(select(m.AccessGroup.id).where(
            m.AccessGroup.head_id == user_id, m.AccessGroup.archived.is_(False)))).all())

    async def tree(self) -> dict[int, int | None]:
        """Every team and the team it is nested under (the rules' «team and below»)."""
        return dict((await self.session.execute(select(m.AccessGroup.id, m.AccessGroup.parent_id))).all())

    async def for_head(self, user_id: int) -> list[tuple[int, int | None, int | None, bool]]:
        """Every live team as (id, head, parent, whether ``user_id`` is a member): what finding their head needs."""
        member = set((await self.session.scalars(select(m.AccessGroupMember.group_id).where(
            m.AccessGroupMember.user_id == user_id))).all())
        rows = (await self.session.execute(select(m.AccessGroup.id, m.AccessGroup.head_id, m.AccessGroup.parent_id)
                                           .where(m.AccessGroup.archived.is_(False)))).all()
        return [(team, head, parent, team in member) for team, head, parent in rows]

    async def by_duty(self, duty: str) -> m.AccessGroup | None:
        return await self.session.scalar(select(m.AccessGroup).where(m.AccessGroup.duty == duty,
                                                                     m.AccessGroup.archived.is_(False)))

    async def set_duty(self, group: m.AccessGroup, duty: str | None) -> None:
        """The group takes ``duty`` (another group that had it gives it up first: one group per duty)."""
        if duty is not None:
            await self.session.execute(update(m.AccessGroup).where(m.AccessGroup.duty == duty,
                                                                   m.AccessGroup.id != group.id).values(duty=None))
            await self.session.flush()
        group.duty = duty

    async def members(self, group_id: int) -> list[m.User]:
        return list((await self.session.scalars(select(m.User).join(
            m.AccessGroupMember, m.AccessGroupMember.user_id == m.User.id).where(
            m.AccessGroupMember.group_id == group_id).order_by(m.User.name, m.User.id))).all())

    async def is_member(self, group_id: int, user_id: int) -> bool:
        return await self.session.get(m.AccessGroupMember, (group_id, user_id)) is not None

    async def toggle_member(self, group_id: int, user_id: int) -> bool:
        """Adds the person, or removes them when they are in; returns whether they are in now."""
        row = await self.session.get(m.AccessGroupMember, (group_id, user_id))
        if row is None:
            self.add(m.AccessGroupMember(group_id=group_id, user_id=user_id))
            return True
        await self.session.delete(row)
        return False


class SurveyRepo(Repo):
    async def template(self, template_id: int) -> m.SurveyTemplate | None:
        return await self.session.get(m.SurveyTemplate, template_id)

    async def templates(self) -> list[m.SurveyTemplate]:
        return list((await self.session.scalars(select(m.SurveyTemplate).where(
            m.SurveyTemplate.archived.is_(False)).order_by(m.SurveyTemplate.name))).all())

    async def template_of(self, deal_id: int) -> m.SurveyTemplate | None:
        """The survey of the campaign that started the deal."""
        return await self.session.scalar(select(m.SurveyTemplate).join(
            m.Campaign, m.Campaign.template_id == m.SurveyTemplate.id).join(
            m.CampaignRow, m.CampaignRow.campaign_id == m.Campaign.id).where(m.CampaignRow.deal_id == deal_id))

    async def answers(self, deal_id: int) -> dict[int, Any]:
        """Question id → the kept answer."""
        rows = await self.session.execute(select(m.SurveyAnswer.question_id, m.SurveyAnswer.value).where(
            m.SurveyAnswer.deal_id == deal_id))
        return dict(rows.all())

    async def answer(self, deal_id: int, question_id: int) -> m.SurveyAnswer | None:
        return await self.session.get(m.SurveyAnswer, (deal_id, question_id))

    async def progress(self, deal_id: int) -> tuple[int, int]:
        """(answered, asked) of the deal's survey; (0, 0) when the deal has none."""
        template = select(m.Campaign.template_id).join(m.CampaignRow, m.CampaignRow.campaign_id == m.Campaign.id) \
            .where(m.CampaignRow.deal_id == deal_id).scalar_subquery()
        total = select(func.count()).select_from(m.SurveyQuestion).where(
            m.SurveyQuestion.template_id == template).scalar_subquery()
        answered = select(func.count()).select_from(m.SurveyAnswer).join(
            m.SurveyQuestion, m.SurveyQuestion.id == m.SurveyAnswer.question_id).where(
            m.SurveyAnswer.deal_id == deal_id, m.SurveyQuestion.template_id == template).scalar_subquery()
        row = (await self.session.execute(select(answered, total))).one()
        return int(row[0] or 0), int(row[1] or 0)


class CampaignRepo(Repo):
    async def get(self, campaign_id: int) -> m.Campaign | None:
        return await self.session.get(m.Campaign, campaign_id)

    async def author_of(self, deal_id: int) -> int | None:
        """The «Руководитель» of the campaign that started the deal (who formed it, seed 001), if one did."""
        return await self.session.scalar(select(m.Campaign.author_id).join(
            m.CampaignRow, m.CampaignRow.campaign_id == m.Campaign.id).where(m.CampaignRow.deal_id == deal_id))

    async def of(self, authors: int | list[int] | None, limit: int = 20) -> list[m.Campaign]:
        """The newest campaigns (of one author or of several, or all for an admin)."""
        stmt = select(m.Campaign).order_by(m.Campaign.id.desc()).limit(limit)
        if authors is not None:
            stmt = stmt.where(m.Campaign.author_id.in_([authors] if isinstance(authors, int) else authors))
        return list((await self.session.scalars(stmt)).all())

    async def authors(self) -> list[int]:
        """Everyone who ever made a campaign."""
        return list((await self.session.scalars(select(m.Campaign.author_id).distinct())).all())

    async def report(self, campaign_id: int) -> dict:
        """Its deals per stage they are in, its КП versions sent, approved and refused, its orders (built from a КП)
        and what was paid for them: a few aggregate statements over the campaign's deals."""
        deals = select(ROWS.c.deal_id).where(ROWS.c.campaign_id == campaign_id, ROWS.c.deal_id.is_not(None))
        st, q, o, p = m.DealStage, m.Quote, m.Order, m.Payment
        stages = dict((await self.session.execute(
            select(st.stage, func.count()).where(st.deal_id.in_(deals), st.left_at.is_(None)).group_by(st.stage)
        )).all())
        sent, approved, refused = (await self.session.execute(select(
            func.count(q.sent_at),
            func.count(q.decided_by).filter(q.status != "returned"),
            func.count().filter(q.status == "refused")).where(q.deal_id.in_(deals)))).one()
        orders, ordered = (await self.session.execute(select(func.count(), func.coalesce(func.sum(o.amount), 0))
                                                      .where(o.deal_id.in_(deals), o.quote_id.is_not(None)))).one()
        paid = await self.session.scalar(select(func.coalesce(func.sum(p.amount), 0)).join(o, o.id == p.order_id).where(
            o.deal_id.in_(deals), o.quote_id.is_not(None), p.received_at.is_not(None)))
        return {"stages": stages, "sent": sent, "approved": approved, "refused": refused, "orders": orders,
                "ordered": Decimal(ordered), "paid": Decimal(paid)}

    async def row_count(self, campaign_id: int) -> int:
        return await self.session.scalar(select(func.count()).select_from(ROWS).where(
            ROWS.c.campaign_id == campaign_id)) or 0

    async def client_ids(self, campaign_id: int) -> set[int]:
        return set((await self.session.scalars(select(ROWS.c.client_id).where(
            ROWS.c.campaign_id == campaign_id))).all())

    async def next_row_no(self, campaign_id: int) -> int:
        return (await self.session.scalar(select(func.max(ROWS.c.row_no)).where(
            ROWS.c.campaign_id == campaign_id)) or 0) + 1

    async def rows(self, campaign_id: int, offset: int, limit: int) -> list[tuple]:
        """A page of the campaign's rows: the row, its counterparty's name and INN, its deal's status (the row: its
        pipeline, code and name, for the reader's words; None before posting)."""
        stmt = (select(m.CampaignRow, m.Client.name, m.Client.inn, m.DealStatus)
                .join(m.Client, m.Client.id == m.CampaignRow.client_id)
                .outerjoin(m.Deal, m.Deal.id == m.CampaignRow.deal_id)
                .outerjoin(m.DealStatus, m.DealStatus.id == m.Deal.status_id)
                .where(m.CampaignRow.campaign_id == campaign_id)
                .order_by(m.CampaignRow.row_no, m.CampaignRow.id).offset(offset).limit(limit))
        return list((await self.session.execute(stmt)).all())

    async def remove_row(self, campaign_id: int, row_id: int) -> bool:
        gone = await self.session.execute(delete(m.CampaignRow).where(
            m.CampaignRow.id == row_id, m.CampaignRow.campaign_id == campaign_id, m.CampaignRow.deal_id.is_(None)))
        return bool(gone.rowcount)

    async def to_post(self, campaign_id: int) -> list[tuple[int, int, int | None, str]]:
        """The rows with no deal yet: (row id, counterparty, its contact, its name), in the document's order; the
        contact is the row's, else the counterparty's first."""
        clients, cc = m.Client.__table__, m.ClientContact.__table__
        first = select(func.min(cc.c.contact_id)).where(cc.c.client_id == ROWS.c.client_id).scalar_subquery()
        return [tuple(r) for r in (await self.session.execute(
            select(ROWS.c.id, ROWS.c.client_id, func.coalesce(ROWS.c.contact_id, first), clients.c.name)
            .join(clients, clients.c.id == ROWS.c.client_id)
            .where(ROWS.c.campaign_id == campaign_id, ROWS.c.deal_id.is_(None)).order_by(ROWS.c.row_no, ROWS.c.id)))]

    async def open_deals(self, deals: list[dict]) -> list[int]:
        """Insert the deals in one executemany and give their ids in the same order. The ids are taken first: on
        PostgreSQL from the table's sequence (as a plain INSERT would), on SQLite after the largest (the unit's
        BEGIN IMMEDIATE holds the writer lock, so no other insert comes between) — a RETURNING per row, which is
        what keeps the order otherwise, costs as much again."""
        if not deals:
            return []
        if self.session.bind.dialect.name == "postgresql":
            ids = list((await self.session.scalars(
                select(func.nextval("deals_id_seq")).select_from(func.generate_series(1, len(deals))))).all())
        else:
            first = (await self.session.scalar(select(func.coalesce(func.max(DEALS.c.id), 0)))) + 1
            ids = list(range(first, first + len(deals)))
        await self.session.execute(insert(DEALS), [d | {"id": i} for d, i in zip(deals, ids, strict=True)])
        return ids

    async def link_deals(self, campaign_id: int, pairs: list[dict]) -> None:
        """Each row gets its deal (``{"row": id, "deal": id}``), and each deal the counterparty's contacts."""
        await self.session.execute(update(ROWS).where(ROWS.c.id == bindparam("row")).values(
            deal_id=bindparam("deal")).execution_options(synchronize_session=False), pairs)
        cc = m.ClientContact.__table__
        await self.session.execute(insert(m.DealContact.__table__).from_select(
            ["deal_id", "contact_id"], select(ROWS.c.deal_id, cc.c.contact_id).join(
                cc, cc.c.client_id == ROWS.c.client_id).where(
                ROWS.c.campaign_id == campaign_id, ROWS.c.deal_id.in_([p["deal"] for p in pairs]))))


class MemberRepo(Repo):
    """«Сотрудники по сделке»."""

    async def add(self, deal_id: int, user_id: int, at: datetime) -> bool:
        """The person is one of the deal's (once: a second reroute adds nobody twice); whether they were added."""
        if await self.session.get(m.DealMember, (deal_id, user_id)) is not None:
            return False
        self.session.add(m.DealMember(deal_id=deal_id, user_id=user_id, added_at=at))
        return True

    async def has(self, deal_id: int, user_id: int) -> bool:
        return await self.session.get(m.DealMember, (deal_id, user_id)) is not None

    async def of_deal(self, deal_id: int) -> list[m.User]:
        return list((await self.session.scalars(select(m.User).join(
            m.DealMember, m.DealMember.user_id == m.User.id).where(
            m.DealMember.deal_id == deal_id).order_by(m.DealMember.added_at, m.User.id))).all())


class InteractionRepo(Repo):
    async def get(self, interaction_id: int) -> m.Interaction | None:
        return await self.session.get(m.Interaction, interaction_id)

    async def of_deal(self, deal_id: int) -> list[m.Interaction]:
        return list((await self.session.scalars(select(m.Interaction).where(m.Interaction.deal_id == deal_id)
                                                .order_by(m.Interaction.id))).all())

    async def open(self, deal_id: int, purpose: str) -> m.Interaction | None:
        return await self.session.scalar(select(m.Interaction).where(
            m.Interaction.deal_id == deal_id, m.Interaction.purpose == purpose,
            m.Interaction.done_at.is_(None)).order_by(m.Interaction.id.desc()).limit(1))

    async def last(self, deal_id: int, purpose: str) -> m.Interaction | None:
        return await self.session.scalar(select(m.Interaction).where(
            m.Interaction.deal_id == deal_id, m.Interaction.purpose == purpose).order_by(m.Interaction.id.desc())
            .limit(1))

    async def done(self, deal_id: int, purpose: str) -> bool:
        return bool(await self.session.scalar(select(exists().where(and_(
            m.Interaction.deal_id == deal_id, m.Interaction.purpose == purpose, m.Interaction.done_at.is_not(None))))))

    async def by_task(self, task_id: int) -> m.Interaction | None:
        return await self.session.scalar(select(m.Interaction).where(m.Interaction.task_id == task_id))

    async def last_number(self, deal_id: int, purpose: str) -> int:
        return await self.session.scalar(select(func.max(m.Interaction.number)).where(
            m.Interaction.deal_id == deal_id, m.Interaction.purpose == purpose)) or 0
