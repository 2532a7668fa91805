"""CommerceML 2: the export is XML built by ElementTree that reads back (its namespace, version, counterparties and
orders), and counterparties are read from a file as 1C's trade configurations write it
(tests/data/commerceml_contragents.xml: UTF-8 with a BOM, CRLF, the requisites on the counterparty or in its
person's requisites)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.domain.campaigns import commerceml as cml
from core.domain.kernel.errors import InvalidInput

SAMPLE = (Path(__file__).parents[2] / "data" / "commerceml_contragents.xml").read_bytes()
NS = {"c": cml.NAMESPACE}
D = Decimal


def test_counterparties_read_from_1cs_file_with_their_place_in_it():
    read = cml.read(SAMPLE)
    assert [(n, c.name, c.inn, c.kpp, c.email) for n, c in read.counterparties] == [
        (1, 'ООО "Ромашка"', "7707083893", "773601001", "info@romashka.ru"),
        (2, 'Тверской филиал ООО "Ромашка"', "7707083893", "695243001", "tver@romashka.ru"),
        (3, "Индивидуальный предприниматель Иванов Пётр Сергеевич", "500100732259", None, None),
        (4, 'ООО "Лютик"', "7707083890", "773601001", None),
        (5, "Розничный покупатель", None, None, None),
        (6, 'ООО "Ромашка"', "7707083893", "773601001", None)]  # the buyer of the file's order
    first, _, person = (c for _, c in read.counterparties[:3])
    assert first.address == "125009, г. Москва, ул. Тверская, д. 1" and person.ogrn == "304500116000157"


@pytest.mark.parametrize("data", [b"", b"<html></html>", b"not xml", "Организация;ИНН".encode(),
                                  b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'])
def test_anything_but_commerceml_is_refused(data):
    with pytest.raises(InvalidInput) as refused:
        cml.read(data)
    assert refused.value.key == "cml_not_commerceml"


def test_the_export_is_commerceml_2_10_and_reads_back():
    buyer = cml.Counterparty(name='ООО "Ромашка" <опт> & Ко', inn="7707083893", kpp="773601001",
                             email="info@romashka.ru", address="Москва", id=cml.object_id("client", 1))
    order = cml.Order(id=cml.object_id("order", 7), number="1-1", on=date(2026, 12, 1), amount=D("43065.00"),
                      status="in_work", buyer=buyer, paid=D("20000.00"), lines=(
                          cml.OrderLine("Бумага А4", D("100.000"), "пачка", D("350.00"), D("33250.00"),
                                        D("7315.00"), D("22.00")),
                          cml.OrderLine("Доставка", D("1.000"), "усл", D("2500.00"), D("2500.00"), D("0.00"),
                                        None)))
    data = cml.build([buyer], [order], datetime(2026, 12, 6, 9, 30, tzinfo=UTC))
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)
    assert root.tag == f"{{{cml.NAMESPACE}}}КоммерческаяИнформация"
    assert (root.get("ВерсияСхемы"), root.get("ДатаФормирования")) == ("2.10", "2026-12-06T09:30:00")
    [listed] = root.findall("c:Контрагенты/c:Контрагент", NS)
    assert [listed.findtext(f"c:{k}", namespaces=NS) for k in ("Наименование", "ИНН", "КПП", "Роль")] == [
        'ООО "Ромашка" <опт> & Ко', "7707083893", "773601001", "Покупатель"]
    [doc] = root.findall("c:Документ", NS)
    assert [doc.findtext(f"c:{k}", namespaces=NS) for k in ("Номер", "Дата", "ХозОперация", "Сумма")] == [
        "1-1", "2026-12-01", "Заказ товара", "43065.00"]
    assert doc.findtext("c:Контрагенты/c:Контрагент/c:ИНН", namespaces=NS) == "7707083893"
    goods = doc.findall("c:Товары/c:Товар", NS)
    assert [(g.findtext("c:Наименование", namespaces=NS), g.findtext("c:Количество", namespaces=NS),
             g.findtext("c:Сумма", namespaces=NS), g.findtext("c:СтавкиНалогов/c:СтавкаНалога/c:Ставка",
                                                              namespaces=NS)) for g in goods] == [
        ("Бумага А4", "100", "40565.00", "22"), ("Доставка", "1", "2500.00", "Без налога")]
    requisites = {r.findtext("c:Наименование", namespaces=NS): r.findtext("c:Значение", namespaces=NS)
                  for r in doc.findall("c:ЗначенияРеквизитов/c:ЗначениеРеквизита", NS)}
    assert requisites == {"Статус заказа": "В работе", "Отменен": "false", "Оплачено": "20000.00",
                          "Заказ оплачен": "false"}
    again = cml.read(data)  # what we write, we read
    assert [c.name for _, c in again.counterparties] == ['ООО "Ромашка" <опт> & Ко'] * 2
    assert cml.object_id("client", 1) == buyer.id != cml.object_id("client", 2)
