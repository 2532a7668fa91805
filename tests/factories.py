"""Building units of work, people and directories through the services, as the bot would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from core.clock import Clock
from core.db.kernel import models as m
from core.db.kernel.engine import session_factory
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.deployment import LeadPipeline
from core.domain.kernel.roles import Role
from core.domain.leads.lifecycle import LeadStatus
from core.domain.marketplace.applications import AppStatus
from core.services.kernel import deployment, directories, privacy, users
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from core.services.marketplace import applications, offers
from core.services.marketplace.applications import Draft, FileInput
from core.services.marketplace.offers import OfferInput
from core.services.reactions import REACTIONS

ADMIN_TG = 1000
#: the moment every test starts at (the ``clock`` fixture), whatever the date on the machine: Monday 23 November
#: 2026, 12:00 in Moscow
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def units(db: AsyncEngine | async_sessionmaker, clock: Clock, *, mail_on: bool = True) -> Callable[[], UnitOfWork]:
    """The one way tests get units of work: each call a fresh unit on ``db`` (an engine, or the session factory the
    test also reads through) and ``clock``, as the bot makes one per service call (the ``uow`` fixture is one)."""
    factory = db if isinstance(db, async_sessionmaker) else session_factory(db)
    return lambda: UnitOfWork(factory, clock=clock, reactions=REACTIONS, mail_on=mail_on)


async def person(uow, cfg: CoreConfig, tg_id: int, name: str, *, admin_ids=frozenset({ADMIN_TG}),
                 language_code: str = "ru"):
    """Someone who started the bot (in ``language_code``'s Telegram) and accepted the consent text."""
    user = await users.touch(uow(), users.TgPerson(tg_id=tg_id, name=name, language_code=language_code), cfg,
                             admin_ids)
    return await privacy.consent(uow(), user.id)


async def world(uow, cfg: CoreConfig):
    """An admin, companies A and B, a category, a region, managers A1, A2 (A) and B1 (B), an agent."""
    admin = await person(uow, cfg, ADMIN_TG, "Админ")
    a = await directories.add(uow(), admin.id, Directory.COMPANIES, "Альфа-Лизинг")
    b = await directories.add(uow(), admin.id, Directory.COMPANIES, "Бета-Лизинг")
    cat = await directories.add(uow(), admin.id, Directory.CATEGORIES, "Спецтехника")
    reg = await directories.add(uow(), admin.id, Directory.REGIONS, "Москва")
    people = {"admin": admin, "A": a, "B": b, "category": cat, "region": reg}
    for key, tg, name, company in (("a1", 2001, "Анна", a), ("a2", 2002, "Антон", a), ("b1", 2003, "Борис", b)):
        p = await person(uow, cfg, tg, name)
        people[key] = await users.set_role(uow(), admin.id, p.id, Role.MANAGER, company.id)
    agent = await person(uow, cfg, 3001, "Агент Смит")
    people["agent"] = await users.set_role(uow(), admin.id, agent.id, Role.AGENT)
    client = await person(uow, cfg, 4001, "Клиент Иван")
    await users.attach_referrer(uow(), client.id, people["agent"].referral_code)
    people["client"] = await users.get(uow(), client.id, client.id)
    return people


def draft(w, **over) -> Draft:
    values = dict(category_id=w["category"].id, description="Экскаватор JCB 3CX, 2022", amount=Decimal("5000000"),
                  term_months=36, region_id=w["region"].id, client_name="ООО Ромашка",
                  client_phone="+7 900 123-45-67",
                  files=[FileInput(kind="document", file_id="DOC1", file_unique_id="U1", file_name="ТЗ.pdf",
                                   mime_type="application/pdf", size=1000)])
    values.update(over)
    return Draft(**values)


DEAL_OFFER = OfferInput(monthly_payment=Decimal("150000"), term_months=36, advance=Decimal("500000"),
                        buyout=Decimal("1000"))


async def market_deal(uow, cfg):
    w = await world(uow, cfg)
    app = await applications.submit(uow(), w["client"].id, draft(w), cfg)
    await applications.moderate(uow(), w["admin"].id, app.id, AppStatus.DISPATCHED, None, cfg)
    offer = await offers.submit(uow(), w["a1"].id, app.id, DEAL_OFFER, cfg)
    await offers.approve_deal(uow(), w["client"].id, app.id, [offer.id])
    async with uow() as u:
        deal = await u.session.scalar(select(m.Deal).where(m.Deal.application_id == app.id))
    return w, app, deal


async def law_firm(uow, admin_id: int) -> None:
    """The deployment's leads open the law firm's deals (seed 004), as its admin chose at the first setup."""
    await deployment.set_lead_pipeline(uow(), admin_id, LeadPipeline.LAW)


async def law_deal(uow, cfg, w, manager, phone="+79005550101", name="Пётр", debt: Decimal | None = Decimal(500000)):
    """A law firm's deal (seed 004): a lead of ``manager`` brought to «Договор»."""
    await law_firm(uow, w["admin"].id)
    source = await directories.add(uow(), w["admin"].id, Directory.SOURCES, f"Сайт {phone[-2:]}")
    lead = await leads.create(uow(), manager.id, LeadInput(phone, name, source.id, debt), cfg)
    # the meeting was booked for an hour ago and held («Встреча состоялась» is refused before its time)
    await leads.set_status(uow(), manager.id, lead.id, LeadStatus.MEETING, cfg,
                           meeting_at=uow().clock.now() - timedelta(hours=1))
    await leads.set_status(uow(), manager.id, lead.id, LeadStatus.VISITED, cfg)
    await leads.set_status(uow(), manager.id, lead.id, LeadStatus.CONTRACT, cfg)
    async with uow() as u:
        return await u.session.scalar(select(m.Deal).where(m.Deal.lead_id == lead.id))
