"""The contract's end and a client outside Telegram in the chat, in Polish (docs/leasing-end.md): the white list
answering 503 or timing out tells the salesperson with a retry button (no traceback in the log, the fetch kept as
failed) and the retry fetches it; the salesperson records the client's acceptance with the signed document, shown
on the case; a verification transfer under another name goes to a person, who decides from the notice; the back
office terminates a contract early — the settlement shown, then confirmed — and the client gets its PDF."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select

from core.db.kernel import models as m
from core.services.leasing import books as lb
from core.services.leasing import origination as leasing
from core.services.leasing.registries import HttpVatWhitelist
from tests.bot.fake_telegram import Person
from tests.bot.leasing.test_lease_books import PIOTR, PREZES, plain, started
from tests.fake_whitelist import FakeWhitelist, subject
from tests.services.leasing.test_lease_books import at, running

OLA = Person(5001, "Ola", language_code="pl")
EWA = Person(5003, "Ewa", language_code="pl")  # Ryzyko
NIP, IBAN = "8567346215", "PL61 1090 1014 0000 0712 1981 2874"


async def a_case(uow, cfg, w) -> int:
    """Ola's case for a client outside Telegram, at «Ofertowanie»."""
    client = await leasing.register_client(uow(), w["sales"].id, leasing.ClientKind.COMPANY,
                                           f"Alfa sp. z o.o.; {NIP}; 192598184; 0000123456; {IBAN}")
    case = await leasing.open_case(uow(), w["sales"].id, client.id, "Koparka Volvo EC220E",
                                   "1 500 000; 20%; 48; 8,5; 1%", cfg)
    return case.deal_id


async def test_the_white_list_down_is_told_with_a_retry_and_no_traceback(tg, uow, factory, cfg, caplog):
    w = await started(tg, uow, cfg)
    deal = await a_case(uow, cfg, w)
    await tg.send(OLA, "/leases")
    await tg.press(OLA, "Koparka Volvo EC220E")
    fake = FakeWhitelist()
    fake.subjects[NIP] = subject(NIP)
    caplog.set_level(logging.INFO)
    await tg.press(OLA, "Dane wniosku")  # the application's data: a screen of the card's
    async with fake.serving() as url:
        for mode, timeout in (("down", 5.0), ("slow", 0.3)):  # 503, then no answer in time
            fake.mode[NIP] = mode
            tg.app.dp["registry"] = HttpVatWhitelist(url, timeout=timeout)
            mark = tg.now()
            await tg.press(OLA, "Biała lista VAT")
            assert tg.texts(OLA, mark) == [
                "Biała lista VAT nie odpowiedziała. Rejestr nie odpowiedział na czas albo jest niedostępny. Spróbuj "
                "później. Pobranie zapisano jako nieudane."]
            assert tg.alerts(OLA, mark) == []  # the press was answered once, quietly, before the fetch
        del fake.mode[NIP]
        mark = tg.now()
        await tg.press(OLA, "🔄 Spróbuj ponownie")
    assert tg.texts(OLA, mark)[0] == "Dane z białej listy VAT pobrane."
    assert "Biała lista VAT: pobrano" in tg.texts(OLA, mark)[-1]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    async with factory() as s:
        fetched = (await s.scalars(select(m.RegistryFetch).where(m.RegistryFetch.deal_id == deal)
                                   .order_by(m.RegistryFetch.id))).all()
    assert [(f.ok, f.error) for f in fetched] == [(False, "registry_down"), (False, "registry_down"), (True, None)]


