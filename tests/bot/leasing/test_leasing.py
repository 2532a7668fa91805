"""A Polish lessor's case in the chat (seed 002), in Polish: the salesperson registers a company (a bad NIP refused
with the reason), opens the case with its offer, links the client, sends the offer; the client accepts it from the
notice and gives the consents; filing without G2I is refused with the facts missing; the salesperson adds a surety
and fetches the VAT white list (a fake of the real API); the filing is scored and approved automatically, and the
client is told. Another salesperson's press on the case, and a second acceptance, change nothing."""

from __future__ import annotations

from core.domain.kernel.roles import Role
from core.services.kernel import users
from core.services.leasing.registries import HttpVatWhitelist
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.fake_whitelist import FakeWhitelist, subject

OLA = Person(5001, "Ola", language_code="pl")  # Sprzedaż
JAN = Person(5002, "Jan", language_code="pl")  # another salesperson
PREZES = Person(5100, "Prezes Alfy", language_code="pl")  # the client
NIP = "8567346215"


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


async def staffed(tg, uow) -> None:
    for who in (ADMIN, OLA, JAN, PREZES):
        await tg.start(who)
    admin = await users.find(uow(), str(ADMIN.id))
    for who in (OLA, JAN):
        await users.set_role(uow(), admin.id, (await users.find(uow(), str(who.id))).id, Role.SALES)


