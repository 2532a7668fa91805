"""A running contract's books in the chat (seed 002), in Polish: the back office pays the vendor (the client gets the
fees' fakturas as PDFs), records the insurance and hands the object over; the accrual run sends the next faktura;
the collections team books a payment (a bad one refused with the reason, a double send booked once) and imports
a bank statement (the same file again adds nothing); the client reads the account, the schedule, the fakturas;
a forged press on someone else's contract and a client's press on a staff step change nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from core.db.kernel import models as m
from core.services.leasing import books as lb
from core.services.leasing import launch
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.services.leasing.test_lease_books import at, at_launch, staff
from tests.services.leasing.test_leasing import lessor

PIOTR = Person(5004, "Piotr", language_code="pl")  # Back Office
ANNA = Person(5005, "Anna", language_code="pl")  # windykacja
PREZES = Person(5100, "Prezes Alfy", language_code="pl")  # the client
JAN = Person(5002, "Jan", language_code="pl")  # another salesperson


def labels(call) -> list[list[str]]:
    """The buttons' texts of a message sent, row by row."""
    return [[b.text for b in row] for row in call.reply_markup.inline_keyboard]


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


async def started(tg, uow, cfg) -> dict:
    """The lessor's people in the chat (in Polish), with their roles."""
    for who in (ADMIN, Person(5001, "Ola", language_code="pl"), JAN, Person(5003, "Ewa", language_code="pl"),
                PIOTR, ANNA, PREZES):
        await tg.start(who)
    return await staff(uow, cfg, await lessor(uow, cfg))


