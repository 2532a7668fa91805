"""A deal's feed line in the reader's language: each kind's facts (core.domain.kernel.feed) worded by its renderer
(``FEED``, a table of kind → renderer), money and days through the reader's formatter. A comment is its author's
words; a line written before the facts were kept (``params`` empty) is shown as it was written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.i18n import Translator
from bot.views.kernel.names import close_reason, dunning_level, status_name
from bot.views.kernel.tasks import task_title
from core.domain.deals import FeedKind
from core.domain.kernel import feed as said


def day(t: Translator, value: date | None) -> str:
    from babel.dates import format_date  # Babel: loaded when first used (core.formats)

    return "—" if value is None else format_date(value, "dd.MM.yyyy", locale=t.locale)


def _reason(t: Translator, text: str | None) -> str:
    return t("feed.reason", reason=text) if text else ""


def _moved(t: Translator, p: said.Moved) -> str:
    to = status_name(t, p.pipeline, p.to_code, p.to_name)
    if p.from_name is None:
        return t("feed.status_first", to=to) + _reason(t, close_reason(t, p.reason))
    return (t("feed.status", was=status_name(t, p.pipeline, p.from_code, p.from_name), to=to)
            + _reason(t, close_reason(t, p.reason)))


def _reminder(key: str) -> Callable[[Translator, said.Reminder], str]:
    def render(t: Translator, p: said.Reminder) -> str:
        text = t(key, title=task_title(t, p))
        return text + t("feed.when.due", at=t.dt(p.due)) if p.due is not None else text
    return render


def _quote(t: Translator, p: said.Quoted) -> str:
    text = t(f"feed.quote_{p.event}", version=p.version, by=p.by or "—",
             gross=t.money(p.gross, p.currency) if p.gross is not None else "—")
    return text + _reason(t, p.comment)


def _interaction(t: Translator, p: said.InteractionDone) -> str:
    return t(f"feed.sent_{p.purpose}", how=t(f"feed.channel_{p.channel}")) + _reason(t, p.note)


def _client_field(t: Translator, p: said.ClientField) -> str:
    return t("feed.client_field", field=t(f"cold.field_{p.field}"), value=p.value or "—")


def _lease_file(t: Translator, p: said.LeaseFile) -> str:
    key = f"lease_doc.{p.doc}"
    return t("feed.lease_file", doc=t(key) if t.has(key) else t("feed.lease_file_other"))


FEED: dict[FeedKind, Callable[[Translator, said.Entry], str]] = {
    FeedKind.REMINDER: _reminder("feed.reminder"),
    FeedKind.REMINDER_DONE: _reminder("feed.reminder_done"),
    FeedKind.STATUS: _moved,
    FeedKind.STAGE_OVERDUE: lambda t, p: t("feed.stage_overdue", stage=status_name(t, "cold_call", p.stage, None)
                                           if p.process == "cold_call" else t(f"stage.{p.process}.{p.stage}")),
    FeedKind.SOURCE: lambda t, p: t("feed.source", name=p.name or t("feed.none")),
    FeedKind.PAYMENT: lambda t, p: t("feed.payment", amount=t.money(p.amount, p.currency), day=day(t, p.due_on)),
    FeedKind.PAYMENT_RECEIVED: lambda t, p: t("feed.payment_received", amount=t.money(p.amount, p.currency),
                                              day=day(t, p.due_on)),
    FeedKind.PAYMENT_MOVED: lambda t, p: t("feed.payment_moved", amount=t.money(p.amount, p.currency),
                                           was=day(t, p.was), day=day(t, p.due_on)),
    FeedKind.ORDER: lambda t, p: t("feed.order" if p.quote_version is None else "feed.order_of_quote",
                                   number=p.number, amount=t.money(p.amount, p.currency), version=p.quote_version),
    FeedKind.ORDER_PAYMENT: lambda t, p: t("feed.order_payment", number=p.number, amount=t.money(p.amount, p.currency),
                                           paid=t.money(p.paid, p.currency), total=t.money(p.total, p.currency)),
    FeedKind.ORDER_SHIPPED: lambda t, p: t("feed.order_shipped", number=p.number),
    FeedKind.SURVEY_DONE: lambda t, p: t("feed.survey_done"),
    FeedKind.QUOTE: _quote,
    FeedKind.CLIENT_FIELD: _client_field,
    FeedKind.ACCESS_GROUP: lambda t, p: t("feed.access_group", name=p.name),
    FeedKind.CADENCE: lambda t, p: t("feed.cadence", name=p.name),
    FeedKind.INTERACTION: _interaction,
    FeedKind.CALL_DONE: lambda t, p: t("feed.call_done", n=p.number),
    FeedKind.REROUTED: lambda t, p: t("feed.rerouted", name=p.executor),
    FeedKind.MAIL_QUEUED: lambda t, p: t(f"feed.mail_queued_{p.purpose}", number=p.number, to=p.to_addr),
    FeedKind.MAIL_OFF: lambda t, p: t(f"feed.mail_off.{p.purpose}", number=p.number, to=p.to_addr),
    FeedKind.MAIL_FAILED: lambda t, p: t("feed.mail_failed", subject=p.subject, to=p.to_addr, error=p.error),
    FeedKind.LEASE_OFFER: lambda t, p: t("feed.lease_offer", version=p.version,
                                         instalment=t.money(p.instalment, p.currency))
    if p.instalment is not None else t("feed.lease_recalculated", version=p.version),
    FeedKind.LEASE_FILE: _lease_file,
    FeedKind.LEASE_VERIFIED: lambda t, p: t("feed.lease_verified", amount=t.money(p.amount, p.currency),
                                            payer=p.payer),
    FeedKind.TERMS_ACCEPTED: lambda t, p: t("feed.terms_accepted"),
    FeedKind.VENDOR_PAID: lambda t, p: t("feed.vendor_paid", amount=t.money(p.amount, p.currency)),
    FeedKind.REGISTRATION: lambda t, p: t("feed.registration", number=p.number),
    FeedKind.INSURANCE: lambda t, p: t("feed.insurance", insurer=p.insurer, policy=p.policy, starts=day(t, p.starts),
                                       ends=day(t, p.ends)),
    FeedKind.LATE_INTEREST: lambda t, p: t("feed.late_interest" if p.amount >= 0 else "feed.late_interest_back",
                                           amount=t.money(abs(p.amount), p.currency), day=day(t, p.as_of)),
    FeedKind.RECEIPT: lambda t, p: t("feed.receipt", amount=t.money(p.amount, p.currency), day=day(t, p.paid_on)),
    FeedKind.ON_BEHALF: lambda t, p: t("feed.on_behalf", version=p.version, name=p.by),
    FeedKind.OWNERSHIP: lambda t, p: t("feed.ownership_invoice", invoice=p.invoice) if p.invoice
    else t("feed.ownership"),
    FeedKind.RECEIPT_FOUND: lambda t, p: t("feed.receipt_found", amount=t.money(p.amount, p.currency),
                                           day=day(t, p.paid_on), line=p.line),
    FeedKind.CORRECTION: lambda t, p: t("feed.correction", amount=t.money(p.amount, p.currency))
    + _reason(t, p.reference),
    FeedKind.CHARGE: lambda t, p: t("feed.charge", amount=t.money(p.amount, p.currency)) + _reason(t, p.note),
    FeedKind.TASKS_CLOSED: lambda t, p: t(f"feed.closed.{p.reason}", n=p.count),
    FeedKind.DUNNING: lambda t, p: t("feed.dunning_letter" if p.by_letter else "feed.dunning",
                                     level=dunning_level(t, p.level),
                                     owed=t.money(p.owed, p.currency)),
}


def entry_text(t: Translator, kind: str, params: dict | None, text: str | None) -> str:
    """One line's words: its facts by its kind's renderer; a comment's or an old line's text as written."""
    if params is not None and kind in said.ENTRIES:
        return FEED[FeedKind(kind)](t, said.load(kind, params))
    legacy = f"ws.feed_{kind}"
    return t(legacy, text=text or "") if t.has(legacy) else (text or "")
