"""A contract's account as its reader sees it (📒): the ledger's charges, receipts and fakturas, and the late interest
grown to today (core.services.leasing.books.interest), which «Saldo do zapłaty» includes."""

from __future__ import annotations

from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Conflict
from core.domain.leasing import case as rules
from core.domain.leasing.case import Actor, LeaseStatus
from core.services.kernel.config import CoreConfig
from core.services.leasing import case as lease
from core.services.leasing.books.interest import accrued_interest
from core.services.leasing.books.ledger import ZERO, Account, today


async def account(uow: UnitOfWork, cfg: CoreConfig, actor_id: int, deal_id: int) -> Account:
    """«Samoobsługa»: the schedule in force, what was charged and paid, the fakturas, the balance; the client's own
    contract, or staff who see it."""
    async with uow:
        _, case, client, actors = await lease.load(uow, actor_id, deal_id)
        if case.status not in rules.RUNNING:
            raise Conflict("lease_not_running")
        return await _account(uow, cfg, case, client, actors)


async def _account(uow: UnitOfWork, cfg: CoreConfig, case: m.LeaseCase, client: m.Client, actors: set[Actor]
                   ) -> Account:
    charges = await uow.books.charges(case.deal_id)
    paid: dict[int, Decimal] = {}
    for alloc, _ in await uow.books.allocations(case.deal_id):
        paid[alloc.charge_id] = paid.get(alloc.charge_id, ZERO) + alloc.amount
    lines = await uow.books.lines(case.deal_id, case.schedule_version) if case.schedule_version else []
    day = today(uow, cfg)
    accrued = await accrued_interest(uow, case, day) if case.status != LeaseStatus.CLOSED else ZERO
    return Account(case, client, lines, charges, await uow.books.receipts(case.deal_id),
                   await uow.books.invoices(case.deal_id), paid, await uow.books.dunnings(case.deal_id),
                   await uow.books.suspensions(case.deal_id), await uow.books.insurance(case.deal_id), actors,
                   day, {c.key for c in charges}, accrued)