async def test_the_launch_the_fakturas_a_payment_and_a_statement_in_polish(tg, uow, factory, cfg, clock):
    w = await started(tg, uow, cfg)
    case = await at_launch(uow, factory, cfg, w)
    deal = case.deal_id
    await tg.app.worker.drain()

    await tg.send(PIOTR, "/leases")
    await tg.press(PIOTR, "Koparka Volvo EC220E")
    await tg.press(PIOTR, "📒 Rozliczenia")
    screen = plain(tg.texts(PIOTR)[-1])
    assert screen.splitlines()[:2] == [f"📒 <b>Umowa leasingu nr {deal}</b>: Koparka Volvo EC220E",
                                       "Status: Uruchomienie"]
    mark = tg.now()
    await tg.press(PIOTR, "🔑 Wydanie przedmiotu")  # refused before its day is asked, the missing step a press away
    assert tg.texts(PIOTR, mark) == ["Najpierw zapłać dostawcy za przedmiot."]
    assert labels(tg.calls_to(PIOTR, mark)[-1]) == [["💸 Płatność dla dostawcy"], ["⬅️ Do rozliczeń"]]
    await tg.press(PIOTR, "💸 Płatność dla dostawcy")
    assert tg.texts(PIOTR)[-1] == ("Ile zapłacono dostawcy za przedmiot? Wpisz kwotę; jeśli chcesz, po średniku dopisz "
                                   "tytuł przelewu. Przykład: 13 200; PRZELEW 1")
    mark = tg.now()
    await tg.send(PIOTR, "13 200 EUR; PRZELEW 1")
    assert tg.texts(PIOTR, mark) == ["Umowa jest w PLN, nie w EUR."]
    mark = tg.now()
    await tg.send(PIOTR, "13 200; PRZELEW 1")
    assert tg.texts(PIOTR, mark)[0] == (  # the vendor is not in the bot: not said to be told
        "Płatność dla dostawcy zapisana; opłata wstępna i administracyjna naliczone. Dostawcy nie ma w bocie: "
        "powiadom go sam (e-mailem albo telefonicznie).")
    assert "Zapłacono dostawcy 23.11.2026: 13 200,00 zł" in plain(tg.texts(PIOTR)[-1])
    fakturas = [c for c in tg.calls_to(PREZES, mark) if c.__api_method__ == "sendDocument"]
    assert [plain(c.caption) for c in fakturas] == [
        f"🧾 Faktura FV/2026/000001 do umowy nr {deal}: 1 230,00 zł, termin płatności 23.11.2026.",
        f"🧾 Faktura FV/2026/000002 do umowy nr {deal}: 123,00 zł, termin płatności 23.11.2026."]
    name, content = tg.session.uploads[next(iter(tg.session.uploads))]
    assert (name, content[:4]) == ("FV_2026_000001.pdf", b"%PDF")

    mark = tg.now()
    await tg.press(PIOTR, "🔑 Wydanie przedmiotu")  # the vendor paid, the insurance still missing: said first
    assert tg.texts(PIOTR, mark) == ["Najpierw wprowadź ubezpieczenie przedmiotu."]
    assert labels(tg.calls_to(PIOTR, mark)[-1]) == [["🛡 Ubezpieczenie"], ["⬅️ Do rozliczeń"]]
    await tg.press(PIOTR, "🛡 Ubezpieczenie")
    await tg.send(PIOTR, "PZU S.A.; POL/2026/1; 23.11.2026; 22.11.2027")
    await tg.press(PIOTR, "🔑 Wydanie przedmiotu")
    mark = tg.now()
    await tg.send(PIOTR, "dziś")
    assert tg.texts(PIOTR, mark)[0] == ("Przedmiot wydany: umowa w rozliczaniu, harmonogram przeliczony od daty "
                                        "wydania.")
    assert "Status: Rozliczanie" in tg.texts(PIOTR)[-1]

    at(clock, date(2026, 12, 23))
    mark = tg.now()
    await lb.accrue(uow(), cfg)
    await tg.app.worker.drain()
    [faktura] = [c for c in tg.calls_to(PREZES, mark) if c.__api_method__ == "sendDocument"]
    assert plain(faktura.caption) == (f"🧾 Faktura FV/2026/000003 do umowy nr {deal}: 1 230,00 zł, termin płatności "
                                      "23.12.2026.")

    await tg.send(ANNA, "/leases")
    await tg.press(ANNA, "Koparka Volvo EC220E")
    await tg.press(ANNA, "📒 Rozliczenia")
    await tg.press(ANNA, "💳 Rejestracja wpłaty")
    assert tg.texts(ANNA)[-1] == ("Jaka kwota wpłynęła? Wpisz kwotę. Jeśli wpłynęła innego dnia niż dziś, dopisz "
                                  "datę, a jeśli w innej walucie niż umowa, także walutę. "
                                  "Przykład: 1 230,00 15.01.2027")
    mark = tg.now()
    await tg.send(ANNA, "0")
    assert tg.texts(ANNA, mark) == ["Kwota musi być większa od zera."]
    mark = tg.now()
    await tg.send(ANNA, "23.11.2026")  # a date, no amount
    assert tg.texts(ANNA, mark) == ["Nie rozpoznano kwoty. Wpisz kwotę, a po niej, jeśli trzeba, datę i walutę. "
                                    "Przykład: 1 230,00 15.01.2027"]
    mark = tg.now()
    await tg.send(ANNA, "1 353,00 23.11.2026")
    assert plain(tg.texts(ANNA, mark)[0]) == "Wpłata zaksięgowana. Saldo: 1 230,00 zł"
    assert plain(tg.texts(PREZES)[-1]) == (f"💳 Wpłata 1 353,00 zł z 23.11.2026 do umowy nr {deal} zaksięgowana. "
                                           "Saldo: 1 230,00 zł.")

    statement = (f"Data;Kwota;Waluta;Tytuł\n2026-12-23;1230,00;PLN;Umowa {deal} rata 1\n"
                 f"2026-12-23;99,00;PLN;Umowa 99999-1\n").encode()
    await tg.send(ANNA, "/menu")
    await tg.press(ANNA, "📒 Rozliczenia")
    await tg.press(ANNA, "📥 Wczytaj wyciąg (MT940 lub CSV)")
    mark = tg.now()
    await tg.document(ANNA, "wyciag.csv", "text/csv", content=statement)
    assert tg.texts(ANNA, mark) == ["Wyciąg — pozycje: 2; zaksięgowane: 1; odłożone: 1; pominięte (obciążenia i już "
                                    "zaksięgowane): 0."]
    summary = next(reversed(tg.session.shown[ANNA.id].values()))  # the lines aside a press away, and the way back
    assert [b.text for row in summary.markup.inline_keyboard for b in row] == ["❓ Nierozpoznane wpłaty",
                                                                               "⬅️ Menu rozliczeń"]
    await tg.press(ANNA, "📥 Wczytaj wyciąg (MT940 lub CSV)")
    mark = tg.now()
    await tg.document(ANNA, "wyciag.csv", "text/csv", content=statement)  # the same file again
    assert tg.texts(ANNA, mark) == ["Ten wyciąg wczytano już 23.12.2026 (pozycje: 2): nic nie dodano."]
    mark = tg.now()  # the refusal closed the form (no /cancel needed): the file again is no statement step
    await tg.document(ANNA, "wyciag.csv", "text/csv", content=statement)
    assert tg.texts(ANNA, mark)[0].startswith("Nie rozumiem tej wiadomości.")
    await tg.press(ANNA, "❓ Nierozpoznane wpłaty")
    assert "Umowa 99999-1 · nieznana umowa" in tg.texts(ANNA)[-1]
    aside = next(reversed(tg.session.shown[ANNA.id].values()))
    assert [b.text for row in aside.markup.inline_keyboard for b in row] == [
        "➡️ Przypisz 1. (99,00\xa0zł) do umowy", "⬅️ Menu rozliczeń"]

    # the client's self care
    await tg.send(PREZES, "/leases")
    await tg.press(PREZES, "Koparka Volvo EC220E")
    await tg.press(PREZES, "📒 Rozliczenia")
    account = plain(tg.texts(PREZES)[-1])
    assert "<b>Saldo do zapłaty: 0,00 zł</b>" in account
    # what concerns the client, not the lessor's own steps (the vendor's payment, the schedule's versions, the table)
    assert "Przedmiot wydany 23.11.2026" in account and "Odsetki za opóźnienie: ustawowe odsetki za opóźnienie" \
        in account
    for internal in ("Zapłacono dostawcy", "harmonogram, wersja", "tabela stóp"):
        assert internal not in account
    assert "Następna rata nr 2: 23.01.2027, 1 230,00 zł" in account
    assert "💳 Rejestracja wpłaty" not in tg.seen_by(PREZES, tg.now() - 1)  # the steps are the staff's
    await tg.press(PREZES, "📅 Harmonogram")
    schedule = plain(tg.texts(PREZES)[-1]).splitlines()
    assert schedule[1] == "✅ 1. 23.12.2026 — 1 230,00 zł (1 000,00 zł + VAT 230,00 zł)"
    assert schedule[-1] == "🕓 Wykup. 23.11.2027 — 1 476,00 zł (1 200,00 zł + VAT 276,00 zł)"
    await tg.press(PREZES, "🧾 Faktury")
    assert "FV/2026/000003 — Rata leasingowa — 1 230,00 zł · opłacona" in plain(tg.texts(PREZES)[-1])
    mark = tg.now()
    await tg.press(PREZES, "📄 FV/2026/000003")
    assert tg.methods(PREZES, mark) == ["sendDocument"]  # sent again by its file id: no new upload

    mark = tg.now()
    await tg.press(PREZES, data=f"lb:10:{deal}:0", on=None)  # a forged staff step
    await tg.press(JAN, data=f"lb:1:{deal}:0", on=None)  # another salesperson's contract
    assert tg.alerts(PREZES, mark) == ["Ten przycisk jest nieaktualny. Otwórz menu ponownie: /menu"]
    assert tg.alerts(JAN, mark) == ["Nie masz dostępu do tego działania."]
    async with factory() as s:
        receipts = await s.scalar(select(func.count()).select_from(m.LeaseReceipt))
    assert receipts == 2


