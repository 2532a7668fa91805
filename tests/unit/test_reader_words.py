"""What a reader sees, in ru, en and pl, where issue 26 found codes, keys or raw numbers instead of words."""

from __future__ import annotations

import pytest

from bot.i18n import Translator
from bot.notifications import Notifier
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


@pytest.mark.parametrize(("locale", "text"), [
    ("ru", "Без согласий заявку не подать: не хватает — запросы в кредитные бюро (BIK/BIG), "
           "обработка персональных данных, электронная связь."),
    ("en", "No application without the consents: missing — enquiries to credit bureaus (BIK/BIG), "
           "processing of personal data, electronic communication."),
    ("pl", "Bez zgód nie ma wniosku: brakuje — zapytania do biur informacji kredytowej (BIK/BIG), "
           "przetwarzanie danych osobowych, komunikacja elektroniczna."),
])
def test_filing_without_consents_names_the_consents(locale, text):
    assert _refusal(locale, lambda: lp.check_consents(set())) == text


class _Told:
    """Stands in for the notifier's sending: what the recipient would read."""

    def __init__(self):
        self.texts = []

    async def _text(self, user, text, markup=None):
        self.texts.append(text)

    _open_lease = staticmethod(Notifier._open_lease)


async def _lease_moved(locale, **told) -> str:
    out = _Told()
    await Notifier._lease_moved(out, None, Translator(locale), deal_id=5, subject="Ciągnik", **told)
    return out.texts[-1].split("\n", 1)[1]


@pytest.mark.parametrize(("locale", "text"), [
    ("ru", "Документ «выписка из KRS» отклонён: Odpis starszy"),
    ("en", "Document “KRS extract” rejected: Odpis starszy"),
    ("pl", "Dokument „odpis z KRS” odrzucony: Odpis starszy"),
])
async def test_a_rejected_document_is_named(locale, text):
    assert await _lease_moved(locale, status="signing", reason="Odpis starszy", file_kind="krs_extract") == text


@pytest.mark.parametrize(("locale", "text"), [
    ("ru", "Скоринг: 40 баллов\nСтоп-условие: активный плательщик НДС (1 — да, 0 — нет) = 0"),
    ("en", "Scoring: 40 points\nStop rule: active VAT payer (1 yes, 0 no) = 0"),
    ("pl", "Scoring: 40 pkt\nWarunek wykluczający: czynny podatnik VAT (1 — tak, 0 — nie) = 0"),
])
async def test_the_client_reads_the_refusals_rules_in_words(locale, text):
    assert await _lease_moved(locale, status="refused", score=40, stops=[["vat_active", "=", "0"]]) == text