async def test_from_the_offer_to_the_automatic_approval_in_polish(tg, uow):
    await staffed(tg, uow)
    await tg.send(OLA, "/menu")
    await tg.press(OLA, "Klient i oferta")
    await tg.press(OLA, "Spółka")
    assert tg.texts(OLA)[-1].startswith("Spółkę wpisuje się tak: „Nazwa; NIP; REGON; KRS”")
    mark = tg.now()
    await tg.send(OLA, "Alfa sp. z o.o.; 8567346216; 192598184; 0000123456")
    assert tg.texts(OLA, mark) == ["NIP „8567346216” jest błędny: 10 cyfr z poprawną cyfrą kontrolną."]
    await tg.send(OLA, f"Alfa sp. z o.o.; {NIP}; 192598184; 0000123456; PL61 1090 1014 0000 0712 1981 2874")
    assert tg.texts(OLA)[-1] == "Co jest przedmiotem leasingu (marka, model)?"
    mark = tg.now()
    await tg.send(OLA, "K" * 257)  # refused at once, and the same question waits
    assert tg.texts(OLA, mark) == ["Za długie: znaków 257, najwyżej 256."]
    await tg.send(OLA, "Koparka Volvo EC220E")
    await tg.send(OLA, "1 500 000; 20%; 48; 8,5; 1%")
    screen = plain(tg.texts(OLA)[-1])
    assert screen.splitlines()[:4] == [
        f"🧾 <b>Koparka Volvo EC220E</b> · nr {screen.split('nr ')[1].split()[0]}",
        "Klient: Alfa sp. z o.o.",
        "Status: Ofertowanie",
        screen.splitlines()[3]]
    assert "Oferta, wersja 1 (szkic): rata 29 314,49 zł, finansowanie 1 200 000,00 zł, 48 rat" in screen
    deal_id = int(screen.split("nr ")[1].split()[0])

    await tg.press(OLA, "Dane wniosku")  # the application's data: a screen of the card's
    await tg.press(OLA, "Klient w bocie")
    await tg.send(OLA, str(PREZES.id))
    assert "Klient powiązany: Alfa sp. z o.o." in tg.texts(OLA)
    mark = tg.now()
    await tg.press(OLA, "Wyślij klientowi")
    assert tg.alerts(OLA, mark) == ["Oferta wysłana klientowi."]
    [notice] = tg.texts(PREZES, mark)
    assert plain(notice) == f"📄 Oferta leasingu „Koparka Volvo EC220E” (nr {deal_id}), wersja 1: rata 29 314,49 zł. " \
                            "Otwórz, aby przyjąć."

    mark = tg.now()
    await tg.press(JAN, data=f"ls:1:{deal_id}:0", on=None)  # another salesperson's forged press
    assert tg.alerts(JAN, mark) == ["Nie masz dostępu do tego działania."]

    await tg.press(PREZES, "📄 Otwórz ofertę")
    mark = tg.now()
    await tg.press(PREZES, "Przyjmij wersję 1")
    assert "Status: Wniosek" in tg.texts(PREZES)[-1]
    await tg.app.worker.drain()
    # the salesperson told what happened and what to do now, with the case a press away
    [told] = tg.calls_to(OLA, mark)
    assert plain(told.text) == (f"🧾 Leasing „Koparka Volvo EC220E” (nr {deal_id}): Wniosek.\nKlient przyjął ofertę: "
                                "to już wniosek. Uzupełnij z nim zgody i zabezpieczenia, pobierz dane z białej listy "
                                "VAT i złóż wniosek.")
    assert [[b.text for b in row] for row in told.reply_markup.inline_keyboard] == [["⬅️ Do wniosku"]]
    mark = tg.now()
    await tg.press(PREZES, "Dokumenty")
    await tg.press(PREZES, "Oferta (PDF)")
    [doc] = [c for c in tg.session.calls[mark:] if c.__api_method__ == "sendDocument"]
    name, content = tg.session.uploads[doc.document.file_id if isinstance(doc.document, str) else
                                       next(reversed(tg.session.uploads))]
    assert (name, doc.caption) == (f"Oferta_{deal_id}-1.pdf", "Oferta leasingu, wersja 1")
    assert content.startswith(b"%PDF")
    await tg.press(PREZES, "⬅️ Do wniosku")  # from the documents back to the card
    mark = tg.now()
    await tg.press(PREZES, data=f"ls:9:{deal_id}:1", on=None)  # version 1 again: already accepted
    assert tg.alerts(PREZES, mark) == ["Wersja 1 oferty jest zamknięta: otwórz nową."]
    await tg.press(PREZES, "Zgody (4)")  # the consents' screen stays while one is left to give
    assert tg.texts(PREZES)[-1].split("\n\n")[-1].splitlines()[:2] == [  # each consent's words, before it is given
        "Naciskając przycisk „☑️ Zgoda: …”, wyrażasz zgodę o tej treści:",
        "<b>przetwarzanie danych osobowych</b>: Wyrażam zgodę na przetwarzanie moich danych osobowych przez "
        "finansującego w celu rozpatrzenia wniosku leasingowego oraz zawarcia i wykonania umowy leasingu."]
    for name in ("przetwarzanie danych osobowych", "zapytania do biur", "komunikacja elektroniczna"):
        await tg.press(PREZES, f"Zgoda: {name}")
    assert "Zgody: przetwarzanie danych osobowych, zapytania do biur informacji kredytowej (BIK/BIG), " \
           "komunikacja elektroniczna" in tg.texts(PREZES)[-1]
    await tg.press(PREZES, "⬅️ Do wniosku")  # marketing's consent is left: back to the card
    mark = tg.now()
    await tg.press(PREZES, "Złóż wniosek")
    assert tg.alerts(PREZES, mark) == [
        "Scoringu nie da się jeszcze policzyć: brakuje danych z białej listy VAT — pobierze je Twój doradca."]

    await tg.send(OLA, "/leases")
    await tg.press(OLA, "Koparka Volvo EC220E")
    await tg.press(OLA, "Dane wniosku")
    await tg.press(OLA, "Zabezpieczenie")
    await tg.press(OLA, "poręczenie")
    await tg.send(OLA, "44051401359")
    assert "Zabezpieczenia: poręczenie" in tg.texts(OLA)[-1]
    fake = FakeWhitelist()
    fake.subjects[NIP] = subject(NIP)
    async with fake.serving() as url:
        tg.app.dp["registry"] = HttpVatWhitelist(url)
        await tg.press(OLA, "Dane wniosku")
        await tg.press(OLA, "Biała lista VAT")
    assert "Dane z białej listy VAT pobrane." in tg.texts(OLA)
    assert "Weryfikacja danych klienta: zgodne z rejestrem." in tg.texts(OLA)[-1]  # the legal form spelled out
    await tg.press(OLA, "Dane wniosku")
    await tg.press(OLA, "Wpłata weryfikująca")
    mark = tg.now()
    await tg.send(OLA, "DE89 3704 0044 0532 0130 00; 1,00")
    assert tg.texts(OLA, mark) == ["Wpłata przyszła z rachunku DE89370400440532013000, a nie z rachunku klienta: "
                                   "tożsamość i rachunek niepotwierdzone."]
    await tg.send(OLA, "ALFA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ; PL61 1090 1014 0000 0712 1981 2874; 1,00")
    assert "Wpłata weryfikująca: 1,00 zł z rachunku klienta" in plain(tg.texts(OLA)[-1])
    assert "Weryfikacja tożsamości: zgodna, 23.11.2026 10:00" in tg.texts(OLA)[-1]  # decided by itself
    mark = tg.now()
    await tg.press(OLA, "Złóż wniosek")
    assert tg.alerts(OLA, mark) == ["Wniosek złożony: scoring 60, zatwierdzony automatycznie."]
    assert any("Status: Decyzja pozytywna" in text and "Scoring: 60 (zatwierdzony automatycznie)" in text
               for text in tg.texts(OLA, mark))  # the screen, edited in place
    told = [plain(text) for text in tg.texts(PREZES, mark)]
    assert f"🧾 Leasing „Koparka Volvo EC220E” (nr {deal_id}): Decyzja pozytywna.\nTwój wniosek został " \
           "zaakceptowany. Doradca przygotuje umowę do podpisu." in told
    assert not [x for x in told if "Scoring" in x]  # the points are the lessor's, not the client's
    await tg.press(PREZES, "Do wniosku")
    card = tg.texts(PREZES)[-1]
    for internal in ("Weryfikacja danych", "Biała lista VAT", "Scoring"):  # the staff's, not the client's to read
        assert internal not in card


