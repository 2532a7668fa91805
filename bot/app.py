"""The composition root: settings -> engine -> bot, sender, storage, dispatcher. Nothing is built at import."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.types import User
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.blueprint import build_routers
from bot.config import Settings, SettingsError
from bot.handlers.campaigns import cold_call, doc_admin, exchange, quotes
from bot.handlers.deals import statuses, workspace
from bot.handlers.kernel import admin, common, forms, guards, privacy, profile, setup, tasks
from bot.handlers.leads import cards, reports
from bot.handlers.leads import lifecycle as leads
from bot.handlers.leads import messages as lead_messages
from bot.handlers.leasing import books as lease_books
from bot.handlers.leasing import calc as lease_calc
from bot.handlers.leasing import ending as lease_end
from bot.handlers.leasing import messages as lease_messages
from bot.handlers.leasing import origination as leasing
from bot.handlers.marketplace import application_form, applications, offers
from bot.handlers.marketplace import deal_room as deals
from bot.keyboards.callbacks import callback_kinds
from bot.middlewares.context import ContextMiddleware, GateMiddleware
from bot.middlewares.in_flight import InFlight
from bot.notifications import Notifier
from bot.scheduler import create_scheduler
from bot.sender import LimitMiddleware, OutboxWorker, RateLimiter, RedisRateLimiter
from bot.storage import SqlStorage
from core.clock import Clock, SystemClock
from core.db.kernel.engine import create_engine, session_factory
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import preferences
from core.domain.kernel.preferences import SUPPORTED_LOCALES
from core.services.leasing.registries import HttpVatWhitelist
from core.services.reactions import REACTIONS
from migrations.runner import upgrade

log = logging.getLogger(__name__)
T = TypeVar("T")


def create_bot(settings: Settings, limiter: RateLimiter | None = None, session=None) -> Bot:
    if session is None:
        session = AiohttpSession()
        if settings.telegram_api_url:
            session.api = TelegramAPIServer.from_base(settings.telegram_api_url)
    session.middleware(LimitMiddleware(limiter or create_limiter(settings)))
    return Bot(settings.bot_token.get_secret_value(), session=session,
               default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True))


def create_limiter(settings: Settings) -> RateLimiter:
    """One process's own pace, or with REDIS_URL the pace all processes share."""
    if settings.redis_url:
        from redis.asyncio import Redis

        return RedisRateLimiter(Redis.from_url(settings.redis_url), settings.send_rate_per_second,
                                settings.send_chat_interval)
    return RateLimiter(settings.send_rate_per_second, settings.send_chat_interval)


def create_storage(settings: Settings, engine: AsyncEngine, clock: Clock) -> BaseStorage:
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        return RedisStorage.from_url(settings.redis_url)
    return SqlStorage(engine, clock=clock)


#: the areas this build runs (every router below is included)
AREAS = ("marketplace", "leads and deals", "cold calls", "leasing")


def routers():
    """Order matters: the consent first (nothing else works without it), the form guard, then the areas, the
    fallback (errors, stale buttons) last."""
    blueprints = [privacy.router, guards.form_guard, forms.router, common.router, application_form.router,
                  applications.router, offers.router, deals.router, admin.router, setup.router, profile.router,
                  leads.router, tasks.router, reports.router, cards.router, workspace.router, statuses.router,
                  cold_call.router, quotes.router, doc_admin.router, lease_calc.router, leasing.router,
                  lease_books.router, guards.fallback]
    blueprints.insert(-1, exchange.router)  # the exchange with 1C (issue 28)
    blueprints.insert(-1, lease_end.router)  # the contract's end, a client outside Telegram (issue 29)
    blueprints.insert(-1, lease_messages.router)  # a lessor's client writes in: after every other router's messages
    blueprints.insert(-1, lead_messages.router)  # a lead's client writes in: after every other router's messages
    return build_routers(blueprints)


