"""The language sweep: every word a reader can get, rendered in ru, en and pl with sample parameters, and checked by
tests/language.py (no raw key, no code, no enum value, no Cyrillic in en/pl, no Polish letters in ru, no amount or
day nobody formatted): every notice kind through the real notifier, every refusal code the core raises, the task
views, the documents' built-in templates and words, the Mini App's texts, and every text of the locale files."""

from __future__ import annotations

import ast
import re
from dataclasses import fields
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest

import bot.notifications as notifications
from bot.i18n import Translator, catalogue
from bot.views.kernel import tasks as task_views
from core import documents as render
from core.db.kernel import models as m
from core.domain.campaigns import DocKind
from core.domain.kernel.errors import Amount
from core.domain.kernel.notices import PAYLOADS, Notice
from core.services.kernel.tasks import Digest, TaskLine
from core.services.leasing.books import InvoiceDoc
from tests.language import problems

ROOT = Path(__file__).resolve().parents[3]
LOCALES = ("ru", "en", "pl")
#: the sample data (people's and companies' names, a phone, a NIP): data, not the bot's words
DATA = ("Alfa", "Beta", "Gamma", "alfa@example.com", "FV/2027/000001")


def _codes() -> set[str]:
    """The single-word codes of the domain's enums (statuses, kinds, roles): never shown as they are."""
    import core.domain as domain

    found: set[str] = set()
    for path in Path(domain.__file__).parent.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        mod = __import__(module, fromlist=["*"])
        for value in vars(mod).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
                found |= {x.value for x in value if re.fullmatch(r"[a-z]{4,}", x.value)}
    return found


CODES = _codes()


def _words_of(locale: str) -> set[str]:
    """The words a locale's own texts use («status», «data» are Polish words too): not taken for codes there."""
    return {w.casefold() for text in catalogue(locale).values() for w in re.findall(r"[^\W\d_]+", text)}


CODES_IN = {locale: CODES - _words_of(locale) for locale in LOCALES}


def check(text: str, locale: str, allowed=()) -> list[str]:
    return problems(text, locale, (*DATA, *allowed), CODES_IN.get(locale, CODES))


# --- the notices ----------------------------------------------------------------------------------------------------

SAMPLE = {
    "amount": "36900.00", "gross": "36900.00", "instalment": "7828.96", "owed": "1230.00", "balance": "-10.00",
    "refund": "10.00", "currency": "PLN", "due_on": "2027-01-15", "paid_on": "2027-01-15", "ends_on": "2027-02-15",
    "as_of": "2027-01-31", "day": "2027-01-15", "role": "manager", "how": "source", "from_role": "client",
    "sender_role": "client", "old": "moderation", "new": "dispatched", "file_kind": "krs_extract",
    "stops": [["vat_active", "=", "0"]], "task_ids": [7], "deals": [[7, "Alfa"]], "to_addr": "alfa@example.com",
    "approved": True, "by_letter": False, "period": "01.2027", "score": 40, "dunning_id": None, "text": "Alfa",
    "caption": None, "media_group_id": "1", "at": "2027-01-15T07:30:00+00:00",
    "price": "200000.00", "advance": "20000.00", "rate": "9.00", "residual": "2000.00", "fee": "0.00",
    "method": "annuity", "timing": "arrears", "username": "anna_k",
}


def _sample(kind: Notice) -> dict:
    values = {}
    for f in fields(PAYLOADS[kind]):
        if kind == Notice.LEASE_ENDED and f.name == "how":  # core.domain.leasing.ending.EndKind
            values[f.name] = "buyout"
        elif f.name in SAMPLE:
            values[f.name] = SAMPLE[f.name]
        elif kind == Notice.LEASE_DUNNING_RUN and f.name == "sent":  # [contract, subject, level, days, by letter]
            values[f.name] = [[7, "Koparka", "Monit 2", 12, 1], [8, "Koparka", "Monit 1", 3, 0]]
        elif kind == Notice.LEASE_ENDED and f.name == "how":  # core.domain.leasing.ending.EndKind
            values[f.name] = "buyout"
        elif kind == Notice.ROLE_CHANGED and f.name == "change":  # granted besides the first role
            values[f.name] = "granted"
        elif kind == Notice.LEASE_IDENTITY and f.name == "reasons":
            values[f.name] = ["name"]
        elif f.name == "status":
            values[f.name] = "to_payment" if kind == Notice.LEASE_MOVED else "Alfa"
        elif "int" in str(f.type) and "str" not in str(f.type):
            values[f.name] = 7
        else:
            values[f.name] = "Alfa"
    return values


