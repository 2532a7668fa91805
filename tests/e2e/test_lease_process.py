"""`python -m bot` as a real process (seed 002), in Polish: from a calculation to «Przekazanie do płatności». The
salesperson calculates, registers a company, opens the case, links the client and sends the offer; the client
accepts it and gives the consents; the salesperson adds a surety, fetches the VAT white list (a fake of the
Ministry's API, reached by WHITELIST_URL) and files the application, approved by the scoring automaton; at the
signing the checklist's files and the signed scan are sent and the contract generated; the back office accepts
every file and passes the case for payment. The staff's roles are given through the services before the start."""

from __future__ import annotations

import asyncio

import pytest

from core.clock import SystemClock
from core.db.kernel.engine import create_engine
from core.domain.kernel.roles import Role
from core.services.kernel import privacy, users
from core.services.kernel.config import CoreConfig
from migrations.runner import upgrade
from tests.e2e.process import ADMIN, running
from tests.e2e.test_bot_process import press, say
from tests.factories import units
from tests.fake_whitelist import FakeWhitelist, subject

OLA, PREZES, PIOTR = (5001, "Ola"), (5100, "Prezes"), (5004, "Piotr")
NIP = "8567346215"


async def prepare(db_url: str) -> None:
    engine = create_engine(db_url)
    await upgrade(engine)
    cfg = CoreConfig()

    uow = units(engine, SystemClock())

    admin = await users.touch(uow(), users.TgPerson(ADMIN[0], ADMIN[1]), cfg, frozenset({ADMIN[0]}))
    await privacy.consent(uow(), admin.id)
    for (tg_id, name), role in ((OLA, Role.SALES), (PREZES, None), (PIOTR, Role.BACK_OFFICE)):
        person = await users.touch(uow(), users.TgPerson(tg_id, name, language_code="pl"), cfg, frozenset())
        await privacy.consent(uow(), person.id)
        if role:
            await users.set_role(uow(), admin.id, person.id, role)
    await engine.dispose()


@pytest.fixture
async def world(tmp_path, db_url):
    await prepare(db_url)
    registry = FakeWhitelist()
    registry.subjects[NIP] = subject(NIP)
    async with (registry.serving() as whitelist_url,
                running(tmp_path, db_url, env={"WHITELIST_URL": whitelist_url},
                        languages={who[0]: "pl" for who in (OLA, PREZES, PIOTR)}) as (api, _)):
        yield api, registry


async def send_file(api, who, label: str, file_id: str) -> None:
    await press(api, who, "Dokumenty", "Status: ")  # the card's documents: a screen of its own
    await press(api, who, f"📎 {label}", "Wyślij „")
    api.files[f"documents/{file_id}"] = b"%PDF-1.7\n" + b"0" * 2000  # the bot reads its start to check the type
    mark = api.mark()
    await say(api, who, None, "zapisany", document={"file_id": file_id, "file_unique_id": f"u{file_id}",
                                                    "file_name": f"{file_id}.pdf", "mime_type": "application/pdf",
                                                    "file_size": 2009})
    await api.wait_for(who[0], "Status: ", after=mark)  # the card again, with its steps


async def alert(api, after: int) -> str:
    """The text of the first alert (answerCallbackQuery with a text) after ``after``."""
    for _ in range(int(api.PATIENCE * 20)):
        for call in api.calls[after:]:
            if call.method == "answerCallbackQuery" and call.params.get("text"):
                return call.params["text"]
        await asyncio.sleep(0.05)
    raise AssertionError("no alert")


