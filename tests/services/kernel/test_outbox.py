"""The outbox shared by several senders: a row is held by one sender at a time (a lease), a dead sender's rows
come back when its lease ends, and two senders draining one queue deliver every row exactly once."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.sender import OutboxWorker
from core.db.kernel import models as m
from core.domain.kernel.notices import Payload
from core.services.kernel import outbox
from tests.factories import person


@dataclass(frozen=True)
class Probe(Payload):
    """A notice of the tests' own: the rows' kind and payload are all the sender here looks at."""

    n: int


Probe.kind = "test"


async def queue(uow, user_ids, n_each: int) -> None:
    async with uow() as u:
        for user_id in user_ids:
            for i in range(n_each):
                u.outbox.notify(user_id, Probe(n=i))
        await u.commit()


async def test_two_senders_deliver_every_row_exactly_once(uow, factory, cfg):
    people = [await person(uow, cfg, 5000 + i, f"П{i}") for i in range(30)]
    await queue(uow, [p.id for p in people], 10)  # 300 rows
    delivered: Counter[int] = Counter()

    async def deliver(row):
        await asyncio.sleep(0.001)  # a Bot API call takes a moment: the senders overlap
        delivered[row.id] += 1
        return []

    a, b = (OutboxWorker(uow, deliver, batch=25) for _ in range(2))
    totals = await asyncio.gather(a.drain(), b.drain())
    assert sum(totals) == 300 and all(totals)  # both worked
    assert len(delivered) == 300 and set(delivered.values()) == {1}
    async with factory() as s:
        assert await s.scalar(select(func.count()).select_from(m.Outbox).where(m.Outbox.status == "sent")) == 300


async def test_a_dead_senders_rows_come_back_when_its_lease_ends(uow, cfg, clock):
    p = await person(uow, cfg, 5100, "Пётр")
    await queue(uow, [p.id], 2)
    held = await outbox.claim(uow(), 10, lease=60)  # then the process dies
    assert len(held) == 2
    clock.advance(seconds=59)
    assert await outbox.claim(uow(), 10, lease=60) == []  # still held
    clock.advance(seconds=2)
    again = await outbox.claim(uow(), 10, lease=60)
    assert [r.id for r in again] == [r.id for r in held] and {r.attempts for r in again} == {2}


async def test_a_working_sender_renews_its_lease(uow, cfg, clock):
    p = await person(uow, cfg, 5200, "Пётр")
    await queue(uow, [p.id], 1)
    held = await outbox.claim(uow(), 10, lease=1)
    clock.advance(seconds=1.1)
    await outbox.renew(uow(), [r.id for r in held], lease=60)
    assert await outbox.claim(uow(), 10, lease=60) == []  # the lease was pushed on: nobody else takes it


async def test_a_standalone_unit_leaves_the_one_it_came_from_transactional(uow, cfg):
    """A handler's unit of work read through a standalone service, then wrote: the write is still one transaction
    (before, ``standalone()`` flipped a flag on the shared unit for the rest of the update)."""
    p = await person(uow, cfg, 5300, "Пётр")
    unit = uow()
    async with unit.standalone() as reader:
        assert reader is not unit and await reader.users.get(p.id) is not None
    async with unit:
        unit.outbox.notify(p.id, Probe(n=1))
        await unit.session.flush()
        # rolled back on leaving without commit: nothing of it was written outside a transaction
    async with uow() as check:
        assert (await check.session.scalars(select(m.Outbox).where(m.Outbox.user_id == p.id))).all() == []
