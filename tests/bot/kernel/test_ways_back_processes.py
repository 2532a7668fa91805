"""Every screen has a way back, in the processes' deeper screens too (issue 30): the walker of test_ways_back presses
through the cold-call campaign (its head), a deal's stage panel and the counterparty's card (its executor), the КП
and the order (the executor, the approver, the admin), and a running lease contract (the client's cards, the
salesperson's and the back office's case card with its books 📒, documents and statements). Every screen reached
offers a way back, no screen's main block has more than eight buttons (a list pages), and every dialog opened on
the way offers « Cancel » or says /cancel, in the reader's language."""

from __future__ import annotations

from bot.keyboards.callbacks import ColdAction, ColdCb, OrderAction, OrderCb, QuoteAction, QuoteCb
from core.services.campaigns import mail_outbox
from core.services.leasing import origination as leasing
from tests.bot.campaigns.test_cold_call import A1, B1
from tests.bot.campaigns.test_quotes import at_needs
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.kernel.test_ways_back import labels, walk
from tests.bot.leasing.test_lease_books import ANNA, PIOTR, PREZES, started
from tests.services.campaigns.test_order_to_cash import Mailbox
from tests.services.leasing.test_lease_books import TERMS, running

OLA = Person(5001, "Ola", language_code="pl")


#: the settings (walked in test_ways_back) and the deal's closing, which would end the walk's deal
ELSEWHERE = ("🏠", "Язык", "Język", "Language", "Мои данные", "Moje dane", "My data", "Закрыть сделку")


def process_screen(shown) -> bool:
    """A screen whose buttons are counted: every one (the deals' own too: a deal's page, its « ⋯ Ещё » and its
    status pickers are within eight since issue 30)."""
    return True


def report(found: list[str]) -> str:
    return "\n".join(found)


async def drafted(tg, uow, cfg) -> int:
    """A deal at stage 5 whose КП has a draft with one line."""
    deal_id = await at_needs(tg, uow, cfg)
    await tg.press(A1, data=QuoteCb(action=QuoteAction.OPEN, deal_id=deal_id).pack())
    await tg.press(A1, "Начать КП")
    await tg.press(A1, "Строка")
    await tg.send(A1, "Бумага А4; 100; пачка; 350; 5%")
    return deal_id


async def test_the_cold_call_screens_have_a_way_back(tg, uow, cfg):
    """The campaigns from «/campaigns» (the head: here the admin), the deal's stage panel and its counterparty's card
    (the executor), the КП before and after it is submitted (the executor, then its approver)."""
    deal_id = await drafted(tg, uow, cfg)
    found = await walk(tg, ADMIN, depth=4, budget=120, start="/campaigns", wide=process_screen, skip=ELSEWHERE)
    found += await walk(tg, A1, depth=4, budget=160, start=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack(),
                        wide=process_screen, skip=("На согласование", *ELSEWHERE))
    await tg.press(A1, data=QuoteCb(action=QuoteAction.OPEN, deal_id=deal_id).pack())
    await tg.press(A1, "На согласование")
    await tg.app.worker.drain()
    found += await walk(tg, B1, depth=2, budget=40, start=QuoteCb(action=QuoteAction.OPEN, deal_id=deal_id).pack(),
                        wide=process_screen, skip=ELSEWHERE)
    assert found == [], report(found)


async def test_the_order_screens_have_a_way_back(tg, uow, cfg):
    """The КП approved and answered with an order: the order's card as its executor and as the admin sees it."""
    deal_id = await drafted(tg, uow, cfg)
    await tg.press(A1, "На согласование")
    await tg.app.worker.drain()
    await tg.press(B1, "Согласовать")
    await tg.app.worker.drain()
    await mail_outbox.deliver(uow, Mailbox())
    # no SMTP in these tests: the КП goes to the client another way, and its executor says so on the panel
    await tg.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    await tg.press(A1, "Отправлено иначе")
    await tg.press(A1, data=QuoteCb(action=QuoteAction.OPEN, deal_id=deal_id).pack())
    await tg.press(A1, "Клиент ответил")
    await tg.press(A1, "Заказ")
    found = await walk(tg, A1, depth=3, budget=80, start=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack(),
                       wide=process_screen, skip=ELSEWHERE)
    found += await walk(tg, ADMIN, depth=2, budget=40, start=OrderCb(action=OrderAction.OPEN, order_id=1).pack(),
                        wide=process_screen, skip=ELSEWHERE)
    assert found == [], report(found)