EWA = Person(5003, "Ewa", language_code="pl")  # Ryzyko


async def at_analysis(tg, uow, cfg) -> int:
    """A case filed by the services with a middling score (15 % down over 60 months): at «Ocena ryzyka»."""
    from core.domain.leasing.case import ClientKind, Consent
    from core.services.leasing import origination as leasing

    await staffed(tg, uow)
    await tg.start(EWA)
    admin = await users.find(uow(), str(ADMIN.id))
    await users.set_role(uow(), admin.id, (await users.find(uow(), str(EWA.id))).id, Role.RISK)
    ola, prezes = await users.find(uow(), str(OLA.id)), await users.find(uow(), str(PREZES.id))
    client = await leasing.register_client(uow(), ola.id, ClientKind.COMPANY,
                                           f"Alfa sp. z o.o.; {NIP}; 192598184; 0000123456; "
                                           "PL61 1090 1014 0000 0712 1981 2874")
    case = await leasing.open_case(uow(), ola.id, client.id, "Ciągnik", "1 500 000; 15%; 60; 8,5; 1%", cfg)
    await leasing.link_client(uow(), ola.id, case.deal_id, str(PREZES.id))
    offer = await leasing.send_offer(uow(), ola.id, case.deal_id)
    await leasing.accept_offer(uow(), prezes.id, offer.id)
    for consent in (Consent.DATA, Consent.BUREAUS, Consent.ELECTRONIC):
        await leasing.give_consent(uow(), prezes.id, case.deal_id, consent)
    fake = FakeWhitelist()
    fake.subjects[NIP] = subject(NIP)
    async with fake.serving() as url:
        await leasing.fetch_registry(uow(), HttpVatWhitelist(url), ola.id, case.deal_id)
    await leasing.submit(uow(), ola.id, case.deal_id)
    await tg.app.worker.drain()
    return case.deal_id


