"""The commercial offer and the order in the chat (seed 001, stages 6–14): the executor types the КП's lines (a bad
one refused with the shape), submits it; the approver gets buttons, returns it with a comment, approves the next
version, and a second press is told who decided; the client in the bot gets the PDF (uploaded once, then by its
file id); the answer makes the order, whose payments are typed; the admins replace a template with a file."""

from __future__ import annotations

import pytest
from aiogram.methods import SendDocument
from sqlalchemy import select

from bot.keyboards.callbacks import ColdAction, ColdCb, OrderAction, OrderCb, QuoteAction, QuoteCb
from core.db.kernel import models as m
from core.services.campaigns import mail_outbox, stages
from core.services.kernel import tasks, users
from tests.bot.campaigns.test_cold_call import A1, B1, posted_deal
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.services.campaigns.test_order_to_cash import Mailbox

CLIENT = Person(2100, "Клиент Ромашки")


@pytest.fixture
def settings(settings):
    """E-mail is on here (an SMTP server set; the tests hand the outbox to a Mailbox): the КП and the invoice are
    queued for it. With none, tests/bot/campaigns/test_mail_off.py."""
    return settings.model_copy(update={"smtp_host": "smtp.dealgram.test"})


def plain(text: str) -> str:
    """Money is grouped with no-break spaces: read them as spaces."""
    return text.replace("\xa0", " ")


async def at_needs(tg, uow, cfg) -> int:
    """A posted deal (ООО Ромашка, info@romashka.ru) at stage 5; B1 heads A1 (B1 approves); the counterparty's
    contact is in the bot."""
    deal_id = await posted_deal(tg, uow, cfg)
    admin = await users.find(uow(), str(ADMIN.id))
    a1, b1 = await users.find(uow(), str(A1.id)), await users.find(uow(), str(B1.id))
    await tasks.set_supervisor(uow(), admin.id, a1.id, b1.id)
    await tg.start(CLIENT)
    client_user = await users.find(uow(), str(CLIENT.id))
    async with uow() as u:
        deal = await u.deals.get(deal_id)
        (await u.clients.get(deal.client_id)).user_id = client_user.id
        await stages.enter(u, deal, "needs", None)
        await u.commit()
    return deal_id


