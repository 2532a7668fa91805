"""A Polish salesperson's new case («➕ Klient i oferta»): every step, the subject's and the terms' too, offers
« ✖️ Anuluj »; a press on it says so once and leads back to the menu the dialog began from, with nothing written
(no client, no case): the same client is then registered and the case opened as if for the first time."""

from __future__ import annotations

from sqlalchemy import func, select

from core.db.kernel import models as m
from tests.bot.leasing.test_leasing import OLA, staffed

CLIENT = "Tomasz Nowak; 5260250274; 44051401359"
SUBJECT_Q = "Co jest przedmiotem leasingu (marka, model)?"
TERMS_Q = ("Warunki w jednym wierszu: cena netto; opłata wstępna; miesiące; oprocentowanie %; wykup (i, jeśli "
           "chcesz, opłata). Na przykład: <code>1 500 000; 20%; 48; 8,5; 1%</code>")


async def _rows(uow) -> tuple[int, int]:
    async with uow() as w:
        clients = await w.session.scalar(select(func.count()).select_from(m.Client))
        cases = await w.session.scalar(select(func.count()).select_from(m.LeaseCase))
    return clients, cases


async def _to_subject(tg) -> None:
    await tg.send(OLA, "/menu")
    await tg.press(OLA, "Klient i oferta")
    await tg.press(OLA, "JDG")
    assert tg.texts(OLA)[-1] == "JDG wpisuje się tak: „Imię i nazwisko; NIP; PESEL” i, jeśli chcesz, „; IBAN”."
    assert tg.labels(OLA) == ["✖️ Anuluj"]
    await tg.send(OLA, CLIENT)


async def _cancelled(tg, menu: list[str]) -> None:
    mark = tg.now()
    await tg.press(OLA, "✖️ Anuluj")
    assert tg.alerts(OLA, mark) == []  # one notice, no toast besides
    assert tg.texts(OLA, mark) == ["Przerwano: pytania zamknięte.", "Menu główne · Sprzedaż"]
    assert tg.labels(OLA) == menu


async def test_the_subject_and_terms_steps_cancel_leaving_no_client(tg, uow):
    await staffed(tg, uow)
    await tg.send(OLA, "/menu")
    menu = tg.labels(OLA)
    await _to_subject(tg)
    assert tg.texts(OLA)[-1] == SUBJECT_Q
    assert tg.labels(OLA) == ["✖️ Anuluj"]
    await _cancelled(tg, menu)
    assert await _rows(uow) == (0, 0)

    await _to_subject(tg)  # the same NIP again: not «taken», nothing was registered
    assert tg.texts(OLA)[-1] == SUBJECT_Q
    await tg.send(OLA, "Toyota Corolla 1.8 Hybrid")
    assert tg.texts(OLA)[-1] == TERMS_Q
    assert tg.labels(OLA) == ["✖️ Anuluj"]
    await _cancelled(tg, menu)
    assert await _rows(uow) == (0, 0)

    await _to_subject(tg)
    await tg.send(OLA, "Toyota Corolla 1.8 Hybrid")
    mark = tg.now()
    await tg.send(OLA, "200000; 20000; 48; abc")  # refused terms: nobody registered, the same question waits
    assert tg.texts(OLA, mark) == [
        "Kalkulację wpisuje się tak: „cena netto; opłata wstępna (% albo kwota); okres w miesiącach; oprocentowanie % "
        "rocznie; wykup (% albo kwota)” i, jeśli chcesz, „; opłata administracyjna”, np. 1 500 000; 10%; 60; 8,5; 1%."]
    assert await _rows(uow) == (0, 0)
    await tg.send(OLA, "200000; 20000; 48; 9; 2000; 0")
    screen = tg.texts(OLA)[-1]
    assert screen.startswith("🧾 <b>Toyota Corolla 1.8 Hybrid</b> · nr ")
    assert "Klient: Tomasz Nowak\nStatus: Ofertowanie" in screen
    assert await _rows(uow) == (1, 1)
