"""A database ready for a fan-out: an admin, a leasing company, N managers whose profiles match everything (made
in bulk, as their invites would), and a client's application waiting for moderation. Approving it queues one
message per manager. Used by the fault suite and by bench/fanout.py. The real bot process runs on the machine's
clock, so what is prepared for it is too."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import SystemClock
from core.db.kernel import models as m
from core.db.kernel.engine import create_engine
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.privacy import CONSENT_VERSION
from core.domain.marketplace.applications import AppStatus
from core.services.kernel import directories, privacy, users
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory
from core.services.marketplace import applications
from core.services.marketplace.applications import Draft
from migrations.runner import upgrade
from tests.e2e.process import ADMIN, CLIENT
from tests.factories import units

FIRST_MANAGER_TG = 100_000
DISPATCHED = "Новая заявка №"  # what the managers are sent (notify.dispatched)


@dataclass
class FanOut:
    engine: AsyncEngine
    admin_id: int
    app_id: int
    managers: list[int]  # their Telegram ids
    cfg: CoreConfig

    def uow(self) -> UnitOfWork:
        return units(self.engine, SystemClock())()

    async def approve(self) -> None:
        """The admin's «Одобрить»: the application goes to every matching manager (one outbox row each)."""
        await applications.moderate(self.uow(), self.admin_id, self.app_id, AppStatus.DISPATCHED, None, self.cfg)

    async def close(self) -> None:
        await self.engine.dispose()


async def insert_people(conn, tg_ids: list[int], name: str, *, role: str = "client", consented: bool = True,
                        **fields) -> list[int]:
    """People in bulk, as the bot would have registered them (and, ``consented``, after «Согласен»)."""
    now = SystemClock().now()
    consent = {"consent_version": CONSENT_VERSION, "consent_at": now} if consented else {}
    for start in range(0, len(tg_ids), 5000):
        await conn.execute(insert(m.User), [
            {"tg_id": tg, "name": f"{name} {tg}", "role": role, "locale": "ru", "timezone": "Europe/Moscow",
             "blocked": False, "created_at": now, **consent, **fields} for tg in tg_ids[start:start + 5000]])
    return list((await conn.execute(select(m.User.id).where(m.User.tg_id.in_(tg_ids)))).scalars().all())


async def prepare(db_url: str, managers: int) -> FanOut:
    engine = create_engine(db_url)
    await upgrade(engine)
    cfg = CoreConfig()

    uow = units(engine, SystemClock())

    admin = await users.touch(uow(), users.TgPerson(ADMIN[0], ADMIN[1]), cfg, frozenset({ADMIN[0]}))
    company = await directories.add(uow(), admin.id, Directory.COMPANIES, "Альфа-Лизинг")
    category = await directories.add(uow(), admin.id, Directory.CATEGORIES, "Спецтехника")
    region = await directories.add(uow(), admin.id, Directory.REGIONS, "Москва")
    tg_ids = list(range(FIRST_MANAGER_TG, FIRST_MANAGER_TG + managers))
    async with engine.begin() as conn:
        ids = await insert_people(conn, tg_ids, "Менеджер", role="manager", company_id=company.id)
        for start in range(0, len(ids), 5000):
            await conn.execute(insert(m.ManagerProfile), [{"user_id": i, "categories": [], "regions": []}
                                                         for i in ids[start:start + 5000]])
    client = await users.touch(uow(), users.TgPerson(CLIENT[0], CLIENT[1]), cfg, frozenset())
    await privacy.consent(uow(), client.id)
    app = await applications.submit(uow(), client.id, Draft(
        category_id=category.id, description="Экскаватор JCB 3CX", amount=Decimal("4500000"), term_months=36,
        region_id=region.id, client_name="ООО Ромашка", client_phone="+79001234567"), cfg)
    return FanOut(engine, admin.id, app.id, tg_ids, cfg)


def received(api, managers: list[int]) -> Counter[int]:
    """How many times each manager was sent the application."""
    return Tally(managers).update(api)


class Tally:
    """``received`` kept up to date by reading only the calls that came since the last look: a benchmark that
    looks every 0.2 s must not hold up the fake server (they share an event loop) with a pass over all 10,000
    calls, or requests queue behind it and are counted as arriving together."""

    def __init__(self, managers: list[int]) -> None:
        self.wanted, self.got, self._seen = set(managers), Counter(), 0

    def update(self, api) -> Counter[int]:
        calls, start, self._seen = api.calls, self._seen, len(api.calls)
        for call in calls[start:self._seen]:
            chat = call.params.get("chat_id")
            if chat is not None and int(chat) in self.wanted and DISPATCHED in (call.params.get("text") or ""):
                self.got[int(chat)] += 1
        return self.got
