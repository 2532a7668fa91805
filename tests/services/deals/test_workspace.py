"""The deal workspace: both pipelines' deals, the list and its filters, the board, status moves by the same rules,
payments and the budget, the forecast, orders, contact copy rules, the feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.db.kernel import models as m
from core.domain.deals.workspace import MoveNeedsComment, Pipeline, StatusFinal, StatusFixed
from core.domain.kernel.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from core.domain.kernel.tasks import TaskClose, TaskStatus
from core.domain.marketplace.applications import AppStatus
from core.services.deals import listing as deal_list
from core.services.deals import payments, workspace
from core.services.deals import statuses as deal_statuses
from core.services.deals.listing import Filter
from core.services.deals.workspace import Attachment
from core.services.kernel import tasks
from core.services.marketplace import applications
from core.services.marketplace import deal_room as deals
from tests.factories import law_deal, market_deal, world
from tests.said import line


async def test_both_pipelines_make_deals_with_the_clients_contacts(uow, cfg):
    w, _app, deal = await market_deal(uow, cfg)
    page = await deal_list.view(uow(), w["a1"].id, deal.id)
    assert (page.deal.pipeline, page.status.name, page.responsible.name) == ("market", "Сбор документов", "Анна")
    assert [c.name for c in page.contacts] == ["ООО Ромашка"] and page.deal.contact_id == page.contacts[0].id
    law = await law_deal(uow, cfg, w, w["a2"])
    page = await deal_list.view(uow(), w["a2"].id, law.id)
    assert (page.deal.pipeline, page.status.name, page.deal.kind) == ("law", "Сбор документов", "contract")
    assert page.client.name == "Пётр" and [c.name for c in page.contacts] == ["Пётр"]


async def test_the_list_defaults_to_mine_and_filters(uow, cfg):
    w, _app, deal = await market_deal(uow, cfg)
    law = await law_deal(uow, cfg, w, w["a2"])
    rows, total = await deal_list.page(uow(), w["a1"].id, Filter())
    assert total == 1 and [(r.id, r.manager, r.client, r.next_reminder, r.budget) for r in rows] == [
        (deal.id, "Анна", "ООО Ромашка", None, Decimal("0.00"))]  # None: «Нет задач»
    rows, total = await deal_list.page(uow(), w["a1"].id, Filter(mine=False))  # the company's deals
    assert [r.id for r in rows] == [law.id, deal.id]
    rows, _ = await deal_list.page(uow(), w["a1"].id, Filter(mine=False, manager_id=w["a2"].id))
    assert [r.id for r in rows] == [law.id]
    rows, _ = await deal_list.page(uow(), w["a1"].id, Filter(mine=False, query="пётр"))
    assert [r.id for r in rows] == [law.id]
    rows, _ = await deal_list.page(uow(), w["a1"].id, Filter(mine=False, status_id=deal.status_id))
    assert [r.id for r in rows] == [deal.id]
    rows, total = await deal_list.page(uow(), w["b1"].id, Filter(mine=False))  # another company sees none
    assert (rows, total) == ([], 0)
    with pytest.raises(NotFound):
        await deal_list.view(uow(), w["b1"].id, deal.id)
    with pytest.raises(Forbidden):
        await deal_list.page(uow(), w["client"].id, Filter())
    due = datetime(2030, 1, 2, 9, 0, tzinfo=UTC)
    await workspace.remind(uow(), w["a1"].id, deal.id, "Позвонить", due)
    rows, _ = await deal_list.page(uow(), w["a1"].id, Filter())
    assert rows[0].next_reminder == due


async def test_market_moves_follow_the_applications_rules(uow, factory, cfg):
    w, app, deal = await market_deal(uow, cfg)
    by_code = {s.code: s for s in await deal_statuses.statuses(uow(), w["admin"].id, Pipeline.MARKET)}
    with pytest.raises(MoveNeedsComment):
        await workspace.move(uow(), w["a1"].id, deal.id, by_code["rework"].id)
    with pytest.raises(IllegalTransition):
        await workspace.move(uow(), w["a1"].id, deal.id, by_code["issued"].id)
    await workspace.move(uow(), w["a1"].id, deal.id, by_code["approved"].id)
    assert (await applications.card(uow(), w["a1"].id, app.id)).app.status == AppStatus.APPROVED
    # the room moves the deal too
    await deals.change_status(uow(), w["a1"].id, app.id, AppStatus.ISSUED, None, cfg)
    page = await deal_list.view(uow(), w["a1"].id, deal.id)
    assert page.status.code == "issued" and page.status.final
    with pytest.raises(StatusFinal):
        await workspace.move(uow(), w["a1"].id, deal.id, by_code["documents"].id)
    assert [line(f) for f in page.feed] == ["🔀 Сбор документов → Одобрено"]
    assert [line(f, "en") for f in page.feed] == ["🔀 Collecting documents → Approved"]


async def test_law_moves_and_the_statuses_directory(uow, cfg):
    w = await world(uow, cfg)
    law = await law_deal(uow, cfg, w, w["a1"])
    admin = w["admin"]
    extra = await deal_statuses.add_status(uow(), admin.id, Pipeline.LAW, "Ждём оплату", "#AA0000")
    await deal_statuses.edit_status(uow(), admin.id, extra.id, shift=-10)  # first in the order
    names = [s.name for s in await deal_statuses.statuses(uow(), w["admin"].id, Pipeline.LAW)]
    assert names[0] == "Ждём оплату" and len(names) == 7
    await workspace.move(uow(), w["a1"].id, law.id, extra.id)
    decision = next(s for s in await deal_statuses.statuses(uow(), w["admin"].id, Pipeline.LAW) if s.code == "decision")
    with pytest.raises(StatusFixed):  # the seed's final status stays final
        await deal_statuses.edit_status(uow(), admin.id, decision.id, final=False)
    with pytest.raises(Forbidden):
        await deal_statuses.add_status(uow(), w["a1"].id, Pipeline.LAW, "Моё")
    await deal_statuses.edit_status(uow(), admin.id, extra.id, archived=True)
    assert "Ждём оплату" not in [s.name for s in await deal_statuses.statuses(uow(), w["admin"].id, Pipeline.LAW)]
    assert (await deal_list.view(uow(), w["a1"].id, law.id)).status.name == "Ждём оплату"  # kept on the deal
    columns = await deal_list.board(uow(), w["a1"].id, Pipeline.LAW)
    assert [c.status.name for c in columns][:1] == ["Сбор документов"] and sum(c.count for c in columns) == 0


async def test_payments_budget_forecast_and_the_overdue_reminder(uow, factory, cfg, clock):
    w = await world(uow, cfg)
    law = await law_deal(uow, cfg, w, w["a1"])
    today = date(2026, 11, 23)  # the test's clock: 12:00 in Moscow
    p1 = await payments.add_payment(uow(), w["a1"].id, law.id, Decimal("100000.50"), today - timedelta(days=1))
    await payments.add_payment(uow(), w["a1"].id, law.id, Decimal("200000"), today + timedelta(days=45))
    p3 = await payments.add_payment(uow(), w["a1"].id, law.id, Decimal("50000"), today + timedelta(days=10))
    assert (await deal_list.view(uow(), w["a1"].id, law.id)).deal.budget == Decimal("350000.50")
    with pytest.raises(InvalidInput):
        await payments.add_payment(uow(), w["a1"].id, law.id, Decimal("-1"), today)
    figures, names = await payments.forecast(uow(), w["a1"].id)
    assert figures[None] == {"overdue": Decimal("100000.50"), "30": Decimal("50000"), "60": Decimal("250000"),
                             "90": Decimal("250000")}
    assert figures[w["a1"].id] == figures[None] and names == {w["a1"].id: "Анна"}
    # the overdue planned payment: one reminder to the responsible, once
    assert await payments.scan_overdue_payments(uow(), cfg) == 1
    assert await payments.scan_overdue_payments(uow(), cfg) == 0
    async with factory() as s:
        [row] = (await s.scalars(select(m.Outbox).where(m.Outbox.kind == "payment_overdue"))).all()
    assert (row.user_id, row.payload["amount"], row.payload["deal_id"]) == (w["a1"].id, "100000.50", law.id)
    await payments.move_payment(uow(), w["a1"].id, p1.id, today + timedelta(days=3))  # the client named a date
    await payments.receive_payment(uow(), w["a1"].id, p3.id)
    assert (await deal_list.view(uow(), w["a1"].id, law.id)).deal.budget == Decimal("300000.50")
    clock.advance(days=3, hours=11, minutes=30)  # 23:30 in Moscow on the new date: not overdue yet
    assert await payments.scan_overdue_payments(uow(), cfg) == 0
    clock.advance(hours=1)  # 00:30 the day after in Moscow (21:30 UTC, still the new date in UTC)
    assert await payments.scan_overdue_payments(uow(), cfg) == 1  # the new date passed too
    with pytest.raises(NotFound):  # another company's manager
        await payments.receive_payment(uow(), w["b1"].id, p1.id)


async def test_contacts_copy_rules_orders_and_the_feed(uow, factory, cfg):
    w = await world(uow, cfg)
    law = await law_deal(uow, cfg, w, w["a1"])
    first = (await deal_list.view(uow(), w["a1"].id, law.id)).contacts[0]
    second = await workspace.add_contact(uow(), w["a1"].id, law.id, "8 900 555-01-02", "Жена Петра", cfg)
    assert sorted(await workspace.client_contacts(uow(), law.client_id)) == sorted([first.id, second.id])
    await workspace.set_main_contact(uow(), w["a1"].id, law.id, second.id)
    await workspace.remove_contact(uow(), w["a1"].id, law.id, second.id)
    page = await deal_list.view(uow(), w["a1"].id, law.id)
    assert [c.id for c in page.contacts] == [first.id] and page.deal.contact_id == first.id
    assert sorted(await workspace.client_contacts(uow(), law.client_id)) == sorted([first.id, second.id])
    # a second deal of the same client gets both contacts again
    await workspace.set_client(uow(), w["a1"].id, law.id, law.client_id)
    assert len((await deal_list.view(uow(), w["a1"].id, law.id)).contacts) == 2

    order = await payments.add_order(uow(), w["a1"].id, law.id, Decimal("12000"), date(2026, 11, 20))
    assert order.number == f"{law.id}-1"
    await workspace.comment(uow(), w["a1"].id, law.id, "Паспорт", cfg,
                            Attachment("PHOTO1", "photo", None, "image/jpeg", 1000))
    with pytest.raises(InvalidInput):
        await workspace.comment(uow(), w["a1"].id, law.id, None, cfg,
                                Attachment("EXE", "document", "x.exe", "application/x-msdownload", 10))
    task = await workspace.remind(uow(), w["a1"].id, law.id, "Запросить справку", datetime(2030, 1, 1, tzinfo=UTC))
    await tasks.done(uow(), w["a1"].id, task.id)
    feed = (await deal_list.view(uow(), w["a1"].id, law.id)).feed
    assert [(f.kind, line(f)) for f in feed[:4]] == [("reminder_done", "✅ Выполнено: Запросить справку"),
                                                     ("reminder", "⏰ Напоминание: Запросить справку — до "
                                                                  "01.01.2030 03:00"),
                                                     ("comment", "Паспорт"),
                                                     ("order", f"📦 Заказ № {order.number} на 12\u00a0000 ₽")]
    assert feed[3].params == {"number": order.number, "amount": "12000", "currency": "RUB", "quote_version": None}
    assert feed[2].file_kind == "photo"


async def test_reads_check_who_reads(uow, cfg):
    """A read service takes the person who reads and refuses who may not: the handler is not the only guard."""
    from core.services.kernel import users
    from core.services.leads import lifecycle as leads

    w = await world(uow, cfg)
    client, a1, admin = w["client"], w["a1"], w["admin"]
    assert [s.code for s in await deal_statuses.statuses(uow(), a1.id, Pipeline.LAW)][:1] == ["documents"]
    with pytest.raises(Forbidden):  # a client has no pipelines
        await deal_statuses.statuses(uow(), client.id, Pipeline.LAW)
    with pytest.raises(Forbidden):  # the archived statuses are the admins' directory
        await deal_statuses.statuses(uow(), a1.id, Pipeline.LAW, with_archived=True)
    assert (await users.get(uow(), a1.id, a1.id)).id == a1.id  # oneself
    assert (await users.get(uow(), admin.id, client.id)).id == client.id
    with pytest.raises(Forbidden):  # a manager does not read another person's record
        await users.get(uow(), a1.id, client.id)
    with pytest.raises(Forbidden):  # nor does a client name people
        await users.named(uow(), client.id, str(a1.tg_id))
    assert (await users.named(uow(), a1.id, str(w["a2"].tg_id))).id == w["a2"].id
    with pytest.raises(Forbidden):
        await leads.switches(uow(), a1.id)
    assert all((await leads.switches(uow(), admin.id)).values())


async def test_a_law_firm_deal_always_has_its_source(uow, cfg):
    from core.db.kernel import models as m

    w = await world(uow, cfg)
    law = await law_deal(uow, cfg, w, w["a1"])
    site = (await deal_list.view(uow(), w["a1"].id, law.id)).source
    assert site is not None and site.id == law.source_id
    with pytest.raises(InvalidInput) as err:  # changed, never removed
        await workspace.set_source(uow(), w["a1"].id, law.id, None)
    assert err.value.key == "source_required"
    rows, _ = await deal_list.page(uow(), w["a1"].id, Filter(mine=False, source_id=site.id))
    assert [(r.id, r.source) for r in rows] == [(law.id, site.name)]
    assert (await deal_list.page(uow(), w["a1"].id, Filter(mine=False, source_id=site.id + 100)))[0] == []
    async with uow() as u:  # a deal made by hand in the law firm's pipeline needs one too
        contact = u.add(m.Contact(name="Без источника", messengers={}, phones=[m.ContactPhone(phone="+79990001122")]))
        await u.flush()
        with pytest.raises(InvalidInput) as err:
            await workspace.open_deal(u, contact, pipeline=Pipeline.LAW, name="Ручная", responsible_id=w["a1"].id,
                                      creator_id=w["a1"].id)
        assert err.value.key == "source_required"


async def test_a_status_name_is_not_repeated_in_its_pipeline(uow, cfg):
    """Two like columns on the board, two like buttons: refused on add and on rename, whatever the case, as every
    directory refuses a repeated name; another pipeline may have the same name."""
    from bot.i18n import Translator

    w = await world(uow, cfg)
    admin = w["admin"]
    with pytest.raises(InvalidInput) as caught:
        await deal_statuses.add_status(uow(), admin.id, Pipeline.LAW, "сбор ДОКУМЕНТОВ")
    assert [Translator(x).error(caught.value) for x in ("ru", "en", "pl")] == [
        "«сбор ДОКУМЕНТОВ» уже есть в справочнике.", "«сбор ДОКУМЕНТОВ» is already in the directory.",
        "„сбор ДОКУМЕНТОВ” jest już w słowniku."]
    extra = await deal_statuses.add_status(uow(), admin.id, Pipeline.LAW, "Ждём оплату")
    with pytest.raises(InvalidInput) as caught:
        await deal_statuses.edit_status(uow(), admin.id, extra.id, name=" Сбор документов ")
    assert caught.value.key == "duplicate_name"
    await deal_statuses.edit_status(uow(), admin.id, extra.id, name="ждём ОПЛАТУ")  # its own name, another case
    names = [s.name for s in await deal_statuses.statuses(uow(), admin.id, Pipeline.LAW)]
    assert names.count("Сбор документов") == 1 and "ждём ОПЛАТУ" in names
    await deal_statuses.add_status(uow(), admin.id, Pipeline.MARKET, "Ждём оплату")  # another pipeline


async def test_a_deal_moved_to_a_final_status_closes_its_open_tasks(uow, factory, cfg):
    """Every open task closes when its deal closes, a law firm's deal (no process) too: who closed it and why are
    kept, and a closed task reminds nobody."""
    w = await world(uow, cfg)
    law = await law_deal(uow, cfg, w, w["a1"])
    task = await workspace.remind(uow(), w["a1"].id, law.id, "Запросить справку", datetime(2030, 1, 1, tzinfo=UTC))
    other = await workspace.remind(uow(), w["a1"].id, law.id, "Позвонить", datetime(2030, 1, 2, tzinfo=UTC))
    await tasks.done(uow(), w["a1"].id, other.id)
    decision = next(s for s in await deal_statuses.statuses(uow(), w["admin"].id, Pipeline.LAW) if s.code == "decision")
    await workspace.move(uow(), w["a1"].id, law.id, decision.id)
    async with factory() as s:
        rows = {t.id: t for t in (await s.scalars(select(m.Task).where(m.Task.deal_id == law.id))).all()}
    assert (rows[task.id].status, rows[task.id].close_reason, rows[task.id].closed_by) == (
        TaskStatus.CANCELLED, TaskClose.DEAL_CLOSED, w["a1"].id)
    assert rows[other.id].status == TaskStatus.DONE  # a task already done stays as it was
