"""The one door to a Polish lessor's case for every part of the leasing area (origination, launch, books): ``load``
reloads it and says who the person is towards it, ``move`` is the one way it moves
(core.domain.leasing.case.TRANSITIONS checked, audited, in the deal's feed, told to whom it concerns)."""

from __future__ import annotations

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals import Pipeline
from core.domain.kernel import feed as said
from core.domain.kernel import permissions
from core.domain.kernel.errors import Forbidden, InvalidInput, found
from core.domain.kernel.events import LeaseEnded
from core.domain.kernel.notices import LeaseMoved
from core.domain.kernel.permissions import Action, Area, Permission, Record
from core.domain.leasing import case as rules
from core.domain.leasing.case import Actor, LeaseStatus
from core.services.kernel import access, reactions


async def record(uow: UnitOfWork, case: m.LeaseCase, client: m.Client) -> Record:
    """What the access rules know of a case: its salesperson holds it, its client (in the bot) owns it too; it is in
    its salesperson's teams (their heads reach it)."""
    teams = frozenset(await uow.access_groups.of_user(case.sales_id)) if case.sales_id else frozenset()
    return Record(owner_id=case.sales_id, teams=teams, members=frozenset({client.user_id} - {None}))


async def load(uow: UnitOfWork, actor_id: int, deal_id: int, *, lock: bool = False
               ) -> tuple[m.User, m.LeaseCase, m.Client, set[Actor]]:
    """The case, reloaded (under a row lock when a move is decided), and who the person is towards it: refused
    unless the access rules let them read it (area «leasing») and they are somebody to it at its stage. The back
    office's capacity is who holds Permission.BACK_OFFICE_CHECK on it, the bookkeepers' who holds LEASE_BOOKS."""
    user = await uow.users.get_or_raise(actor_id)
    case = found(await uow.leases.case(deal_id, lock=lock))
    client = await uow.clients.get(case.client_id)
    person = await access.actor(uow, user.id, user)
    facts = await record(uow, case, client)
    if not permissions.allows(person, Area.LEASING, Action.READ, facts):
        raise Forbidden()
    actors = rules.actors_for(roles=person.roles, user_id=user.id, sales_id=case.sales_id,
                              client_user_id=client.user_id, status=LeaseStatus(case.status),
                              heads=permissions.allows_as_head(person, Area.LEASING, Action.MOVE, facts),
                              checks=permissions.allows(person, Area.LEASING, Permission.BACK_OFFICE_CHECK, facts),
                              books=permissions.allows(person, Area.LEASING, Permission.LEASE_BOOKS, facts))
    if not actors:
        raise Forbidden()
    return user, case, client, actors


async def move(uow: UnitOfWork, case: m.LeaseCase, target: LeaseStatus, actors: set[Actor], actor_id: int | None,
                reason: str | None = None, *, told: dict | None = None) -> None:
    """The one way a case moves: the table's check, the case and its deal together, the audit, the feed, and the
    notices to its salesperson and its client (the one who moved it is not told); ``told``, when given, is what the
    notice says instead of ``reason`` (codes and params the bot names: a document's kind, the scoring's rules)."""
    current = LeaseStatus(case.status)
    if actor_id is not None:  # a person's move: the access rules' say first (the scheduler's runs are the system's)
        client = await uow.clients.get(case.client_id)
        if not permissions.allows(await access.actor(uow, actor_id), Area.LEASING, Action.MOVE,
                                  await record(uow, case, client)):
            raise Forbidden()
    rules.check_transition(current, target, actors)
    if (current, target) in rules.REASON_REQUIRED and not reason:
        raise InvalidInput("lease_reason_required")
    status = await uow.statuses.first(Pipeline.LEASING, target)
    was = await uow.statuses.first(Pipeline.LEASING, current)
    await uow.leases.move(case, target, status.id)
    uow.audit.record(entity="lease", entity_id=case.deal_id, actor_id=actor_id, action="move",
                     from_status=current, to_status=target, comment=reason)
    uow.feed.tell(case.deal_id, actor_id, said.moved(Pipeline.LEASING, status, was, reason))
    client = await uow.clients.get(case.client_id)
    for whom in {case.sales_id, client.user_id} - {None, actor_id}:
        uow.outbox.notify(whom, LeaseMoved(deal_id=case.deal_id, subject=case.subject, status=target,
                                           reader="sales" if whom == case.sales_id else "client",
                                           **(told if told is not None else {"reason": reason})))
    if target in rules.ENDS:  # what an end sets off is the reactions table's (core.services.kernel.reactions)
        await reactions.publish(uow, LeaseEnded(deal_id=case.deal_id, status=target.value, actor_id=actor_id))
