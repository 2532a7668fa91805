"""What a Polish lessor's client and staff could not understand in the leasing flow (first ten minutes, items 14–18):
a client with no case asks for the calculator's offer with a button, the salespeople get the terms and open her case
linked to her at once; a salesperson sees «👤 Klient w bocie» on the card while the client is not in the bot, and the
popup says where it is; the client reads only what is hers (no draft version) and «📄 Otwórz ofertę» opens that
version; a relayed message names who wrote and has a reply button. Every press is checked: a client forging the
staff's button, or a draft's version, changes nothing."""

from __future__ import annotations

from aiogram.methods import EditMessageText, SendMessage
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.kernel.deployment import Area
from core.services.kernel import deployment, users
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.leasing.test_leasing import JAN, NIP, OLA, PREZES, plain, staffed

TERMS = "200 000; 10%; 48; 9; 1%"
ANNA = Person(5110, "Anna", language_code="pl", username="anna_k")  # a client with no case yet


def rows(markup) -> list[list[str]]:
    return [[b.text for b in row] for row in markup.inline_keyboard]


async def test_a_client_asks_for_the_calculators_offer_and_gets_her_case(tg, uow, factory):
    await staffed(tg, uow)
    await tg.start(ANNA)
    await tg.send(ANNA, "/leases")
    [listed] = tg.calls_to(ANNA)[-1:]
    assert plain(listed.text) == (
        "🧾 <b>Leasing</b>: wnioski — 0\nNie masz jeszcze wniosku. Oblicz ratę i poproś o ofertę (przycisk poniżej): "
        "doradca założy wniosek i przyśle Ci ofertę tutaj, w bocie. Masz już link od doradcy? Otwórz go. Jeśli "
        f"doradca zapyta o Twój identyfikator w Telegramie, to: {ANNA.id}.")
    assert rows(listed.reply_markup) == [["🧮 Oblicz ratę i poproś o ofertę"], ["🏠 Menu"]]
    await tg.press(ANNA, "Oblicz ratę i poproś o ofertę")
    assert tg.texts(ANNA)[-1].startswith("🧮 <b>Kalkulator leasingu</b>")
    await tg.send(ANNA, TERMS)
    assert tg.labels(ANNA)[:1] == ["🙋 Poproś o tę ofertę"]  # above the calculator's own buttons
    old, data = tg.button(ANNA, "Poproś o tę ofertę")

    mark = tg.now()
    await tg.press(ANNA, "Poproś o tę ofertę")
    assert tg.alerts(ANNA, mark) == [
        "Prośba wysłana: doradca przygotuje ofertę i odezwie się do Ciebie tutaj, w bocie."]
    [edit] = [c for c in tg.session.calls[mark:] if isinstance(c, EditMessageText)]
    assert edit.text.endswith("\n\n✅ Prośba o tę ofertę wysłana do doradcy.")
    assert "🙋 Poproś o tę ofertę" not in [b for row in rows(edit.reply_markup) for b in row]
    await tg.app.worker.drain()
    notices = {who.id: [c for c in tg.calls_to(who, mark) if isinstance(c, SendMessage)] for who in (OLA, JAN)}
    for who in (OLA, JAN):  # every salesperson: she has no case, so no adviser yet
        [notice] = notices[who.id]
        assert plain(notice.text) == (
            f"🙋 Klient Anna (@anna_k, Telegram id {ANNA.id}) prosi o ofertę leasingu na warunkach z kalkulatora:\n"
            "cena netto 200 000,00 zł, opłata wstępna 20 000,00 zł, 48 rat (raty równe, płatne z dołu), "
            "oprocentowanie 9 % rocznie, wykup 2 000,00 zł, opłata administracyjna 0,00 zł; rata 4 444,54 zł netto.\n"
            "Warunki do wklejenia w nowym wniosku: <code>200000; 20000; 48; 9; 2000; 0</code>\n"
            "Naciśnij „➕ Wniosek dla tego klienta”: gdy go założysz, klient zostanie z nim od razu powiązany.")
        assert rows(notice.reply_markup) == [["➕ Wniosek dla tego klienta"]]

    mark = tg.now()
    await tg.press(ANNA, data=data, on=old)  # the same request again: said once
    assert tg.alerts(ANNA, mark) == ["Ta prośba została już wysłana."]
    await tg.app.worker.drain()
    assert not tg.calls_to(OLA, mark)
    mark = tg.now()
    await tg.press(ANNA, data=notices[OLA.id][0].reply_markup.inline_keyboard[0][0].callback_data, on=None)
    assert tg.alerts(ANNA, mark) == ["Nie masz dostępu do tego działania."]  # a client forging the staff's button
    await tg.send(OLA, "/calc")
    await tg.send(OLA, TERMS)
    assert "🙋 Poproś o tę ofertę" not in tg.labels(OLA)  # staff calculate for themselves: nobody to ask

    await tg.press(OLA, "Wniosek dla tego klienta")
    assert tg.texts(OLA)[-1] == "Jaki klient?"
    await tg.press(OLA, "Konsument")
    await tg.send(OLA, "Anna Kowalska; 44051401359")
    await tg.send(OLA, "Toyota Corolla 2026")
    mark = tg.now()
    await tg.send(OLA, "200000; 20000; 48; 9; 2000; 0")  # the terms pasted from the request
    linked, card = tg.texts(OLA, mark)
    assert linked == "Klient powiązany: Anna Kowalska"
    assert "Oferta, wersja 1 (szkic): rata 4 444,54 zł, finansowanie 180 000,00 zł, 48 rat" in plain(card)
    async with factory() as s:
        client = await s.scalar(select(m.Client).where(m.Client.pesel == "44051401359"))
        user = await s.scalar(select(m.User).where(m.User.tg_id == ANNA.id))
    assert client.user_id == user.id
    await tg.app.worker.drain()  # she is told the case is hers to follow here, and by whom
    [told] = [c for c in tg.calls_to(ANNA, mark) if isinstance(c, SendMessage)]
    assert plain(told.text) == (
        f"📄 Otworzyliśmy dla Ciebie wniosek leasingowy nr {client_case(told)} (Toyota Corolla 2026). Twój doradca: "
        "Ola. Oferty i postępy wniosku będą przychodzić tutaj.")
    assert rows(told.reply_markup) == [["⬅️ Do wniosku"]]

    await tg.send(ANNA, "/leases")
    mark = tg.now()
    await tg.press(ANNA, "Toyota Corolla 2026")
    [screen] = tg.texts(ANNA, mark)  # hers: no draft version, nothing of the lessor's own checks
    deal_id = int(plain(screen).split("nr ")[1].split()[0])
    assert plain(screen).splitlines() == [f"🧾 <b>Toyota Corolla 2026</b> · nr {deal_id}", "Klient: Anna Kowalska",
                                          "Status: Ofertowanie", "Oferta: doradca ją przygotowuje.", "Zgody: —",
                                          "Zabezpieczenia: —"]
    assert tg.labels(ANNA) == ["☑️ Zgody (4)", "✖️ Anuluj wniosek", "💬 Napisz", "⬅️ Wszystkie wnioski"]


