"""What a deal is worth in its list and on its page (its order's total, else its lead's amount, else nothing), the
feed's lines with their authors and «Ещё» for the older ones, and the lead at «Договор» pointing to its deal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.services.deals import payments, workspace
from core.services.kernel import users
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed
from tests.factories import law_deal

OLGA = Person(2001, "Ольга")


async def test_a_deal_shows_its_orders_total_or_its_leads_amount_never_zero(tg, uow, cfg, settings):
    admin = await seed(tg, uow, managers=[OLGA])
    olga = await users.find(uow(), str(OLGA.id))
    deal = await law_deal(uow, cfg, {"admin": admin}, olga, "+79005550101", "Пётр")

    await tg.send(OLGA, "/crm")
    assert tg.texts(OLGA)[-1].splitlines()[1].endswith("🔴 Нет задач · 500\u00a0000 ₽")  # the lead's amount
    await payments.add_order(uow(), olga.id, deal.id, Decimal("190022"), date(2026, 11, 23))
    await tg.send(OLGA, "/crm")
    assert tg.texts(OLGA)[-1].splitlines()[1].endswith("🔴 Нет задач · 190\u00a0022 ₽")  # the order's total
    await tg.press(OLGA, "1. Пётр")
    page = tg.texts(OLGA)[-1]
    assert "Сумма: 190\u00a0022 ₽" in page and "Бюджет" not in page and "0 ₽" not in page.replace("190\u00a0022", "")


async def test_a_deal_nobody_priced_has_no_amount_line(tg, uow, cfg, settings):
    admin = await seed(tg, uow, managers=[OLGA])
    olga = await users.find(uow(), str(OLGA.id))
    deal = await law_deal(uow, cfg, {"admin": admin}, olga, "+79005550101", "Пётр", debt=None)

    await tg.send(OLGA, "/crm")
    assert tg.texts(OLGA)[-1].splitlines()[1] == "1. <b>Пётр</b> · менеджер Ольга · источник Сайт 01 · 🔴 Нет задач"
    await tg.press(OLGA, "1. Пётр")
    page = tg.texts(OLGA)[-1]
    assert f"№{deal.id}" in page and "Сумма" not in page and "Бюджет" not in page and "0 ₽" not in page


async def test_the_feed_names_each_lines_author_and_pages_back_with_more(tg, uow, cfg, settings):
    admin = await seed(tg, uow, managers=[OLGA])
    olga = await users.find(uow(), str(OLGA.id))
    deal = await law_deal(uow, cfg, {"admin": admin}, olga, "+79005550101", "Пётр")
    await payments.add_payment(uow(), admin.id, deal.id, Decimal("7000"), date(2026, 12, 21))  # by the admin
    for n in range(1, 12):
        await workspace.comment(uow(), olga.id, deal.id, f"Заметка {n}", cfg)

    await tg.send(OLGA, "/crm")
    await tg.press(OLGA, "1. Пётр")
    await tg.press(OLGA, "📝 Лента")
    first = tg.texts(OLGA)[-1].splitlines()
    assert first[0] == "📝 Лента сделки «Пётр», новые сверху:"
    assert [line.split(" · ", 1)[1] for line in first[1:]] == [f"Ольга: Заметка {n}" for n in range(11, 1, -1)]
    mark = tg.now()
    await tg.press(OLGA, "Ещё")
    older = tg.texts(OLGA, mark)[-1].splitlines()[1:]
    assert older[0].split(" · ", 1)[1] == "Ольга: Заметка 1"
    assert any(line.split(" · ", 1)[1].startswith(f"{ADMIN.name}: 💳") for line in older), older
    assert not any(" · —: 💳" in line for line in older)
    # the oldest page has no «Ещё», and its way back to the deal
    shown = next(reversed(tg.session.shown[OLGA.id].values()))
    labels = [b.text for row in shown.markup.inline_keyboard for b in row]
    assert "Заметка 1" in shown.text and "⬅️ К сделке" in labels and not any("Ещё" in x for x in labels)


async def test_a_lead_at_contract_names_its_deal_with_a_button_to_it(tg, uow, cfg, settings):
    admin = await seed(tg, uow, managers=[OLGA])
    olga = await users.find(uow(), str(OLGA.id))
    deal = await law_deal(uow, cfg, {"admin": admin}, olga, "+79005550101", "Пётр")

    await tg.send(OLGA, "/leads")
    await tg.press(OLGA, "Пётр")
    card = tg.texts(OLGA)[-1]
    assert "Договор" in card.splitlines()[0] and f"💼 Сделка №{deal.id}: «Пётр»" in card
    await tg.press(OLGA, f"Открыть сделку №{deal.id}")
    assert tg.texts(OLGA)[-1].startswith(f"💼 <b>Пётр</b> · №{deal.id}")
