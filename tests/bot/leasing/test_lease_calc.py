"""The leasing calculator in the chat (seed 002, «Kalkulacje»), driven by a Polish client: the bot speaks Polish
from the person's Telegram language (dates in Warsaw), the figures come in złoty, a button recalculates, the whole
schedule comes as a CSV file; bad terms are refused in Polish and change nothing; an older screen's buttons are
stale."""

from __future__ import annotations

import csv
import io
from zoneinfo import ZoneInfo

from aiogram.methods import EditMessageText, SendDocument

from core.domain.leasing.calc import add_months
from core.services.kernel import users
from tests.bot.fake_telegram import Person

PIOTR = Person(4800, "Piotr", language_code="pl")
TERMS = "1 500 000; 10%; 60; 8,5; 1%"


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


async def test_a_polish_client_calculates_a_lease(tg, uow, clock):
    await tg.start(PIOTR)
    assert any(text.startswith("Dzień dobry, Piotr!") for text in tg.texts(PIOTR))
    me = await users.find(uow(), str(PIOTR.id))
    assert (me.locale, me.timezone) == ("pl", "Europe/Warsaw")
    await tg.send(PIOTR, "/calc")
    assert tg.texts(PIOTR)[-1].startswith("🧮 <b>Kalkulator leasingu</b>")
    mark = tg.now()
    await tg.send(PIOTR, TERMS)
    [screen] = tg.texts(PIOTR, mark)
    today = clock.now().astimezone(ZoneInfo("Europe/Warsaw")).date()
    first = add_months(today, 1).strftime("%d.%m.%Y")
    assert plain(screen).splitlines()[:12] == [
        "🧮 <b>Kalkulacja leasingu</b>",
        "Cena netto: 1 500 000,00 zł (VAT 23 %)",
        "Opłata wstępna: 150 000,00 zł",
        "Kwota finansowania: 1 350 000,00 zł",
        "Okres: 60 rat, raty równe, płatne z dołu",
        "Oprocentowanie: 8,50 % rocznie",
        "Rata: 27 495,82 zł netto · 33 819,86 zł brutto",
        "Wykup: 15 000,00 zł",
        "Opłata administracyjna: 0,00 zł",
        plain(screen).splitlines()[9],
        plain(screen).splitlines()[10],
        "",
    ]
    assert f"1. {first} — 27 495,82 zł (odsetki 9 562,50 zł, kapitał 17 933,32 zł)" in plain(screen)
    assert "… pozostałe raty w pliku: 56" in screen

    mark = tg.now()
    await tg.press(PIOTR, "Raty malejące")
    [edit] = [c for c in tg.session.calls[mark:] if isinstance(c, EditMessageText)]
    assert "Okres: 60 rat, raty malejące, płatne z dołu" in edit.text
    # 1,335,000 / 60 = 22,250 of principal; 1,350,000 × 8.5 % / 12 = 9,562.50; the last on 37,250: 263.85
    assert "Pierwsza rata: 31 812,50 zł, ostatnia: 22 513,85 zł (netto)" in plain(edit.text)
    mark = tg.now()
    await tg.press(PIOTR, "Płatne z góry")
    [edit] = [c for c in tg.session.calls[mark:] if isinstance(c, EditMessageText)]
    assert "raty malejące, płatne z góry" in edit.text
    assert f"1. {today.strftime('%d.%m.%Y')} — 22 250,00 zł (odsetki 0,00 zł, kapitał 22 250,00 zł)" \
        in plain(edit.text)

    mark = tg.now()
    await tg.press(PIOTR, "Harmonogram (CSV)")
    [doc] = [c for c in tg.session.calls[mark:] if isinstance(c, SendDocument)]
    assert doc.caption == "Harmonogram spłat: 60 rat"
    name, content = tg.session.uploads[next(reversed(tg.session.uploads))]
    # as a Polish spreadsheet opens it: «;» between columns, comma decimals, the day as dd.mm.yyyy, Polish headers
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert name == "harmonogram.csv" and len(rows) == 61
    assert rows[0] == ["Nr", "Termin", "Rata", "Odsetki", "Kapitał", "Saldo"]
    assert rows[1] == ["1", today.strftime("%d.%m.%Y"), "22250,00", "0,00", "22250,00", "1327750,00"]
    assert rows[60][5] == "15000,00"  # the wykup is what is left


