"""Seed 001, stages 6–14 through the services on a real database: the КП drafted, approved (the nested approval),
sent as a PDF through the mail outbox, followed up a week later, answered (order, rework, refusal), the order built
from its lines with its tasks, the invoice, the shipping task and the payments of that one order."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core.db.kernel import models as m
from core.db.kernel.documents import OrderMoneyRepo
from core.domain.campaigns.approval import Decision, Overpaid
from core.domain.campaigns.orders import Duty, ShipBeforePayment, ShipFlagLocked
from core.domain.campaigns.quotes import Answer, QuoteStatus
from core.domain.kernel.errors import Amount, Conflict, Forbidden, NotFound
from core.domain.kernel.tasks import OutboxStatus, TaskStatus
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import mail_outbox, order_to_cash, quotes, stages
from core.services.deals import payments
from core.services.kernel import tasks
from core.services.kernel.config import CoreConfig
from core.services.kernel.mail import MailFailed
from tests.said import title
from tests.services.campaigns.test_campaigns import cold_world, posted

D = Decimal


class Mailbox:
    """A mailer that keeps what it was given, or fails as told."""

    domain = "dealgram.test"

    def __init__(self) -> None:
        self.sent: list[tuple] = []
        self.threads: list[tuple[str, ...]] = []
        self.fail: MailFailed | None = None

    async def send(self, to, subject, body, attachment=None, message_id=None, thread=()):
        if self.fail is not None:
            raise self.fail
        self.sent.append((to, subject, attachment, message_id))
        self.threads.append(tuple(thread))


async def stage_of(uow, deal_id: int) -> str:
    async with uow() as u:
        return (await u.stages.current(deal_id)).stage


async def at_needs(uow, cfg):
    """A posted campaign's first deal (ООО Ромашка, info@romashka.ru) at stage 5; A2 heads A1 (A2 approves)."""
    w = await cold_world(uow, cfg)
    await tasks.set_supervisor(uow(), w["admin"].id, w["a1"].id, w["a2"].id)
    w["campaign"], deals = await posted(uow, cfg, w)
    async with uow() as u:
        deal = await u.deals.get(deals[0].id)
        await stages.enter(u, deal, "needs", None)
        await u.commit()
    return w, deal


async def approved(uow, w, deal) -> m.Quote:
    q = await quotes.draft(uow(), w["a1"].id, deal.id)
    await quotes.add_line(uow(), w["a1"].id, q.id, "Бумага А4; 100; пачка; 350; 5%")
    await quotes.add_line(uow(), w["a1"].id, q.id, "Доставка; 1; усл; 2 500; ; без НДС")
    await quotes.submit(uow(), w["a1"].id, q.id)
    return await quotes.decide(uow(), w["a2"].id, q.id, Decision.APPROVE)


async def rows(factory, model, *where, order=None):
    async with factory() as s:
        return list((await s.scalars(select(model).where(*where).order_by(order or model.id))).all())


