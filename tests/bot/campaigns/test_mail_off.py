"""With no SMTP server set (the default), the КП and the invoice are never reported as sent: the approver, the
executor and the deal's feed are told plainly that e-mail is off and what to do (send it another way and press
«Отправлено иначе»); nothing waits in the mail outbox. Stage 9 shows its next step on the panel itself, the
versions stay reachable once the order is paid, and the order's task buttons are never cut mid-word."""

from __future__ import annotations

from sqlalchemy import select

from bot.keyboards.callbacks import ColdAction, ColdCb
from core.db.kernel import models as m
from core.services.campaigns import order_to_cash, quotes
from core.services.deals import listing as deal_list
from core.services.kernel import users
from tests.bot.campaigns.test_cold_call import A1, B1
from tests.bot.campaigns.test_quotes import at_needs, plain
from tests.bot.conftest import ADMIN
from tests.said import line


def buttons(tg, who) -> list[str]:
    shown = next(reversed(tg.session.shown[who.id].values()))
    return [b.text for row in shown.markup.inline_keyboard for b in row] if shown.markup else []


async def feed_lines(uow, who_id: int, deal_id: int) -> list[str]:
    return [line(x) for x in (await deal_list.view(uow(), who_id, deal_id)).feed]


async def test_with_e_mail_off_the_offer_and_the_invoice_are_sent_by_hand_and_said_so(tg, uow, factory, cfg):
    deal_id = await at_needs(tg, uow, cfg)
    a1 = await users.find(uow(), str(A1.id))
    q = await quotes.draft(uow(), a1.id, deal_id)
    await quotes.add_line(uow(), a1.id, q.id, "Бумага А4; 200; пачка; 350,50")
    await quotes.submit(uow(), a1.id, q.id)
    await tg.app.worker.drain()
    mark = tg.now()
    await tg.press(B1, "Согласовать")
    assert tg.alerts(B1, mark) == ["КП версии 1 согласовано. Почта (SMTP) не настроена: исполнитель отправит его "
                                   "клиенту сам."]
    await tg.app.worker.drain()
    assert tg.texts(A1)[-1] == (f"✅ КП версии 1 по сделке «ООО Ромашка» (№{deal_id}) согласовано (Борис). Почта "
                                "(SMTP) не настроена: само оно не уйдёт — отправьте КП клиенту иначе и нажмите "
                                "«Отправлено иначе» на панели сделки.")
    async with factory() as s:
        assert (await s.scalars(select(m.MailOutbox))).all() == []  # nothing «в очереди»
    assert (await feed_lines(uow, a1.id, deal_id))[:2] == [
        f"⏰ Напоминание: Отправить клиенту КП № {deal_id}-1 иначе (почта не настроена) и нажать «Отправлено иначе» "
        "— до 24.11.2026 12:00",
        f"✉️ КП № {deal_id}-1 не отправлено на info@romashka.ru: почта (SMTP) не настроена — отправьте его иначе и "
        "нажмите «Отправлено иначе»"]
    await tg.press(A1, "Открыть КП")
    assert "версия 1: согласовано, ещё не отправлено клиенту" in tg.texts(A1)[-1]
    await tg.press(A1, "К этапу")
    await tg.press(A1, "Отправлено иначе")
    # stage 9: the next step is on the panel
    panel = tg.texts(A1)[-1]
    assert "Этап: Ожидание ответа" in panel
    assert "Дальше: когда клиент ответит на КП — нажмите «📨 Клиент ответил»." in panel
    assert "📨 Клиент ответил" in buttons(tg, A1)
    await tg.press(A1, "Клиент ответил")
    await tg.press(A1, "✅ Заказ")
    assert "версия 1: принято — заказ" in tg.texts(A1)[-1]  # one colon
    await tg.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    await tg.press(A1, "Заказ покупателя")
    screen = tg.texts(A1)[-1]
    assert "группа не назначена" not in screen  # no fallback words in the titles: a line of its own says it
    assert "ℹ️ Отдел без назначенной группы: его задача — у исполнителя сделки" in screen
    done = [b for b in buttons(tg, A1) if b.startswith("✅ Выполнено")]
    assert done == ["✅ Выполнено: Задание руководителю службы закупок…",
                    "✅ Выполнено: Согласование договора поставки по заказу…"]
    for label in ("Задание руководителю", "Согласование договора"):
        await tg.press(A1, label)
    # stage 13: the invoice, by hand as well
    async with factory() as s:
        order = await s.scalar(select(m.Order))
        assert (await s.scalars(select(m.MailOutbox))).all() == []
    assert (await feed_lines(uow, a1.id, deal_id))[1] == (
        f"✉️ Счёт № {order.number} не отправлен на info@romashka.ru: почта (SMTP) не настроена — отправьте его "
        "иначе и нажмите «Отправлено иначе»")
    await tg.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    await tg.press(A1, "Отправлено иначе")
    assert "Этап: Ожидание оплаты" in tg.texts(A1)[-1]
    admin = await users.find(uow(), str(ADMIN.id))
    await order_to_cash.pay(uow(), admin.id, order.id, order.amount)
    # paid: the versions stay reachable from the panel
    await tg.app.worker.drain()
    mark = tg.now()
    await tg.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    assert "Этап: Заказ оплачен" in tg.everything(A1, mark)
    await tg.press(A1, "Коммерческое предложение")
    await tg.press(A1, "Версии")
    assert plain(tg.texts(A1)[-1]).startswith("🗂 Версии КП (новые сверху):\nv1: принято — заказ, 85 522 ₽")