def unit_factory(engine: AsyncEngine, clock: Clock, wake: Callable[[], None] | None = None, *, mail_on: bool = True
                 ) -> Callable[[], UnitOfWork]:
    """The one place units of work are built, for every entry point (the dispatcher, the scheduler, the Mini App,
    the sender): the database, the clock, the sender's wake-up after a commit that queued messages, and whether
    e-mail is on (SMTP configured)."""
    factory, standalone = session_factory(engine), session_factory(engine, autocommit=True)

    def unit() -> UnitOfWork:
        return UnitOfWork(factory, wake, clock=clock, standalone_factory=standalone, reactions=REACTIONS,
                          mail_on=mail_on)

    return unit


def create_dispatcher(settings: Settings, storage: BaseStorage, units: Callable[[], UnitOfWork]) -> Dispatcher:
    def inbox_uow() -> UnitOfWork:  # the update's id and its person: statements that stand alone
        return units().standalone()

    dp = Dispatcher(storage=storage, events_isolation=SimpleEventIsolation())
    dp["webapp_url"] = settings.webapp_url  # the kanban Mini App's address, for its buttons
    dp["mailer"] = settings.mailer()  # the business card's e-mail (None: no SMTP configured)
    dp["card_text"] = settings.card_text
    dp["business_name"] = settings.business_name.strip()  # the welcome's (empty: a neutral wording)
    dp["registry"] = HttpVatWhitelist(settings.whitelist_url, settings.registry_timeout)  # G2I (seed 002)
    dp["in_flight"] = in_flight = InFlight()
    dp.update.outer_middleware(in_flight)  # outermost: a stop waits for what it counts
    dp.update.outer_middleware(GateMiddleware(settings.throttle_per_minute, callback_kinds(),
                                              settings.default_locale))  # first: it writes nothing
    dp.update.outer_middleware(ContextMiddleware(units, inbox_uow, settings.core(), settings.admin_ids))
    dp.include_routers(*routers())
    return dp


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    bot: Bot
    dp: Dispatcher
    worker: OutboxWorker
    clock: Clock
    units: Callable[[], UnitOfWork]  # unit_factory's: the sender wakes after a commit that queued messages
    limiter: RateLimiter | None = None  # the one build() made (and closes)

    async def settle(self, timeout: float = 10) -> None:
        """Until the updates being handled are done (their replies sent), for at most ``timeout`` seconds."""
        await self.dp["in_flight"].settle(timeout)

    def uow(self) -> UnitOfWork:
        """A unit of work on the app's database and clock, for the scheduler and the Mini App: a kanban move's
        notice goes out at once, as a chat press's does."""
        return self.units()

    async def close(self) -> None:
        self.worker.stop()
        await self.dp.storage.close()
        await self.bot.session.close()
        if self.limiter is not None:
            await self.limiter.close()
        await self.engine.dispose()


def build(settings: Settings, *, engine: AsyncEngine | None = None, bot: Bot | None = None,
          clock: Clock | None = None) -> App:
    """Everything the bot is made of, on one clock: the machine's unless a test gives its own."""
    clock = clock or SystemClock()
    # what a bad stored language or timezone reads as; the currency of the CRM's amounts; the firm's country (how a
    # date is typed there)
    preferences.use_defaults(settings.default_locale, settings.default_timezone, settings.currency,
                             settings.phone_region)
    engine = engine or create_engine(settings.database_url)
    limiter = None
    if bot is None:
        limiter = create_limiter(settings)
        bot = create_bot(settings, limiter)
    holder: list[OutboxWorker] = []

    def wake() -> None:
        if holder:
            holder[0].wake()

    units = unit_factory(engine, clock, wake, mail_on=bool(settings.smtp_host))
    worker = OutboxWorker(units, Notifier(bot, units, settings.default_locale, settings.core()),
                          lease=settings.outbox_lease_seconds)
    holder.append(worker)
    dp = create_dispatcher(settings, create_storage(settings, engine, clock), units)
    return App(settings, engine, bot, dp, worker, clock, units, limiter)