async def test_the_analyst_decides_with_conditions_and_the_salesperson_meets_them(tg, uow, cfg):
    deal_id = await at_analysis(tg, uow, cfg)
    assert f"🧾 Leasing „Ciągnik” (nr {deal_id}): Ocena ryzyka.\nScoring: 20 pkt\nWniosek czeka na Twoją ocenę " \
           "ryzyka." in [plain(text) for text in tg.texts(EWA)]
    await tg.press(EWA, "Do wniosku")
    mark = tg.now()
    await tg.press(JAN, data=f"ls:12:{deal_id}:3", on=None)  # a salesperson forging the analyst's motion
    assert tg.alerts(JAN, mark) == ["Nie masz dostępu do tego działania."]
    await tg.press(EWA, "Wniosek ryzyka")
    assert tg.texts(EWA)[-1] == "Treść wniosku ryzyka:"
    await tg.send(EWA, "Firma z krótką historią; proponuję warunki")
    await tg.press(EWA, "Decyzja warunkowa")
    mark = tg.now()
    await tg.send(EWA, "Krótka historia")  # no conditions: refused, the dialog waits
    assert tg.texts(EWA, mark) == [
        "Decyzja warunkowa: „uzasadnienie | warunek 1; warunek 2” — od 1 do 10 warunków."]
    await tg.send(EWA, "Krótka historia | poręczenie prezesa; cesja polisy AC")
    screen = tg.texts(EWA)[-1]
    assert "Status: Decyzja warunkowa" in screen and "☐ poręczenie prezesa\n☐ cesja polisy AC" in screen
    told = [plain(text) for text in tg.texts(OLA)]
    assert f"🧾 Leasing „Ciągnik” (nr {deal_id}): Decyzja warunkowa.\nPowód: Krótka historia\nDecyzja warunkowa: " \
           "spełnij warunki z karty wniosku, potem przygotuj umowę do podpisu." in told

    await tg.press(OLA, "Do wniosku")
    mark = tg.now()
    await tg.press(OLA, "Do podpisu")
    assert tg.alerts(OLA, mark) == ["Najpierw spełnij warunki decyzji: poręczenie prezesa; cesja polisy AC."]
    await tg.press(OLA, "☐ poręczenie prezesa")
    await tg.press(OLA, "☐ cesja polisy AC")
    await tg.press(OLA, "Do podpisu")
    assert any("Status: Podpisywanie" in text for text in tg.texts(OLA, mark))


PIOTR = Person(5004, "Piotr", language_code="pl")  # Back Office