async def test_from_the_offer_to_the_payment_of_its_order(uow, factory, cfg, clock):
    w, deal = await at_needs(uow, cfg)
    q = await quotes.draft(uow(), w["a1"].id, deal.id)
    assert await stage_of(uow, deal.id) == "quote"
    await quotes.add_line(uow(), w["a1"].id, q.id, "Бумага А4; 100; пачка; 350; 5%")
    await quotes.add_line(uow(), w["a1"].id, q.id, "Доставка; 1; усл; 2 500; ; без НДС")
    assert await quotes.submit(uow(), w["a1"].id, q.id) == {w["a2"].id}
    assert await stage_of(uow, deal.id) == "approval"
    asked = await rows(factory, m.Outbox, m.Outbox.kind == "quote_approval")
    assert [(o.user_id, o.payload["version"], o.payload["gross"]) for o in asked] == [(w["a2"].id, 1, "43065.00")]
    await quotes.decide(uow(), w["a2"].id, q.id, Decision.APPROVE)
    # stage 8: the PDF, its e-mail in the outbox (not sent yet), the executor told
    assert await stage_of(uow, deal.id) == "send"
    [doc] = await rows(factory, m.Document)
    text = PdfReader(io.BytesIO(doc.content)).pages[0].extract_text()
    assert f"Коммерческое предложение № {deal.id}-1" in text and "Бумага А4" in text and "43 065,00" in text
    assert "Сорок три тысячи шестьдесят пять рублей 00 копеек" in text
    assert "действительно до 07.12.2026" in text  # 14 days from the draft's day (23.11 in Moscow)
    [mail] = await rows(factory, m.MailOutbox)
    assert (mail.to_addr, mail.status, mail.document_id) == ("info@romashka.ru", OutboxStatus.PENDING, doc.id)
    assert [o.payload["approved"] for o in await rows(factory, m.Outbox, m.Outbox.kind == "quote_decided")] == [True]
    box = Mailbox()
    assert await mail_outbox.deliver(uow, box) == 1
    [(to, _, a, kp_id)] = box.sent
    assert (to, a.name, box.threads) == ("info@romashka.ru", f"KP_{deal.id}-1.pdf", [()])
    assert kp_id.endswith("@dealgram.test>") and kp_id == (await rows(factory, m.MailOutbox))[0].message_id
    assert await mail_outbox.deliver(uow, box) == 0  # sent once
    assert await stage_of(uow, deal.id) == "wait"
    # stage 9: a week later, «Взаимодействие с клиентом»; not a second one while it is open
    clock.advance(timedelta(days=7))
    assert await stages.scan_deadlines(uow(), cfg) == 1
    follow = await rows(factory, m.Task, m.Task.code == "follow")
    assert [title(t) for t in follow] == ["Взаимодействие с клиентом: ответ на КП"]
    clock.advance(timedelta(days=7))
    await stages.scan_deadlines(uow(), cfg)  # (the campaign's other deals, untouched for 14 days, close)
    assert len(await rows(factory, m.Task, m.Task.code == "follow")) == 1
    await quotes.client_answered(uow(), w["a1"].id, deal.id)
    assert [t.status for t in await rows(factory, m.Task, m.Task.code == "follow")] == [TaskStatus.DONE]
    async with uow() as u:
        await u.access_groups.set_duty(await u.access_groups.get(w["north"].id), Duty.PURCHASING)
        await u.commit()
    assert await quotes.answer(uow(), w["a1"].id, deal.id, Answer.ORDER) == "purchase"
    # stage 11: the order from the КП's lines; stage 12: the purchasing head's task (A2) and the contract's (no
    # group has that duty: the executor's, saying so)
    [order] = await rows(factory, m.Order)
    assert (order.number, order.amount, order.quote_id) == (f"{deal.id}-1", D("43065.00"), q.id)
    async with uow() as u:
        lines = (await u.orders.get(order.id)).lines
        assert [(x.item, x.quantity, x.price, x.vat) for x in lines] == [
            ("Бумага А4", D("100.000"), D("350.00"), D("22.00")), ("Доставка", D("1.000"), D("2500.00"), None)]
    purchase, contract = await tasks_of(factory, order.purchase_task_id, order.contract_task_id)
    assert (purchase.responsible_id, title(purchase)) == (w["a2"].id, f"Задание руководителю службы закупок: "
                                                                      f"исполнить заказ {order.number}")
    assert contract.responsible_id == w["a1"].id and title(contract) == f"Согласование договора поставки по заказу " \
                                                                        f"{order.number}"  # no fallback words
    assert contract.params["notes"] == ["no_group"]  # a fact: the order's screen words it on a line of its own
    await tasks.done(uow(), w["a2"].id, purchase.id)
    assert await stage_of(uow, deal.id) == "purchase"  # the contract is not approved yet
    await tasks.done(uow(), w["a1"].id, contract.id)
    # stage 13: the invoice by e-mail; sent, stage 14 and the shipping task (after payment)
    assert await stage_of(uow, deal.id) == "invoice"
    await mail_outbox.deliver(uow, box)
    assert box.sent[-1][2].name == f"Schet_{order.number}.pdf"
    assert box.threads[-1] == (kp_id,) and box.sent[-1][3] != kp_id  # the invoice follows the КП in its thread
    assert await stage_of(uow, deal.id) == "payment"
    [order] = await rows(factory, m.Order)
    [ship] = await tasks_of(factory, order.ship_task_id)
    assert title(ship) == f"Задание отделу отгрузки: заказ {order.number} (отгрузка после оплаты)"
    assert (ship.title, ship.params) == (None, {"number": order.number, "variant": "paid", "notes": ["no_group"]})
    assert title(ship, "pl") == f"Dla działu wysyłki: zamówienie {order.number} (wysyłka po zapłacie)"
    # a payment for another order of the deal does not open stage 14
    other = await payments.add_order(uow(), w["a1"].id, deal.id, D("1000"), clock.now().date())
    await order_to_cash.pay(uow(), w["a2"].id, other.id, D("1000"))
    assert await stage_of(uow, deal.id) == "payment"
    paid = await order_to_cash.pay(uow(), w["a2"].id, order.id, D("40000"))
    assert (paid.paid, paid.remaining, paid.full) == (D("40000"), D("3065.00"), False)
    with pytest.raises(Overpaid) as refused:
        await order_to_cash.pay(uow(), w["a2"].id, order.id, D("3100"))
    assert refused.value.params["remaining"] == Amount(D("3065.00"))
    with pytest.raises(ShipBeforePayment) as refused:  # not paid, and the contract does not allow it: which it says
        await tasks.done(uow(), w["a1"].id, ship.id)
    assert refused.value.params == {"number": order.number, "remaining": Amount(D("3065.00"))}
    [ship] = await tasks_of(factory, ship.id)
    [kept] = await rows(factory, m.Order, m.Order.id == order.id)
    assert (ship.status, kept.status, kept.shipped_at) == (TaskStatus.OPEN, "in_work", None)
    await order_to_cash.pay(uow(), w["a2"].id, order.id, D("3065.00"))
    assert await stage_of(uow, deal.id) == "paid"
    [ship] = await tasks_of(factory, ship.id)
    assert ship.status == TaskStatus.OPEN  # the shipping task outlives stage 14: it is done after the payment
    await tasks.done(uow(), w["a1"].id, ship.id)
    view = await order_to_cash.view(uow(), w["a1"].id, order.id)
    assert [p.amount for p in view.payments] == [D("40000.00"), D("3065.00")] and view.paid.full
    assert view.order.status == "done"  # shipped, then paid in full
    await order_to_cash.set_ship_unpaid(uow(), w["admin"].id, deal.id, True)  # paid now: may change
    # the head's report of the campaign: its deals per stage, the КП, the orders and their payments
    r = await campaigns.report(uow(), w["a2"].id, w["campaign"].id)
    by_stage = dict(r.stages)
    assert (by_stage["Заказ оплачен"], by_stage["Сделка закрыта"], by_stage["Ожидание ответа"]) == (1, 2, 0)
    assert (r.sent, r.approved, r.refused, r.orders, r.ordered, r.paid) == (1, 1, 0, 1, D("43065.00"), D("43065.00"))
    with pytest.raises(Forbidden):  # the campaign's executor works its deals; its head reads the report
        await campaigns.report(uow(), w["a1"].id, w["campaign"].id)


