"""What a line of a deal's feed says, as facts: each feed kind (``FeedKind``) has a small frozen dataclass of ids,
codes, amounts and dates, kept in ``deal_feed.params`` (JSON); the bot words each kind in the reader's language
(``bot/views/deals/feed.py``, a renderer per kind). A comment keeps its author's words in ``deal_feed.text``; a line
written before the params existed keeps its sentence there too (shown as it was written)."""

from __future__ import annotations

import typing
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from core.domain.kernel.kinds import registered
from core.domain.kernel.preferences import currency as deployment_currency


class FeedKind(StrEnum):
    """What an entry of a deal's feed is (deal_feed.kind), its facts a dataclass of core.domain.kernel.feed; the bot
    words each (bot/views/deals/feed.py)."""

    COMMENT = "comment"  # a person's words or file (the words kept as they were typed)
    REMINDER = "reminder"  # a reminder (a task) set
    REMINDER_DONE = "reminder_done"
    STATUS = "status"  # a move of status or stage
    PAYMENT = "payment"
    ORDER = "order"
    SOURCE = "source"  # the deal's source set
    LEASE = "lease"  # the lessor's books, as lines written before the facts were kept (legacy text only)
    # each kind's facts: core.domain.kernel.feed (kind values fit deal_feed.kind, 16 characters)
    STAGE_OVERDUE = "stage_overdue"
    PAYMENT_RECEIVED = "payment_received"
    PAYMENT_MOVED = "payment_moved"
    ORDER_PAYMENT = "order_payment"
    ORDER_SHIPPED = "order_shipped"
    SURVEY_DONE = "survey_done"
    QUOTE = "quote"
    CLIENT_FIELD = "client_field"
    ACCESS_GROUP = "access_group"
    CADENCE = "cadence"
    INTERACTION = "interaction"
    CALL_DONE = "call_done"
    REROUTED = "rerouted"
    MAIL_QUEUED = "mail_queued"
    MAIL_FAILED = "mail_failed"
    LEASE_OFFER = "lease_offer"
    LEASE_FILE = "lease_file"
    LEASE_VERIFIED = "lease_verified"
    TERMS_ACCEPTED = "terms_accepted"
    VENDOR_PAID = "vendor_paid"
    REGISTRATION = "registration"
    INSURANCE = "insurance"
    LATE_INTEREST = "late_interest"
    RECEIPT = "receipt"
    RECEIPT_FOUND = "receipt_found"  # a payment typed by hand, found later on the bank statement
    CORRECTION = "correction"
    CHARGE = "charge"
    DUNNING = "dunning"
    ON_BEHALF = "on_behalf"  # a lease offer accepted by the salesperson for a client outside Telegram
    OWNERSHIP = "ownership"  # the leased object bought out: its ownership passed to the client
    MAIL_OFF = "mail_off"  # the КП or the invoice not e-mailed: e-mail is off (no SMTP), to be sent by hand
    TASKS_CLOSED = "tasks_closed"  # the deal closed (or its order was paid): its open tasks closed with it


@dataclass(frozen=True)
class Entry:
    """The facts of one feed line."""

    kind: ClassVar[FeedKind]

    def data(self) -> dict[str, Any]:
        """The JSON the row keeps: amounts as text (exact), days as ISO dates."""
        return {k: _dump(v) for k, v in asdict(self).items()}


ENTRIES: dict[FeedKind, type[Entry]] = {}


_entry = registered(ENTRIES)  # @_entry(kind): a frozen dataclass of that kind, kept in ENTRIES


