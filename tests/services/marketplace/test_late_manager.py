"""A manager who comes after an approval (by invite, by a role given, or by changing their profile) gets the
applications that are still collecting offers and match them: each pushed once (the dispatch log), and listed in
their inbox. What is closed, or does not match, or was already sent, is not."""

from __future__ import annotations

from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.roles import Role
from core.domain.marketplace.applications import AppStatus
from core.services.kernel import users
from core.services.marketplace import applications
from core.services.marketplace.applications import ListKind
from tests.factories import draft, person, world


async def dispatched(factory, user_id: int) -> list[int]:
    async with factory() as s:
        rows = await s.scalars(select(m.Outbox).where(m.Outbox.kind == "app_dispatched", m.Outbox.user_id == user_id)
                               .order_by(m.Outbox.id))
        return [r.payload["app_id"] for r in rows]


async def logged(factory, user_id: int) -> list[int]:
    async with factory() as s:
        return list(await s.scalars(select(m.DispatchLog.application_id).where(m.DispatchLog.manager_id == user_id)
                                    .order_by(m.DispatchLog.id)))


async def approved(uow, cfg, w, **over) -> int:
    app = await applications.submit(uow(), w["client"].id, draft(w, **over), cfg)
    await applications.moderate(uow(), w["admin"].id, app.id, AppStatus.DISPATCHED, None, cfg)
    return app.id


async def test_a_manager_invited_after_an_approval_gets_what_is_open(uow, factory, cfg):
    w = await world(uow, cfg)
    first = await approved(uow, cfg, w)
    second = await approved(uow, cfg, w)
    rejected = await applications.submit(uow(), w["client"].id, draft(w), cfg)
    await applications.moderate(uow(), w["admin"].id, rejected.id, AppStatus.REJECTED, "нет", cfg)
    waiting = await applications.submit(uow(), w["client"].id, draft(w), cfg)  # still in moderation

    invite = await users.create_invite(uow(), w["admin"].id, Role.MANAGER, w["B"].id, cfg)
    vera = await person(uow, cfg, 2050, "Вера")
    vera = await users.accept_invite(uow(), vera.id, invite.token)

    assert await dispatched(factory, vera.id) == [first, second]  # pushed, oldest first
    assert await logged(factory, vera.id) == [first, second]
    inbox = await applications.page(uow(), vera.id, ListKind.INCOMING, 0)
    assert sorted(a.id for a in inbox.items) == [first, second]
    assert waiting.id not in await logged(factory, vera.id)

    # her profile edited: nothing is sent twice
    await users.set_profile_range(uow(), vera.id, "amount", 1, 100_000_000)
    await users.toggle_profile_item(uow(), vera.id, "categories", w["category"].id)
    assert await dispatched(factory, vera.id) == [first, second]

    # approved later: the usual dispatch, once
    waiting_id = waiting.id
    await applications.moderate(uow(), w["admin"].id, waiting_id, AppStatus.DISPATCHED, None, cfg)
    assert await dispatched(factory, vera.id) == [first, second, waiting_id]


async def test_a_profile_that_comes_to_match_gets_the_open_applications(uow, factory, cfg):
    w = await world(uow, cfg)
    big = await approved(uow, cfg, w, amount=50_000_000)
    small = await approved(uow, cfg, w)  # 5 000 000
    boris = w["b1"]
    before = await dispatched(factory, boris.id)
    assert before == [big, small]  # an empty profile takes everything
    # a manager whose profile did not match when the applications were approved
    invite = await users.create_invite(uow(), w["admin"].id, Role.MANAGER, w["A"].id, cfg)
    gleb = await person(uow, cfg, 2060, "Глеб")
    await users.set_role(uow(), w["admin"].id, gleb.id, Role.AGENT)  # not a manager yet: nothing
    assert await dispatched(factory, gleb.id) == []
    gleb = await users.accept_invite(uow(), gleb.id, invite.token)
    assert await dispatched(factory, gleb.id) == [big, small]

    # a new manager given the role by an admin, whose profile is then narrowed and widened
    dina = await person(uow, cfg, 2070, "Дина")
    await users.set_role(uow(), w["admin"].id, dina.id, Role.MANAGER, w["A"].id)
    assert await dispatched(factory, dina.id) == [big, small]

    # one whose profile excluded them: its widening brings them
    async with factory() as s:
        await s.execute(m.DispatchLog.__table__.delete().where(m.DispatchLog.manager_id == boris.id))
        await s.commit()
    await users.set_profile_range(uow(), boris.id, "amount", 1_000_000, 10_000_000)
    assert await dispatched(factory, boris.id) == [big, small, small]  # the small one again: its log was cleared
    await users.set_profile_range(uow(), boris.id, "amount", None, None)
    assert await dispatched(factory, boris.id) == [big, small, small, big]


async def test_a_manager_who_blocked_the_bot_or_whose_company_is_archived_gets_nothing(uow, factory, cfg):
    w = await world(uow, cfg)
    app_id = await approved(uow, cfg, w)
    async with factory() as s:  # as at approval: neither is sent to
        await s.execute(m.DispatchLog.__table__.delete())
        await s.execute(m.User.__table__.update().where(m.User.id == w["a1"].id).values(blocked=True))
        await s.execute(m.Company.__table__.update().where(m.Company.id == w["B"].id).values(archived=True))
        await s.commit()
    for who in ("a1", "b1"):
        await users.set_profile_range(uow(), w[who].id, "term", 1, 120)
        assert await logged(factory, w[who].id) == []
    await users.set_profile_range(uow(), w["a2"].id, "term", 1, 120)  # the one who can take it
    assert await logged(factory, w["a2"].id) == [app_id]
