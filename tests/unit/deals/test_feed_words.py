"""Every feed kind and every task code core makes, rendered in ru, en and pl from sample facts: the reader reads
their own language — no raw key, no snake_case token or code, no Cyrillic in English or Polish, no Polish letters in
Russian, every amount formatted with its currency and every day as the reader writes it (issue 26)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from bot.i18n import Translator
from bot.views.deals.feed import FEED, entry_text
from bot.views.kernel.tasks import task_title
from core.domain.campaigns.stages import BY_HAND, NOTE_NO_GROUP, SHIP_PAID, SHIP_UNPAID, OnEnter, Purpose
from core.domain.kernel import feed as said
from core.domain.kernel.feed import ENTRIES, FeedKind, QuoteEvent
from core.domain.leads.lifecycle import TaskCode

LOCALES = ("ru", "en", "pl")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
KEY = re.compile(r"\b(?:feed|task_code|stage|status|lease_status|lease_doc|cold)\.[a-z_]")
BIG = Decimal("36900.00")

#: sample facts for every kind (several where a kind reads differently by its facts); people's and companies' names
#: and addresses are data, kept in Latin letters so that the language checks read only the words the bot adds
SAMPLES: list[said.Entry] = [
    said.MailOff(purpose="quote", number="7-1", to_addr="info@example.com"),
    said.MailOff(purpose="invoice", number="7-1", to_addr="info@example.com"),
    said.TasksClosed(count=2, reason="deal_closed"),
    said.TasksClosed(count=1, reason="deal_paid"),
    said.Reminder(task_id=1, code=OnEnter.START_TASK.value),
    said.Reminder(task_id=2, title="Call Anna back"),  # a person's words
    said.ReminderDone(task_id=3, code=Purpose.CALL.value, params={"n": 2}),
    said.Moved(pipeline="law", to_code="documents", to_name="Сбор документов"),  # the seed's name: translated
    said.Moved(pipeline="cold_call", to_code="card", to_name="Визитка компании", from_code="qualify",
               from_name="Квалифицировать клиента"),
    said.Moved(pipeline="leasing", to_code="to_payment", to_name="Uruchomienie", from_code="signing",
               from_name="Podpisywanie", reason="OK"),
    said.Moved(pipeline="market", to_code="approved", to_name="Одобрено", from_code="documents",
               from_name="Сбор документов"),
    said.StageOverdue(process="cold_call", stage="qualify"),
    said.SourceSet(source_id=3, name="Avito"),
    said.SourceSet(source_id=None, name=None),
    said.PaymentPlanned(amount=BIG, currency="RUB", due_on=date(2027, 3, 4)),
    said.PaymentReceived(amount=Decimal("98500.50"), currency="RUB", due_on=date(2027, 3, 4)),
    said.PaymentMoved(amount=BIG, currency="RUB", was=date(2027, 3, 4), due_on=date(2027, 4, 1)),
    said.OrderAdded(number="7-1", amount=BIG, currency="RUB"),
    said.OrderAdded(number="ZP-7-1", amount=BIG, currency="RUB", quote_version=2),
    said.OrderPayment(number="ZP-7-1", amount=Decimal("12000"), paid=Decimal("24000"), total=BIG, currency="RUB"),
    said.OrderShipped(number="ZP-7-1"),
    said.SurveyDone(),
    said.Quoted(version=2, event=QuoteEvent.DRAFT),
    said.Quoted(version=2, event=QuoteEvent.APPROVAL, gross=BIG),
    said.Quoted(version=2, event=QuoteEvent.APPROVED, by="Anna"),
    said.Quoted(version=2, event=QuoteEvent.RETURNED, by="Anna", comment="Price"),
    *[said.Quoted(version=2, event=event, comment="Price")
      for event in (QuoteEvent.ORDER, QuoteEvent.REWORK, QuoteEvent.REFUSAL)],
    said.ClientField(field="assortment", value="Paper"),
    said.ClientField(field="email", value=None),
    said.AccessGroupSet(group_id=1, name="North"),
    said.CadenceSet(cadence_id=1, name="2 weeks"),
    *[said.InteractionDone(purpose=p, channel=c, note="ok") for p in ("card", "quote", "invoice")
      for c in ("email", "fax", "hand")],
    said.CallDone(number=3),
    said.Rerouted(executor_id=5, executor="Anna"),
    said.MailQueued(purpose="quote", number="7-2", to_addr="buyer@example.com"),
    said.MailQueued(purpose="invoice", number="ZP-7-1", to_addr="buyer@example.com"),
    said.MailFailed(subject="Offer 7-2", to_addr="buyer@example.com", error="550 mailbox unavailable"),
    said.LeaseOffer(version=1, instalment=Decimal("4512.30"), currency="PLN"),
    said.LeaseOffer(version=2, instalment=None, currency="PLN"),
    said.LeaseFile(doc="krs_extract"),
    said.LeaseFile(doc="something_new"),
    said.LeaseVerified(amount=Decimal("1.00"), currency="PLN", payer="PL61109010140000071219812874"),
    said.TermsAccepted(),
    said.VendorPaid(amount=BIG, currency="PLN"),
    said.Registration(number="WA 12345"),
    said.Insurance(insurer="PZU", policy="P-1", starts=date(2027, 3, 4), ends=date(2028, 3, 3)),
    said.LateInterest(amount=Decimal("1234.56"), currency="PLN", as_of=date(2027, 3, 4)),
    said.LateInterest(amount=Decimal("-1234.56"), currency="PLN", as_of=date(2027, 3, 4)),
    said.Receipt(amount=BIG, currency="PLN", paid_on=date(2027, 3, 4)),
    said.OwnershipTransferred(invoice="FV/2027/000012"),
    said.OwnershipTransferred(invoice=None),
    said.AcceptedOnBehalf(version=2, by="Ola"),
    said.ReceiptFound(amount=BIG, currency="PLN", paid_on=date(2027, 3, 4), line=7),
    said.Correction(amount=Decimal("1500"), currency="PLN", reference="R-1"),
    said.Charge(amount=Decimal("1230"), currency="PLN", note="Fee"),
    said.Dunning(level="Level 1", owed=BIG, currency="PLN"),
    said.Dunning(level="Level 2", owed=BIG, currency="PLN", by_letter=True),
]

#: every task core makes: its code and sample params
TASKS: list[tuple[str, dict]] = [
    (OnEnter.START_TASK.value, {}), (Purpose.CARD.value, {}), ("reroute", {}), (Purpose.CALL.value, {"n": 1}),
    (Purpose.QUOTE.value, {"number": "7-2"}), (Purpose.INVOICE.value, {"number": "ZP-7-1"}),
    (Purpose.FOLLOW.value, {}), (Purpose.QUOTE.value, {"number": "7-2", "variant": "mail_off"}),
    (Purpose.INVOICE.value, {"number": "ZP-7-1", "variant": "mail_off"}),
    *[(p, {"subject": "Offer 7-2", "variant": BY_HAND}) for p in (Purpose.CARD, Purpose.QUOTE, Purpose.INVOICE)],
    ("purchase", {"number": "ZP-7-1", "notes": []}), ("contract", {"number": "ZP-7-1", "notes": [NOTE_NO_GROUP]}),
    ("ship", {"number": "ZP-7-1", "variant": SHIP_PAID, "notes": []}),
    ("ship", {"number": "ZP-7-1", "variant": SHIP_UNPAID, "notes": [NOTE_NO_GROUP]}),
    *[(code.value, {}) for code in TaskCode],
]

#: the codes the samples carry: none may show
CODES = {"start_task", "qualify", "to_payment", "documents", "approved", "krs_extract", "something_new", "assortment",
         "cadence", "invoice", "quote", "card", "reroute", "follow", "purchase", "contract", "ship", "unpaid", "paid",
         "by_hand", "no_group", "cold_call", "law", "market", "leasing", "hand", "fax", "draft", "approval", "returned",
         "rework", "refusal", "order", *(c.value for c in TaskCode)}
#: English words that are also codes: they may show in English
ENGLISH = {"documents", "approved", "invoice", "quote", "contract", "paid", "order", "draft", "approval", "returned",
           "rework", "refusal", "fax", "card", "purchase", "assortment", "hand", "ship"}


def _check(locale: str, text: str, amounts: list[Decimal] = (), days: list[date] = ()) -> None:
    assert text.strip(), "nothing said"
    assert not KEY.search(text) and "{" not in text and "}" not in text, f"a raw key: {text}"
    assert not SNAKE.search(text), f"a snake_case token: {text}"
    words = set(re.findall(r"[A-Za-z_]+", text))
    shown = (words & CODES) - (ENGLISH if locale == "en" else set())
    assert not shown, f"codes {shown} in {text}"
    if locale in ("en", "pl"):
        assert not CYRILLIC.search(text), f"Cyrillic in {locale}: {text}"
    else:
        assert not POLISH.search(text), f"Polish letters in ru: {text}"
    for amount in amounts:
        plain = format(abs(amount), "f")
        if locale == "en" and abs(amount) < 1000:  # written the same, formatted or not
            continue
        assert not re.search(rf"(?<![\d,.]){re.escape(plain)}(?![\d])", text), f"unformatted {plain}: {text}"
    if amounts:
        assert any(sign in text for sign in ("₽", "zł", "PLN", "RUB")), f"an amount with no currency: {text}"
    for day in days:
        assert day.isoformat() not in text, f"an ISO day: {text}"


def _facts(entry: said.Entry) -> tuple[list[Decimal], list[date]]:
    values = vars(entry).values()
    return ([v for v in values if isinstance(v, Decimal)], [v for v in values if isinstance(v, date)])


def test_every_kind_has_a_renderer_and_a_sample():
    assert set(FEED) == set(ENTRIES) == set(FeedKind) - {FeedKind.COMMENT, FeedKind.LEASE}
    assert {type(e).kind for e in SAMPLES} == set(ENTRIES)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("entry", SAMPLES, ids=lambda e: type(e).__name__)
def test_every_feed_kind_reads_in_the_readers_language(locale, entry):
    stored = entry.data()  # as the row keeps it: JSON, amounts as text, days as ISO dates
    text = entry_text(Translator(locale), entry.kind.value, stored, None)
    _check(locale, text, *_facts(entry))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("code", "params"), TASKS, ids=[f"{c}-{i}" for i, (c, _) in enumerate(TASKS)])
def test_every_task_code_reads_in_the_readers_language(locale, code, params):
    t = Translator(locale)
    task = SimpleNamespace(code=code, params=params, title=None)
    key = f"task_code.{code}" + (f"_{params['variant']}" if params.get("variant") else "")
    assert key.split(".", 1)[1] in {k.split(".", 1)[1] for k in _own(locale) if k.startswith("task_code.")}
    _check(locale, task_title(t, task))


def _own(locale: str) -> set[str]:
    from bot.i18n import catalogue
    return set(catalogue(locale))


@pytest.mark.parametrize(("locale", "line"), [
    ("ru", "💳 Платёж запланирован: 36 900 ₽ на 04.03.2027"),
    ("en", "💳 Payment planned: 36,900 ₽ due 04.03.2027"),
    ("pl", "💳 Zaplanowana płatność: 36 900 ₽ na 04.03.2027"),
])
def test_money_and_days_through_the_readers_formatter(locale, line):
    entry = said.PaymentPlanned(amount=BIG, currency="RUB", due_on=date(2027, 3, 4))
    assert entry_text(Translator(locale), "payment", entry.data(), None).replace("\u00a0", " ") == line


@pytest.mark.parametrize(("locale", "line"), [
    ("ru", "🔀 Квалифицировать клиента → Визитка компании"),
    ("en", "🔀 Qualify the client → Company card"),
    ("pl", "🔀 Kwalifikacja klienta → Wizytówka firmy"),
])
def test_a_stage_move_names_the_stages_as_the_reader_knows_them(locale, line):
    entry = said.Moved(pipeline="cold_call", to_code="card", to_name="Визитка компании", from_code="qualify",
                       from_name="Квалифицировать клиента")
    assert entry_text(Translator(locale), "status", entry.data(), None) == line


def test_a_status_an_admin_renamed_shows_their_words_in_every_language():
    entry = said.Moved(pipeline="law", to_code="documents", to_name="Документы от клиента")
    for locale in LOCALES:
        assert entry_text(Translator(locale), "status", entry.data(), None) == "🔀 Документы от клиента"


def test_a_comment_and_an_old_line_read_as_written():
    assert entry_text(Translator("en"), "comment", None, "Звонил, перезвонить") == "Звонил, перезвонить"
    assert entry_text(Translator("en"), "payment", None, "+ 150 000 ₽ · 01.12.2026") == "💳 + 150 000 ₽ · 01.12.2026"
    assert entry_text(Translator("pl"), "lease", None, "Wpłata 100,00 PLN z 2027-03-04") == \
        "Wpłata 100,00 PLN z 2027-03-04"


@pytest.mark.parametrize(("locale", "text"), [
    ("pl", "Dostawcy już zapłacono 04.03.2027: 36900.00 zł."),  # an amount nobody formatted
    ("en", "feed.vendor_paid"),  # a raw key
    ("pl", "Do „to_payment” wniosek przenosi inny uczestnik."),  # a code
    ("en", "Оплата 36 900 ₽"),  # Russian in English
    ("ru", "Płatność 36 900 ₽"),  # Polish in Russian
    ("ru", "Срок 2027-03-04"),  # an ISO day
])
def test_the_sweep_catches_what_a_reader_saw(locale, text):
    with pytest.raises(AssertionError):
        _check(locale, text, [BIG], [date(2027, 3, 4)])
