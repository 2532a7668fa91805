"""CommerceML 2 (``КоммерческаяИнформация``, ВерсияСхемы 2.10): the XML 1C's trade configurations (УТ, КА, ERP,
«Управление нашей фирмой») exchange with sites — counterparties (``Контрагенты``) and customers' orders
(``Документ`` with ``ХозОперация`` «Заказ товара»). Pure: the export is built by ElementTree from plain values
(never by concatenating strings), the import reads counterparties from such a file.

There is no maintained CommerceML library for Python outside Django apps (django-cml and its forks: Django models,
last releases 2019–2023), so the few elements the exchange needs are written and read here (docs/exchange-1c.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from core.domain.kernel.errors import InvalidInput

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

NAMESPACE = "urn:1C.ru:commerceml_2"
VERSION = "2.10"
#: the Ид 1C keeps for an object that came from this bot: the same for the same row on every export
_IDS = uuid.UUID("6f1d2a44-5b0c-4c55-9d3e-1c0de0a1c001")


#: an order's status as the «Статус заказа» requisite 1C's exchange with sites reads (its words, in Russian)
STATUS_NAMES = {"new": "Новый", "in_work": "В работе", "shipped": "Отгружен", "done": "Выполнен",
                "cancelled": "Отменен"}


def object_id(kind: str, row_id: int) -> str:
    return str(uuid.uuid5(_IDS, f"{kind}:{row_id}"))


@dataclass(frozen=True)
class Counterparty:
    """A counterparty as CommerceML carries it."""

    name: str
    inn: str | None = None
    kpp: str | None = None
    ogrn: str | None = None
    address: str | None = None
    email: str | None = None
    id: str = ""  # its Ид


@dataclass(frozen=True)
class OrderLine:
    item: str
    quantity: Decimal
    unit: str
    price: Decimal  # per unit, without VAT
    net: Decimal
    tax: Decimal
    vat: Decimal | None  # per cent; None: «Без НДС»


@dataclass(frozen=True)
class Order:
    id: str
    number: str
    on: date
    amount: Decimal
    status: str
    buyer: Counterparty
    lines: tuple[OrderLine, ...] = ()
    paid: Decimal = Decimal("0.00")


def _add(parent: ET.Element, tag: str, text: object | None = None, **attrs: str) -> ET.Element:
    import xml.etree.ElementTree as ET  # an exchange's file: the XML library loads when one is made or read

    node = ET.SubElement(parent, tag, attrs)
    if text is not None:
        node.text = str(text)
    return node


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _requisite(parent: ET.Element, name: str, value: str) -> None:
    req = _add(parent, "ЗначениеРеквизита")
    _add(req, "Наименование", name)
    _add(req, "Значение", value)


def _counterparty(parent: ET.Element, c: Counterparty, role: str) -> None:
    node = _add(parent, "Контрагент")
    _add(node, "Ид", c.id)
    _add(node, "Наименование", c.name)
    _add(node, "Роль", role)
    _add(node, "ПолноеНаименование", c.name)
    _add(node, "ОфициальноеНаименование", c.name)
    if c.address:
        _add(_add(node, "ЮридическийАдрес"), "Представление", c.address)
    if c.inn:
        _add(node, "ИНН", c.inn)
    if c.kpp:
        _add(node, "КПП", c.kpp)
    if c.ogrn:
        _add(node, "ОГРН", c.ogrn)
    if c.email:
        contact = _add(_add(node, "Контакты"), "Контакт")
        _add(contact, "Тип", "Почта")
        _add(contact, "Значение", c.email)


def build(counterparties: list[Counterparty], orders: list[Order], made_at: datetime) -> bytes:
    """The file 1C reads («Обмен с сайтом», or «Загрузка данных из файла» of the CommerceML exchange): the
    counterparties, then one ``Документ`` per order with its buyer and lines. UTF-8, as 1C writes it."""
    import xml.etree.ElementTree as ET

    root = ET.Element("КоммерческаяИнформация", {
        "xmlns": NAMESPACE, "xmlns:xs": "http://www.w3.org/2001/XMLSchema",
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "ВерсияСхемы": VERSION,
        "ДатаФормирования": made_at.replace(microsecond=0, tzinfo=None).isoformat()})
    if counterparties:
        listed = _add(root, "Контрагенты")
        for c in counterparties:
            _counterparty(listed, c, "Покупатель")
    for o in orders:
        doc = _add(root, "Документ")
        _add(doc, "Ид", o.id)
        _add(doc, "Номер", o.number)
        _add(doc, "Дата", o.on.isoformat())
        _add(doc, "ХозОперация", "Заказ товара")
        _add(doc, "Роль", "Продавец")
        _add(doc, "Валюта", "руб")
        _add(doc, "Курс", "1")
        _add(doc, "Сумма", _money(o.amount))
        _counterparty(_add(doc, "Контрагенты"), o.buyer, "Покупатель")
        _add(doc, "Время", "00:00:00")
        tax = sum((x.tax for x in o.lines), Decimal("0.00"))
        if tax:
            t = _add(_add(doc, "Налоги"), "Налог")
            _add(t, "Наименование", "НДС")
            _add(t, "УчтеноВСумме", "false")
            _add(t, "Сумма", _money(tax))
        goods = _add(doc, "Товары")
        for n, x in enumerate(o.lines, start=1):
            item = _add(goods, "Товар")
            _add(item, "Ид", _item_id(x.item))
            _add(item, "Наименование", x.item)
            _add(item, "БазоваяЕдиница", x.unit)
            _add(item, "ЦенаЗаЕдиницу", _money(x.price))
            _add(item, "Количество", _quantity(x.quantity))
            _add(item, "Сумма", _money(x.net + x.tax))
            rates = _add(_add(item, "СтавкиНалогов"), "СтавкаНалога")
            _add(rates, "Наименование", "НДС")
            _add(rates, "Ставка", "Без налога" if x.vat is None else _quantity(x.vat))
            if x.tax:
                t = _add(_add(item, "Налоги"), "Налог")
                _add(t, "Наименование", "НДС")
                _add(t, "УчтеноВСумме", "false")
                _add(t, "Сумма", _money(x.tax))
            reqs = _add(item, "ЗначенияРеквизитов")
            _requisite(reqs, "ВидНоменклатуры", "Товар")
            _requisite(reqs, "ТипНоменклатуры", "Товар")
            _requisite(reqs, "НомерСтроки", str(n))
        reqs = _add(doc, "ЗначенияРеквизитов")
        _requisite(reqs, "Статус заказа", STATUS_NAMES.get(o.status, o.status))
        _requisite(reqs, "Отменен", "true" if o.status == "cancelled" else "false")
        _requisite(reqs, "Оплачено", _money(o.paid))
        _requisite(reqs, "Заказ оплачен", "true" if o.paid >= o.amount else "false")
    ET.indent(root, space="\t")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _item_id(name: str) -> str:
    """A line's item by its name: the same item has the same Ид in every order."""
    return str(uuid.uuid5(_IDS, f"item:{name.casefold()}"))