class FakeBot:
    """Records every text, caption and button label the notifier sends."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def _markup(self, markup) -> None:
        for row in getattr(markup, "inline_keyboard", None) or ():
            self.said += [b.text for b in row]

    async def send_message(self, chat_id, text, reply_markup=None, **_):
        self.said.append(text)
        self._markup(reply_markup)
        return SimpleNamespace(message_id=1)

    async def copy_message(self, chat_id, from_chat_id, message_id, caption=None, reply_markup=None, **_):
        self.said.append(caption or "")
        self._markup(reply_markup)
        return SimpleNamespace(message_id=1)

    async def copy_messages(self, chat_id, from_chat_id, ids, **_):
        return [SimpleNamespace(message_id=1) for _ in ids]


def _task() -> m.Task:
    return m.Task(id=7, title="Приступить к сделке", code="start_task", deal_id=7, lead_id=None, responsible_id=1,
                  due_at=datetime(2027, 1, 15, 9, tzinfo=UTC), status="open")


async def _async(value):
    return value


@pytest.fixture
def notifier(monkeypatch):
    """The real notifier, its loads from the database replaced by sample objects."""
    bot = FakeBot()
    line = TaskLine(_task(), "Alfa", "Beta", "Gamma")
    doc = SimpleNamespace(id=1, file_name="x.pdf", content=b"", file_id=None)

    async def send(bot_, chat_id, document, caption, uow, reply_markup=None):
        bot.said.append(caption)
        bot._markup(reply_markup)

    monkeypatch.setattr(notifications.tasks, "listed", lambda uow, ids: _async([line]))
    digest = Digest([_task()], [_task()], [], [], [])
    monkeypatch.setattr(notifications.tasks, "digest", lambda uow, uid: _async(digest))
    monkeypatch.setattr(notifications.deployment, "running", lambda uow: _async(frozenset()))
    monkeypatch.setattr(notifications.users, "person", lambda uow, uid: _async(None))
    monkeypatch.setattr(notifications, "set_commands", lambda *a, **k: _async(None))
    monkeypatch.setattr(notifications.documents, "send", send)
    monkeypatch.setattr(notifications.lease_books, "invoice_document", lambda *a: _async(InvoiceDoc(
        doc, "FV/2027/000001", 7, Decimal("1230.00"), date(2027, 1, 15), "PLN")))
    monkeypatch.setattr(notifications.lease_books, "letter_document", lambda *a: _async(doc))
    monkeypatch.setattr(notifications.lease_books, "settlement_document", lambda *a: _async(doc))
    from core.services.leasing import ending
    monkeypatch.setattr(ending, "ending_document", lambda *a: _async(SimpleNamespace(document=doc)))
    message = SimpleNamespace(id=1, kind="text", text="Alfa", application_id=7, sender_role="client", chat_id=1,
                              message_id=1)
    monkeypatch.setattr(notifications.deals, "message", lambda uow, i: _async(message))
    monkeypatch.setattr(notifications.deals, "album", lambda uow, a, g: _async([]))
    monkeypatch.setattr(notifications.deals, "copy_in_chat", lambda uow, i, c: _async(None))

    async def card(self, user, t, app_id, intro=None, with_files=False):
        await self._text(user, intro or "")

    class Uow:
        async def __aenter__(self):
            return SimpleNamespace(documents=SimpleNamespace(get=lambda i: _async(doc)))

        async def __aexit__(self, *exc):
            return False

    monkeypatch.setattr(notifications.Notifier, "_card", card)
    return notifications.Notifier(bot, lambda: Uow()), bot


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", list(Notice))
async def test_every_notice_reads_in_the_readers_language(notifier, kind, locale):
    n, bot = notifier
    user = SimpleNamespace(id=1, tg_id=1, locale=locale, timezone="Europe/Warsaw", role="manager")
    t = Translator(locale, "Europe/Warsaw")
    await n.renderer(kind)(user, t, **_sample(kind))
    assert bot.said, kind
    for text in bot.said:
        assert not check(text, locale), (kind, text, check(text, locale))


async def test_a_reminder_names_its_deal_and_counterparty_and_opens_them(notifier):
    n, bot = notifier
    user = SimpleNamespace(id=1, tg_id=1, locale="ru", timezone="Europe/Moscow", role="manager")
    await n.renderer(Notice.TASK_REMINDER)(user, Translator("ru"), task_id=7)
    assert bot.said[0] == "⏰ Пора: Приступить к сделке — «Alfa» (Beta). Срок: 15.01.2027 12:00."
    assert bot.said[1:] == ["💼 Открыть сделку", "✅ Приступить к сделке", "+1 ч", "📋 Мои задачи"]


@pytest.mark.parametrize(("locale", "said"), [
    ("ru", ["📇 Вам назначен лид №5. Его задачи — в «Мои задачи».", "📇 Открыть лид"]),
    ("en", ["📇 Lead #5 is yours now. Its tasks are in «My tasks».", "📇 Open the lead"]),
    ("pl", ["📇 Lead nr 5 jest teraz Twój. Jego zadania są w „Moje zadania”.", "📇 Otwórz lead"])])
async def test_a_lead_given_to_someone_opens_the_lead_not_an_application(notifier, locale, said):
    n, bot = notifier
    user = SimpleNamespace(id=1, tg_id=1, locale=locale, timezone="Europe/Warsaw", role="manager")
    await n.renderer(Notice.LEAD_ASSIGNED)(user, Translator(locale), lead_id=5)
    assert bot.said == said


# --- the refusals ---------------------------------------------------------------------------------------------------

ERROR_CLASSES = {"Conflict", "InvalidInput", "Forbidden", "NotFound", "DomainError", "IllegalTransition"}


def _raised_codes() -> set[str]:
    """The codes the core raises (``Conflict("code", …)``) and the rows' refusals it lists (``(line, "code", {…})``)."""
    codes = set()
    for path in (ROOT / "core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ERROR_CLASSES and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                codes.add(node.args[0].value)
    return codes


def test_every_code_the_core_raises_has_its_words_in_every_language():
    codes = _raised_codes()
    assert len(codes) > 50
    for locale in LOCALES:
        missing = sorted(c for c in codes if f"errors.{c}" not in catalogue(locale))
        assert not missing, (locale, missing)


def _param(name: str):
    if name in ("amount", "remaining", "owed", "paid", "gross", "total", "limit", "cap", "max_amount", "sum"):
        return Amount(Decimal("36900.00"), "PLN")
    if name in ("day", "date", "paid_on", "today", "due", "until", "since", "start", "end"):
        return date(2027, 1, 15)
    if name in ("count", "n", "max", "min", "line", "lines", "row", "days", "months", "id", "version"):
        return 3
    return "Alfa"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_refusal_reads_in_the_readers_language(locale):
    t = Translator(locale)
    bad = {}
    for key, text in catalogue("ru").items():
        if not key.startswith("errors."):
            continue
        names = set(re.findall(r"{(\w+)", text))
        shown = t.reason(key.removeprefix("errors."), {name: _param(name) for name in names})
        if found := check(shown, locale, VERBATIM):
            bad[key] = (shown, found)
    assert not bad


def test_a_refusal_writes_its_money_and_days_as_the_reader_does():
    t = Translator("pl")
    said = t.reason("lease_vendor_paid", {"day": date(2027, 3, 4), "amount": Amount(Decimal("36900.00"), "PLN")})
    assert "04.03.2027" in said and "36\xa0900,00\xa0zł" in said and "36900.00" not in said
    said = Translator("ru").reason("onec_overpaid", {"number": "1-2", "amount": Amount(Decimal("5000")),
                                                     "remaining": Amount(Decimal("34021.6"))})
    assert "34\xa0021,60 ₽" in said


# --- the task views ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
def test_the_task_screens_read_in_the_readers_language(locale):
    from core.services.kernel.tasks import MyTasks

    t = Translator(locale)
    line = TaskLine(_task(), "Alfa", "Beta", "Gamma")
    screens = [task_views.my_tasks(t, MyTasks([line], [line], [line], 3)),
               task_views.due(t, [line, line], overdue=True, recipient_id=2),
               ("", task_views.one_task_buttons(t, line))]
    for text, markup in screens:
        labels = [b.text for row in markup.inline_keyboard for b in row]
        assert all(label.strip() not in ("📅", "👤") for label in labels)  # every button has its words
        for said in (text, *labels):
            assert not check(said, locale), (said, check(said, locale))


# --- the documents --------------------------------------------------------------------------------------------------

#: the sample documents' data (sample_context): a lessor's and its client's names, their ids, a subject
DOC_DATA = ("Leasing S.A.", "Alfa sp. z o.o.", "Koparka", "poręczenie prezesa", "8567346215", "5260250274",
            "Бумага А4", "пачка", "ООО «Продавец»", "ООО «Покупатель»", "ИНН 7707083893", "7728168971",
            "Оплата 100 %", "Warszawa")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", list(DocKind))
def test_every_built_in_document_reads_in_its_recipients_language(kind, locale):
    """Each built-in document, its template and its words, in each language a recipient may read; with the seller
    not configured, the placeholder is in the document's language too."""
    w = render.Words(locale)
    html = render.render_html(render.default_template(kind, locale), render.sample_context(kind, w))
    assert not check(html, locale, DOC_DATA), check(html, locale, DOC_DATA)
    unset = render.sample_context(kind, w) | {"seller": w("seller.missing"), "seller_details": ""}
    html = render.render_html(render.default_template(kind, locale), unset)
    assert w("seller.missing") in unescape(html) and not check(html, locale, DOC_DATA), check(html, locale, DOC_DATA)
    if kind in (DocKind.QUOTE, DocKind.INVOICE, DocKind.LEASE_INVOICE):
        render.render_pdf(render.default_template(kind, locale), render.sample_context(kind, w), "x")  # lays out


def test_a_built_in_document_without_its_recipients_language_is_in_its_own():
    assert render.default_template(DocKind.QUOTE) == render.default_template(DocKind.QUOTE, "ru")
    assert render.default_template(DocKind.LEASE_INVOICE, "xx") == render.default_template(DocKind.LEASE_INVOICE, "pl")
    assert "Umowa leasingu" in render.default_template(DocKind.LEASE_CONTRACT)
    assert "Lease agreement" in render.default_template(DocKind.LEASE_CONTRACT, "en")
    assert "Коммерческое предложение" in render.default_template(DocKind.QUOTE)
    assert "Oferta handlowa" in render.default_template(DocKind.QUOTE, "pl")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", list(DocKind))
def test_the_documents_words_and_figures_follow_the_language_they_are_given(kind, locale):
    """A document's context in another language's words (the built-in templates are Polish and Russian, an admin's
    may be English): every word and figure the code puts in it is that language's."""
    w = render.Words(locale)
    context = render.sample_context(kind, w)
    values = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k != "kind":  # the template's switch (the end document's: buyout, termination, return), not shown
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str):
            values.append(x)

    walk(context)
    for value in values:
        assert not check(value, locale, DOC_DATA), (value, check(value, locale, DOC_DATA))


