"""What a reader sees, in ru, en and pl, where issue 26 found codes, keys or raw numbers instead of words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from bot.i18n import Translator, catalogue
from bot.notifications import Notifier
from bot.views.campaigns.quotes import doc_admin
from bot.views.leads.lifecycle import contact_card
from core import documents as render
from core.db.kernel import models as m
from core.domain.campaigns import DocKind
from core.domain.campaigns import stages as process
from core.domain.campaigns.approval import register_payment
from core.domain.kernel.errors import DomainError
from core.domain.kernel.roles import Role
from core.domain.leads import lifecycle as leads
from core.domain.leasing import case as lp
from core.domain.leasing.calc import Calculation, Share, calculate
from core.services.leads.lifecycle import ContactView

LOCALES = ("ru", "en", "pl")


@pytest.mark.parametrize(("locale", "name", "line"), [
    ("ru", "Сбор документов", "• сделка №1 — Сбор документов"),
    ("en", "Сбор документов", "• deal #1 — Collecting documents"),  # the seed's name: in the reader's language
    ("pl", "Сбор документов", "• transakcja nr 1 — Zbieranie dokumentów"),
    ("en", "Документы клиента", "• deal #1 — Документы клиента"),  # an admin renamed it: their words, as typed
])
def test_the_contact_card_names_a_deals_status(locale, name, line):
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
    (_cold_call_skip, "ru", "Из «Квалифицировать клиента» нельзя перейти в «Заказ оплачен»."),
    (_cold_call_skip, "en", "It cannot go from «Qualify the client» to «Order paid»."),
    (_cold_call_skip, "pl", "Z „Kwalifikacja klienta” nie można przejść do „Zamówienie opłacone”."),
    (_lead_skip, "ru", "Из «Новый» нельзя перейти в «Встреча состоялась»."),
    (_lead_skip, "en", "It cannot go from «New» to «Meeting held»."),
    (_lead_skip, "pl", "Z „Nowy” nie można przejść do „Spotkanie odbyte”."),
])
def test_a_refused_move_names_the_statuses_as_the_reader_knows_them(move, locale, text):
    assert _refusal(locale, move) == text


def test_every_stage_of_a_process_has_a_name_in_every_language():
    for proc in (process.COLD_CALL, process.APPROVAL):
        for stage in proc.stages:
            for locale in LOCALES:  # its own words in each language, not the fallback's
                assert f"stage.{proc.code}.{stage.code}" in catalogue(locale)


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


@pytest.mark.parametrize(("locale", "text"), [
    ("ru", "Оплата больше остатка по заказу: осталось 34\xa0021,60 ₽."),
    ("en", "The payment is above what the order still awaits: 34,021.60 ₽ remains."),
    ("pl", "Płatność przekracza to, na co zamówienie jeszcze czeka: zostało 34\xa0021,60 ₽."),
])
def test_an_overpayment_names_what_remains_as_money(locale, text):
    assert _refusal(locale, lambda: register_payment(D("40000.00"), [D("5978.40")], D("50000"))) == text


@pytest.mark.parametrize(("months", "text"), [(3, "3 miesiące"), (5, "5 miesięcy"), (22, "22 miesiące"),
                                              (1, "1 miesiąc")])
def test_the_contract_says_its_term_with_the_polish_plural(months, text):
    result = calculate(Calculation(D("100000.00"), months, D(8), date(2026, 1, 15), advance=Share(D(10))))
    ctx = render.lease_offer_context(number="1-1", made=date(2026, 1, 15), valid_until=date(2026, 1, 29),
                                     seller="Leasing S.A.", seller_details="", client="Alfa", client_ids="",
                                     subject="Koparka", result=result, currency="PLN",
                                     w=render.Words("pl")) | {"conditions": []}
    html = render.render_html(render.default_template(DocKind.LEASE_CONTRACT), ctx)
    assert f"{text}, raty równe" in html


@pytest.mark.parametrize(("locale", "start"), [("ru", "⚠️ Продавец в документах не указан"),
                                               ("en", "⚠️ The seller on the documents is not set"),
                                               ("pl", "⚠️ Sprzedawca na dokumentach nie jest ustawiony")])
def test_the_admin_is_told_the_seller_is_unset(locale, start):
    text, _ = doc_admin(Translator(locale), {**{k.value: False for k in DocKind}, "seller": ""}, [])
    assert any(line.startswith(start) for line in text.splitlines())
    assert "Продавец (" not in text


@pytest.mark.parametrize(("locale", "named"), [("ru", "Приступить к сделке"), ("en", "Start the deal"),
                                               ("pl", "Rozpocznij transakcję")])
def test_a_task_the_process_made_is_named_in_the_readers_language(locale, named):
    from bot.views.kernel.tasks import task_title

    t = Translator(locale)
    made = m.Task(title="Приступить к сделке", code="start_task")
    typed = m.Task(title="Позвонить Ивану", code=None)
    assert task_title(t, made) == named
    assert task_title(t, typed) == "Позвонить Ивану"  # what a person typed stays as typed
