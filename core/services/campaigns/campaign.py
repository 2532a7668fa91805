"""The «Холодный обзвон» document (seed 001): a head makes it, fills its rows from a file (a preview first) or from
the «Контрагенты» directory, attaches a survey template, picks the executor, puts it «В работу» and posts it. The
posting starts one deal of the process per row, once: a second press, or a second process, starts nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow, StaleRow, UnitOfWork
from core.domain.campaigns import campaign as rules
from core.domain.campaigns.campaign import MAX_ROWS, CampaignStatus, deal_code
from core.domain.campaigns.counterparties import check_email, check_inn, check_kpp
from core.domain.campaigns.stages import COLD_CALL
from core.domain.campaigns.vocabulary import CAMPAIGN_COLUMNS
from core.domain.deals import DealKind, Pipeline
from core.domain.kernel import permissions
from core.domain.kernel.access import Actor, Scope
from core.domain.kernel.errors import AlreadyDecided, DomainError, Forbidden, InvalidInput, NotFound
from core.domain.kernel.inputs import clean_text, normalize_phone
from core.domain.kernel.notices import CampaignPosted
from core.domain.kernel.paging import clamp
from core.domain.kernel.permissions import Area, Permission
from core.domain.kernel.roles import STAFF, holds
from core.domain.kernel.tables import columns, read_table, values
from core.services.campaigns import stages
from core.services.kernel import access
from core.services.kernel.config import CoreConfig
from core.services.kernel.contacts import contact_for
from core.services.kernel.deal_access import viewer_of

COLUMNS = CAMPAIGN_COLUMNS
PAGE = 10


async def _runner(uow: UnitOfWork, actor_id: int) -> tuple[m.User, Actor]:
    """The seed's «Руководитель» (the access rules' «run_campaign»: an admin, or the head of a team, whatever
    their role), as the rules see them."""
    user = await uow.users.get(actor_id)
    actor = await access.actor(uow, actor_id, user) if user is not None else None
    if actor is None or not permissions.may(actor, Permission.RUN_CAMPAIGN):
        raise Forbidden("campaign_heads_only")
    return user, actor


async def head(uow: UnitOfWork, actor_id: int) -> m.User:
    """The seed's «Руководитель»: an admin or the head of an access group."""
    return (await _runner(uow, actor_id))[0]


async def _author_facts(uow: UnitOfWork, author_id: int) -> permissions.Record:
    """A campaign as the rules see it: its author owns it, their teams are its teams."""
    return permissions.Record(author_id, frozenset(await uow.access_groups.of_user(author_id)))


async def _own(uow: UnitOfWork, actor_id: int, campaign_id: int) -> m.Campaign:
    """The campaign, if this person may change it: its author, an admin, or the head of a team above the author's
    (the rules' «run_campaign» reaching it)."""
    _, actor = await _runner(uow, actor_id)
    campaign = await uow.campaigns.get_or_raise(campaign_id)
    if not permissions.allows(actor, Area.CAMPAIGNS, Permission.RUN_CAMPAIGN,
                              await _author_facts(uow, campaign.author_id)):
        raise Forbidden()
    return campaign


async def editable(uow: UnitOfWork, actor_id: int, campaign_id: int) -> None:
    """Before asking for rows: the campaign is this person's to change, and not posted."""
    async with uow:
        rules.check_editable((await _own(uow, actor_id, campaign_id)).status)


async def may_run(uow: UnitOfWork, actor_id: int) -> bool:
    async with uow:
        try:
            await head(uow, actor_id)
        except Forbidden:
            return False
        return True


async def create(uow: UnitOfWork, actor_id: int, title: str) -> m.Campaign:
    title = clean_text(title, max_len=256)
    async with uow:
        await head(uow, actor_id)
        campaign = uow.add(m.Campaign(title=title, status=CampaignStatus.DRAFT, author_id=actor_id))
        await uow.flush()
        uow.audit.record(entity="campaign", entity_id=campaign.id, actor_id=actor_id, action="create",
                         to_status=CampaignStatus.DRAFT, comment=title)
        await uow.commit()
        return campaign


async def mine(uow: UnitOfWork, actor_id: int) -> list[m.Campaign]:
    async with uow:
        _, actor = await _runner(uow, actor_id)
        if permissions.scope(actor, Area.CAMPAIGNS, Permission.RUN_CAMPAIGN) == Scope.ALL:
            return await uow.campaigns.of(None)
        reached = {author for author in await uow.campaigns.authors()
                   if permissions.allows(actor, Area.CAMPAIGNS, Permission.RUN_CAMPAIGN,
                                         await _author_facts(uow, author))}
        return await uow.campaigns.of(sorted(reached))


# --- the rows ----------------------------------------------------------------------------------------------------