async def test_the_acceptance_of_a_client_outside_telegram_with_the_signed_document(tg, uow, factory, cfg):
    w = await started(tg, uow, cfg)
    deal = await a_case(uow, cfg, w)
    await tg.send(OLA, "/leases")
    await tg.press(OLA, "Koparka Volvo EC220E")
    await tg.press(OLA, "✍️ Klient przyjął wersję 1 poza Telegramem")
    assert tg.texts(OLA)[-1] == "Wyślij podpisaną przez klienta akceptację oferty, wersja 1 (PDF albo zdjęcie)."
    mark = tg.now()
    await tg.send(OLA, "przyjął")  # words, not the document: refused, the dialog waits
    assert len(tg.texts(OLA, mark)) == 1 and "Status: Wniosek" not in tg.texts(OLA, mark)[0]
    await tg.document(OLA, "akceptacja_oferty.pdf")
    screen = plain(tg.texts(OLA)[-1])
    assert "Status: Wniosek" in screen
    assert "Oferta, wersja 1: przyjęta przez Ola w imieniu klienta 23.11.2026 10:00, dokument: akceptacja_oferty.pdf" \
        in screen
    mark = tg.now()
    await tg.press(OLA, "📎 Akceptacja klienta")
    [sent] = [c for c in tg.calls_to(OLA, mark) if c.__api_method__ == "sendDocument"]
    assert sent.document.startswith("DOC-5001-") and sent.caption == "📎 Akceptacja klienta"

    # the identity: the same account under another name is a person's to decide (Ewa, the analyst, is told)
    await tg.press(OLA, "Dane wniosku")
    await tg.press(OLA, "Wpłata weryfikująca")
    mark = tg.now()
    await tg.send(OLA, f"Jan Kowalski; {IBAN}; 1,00")
    assert tg.texts(OLA, mark)[0] == ("Nie da się rozstrzygnąć automatycznie (nadawca „Jan Kowalski” to nie klient): "
                                      "zdecyduje analityk, back office albo administrator.")
    assert "Weryfikacja tożsamości: do decyzji — nadawca „Jan Kowalski” to nie klient" in tg.texts(OLA, mark)[-1]
    await tg.app.worker.drain()
    assert plain(tg.texts(EWA)[-1]) == (
        f"🪪 Leasing „Koparka Volvo EC220E” (nr {deal}): wpłaty weryfikującej nie dało się rozstrzygnąć "
        "automatycznie — nadawca „Jan Kowalski” to nie klient. Potrzebna decyzja.")
    mark = tg.now()
    await tg.press(EWA, "✅ Tożsamość potwierdzona")
    assert tg.texts(EWA, mark) == ["Weryfikacja tożsamości: zgodna — zdecydował(a) Ewa, 23.11.2026 10:00"]
    await tg.send(OLA, "/leases")
    await tg.press(OLA, "Koparka Volvo EC220E")
    screen = plain(tg.texts(OLA)[-1])
    assert "Weryfikacja tożsamości: zgodna — zdecydował(a) Ewa, 23.11.2026 10:00" in screen
    assert "Wpłata weryfikująca: 1,00 zł z rachunku klienta" in screen


async def test_an_early_termination_in_the_chat(tg, uow, factory, cfg, clock):
    w = await started(tg, uow, cfg)
    case = await running(uow, factory, cfg, w, terms="100 000; 0; 12; 12; 10 000")
    deal = case.deal_id
    at(clock, date(2027, 3, 23))
    await lb.accrue(uow(), cfg)
    at(clock, date(2027, 4, 7))
    await tg.app.worker.drain()
    await tg.send(PIOTR, "/leases")
    await tg.press(PIOTR, "Koparka Volvo EC220E")
    await tg.press(PIOTR, "⏹ Rozwiąż przed terminem")
    mark = tg.now()
    await tg.send(PIOTR, "08.04.2027; 2%")
    assert tg.texts(PIOTR, mark) == ["Ten dzień jest w przyszłości: wpisz dzisiejszy albo wcześniejszy."]
    mark = tg.now()
    await tg.send(PIOTR, "dziś; 2%")
    assert [plain(x) for x in tg.texts(PIOTR, mark)] == [
        "Rozliczenie przedterminowe na 07.04.2027:\nkapitał pozostały (9 poz.): 71 185,81 zł\n"
        "odsetki umowne od 23.03.2027: 344,45 zł\nopłata za rozwiązanie: 1 423,72 zł\n"
        "razem brutto (VAT 23%): 89 733,40 zł\n\nRozwiązać umowę?"]
    mark = sent = tg.now()
    await tg.press(PIOTR, "✅ Rozwiąż umowę")
    assert tg.texts(PIOTR, mark)[0] == "Umowa rozwiązana: rozliczenie naliczone z fakturami i wysłane klientowi."
    assert "Status: Rozwiązana przed terminem" in tg.texts(PIOTR, mark)[-1]
    assert "Rozliczenie przedterminowe: 07.04.2027" in tg.texts(PIOTR, mark)[-1]
    mark = tg.now()
    await tg.press(PIOTR, data=f"le:6:{deal}:0", on=None)  # the confirmation again: the dialog is over
    assert tg.alerts(PIOTR, mark) == ["Ten przycisk jest nieaktualny. Otwórz menu ponownie: /menu"]
    await tg.app.worker.drain()
    told = [c for c in tg.calls_to(PREZES, sent) if c.__api_method__ == "sendDocument"]
    captions = [plain(c.caption) for c in told]
    assert (f"⏹ Umowa leasingu „Koparka Volvo EC220E” (nr {deal}) rozwiązana przed terminem: rozliczenie w "
            "załączniku, faktury osobno.") in captions
    assert sum(1 for c in captions if c.startswith("🧾 Faktura")) == 3  # principal, interest, fee: each its faktura
