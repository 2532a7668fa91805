"""APScheduler drives the scan for due reminders, overdue alerts, morning digests and stage deadlines, the lessor's
day of money runs (accruals, late interest, dunning, insurance reminders, commissions: each once a day, set-based),
the fakturas' way to KSeF (when it is set),
and the mail outbox's delivery; the core decides what is due and marks it, the outbox worker sends it. The first
scan runs at start, so what fell due while the bot was down goes out once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from core.clock import Clock
from core.db.kernel.uow import UnitOfWork
from core.services.campaigns import mail_outbox, stages
from core.services.deals import payments
from core.services.kernel import tasks
from core.services.kernel.config import CoreConfig
from core.services.kernel.mail import Mailer
from core.services.leasing import books as lease_books

log = logging.getLogger(__name__)


class Scheduler:
    """APScheduler with a stop that lets a running scan finish. AsyncIOScheduler.shutdown cancels the job's task,
    and a task cancelled before its first step is logged by APScheduler as a failed job with a traceback; so stop
    pauses first, lets a just-submitted scan start, waits for it (a bounded time), and only then shuts down."""

    def __init__(self, scheduler: AsyncIOScheduler, busy: asyncio.Lock) -> None:
        self._scheduler = scheduler
        self._busy = busy

    def start(self) -> None:
        self._scheduler.start()

    async def stop(self, timeout: float = 5) -> None:
        self._scheduler.pause()
        await asyncio.sleep(0)  # a scan submitted just now takes the lock in its first step
        try:
            async with asyncio.timeout(timeout), self._busy:
                pass
        except TimeoutError:
            log.warning("scheduler: a scan still running after %s s is stopped; it is rolled back", timeout)
        self._scheduler.shutdown(wait=False)


def create_scheduler(uow_factory: Callable[[], UnitOfWork], cfg: CoreConfig, wake: Callable[[], None],
                     every_seconds: int, mailer: Mailer | None = None, mail_seconds: float = 10, *,
                     clock: Clock) -> Scheduler:
    """A scan at once (``clock``'s now, the app's clock), then every ``every_seconds`` (APScheduler keeps that
    interval on the machine's clock); what is due is decided on the clock of the units of work ``uow_factory``
    makes. With a mailer, the mail outbox is delivered every ``mail_seconds``."""
    busy = asyncio.Lock()
    mailing = asyncio.Lock()

    async def mail() -> None:
        async with mailing:
            try:
                while await mail_outbox.deliver(uow_factory, mailer):
                    wake()  # a message sent may move its deal on, with notices to send
            except asyncio.CancelledError:
                log.info("scheduler: mail stopped by shutdown; what it held goes again after its lease")
            except Exception:  # the worker must outlive a database hiccup; the messages wait for the next pass
                log.exception("mail outbox pass failed")

    async def scan() -> None:
        async with busy:
            await _scan()

    sending = asyncio.Lock()

    async def ksef() -> None:  # the fakturas queued for KSeF (core.services.leasing.books.ksef), a pass at a time
        if sending.locked():
            return
        async with sending:
            try:
                done = await lease_books.ksef.send_pending(uow_factory, cfg)
            except asyncio.CancelledError:
                log.info("scheduler: KSeF pass stopped by shutdown; what it had handed over is asked for next time")
                return
            except Exception:  # the queue keeps each faktura; the next pass tries again
                log.exception("KSeF pass failed")
                return
            if done:
                log.info("scheduler: KSeF: %s accepted, %s refused, %s waiting (KSeF down: offline)",
                         done.sent, done.refused, done.offline)

    async def _scan() -> None:
        try:
            result = await tasks.scan_due(uow_factory(), cfg)
            digests = await tasks.scan_digests(uow_factory(), cfg)
            overdue = await payments.scan_overdue_payments(uow_factory(), cfg)
            stages_due = await stages.scan_deadlines(uow_factory(), cfg)
            books = await lease_books.run_day(uow_factory, cfg)  # each once a day: the first scan of it does them
        except asyncio.CancelledError:  # the process is stopping: the open transaction is rolled back
            log.info("scheduler: scan stopped by shutdown; what it had not queued goes at the next start")
            return
        if result.reminders or result.overdue or digests or overdue or stages_due:
            log.info("scheduler: %s reminders, %s overdue alerts, %s digests, %s overdue payments, %s stage deadlines",
                     result.reminders, result.overdue, digests, overdue, stages_due)
            wake()
        if books:
            log.info("scheduler: lease books: %s", books)
            wake()

    scheduler = AsyncIOScheduler(timezone="UTC")
    start = clock.now()
    # coalesce: a run missed while the process was busy or down is made once, not many times
    scheduler.add_job(scan, "interval", seconds=every_seconds, next_run_time=start, id="scan_due",
                      coalesce=True, max_instances=1, misfire_grace_time=None)
    if cfg.ksef.enabled:
        scheduler.add_job(ksef, "interval", seconds=every_seconds, next_run_time=start, id="ksef",
                          coalesce=True, max_instances=1, misfire_grace_time=None)
    if mailer is not None:
        scheduler.add_job(mail, "interval", seconds=mail_seconds, next_run_time=start, id="mail",
                          coalesce=True, max_instances=1, misfire_grace_time=None)
    return Scheduler(scheduler, busy)
