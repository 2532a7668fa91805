"""A case as its screens show it (its rows and the viewer's capacities towards it), a person's cases, and the messages
written on a case."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.deals import FeedKind
from core.domain.kernel import permissions
from core.domain.kernel.errors import Conflict, Forbidden
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import LeaseMessage
from core.domain.kernel.permissions import Action, Area
from core.domain.kernel.roles import Role, holds
from core.domain.leasing import case as rules
from core.domain.leasing.case import Actor, ClientKind, LeaseOfferStatus, LeaseStatus, Security
from core.services.kernel import access
from core.services.leasing.case import load
from core.services.leasing.registries import WHITELIST, parse_subject


@dataclass
class Case:
    """A case as its screens need it: the rows, and the capacities the viewer has towards it."""

    case: m.LeaseCase
    deal: m.Deal
    client: m.Client
    vendor: m.Client | None
    offers: list[m.LeaseOffer]
    consents: list[m.LeaseConsent]
    securities: list[m.LeaseSecurity]
    fetch: m.RegistryFetch | None
    conditions: list[m.LeaseCondition]
    files: list[m.LeaseFile]
    actors: set[Actor]
    moves: list[LeaseStatus]
    identity: list[m.LeaseIdentityCheck] = field(default_factory=list)  # newest first
    accepted_by: m.User | None = None  # the salesperson who recorded the accepted version on the client's behalf
    endings: list[m.LeaseEnding] = field(default_factory=list)
    decider: m.User | None = None  # who decided the newest identity check, when a person did
    sales: m.User | None = None  # the case's salesperson: the client's adviser

    @property
    def file_kinds(self) -> tuple[str, ...]:
        """The kinds of file the case takes: its client's checklist, its securities', the signed scan."""
        return rules.file_kinds(ClientKind(self.client.kind), {Security(x.kind) for x in self.securities})

    @property
    def mismatches(self) -> list[str] | None:
        """The client's card against what G2I fetched (None: nothing fetched to compare with)."""
        subject = parse_subject(self.fetch.payload) if self.fetch and self.fetch.ok and self.fetch.payload else None
        if subject is None:
            return None
        c = self.client
        return rules.data_mismatches({"name": c.name, "nip": c.nip, "regon": c.regon, "krs": c.krs},
                                     {"name": subject.name, "nip": subject.nip, "regon": subject.regon,
                                      "krs": subject.krs})

    @property
    def offer(self) -> m.LeaseOffer | None:
        """The accepted version, or else the newest."""
        return next((o for o in self.offers if o.id == self.case.offer_id), self.offers[0] if self.offers else None)


async def view(uow: UnitOfWork, actor_id: int, deal_id: int) -> Case:
    async with uow:
        _, case, client, actors = await load(uow, actor_id, deal_id)
        vendor = await uow.clients.get(case.vendor_id) if case.vendor_id else None
        offers = await uow.leases.offers(deal_id)
        if not actors - {Actor.CLIENT}:  # a client reads the versions sent to them, never the drafts
            offers = [o for o in offers if o.status != LeaseOfferStatus.DRAFT]
        accepted = next((o for o in offers if o.id == case.offer_id), None)
        by = await uow.users.get(accepted.accepted_by) if accepted and accepted.accepted_by else None
        checks = await uow.leases.identity_checks(deal_id)
        return Case(case, await uow.deals.get(deal_id), client, vendor, offers,
                    await uow.leases.consents(deal_id), await uow.leases.securities(deal_id),
                    await uow.leases.last_fetch(deal_id, WHITELIST), await uow.leases.conditions(deal_id),
                    await uow.leases.files(deal_id), actors, rules.allowed_targets(LeaseStatus(case.status), actors),
                    checks, by, await uow.leases.endings(deal_id),
                    await uow.users.get(checks[0].decided_by) if checks and checks[0].decided_by else None,
                    await uow.users.get(case.sales_id) if case.sales_id else None)