def _dump(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _load(kind_of, value):
    if value is None:
        return None
    if Decimal in typing.get_args(kind_of) or kind_of is Decimal:
        return Decimal(value)
    if datetime in typing.get_args(kind_of) or kind_of is datetime:
        return datetime.fromisoformat(value)
    if date in typing.get_args(kind_of) or kind_of is date:
        return date.fromisoformat(value)
    return value


def load(kind: str, data: dict[str, Any]) -> Entry:
    """The entry a row keeps (its kind and params), typed again: Decimal amounts, dates."""
    cls = ENTRIES[FeedKind(kind)]
    hints = typing.get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    return cls(**{k: _load(hints[k], v) for k, v in data.items() if k in names})


# ---------------------------------------------------------------- the deal itself

@_entry(FeedKind.REMINDER)
class Reminder(Entry):
    """A task set on the deal: by its code and params (core made it), or by the words a person typed."""

    task_id: int | None = None
    code: str | None = None
    title: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    due: datetime | None = None  # when it is due (a line written before it was kept: none)


@_entry(FeedKind.TASKS_CLOSED)
class TasksClosed(Entry):
    """Open tasks closed by what happened to the deal (``reason``: core.domain.kernel.tasks.TaskClose)."""

    count: int
    reason: str


@_entry(FeedKind.REMINDER_DONE)
class ReminderDone(Reminder):
    pass


@_entry(FeedKind.STATUS)
class Moved(Entry):
    """A status or a stage entered (``from_*`` empty: the first one). A status is named by its code (its name in
    the reader's language) unless an admin renamed it: ``*_name`` keeps the row's name as it was then."""

    pipeline: str
    to_code: str | None
    to_name: str
    from_code: str | None = None
    from_name: str | None = None
    reason: str | None = None  # a person's words, or a code the bot names (a close's reason)


@_entry(FeedKind.STAGE_OVERDUE)
class StageOverdue(Entry):
    process: str
    stage: str


@_entry(FeedKind.SOURCE)
class SourceSet(Entry):
    source_id: int | None
    name: str | None  # the directory's entry, as the admins named it


@_entry(FeedKind.PAYMENT)
class PaymentPlanned(Entry):
    amount: Decimal
    currency: str
    due_on: date


@_entry(FeedKind.PAYMENT_RECEIVED)
class PaymentReceived(Entry):
    amount: Decimal
    currency: str
    due_on: date


@_entry(FeedKind.PAYMENT_MOVED)
class PaymentMoved(Entry):
    amount: Decimal
    currency: str
    was: date
    due_on: date


@_entry(FeedKind.ORDER)
class OrderAdded(Entry):
    number: str
    amount: Decimal
    currency: str
    quote_version: int | None = None  # a cold call's order, made from this version of the КП


@_entry(FeedKind.ORDER_PAYMENT)
class OrderPayment(Entry):
    number: str
    amount: Decimal
    paid: Decimal  # so far, this one included
    total: Decimal
    currency: str


@_entry(FeedKind.ORDER_SHIPPED)
class OrderShipped(Entry):
    number: str


# ---------------------------------------------------------------- a cold call's deal (seed 001)

@_entry(FeedKind.SURVEY_DONE)
class SurveyDone(Entry):
    pass


class QuoteEvent:
    """What happened to a version of the КП (``Quoted.event``)."""

    DRAFT = "draft"
    APPROVAL = "approval"
    APPROVED = "approved"
    RETURNED = "returned"
    ORDER = "order"  # the client's answers
    REWORK = "rework"
    REFUSAL = "refusal"


@_entry(FeedKind.QUOTE)
class Quoted(Entry):
    version: int
    event: str  # QuoteEvent
    gross: Decimal | None = None
    currency: str = field(default_factory=deployment_currency)  # the CRM's (CURRENCY)
    by: str | None = None  # the approver's name
    comment: str | None = None  # their words, or the client's


@_entry(FeedKind.CLIENT_FIELD)
class ClientField(Entry):
    field: str  # core.domain.campaigns.counterparties.CounterpartyField
    value: str | None


@_entry(FeedKind.ACCESS_GROUP)
class AccessGroupSet(Entry):
    group_id: int
    name: str


@_entry(FeedKind.CADENCE)
class CadenceSet(Entry):
    cadence_id: int
    name: str


@_entry(FeedKind.INTERACTION)
class InteractionDone(Entry):
    purpose: str  # core.domain.campaigns.stages.Purpose
    channel: str  # core.domain.campaigns.stages.Channel
    note: str | None = None


@_entry(FeedKind.CALL_DONE)
class CallDone(Entry):
    number: int


@_entry(FeedKind.REROUTED)
class Rerouted(Entry):
    executor_id: int
    executor: str


@_entry(FeedKind.MAIL_QUEUED)
class MailQueued(Entry):
    purpose: str  # Purpose: the КП or the invoice
    number: str
    to_addr: str


@_entry(FeedKind.MAIL_OFF)
class MailOff(Entry):
    purpose: str  # Purpose: the КП or the invoice
    number: str
    to_addr: str


@_entry(FeedKind.MAIL_FAILED)
class MailFailed(Entry):
    subject: str
    to_addr: str
    error: str  # the mail server's own words


# ---------------------------------------------------------------- a Polish lessor's case (seed 002)

@_entry(FeedKind.LEASE_OFFER)
class LeaseOffer(Entry):
    version: int
    instalment: Decimal | None
    currency: str


@_entry(FeedKind.LEASE_FILE)
class LeaseFile(Entry):
    doc: str  # core.domain.leasing LeaseDoc kind


@_entry(FeedKind.LEASE_VERIFIED)
class LeaseVerified(Entry):
    amount: Decimal
    currency: str
    payer: str  # the account it came from


@_entry(FeedKind.TERMS_ACCEPTED)
class TermsAccepted(Entry):
    pass


@_entry(FeedKind.VENDOR_PAID)
class VendorPaid(Entry):
    amount: Decimal
    currency: str


@_entry(FeedKind.REGISTRATION)
class Registration(Entry):
    number: str


@_entry(FeedKind.INSURANCE)
class Insurance(Entry):
    insurer: str
    policy: str
    starts: date
    ends: date


@_entry(FeedKind.LATE_INTEREST)
class LateInterest(Entry):
    amount: Decimal  # negative: a correction credited back
    currency: str
    as_of: date


@_entry(FeedKind.RECEIPT)
class Receipt(Entry):
    amount: Decimal
    currency: str
    paid_on: date


@_entry(FeedKind.RECEIPT_FOUND)
class ReceiptFound(Entry):
    amount: Decimal
    currency: str
    paid_on: date
    line: int  # the statement's line


@_entry(FeedKind.CORRECTION)
class Correction(Entry):
    amount: Decimal
    currency: str
    reference: str | None


@_entry(FeedKind.CHARGE)
class Charge(Entry):
    amount: Decimal
    currency: str
    note: str


@_entry(FeedKind.ON_BEHALF)
class AcceptedOnBehalf(Entry):
    version: int
    by: str  # the salesperson's name


@_entry(FeedKind.OWNERSHIP)
class OwnershipTransferred(Entry):
    invoice: str | None  # the buyout faktura's number


@_entry(FeedKind.DUNNING)
class Dunning(Entry):
    level: str
    owed: Decimal
    currency: str
    by_letter: bool = False


def reminder(task, *, done: bool = False) -> Reminder:
    """The feed's line for a task (anything with ``id``, ``code``, ``title`` and ``params``): set, or done."""
    cls = ReminderDone if done else Reminder
    return cls(task_id=task.id, code=task.code, title=None if task.code else task.title, params=task.params or {},
               due=None if done else getattr(task, "due_at", None))


def moved(pipeline: str, to, was=None, reason: str | None = None) -> Moved:
    """A move between two status rows (anything with ``code`` and ``name``; ``was`` None: the first)."""
    return Moved(pipeline=str(pipeline), to_code=to.code, to_name=to.name, from_code=was.code if was else None,
                 from_name=was.name if was else None, reason=reason)