def test_the_documents_words_exist_in_every_language():
    keys = {loc: set(render._words(loc)) for loc in render.LANGUAGES}
    assert keys["ru"] == keys["en"] == keys["pl"]
    for locale in render.LANGUAGES:
        for key, text in render._words(locale).items():
            assert not check(re.sub(r"{\w+}", "", text), locale), (locale, key, text)


def test_an_invoice_prints_vat_as_a_rate_and_a_contract_its_term_in_polish():
    html = render.render_html(render.default_template(DocKind.LEASE_INVOICE),
                              render.sample_context(DocKind.LEASE_INVOICE))
    assert "23 %" in html and "23.00" not in html and "1 230,00" in html.replace("\xa0", " ")
    result = render.calculate(render.Calculation(Decimal("100000.00"), 3, Decimal(8), date(2026, 1, 15)))
    ctx = render.lease_offer_context(number="1", made=date(2026, 1, 15), valid_until=date(2026, 1, 29), seller="",
                                     seller_details="", client="", client_ids="", subject="", result=result,
                                     currency="PLN", w=render.Words("pl"))
    assert ctx["months_text"] == "3 miesiące"
    assert render.lease_offer_context(**{**dict(number="1", made=date(2026, 1, 15), valid_until=date(2026, 1, 29),
                                                seller="", seller_details="", client="", client_ids="", subject="",
                                                result=result, currency="PLN"), "w": render.Words("ru")}
                                      )["months_text"] == "3 месяца"


