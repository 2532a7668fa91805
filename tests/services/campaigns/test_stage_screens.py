"""No dead ends (issue 28): a deal is walked through every stage of «Холодный обзвон» by the services, and at each
its panel (and, where it has one, the КП's screen) offers exactly what the process allows there — the buttons a
person sees, in Russian. A refused КП sends the deal back to stage 5, where «📝 Начать КП» is offered again."""

from __future__ import annotations

from sqlalchemy import update

from bot.i18n import Translator
from bot.views.campaigns import cold_call as cold_views
from bot.views.campaigns import quotes as quote_views
from core.db.kernel import models as m
from core.domain.campaigns.approval import Decision
from core.domain.campaigns.quotes import Answer
from core.domain.campaigns.stages import COLD_CALL, STAGE_ACTIONS, StageCode
from core.services.campaigns import cold_call, counterparties, interactions, mail_outbox, order_to_cash, quotes, stages
from core.services.campaigns.interactions import Channel
from core.services.kernel import tasks as task_service
from tests.services.campaigns.test_campaigns import cold_world, posted
from tests.services.campaigns.test_order_to_cash import Mailbox, rows, stage_of
from tests.services.campaigns.test_task_closing import answer_all

t = Translator("ru")
#: the buttons every panel has, whatever the stage (the counterparty's fields, the export, the deal's card; the
#: admins' «отгрузка без оплаты»)
ALWAYS = {"✏️ Реквизиты и потребности", "📤 Выгрузить", "⬅️ К сделке", "🚚 Отгрузка без оплаты: нет (разрешить)"}
CLOSE, QUOTE, ORDER, BY_HAND = "✖️ Закрыть сделку", "📝 Коммерческое предложение", "📦 Заказ покупателя", \
    "✅ Отправлено иначе (не по e-mail)"
#: what each stage offers, as its panel shows it (the executor; the head of the group picks at «Перенаправление»)
PANEL = {
    "contact": {"📝 Анкета", CLOSE},
    "qualify": {"🏷 Группа доступа", CLOSE},
    "card": {"📧 Отправить визитку на e-mail", "📠 Отправлено факсом", "✅ Отправлено иначе", CLOSE},
    "reroute": {"↪️ Выбрать исполнителя", CLOSE},
    "needs": {"📅 Периодичность обзвона", QUOTE, CLOSE},
    "quote": {QUOTE, CLOSE},
    "approval": {QUOTE, CLOSE},
    "send": {QUOTE, BY_HAND, CLOSE},
    "wait": {"📨 Клиент ответил", QUOTE, CLOSE},
    "analysis": {QUOTE, CLOSE},
    "order": {ORDER, QUOTE, CLOSE},
    "purchase": {ORDER, QUOTE, CLOSE},
    "invoice": {ORDER, BY_HAND, QUOTE, CLOSE},
    "payment": {ORDER, QUOTE, CLOSE},
    "paid": {ORDER, QUOTE},
    "closed": set(),
}
START = "📝 Начать КП (новая версия)"


def buttons(markup) -> list[str]:
    return [b.text for row in markup.inline_keyboard for b in row]


async def panel_of(uow, who, deal_id: int) -> set[str]:
    _, markup = cold_views.panel(t, await cold_call.panel(uow(), who.id, deal_id))
    return set(buttons(markup)) - ALWAYS


async def quote_buttons(uow, who, deal_id: int) -> list[str]:
    _, markup = quote_views.quote_screen(t, await quotes.screen(uow(), who.id, deal_id))
    return [b for b in buttons(markup) if b not in ("🗂 Версии", "📄 PDF", "⬅️ К этапу")]


def test_the_table_covers_every_stage_and_every_open_stage_has_a_way_on():
    assert set(PANEL) == {s.code for s in COLD_CALL.stages} == set(STAGE_ACTIONS) == set(StageCode)
    for stage in COLD_CALL.stages:
        if not stage.final:  # a way on besides closing: a button of the stage, or the КП's / the order's screen
            assert PANEL[stage.code] - {CLOSE}, stage.code