async def test_the_salesperson_links_the_client_from_the_card_and_the_client_opens_the_offer(tg, uow):
    await staffed(tg, uow)
    await tg.send(OLA, "/menu")
    await tg.press(OLA, "Klient i oferta")
    await tg.press(OLA, "Spółka")
    await tg.send(OLA, f"Alfa sp. z o.o.; {NIP}; 192598184; 0000123456")
    await tg.send(OLA, "Koparka Volvo EC220E")
    await tg.send(OLA, "1 500 000; 20%; 48; 8,5; 1%")
    assert tg.labels(OLA)[:3] == ["🔁 Rekalkulacja", "📨 Wyślij klientowi", "👤 Klient w bocie"]
    mark = tg.now()
    await tg.press(OLA, "Wyślij klientowi")
    assert tg.alerts(OLA, mark) == [
        "Klienta nie ma jeszcze w bocie. Naciśnij „👤 Klient w bocie” (na karcie wniosku albo w „📋 Dane wniosku”) "
        "i wyślij mu link albo wpisz jego Telegram id; potem wyślij ofertę."]
    mark = tg.now()
    await tg.press(OLA, "👤 Klient w bocie")  # on the card itself
    assert tg.texts(OLA, mark)[-1] == "Albo wpisz Telegram id lub @username klienta (musi choć raz uruchomić bota):"
    await tg.send(OLA, str(PREZES.id))
    assert "👤 Klient w bocie" not in tg.labels(OLA)  # linked: the card's button goes
    await tg.press(OLA, "Rekalkulacja")
    await tg.send(OLA, "1 500 000; 30%; 48; 8,5; 1%")  # version 2, sent
    mark = tg.now()
    await tg.press(OLA, "Wyślij klientowi")
    [notice] = tg.calls_to(PREZES, mark)
    deal_id = int(plain(notice.text).split("(nr ")[1].split(")")[0])

    mark = tg.now()
    await tg.press(PREZES, "📄 Otwórz ofertę")
    [offer] = tg.calls_to(PREZES, mark)[-1:]
    assert isinstance(offer, SendMessage)  # a new message: the notice stays as it is
    lines = plain(offer.text).splitlines()
    assert lines[:8] == [
        f"📄 <b>Oferta, wersja 2</b> · Koparka Volvo EC220E (nr {deal_id})",
        "Stan: wysłana · ważna do " + lines[1].split("ważna do ")[1],
        "Cena netto: 1 500 000,00 zł (VAT 23 %)",
        "Opłata wstępna: 450 000,00 zł",
        "Kwota finansowania: 1 050 000,00 zł",
        "Okres: 48 rat, raty równe, płatne z dołu",
        "Oprocentowanie: 8,50 % rocznie",
        lines[7]]
    assert lines[7].startswith("Rata: ") and lines[-1].startswith("Suma opłat: ")
    assert rows(offer.reply_markup) == [["✅ Przyjmij wersję 2"], ["📄 Oferta (PDF)", "📄 Harmonogram (CSV)"],
                                        ["⬅️ Do wniosku"]]
    mark = tg.now()
    await tg.press(PREZES, "Oferta (PDF)")
    [doc] = [c for c in tg.session.calls[mark:] if c.__api_method__ == "sendDocument"]
    assert doc.caption == "Oferta leasingu, wersja 2"

    await tg.press(OLA, "Rekalkulacja")
    await tg.send(OLA, "1 500 000; 40%; 48; 8,5; 1%")  # version 3: a draft, not the client's; version 2 gives way
    mark = tg.now()
    await tg.press(PREZES, data=f"ls:33:{deal_id}:3", on=None)  # the draft's version, forged
    await tg.press(PREZES, data=f"ls:15:{deal_id}:3", on=None)  # … and its PDF
    assert tg.alerts(PREZES, mark) == ["Ten przycisk jest nieaktualny. Otwórz menu ponownie: /menu"] * 2
    assert not [c for c in tg.session.calls[mark:] if c.__api_method__ in ("sendDocument", "sendMessage")]
    mark = tg.now()
    await tg.press(PREZES, "📄 Otwórz ofertę")  # the notice again: version 2 as it is now
    [offer] = tg.calls_to(PREZES, mark)[-1:]
    assert plain(offer.text).splitlines()[1].startswith("Stan: zastąpiona · ważna do ")
    assert rows(offer.reply_markup) == [["📄 Oferta (PDF)", "📄 Harmonogram (CSV)"], ["⬅️ Do wniosku"]]
    mark = tg.now()
    await tg.press(PREZES, "Przyjmij wersję 2")  # the first screen's button: closed now
    assert tg.alerts(PREZES, mark) == ["Wersja 2 oferty jest zamknięta: otwórz nową."]


async def test_a_marketplaces_client_calculates_without_asking_a_lessor(tg, uow):
    await staffed(tg, uow)
    admin = await users.find(uow(), str(ADMIN.id))
    await deployment.set_areas(uow(), admin.id, frozenset({Area.MARKETPLACE}))  # applications go through the market
    await tg.start(ANNA)
    await tg.send(ANNA, "/calc")
    await tg.send(ANNA, TERMS)
    assert tg.labels(ANNA) == ["📉 Raty malejące", "⏮ Płatne z góry", "📄 Harmonogram (CSV)", "✏️ Inne warunki"]
    old, data = tg.button(ANNA, "Raty malejące")
    mark = tg.now()
    await tg.press(ANNA, data=data.replace("lc:1:", "lc:5:"), on=old)  # the button forged: refused, nobody asked
    assert tg.alerts(ANNA, mark) == ["Nie masz dostępu do tego działania."]
    await tg.app.worker.drain()
    assert not tg.calls_to(OLA, mark) and not tg.calls_to(ADMIN, mark)


def client_case(call) -> int:
    """The case number a notice's « ⬅️ Do wniosku » opens."""
    return int(call.reply_markup.inline_keyboard[0][0].callback_data.split(":")[2])