async def test_the_signing_and_the_back_offices_check_in_the_chat(tg, uow, cfg):
    from core.domain.leasing.case import LeaseStatus
    from core.services.leasing import origination as leasing

    deal_id = await at_analysis(tg, uow, cfg)
    await tg.start(PIOTR)
    admin, ewa, ola = [await users.find(uow(), str(p.id)) for p in (ADMIN, EWA, OLA)]
    await users.set_role(uow(), admin.id, (await users.find(uow(), str(PIOTR.id))).id, Role.BACK_OFFICE)
    await leasing.risk_move(uow(), ewa.id, deal_id, LeaseStatus.MOTION, "Wniosek")
    await leasing.risk_move(uow(), ewa.id, deal_id, LeaseStatus.APPROVED, "Dobra firma")
    await leasing.to_signing(uow(), ola.id, deal_id)
    await tg.send(OLA, "/leases")
    await tg.press(OLA, "Ciągnik")
    mark = tg.now()
    await tg.press(OLA, "Dokumenty")
    await tg.press(OLA, "📎 dowód osobisty")
    await tg.document(OLA, "dowod.pdf", content=b"MZ\x90\x00 a program")  # a program named .pdf
    assert tg.texts(OLA, mark)[-1] == "To program, nie dokument: takich plików nie przyjmujemy."
    for name, file in (("dowód osobisty", "dowod.pdf"), ("sprawozdania finansowe", "bilans.pdf"),
                       ("odpis z KRS", "krs.pdf"), ("zaświadczenie o niezaleganiu", "us.pdf"),
                       ("skan podpisanej umowy", "umowa.pdf")):
        if name != "dowód osobisty":
            await tg.press(OLA, "Dokumenty")
            await tg.press(OLA, f"📎 {name}")
        await tg.document(OLA, file)
    mark = tg.now()
    await tg.press(OLA, "Do weryfikacji")
    assert tg.alerts(OLA, mark) == ["Najpierw wygeneruj umowę."]
    await tg.press(OLA, "Umowa (PDF)")
    [contract] = [c for c in tg.session.calls[mark:] if c.__api_method__ == "sendDocument"]
    assert contract.caption == f"Umowa leasingu nr {deal_id}"  # the case's number, as the chat says
    await tg.press(PREZES, data=f"ls:1:{deal_id}:0", on=None)  # the client reads the contract and accepts its terms
    mark = tg.now()
    await tg.press(PREZES, "Umowa (PDF)")
    assert [c.caption for c in tg.session.calls[mark:] if c.__api_method__ == "sendDocument"] == \
        [f"Umowa leasingu nr {deal_id}"]
    mark = tg.now()
    await tg.press(PREZES, "Akceptuję warunki umowy")
    assert "Klient zaakceptował warunki umowy:" in tg.texts(PREZES)[-1]
    await tg.app.worker.drain()
    assert [plain(x) for x in tg.texts(OLA, mark)] == [
        f"🧾 Leasing „Ciągnik” (nr {deal_id}): Podpisywanie.\nKlient zaakceptował warunki umowy. Gdy wgrasz skan "
        "podpisanej umowy, przekaż ją do weryfikacji (📤 Do weryfikacji)."]
    await tg.press(OLA, "Do weryfikacji")
    assert f"🧾 Leasing „Ciągnik” (nr {deal_id}): Weryfikowanie.\nUmowa podpisana: sprawdź dokumenty (🔍 " \
           "Sprawdzenie automatyczne), zaakceptuj je albo odeślij do poprawek i przekaż umowę do płatności (💸 " \
           "Przekaż do płatności)." in [plain(x) for x in tg.texts(PIOTR)]

    await tg.press(PIOTR, "Do wniosku")
    mark = tg.now()
    await tg.press(PIOTR, "Sprawdzenie automatyczne")
    assert tg.alerts(PIOTR, mark) == ["Sprawdzenie automatyczne: bez uwag."]
    await tg.press(PIOTR, "Dokumenty")  # each file: shown, accepted or rejected
    screen = tg.session.shown[PIOTR.id][max(tg.session.shown[PIOTR.id])]
    [reject] = [row[2].callback_data for row in screen.markup.inline_keyboard if row[0].text == "👁 odpis z KRS"]
    await tg.press(PIOTR, data=reject, on=screen)
    await tg.send(PIOTR, "Odpis starszy niż 3 miesiące")
    told = [plain(x) for x in tg.texts(OLA)]
    assert (f"🧾 Leasing „Ciągnik” (nr {deal_id}): Podpisywanie.\n"
            "Dokument „odpis z KRS” odrzucony: Odpis starszy niż 3 miesiące") in told
    await tg.press(OLA, "Do wniosku")
    assert "❌ odpis z KRS: Odpis starszy niż 3 miesiące" in tg.texts(OLA)[-1]
    await tg.press(OLA, "Dokumenty")
    await tg.press(OLA, "📎 odpis z KRS")
    await tg.document(OLA, "krs-nowy.pdf")
    await tg.press(OLA, "Do weryfikacji")
    await tg.press(PIOTR, "Do wniosku")
    await tg.press(PIOTR, "Dokumenty")  # the screen stays while a file is left to accept
    for _ in range(5):
        screen = tg.session.shown[PIOTR.id][max(tg.session.shown[PIOTR.id])]
        oks = [b.callback_data for row in screen.markup.inline_keyboard for b in row if b.text.startswith("✅")]
        if not oks:
            break
        await tg.press(PIOTR, data=oks[0], on=screen)
    mark = tg.now()
    await tg.press(PIOTR, "Przekaż do płatności")
    assert any("Status: Uruchomienie" in x for x in tg.texts(PIOTR, mark))  # the launch begins


async def test_an_admin_replaces_the_scoring_table(tg, uow):
    await staffed(tg, uow)
    await tg.send(ADMIN, "/menu")
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Скоринг")
    assert "<code>advance_pct &gt;= 20: +20" in tg.texts(ADMIN)[-1]  # the table in force, escaped
    await tg.press(ADMIN, "Заменить таблицу")
    mark = tg.now()
    await tg.send(ADMIN, "advance_pct >= 30: +50\nadvance >= 1: +1\napprove 40; refuse 0")
    assert tg.texts(ADMIN, mark)[0].startswith("Строка 2 таблицы скоринга не понята")
    await tg.send(ADMIN, "advance_pct >= 30: +50\naccount_listed = 0: stop\napprove 40; refuse 0")
    assert tg.texts(ADMIN)[-1] == "Таблица скоринга заменена: правил — 2."
    mark = tg.now()
    await tg.press(OLA, data="ls:24:0:0", on=None)  # a salesperson forging the admins' button
    assert tg.alerts(OLA, mark) == ["Nie masz dostępu do tego działania."]