async def tasks_of(factory, *ids):
    async with factory() as s:
        return [await s.get(m.Task, i) for i in ids]


async def test_a_rework_makes_a_new_version_and_a_refusal_returns_to_stage_5(uow, factory, cfg):
    w, deal = await at_needs(uow, cfg)
    q = await approved(uow, w, deal)
    await mail_outbox.deliver(uow, Mailbox())
    with pytest.raises(Conflict):  # the answer is read at stage 10
        await quotes.answer(uow(), w["a1"].id, deal.id, Answer.ORDER)
    await quotes.client_answered(uow(), w["a1"].id, deal.id)
    assert await quotes.answer(uow(), w["a1"].id, deal.id, Answer.REWORK, "Дорого") == "quote"
    v2 = await quotes.draft(uow(), w["a1"].id, deal.id)
    assert (v2.version, len(v2.lines)) == (2, 2)
    await quotes.submit(uow(), w["a1"].id, v2.id)
    returned = await quotes.decide(uow(), w["a2"].id, v2.id, Decision.RETURN, "Нужна скидка")
    assert returned.status == QuoteStatus.RETURNED and await stage_of(uow, deal.id) == "quote"
    v3 = await quotes.draft(uow(), w["a1"].id, deal.id)
    await quotes.submit(uow(), w["a1"].id, v3.id)
    await quotes.decide(uow(), w["a2"].id, v3.id, Decision.APPROVE)
    await mail_outbox.deliver(uow, Mailbox())
    await quotes.client_answered(uow(), w["a1"].id, deal.id)
    assert await quotes.answer(uow(), w["a1"].id, deal.id, Answer.REFUSAL) == "needs"
    listed = await quotes.versions(uow(), w["a1"].id, deal.id)
    assert [(x.version, x.status) for x, *_ in listed] == [(3, "refused"), (2, "returned"), (1, "rework")]
    assert [x.quote_id for x in await rows(factory, m.Document)] == [q.id, v3.id]