@dataclass
class Preview:
    """What a file would add, by its row numbers: the rows to add (JSON-ready, kept in the dialog until confirmed),
    the bad ones with the reason, the ones repeated in the file, the counterparties already known (linked, not
    made twice) and those already in this campaign (skipped)."""

    add: list[dict] = field(default_factory=list)
    bad: list[tuple[int, str, dict]] = field(default_factory=list)
    repeated: list[tuple[int, int]] = field(default_factory=list)  # row, the earlier row in the file
    known: list[tuple[int, str]] = field(default_factory=list)  # row, the counterparty's name
    present: list[int] = field(default_factory=list)  # rows whose counterparty the campaign already has


def _row(raw: dict[str, str], region: str, max_text: int) -> dict:
    org = clean_text(raw["org"], max_len=256)
    phone = normalize_phone(raw["phone"], region)
    person = clean_text(raw["person"] or org, max_len=128)
    return {"org": org, "phone": phone, "person": person,
            "inn": check_inn(raw["inn"]) if raw["inn"] else None,
            "kpp": check_kpp(raw["kpp"]) if raw.get("kpp") else None,
            "email": check_email(raw["email"]) if raw["email"] else None,
            "city": clean_text(raw["city"], max_len=128) if raw["city"] else None,
            "comment": clean_text(raw["comment"], max_len=max_text) if raw["comment"] else None}


async def preview(uow: UnitOfWork, actor_id: int, campaign_id: int, data: bytes, filename: str,
                  cfg: CoreConfig) -> Preview:
    table = read_table(data, filename)
    if len(table) < 2:
        raise InvalidInput("import_empty")
    if len(table) > MAX_ROWS + 1:
        raise InvalidInput("import_too_many", max_rows=MAX_ROWS)
    cols = columns(table[0], COLUMNS, ("org", "phone"))
    result, parsed = Preview(), []
    seen: dict[str, int] = {}
    for row_no, cells in enumerate(table[1:], start=2):
        try:
            row = _row(values(cells, cols, COLUMNS), cfg.phone_region, cfg.max_text)
        except DomainError as exc:
            result.bad.append((row_no, exc.key, exc.params))
            continue
        keys = [k for k in (row["inn"] and f"inn:{row['inn']}:{row['kpp'] or ''}", f"phone:{row['phone']}") if k]
        earlier = next((seen[k] for k in keys if k in seen), None)
        if earlier is not None:
            result.repeated.append((row_no, earlier))
            continue
        seen.update(dict.fromkeys(keys, row_no))
        parsed.append({"row": row_no, **row})
    async with uow:
        campaign = await _own(uow, actor_id, campaign_id)
        rules.check_editable(campaign.status)
        by_inn = await uow.counterparties.by_requisites([(r["inn"], r["kpp"]) for r in parsed if r["inn"]])
        by_phone = await uow.counterparties.by_phones([r["phone"] for r in parsed])
        present = await uow.campaigns.client_ids(campaign_id)
        names = await uow.counterparties.names(set(by_inn.values()) | set(by_phone.values()))
        for row in parsed:
            known = by_inn.get((row["inn"], row["kpp"])) if row["inn"] else None
            if row["inn"] and known is None and row["kpp"] is None \
                    and len(branches := await uow.counterparties.branches(row["inn"])) > 1:
                result.bad.append((row["row"], "kpp_needed", {"inn": row["inn"], "name": branches[0].name}))
                continue
            known = known or by_phone.get(row["phone"])
            if known in present:
                result.present.append(row["row"])
                continue
            if known is not None:
                result.known.append((row["row"], names.get(known, "")))
            result.add.append(row | {"client_id": known})
    result.bad.sort(key=lambda bad: bad[0])
    return result


async def _counterparty(uow: UnitOfWork, row: dict) -> tuple[m.Client, m.Contact]:
    """The row's counterparty (known by INN or phone, else made now) and the contact card of its phone."""
    client = None
    if row.get("inn"):
        key = (row["inn"], row.get("kpp"))
        known = await uow.counterparties.by_requisites([key])
        client = await uow.clients.get(known[key]) if known else None
    if client is None:
        known = await uow.counterparties.by_phones([row["phone"]])
        client = await uow.clients.get(known[row["phone"]]) if known else None
    if client is None:
        client = uow.add(m.Client(name=row["org"], inn=row.get("inn"), kpp=row.get("kpp"), email=row.get("email"),
                                  city=row.get("city")))
        await uow.flush()
    contact = await contact_for(uow, row["phone"], row["person"], row.get("city"))
    await uow.clients.link(client.id, contact.id)
    return client, contact


