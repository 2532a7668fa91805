"""What a reader sees, in ru, en and pl, where issue 26 found codes, keys or raw numbers instead of words."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.views.leads import contact_card
from bot.views.quotes import doc_admin
from core.db import models as m
from core.domain import leads, process
from core.domain import lease_process as lp
from core.domain.errors import DomainError
from core.domain.orders import DocKind
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


def _refusal(locale: str, move) -> str:
    with pytest.raises(DomainError) as caught:
        move()
    return Translator(locale).error(caught.value)


def _lease_by_client():
    lp.check_transition(lp.LeaseStatus.VERIFICATION, lp.LeaseStatus.TO_PAYMENT, {lp.Actor.CLIENT})


def _cold_call_skip():
    process.check_move(process.COLD_CALL, "qualify", "paid", process.Facts())


def _lead_skip():
    leads.check_transition(leads.LeadStatus.NEW, leads.LeadStatus.VISITED)


@pytest.mark.parametrize(("move", "locale", "text"), [
    (_lease_by_client, "ru", "Перевести заявку в «Запуск» может другой участник."),
    (_lease_by_client, "en", "Another participant moves the application to “Launch”."),
    (_lease_by_client, "pl", "Do „Uruchomienie” wniosek przenosi inny uczestnik."),
    (_cold_call_skip, "ru", "Нельзя перевести заявку из статуса «Квалифицировать клиента» в «Заказ оплачен»."),
    (_cold_call_skip, "en", "An application cannot go from «Qualify the client» to «Order paid»."),
    (_cold_call_skip, "pl", "Wniosek nie może przejść z «Kwalifikacja klienta» do «Zamówienie opłacone»."),
    (_lead_skip, "ru", "Нельзя перевести заявку из статуса «Новый» в «Встреча состоялась»."),
    (_lead_skip, "en", "An application cannot go from «New» to «Meeting held»."),
    (_lead_skip, "pl", "Wniosek nie może przejść z «Nowy» do «Spotkanie odbyte»."),
])
def test_a_refused_move_names_the_statuses_as_the_reader_knows_them(move, locale, text):
    assert _refusal(locale, move) == text


def test_every_stage_of_a_process_has_a_name_in_every_language():
    for proc in (process.COLD_CALL, process.APPROVAL):
        for stage in proc.stages:
            assert Translator("ru")(f"stage.{proc.code}.{stage.code}") == stage.name
            for locale in ("en", "pl"):
                assert Translator(locale).has(f"stage.{proc.code}.{stage.code}")


@pytest.mark.parametrize(("locale", "names"), [
    ("ru", ["Счёт по договору лизинга", "Письмо о задолженности", "Итоговый расчёт по договору"]),
    ("en", ["Lease invoice", "Dunning letter", "Closing settlement"]),
    ("pl", ["Faktura leasingowa", "Wezwanie do zapłaty", "Rozliczenie końcowe umowy"]),
])
def test_the_admins_documents_screen_names_every_kind(locale, names):
    t = Translator(locale)
    text, markup = doc_admin(t, {**{k.value: False for k in DocKind}, "seller": "—"}, [])
    buttons = " ".join(b.text for row in markup.inline_keyboard for b in row)
    assert "docs.kind_" not in text and "docs.kind_" not in buttons
    for name in names:
        assert t("docs.template_builtin", kind=name) in text.splitlines()
        assert t("docs.default", kind=name) in buttons