async def test_charges_credit_notes_suspension_and_the_admins_tables_in_polish(tg, uow, factory, cfg, clock):
    w = await started(tg, uow, cfg)
    case = await at_launch(uow, factory, cfg, w)
    deal = case.deal_id
    await launch.pay_vendor(uow(), cfg, w["bo"].id, deal, "13 200")
    await launch.set_insurance(uow(), cfg, w["bo"].id, deal, "PZU; P/1; 23.11.2026; 22.11.2027")
    await launch.hand_over(uow(), cfg, w["bo"].id, deal)
    await tg.app.worker.drain()

    await tg.send(ANNA, "/leases")
    await tg.press(ANNA, "Koparka Volvo EC220E")
    await tg.press(ANNA, "📒 Rozliczenia")
    await tg.press(ANNA, "➕ Obciążenie")
    mark = tg.now()
    await tg.send(ANNA, "50; Duplikat faktury")
    assert "Naliczono: 1 414,50 zł" in plain(tg.texts(ANNA, mark)[-1])  # 1 353 + 61,50
    fv = [c for c in tg.calls_to(PREZES, mark) if c.__api_method__ == "sendDocument"]
    assert [plain(c.caption) for c in fv] == [
        f"🧾 Faktura FV/2026/000003 do umowy nr {deal}: 61,50 zł, termin płatności 23.11.2026."]
    await tg.press(ANNA, "↩️ Korekta")
    mark = tg.now()
    await tg.send(ANNA, "5 000; Rabat")  # which faktura it corrects is named
    assert plain(tg.texts(ANNA, mark)[0]) == ("Potrzebne: numer faktury; kwota brutto; powód, np. FV/2027/000003; "
                                              "123,00; rabat.")
    mark = tg.now()
    await tg.send(ANNA, "FV/2026/000003; 5 000; Rabat")
    assert plain(tg.texts(ANNA, mark)[0]) == "Korekta większa niż pozycja korygowanej faktury: najwyżej 61,50 zł."
    await tg.send(ANNA, "FV/2026/000003; 61,50; Obciążenie anulowane")
    assert "Faktura korygująca FK/2026/000001 zaksięgowana." in tg.texts(ANNA)
    await tg.press(ANNA, "⏸ Zawieś umowę")
    mark = tg.now()
    await tg.send(ANNA, "Szkoda całkowita")
    assert "Status: Zawieszona" in tg.texts(ANNA, mark)[-1]
    mark = tg.now()
    await tg.press(ANNA, "▶️ Odwieś umowę")
    assert tg.alerts(ANNA, mark) == ["Umowa odwieszona; harmonogram przesunięty o 0 mies."]
    assert "Status: Rozliczanie" in tg.texts(ANNA)[-1]
    mark = tg.now()
    await tg.press(ANNA, data=f"lb:21:{deal}:0", on=None)  # the contract's rate is the back office's
    assert tg.alerts(ANNA, mark) == ["Ten przycisk jest nieaktualny. Otwórz menu ponownie: /menu"]

    await tg.send(PIOTR, "/leases")
    await tg.press(PIOTR, "Koparka Volvo EC220E")
    await tg.press(PIOTR, "📒 Rozliczenia")
    await tg.press(PIOTR, "％ Odsetki umowne")
    await tg.send(PIOTR, "12,5")
    assert "Odsetki za opóźnienie: 12,5 %" in plain(tg.texts(PIOTR)[-1])

    await tg.send(ADMIN, "/menu")
    await tg.press(ADMIN, "🧾 Лизинг")  # an admin's menu, by area: the leasing section
    mark = tg.now()
    await tg.press(ADMIN, "📒 Расчёты по лизингу")
    assert tg.texts(ADMIN, mark)[-1].endswith(  # the two fees, the other charge, the correction: queued, not sent
        "\n\n🧾 KSeF: <b>выключен</b>. Включает его тот, кто запускает бота: в файле настроек бота (.env) он указывает "
        "NIP лизингодателя и токен KSeF (KSEF_NIP, KSEF_TOKEN), как описано в <code>docs/settings.md</code>. "
        "Фактур в очереди на отправку: 4.")
    await tg.press(ADMIN, "📣 Уровни напоминаний")
    assert "<pre>3; Напоминание об оплате\n14; Требование об оплате\n30; Последнее досудебное требование об оплате" \
           "</pre>" in tg.texts(ADMIN)[-1]  # the default levels in the admin's language
    mark = tg.now()
    await tg.send(ADMIN, "14; Wezwanie\n7; Przypomnienie")
    assert tg.texts(ADMIN, mark) == ["Строка 2: дни от 1 до 365 и по возрастанию."]
    await tg.send(ADMIN, "7; Przypomnienie\n14; Wezwanie")
    assert tg.texts(ADMIN)[-1] == "Сохранено:\n<pre>7; Przypomnienie\n14; Wezwanie</pre>"