async def add_rows(uow: UnitOfWork, actor_id: int, campaign_id: int, rows: list[dict]) -> int:
    """The previewed rows into the campaign (a counterparty already in it is skipped); how many were added."""
    async with uow:
        campaign = await _own(uow, actor_id, campaign_id)
        rules.check_editable(campaign.status)
        if await uow.campaigns.row_count(campaign_id) + len(rows) > MAX_ROWS:
            raise InvalidInput("import_too_many", max_rows=MAX_ROWS)
        present = await uow.campaigns.client_ids(campaign_id)
        added = 0
        for row in rows:
            client, contact = await _counterparty(uow, row)
            if client.id in present:
                continue
            present.add(client.id)
            uow.add(m.CampaignRow(campaign_id=campaign_id, row_no=int(row["row"]), client_id=client.id,
                                  contact_id=contact.id, comment=row.get("comment")))
            added += 1
        uow.audit.record(entity="campaign", entity_id=campaign_id, actor_id=actor_id, action="rows",
                         comment=f"+{added}")
        await uow.commit()
        return added


async def search(uow: UnitOfWork, actor_id: int, query: str) -> list[m.Client]:
    """«Контрагенты» by name or INN, for picking into a campaign."""
    query = clean_text(query, max_len=64)
    async with uow:
        await head(uow, actor_id)
        return await uow.counterparties.search(query, limit=10)


async def pick(uow: UnitOfWork, actor_id: int, campaign_id: int, client_id: int) -> bool:
    """A counterparty from the directory into the campaign (once); whether it was added."""
    async with uow:
        campaign = await _own(uow, actor_id, campaign_id)
        rules.check_editable(campaign.status)
        client = await uow.clients.get_or_raise(client_id)
        if client.id in await uow.campaigns.client_ids(campaign_id):
            return False
        uow.add(m.CampaignRow(campaign_id=campaign_id, row_no=await uow.campaigns.next_row_no(campaign_id),
                              client_id=client.id))
        uow.audit.record(entity="campaign", entity_id=campaign_id, actor_id=actor_id, action="pick",
                         comment=client.name)
        await uow.commit()
        return True


async def remove_row(uow: UnitOfWork, actor_id: int, campaign_id: int, row_id: int) -> None:
    async with uow:
        campaign = await _own(uow, actor_id, campaign_id)
        rules.check_editable(campaign.status)
        if not await uow.campaigns.remove_row(campaign_id, row_id):
            raise NotFound()
        await uow.commit()


# --- the header --------------------------------------------------------------------------------------------------

async def set_template(uow: UnitOfWork, actor_id: int, campaign_id: int, template_id: int) -> m.Campaign:
    async with uow:
        campaign = await _own(uow, actor_id, campaign_id)
        rules.check_editable(campaign.status)
        template = await uow.surveys.template(template_id)
        if template is None or template.archived:
            raise NotFound()
        campaign.template_id = template.id
        uow.audit.record(entity="campaign", entity_id=campaign_id, actor_id=actor_id, action="template",
                         comment=template.name)
        await uow.commit()
        return campaign


async def executors(uow: UnitOfWork, actor_id: int) -> list[m.User]:
    """Whom a campaign may be given to: the company's staff."""
    async with uow:
        user = await head(uow, actor_id)
        return await uow.deals.colleagues(await viewer_of(uow, user))


async def set_executor(uow: UnitOfWork, actor_id: int, campaign_id: int, user_id: int) -> m.Campaign:
    async with uow:
        campaign = await _own(uow, actor_id, campaign_id)
        rules.check_editable(campaign.status)
        executor = await uow.users.get(user_id)
        if executor is None or not holds(executor, *STAFF) or executor.blocked:
            raise InvalidInput("campaign_executor_not_staff")
        campaign.executor_id = executor.id
        uow.audit.record(entity="campaign", entity_id=campaign_id, actor_id=actor_id, action="executor",
                         comment=executor.name)
        await uow.commit()
        return campaign


async def move(uow: UnitOfWork, actor_id: int, campaign_id: int, target: CampaignStatus) -> m.Campaign:
    """«В работу», or back to a draft (posting is ``post``)."""
    if target == CampaignStatus.POSTED:
        raise InvalidInput("stale_button")
    async with uow:
        campaign = await _own(uow, actor_id, campaign_id)
        rules.check_move(campaign.status, target, rows=await uow.campaigns.row_count(campaign_id),
                         template=campaign.template_id is not None, executor=campaign.executor_id is not None)
        uow.audit.record(entity="campaign", entity_id=campaign_id, actor_id=actor_id, action="status",
                         from_status=campaign.status, to_status=target)
        campaign.status = target
        await uow.commit()
        return campaign