async def test_from_a_calculation_to_the_payment(world):
    api, registry = world
    await say(api, OLA, "/calc", "Kalkulator leasingu")
    await say(api, OLA, "1 500 000; 20%; 48; 8,5; 1%", "Okres: 48 rat, raty równe, płatne z dołu")
    await say(api, OLA, "/menu", "Menu główne · Sprzedaż")
    await press(api, OLA, "Klient i oferta", "Jaki klient?")
    await press(api, OLA, "Spółka", "Spółkę wpisuje się tak")
    await say(api, OLA, f"Alfa sp. z o.o.; {NIP}; 192598184; 0000123456; PL61 1090 1014 0000 0712 1981 2874",
              "Co jest przedmiotem leasingu")
    await say(api, OLA, "Koparka Volvo EC220E", "Warunki w jednym wierszu")
    await say(api, OLA, "1 500 000; 20%; 48; 8,5; 1%", "Status: Ofertowanie")
    await press(api, OLA, "Dane wniosku", "Status: Ofertowanie")
    await press(api, OLA, "Klient w bocie", "wpisz Telegram id lub @username")
    mark = api.mark()
    await say(api, OLA, str(PREZES[0]), "Klient powiązany: Alfa sp. z o.o.")
    await api.wait_for(OLA[0], "Status: Ofertowanie", after=mark)  # the card again, with its steps
    mark = api.mark()
    await press(api, OLA, "Wyślij klientowi")
    await api.wait_for(PREZES[0], "Oferta leasingu „Koparka Volvo EC220E”", after=mark)

    await press(api, PREZES, "Otwórz ofertę", "<b>Oferta, wersja 1</b> · Koparka Volvo EC220E")  # the version itself
    await press(api, PREZES, "Przyjmij wersję 1", "Status: Wniosek")
    await press(api, PREZES, "Zgody (4)", "Status: Wniosek")
    for name in ("przetwarzanie danych osobowych", "zapytania do biur", "komunikacja elektroniczna"):
        await press(api, PREZES, f"Zgoda: {name}", name)

    await say(api, OLA, "/leases", "Leasing")
    await press(api, OLA, "Koparka Volvo EC220E", "Status: Wniosek")
    await press(api, OLA, "Dane wniosku", "Status: Wniosek")
    await press(api, OLA, "Zabezpieczenie", "Jakie zabezpieczenie?")
    await press(api, OLA, "poręczenie", "PESEL albo NIP poręczyciela")
    await say(api, OLA, "44051401359", "Zabezpieczenia: poręczenie")
    await press(api, OLA, "Dane wniosku", "Status: Wniosek")
    mark = api.mark()
    await press(api, OLA, "Biała lista VAT", "Dane z białej listy VAT pobrane")
    await api.wait_for(OLA[0], "Status: Wniosek", after=mark)  # the card again, with its steps
    assert registry.requests and registry.requests[0][0] == NIP
    await press(api, OLA, "Złóż wniosek", "Status: Decyzja pozytywna")
    await press(api, OLA, "Do podpisu", "Status: Podpisywanie")
    for label, file_id in (("dowód osobisty", "DOWOD"), ("sprawozdania finansowe", "BILANS"),
                           ("odpis z KRS", "KRS"), ("zaświadczenie o niezaleganiu", "US"),
                           ("umowa poręczenia", "PORECZENIE"), ("skan podpisanej umowy", "UMOWA")):
        await send_file(api, OLA, label, file_id)
    mark = api.mark()
    await press(api, OLA, "Umowa (PDF)")
    contract = await api.wait_method(OLA[0], "sendDocument", after=mark)
    assert contract.params["caption"].startswith("Umowa leasingu nr")
    mark = api.mark()
    await press(api, OLA, "Do weryfikacji", "Status: Weryfikowanie")
    await api.wait_for(PIOTR[0], "Weryfikowanie", after=mark)

    await press(api, PIOTR, "Do wniosku", "Status: Weryfikowanie")
    mark = api.mark()
    await press(api, PIOTR, "Przekaż do płatności")  # nothing accepted yet: refused with what is missing
    refusal = await alert(api, mark)
    assert refusal.startswith("Sprawdzenie automatyczne: ") and "niesprawdzony „dowód osobisty”" in refusal
    await press(api, PIOTR, "Dokumenty", "Status: Weryfikowanie")  # each file accepted there, one by one
    for _ in range(6):
        await press(api, PIOTR, "✅", "Status: Weryfikowanie")
    await press(api, PIOTR, "Przekaż do płatności", "Status: Uruchomienie")  # the launch (issue 19) begins
