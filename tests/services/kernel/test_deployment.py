"""What the deployment runs, on a real database: stored once, read by everyone, only an admin changes it; a manager
needs a leasing company only where the marketplace runs; the admin is told of an accepted invite."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.deployment import EVERYTHING, Area, Need
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.roles import Role
from core.services.kernel import deployment, documents, users
from tests.factories import ADMIN_TG, person


async def test_never_answered_is_everything_and_an_answer_is_kept(uow, factory, cfg):
    admin = await person(uow, cfg, ADMIN_TG, "Админ")
    client = await person(uow, cfg, 3001, "Иван")
    assert await deployment.running(uow()) == EVERYTHING and not await deployment.answered(uow())
    with pytest.raises(Forbidden):
        await deployment.set_areas(uow(), client.id, frozenset({Area.LEADS}))
    with pytest.raises(InvalidInput):
        await deployment.set_areas(uow(), admin.id, frozenset())
    await deployment.set_areas(uow(), admin.id, frozenset({Area.LEASING, Area.LEADS}))
    assert await deployment.running(uow()) == {Area.LEADS, Area.LEASING}
    setup = await deployment.setup(uow(), admin.id)
    assert setup.missing == [Need.SOURCE, Need.MANAGER, Need.SELLER, Need.SALES, Need.RISK, Need.BACK_OFFICE]
    await documents.set_seller(uow(), admin.id, "Leasing Polska sp. z o.o.\nNIP 5250000000")
    assert Need.SELLER not in (await deployment.setup(uow(), admin.id)).missing  # the lessor's details typed in
    async with factory() as s:
        row = await s.scalar(select(m.AuditLog).where(m.AuditLog.entity == "deployment"))
        assert (row.action, row.comment) == ("areas", "never -> leads,leasing")


async def test_a_manager_without_a_company_where_no_marketplace_runs(uow, factory, cfg):
    admin = await person(uow, cfg, ADMIN_TG, "Админ")
    # everything runs: the operator's own manager needs no company; only a partner's manager is invited to one
    staff = await users.create_invite(uow(), admin.id, Role.MANAGER, None, cfg)
    assert staff.company_id is None
    await deployment.set_areas(uow(), admin.id, frozenset({Area.LEADS}))
    with pytest.raises(InvalidInput):  # no marketplace: no partner companies to invite to
        await users.create_invite(uow(), admin.id, Role.MANAGER, await _company(factory), cfg)
    invite = await users.create_invite(uow(), admin.id, Role.MANAGER, None, cfg)
    anna = await person(uow, cfg, 2001, "Анна")
    joined = await users.accept_invite(uow(), anna.id, invite.token)
    assert (joined.role, joined.company) == (Role.MANAGER, None)
    async with factory() as s:
        [notice] = (await s.scalars(select(m.Outbox).where(m.Outbox.kind == "invite_accepted"))).all()
    assert (notice.user_id, notice.payload) == (admin.id, {"name": "Анна", "role": "manager", "company": None,
                                                         "team": None})


async def _company(factory) -> int:
    async with factory() as s:
        company = m.Company(name="Альфа-Лизинг")
        s.add(company)
        await s.commit()
        return company.id
