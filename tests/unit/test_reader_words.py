"""What a reader sees, in ru, en and pl, where issue 26 found codes, keys or raw numbers instead of words."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.views.leads import contact_card
from core.db import models as m
from core.domain.roles import Role
from core.services.leads import ContactView

LOCALES = ("ru", "en", "pl")


@pytest.mark.parametrize(("locale", "line"), [("ru", "• сделка №1 — Сбор документов"),
                                              ("en", "• deal #1 — Сбор документов"),
                                              ("pl", "• transakcja nr 1 — Zbieranie dokumentów")])
def test_the_contact_card_names_a_deals_status(locale, line):
    name = "Zbieranie dokumentów" if locale == "pl" else "Сбор документов"  # the name the admin keeps on the board
    status = m.DealStatus(id=7, pipeline="law", code="documents", name=name)
    deal = m.Deal(id=1, name="Иванов", status=status)
    contact = m.Contact(id=3, name="Пётр", phones=[], messengers={}, city=None, comment=None, user_id=None)
    text, _ = contact_card(Translator(locale), m.User(id=1, role=Role.MANAGER), ContactView(contact, [], [deal]))
    assert text.splitlines()[-1] == line
    assert "law_status" not in text and "object at" not in text
