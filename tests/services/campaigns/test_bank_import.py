"""Payments from 1C's client-bank file (tests/data/kl_to_1c.txt) booked to the orders they pay: the preview names
each row that cannot be booked (by its line in the file and why), the confirmation books the others through the
order's payment service, and a second import of the same statement books nothing twice."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.db.kernel import models as m
from core.domain.kernel.errors import Amount, Forbidden, InvalidInput
from core.services.campaigns import bank_import, order_to_cash
from core.services.deals import payments
from tests.services.campaigns.test_campaigns import cold_world, posted
from tests.services.campaigns.test_order_to_cash import rows

SAMPLE = (Path(__file__).parents[2] / "data" / "kl_to_1c.txt").read_bytes()
D = Decimal


async def ordered(uow, cfg):
    """The sample's orders: ООО Ромашка's deal is deal 1, with orders 1-1 (43 065 ₽) and 1-2 (3 000 ₽)."""
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    assert deals[0].id == 1 and deals[0].name.endswith("ООО Ромашка")  # the sample names invoices 1-1 and 1-2
    big = await payments.add_order(uow(), w["a1"].id, 1, D("43065.00"), date(2026, 12, 1))
    small = await payments.add_order(uow(), w["a1"].id, 1, D("3000.00"), date(2026, 12, 4))
    assert (big.number, small.number) == ("1-1", "1-2")
    return w, big, small


async def test_the_preview_books_what_matches_and_names_each_row_that_does_not(uow, cfg):
    w, _, _ = await ordered(uow, cfg)
    pv = await bank_import.preview(uow(), w["a2"].id, SAMPLE)  # A2 heads a group: a «Руководитель»
    assert [(r["line"], r["number"], r["order"], r["amount"], r["on"]) for r in pv.book] == [
        (21, "512", "1-1", "20000.00", "2026-12-02"), (99, "537", "1-1", "23065.00", "2026-12-04")]
    assert pv.total == D("43065.00") and pv.outgoing == 1 and pv.booked == []
    assert pv.bad == [
        (139, "onec_inn_mismatch", {"number": "1-1", "inn": "7736050003", "order_inn": "7707083893"}),
        (179, "onec_no_invoice", {"purpose": "Оплата по договору поставки № 15 от 10.11.2026. Сумма 3500-00, без "
                                             "налога (НДС)"}),
        (219, "onec_overpaid", {"number": "1-2", "amount": Amount(D("5000.00")),
                                      "remaining": Amount(D("3000.00"))})]
    with pytest.raises(Forbidden):  # a manager who heads no group does not import the bank's statement
        await bank_import.preview(uow(), w["a1"].id, SAMPLE)
    with pytest.raises(InvalidInput) as refused:
        await bank_import.preview(uow(), w["a2"].id, b"1CClientBankExchange\r\nKonecFaila\r\n")
    assert refused.value.key == "onec_no_documents"


async def test_confirmed_payments_are_booked_once_even_when_the_statement_comes_again(uow, factory, cfg):
    w, big, _ = await ordered(uow, cfg)
    pv = await bank_import.preview(uow(), w["a2"].id, SAMPLE)
    with pytest.raises(Forbidden):  # a preview's rows confirmed by someone who heads no group: nothing booked
        await bank_import.confirm(uow, w["a1"].id, pv.book)
    assert await rows(factory, m.Payment, m.Payment.order_id == big.id) == []
    done = await bank_import.confirm(uow, w["a2"].id, pv.book)
    assert (len(done.booked), done.failed, done.repeated) == (2, [], 0)
    paid = await rows(factory, m.Payment, m.Payment.order_id == big.id)
    assert [(p.amount, p.due_on, p.bank_ref) for p in paid] == [
        (D("20000.00"), date(2026, 12, 2), "1c:40702810400000000123:2026-12-02:512:20000.00"),
        (D("23065.00"), date(2026, 12, 4), "1c:40702810400000000123:2026-12-04:537:23065.00")]
    view = await order_to_cash.view(uow(), w["a1"].id, big.id)
    assert view.paid.full
    again = await bank_import.preview(uow(), w["a2"].id, SAMPLE)  # the statement downloaded again
    assert again.book == [] and again.booked == [(21, "512"), (99, "537")]
    replay = await bank_import.confirm(uow, w["a2"].id, pv.book)  # the old preview confirmed a second time
    assert (replay.booked, replay.failed, replay.repeated) == ([], [], 2)
    assert len(await rows(factory, m.Payment, m.Payment.order_id == big.id)) == 2


async def test_two_imports_at_once_book_each_payment_once(uow, factory, cfg):
    w, big, _ = await ordered(uow, cfg)
    pv = await bank_import.preview(uow(), w["a2"].id, SAMPLE)
    first, second = await asyncio.gather(bank_import.confirm(uow, w["a2"].id, pv.book),
                                         bank_import.confirm(uow, w["admin"].id, pv.book))
    assert len(first.booked) + len(second.booked) == 2 and first.repeated + second.repeated == 2
    assert sum(p.amount for p in await rows(factory, m.Payment, m.Payment.order_id == big.id)) == D("43065.00")


async def test_a_row_that_cannot_be_booked_any_more_is_told_and_the_rest_goes_on(uow, factory, cfg):
    w, big, _ = await ordered(uow, cfg)
    pv = await bank_import.preview(uow(), w["a2"].id, SAMPLE)
    await order_to_cash.pay(uow(), w["a2"].id, big.id, D("20000.00"))  # paid by hand meanwhile (by the head)
    done = await bank_import.confirm(uow, w["a2"].id, pv.book)
    assert [r["number"] for r in done.booked] == ["512"]
    assert done.failed == [(99, "payment_over", {"remaining": Amount(D("3065.00"))})]