async def mine(uow: UnitOfWork, actor_id: int) -> list[m.LeaseCase]:
    """The cases a person works, by every role they hold: a salesperson's own, a client's, an analyst's (every case
    from its filing on), of the back office (in verification, the running contracts) or of the
    collections team; an admin's: all the open ones. A case reached by two roles is listed once."""
    async with uow:
        user = await uow.users.get_or_raise(actor_id)
        if holds(user, Role.ADMIN):
            return list(await uow.leases.in_statuses([s for s in LeaseStatus if s not in rules.FINAL]))
        found: dict[int, m.LeaseCase] = {}
        lists = []
        if holds(user, Role.SALES):
            lists.append(await uow.leases.of_sales(user.id))
        person = await access.actor(uow, user.id, user)
        if person.heads:  # a team's head: the cases of their team's salespeople (and of the teams under it)
            teams = sorted(permissions.teams_reached(person, permissions.head_scope(person, Area.LEASING,
                                                                                   Action.READ)))
            if teams:
                lists.append(await uow.leases.of_teams(teams))
        if holds(user, Role.RISK):
            # every case from its filing on (an application the scoring approved by itself included), as the
            # analysts may read them (rules.RISK_SEES), not only the ones waiting for them
            lists.append(await uow.leases.in_statuses(sorted(rules.RISK_SEES)))
        if holds(user, Role.BACK_OFFICE):  # the check of the set, the launch, the running contracts
            lists.append(await uow.leases.in_statuses([LeaseStatus.VERIFICATION, LeaseStatus.TO_PAYMENT,
                                                       LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED, *rules.ENDING]))
        if holds(user, Role.COLLECTIONS):
            lists.append(await uow.leases.in_statuses([LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED,
                                                       LeaseStatus.TO_PAYMENT]))
        if not lists:
            lists.append(await uow.leases.of_client_user(user.id))
        for rows in lists:
            for row in rows:
                found.setdefault(row.deal_id, row)
        return list(found.values()) if len(lists) == 1 else sorted(found.values(), key=lambda c: -c.deal_id)


async def write(uow: UnitOfWork, actor_id: int, deal_id: int, *, chat_id: int, message_id: int, text: str | None,
                file_id: str | None = None, file_kind: str | None = None, file_name: str | None = None) -> int:
    """Self care's «komunikacja»: the client writes to the case's salesperson, or the salesperson to the client (a
    text, a photo or a document), through the bot; the message is copied to the other side and kept in the deal's
    feed. Returns whom it went to."""
    if text is not None:
        text = clean_text(text, max_len=4000)
    async with uow:
        user, case, client, actors = await load(uow, actor_id, deal_id)
        if Actor.CLIENT in actors:
            role, to, name = "client", case.sales_id, client.name
        elif Actor.SALES in actors:
            role, to, name = "sales", client.user_id, user.name
        else:
            raise Forbidden()
        if to is None:
            raise Conflict("lease_client_not_in_bot")
        if case.status in rules.FINAL:
            raise rules.LeaseLocked("lease_application_locked", status=case.status)
        uow.feed.write(deal_id, actor_id, FeedKind.COMMENT, text, file_id=file_id, file_kind=file_kind,
                       file_name=file_name)
        uow.outbox.notify(to, LeaseMessage(deal_id=deal_id, from_role=role, from_chat_id=chat_id,
                                           message_id=message_id, text=text if file_id is None else None,
                                           caption=text if file_id is not None else None, name=name))
        await uow.commit()
        return to


async def client_write(uow: UnitOfWork, actor_id: int, *, chat_id: int, message_id: int, text: str | None,
                       file_id: str | None = None, file_kind: str | None = None,
                       file_name: str | None = None) -> int | None:
    """A client's words outside any dialog: to the adviser of their newest open case, as «💬 Napisz» on it does.
    None when they have no open case (their help says how one starts)."""
    async with uow:
        open_cases = [c.deal_id for c in await uow.leases.of_client_user(actor_id) if c.status not in rules.FINAL]
    if not open_cases:
        return None
    return await write(uow, actor_id, max(open_cases), chat_id=chat_id, message_id=message_id, text=text,
                       file_id=file_id, file_kind=file_kind, file_name=file_name)

