"""`python -m bot` as a real process with KSeF set (KSEF_API_URL at the fake KSeF, tests/fake_ksef.py; never the real
network), in Polish, English and Russian: the back office pays the vendor, the fees' fakturas go to KSeF before
their PDFs reach the client, who gets them with their KSeF numbers; KSeF goes down, another charge's faktura is
issued offline (its PDF says so, with KOD I and KOD II) and is sent in offline mode once KSeF is back, once; a
correcting faktura names it with its KSeF number and goes to KSeF too; the back office lists the fakturas with
their KSeF numbers, the admin's books screen counts them; the token never reaches the log."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime

from pypdf import PdfReader

from core.clock import ManualClock
from core.db.kernel.engine import create_engine, session_factory
from core.db.kernel.repositories import CLOCK
from core.services.kernel import privacy, users
from core.services.kernel.config import CoreConfig
from migrations.runner import upgrade
from tests.e2e.process import ADMIN, running, wait_until
from tests.e2e.test_bot_process import press, say
from tests.factories import units
from tests.fake_ksef import NIP, TOKEN, offline_certificate
from tests.fake_ksef import running as fake_ksef
from tests.services.leasing.test_lease_books import at_launch, staff
from tests.services.leasing.test_leasing import lessor

PIOTR, ANNA, PREZES = (5004, "Piotr"), (5005, "Anna"), (5100, "Prezes")


async def prepare(db_url: str) -> int:
    engine = create_engine(db_url)
    await upgrade(engine)
    cfg, clock = CoreConfig(), ManualClock(datetime.now(UTC))  # the bot runs on the machine's clock
    uow = units(session_factory(engine, info={CLOCK: clock}), clock)
    for (tg_id, name), language in ((ADMIN, "ru"), ((5001, "Ola"), "pl"), ((5002, "Jan"), "pl"),
                                    ((5003, "Ewa"), "pl"), (PIOTR, "pl"), (ANNA, "en"), (PREZES, "pl")):
        person = await users.touch(uow(), users.TgPerson(tg_id, name, language_code=language), cfg,
                                   frozenset({ADMIN[0]}))
        await privacy.consent(uow(), person.id)
    w = await staff(uow, cfg, await lessor(uow, cfg))
    case = await at_launch(uow, session_factory(engine, info={CLOCK: clock}), cfg, w)
    await engine.dispose()
    return case.deal_id


def text_of(call) -> str:
    """The PDF a sendDocument uploaded, as its text (whitespace made single spaces)."""
    data = next(iter(call.uploads.values()))
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


async def test_fakturas_and_a_correction_go_to_ksef_through_the_running_bot(tmp_path, db_url):
    deal = await prepare(db_url)
    cert, key = offline_certificate()
    (tmp_path / "offline.pem").write_text(cert)
    (tmp_path / "offline.key").write_text(key)
    async with fake_ksef() as (ksef, url), running(
            tmp_path, db_url, languages={PIOTR[0]: "pl", PREZES[0]: "pl", ANNA[0]: "en"}, secrets=(TOKEN,),
            env={"KSEF_API_URL": url, "KSEF_NIP": NIP, "KSEF_TOKEN": TOKEN, "KSEF_RETRY_SECONDS": "2",
                 "KSEF_OFFLINE_CERT": str(tmp_path / "offline.pem"),
                 "KSEF_OFFLINE_KEY": str(tmp_path / "offline.key")}) as (api, _):
        await api.wait_for(PIOTR[0], "Twoja rola: Back Office")  # its menu button delivered before the case's
        await say(api, PIOTR, "/leases", "Leasing")
        await press(api, PIOTR, "Koparka Volvo EC220E", "Status: Uruchomienie")
        await press(api, PIOTR, "📒 Rozliczenia", f"Umowa leasingu nr {deal}")
        await press(api, PIOTR, "💸 Płatność dla dostawcy", "Ile zapłacono dostawcy")
        mark = api.mark()
        await say(api, PIOTR, "13 200; PRZELEW 1", "Płatność dla dostawcy zapisana")
        fee = await api.wait_for(PREZES[0], "Faktura FV/2026/000002", after=mark)
        assert [x["number"] for x in ksef.accepted] == ["FV/2026/000001", "FV/2026/000002"]  # before the PDFs
        text = text_of(fee)
        assert f"Numer KSeF: {ksef.accepted[1]['ksef']}" in text and "offline" not in text

        await press(api, PIOTR, "🛡 Ubezpieczenie", "Ubezpieczyciel; nr polisy")
        await say(api, PIOTR, "PZU S.A.; POL/2026/1; 23.11.2026; 22.11.2027", "Ubezpieczenie: PZU S.A.")
        await press(api, PIOTR, "🔑 Wydanie przedmiotu", "Data wydania")
        await say(api, PIOTR, "dziś", "Status: Rozliczanie")

        ksef.down = True  # KSeF's maintenance: 503
        await press(api, PIOTR, "➕ Obciążenie", "Za co obciążyć klienta i na ile?")
        mark = api.mark()
        await say(api, PIOTR, "50; Duplikat faktury", "Naliczono")
        offline = await api.wait_for(PREZES[0], "Faktura FV/2026/000003", after=mark)
        text = text_of(offline)
        assert "Faktura wystawiona w trybie offline (KSeF)" in text and "OFFLINE" in text and "CERTYFIKAT" in text
        ksef.down = False
        assert await wait_until(lambda: len(ksef.accepted) == 3, 30)  # the scheduler's retry, in offline mode
        assert (ksef.accepted[2]["number"], ksef.accepted[2]["offline"]) == ("FV/2026/000003", True)

        await press(api, PIOTR, "↩️ Korekta", "Faktura korygująca: numer korygowanej faktury")
        await say(api, PIOTR, "FV/2026/000003; 61,50; Obciążenie anulowane",
                  "Faktura korygująca FK/2026/000001 zaksięgowana.")
        assert await wait_until(lambda: len(ksef.accepted) == 4, 30)
        assert ksef.accepted[3]["number"] == "FK/2026/000001"
        assert f"<NrKSeFFaKorygowanej>{ksef.accepted[2]['ksef']}</NrKSeFFaKorygowanej>".encode() in \
            ksef.accepted[3]["xml"]

        for _ in range(50):  # KSeF's number is stored once its status and UPO are read: a moment after it accepts
            listed = await press(api, PIOTR, "🧾 Faktury", "Faktury do umowy")
            lines = listed.params["text"].splitlines()
            if "KSeF" in lines[-1]:
                break
            await asyncio.sleep(0.2)
        day = datetime.strptime(ksef.accepted[0]["ksef"][11:19], "%Y%m%d").strftime("%d.%m.%Y")
        # the back office reads each faktura with its KSeF number, the correction the faktura it corrects
        assert lines[1:] == [
            f"FV/2026/000001 — Opłata wstępna — 1\xa0230,00\xa0zł · do zapłaty do {day} · "
            f"KSeF {ksef.accepted[0]['ksef']}",
            f"FV/2026/000002 — Opłata administracyjna — 123,00\xa0zł · do zapłaty do {day} · "
            f"KSeF {ksef.accepted[1]['ksef']}",
            f"FV/2026/000003 — Opłata — 61,50\xa0zł · opłacona · KSeF {ksef.accepted[2]['ksef']}",
            f"FK/2026/000001 — Korekta — −61,50\xa0zł · koryguje FV/2026/000003 · KSeF {ksef.accepted[3]['ksef']}"]
        mark = api.mark()
        await press(api, PIOTR, "📄 FK/2026/000001")
        pdf = await api.wait_method(PIOTR[0], "sendDocument", after=mark)
        text = text_of(pdf)
        assert f"Numer KSeF: {ksef.accepted[3]['ksef']}" in text
        assert (f"Korygowana faktura: nr FV/2026/000003 z dnia {ksef.accepted[2]['ksef'][11:13]}."
                in text) or "Korygowana faktura: nr FV/2026/000003 z dnia" in text
        assert f"numer KSeF {ksef.accepted[2]['ksef']}" in text
        assert "(Przed korektą) 50,00 23 % 11,50 61,50" in text and "(Po korekcie) 0,00 23 % 0,00 0,00" in text
        assert "(Różnica) -50,00 23 % -11,50 -61,50" in text

        await say(api, ANNA, "/leases", "Leasing")
        await press(api, ANNA, "Koparka Volvo EC220E", "Koparka Volvo EC220E")
        await press(api, ANNA, "📒 Account", f"{deal}")
        listed = await press(api, ANNA, "🧾 Invoices", "FK/2026/000001")
        assert f"corrects FV/2026/000003 · KSeF {ksef.accepted[3]['ksef']}" in listed.params["text"]

        await say(api, ADMIN, "/menu", "Главное меню")
        await press(api, ADMIN, "🧾 Лизинг", "Лизинг")  # an admin's menu, by area: the leasing section
        await press(api, ADMIN, "📒 Расчёты по лизингу", "KSeF: <b>включён</b> (тестовая среда). Ждут отправки: 0 "
                                                         "(в режиме offline: 0); приняты: 4; отклонены: 0.")