@asynccontextmanager
async def _running(settings: Settings, *, scans: bool):
    """Migrations applied, the outbox sender running and, with ``scans``, the scheduler; stopped on the way out."""
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    app = build(settings, engine=engine)
    # What is built by now (modules, aiogram's types, the mappers: ~250,000 objects) lives as long as the process:
    # kept out of the garbage collector's full passes, which would otherwise stop everything for ~0.2 s now and
    # then, long enough for the sends held up behind the pause to reach Telegram together and overrun its limit.
    gc.collect()
    gc.freeze()
    gc.enable()  # paused for the start by bot.__main__ (a Telegram out of reach is then waited for with it on)
    try:
        await reach_telegram(app.bot, _where(settings))
    except BaseException:
        await app.close()
        raise
    sender = asyncio.create_task(app.worker.run(), name="outbox")
    scheduler = create_scheduler(app.uow, settings.core(), app.worker.wake, settings.scan_seconds,
                                 app.dp["mailer"], settings.mail_seconds, clock=app.clock) if scans else None
    if scheduler:
        scheduler.start()
    try:
        yield app
    finally:
        await app.settle()
        if scheduler:
            await scheduler.stop()
        app.worker.stop()
        await asyncio.wait([sender], timeout=5)
        await app.close()


async def reach_telegram(bot: Bot, where: str, *, first_delay: float = 1, max_delay: float = 60) -> None:
    """The bot's own account (getMe), asked until Telegram answers (``ask_telegram``). A token Telegram refuses is
    a setting to fix: SettingsError."""
    await ask_telegram(bot.me, where, first_delay=first_delay, max_delay=max_delay)


async def ask_telegram(request: Callable[[], Awaitable[T]], where: str, *, first_delay: float = 1,
                       max_delay: float = 60) -> T:
    """One call of the start (getMe, deleteWebhook, setWebhook, the ready line's getMe), made until Telegram
    answers: a network that is down or drops a connection at start (the machine still booting, a proxy not up yet)
    is waited for, said in one line and then once a minute, never with a traceback; retried with backoff
    (``first_delay`` doubling up to ``max_delay`` seconds). A token Telegram refuses is a setting to fix:
    SettingsError."""
    from aiogram.exceptions import TelegramNetworkError, TelegramServerError, TelegramUnauthorizedError
    from aiogram.utils.backoff import Backoff, BackoffConfig

    backoff = Backoff(BackoffConfig(min_delay=first_delay, max_delay=max_delay, factor=2, jitter=0.1))
    loop = asyncio.get_running_loop()
    started = said = None
    while True:
        try:
            answer = await request()
        except TelegramUnauthorizedError:
            raise SettingsError(["BOT_TOKEN: Telegram refuses this token (Unauthorized): copy it again from "
                                 "@BotFather (/mybots → your bot → API Token)"]) from None
        except (TelegramNetworkError, TelegramServerError) as exc:
            now = loop.time()
            reason = (str(exc).removeprefix("HTTP Client says - ").splitlines() or [type(exc).__name__])[0]
            if started is None:
                log.warning("Telegram cannot be reached at %s (%s): trying again, with pauses growing to %.0f s",
                            where, reason, max_delay)
                started = said = now
            elif now - said >= 60:
                log.warning("Telegram still cannot be reached at %s after %.0f s (%s): trying again", where,
                            now - started, reason)
                said = now
            await backoff.asleep()
            continue
        if started is not None:
            log.info("Telegram reached at %s", where)
        return answer


def _where(settings: Settings) -> str:
    """The Bot API's address, as the start's lines name it."""
    return settings.telegram_api_url or "https://api.telegram.org"


