"""A deal's line in the list: each fact once, named; what is not known left out (never «—»)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bot.i18n import Translator
from bot.keyboards.callbacks import WsListCb
from bot.views.deals.workspace import deal_list
from core.db.deals.workspace import Filter, Row

DUE = datetime(2026, 12, 7, 18, 26, tzinfo=UTC)


def row(**kw) -> Row:
    base = dict(id=1, name="ООО Ромашка", manager="Анна", client="ООО Ромашка", next_reminder=DUE,
                budget=Decimal("0.00"), status_id=1, status="Новая", color="blue")
    return Row(**(base | kw))


@pytest.mark.parametrize(("locale", "kw", "line"), [
    ("ru", {}, "1. <b>ООО Ромашка</b> · менеджер Анна · ⏰ задача до 07.12.2026 21:26"),
    ("ru", {"name": "Поставка бумаги", "source": "Сайт", "amount": Decimal("120000")},
     "1. <b>Поставка бумаги</b> · клиент ООО Ромашка · менеджер Анна · источник Сайт · ⏰ задача до 07.12.2026 21:26"
     " · 120\u00a0000 ₽"),
    ("ru", {"manager": None, "client": None, "next_reminder": None, "amount": Decimal("0")},
     "1. <b>ООО Ромашка</b> · 🔴 Нет задач"),
    ("en", {"name": "Supply", "source": "Website"},
     "1. <b>Supply</b> · client ООО Ромашка · manager Анна · source Website · ⏰ task due 07.12.2026 21:26"),
    ("pl", {"name": "Dostawa"},
     "1. <b>Dostawa</b> · klient ООО Ромашка · menedżer Анна · ⏰ zadanie do 07.12.2026 21:26"),
])
def test_each_fact_is_said_once_and_named(locale, kw, line):
    t = Translator(locale, "Europe/Moscow")
    text, _ = deal_list(t, WsListCb(), Filter(), [row(**kw)], 1, None)
    assert text.splitlines()[1] == line