async def test_a_line_kept_aside_assigned_in_the_chat_and_the_runs_told_in_polish(tg, uow, factory, cfg, clock):
    w = await started(tg, uow, cfg)
    case = await at_launch(uow, factory, cfg, w)
    deal = case.deal_id
    await launch.pay_vendor(uow(), cfg, w["bo"].id, deal, "13 200")
    await tg.app.worker.drain()
    mark = tg.now()  # the vendor paid: the form is refused before it opens, nothing to retype
    await tg.press(PIOTR, data=f"lb:6:{deal}:0", on=None)
    assert [plain(x) for x in tg.alerts(PIOTR, mark)] == ["Dostawcy już zapłacono 23.11.2026: 13 200,00 zł."]
    assert tg.texts(PIOTR, mark) == []
    await launch.set_insurance(uow(), cfg, w["bo"].id, deal, "PZU; P/1; 23.11.2026; 22.11.2027")
    await launch.hand_over(uow(), cfg, w["bo"].id, deal)

    statement = ("Data;Kwota;Waluta;Tytuł;Rachunek\n2026-11-23;1353,00;PLN;Rata 1-12;"
                 "PL27 1140 2004 0000 3002 0135 5387\n").encode()
    await tg.send(ANNA, "/menu")
    await tg.press(ANNA, "📒 Rozliczenia")
    await tg.press(ANNA, "📥 Wczytaj wyciąg (MT940 lub CSV)")
    await tg.document(ANNA, "wyciag.csv", "text/csv", content=statement)
    assert tg.texts(ANNA)[-1].startswith("Wyciąg — pozycje: 1; zaksięgowane: 0; odłożone: 1;")
    await tg.send(ANNA, "/menu")
    await tg.press(ANNA, "📒 Rozliczenia")
    await tg.press(ANNA, "❓ Nierozpoznane wpłaty")
    listed = plain(tg.texts(ANNA)[-1])
    assert listed.splitlines()[1] == ("1. 23.11.2026 — 1 353,00 zł — Rata 1-12 · PL27114020040000300201355387 · "
                                      "nieznana umowa")
    await tg.press(ANNA, "➡️ Przypisz 1. (1\xa0353,00\xa0zł) do umowy")
    assert tg.texts(ANNA)[-1] == "Numer umowy, do której należy ta wpłata, np. 55."
    mark = tg.now()
    await tg.send(ANNA, "nie wiem")  # a typing mistake: asked again, the form stays
    assert tg.texts(ANNA, mark) == ["Podaj numer umowy, np. 55."]
    mark = tg.now()
    await tg.send(ANNA, f"{deal}")
    assert [plain(x) for x in tg.texts(ANNA, mark)] == [
        f"✅ Wpłata 1 353,00 zł zaksięgowana na umowę nr {deal}. Saldo: 0,00 zł"]
    await tg.app.worker.drain()
    assert plain(tg.texts(PREZES)[-1]) == (f"💳 Wpłata 1 353,00 zł z 23.11.2026 do umowy nr {deal} zaksięgowana. "
                                           "Saldo: 0,00 zł.")
    await tg.press(ANNA, "❓ Nierozpoznane wpłaty")
    assert tg.texts(ANNA)[-1] == "Brak nierozpoznanych wpłat."

    at(clock, date(2026, 12, 23))
    await lb.accrue(uow(), cfg)
    at(clock, date(2026, 12, 26))
    await lb.dun(uow(), cfg)
    mark = tg.now()
    await tg.app.worker.drain()
    assert [plain(x) for x in tg.texts(ANNA, mark)] == [
        f"📣 Monity z 26.12.2026: wysłano 1.\n• umowa nr {deal} (Koparka Volvo EC220E): Przypomnienie o płatności, "
        "3 dni po terminie — w bocie"]
    await tg.send(PREZES, "/leases")
    await tg.press(PREZES, "Koparka Volvo EC220E")
    await tg.press(PREZES, "📒 Rozliczenia")
    account = plain(tg.texts(PREZES)[-1])
    # i1 three days late at the statutory 15,25 %: 1 230 × 0,1525 × 3 / 365 = 1.54, shown before it is posted
    assert "<b>Saldo do zapłaty: 1 231,54 zł</b>" in account
    assert "w tym odsetki za opóźnienie naliczone do dziś: 1,54 zł" in account