# --- reading ---------------------------------------------------------------------------------------------------

#: where a counterparty's requisites may sit: on it, or in its legal or natural person's requisites (1C writes both)
_NESTED = ("РеквизитыЮрЛица", "РеквизитыФизЛица", "ЮридическоеЛицо", "ФизическоеЛицо")
_EMAIL_TYPES = ("почта", "электронная почта", "e-mail", "email")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: ET.Element, name: str) -> ET.Element | None:
    for sub in node:
        if _local(sub.tag) == name:
            return sub
    for sub in node:
        if _local(sub.tag) in _NESTED:
            found = _child(sub, name)
            if found is not None:
                return found
    return None


def _text(node: ET.Element, *path: str) -> str | None:
    for name in path:
        node = _child(node, name) if node is not None else None
    value = (node.text or "").strip() if node is not None else ""
    return value or None


@dataclass
class CmlFile:
    counterparties: list[tuple[int, Counterparty]] = field(default_factory=list)  # its ordinal in the file


def read(data: bytes) -> CmlFile:
    """The counterparties of a CommerceML file (its ``Контрагенты``, and the buyers of its documents), each with
    its ordinal number in the file. Refused when it is not CommerceML; a DTD is refused outright (no entities)."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise InvalidInput("cml_not_commerceml")
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InvalidInput("cml_not_commerceml") from exc
    if _local(root.tag) != "КоммерческаяИнформация":
        raise InvalidInput("cml_not_commerceml")
    result = CmlFile()
    for n, node in enumerate((x for x in root.iter() if _local(x.tag) == "Контрагент"), start=1):
        email = None
        contacts = _child(node, "Контакты")
        for contact in contacts if contacts is not None else ():
            kind = (_text(contact, "Тип") or "").casefold()
            if kind in _EMAIL_TYPES:
                email = _text(contact, "Значение")
                break
        address = _text(node, "ЮридическийАдрес", "Представление") or _text(node, "Адрес", "Представление")
        name = (_text(node, "ОфициальноеНаименование") or _text(node, "ПолноеНаименование")
                or _text(node, "Наименование") or "")
        result.counterparties.append((n, Counterparty(
            name=name, inn=_text(node, "ИНН"), kpp=_text(node, "КПП"),
            ogrn=_text(node, "ОГРН") or _text(node, "ОГРНИП"), address=address, email=email,
            id=_text(node, "Ид") or "")))
    return result