async def test_bad_terms_are_refused_in_polish_and_the_dialog_stays(tg, uow):
    await tg.start(PIOTR)
    await tg.send(PIOTR, "/calc")
    for terms, reason in [
        ("1 500 000; 100%; 60; 8; 1%", "Opłata wstępna musi być mniejsza od ceny przedmiotu."),
        ("1 500 000; 10%; 0; 8; 1%", "Okres to od 1 do 240 miesięcy."),
        ("1 500 000; 10%; 241; 8; 1%", "Okres to od 1 do 240 miesięcy."),
        ("1 500 000; 10%; 60; -3; 1%", "Kalkulację wpisuje się tak:"),
        ("1 500 000; 10%; 60; 75; 1%", "Oprocentowanie jest roczne, w procentach: od 0 do 50."),
        ("1 500 000; 10%; 60; 8; 95%", "Wykup nie może być ujemny i musi być mniejszy od kwoty finansowania."),
        ("milion; 10%; 60; 8; 1%", "Kalkulację wpisuje się tak:"),
        ("1 500 000; 10%; 60", "Kalkulację wpisuje się tak:"),
    ]:
        mark = tg.now()
        await tg.send(PIOTR, terms)
        assert [t for t in tg.texts(PIOTR, mark) if t.startswith(reason)], (terms, tg.texts(PIOTR, mark))
    mark = tg.now()
    await tg.document(PIOTR, "warunki.pdf")
    assert tg.texts(PIOTR, mark) == ["Wyślij tekst, proszę."]
    mark = tg.now()
    await tg.send(PIOTR, "100 000; 0; 2; 0; 0")  # still in the dialog: the next terms are taken
    assert "Okres: 2 raty, raty równe, płatne z dołu" in tg.texts(PIOTR, mark)[0]


async def test_an_older_screens_buttons_are_stale(tg, uow):
    await tg.start(PIOTR)
    await tg.send(PIOTR, "/calc")
    await tg.send(PIOTR, "100 000; 0; 5; 0; 0")
    old, data = tg.button(PIOTR, "Raty malejące")
    await tg.press(PIOTR, "Inne warunki")
    await tg.send(PIOTR, "200 000; 0; 22; 0; 0")
    assert "Okres: 22 raty" in tg.texts(PIOTR)[-1]
    mark = tg.now()
    await tg.press(PIOTR, data=data, on=old)
    assert tg.alerts(PIOTR, mark) == ["Ten przycisk jest nieaktualny. Otwórz menu ponownie: /menu"]
    assert not [c for c in tg.session.calls[mark:] if isinstance(c, EditMessageText)]
    await tg.press(PIOTR, data="lc:1:999999", on=old)  # a forged calculation
    assert tg.alerts(PIOTR, mark)[-1].startswith("Ten przycisk jest nieaktualny")


async def test_russian_and_english_speakers_get_their_language_and_the_zloty(tg, uow):
    ivan, jane = Person(4801, "Иван", language_code="ru"), Person(4802, "Jane", language_code="en")
    for who, expect in ((ivan, "Срок: 1 платёж, равные платежи, в конце месяца"),
                        (jane, "Term: 1 instalment, equal instalments, in arrears")):
        await tg.start(who)
        await tg.send(who, "/calc")
        await tg.send(who, "10 000; 0; 1; 12; 0")
        assert expect in tg.texts(who)[-1]
    assert "Платёж: 10 100,00 PLN без НДС" in plain(tg.texts(ivan)[-1])
    assert "Instalment: 10,100.00 PLN net" in plain(tg.texts(jane)[-1])
    assert (await users.find(uow(), str(ivan.id))).timezone == "Europe/Moscow"  # the deployment's zone


async def test_the_same_calculator_in_the_mini_app(tg, uow):
    """/app/api/lease/schedule: the chat's calculation for anyone in the bot (a client too, unlike the kanban),
    in their language; bad terms 400 with the reason; no initData 401; the page is served."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.webapp import create_webapp
    from tests.browser.helpers import init_data

    await tg.start(PIOTR)
    app = create_webapp(tg.app.settings.bot_token.get_secret_value(), tg.app.bot, tg.app.uow, tg.app.clock)
    auth = {"Authorization": f"tma {init_data(PIOTR.id, PIOTR.name, token='42:TEST-TOKEN-never-shown')}"}
    async with TestClient(TestServer(app)) as http:
        response = await http.get("/app/api/lease/schedule", params={"terms": TERMS}, headers=auth)
        assert response.status == 200
        data = await response.json()
        assert "Rata: 27 495,82 zł netto · 33 819,86 zł brutto" in [plain(x) for x in data["summary"]]
        assert data["header"] == ["Nr", "Termin", "Rata", "Odsetki", "Kapitał", "Saldo"]
        assert len(data["lines"]) == 60 and plain(data["lines"][-1][5]) == "15 000,00 zł"
        response = await http.get("/app/api/lease/schedule", params={"terms": "1; 2", "method": "decreasing"},
                                  headers=auth)
        assert response.status == 400 and (await response.json())["error"].startswith("Kalkulację wpisuje się tak")
        response = await http.get("/app/api/lease/schedule", params={"terms": TERMS, "timing": "sideways"},
                                  headers=auth)
        assert response.status == 400
        assert (await http.get("/app/api/lease/schedule", params={"terms": TERMS})).status == 401
        assert (await http.get("/app/api/board", headers=auth)).status == 403  # the kanban stays the staff's
        page = await http.get("/app/calc")
        assert page.status == 200 and "api/lease/schedule" in await page.text()
