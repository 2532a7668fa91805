"""A client joins a lease case by its link (pl 2): the salesperson's «👤 Klient w bocie» gives the case's deep
link besides the id/@username question; a client with no case is told how to get linked; the client who opens the
link is linked and sees the case; a forged link, a spent one, and staff opening it change nothing."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.db.kernel import models as m
from tests.bot.fake_telegram import Person
from tests.bot.leasing.test_leasing import NIP, OLA, PREZES, plain, staffed

KASIA = Person(5101, "Kasia", language_code="pl")  # another client


async def test_a_client_joins_the_case_by_its_link(tg, uow, factory):
    await staffed(tg, uow)
    await tg.send(PREZES, "/leases")
    assert tg.texts(PREZES)[-1].endswith(
        "Nie masz jeszcze wniosku. Oblicz ratę i poproś o ofertę (przycisk poniżej): doradca założy wniosek i przyśle "
        "Ci ofertę tutaj, w bocie. Masz już link od doradcy? Otwórz go. Jeśli doradca zapyta o Twój identyfikator w "
        f"Telegramie, to: {PREZES.id}.")
    await tg.send(OLA, "/menu")
    await tg.press(OLA, "Klient i oferta")
    await tg.press(OLA, "Spółka")
    await tg.send(OLA, f"Alfa sp. z o.o.; {NIP}; 192598184; 0000123456")
    await tg.send(OLA, "Koparka Volvo EC220E")
    await tg.send(OLA, "1 500 000; 20%; 48; 8,5; 1%")
    deal_id = int(plain(tg.texts(OLA)[-1]).split("nr ")[1].split()[0])

    mark = tg.now()
    await tg.press(OLA, "Dane wniosku")
    await tg.press(OLA, "Klient w bocie")
    link_text, question = tg.texts(OLA, mark)[-2:]  # after the data screen: the link, then the question
    assert link_text.startswith(
        "Wyślij klientowi ten link: po jego otwarciu zobaczy ten wniosek w bocie i dostanie jego oferty. Link dotyczy "
        "tylko tego wniosku, działa 72 h i wiąże jednego klienta:\nhttps://t.me/dealgram_bot?start=cl_")
    assert question == "Albo wpisz Telegram id lub @username klienta (musi choć raz uruchomić bota):"
    payload = re.search(r"start=(\S+)", link_text).group(1)
    assert len(payload) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", payload)  # a valid Telegram /start payload
    await tg.send(OLA, "/cancel")

    forged = payload[:-2] + ("AA" if not payload.endswith("AA") else "BB")
    mark = tg.now()
    await tg.send(PREZES, f"/start {forged}")
    assert "Ten link do wniosku nie działa: poproś doradcę o nowy." in tg.texts(PREZES, mark)
    other_case = payload.replace(f"cl_{deal_id}-", f"cl_{deal_id + 1}-", 1)  # the signature binds the case
    mark = tg.now()
    await tg.send(PREZES, f"/start {other_case}")
    assert "Ten link do wniosku nie działa: poproś doradcę o nowy." in tg.texts(PREZES, mark)

    mark = tg.now()
    await tg.send(PREZES, f"/start {payload}")
    await tg.app.worker.drain()  # the salesperson is told, with the case a press away
    assert (f"👤 Klient „Alfa sp. z o.o.” otworzył link i jest już w bocie: wniosek nr {deal_id} (Koparka Volvo "
            "EC220E); oferty dotrą do niego tutaj.") in tg.texts(OLA, mark)
    texts = [plain(x) for x in tg.texts(PREZES, mark)]
    assert f"Wniosek leasingowy nr {deal_id} jest powiązany z Twoim kontem: tu przyjdą jego oferty i dokumenty." \
        in texts
    assert texts[-1].startswith(f"🧾 <b>Koparka Volvo EC220E</b> · nr {deal_id}")
    async with factory() as s:
        client = await s.scalar(select(m.Client).where(m.Client.nip == NIP))
        user = await s.scalar(select(m.User).where(m.User.tg_id == PREZES.id))
    assert client.user_id == user.id
    await tg.send(PREZES, "/leases")
    assert "Koparka Volvo EC220E" in " ".join(b.text for row in list(tg.session.shown[PREZES.id].values())[-1]
                                                 .markup.inline_keyboard for b in row)

    await tg.start(KASIA)
    mark = tg.now()
    await tg.send(KASIA, f"/start {payload}")  # spent: the case has its client
    assert "Przez ten link powiązano już innego klienta: poproś doradcę o link dla siebie." in tg.texts(KASIA, mark)
    mark = tg.now()
    await tg.send(OLA, f"/start {payload}")  # staff are no client
    assert "Powiązać można tylko osobę z rolą klienta." in tg.texts(OLA, mark)
    async with factory() as s:
        assert (await s.get(m.Client, client.id)).user_id == user.id