async def test_the_offer_is_written_returned_approved_sent_and_answered_with_an_order(tg, uow, factory, cfg):
    deal_id = await at_needs(tg, uow, cfg)
    await tg.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    await tg.press(A1, "Коммерческое предложение")
    assert tg.texts(A1)[-1] == "📝 КП по сделке «ООО Ромашка» ещё не начато."
    await tg.press(A1, "Начать КП")
    await tg.press(A1, "Строка")
    await tg.send(A1, "Бумага А4; 0; пачка; 350")
    assert tg.texts(A1)[-1] == "Количество — число больше нуля (до трёх знаков после запятой)."
    await tg.send(A1, "Бумага А4; 100; пачка; 350; 5%")
    screen = plain(tg.texts(A1)[-1])
    assert "версия 1: черновик" in screen and "1. Бумага А4 — 100 пачка × 350 ₽, −5 %, НДС 22 %: 40 565 ₽" in screen
    assert "Без НДС: 33 250 ₽ · НДС: 7 315 ₽ · <b>Всего: 40 565 ₽</b>" in screen
    assert "Действительно до 07.12.2026" in screen  # 14 days from the draft's day by default
    await tg.press(A1, "Срок действия")
    await tg.send(A1, "01.11.2026")
    assert tg.texts(A1)[-1] == "Срок действия КП — от сегодня и не дальше года."
    await tg.send(A1, "25.12.2026")
    await tg.press(A1, "Условия")
    await tg.send(A1, "Предоплата 100 %, доставка за счёт поставщика")
    assert "Действительно до 25.12.2026\nУсловия: Предоплата 100 %, доставка за счёт поставщика" in tg.texts(A1)[-1]
    await tg.press(A1, "На согласование")
    assert "КП отправлено на согласование (1 чел.)." in tg.everything(A1)
    await tg.app.worker.drain()
    assert plain(tg.texts(B1)[-1]) == (f"📝 КП на согласование: сделка «ООО Ромашка» (№{deal_id}), "
                                       "версия 1, 40 565 ₽ с НДС. Согласуйте или верните с комментарием.")
    shown, approve = tg.button(B1, "Согласовать")
    mark = tg.now()
    await tg.press(A1, data=approve)  # not an approver
    assert "Вы не согласующий этого документа." in tg.everything(A1, mark)
    await tg.press(B1, "Вернуть на доработку")
    await tg.send(B1, "Скидка велика")
    assert tg.texts(B1)[-1] == "КП версии 1 возвращено на доработку."
    await tg.app.worker.drain()
    assert "возвращено на доработку (Борис): Скидка велика" in tg.texts(A1)[-1]
    await tg.press(A1, "Открыть КП")
    await tg.press(A1, "Начать КП")
    assert "версия 2: черновик" in tg.texts(A1)[-1]
    await tg.press(A1, "На согласование")
    await tg.app.worker.drain()
    shown, approve = tg.button(B1, "Согласовать")
    mark = tg.now()
    await tg.press(B1, data=approve, on=shown)
    await tg.press(B1, data=approve, on=shown)  # a double press changes nothing, and says who decided
    assert "КП версии 2 согласовано: оно уходит клиенту." in tg.everything(B1, mark)
    assert "Решение уже принято: Борис" in tg.everything(B1, mark)
    await tg.app.worker.drain()
    # the client in the bot gets the PDF: uploaded once; the executor's copy goes by the same file id
    [to_client] = [c for c in tg.session.calls if isinstance(c, SendDocument) and c.chat_id == CLIENT.id]
    assert to_client.caption == f"Коммерческое предложение № {deal_id}-2"
    name, content = tg.session.uploads["UPLOADED-1"]
    assert name == f"KP_{deal_id}-2.pdf" and content.startswith(b"%PDF")
    await tg.press(A1, data=QuoteCb(action=QuoteAction.OPEN, deal_id=deal_id).pack())
    await tg.press(A1, "PDF")
    [mine] = [c for c in tg.session.calls if isinstance(c, SendDocument) and c.chat_id == A1.id]
    assert mine.document == "UPLOADED-1" and len(tg.session.uploads) == 1
    box = Mailbox()
    await mail_outbox.deliver(uow, box)
    assert [to for to, *_ in box.sent] == ["info@romashka.ru"]
    await tg.press(A1, data=QuoteCb(action=QuoteAction.OPEN, deal_id=deal_id).pack())
    await tg.press(A1, "Клиент ответил")
    await tg.press(A1, "Заказ")
    assert "Заказ покупателя сформирован" in tg.everything(A1)
    await tg.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    await tg.press(A1, "Заказ покупателя")
    assert tg.texts(A1)[-1].startswith(f"📦 <b>Заказ покупателя № {deal_id}-1</b>")
    assert "Оплачено 0 ₽ из 40 565 ₽, осталось 40 565 ₽" in plain(tg.texts(A1)[-1])
    # the executor registers no payment (issue 27): no button, and a forged one is refused
    assert "Оплата по заказу" not in str(tg.session.calls[-1])
    mark = tg.now()
    await tg.press(A1, data=OrderCb(action=OrderAction.PAY, order_id=1).pack())
    assert tg.alerts(A1, mark) == ["У вас нет доступа к этому действию."]
    await tg.send(ADMIN, "/menu")
    await tg.press(ADMIN, data=OrderCb(action=OrderAction.OPEN, order_id=1).pack())
    await tg.press(ADMIN, "Оплата по заказу")
    await tg.send(ADMIN, "много")
    assert tg.texts(ADMIN)[-1] == "Введите сумму цифрами, например 1 500 000 или 1500000,50."
    await tg.send(ADMIN, "50 000")
    assert plain(tg.texts(ADMIN)[-1]) == "Оплата больше остатка по заказу: осталось 40 565 ₽."
    await tg.send(ADMIN, "40 000")
    assert "Оплата записана: оплачено 40 000 ₽, осталось 565 ₽." in plain(tg.everything(ADMIN))
    async with factory() as s:
        paid = (await s.scalars(select(m.Payment.amount).where(m.Payment.order_id.is_not(None)))).all()
    assert [str(a) for a in paid] == ["40000.00"]
    # the order's tasks done, the invoice sent: the shipping task waits for the rest of the payment
    async with factory() as s:
        order = await s.scalar(select(m.Order))
    for task_id in (order.purchase_task_id, order.contract_task_id):
        async with factory() as s:
            holder = (await s.get(m.Task, task_id)).responsible_id
        await tasks.done(uow(), holder, task_id)
    await mail_outbox.deliver(uow, box)
    await tg.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    await tg.press(A1, "Заказ покупателя")
    mark = tg.now()
    await tg.press(A1, "Задание отделу отгрузки")
    assert plain(tg.alerts(A1, mark)[-1]) == (f"Заказ {deal_id}-1 не отгружается: он не оплачен (осталось 565 ₽), "
                                              "а договор не разрешает отгрузку без оплаты.")
    async with factory() as s:
        assert (await s.get(m.Order, order.id)).shipped_at is None


async def test_an_admin_replaces_the_offer_template_with_a_file(tg, uow, factory, cfg):
    await at_needs(tg, uow, cfg)
    await tg.send(ADMIN, "/menu")
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Документы и согласование КП")
    assert "• КП: встроенный шаблон" in tg.texts(ADMIN)[-1]
    await tg.press(ADMIN, "Шаблон «КП»")
    [default] = [c for c in tg.session.calls if isinstance(c, SendDocument) and c.chat_id == ADMIN.id]
    assert default.document.filename == "quote.html" and b"{{ gross }}" in default.document.data
    await tg.press(ADMIN, "Заменить")
    await tg.document(ADMIN, "kp.html", mime="text/html", content=b"<p>{% for x in %}</p>")
    assert tg.texts(ADMIN)[-1].startswith("Шаблон не подходит: ")
    await tg.document(ADMIN, "kp.html", mime="text/html",
                      content="<h1>КП {{ number }}</h1><p>Итого {{ gross }} ₽</p>".encode())
    assert "Шаблон заменён: новые документы пойдут по нему." in tg.everything(ADMIN)
    assert "• КП: свой шаблон" in tg.texts(ADMIN)[-1]
    async with factory() as s:
        row = await s.get(m.DocTemplate, "quote")
    assert row.body == "<h1>КП {{ number }}</h1><p>Итого {{ gross }} ₽</p>"
    await tg.press(ADMIN, "Правило согласования")
    await tg.send(ADMIN, f"1 000 000; {B1.id}")
    assert "• от 1 000 000 ₽: Борис" in plain(tg.texts(ADMIN)[-1])
    await tg.send(A1, "/menu")  # not an admin: the screen is not theirs
    mark = tg.now()
    await tg.press(A1, data="dc:1::0")
    assert "Документы и согласование" not in tg.everything(A1, mark)