@pytest.mark.parametrize("locale", LOCALES)
def test_the_mails_with_the_documents_are_written_in_each_language(locale):
    w = render.Words(locale)
    for kind in ("quote", "invoice"):
        for part in ("subject", "body"):
            text = w(f"mail.{kind}_{part}", number="7-1")
            assert "7-1" in text and not check(text, locale)


# --- the Mini App and the locale files ------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
def test_the_mini_apps_texts_read_in_the_readers_language(locale):
    from bot.webapp import OWN_TEXTS

    texts = {k: v for k, v in catalogue(locale).items() if k.startswith("webapp.")}
    assert {f"webapp.page_{k}" for k in OWN_TEXTS} <= set(texts)
    for key, text in texts.items():
        assert not check(re.sub(r"{\w+}", "", text), locale), (key, text)


#: what a text may carry as it is: the language menu's own words, what a person types as an example, and the
#: markers and column headers of the files a person sends (a 1C exchange file, a Polish bank statement)
VERBATIM = ("Выберите язык", "Choose a language", "Wybierz język", "1500000,50", "/userdata 123456789",
            "СекцияДокумент", "КонецДокумента", "КоммерческаяИнформация", "Data;Kwota;Waluta;Tytuł", "Sprzedaż")


def _allowed_in(locale: str) -> tuple[str, ...]:
    return VERBATIM


