"""The fault suite: the real `python -m bot` against the fake Bot API server, made to fail as production does.
Each test prints what it tried and what it found (shown even without -s)."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import ClientSession
from sqlalchemy import func, select

from core.db.kernel import models as m
from core.services.kernel import tasks
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.fanout import prepare, received
from tests.e2e.process import ADMIN, CLIENT, TOKEN, BotProcess, clean_log, free_port, wait_until

pytestmark = pytest.mark.faults


@pytest.fixture
def report(capsys, request):
    def say(tried: str, found: str) -> None:
        with capsys.disabled():
            print(f"\n  [{request.node.name}]\n    tried: {tried}\n    found: {found}", flush=True)
    return say


async def test_kill9_during_a_fan_out_to_1000_managers(tmp_path, db_url, report):
    fan = await prepare(db_url, 1000)
    api = FakeBotApi(TOKEN)
    api.limits = True  # Telegram's limits, enforced with 429s
    bot = BotProcess(await api.start(), db_url, tmp_path / "bot.log")
    # no scheduler: its morning digest would go to the 1,000 managers too
    bot.env.update({"SEND_CHAT_INTERVAL": "1.0", "OUTBOX_LEASE_SECONDS": "3", "SCHEDULER": "off"})
    try:
        bot.start()
        await fan.approve()
        assert await wait_until(lambda: sum(received(api, fan.managers).values()) >= 300, 60)
        bot.kill9()
        # requests it wrote before dying are still being read by the server (longer on a loaded machine): the
        # count is taken once it has stood still for a second
        got_at_kill = received(api, fan.managers)
        for _ in range(30):
            await asyncio.sleep(1.0)
            if (settled := received(api, fan.managers)) == got_at_kill:
                break
            got_at_kill = settled
        async with fan.uow() as u:  # rows the dead process held: sent to Telegram, maybe, but not marked
            held = (await u.session.scalars(select(m.Outbox.user_id).where(
                m.Outbox.status == "sending", m.Outbox.kind == "app_dispatched"))).all()
            tg_of = dict((await u.session.execute(select(m.User.id, m.User.tg_id))).all())
        in_flight = {tg_of[user_id] for user_id in held} & set(got_at_kill)
        bot.start()
        assert await wait_until(lambda: len(received(api, fan.managers)) == 1000, 90)
        await asyncio.sleep(1.5)  # anything more would show now
    finally:
        await bot.stop()
        await api.stop()
        await fan.close()
    got = received(api, fan.managers)
    lost = [tg for tg in fan.managers if got[tg] == 0]
    doubled = {tg for tg, n in got.items() if n > 1}
    report(f"1,000 managers matched; the bot killed with -9 after {sum(got_at_kill.values())} were sent, then "
           "started again",
           f"lost {len(lost)}, doubled {len(doubled)} (in flight at the kill: {len(in_flight)}), "
           f"429s {api.too_many}")
    assert lost == []
    # Telegram has no idempotency key: only a message whose request had reached it at the kill, before it was
    # marked sent, can go twice; nothing else
    assert doubled <= in_flight
    assert api.too_many == 0, api.refusals[:20]


async def test_kill9_in_the_middle_of_a_dialog(tmp_path, db_url, report):
    fan = await prepare(db_url, 0)  # the admin, the directories, a client who consented
    api = FakeBotApi(TOKEN)
    bot = BotProcess(await api.start(), db_url, tmp_path / "bot.log")
    try:
        bot.start()
        await api.send(*CLIENT, "/menu")
        await api.wait_for(CLIENT[0], "Главное меню")
        await api.press(*CLIENT, "Новая заявка")
        await api.wait_for(CLIENT[0], "Шаг 1/8")
        await api.press(*CLIENT, "Спецтехника")
        await api.wait_for(CLIENT[0], "Шаг 2/8")
        bot.kill9()
        bot.start()
        mark = api.mark()
        await api.send(*CLIENT, "Бульдозер")
        step = await api.wait_for(CLIENT[0], "Шаг", after=mark)
    finally:
        await bot.stop()
        await api.stop()
        await fan.close()
    report("a client at step 2 of 8 of the application form; kill -9; start; the next answer",
           f"the bot answered «{step.params['text'].splitlines()[0]}»")
    assert "Шаг 3/8" in step.params["text"]
    clean_log(bot)


async def test_a_storm_of_429(tmp_path, db_url, report):
    fan = await prepare(db_url, 40)
    api = FakeBotApi(TOKEN)
    api.storm, api.storm_retry_after = 10, 1  # the next 10 sends are refused with retry_after 1
    bot = BotProcess(await api.start(), db_url, tmp_path / "bot.log")
    bot.env["SCHEDULER"] = "off"  # only the fan-out is sent
    try:
        bot.start()
        started = time.monotonic()
        await fan.approve()
        assert await wait_until(lambda: len(received(api, fan.managers)) == 40, 60)
        took = time.monotonic() - started
        await asyncio.sleep(1)
    finally:
        await bot.stop()
        await api.stop()
    got = received(api, fan.managers)
    async with fan.uow() as u:
        statuses = Counter((await u.session.scalars(select(m.Outbox.status).where(
            m.Outbox.kind == "app_dispatched"))).all())
    await fan.close()
    report("40 managers; Telegram answers the next 10 sends with 429 retry_after=1",
           f"{api.too_many} 429s waited out; all 40 delivered once in {took:.1f} s; outbox {dict(statuses)}")
    assert api.too_many == 10 and set(got.values()) == {1} and statuses == {"sent": 40}
    clean_log(bot)


async def test_403_from_users_who_blocked_the_bot(tmp_path, db_url, report):
    fan = await prepare(db_url, 20)
    api = FakeBotApi(TOKEN)
    api.blocked = set(fan.managers[:5])
    bot = BotProcess(await api.start(), db_url, tmp_path / "bot.log")
    bot.env["SCHEDULER"] = "off"  # only the fan-out is sent
    try:
        bot.start()
        await fan.approve()
        assert await wait_until(lambda: len(received(api, fan.managers)) == 15, 30)
        await asyncio.sleep(1.5)
    finally:
        await bot.stop()
        await api.stop()
    async with fan.uow() as u:
        blocked = set((await u.session.scalars(select(m.User.tg_id).where(m.User.blocked.is_(True)))).all())
        parked = await u.session.scalar(select(func.count()).select_from(m.Outbox).where(
            m.Outbox.status == "failed"))
    await fan.close()
    report("20 managers, 5 of whom blocked the bot (403)",
           f"15 delivered; 403s: {api.forbidden} (one per blocked user, no retries); marked blocked: "
           f"{len(blocked)}; their rows parked: {parked}")
    assert blocked == set(fan.managers[:5]) and parked == 5 and api.forbidden == 5
    assert set(received(api, fan.managers).values()) == {1}
    clean_log(bot)


def reminded(texts: list[str]) -> int:
    """How many tasks the reminders list: «⏰ Пора — задач: N» for several, «⏰ Пора: …» for one."""
    found = [re.match(r"⏰ Пора — задач: (\d+)", t) for t in texts if t.startswith("⏰ Пора")]
    return sum(int(f.group(1)) if f else 1 for f in found)


async def test_two_bot_processes_and_two_schedulers_on_one_database(tmp_path, db_url, report):
    """Two workers in webhook mode, each with its scheduler: a forged secret is refused, an update delivered to
    both is applied once, and 20 due reminders go out once each."""
    fan = await prepare(db_url, 0)
    due = fan.uow().clock.now() - timedelta(seconds=5)  # the processes' clock: the machine's
    for i in range(20):
        await tasks.create(fan.uow(), fan.admin_id, f"Задача {i}", due)
    api = FakeBotApi(TOKEN)
    url = await api.start()
    secret = "two-workers-secret-0123456789"
    ports = [free_port(), free_port()]
    workers = []
    for n, port in enumerate(ports):
        w = BotProcess(url, db_url, tmp_path / f"bot{n}.log")
        w.env.update({"WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram", "WEBHOOK_SECRET": secret,
                      "WEBHOOK_PORT": str(port)})
        workers.append(w)

    async def post(port: int, update: dict, with_secret: str = secret) -> int:
        async with ClientSession() as http, http.post(f"http://127.0.0.1:{port}/telegram", json=update, headers={
                "X-Telegram-Bot-Api-Secret-Token": with_secret}) as response:
            return response.status

    def update(update_id: int, text: str) -> dict:
        return {"update_id": update_id, "message": {
            "message_id": update_id, "date": 1, "chat": {"id": ADMIN[0], "type": "private"},
            "from": api.user(*ADMIN), "text": text, "entities": [{"type": "bot_command", "offset": 0,
                                                                  "length": len(text)}]}}

    try:
        for w in workers:
            w.start()

        async def listening() -> bool:
            try:
                return all([await post(p, update(1, "/menu"), "wrong") == 401 for p in ports])
            except OSError:
                return False
        assert await wait_until(listening, 30, 0.2)
        forged = sum("Главное меню" in t for t in api.texts(ADMIN[0]))  # answers to the forged /menu
        statuses = []
        for uid in range(10, 30):
            statuses.append(await post(ports[uid % 2], update(uid, "/menu")))
            statuses.append(await post(ports[(uid + 1) % 2], update(uid, "/menu")))  # redelivered to the other
        assert await wait_until(lambda: reminded(api.texts(ADMIN[0])) >= 20, 30)
        await asyncio.sleep(3)  # three more scans by each scheduler
    finally:
        for w in workers:
            await w.stop()
        await api.stop()
        await fan.close()
    menus = sum("Главное меню" in t for t in api.texts(ADMIN[0]))
    reminders = [t for t in api.texts(ADMIN[0]) if t.startswith("⏰ Пора")]
    report("2 webhook workers with 2 schedulers on one database; 20 updates each delivered to both workers, a "
           "forged secret to both; 20 tasks due",
           f"forged: 401, {forged} answers; 40 deliveries: {Counter(statuses)}; menus shown {menus}; "
           f"reminder messages {len(reminders)} for {reminded(reminders)} tasks")
    assert forged == 0 and set(statuses) == {200} and menus == 20
    # the 20 tasks due at once come listed in one message (two if the schedulers' scans split them), each once
    assert reminded(reminders) == 20 and 1 <= len(reminders) <= 2
    for w in workers:
        clean_log(w, secret)


async def test_forged_and_stale_buttons_html_a_30_mb_file_and_a_program_named_pdf(tmp_path, db_url, report):
    fan = await prepare(db_url, 0)
    api = FakeBotApi(TOKEN)
    bot = BotProcess(await api.start(), db_url, tmp_path / "bot.log")
    hacker = (4666, "<b>Хакер</b> & <script>alert(1)</script>")
    found = {}
    try:
        bot.start()
        # HTML in a name: shown as text
        await api.send(*hacker, "/start")
        await api.wait_for(hacker[0], "Согласие")
        await api.press(*hacker, "Согласен")
        welcome = await api.wait_for(hacker[0], "Здравствуйте")
        found["html"] = welcome.params["text"].splitlines()[0]

        async def rows() -> tuple[int, int]:
            async with fan.uow() as u:
                return (await u.session.scalar(select(func.count()).select_from(m.ProcessedUpdate)),
                        await u.session.scalar(select(func.count()).select_from(m.AuditLog)))
        # forged callback data: refused before the database
        before = await rows()
        mark = api.mark()
        for data in ("zz:1", "m:999", "pd:abc:1", "x" * 64):  # not the bot's own: refused by the gate
            await api.push({"callback_query": {"id": f"f{data}", "from": api.user(*CLIENT), "chat_instance": "ci",
                                               "data": data}})
        await wait_until(lambda: len([c for c in api.calls[mark:] if c.method == "answerCallbackQuery"]) >= 4, 10)
        alerts = [c.params.get("text") for c in api.calls[mark:] if c.method == "answerCallbackQuery"]
        found["forged"] = f"{alerts[0]!r} ×{len(alerts)}"
        forged_writes = [a - b for a, b in zip(await rows(), before, strict=True)]
        # well-formed, with someone else's id: the admin's data erased by a client
        mark = api.mark()
        await api.push({"callback_query": {"id": "foreign", "from": api.user(*CLIENT), "chat_instance": "ci",
                                           "data": f"pd:5:{fan.admin_id}"}})
        await wait_until(lambda: any(c.method == "answerCallbackQuery" for c in api.calls[mark:]), 10)
        found["foreign id"] = next(c.params.get("text") for c in api.calls[mark:]
                                   if c.method == "answerCallbackQuery")
        # a stale button: «Согласен» again after the consent
        mark = api.mark()
        await api.push({"callback_query": {"id": "stale", "from": api.user(*hacker), "chat_instance": "ci",
                                           "data": "pd:1:0"}})
        await wait_until(lambda: any(c.method == "answerCallbackQuery" for c in api.calls[mark:]), 10)
        stale_writes = await rows()
        # the application form's files step: a 30 MB file and a program named .pdf
        await api.press(*hacker, "Новая заявка")
        await api.wait_for(hacker[0], "Шаг 1/8")
        await api.press(*hacker, "Спецтехника")
        await api.wait_for(hacker[0], "Шаг 2/8")
        for text, step in (("Бульдозер", "Шаг 3/8"), ("4 500 000", "Шаг 4/8"), ("36", "Шаг 5/8")):
            mark = api.mark()
            await api.send(*hacker, text)
            await api.wait_for(hacker[0], step, after=mark)
        await api.press(*hacker, "Москва")
        await api.wait_for(hacker[0], "Шаг 6/8")
        mark = api.mark()
        await api.send(*hacker, "ООО Ромашка")
        await api.wait_for(hacker[0], "Шаг 7/8", after=mark)
        mark = api.mark()
        await api.send(*hacker, "+7 900 123-45-67")
        await api.wait_for(hacker[0], "Шаг 8/8", after=mark)
        mark = api.mark()
        await api.send(*hacker, None, document={"file_id": "BIG", "file_unique_id": "big", "file_name": "скан.pdf",
                                                "mime_type": "application/pdf", "file_size": 30 * 1024 * 1024})
        found["30 MB"] = (await api.wait_for(hacker[0], "Файл больше", after=mark)).params["text"]
        big_read = any(c.method == "getFile" and c.params.get("file_id") == "BIG" for c in api.calls)
        api.files["documents/EXE"] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500
        mark = api.mark()
        await api.send(*hacker, None, document={"file_id": "EXE", "file_unique_id": "exe",
                                                "file_name": "договор.pdf", "mime_type": "application/pdf",
                                                "file_size": 510})
        found["program.pdf"] = (await api.wait_for(hacker[0], "программа", after=mark)).params["text"]
    finally:
        await bot.stop()
        await api.stop()
    async with fan.uow() as u:
        files = await u.session.scalar(select(func.count()).select_from(m.ApplicationFile))
    await fan.close()
    report("a name with HTML; 4 forged callbacks; one with another person's id; a stale «Согласен»; a 30 MB file; "
           "an .exe renamed договор.pdf",
           "; ".join(f"{k}: {v}" for k, v in found.items())
           + f"; forged wrote {forged_writes} (updates, audit); files kept {files}")
    assert found["html"].startswith("Здравствуйте, &lt;b&gt;Хакер&lt;/b&gt; &amp; &lt;script&gt;")
    assert found["forged"].startswith("'Кнопка устарела") and forged_writes == [0, 0]
    assert found["foreign id"] == "У вас нет доступа к этому действию."
    assert stale_writes[1] == before[1]  # neither press changed anything (no audit record)
    assert found["30 MB"] == "Файл больше 20 МБ — пришлите файл поменьше." and not big_read
    assert found["program.pdf"] == "Это программа, а не документ: такие файлы не принимаются."
    assert files == 0
    clean_log(bot)


async def test_the_lease_books_once_with_two_schedulers_a_kill9_and_two_months_of_downtime(tmp_path, db_url, report):
    """Seed 002's money runs (accrual with its fakturas, late interest, dunning, a closing, commissions) by two
    `python -m bot scheduler` processes on one database, one killed with -9 as the clock passes the first due date
    and started again; then every process down across two month-ends and two due dates (the clock moved 63 days),
    one started: one pass catches up; a rerun through the services adds nothing."""
    from core.clock import ManualClock
    from core.services.leasing import books as lb
    from tests.e2e.process import faketime_library
    from tests.e2e.test_lease_books_process import T0, TERMS
    from tests.e2e.test_lease_books_process import prepare as prepare_people
    from tests.services.leasing.test_lease_books import at_launch

    if faketime_library() is None and not __import__("os").environ.get("DEALGRAM_REQUIRE_FAKETIME"):
        pytest.skip("libfaketime is not installed (apt-get install faketime)")
    contracts = 12
    books = await prepare_books(db_url, contracts, prepare_people, at_launch, TERMS, T0)
    api = FakeBotApi(TOKEN)
    url = await api.start()
    clock_file = tmp_path / "clock"
    workers = []
    for n in range(2):
        w = BotProcess(url, db_url, tmp_path / f"scheduler{n}.log")
        w.moved_clock(clock_file, "2026-12-23 09:00:00")
        workers.append(w)

    async def runs() -> set[tuple[str, str]]:
        async with books.uow() as u:
            return {(j, d.isoformat()) for j, d in (await u.session.execute(select(m.LeaseRun.job, m.LeaseRun.day)))}

    async def settled(expected: set[tuple[str, str]]) -> bool:
        async with books.uow() as u:
            pending = await u.session.scalar(select(func.count()).select_from(m.Outbox).where(
                m.Outbox.status.in_(("pending", "sending"))))
        return expected <= await runs() and pending == 0

    first = {("accrual", "2026-12-23"), ("interest", "2026-11-30"), ("dunning", "2026-12-23"),
             ("commission", "2026-11-30")}
    caught_up = {("accrual", "2027-02-25"), ("interest", "2027-01-31"), ("dunning", "2027-02-25"),
                 ("commission", "2027-01-31")}
    try:
        for w in workers:
            w.start(["scheduler"])
        # one worker dies as its first scan starts (the day's runs in its hands, uncommitted): the scan is submitted
        # as the scheduler starts, just before the ready line (APScheduler's own «Running job» is not logged at INFO)
        assert await wait_until(lambda: "Dealgram ready" in workers[0].log.read_text(errors="replace"), 60, 0.02)
        workers[0].kill9()
        workers[0].start(["scheduler"])
        async def first_done() -> bool:
            return await settled(first)

        async def caught_up_done() -> bool:
            return await settled(first | caught_up)

        assert await wait_until(first_done, 90, 0.3)
        for w in workers:
            await w.stop()
        clock_file.write_text("@2027-02-25 09:00:00\n")  # 63 days of downtime
        workers[1].start(["scheduler"])
        assert await wait_until(caught_up_done, 90, 0.3)
        await asyncio.sleep(2)  # more scans: anything twice would show now
    finally:
        for w in workers:
            await w.stop()
        await api.stop()
    rerun = await lb.run_day(lambda: books.uow(ManualClock(datetime(2027, 2, 25, 12, tzinfo=UTC))), books.cfg)
    async with books.uow() as u:
        s = u.session
        charges = (await s.execute(select(m.LeaseCharge.kind, func.count()).group_by(m.LeaseCharge.kind))).all()
        series = (await s.execute(select(m.LeaseInvoice.series, func.count(), func.min(m.LeaseInvoice.seq),
                                         func.max(m.LeaseInvoice.seq)).group_by(m.LeaseInvoice.series))).all()
        dunnings = (await s.execute(select(m.LeaseDunning.days, func.count()).group_by(m.LeaseDunning.days))).all()
        closed = await s.scalar(select(func.count()).select_from(m.AuditLog).where(
            m.AuditLog.entity == "lease", m.AuditLog.to_status == "closed"))
        commissions = await s.scalar(select(func.count()).select_from(m.LeaseCommission))
        notices = dict((await s.execute(select(m.Outbox.kind, func.count()).group_by(m.Outbox.kind))).all())
    charges, dunnings = dict(charges), dict(dunnings)
    sent_invoices = sum(1 for c in api.calls if c.method == "sendDocument" and str(c.params.get("chat_id")) == "5100")
    report(f"{contracts} running contracts; 2 schedulers, one killed with -9 in its first scan and started again; "
           "63 days down; one scheduler; a rerun",
           f"charges {charges}; invoice series {[(x, n, lo, hi) for x, n, lo, hi in series]}; dunning levels "
           f"{dunnings}; closed {closed}; commissions {commissions}; rerun {rerun}; the client's fakturas sent "
           f"{sent_invoices}")
    n = contracts
    # every contract: the fees at the launch, three instalments and the residual, each once
    assert charges["initial_fee"] == charges["admin_fee"] == n
    assert charges["instalment"] == 3 * n and charges["residual"] == n
    # late interest: every unpaid contract (all but the prepaid one) at the two month-ends
    assert charges["interest"] == 2 * (n - 1) and charges.get("refund", 0) == 0
    # each series numbered 1..count, no gap, nothing twice (FV/2026: the fees and the first instalments)
    assert sorted(series) == [("FV/2026", 3 * n, 1, 3 * n), ("FV/2027", 3 * n, 1, 3 * n)]
    # one dunning per debt: the unpaid fees reached 30 days at the first scan; the catch-up sends no level again
    assert dunnings == {30: n - 1}
    assert closed == 1  # the prepaid contract closed itself when its residual was charged, once
    assert commissions == 2 * n  # the salesperson's and the vendor's, once per contract
    assert not rerun
    assert notices["lease_invoice"] == 6 and sent_invoices == 6  # the one client in the bot: each faktura once
    for w in workers:
        clean_log(w)


@dataclass
class Books:
    engine: object
    cfg: object

    def uow(self, clock=None):
        from core.clock import SystemClock
        from tests.factories import units

        return units(self.engine, clock or SystemClock())()


async def prepare_books(db_url, contracts, prepare_people, at_launch, terms, t0) -> Books:
    """People as the e2e test has them (its two contracts launched), then more running contracts of clients not in
    the bot, and one prepaid in full; all handed over at ``t0``."""
    from stdnum.pl import nip as nips

    from core.clock import ManualClock
    from core.db.kernel.engine import create_engine, session_factory
    from core.db.kernel.repositories import CLOCK
    from core.services.kernel import users
    from core.services.kernel.config import CoreConfig
    from core.services.leasing import books as lb
    from core.services.leasing import launch
    from tests.factories import units

    a, _ = await prepare_people(db_url)  # the second is launched there
    engine = create_engine(db_url)
    clock, cfg = ManualClock(t0), CoreConfig()
    factory = session_factory(engine, info={CLOCK: clock})
    uow = units(factory, clock)

    w = {role: await users.find(uow(), str(tg)) for role, tg in
         (("admin", 1000), ("sales", 5001), ("sales2", 5002), ("bo", 5004), ("coll", 5005), ("client", 5100))}
    await launch.pay_vendor(uow(), cfg, w["bo"].id, a, "13 200")
    await launch.set_insurance(uow(), cfg, w["bo"].id, a, "PZU; P/A; 23.11.2026; 22.11.2027")
    await launch.hand_over(uow(), cfg, w["bo"].id, a)
    valid = (f"{base}{d}" for base in range(555000000, 556000000) for d in range(10) if nips.is_valid(f"{base}{d}"))
    for i in range(contracts - 2):
        case = await at_launch(uow, factory, cfg, w, client_in_bot=False, nip=next(valid), terms=terms,
                               subject=f"Wózek widłowy {i}")
        await launch.pay_vendor(uow(), cfg, w["bo"].id, case.deal_id, "13 200")
        await launch.set_insurance(uow(), cfg, w["bo"].id, case.deal_id, "Warta; W; 23.11.2026; 22.11.2027")
        await launch.hand_over(uow(), cfg, w["bo"].id, case.deal_id)
        if i == 0:  # prepaid: the fees, three instalments and the residual
            await lb.register_payment(uow(), cfg, w["coll"].id, case.deal_id, "17 589", key="prepaid")
    await engine.dispose()
    return Books(create_engine(db_url), cfg)