async def test_a_server_down_is_retried_and_a_refused_address_parks_the_mail_with_a_task(uow, factory, cfg, clock):
    w, deal = await at_needs(uow, cfg)
    await approved(uow, w, deal)
    box = Mailbox()
    box.fail = MailFailed("SMTPConnectError: down")
    assert await mail_outbox.deliver(uow, box) == 1
    [mail] = await rows(factory, m.MailOutbox)
    retry_at = clock.now() + timedelta(minutes=2)
    assert (mail.status, mail.attempts, mail.not_before) == (OutboxStatus.PENDING, 1, retry_at)
    assert await mail_outbox.deliver(uow, box) == 0  # waits for its time
    clock.advance(timedelta(minutes=2))
    box.fail = MailFailed("SMTPRecipientsRefused: 550 no such user", permanent=True)
    assert await mail_outbox.deliver(uow, box) == 1
    [mail] = await rows(factory, m.MailOutbox)
    assert (mail.status, mail.last_error) == (OutboxStatus.FAILED, "SMTPRecipientsRefused: 550 no such user")
    assert await stage_of(uow, deal.id) == "send"  # nothing was sent: the deal waits
    [told] = await rows(factory, m.Outbox, m.Outbox.kind == "mail_parked")
    assert told.user_id == w["a1"].id
    [task] = await rows(factory, m.Task, m.Task.code == "quote")
    await tasks.done(uow(), w["a1"].id, task.id)  # sent some other way
    assert await stage_of(uow, deal.id) == "wait"


async def test_no_smtp_claims_nothing_and_a_deal_without_e_mail_gets_a_task(uow, factory, cfg):
    w, deal = await at_needs(uow, cfg)
    async with uow() as u:
        (await u.clients.get(deal.client_id)).email = None
        await u.commit()
    await approved(uow, w, deal)
    assert await rows(factory, m.MailOutbox) == []
    [task] = await rows(factory, m.Task, m.Task.code == "quote")
    assert title(task) == f"Отправить клиенту КП № {deal.id}-1: у контрагента нет e-mail"
    assert title(task, "en") == f"Send quote No. {deal.id}-1 to the client: the counterparty has no e-mail"
    assert await mail_outbox.deliver(uow, None) == 0
    assert isinstance(CoreConfig(), CoreConfig)


async def test_with_no_smtp_the_executor_marks_the_offer_sent_by_hand_and_its_e_mail_is_withdrawn(uow, factory, cfg):
    w, deal = await at_needs(uow, cfg)
    await approved(uow, w, deal)
    assert await mail_outbox.deliver(uow, None) == 0  # no server: the e-mail waits
    with pytest.raises(NotFound):  # a manager who does not see the deal
        await mail_outbox.by_hand(uow(), w["b1"].id, deal.id)
    await mail_outbox.by_hand(uow(), w["a1"].id, deal.id)
    assert await stage_of(uow, deal.id) == "wait"
    [mail] = await rows(factory, m.MailOutbox)
    assert (mail.status, mail.last_error) == (OutboxStatus.SKIPPED, "sent by hand")
    box = Mailbox()
    assert await mail_outbox.deliver(uow, box) == 0 and box.sent == []  # a server set later sends nothing of it
    with pytest.raises(Conflict):  # nothing waits to be sent at stage 9
        await mail_outbox.by_hand(uow(), w["a1"].id, deal.id)