@pytest.mark.parametrize("locale", LOCALES)
def test_every_text_of_the_locale_files_is_in_its_language(locale):
    bad = {}
    for key, text in catalogue(locale).items():
        plain = re.sub(r"{[^}]*}", "", text)
        found = [p for p in check(plain, locale, _allowed_in(locale)) if not p.startswith("code")]
        if found:
            bad[key] = found
    assert not bad


def test_the_locale_files_have_the_same_keys():
    assert set(catalogue("ru")) == set(catalogue("en")) == set(catalogue("pl"))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("currency", ["PLN", "RUB"])
def test_the_calculators_screen_and_its_csv_read_in_the_readers_language(locale, currency):
    import csv
    import io

    from bot.views.leasing import lease as lease_views
    from core.domain.leasing import calc as lease_calc

    t = Translator(locale)
    result = lease_calc.calculate(lease_calc.parse("1 500 000; 10%; 3; 8,5; 1%", date(2027, 1, 15)))
    text, markup = lease_views.screen(t, result, currency, 1)
    for said in (text, *[b.text for row in markup.inline_keyboard for b in row]):
        assert not check(said, locale), (said, check(said, locale))
    rows = list(csv.reader(io.StringIO(lease_views.csv_bytes(t, result.lines).decode("utf-8-sig")),
                           delimiter=t.formats.csv_delimiter))
    assert rows[1][1] == "15.02.2027" and not check(" ".join(rows[0]), locale)
    mark = "." if locale == "en" else ","
    assert all(mark in cell and " " not in cell for cell in rows[1][2:])  # a number the spreadsheet reads


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_close_reason_and_a_seeded_stage_read_in_the_readers_language(notifier, locale):
    """A reason the core wrote (a code) and a seeded stage's stored name are said in the reader's words; a person's
    reason and a renamed stage as they are."""
    n, bot = notifier
    user = SimpleNamespace(id=1, tg_id=1, locale=locale, timezone="Europe/Warsaw", role="manager")
    t = Translator(locale, "Europe/Warsaw")
    seeded = catalogue("ru")["stage.cold_call.contact"]  # the name the migration stored
    await n.renderer(Notice.STAGE_CLOSED)(user, t, deal_id=7, name="Alfa", reason="no_contact")
    await n.renderer(Notice.STAGES_CLOSED)(user, t, deals=[[7, "Alfa"]], reason="no_contact")
    await n.renderer(Notice.DEAL_MOVED)(user, t, deal_id=7, name="Alfa", status=seeded, pipeline="cold_call",
                                        code="contact")
    await n.renderer(Notice.STAGE_OVERDUE)(user, t, deal_id=7, name="Alfa", executor="Beta", stage=seeded,
                                           pipeline="cold_call", code="contact")
    await n.renderer(Notice.DEAL_MOVED)(user, t, deal_id=7, name="Alfa", status="Gamma", pipeline="cold_call",
                                        code="contact")  # renamed by an admin
    reason, stage = catalogue(locale)["close_reason.no_contact"], catalogue(locale)["stage.cold_call.contact"]
    assert reason in bot.said[0] and reason in bot.said[2] and "no_contact" not in " ".join(bot.said)
    assert [stage in x for x in bot.said if "Alfa" in x][-3:] == [True, True, False]
    assert "Gamma" in [x for x in bot.said if "Alfa" in x][-1]
    for text in bot.said:
        assert not check(text, locale, (seeded,) if locale == "ru" else ()), (text, check(text, locale))


async def test_a_name_with_markup_characters_is_escaped_once(notifier):
    """A client's or a subject's «&» or «<» reads as typed: the translator escapes parameters, nothing escapes them
    a second time (it read «Kowalski &amp;amp; Syn»)."""
    n, bot = notifier
    user = SimpleNamespace(id=1, tg_id=1, locale="pl", timezone="Europe/Warsaw", role="sales")
    await n.renderer(Notice.LEASE_CLIENT_JOINED)(user, Translator("pl"), deal_id=3, subject="Koparka <JCB>",
                                                 client="Kowalski & Syn")
    assert bot.said[0].startswith("👤 Klient „Kowalski &amp; Syn” otworzył link i jest już w bocie: wniosek nr 3 "
                                  "(Koparka &lt;JCB&gt;)")