def ready_line(settings: Settings, me: User | None, *, updates: bool, scans: bool) -> str:
    """Dealgram's one line when it is up: how it takes updates, its database, its languages and what it runs."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    database = (f"SQLite {url.database}" if url.get_backend_name() == "sqlite" else
                f"PostgreSQL {url.host or 'localhost'}/{url.database}")
    takes = ("none (the scheduler's process)" if not updates else
             f"webhook {settings.webhook_url}" if settings.webhook_url else "long polling")
    parts = [f"Dealgram ready as @{me.username}" if me and me.username else "Dealgram ready",
             f"updates: {takes}", f"database: {database}",
             f"languages: {', '.join(SUPPORTED_LOCALES)} (default {settings.default_locale}, "
             f"{settings.default_timezone})",
             f"areas: {', '.join(AREAS)}",
             f"scheduler: {'on' if scans else 'off (SCHEDULER=off)'}",
             f"e-mail: {'on' if settings.smtp_host else 'off'}",
             f"Mini App: {'on' if settings.webapp_port else 'off'}"]
    return "; ".join(parts)


async def run(settings: Settings) -> None:
    """The bot: the sender, the scheduler (unless SCHEDULER=off) and, when set, the Mini App's server; updates by
    long polling (the default), or by webhook when WEBHOOK_URL is set."""
    async with _running(settings, scans=settings.scheduler) as app:
        servers = []
        try:
            if settings.webapp_port:
                from bot.webapp import create_webapp, serve  # aiohttp's server: only when it is used

                servers.append(await serve(create_webapp(
                    settings.bot_token.get_secret_value(), app.bot, app.uow, app.clock,
                    auth_ttl=settings.webapp_auth_ttl, default_locale=settings.default_locale,
                    currency=settings.lease_currency, max_months=settings.lease_max_months),
                    settings.webapp_host, settings.webapp_port))
            if settings.webhook_url:
                servers.append(await _webhook(app, settings))
                log.info("%s", ready_line(settings, await ask_telegram(app.bot.me, _where(settings)), updates=True,
                                          scans=settings.scheduler))
                await _until_stopped()
            else:
                await ask_telegram(lambda: app.bot.delete_webhook(drop_pending_updates=False), _where(settings))
                log.info("%s", ready_line(settings, await ask_telegram(app.bot.me, _where(settings)), updates=True,
                                          scans=settings.scheduler))
                await app.dp.start_polling(app.bot, allowed_updates=app.dp.resolve_used_update_types(),
                                           close_bot_session=False)  # closed once the updates in hand are done
        finally:
            for server in servers:
                await server.cleanup()


async def run_scheduler(settings: Settings) -> None:
    """Only the scheduler and the outbox sender, taking no updates: for a deployment with several bot workers
    behind a webhook (SCHEDULER=off on them) and one of these. Its scans are exactly-once across processes anyway."""
    async with _running(settings, scans=True) as app:
        log.info("%s", ready_line(settings, await ask_telegram(app.bot.me, _where(settings)), updates=False,
                                  scans=True))
        await _until_stopped()


async def _webhook(app: App, settings: Settings):
    """Telegram posts each update to WEBHOOK_URL; a request without the right X-Telegram-Bot-Api-Secret-Token is
    refused with 401 and does nothing. The answer (200) goes only after the update was handled — recorded in the
    inbox and its changes committed — so an update lost to a crash is delivered again, and a redelivered one is
    skipped by the inbox."""
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler  # aiohttp's server: only in webhook mode
    from aiohttp import web

    secret = settings.webhook_secret.get_secret_value()
    server = web.Application()
    SimpleRequestHandler(app.dp, app.bot, handle_in_background=False, secret_token=secret).register(
        server, path=settings.webhook_path)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    await ask_telegram(lambda: app.bot.set_webhook(settings.webhook_url, secret_token=secret,
                                                   allowed_updates=app.dp.resolve_used_update_types(),
                                                   drop_pending_updates=False), _where(settings))
    log.info("webhook mode: listening on %s:%s%s", settings.webhook_host, settings.webhook_port,
             settings.webhook_path)
    return runner


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