async def test_every_stage_offers_exactly_what_the_process_allows(uow, factory, cfg, clock):
    w = await cold_world(uow, cfg)
    await task_service.set_supervisor(uow(), w["admin"].id, w["a1"].id, w["a2"].id)  # A2 approves A1's КП
    _, deals = await posted(uow, cfg, w)
    a1, deal, other = w["a1"], deals[0], deals[1]
    seen: dict[str, set[str]] = {}

    async def look(who=a1, deal_id=deal.id) -> str:
        stage = await stage_of(uow, deal_id)
        seen[stage] = await panel_of(uow, who, deal_id)
        assert seen[stage] == PANEL[stage], stage
        return stage

    assert await look() == "contact"
    await answer_all(uow, w, deal)
    assert await look() == "qualify"
    await counterparties.set_group(uow(), a1.id, deal.id, w["north"].id)
    assert await look() == "card"
    # the other deal's counterparty is of another group: its head (an admin here) picks; the executor waits
    await answer_all(uow, w, other)
    await counterparties.set_group(uow(), a1.id, other.id, w["south"].id)
    await interactions.card_by_hand(uow(), a1.id, other.id, Channel.FAX)
    assert await look(w["admin"], other.id) == "reroute"
    assert await panel_of(uow, a1, other.id) == {CLOSE}
    await interactions.card_by_hand(uow(), a1.id, deal.id, Channel.FAX)
    assert await look() == "needs"
    assert await quote_buttons(uow, a1, deal.id) == [START]
    q = await quotes.draft(uow(), a1.id, deal.id)
    assert await look() == "quote"
    await quotes.add_line(uow(), a1.id, q.id, "Бумага А4; 100; пачка; 350; 5%")
    assert await quote_buttons(uow, a1, deal.id) == ["➕ Строка", "✖️ Убрать строку 1", "📅 Срок действия", "📝 Условия",
                                                     "📨 На согласование"]
    await quotes.submit(uow(), a1.id, q.id)
    assert await look() == "approval"
    assert await quote_buttons(uow, a1, deal.id) == []  # with the approver: A2 has its buttons in the request
    await quotes.decide(uow(), w["a2"].id, q.id, Decision.APPROVE)
    assert await look() == "send"
    box = Mailbox()
    await mail_outbox.deliver(uow, box)
    assert await look() == "wait"
    assert await quote_buttons(uow, a1, deal.id) == ["📨 Клиент ответил"]
    await quotes.client_answered(uow(), a1.id, deal.id)
    assert await look() == "analysis"
    assert await quote_buttons(uow, a1, deal.id) == ["✅ Заказ", "✏️ Доработка", "❌ Отказ"]
    # a refusal: back at stage 5, where the next КП starts again (the dead end issue 28 found)
    assert await quotes.answer(uow(), a1.id, deal.id, Answer.REFUSAL) == "needs"
    assert await look() == "needs"
    assert await quote_buttons(uow, a1, deal.id) == [START]
    q2 = await quotes.draft(uow(), a1.id, deal.id)
    assert (q2.version, len(q2.lines)) == (2, 0)  # the refused version's lines are not copied
    await quotes.add_line(uow(), a1.id, q2.id, "Бумага А4; 10; пачка; 350; 5%")
    await quotes.submit(uow(), a1.id, q2.id)
    await quotes.decide(uow(), w["a2"].id, q2.id, Decision.APPROVE)
    await mail_outbox.deliver(uow, box)
    await quotes.client_answered(uow(), a1.id, deal.id)
    assert await quotes.answer(uow(), a1.id, deal.id, Answer.ORDER) == "purchase"  # 11 is left at once: built
    assert await look() == "purchase"
    [order] = await rows(factory, m.Order)
    for task in await rows(factory, m.Task, m.Task.id.in_([order.purchase_task_id, order.contract_task_id])):
        await task_service.done(uow(), task.responsible_id, task.id)
    assert await look() == "invoice"
    await mail_outbox.deliver(uow, box)
    assert await look() == "payment"
    await order_to_cash.pay(uow(), w["a2"].id, order.id, order.amount)  # the head registers the payment
    assert await look() == "paid"
    # «Формирование заказа» lasts no longer than building the order: its panel, as a deal held there shows it
    async with factory() as s:
        await s.execute(update(m.DealStage).where(m.DealStage.deal_id == deal.id, m.DealStage.left_at.is_(None))
                        .values(stage="order"))
        await s.commit()
    assert await look() == "order"
    await stages.move(uow(), a1.id, other.id, "closed", reason="Не наш клиент")
    assert await look(a1, other.id) == "closed"
    assert set(seen) == set(PANEL)  # every stage walked
