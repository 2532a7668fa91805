"""Counterparties and orders to 1C as CommerceML, and counterparties from 1C's file: the preview (new, known by
INN and KPP, bad with their number in the file), the confirmation (new ones added, known ones completed where
empty, nothing twice)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.db.kernel import models as m
from core.domain.campaigns import commerceml as cml
from core.domain.kernel.errors import Forbidden
from core.services.campaigns import commerceml_exchange as exchange
from core.services.campaigns import counterparties, order_to_cash
from core.services.campaigns.counterparties import CounterpartyField
from core.services.deals import payments
from tests.services.campaigns.test_campaigns import cold_world, posted
from tests.services.campaigns.test_order_to_cash import rows

SAMPLE = (Path(__file__).parents[2] / "data" / "commerceml_contragents.xml").read_bytes()
NS = {"c": cml.NAMESPACE}


async def test_counterparties_from_1c_previewed_then_added_or_completed_once(uow, factory, cfg):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)  # ООО Ромашка (INN 7707083893, no KPP, info@romashka.ru) is known
    pv = await exchange.preview(uow(), w["a2"].id, SAMPLE)
    assert [(r["n"], r["inn"], r["kpp"], r["client_id"]) for r in pv.known] == [
        (1, "7707083893", "773601001", deals[0].client_id)]  # the one of this INN whose KPP was not known
    assert [(r["n"], r["name"], r["kpp"]) for r in pv.add] == [
        (2, 'Тверской филиал ООО "Ромашка"', "695243001"),
        (3, "Индивидуальный предприниматель Иванов Пётр Сергеевич", None)]
    assert pv.bad == [(4, "bad_inn", {"value": "7707083890"}), (5, "cml_no_inn", {"name": "Розничный покупатель"})]
    done = await exchange.confirm(uow, w["a2"].id, pv.add + pv.known)
    assert (done.added, done.completed, done.repeated, done.failed) == (2, 1, 0, [])
    romashka, tver, ip = (await rows(factory, m.Client, m.Client.inn.in_(["7707083893", "500100732259"]),
                                     order=m.Client.id))
    assert (romashka.name, romashka.kpp, romashka.email, romashka.address) == (
        "ООО Ромашка", "773601001", "info@romashka.ru", "125009, г. Москва, ул. Тверская, д. 1")  # name kept
    assert (tver.kpp, tver.email, ip.ogrn) == ("695243001", "tver@romashka.ru", "304500116000157")
    again = await exchange.preview(uow(), w["a2"].id, SAMPLE)
    assert again.add == [] and len(again.known) == 3
    assert await exchange.confirm(uow, w["a2"].id, pv.add + pv.known) == exchange.CmlResult(0, 0, 2, [])
    assert len(await rows(factory, m.Client, m.Client.inn == "7707083893")) == 2
    with pytest.raises(Forbidden):
        await exchange.preview(uow(), w["a1"].id, SAMPLE)


async def test_the_export_has_the_counterparties_and_the_orders_with_what_was_paid(uow, cfg):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    await counterparties.edit(uow(), w["a1"].id, deals[0].id, CounterpartyField.KPP, "773601001", cfg)
    order = await payments.add_order(uow(), w["a1"].id, deals[0].id, Decimal("43065.00"), date(2026, 12, 1))
    await order_to_cash.pay(uow(), w["a2"].id, order.id, Decimal("20000.00"))  # the head registers it
    with pytest.raises(Forbidden):
        await exchange.export(uow(), w["a1"].id)
    root = ET.fromstring(await exchange.export(uow(), w["a2"].id))
    listed = root.findall("c:Контрагенты/c:Контрагент", NS)
    assert ("ООО Ромашка", "7707083893", "773601001") in [
        tuple(c.findtext(f"c:{k}", namespaces=NS) for k in ("Наименование", "ИНН", "КПП")) for c in listed]
    [doc] = root.findall("c:Документ", NS)
    assert [doc.findtext(f"c:{k}", namespaces=NS) for k in ("Номер", "Сумма")] == [order.number, "43065.00"]
    assert doc.findtext("c:Контрагенты/c:Контрагент/c:КПП", namespaces=NS) == "773601001"
    paid = [r.findtext("c:Значение", namespaces=NS) for r in doc.findall("c:ЗначенияРеквизитов/c:ЗначениеРеквизита", NS)
            if r.findtext("c:Наименование", namespaces=NS) == "Оплачено"]
    assert paid == ["20000.00"]
    # what we send reads back as the same counterparties: known by INN and KPP, those with no INN not taken
    pv = await exchange.preview(uow(), w["a2"].id, ET.tostring(root, encoding="utf-8", xml_declaration=True))
    assert pv.add == [] and [r["client_id"] for r in pv.known] == [deals[0].client_id]
    assert sorted(p["name"] for _, key, p in pv.bad if key == "cml_no_inn") == ["ООО Известный", "ООО Лютик"]
