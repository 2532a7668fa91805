"""`python -m bot` as a real process (issue 29, docs/leasing-end.md) against the fake Bot API and a fake VAT white
list, in Polish, English and Russian, on a clock the test sets (libfaketime): the white list answering 503 tells the
salesperson with a retry button (the retry fetches it; no traceback in the log); the salesperson records the
acceptance of a client outside Telegram with the signed file; the collections team books the last payment of a
contract and the client gets the ownership transfer protocol by itself; the back office terminates another contract
early (the settlement shown, confirmed) and the client gets the settlement and its fakturas. Every message each
person got is written to ``messages.txt`` beside the log, to be read."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, update

from bot.i18n import Translator
from core.clock import ManualClock
from core.db.kernel import models as m
from core.db.kernel.engine import create_engine, session_factory
from core.db.kernel.repositories import CLOCK
from core.services.kernel import privacy, users
from core.services.kernel.config import CoreConfig
from core.services.leasing import books as lb
from core.services.leasing import origination as leasing
from migrations.runner import upgrade
from tests.e2e.process import ADMIN, faketime_library, running, wait_until
from tests.e2e.test_bot_process import press, say
from tests.factories import units
from tests.fake_whitelist import FakeWhitelist, subject
from tests.services.leasing.test_lease_books import at, staff
from tests.services.leasing.test_lease_books import running as launched
from tests.services.leasing.test_leasing import lessor

OLA, PIOTR, ANNA, PREZES = (5001, "Ola"), (5004, "Piotr"), (5005, "Anna"), (5100, "Prezes")
PREZES_B = (6802, "Prezes 1234567802")  # the second contract's client
NIP, IBAN = "1111111105", "PL61 1090 1014 0000 0712 1981 2874"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(faketime_library() is None and not os.environ.get("DEALGRAM_REQUIRE_FAKETIME"),
                                reason="libfaketime is not installed (apt-get install faketime)")


async def prepare(db_url: str, lang: str) -> dict:
    """Two running contracts handed over on 23.11.2026 and charged to 23.02.2027 (A: three months, the last
    instalment and the wykup due that day; B: twelve months at 12 %), and Ola's case for a client outside Telegram."""
    engine = create_engine(db_url)
    await upgrade(engine)
    cfg, clock = CoreConfig(), ManualClock(T0)
    factory = session_factory(engine, info={CLOCK: clock})
    uow = units(factory, clock)
    for tg_id, name in (ADMIN, OLA, (5002, "Jan"), (5003, "Ewa"), PIOTR, ANNA, PREZES):
        person = await users.touch(uow(), users.TgPerson(tg_id, name, language_code=lang), cfg, frozenset({ADMIN[0]}))
        await privacy.consent(uow(), person.id)
    w = await staff(uow, cfg, await lessor(uow, cfg))
    a = await launched(uow, factory, cfg, w, terms="14 200; 1 000; 3; 0; 1 200; 100")
    b = await launched(uow, factory, cfg, w, nip="1234567802", terms="100 000; 0; 12; 12; 10 000",
                       subject="Ładowarka CAT 950")
    at(clock, date(2027, 2, 23))
    await lb.accrue(uow(), cfg)
    for deal in (a.deal_id, b.deal_id):  # what fell due before, paid on time: no late interest in the way
        acc = await lb.account(uow(), cfg, w["bo"].id, deal)
        owed = acc.payable - (sum(c.gross for c in acc.charges if c.due == date(2027, 2, 23)) if deal == a.deal_id
                              else 0)  # «Saldo do zapłaty»: the late interest grown to this day paid too
        if owed:
            await lb.register_payment(uow(), cfg, w["coll"].id, deal, f"{owed} 23.02.2027", key=f"pre{deal}")
    client = await leasing.register_client(uow(), w["sales"].id, leasing.ClientKind.COMPANY,
                                           f"Gamma sp. z o.o.; {NIP}; 192598184; 0000012345; {IBAN}")
    c = await leasing.open_case(uow(), w["sales"].id, client.id, "Dźwig Liebherr", "900 000; 10%; 180; 7; 1%", cfg)
    async with factory() as s:  # the months before were told then: the process starts with nothing queued
        await s.execute(delete(m.Outbox))
        await s.execute(update(m.LeaseCase).values(late_rate=0))  # no late interest: the sums are the schedule's
        await s.execute(update(m.User).where(m.User.tg_id == PREZES_B[0]).values(locale=lang))
        await s.commit()
    await engine.dispose()
    return {"a": a.deal_id, "b": b.deal_id, "c": c.deal_id}


