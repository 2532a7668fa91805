"""The permission matrix (issue 27) for the marketplace and the leasing areas: every role (and a team's head, and an
outsider) × their actions and named permissions × the record's relation to the person (their own, of their team,
of a team below it, of another team, of a partner company), through the services on a real database. The expected
allow or refuse is computed from ``RULES`` (tests/services/kernel/test_permission_matrix.py's world and measure);
what an action needs besides its rule (the seed's tables of who moves what, at which stage) is said where it is
listed, as a predicate on the holder and the relation."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.deals import Pipeline
from core.domain.kernel.permissions import Action, Area, Holder, Permission
from core.domain.kernel.roles import Role
from core.domain.leasing.case import LeaseFileStatus, LeaseStatus
from core.domain.marketplace.applications import AppStatus
from core.services.leasing.books.ledger import bookkeeper
from core.services.leasing.origination import application as lease_app
from core.services.leasing.origination import desk, verification
from core.services.marketplace import applications
from core.services.marketplace import deal_room as rooms
from tests.services.kernel.test_permission_matrix import HOLDERS, OUTSIDER_ID, RELATIONS, World, allowed, build, outcome

MKT, LEASE = Area.MARKETPLACE, Area.LEASING
ANYONE: Callable = lambda who, relation: True  # noqa: E731


async def applications_of(factory, clock, w: World, status: AppStatus) -> dict:
    """For each holder and relation, an application whose applicant is the relation's person."""
    now = clock.now()
    async with factory() as s:
        category, region = m.Category(name="Спецтехника"), m.Region(name="Москва")
        s.add_all([category, region])
        await s.flush()
        ids = {}
        for key, owner in w.owners.items():
            if owner is None:
                continue
            app = m.Application(status=status, applicant_id=owner, category_id=category.id, region_id=region.id,
                                description="Экскаватор", amount=Decimal("5000000"), term_months=36,
                                client_name="ООО Ромашка", client_phone="+79001234567", created_at=now,
                                updated_at=now)
            s.add(app)
            await s.flush()
            ids[key] = app.id
        await s.commit()
    return ids


async def cases_of(factory, clock, w: World, status: LeaseStatus) -> dict:
    """For each holder and relation, a lease case whose salesperson is the relation's person (and, for their own,
    its client in the bot too); at the back office's check, a document waiting for it."""
    now = clock.now()
    async with factory() as s:
        stage = (await s.scalars(select(m.DealStatus).where(m.DealStatus.pipeline == Pipeline.LEASING,
                                                            m.DealStatus.code == status))).first()
        ids = {}
        for (who, relation), owner in w.owners.items():
            if owner is None:
                continue
            client = m.Client(name=f"Klient {who}-{relation}", user_id=owner if relation == "own" else None,
                              created_at=now)
            s.add(client)
            await s.flush()
            deal = m.Deal(pipeline=Pipeline.LEASING, name=f"{who}-{relation}", status_id=stage.id,
                          client_id=client.id, responsible_id=owner, created_at=now)
            s.add(deal)
            await s.flush()
            s.add(m.LeaseCase(deal_id=deal.id, status=status, client_id=client.id, sales_id=owner,
                              subject="Koparka", currency="PLN"))
            row = m.LeaseFile(deal_id=deal.id, kind="id_card", status=LeaseFileStatus.SENT, tg_file_id="F1",
                              created_at=now)
            s.add(row)
            await s.flush()
            ids[who, relation] = (deal.id, row.id)
        await s.commit()
    return ids


async def _books(u, actor_id, deal_id):
    async with u() as unit:
        await bookkeeper(unit, actor_id, deal_id)


def _cases(cfg) -> dict[str, tuple]:
    """name → (area's records, their status, the call, what the rules must allow, what the seed's table adds)."""
    return {
        "marketplace.read (the card)": ("app", AppStatus.MODERATION,
                                        lambda u, a, r: applications.card(u(), a, r), ((MKT, Action.READ),), ANYONE),
        "marketplace.read (the deal room's history)": ("app", AppStatus.DOCUMENTS,
                                                       lambda u, a, r: rooms.history(u(), a, r, 1),
                                                       ((MKT, Action.READ),), ANYONE),
        # the form of an application sent back with a question is its applicant's to answer
        "marketplace.edit (the form)": ("app", AppStatus.CLARIFICATION,
                                        lambda u, a, r: applications.draft_of(u(), a, r), ((MKT, Action.EDIT),),
                                        lambda who, relation: relation == "own"),
        # moderation is an admin's (the seed's table)
        "marketplace.move (moderation)": ("app", AppStatus.MODERATION, lambda u, a, r: applications.moderate(
            u(), a, r, AppStatus.REJECTED, "Дубль", cfg), ((MKT, Action.MOVE),),
            lambda who, relation: who == Role.ADMIN),
        "leasing.read (the case)": ("lease", LeaseStatus.TO_PAYMENT, lambda u, a, r: desk.view(u(), a, r[0]),
                                    ((LEASE, Action.READ),), ANYONE),
        # a case is cancelled by its salesperson, its client or an admin (the seed's table); one's own case here has
        # its holder for its client in the bot too; a team's head works their team's cases as the salesperson
        "leasing.move (cancel)": ("lease", LeaseStatus.DRAFT, lambda u, a, r: lease_app.cancel(u(), a, r[0]),
                                  ((LEASE, Action.READ), (LEASE, Action.MOVE)),
                                  lambda who, relation: who in (Role.SALES, Role.CLIENT, Role.ADMIN, Holder.HEAD)
                                  or relation == "own"),
        "leasing.back_office_check (a document)": ("lease", LeaseStatus.VERIFICATION,
                                                   lambda u, a, r: verification.review_file(u(), a, r[1], True),
                                                   ((LEASE, Action.READ), (LEASE, Permission.BACK_OFFICE_CHECK)),
                                                   ANYONE),
        "leasing.lease_books (a contract's books)": ("lease", LeaseStatus.TO_PAYMENT,
                                                     lambda u, a, r: _books(u, a, r[0]),
                                                     ((LEASE, Action.READ), (LEASE, Permission.LEASE_BOOKS)), ANYONE),
    }


CASE_NAMES = list(_cases(None))


@pytest.mark.parametrize("name", CASE_NAMES)
async def test_every_role_and_relation_is_allowed_or_refused_as_the_rules_say(name, uow, factory, clock, cfg):
    kind, status, call, needs, seed = _cases(cfg)[name]
    w = await build(uow, factory, clock, "lead")
    records = await (applications_of if kind == "app" else cases_of)(factory, clock, w, status)
    wrong = []
    for who in HOLDERS:
        actor_id = w.actors.get(who, OUTSIDER_ID)
        for relation in RELATIONS:
            if who is None and relation == "own":
                continue  # an outsider owns nothing
            expected = allowed(who, relation, *needs) and seed(who, relation)
            got = await outcome(lambda: call(uow, actor_id, records[who, relation]))  # noqa: B023
            if got != expected:
                wrong.append((str(who), relation, "allowed" if got else "refused"))
    assert wrong == [], name


def test_every_named_permission_of_the_leasing_area_is_in_the_matrix():
    tested = {needs[-1][1] for *_, needs, _ in _cases(None).values()}
    assert {Permission.BACK_OFFICE_CHECK, Permission.LEASE_BOOKS} <= tested
    assert {Action.READ, Action.EDIT, Action.MOVE} <= tested