async def post(uow: UnitOfWork, actor_id: int, campaign_id: int) -> int:
    """«Провести»: one deal «Сделка с клиентом» per row, the executor responsible, each entering stage 1 with the
    executor's «Приступить к сделке»; the campaign becomes posted in the same transaction, so posting twice (a
    second press, a second process) starts nothing more. Returns how many deals were started."""
    try:
        async with uow:
            campaign = await _own(uow, actor_id, campaign_id)
            if campaign.status == CampaignStatus.POSTED:
                raise AlreadyDecided("campaign_posted")
            template = await uow.surveys.template(campaign.template_id) if campaign.template_id else None
            rules.check_move(campaign.status, CampaignStatus.POSTED, rows=await uow.campaigns.row_count(campaign_id),
                             template=bool(template and template.questions), executor=campaign.executor_id is not None)
            executor = await uow.users.get(campaign.executor_id)
            if executor is None or not holds(executor, *STAFF):
                raise InvalidInput("campaign_executor_not_staff")
            rows = await uow.campaigns.to_post(campaign_id)
            if not rows:  # the campaign has rows (checked above), all with deals: another press posted it meanwhile
                raise AlreadyDecided("campaign_posted")
            now = uow.clock.now()
            status = await uow.statuses.first(Pipeline.COLD_CALL, stages.PROCESSES[Pipeline.COLD_CALL].first.code)
            ids = await uow.campaigns.open_deals([
                {"pipeline": Pipeline.COLD_CALL.value, "name": name[:256], "status_id": status.id,
                 "kind": DealKind.SALE.value, "client_id": client_id, "contact_id": contact_id,
                 "responsible_id": executor.id, "creator_id": actor_id, "budget": Decimal("0.00"),
                 "created_at": now, "version": 1} for _, client_id, contact_id, name in rows])
            await uow.campaigns.link_deals(campaign_id, [{"row": r[0], "deal": d} for r, d in zip(rows, ids,
                                                                                                    strict=True)])
            await stages.start_many(uow, Pipeline.COLD_CALL, [(d, executor.id) for d in ids], actor_id)
            campaign.status, campaign.posted_at = CampaignStatus.POSTED, now
            uow.audit.record(entity="campaign", entity_id=campaign_id, actor_id=actor_id, action="post",
                             from_status=CampaignStatus.IN_WORK, to_status=CampaignStatus.POSTED,
                             comment=str(len(ids)))
            uow.outbox.notify(executor.id, CampaignPosted(campaign_id=campaign_id, title=campaign.title,
                                                          deals=len(ids)))
            await uow.commit()
            return len(ids)
    except (StaleRow, DuplicateRow) as exc:  # another press or process posted it first: its deals stand
        raise AlreadyDecided("campaign_posted") from exc


# --- the view ----------------------------------------------------------------------------------------------------

@dataclass
class CampaignView:
    campaign: m.Campaign
    template: str | None
    executor: str | None
    total: int
    page: int
    rows: list[tuple]  # (row, counterparty, INN, the deal's code, its status row: None before posting)
    editable: bool


async def view(uow: UnitOfWork, actor_id: int, campaign_id: int, page: int = 0) -> CampaignView:
    """The document: its header, and a page of its rows with each one's deal and stage (the executor may look)."""
    async with uow:
        campaign = await uow.campaigns.get_or_raise(campaign_id)
        if campaign.executor_id != actor_id:
            campaign = await _own(uow, actor_id, campaign_id)
        total = await uow.campaigns.row_count(campaign_id)
        page = clamp(page, total, PAGE)
        rows = [(row, name, inn, deal_code(row.deal_id) if row.deal_id else None, stage)
                for row, name, inn, stage in await uow.campaigns.rows(campaign_id, page * PAGE, PAGE)]
        template = await uow.surveys.template(campaign.template_id) if campaign.template_id else None
        executor = await uow.users.get(campaign.executor_id) if campaign.executor_id else None
        return CampaignView(campaign, template.name if template else None, executor.name if executor else None,
                            total, page, rows, campaign.status != CampaignStatus.POSTED)


@dataclass(frozen=True)
class Report:
    """A campaign's results for its head: how many of its deals are at each stage (in the process's order, as the
    statuses directory names them), its КП versions sent, approved and refused, its orders and their payments."""

    campaign: m.Campaign
    stages: list[tuple[str, int]]
    sent: int
    approved: int
    refused: int
    orders: int
    ordered: Decimal
    paid: Decimal


async def report(uow: UnitOfWork, actor_id: int, campaign_id: int) -> Report:
    async with uow:
        campaign = await _own(uow, actor_id, campaign_id)
        r = await uow.campaigns.report(campaign.id)
        names = {s.code: s.name for s in await uow.statuses.of(Pipeline.COLD_CALL, with_archived=True) if s.code}
        stages = [(names.get(s.code, s.code), r["stages"].get(s.code, 0)) for s in COLD_CALL.stages]
        return Report(campaign, stages, r["sent"], r["approved"], r["refused"], r["orders"], r["ordered"],
                      r["paid"])