async def cases(api, who, t: Translator) -> None:
    """/leases, and its list arrived (the cases are its buttons; the month's commission notice may come first)."""
    await say(api, who, "/leases", t("lease.list", count=3).split(":")[0])


@pytest.mark.parametrize("lang", ["pl", "en", "ru"])
async def test_the_contracts_end_through_the_real_process(tmp_path, db_url, lang):
    deals = await prepare(db_url, lang)
    t = Translator(lang)
    fake = FakeWhitelist()
    fake.subjects[NIP] = subject(NIP, name="GAMMA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ")
    fake.mode[NIP] = "down"
    async with fake.serving() as registry, running(
            tmp_path, db_url, env={"WHITELIST_URL": registry}, clock_at="2027-02-23 09:05:00",
            languages={who[0]: lang for who in (OLA, PIOTR, ANNA, PREZES, PREZES_B)}) as (api, bot):
        # on a loaded machine the process may take long to start: the steps below are timed from its readiness
        assert await wait_until(lambda: "Dealgram ready" in bot.log.read_text(errors="replace"), 180)
        # G2I down: told, with a retry; the retry fetches it
        await cases(api, OLA, t)
        await press(api, OLA, "Dźwig Liebherr", "Dźwig Liebherr")
        await press(api, OLA, t("lease.data_button"), "Dźwig Liebherr")  # the application's data: its own screen
        await press(api, OLA, t("lease.g2i_button"), t("lease_end.g2i_failed", reason=t("errors.registry_down")))
        del fake.mode[NIP]
        mark = api.mark()
        await press(api, OLA, t("lease_end.g2i_retry"), t("lease.fetched"))
        await api.wait_for(OLA[0], "Dźwig Liebherr", after=mark)  # the card again, with its steps
        # the acceptance of a client outside Telegram, with the signed file
        await press(api, OLA, t("lease_end.on_behalf", version=1), t("lease_end.ask_on_behalf", version=1))
        api.files["documents/ACC1"] = b"%PDF-1.4\n% signed acceptance\n"
        screen = await say(api, OLA, None, t("lease_status.draft"), document={
            "file_id": "ACC1", "file_unique_id": "uACC1", "file_name": "akceptacja.pdf",
            "mime_type": "application/pdf", "file_size": 30})
        assert "akceptacja.pdf" in screen.params["text"] and "Ola" in screen.params["text"]

        # the last payment of A: the client gets the ownership transfer protocol by itself
        await cases(api, ANNA, t)
        await press(api, ANNA, "Koparka Volvo EC220E", t("lease_status.active"))
        await press(api, ANNA, t("books.open"), f"{deals['a']}")
        await press(api, ANNA, t("books.payment"), t("books.ask_payment"))
        mark = api.mark()
        await say(api, ANNA, "6 396", t("books.payment_done", balance=t.money(0, "PLN")))
        protocol = await api.wait_for(PREZES[0], t("lease_end.notify_buyout", subject="Koparka Volvo EC220E",
                                                   id=deals["a"], invoice="FV/")[:40], after=mark)
        assert protocol.method == "sendDocument"

        # B terminated early by the back office: the settlement shown, confirmed, sent with its fakturas
        await cases(api, PIOTR, t)
        await press(api, PIOTR, "Ładowarka CAT 950", t("lease_status.active"))
        await press(api, PIOTR, t("lease_end.terminate"), t("lease_end.ask_terminate"))
        await say(api, PIOTR, "23.02.2027; 2%", "9")
        mark = api.mark()
        await press(api, PIOTR, t("lease_end.confirm"), t("lease_end.terminated"))
        settled = await api.wait_for(PREZES_B[0], t("lease_end.notify_termination", subject="Ładowarka CAT 950",
                                                  id=deals["b"]), after=mark)
        assert settled.method == "sendDocument"
        await api.wait_for(PREZES_B[0], "FV/2027/", after=mark)

        lines = []
        for who in (OLA, ANNA, PIOTR, PREZES, PREZES_B):
            lines.append(f"===== {who[1]} ({lang})")
            lines += [f"--- {c.method}: {c.params.get('text') or c.params.get('caption') or ''}"
                      for c in api.sent_to(who[0])]
            lines += [f"--- alert: {c.params.get('text')}" for c in api.calls
                      if c.method == "answerCallbackQuery" and c.params.get("text")]
        (tmp_path / "messages.txt").write_text("\n".join(lines))
        if os.environ.get("DEALGRAM_E2E_DUMP"):
            (tmp_path / "messages.txt").replace(f"{os.environ['DEALGRAM_E2E_DUMP']}-{lang}.txt")