async def test_the_client_and_the_salesperson_write_to_each_other_through_the_bot(tg, uow, cfg):
    deal_id = await at_analysis(tg, uow, cfg)
    await tg.press(PREZES, data=f"ls:1:{deal_id}:0", on=None)
    await tg.press(PREZES, "Napisz")
    assert tg.texts(PREZES)[-1] == "Napisz wiadomość (tekst, zdjęcie albo dokument): trafi do: doradcy (Ola)."
    mark = tg.now()
    await tg.send(PREZES, "Czy mogę dosłać <b>bilans</b> jutro?")
    assert tg.texts(PREZES, mark)[-1] == "Wiadomość wysłana."
    # the salesperson reads who wrote, by name, and answers with a press (the client's adviser: «Doradca»)
    [relayed] = tg.calls_to(OLA, mark)
    assert relayed.text == \
        f"💬 Leasing nr {deal_id} · Klient Alfa sp. z o.o.:\n\nCzy mogę dosłać &lt;b&gt;bilans&lt;/b&gt; jutro?"
    assert [[b.text for b in row] for row in relayed.reply_markup.inline_keyboard] == [["↩️ Odpowiedz"],
                                                                                         ["⬅️ Do wniosku"]]
    mark = tg.now()
    await tg.press(OLA, "Do wniosku")  # the card comes as a new message: the client's words stay in the chat
    assert [m for m in tg.methods(OLA, mark) if m != "answerCallbackQuery"] == ["sendMessage"]
    mark = tg.now()
    await tg.press(OLA, "↩️ Odpowiedz")  # on the relayed message: the case's reply prompt, to this client
    assert tg.texts(OLA, mark) == ["Napisz wiadomość (tekst, zdjęcie albo dokument): trafi do: Alfa sp. z o.o."]
    mark = tg.now()
    await tg.document(OLA, "wzor.pdf", caption="Wzór oświadczenia")
    copies = [c for c in tg.session.calls[mark:] if c.__api_method__ == "copyMessage"]
    assert [(c.chat_id, c.from_chat_id, c.caption) for c in copies] == \
        [(PREZES.id, OLA.id, f"💬 Leasing nr {deal_id} · Doradca Ola:\n\nWzór oświadczenia")]
    assert [[b.text for b in row] for row in copies[0].reply_markup.inline_keyboard] == [["↩️ Odpowiedz"],
                                                                                           ["⬅️ Do wniosku"]]
    mark = tg.now()
    await tg.press(PREZES, data=copies[0].reply_markup.inline_keyboard[0][0].callback_data, on=None)  # the same
    assert tg.texts(PREZES, mark) == ["Napisz wiadomość (tekst, zdjęcie albo dokument): trafi do: doradcy (Ola)."]
    await tg.send(PREZES, "/cancel")
    assert not [c for c in tg.session.calls[mark:] if c.__api_method__ == "forwardMessage"]
    mark = tg.now()
    await tg.press(JAN, data=f"ls:29:{deal_id}:0", on=None)  # another salesperson
    assert tg.alerts(JAN, mark) == ["Nie masz dostępu do tego działania."]


async def test_a_client_who_just_writes_reaches_the_adviser_of_the_open_case(tg, uow, cfg):
    """Walkthrough: a client typed without pressing «💬 Napisz» and got «Nie rozumiem tej wiadomości.» with a hint to
    start a case he already has. Now the words go to his open case's adviser, as «💬 Napisz» sends them."""
    deal_id = await at_analysis(tg, uow, cfg)
    mark = tg.now()
    await tg.send(PREZES, "Kiedy będzie decyzja?")
    assert tg.texts(PREZES, mark) == ["Wiadomość wysłana."]
    [relayed] = tg.calls_to(OLA, mark)
    assert relayed.text == f"💬 Leasing nr {deal_id} · Klient Alfa sp. z o.o.:\n\nKiedy będzie decyzja?"
    assert [[b.text for b in row] for row in relayed.reply_markup.inline_keyboard] == [["↩️ Odpowiedz"],
                                                                                         ["⬅️ Do wniosku"]]
    mark = tg.now()
    await tg.send(OLA, "Dzień dobry")  # staff's stray words: still not understood, never relayed
    assert tg.texts(OLA, mark)[0].startswith("Nie rozumiem tej wiadomości.\n")
    assert tg.calls_to(PREZES, mark) == []