async def test_a_lease_contracts_screens_have_a_way_back(tg, uow, factory, cfg):
    """A running contract and an offer sent: the client's « 🧾 Leasing » cards (the offer's consents and documents
    each a screen of the card's) and the contract's account, schedule and fakturas; the salesperson's and the back
    office's case cards with their data, documents and books 📒; the back office's and the collections' books menu
    with the statements."""
    w = await started(tg, uow, cfg)
    case = await running(uow, factory, cfg, w)
    # a second case of the same client, its offer sent: the client's card asks to accept it and for the consents
    second = await leasing.open_case(uow(), w["sales"].id, case.client_id, "Ciągnik", TERMS, cfg)
    await leasing.link_client(uow(), w["sales"].id, second.deal_id, str(w["client"].tg_id))
    await leasing.send_offer(uow(), w["sales"].id, second.deal_id)
    await tg.app.worker.drain()
    found = await walk(tg, PREZES, depth=4, budget=80, wide=process_screen, skip=ELSEWHERE)
    found += await walk(tg, PIOTR, depth=4, budget=160, start="/leases", wide=process_screen, skip=ELSEWHERE)
    found += await walk(tg, PIOTR, depth=3, budget=60, wide=process_screen, skip=ELSEWHERE)
    found += await walk(tg, OLA, depth=3, budget=80, start="/leases", wide=process_screen, skip=ELSEWHERE)
    found += await walk(tg, ANNA, depth=3, budget=80, wide=process_screen, skip=ELSEWHERE)
    assert found == [], report(found)


async def test_a_lease_cases_card_and_its_security_question_have_a_way_back(tg, uow):
    """Issue 30: the salesperson's case card ends with « ⬅️ Wszystkie wnioski », « Jakie zabezpieczenie? » with
    « ⬅️ » back to the case, and the surety's question that follows with « Anuluj »."""
    from tests.bot.leasing.test_leasing import NIP, staffed
    from tests.bot.leasing.test_leasing import OLA as SALESPERSON

    await staffed(tg, uow)
    await tg.send(SALESPERSON, "/menu")
    await tg.press(SALESPERSON, "Klient i oferta")
    await tg.press(SALESPERSON, "Spółka")
    await tg.send(SALESPERSON, f"Alfa sp. z o.o.; {NIP}; 192598184; 0000123456")
    await tg.send(SALESPERSON, "Koparka Volvo EC220E")
    await tg.send(SALESPERSON, "1 500 000; 20%; 48; 8,5; 1%")
    assert labels(tg, SALESPERSON) == ["🔁 Rekalkulacja", "📨 Wyślij klientowi", "👤 Klient w bocie", "📋 Dane wniosku",
                                       "☑️ Zgody (4)", "📎 Dokumenty", "✖️ Anuluj wniosek",
                                       "✍️ Klient przyjął wersję 1 poza Telegramem", "⬅️ Wszystkie wnioski"]
    await tg.press(SALESPERSON, "Dane wniosku")
    assert labels(tg, SALESPERSON) == ["👤 Klient w bocie", "🛡 Zabezpieczenie", "🔎 Biała lista VAT", "🏭 Sprzedawca",
                                       "⬅️ Do wniosku"]
    await tg.press(SALESPERSON, "Zabezpieczenie")
    assert tg.texts(SALESPERSON)[-1] == "Jakie zabezpieczenie?"
    assert labels(tg, SALESPERSON) == ["weksel in blanco", "poręczenie", "cesja praw z polisy", "kaucja",
                                       "⬅️ Do wniosku"]
    await tg.press(SALESPERSON, "poręczenie")
    assert tg.texts(SALESPERSON)[-1] == "PESEL albo NIP poręczyciela:"
    assert labels(tg, SALESPERSON) == ["✖️ Anuluj"]
    mark = tg.now()
    await tg.press(SALESPERSON, "✖️ Anuluj")
    assert tg.alerts(SALESPERSON, mark) == []  # one notice: the message, no toast besides
    assert tg.texts(SALESPERSON, mark) == ["Przerwano: pytania zamknięte.", "Menu główne · Sprzedaż"]


async def test_a_deals_comment_and_reminder_ask_with_cancel(tg, uow, settings):
    """Issue 30: the CRM deal's « 💬 Комментарий » and « ⏰ Напоминание » questions offer « ✖️ Отмена », which leaves
    the question and writes nothing."""
    from tests.bot.kernel.test_ways_back import MANAGER, law_deal, people

    await people(tg, uow)
    await law_deal(tg, uow, settings)
    await tg.send(MANAGER, "/crm")
    await tg.press(MANAGER, "1. Пётр")
    await tg.press(MANAGER, "💬 Комментарий")
    assert tg.texts(MANAGER)[-1] == "Напишите комментарий или пришлите фото или файл с подписью:"
    assert labels(tg, MANAGER) == ["✖️ Отмена"]
    mark = tg.now()
    await tg.press(MANAGER, "✖️ Отмена")
    assert tg.alerts(MANAGER, mark) == []  # one notice: the message, no toast besides
    assert tg.texts(MANAGER, mark)[0] == "Действие отменено."
    await tg.send(MANAGER, "/crm")
    await tg.press(MANAGER, "1. Пётр")
    await tg.press(MANAGER, "⋯ Ещё")
    await tg.press(MANAGER, "⏰ Напоминание")
    assert tg.texts(MANAGER)[-1] == "Что и когда (ДД.ММ.ГГГГ ЧЧ:ММ), например: Позвонить клиенту 25.11.2026 15:00"
    assert labels(tg, MANAGER) == ["✖️ Отмена"]
    mark = tg.now()
    await tg.press(MANAGER, "✖️ Отмена")
    await tg.send(MANAGER, "Позвонить 01.12.2030 10:00")  # the question left: these words are no reminder
    assert not any(x.startswith("📝") for x in tg.texts(MANAGER, mark))