async def test_two_presses_at_once_start_one_version(uow, factory, cfg):
    w, deal = await at_needs(uow, cfg)
    results = await asyncio.gather(quotes.draft(uow(), w["a1"].id, deal.id), quotes.draft(uow(), w["a1"].id, deal.id),
                                   return_exceptions=True)
    made = await rows(factory, m.Quote)
    assert [q.version for q in made] == [1]
    for r in results:  # the other press sees the draft (SQLite waits its turn), or is told it was started
        assert (isinstance(r, m.Quote) and r.id == made[0].id) or (isinstance(r, Conflict) and r.key == "quote_started")


async def ordered(uow, factory, cfg, *, ship_unpaid: bool):
    """A deal through the КП to its order, the order's tasks done and its invoice sent: stage 14 (13 → 14)."""
    w, deal = await at_needs(uow, cfg)
    if ship_unpaid:
        await order_to_cash.set_ship_unpaid(uow(), w["admin"].id, deal.id, True)
    await approved(uow, w, deal)
    box = Mailbox()
    await mail_outbox.deliver(uow, box)
    await quotes.client_answered(uow(), w["a1"].id, deal.id)
    await quotes.answer(uow(), w["a1"].id, deal.id, Answer.ORDER)
    [order] = await rows(factory, m.Order)
    for task in await tasks_of(factory, order.purchase_task_id, order.contract_task_id):
        await tasks.done(uow(), task.responsible_id, task.id)
    await mail_outbox.deliver(uow, box)
    [order] = await rows(factory, m.Order)
    return w, deal, order


async def test_a_contract_that_allows_it_ships_before_payment(uow, factory, cfg):
    w, deal, order = await ordered(uow, factory, cfg, ship_unpaid=True)
    assert await stage_of(uow, deal.id) == "payment"
    [ship] = await tasks_of(factory, order.ship_task_id)
    assert "(отгрузка без оплаты разрешена)" in title(ship)
    await tasks.done(uow(), ship.responsible_id, ship.id)  # nothing paid: the contract allows it
    [order] = await rows(factory, m.Order, m.Order.id == order.id)
    assert (order.status, order.shipped_at is not None) == ("shipped", True)
    with pytest.raises(ShipFlagLocked):  # shipped and unpaid: the flag holds until it is paid
        await order_to_cash.set_ship_unpaid(uow(), w["admin"].id, deal.id, False)


async def test_two_partial_payments_at_once_never_overpay_the_order(uow, factory, cfg, mocker):
    """Each alone fits what remains (43 065,00), both together would overpay: the order's row is locked while a
    payment is checked and written (PostgreSQL: SELECT … FOR UPDATE), so the second sees the first."""
    w, deal, order = await ordered(uow, factory, cfg, ship_unpaid=False)
    read = OrderMoneyRepo.paid

    async def slow_read(repo, order_id):  # each payment reads what was paid, then waits: the others read too
        paid = await read(repo, order_id)
        await asyncio.sleep(0.05)
        return paid

    mocker.patch.object(OrderMoneyRepo, "paid", slow_read)
    people = (w["a2"], w["admin"], w["a2"])  # three presses at once (the head, an admin, the head from another chat;
    # the executor may not register a payment: core.domain.kernel.permissions)
    results = await asyncio.gather(*(order_to_cash.pay(uow(), p.id, order.id, D("30000")) for p in people),
                                   return_exceptions=True)
    assert sum(isinstance(r, Overpaid) for r in results) == 2
    assert [p.amount for p in await rows(factory, m.Payment, m.Payment.order_id == order.id)] == [D("30000.00")]
    assert await stage_of(uow, deal.id) == "payment"
