"""Every kind of message the core queues for a person (the outbox's ``kind``), each with its payload as a small
dataclass: a use case queues ``uow.outbox.notify(user_id, LeadAssigned(lead_id=…))``, the row keeps the kind and the
payload's fields, and the bot renders each kind in the recipient's language from those fields
(``bot/notifications.py``, a renderer per kind taking exactly its payload's fields: tests/unit/test_notices.py
checks that none is missing). A kind or a field spelled wrong fails where the notice is made, not as a parked
message."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, ClassVar

from core.domain.kernel.kinds import registered


class Notice(StrEnum):
    # the marketplace (seed 000)
    APP_MODERATION = "app_moderation"
    APP_DISPATCHED = "app_dispatched"
    APP_APPROVED = "app_approved"
    APP_REJECTED = "app_rejected"
    APP_CLARIFY = "app_clarify"
    OFFER_NEW = "offer_new"
    OFFER_UPDATED = "offer_updated"
    OFFER_WITHDRAWN = "offer_withdrawn"
    DEAL_CHOSEN = "deal_chosen"
    DEAL_NOT_CHOSEN = "deal_not_chosen"
    STATUS_CHANGED = "status_changed"
    REFERRAL_JOINED = "referral_joined"
    REFERRAL_APPLICATION = "referral_application"
    ROLE_CHANGED = "role_changed"
    INVITE_ACCEPTED = "invite_accepted"  # to the admin who made the invite
    HEAD_NAMED = "head_named"  # to the person an admin made the head of a team
    # the deal room's relays
    RELAY = "relay"
    RELAY_ALBUM = "relay_album"
    RELAY_EDIT = "relay_edit"
    # tasks and the scheduler
    TASK_REMINDER = "task_reminder"
    TASK_OVERDUE = "task_overdue"
    TASK_ASSIGNED = "task_assigned"
    TASKS_DUE = "tasks_due"  # the tasks that fell due at once, in one message (issue 28)
    TASKS_OVERDUE = "tasks_overdue"  # the tasks that became overdue at once, in one message
    DIGEST = "digest"
    # leads (seed 004) and the deal workspace (seed 003)
    LEAD_NEW = "lead_new"
    LEAD_ASSIGNED = "lead_assigned"
    LEAD_DUPLICATE = "lead_duplicate"
    LEAD_MESSAGE = "lead_message"  # a lead's client wrote in the bot: to its responsible (none: the admins)
    LEAD_ANSWER = "lead_answer"  # the firm's answer, copied to the client
    LEAD_MEETING = "lead_meeting"  # to the lead's client: a meeting booked with the firm, and when
    DEAL_ASSIGNED = "deal_assigned"
    DEAL_HANDED_OVER = "deal_handed_over"  # to the executor a deal was taken from (a reroute, a new responsible)
    LEAD_HANDED_OVER = "lead_handed_over"  # to the responsible a lead was taken from
    DEAL_MOVED = "deal_moved"
    PAYMENT_OVERDUE = "payment_overdue"
    # the stage engine (seed 001)
    STAGE_OVERDUE = "stage_overdue"
    STAGE_CLOSED = "stage_closed"
    STAGES_CLOSED = "stages_closed"  # several deals of one executor closed by their deadline at once: one notice
    CAMPAIGN_POSTED = "campaign_posted"
    REROUTE_ASKED = "reroute_asked"
    QUOTE_APPROVAL = "quote_approval"
    QUOTE_DECIDED = "quote_decided"
    DOCUMENT_SENT = "document_sent"
    MAIL_PARKED = "mail_parked"
    ORDER_PAID = "order_paid"
    # a Polish lessor's case (seed 002)
    LEASE_OFFER = "lease_offer"
    LEASE_MOVED = "lease_moved"
    LEASE_MESSAGE = "lease_message"
    # the contract's end and the identity check (issue 29)
    LEASE_ENDED = "lease_ended"
    LEASE_IDENTITY = "lease_identity"
    # its running contract's books (issue 19)
    LEASE_INVOICE = "lease_invoice"
    LEASE_VENDOR_PAID = "lease_vendor_paid"
    LEASE_RECEIPT = "lease_receipt"
    LEASE_INTEREST = "lease_interest"
    LEASE_DUNNING = "lease_dunning"
    LEASE_CLOSED = "lease_closed"
    LEASE_INSURANCE = "lease_insurance"
    LEASE_COMMISSION = "lease_commission"
    LEASE_RATE_GAP = "lease_rate_gap"
    LEASE_DUNNING_RUN = "lease_dunning_run"  # to the collections team: who a dunning run reminded, at which level
    LEASE_CONTRACT_READY = "lease_contract_ready"  # to the client: the contract is generated, to read and accept
    LEASE_CLIENT_JOINED = "lease_client_joined"  # to the salesperson: the client opened the case's link
    LEASE_CLIENT_LINKED = "lease_client_linked"  # to the client: their adviser opened a case for them in the bot
    LEASE_OFFER_ASKED = "lease_offer_asked"  # to the salespeople: a client asks for an offer on the calculator's terms


@dataclass(frozen=True)
class Payload:
    """What a notice carries: ids to reload (the bot shows what the recipient may see now) and the few words that
    must read as they were when it happened."""

    kind: ClassVar[Notice]

    def data(self) -> dict[str, Any]:
        return asdict(self)


PAYLOADS: dict[Notice, type[Payload]] = {}


_payload = registered(PAYLOADS)  # @_payload(kind): a frozen dataclass of that kind, kept in PAYLOADS


@_payload(Notice.APP_MODERATION)
class AppModeration(Payload):
    app_id: int


@_payload(Notice.APP_DISPATCHED)
class AppDispatched(Payload):
    app_id: int


@_payload(Notice.APP_APPROVED)
class AppApproved(Payload):
    app_id: int
    managers: int


@_payload(Notice.APP_REJECTED)
class AppRejected(Payload):
    app_id: int
    reason: str | None


@_payload(Notice.APP_CLARIFY)
class AppClarify(Payload):
    app_id: int
    question: str | None


@_payload(Notice.OFFER_NEW)
class OfferNew(Payload):
    app_id: int
    offer_id: int


@_payload(Notice.OFFER_UPDATED)
class OfferUpdated(Payload):
    app_id: int
    offer_id: int


@_payload(Notice.OFFER_WITHDRAWN)
class OfferWithdrawn(Payload):
    app_id: int
    company: str


@_payload(Notice.DEAL_CHOSEN)
class DealChosen(Payload):
    app_id: int
    offer_id: int


@_payload(Notice.DEAL_NOT_CHOSEN)
class DealNotChosen(Payload):
    app_id: int
    offer_id: int


@_payload(Notice.STATUS_CHANGED)
class StatusChanged(Payload):
    app_id: int
    old: str
    new: str
    comment: str | None


@_payload(Notice.REFERRAL_JOINED)
class ReferralJoined(Payload):
    name: str


@_payload(Notice.INVITE_ACCEPTED)
class InviteAccepted(Payload):
    name: str
    role: str
    company: str | None = None
    team: str | None = None  # the operator's team a staff invite joined (issue 27)


@_payload(Notice.REFERRAL_APPLICATION)
class ReferralApplication(Payload):
    app_id: int


@_payload(Notice.ROLE_CHANGED)
class RoleChanged(Payload):
    role: str
    change: str | None = None  # None: the role is now this one; «granted» / «removed»: held besides (issue 27)


@_payload(Notice.HEAD_NAMED)
class HeadNamed(Payload):
    team: str  # the team's name when they were named


@_payload(Notice.RELAY)
class Relay(Payload):
    deal_message_id: int


@_payload(Notice.RELAY_ALBUM)
class RelayAlbum(Payload):
    app_id: int
    media_group_id: str
    from_chat_id: int
    sender_role: str
    first_id: int


@_payload(Notice.RELAY_EDIT)
class RelayEdit(Payload):
    deal_message_id: int
    edit_id: int


@_payload(Notice.TASK_REMINDER)
class TaskReminder(Payload):
    task_id: int


@_payload(Notice.TASK_OVERDUE)
class TaskOverdue(Payload):
    task_id: int
    responsible: str | None


@_payload(Notice.TASKS_DUE)
class TasksDue(Payload):
    task_ids: list[int]


@_payload(Notice.TASKS_OVERDUE)
class TasksOverdue(Payload):
    task_ids: list[int]


@_payload(Notice.TASK_ASSIGNED)
class TaskAssigned(Payload):
    task_id: int


@_payload(Notice.DIGEST)
class MorningDigest(Payload):
    day: str


@_payload(Notice.LEAD_NEW)
class LeadNew(Payload):
    lead_id: int
    responsible: str | None = None
    how: str | None = None


@_payload(Notice.LEAD_ASSIGNED)
class LeadAssigned(Payload):
    lead_id: int


@_payload(Notice.LEAD_DUPLICATE)
class LeadDuplicate(Payload):
    lead_id: int
    duplicate_id: int


@_payload(Notice.LEAD_MESSAGE)
class LeadMessage(Payload):
    """A lead's client wrote in the bot (its feed keeps it: ``note_id``): copied from their chat (copyMessage: never
    forwarded, never a file's URL) under a header naming the lead and the client, with buttons to answer and to open
    the lead."""

    lead_id: int
    note_id: int
    name: str  # the client as the lead's card names them, when they wrote
    from_chat_id: int
    message_id: int
    text: str | None = None  # a text message's words (sent as text, escaped); None: a file, copied
    caption: str | None = None  # a file's caption, kept under the header


@_payload(Notice.LEAD_ANSWER)
class LeadAnswer(Payload):
    """The firm's answer to a lead's client: copied from the writer's chat under a header naming who answered."""

    lead_id: int
    name: str  # who answered
    from_chat_id: int
    message_id: int
    text: str | None = None  # a text message's words; None: a file, copied
    caption: str | None = None


@_payload(Notice.LEAD_MEETING)
class LeadMeeting(Payload):
    """The client's meeting with the firm, booked on their lead: when (UTC, shown in the client's timezone) and who
    booked it."""

    lead_id: int
    at: str  # ISO 8601, UTC
    name: str  # who booked it


@_payload(Notice.DEAL_ASSIGNED)
class DealAssigned(Payload):
    """``task_id``: the first task the deal came with, shown with it (a notice queued before it has none)."""

    deal_id: int
    name: str
    task_id: int | None = None


@_payload(Notice.DEAL_HANDED_OVER)
class DealHandedOver(Payload):
    """What left its executor and where it went: ``to`` the new executor's name, ``group`` the access group (a
    reroute) or None; ``kept``: they stay among «Сотрудники по сделке» and still see it."""

    deal_id: int
    name: str
    to: str
    group: str | None = None
    kept: bool = False


@_payload(Notice.LEAD_HANDED_OVER)
class LeadHandedOver(Payload):
    """A lead given to ``to`` (its name on the card: ``name``); its open tasks went with it."""

    lead_id: int
    name: str
    to: str


@_payload(Notice.DEAL_MOVED)
class DealMoved(Payload):
    """``status``: the status's name as it was; ``pipeline`` and ``code``: a seeded one, named in the reader's
    language unless renamed (bot/views/kernel/names.py; a notice queued before them has neither)."""

    deal_id: int
    name: str
    status: str
    pipeline: str | None = None
    code: str | None = None


@_payload(Notice.PAYMENT_OVERDUE)
class PaymentOverdue(Payload):
    payment_id: int
    deal_id: int
    name: str
    amount: str
    due_on: str


@_payload(Notice.STAGE_OVERDUE)
class StageOverdue(Payload):
    """To the head: «Сделка, Исполнитель, Этап, ПРОСРОЧЕН СРОК»."""

    deal_id: int
    name: str
    executor: str
    stage: str  # the stage's name as the board had it; named like DealMoved's status
    pipeline: str | None = None
    code: str | None = None


@_payload(Notice.STAGES_CLOSED)
class StagesClosed(Payload):
    deals: list[list]  # [deal id, its name as it was]
    reason: str | None


@_payload(Notice.STAGE_CLOSED)
class StageClosed(Payload):
    """To the executor: the deal closed itself when its stage's deadline passed."""

    deal_id: int
    name: str
    reason: str


@_payload(Notice.CAMPAIGN_POSTED)
class CampaignPosted(Payload):
    """To the executor: a «Холодный обзвон» was posted with them as its executor; its deals are theirs."""

    campaign_id: int
    title: str
    deals: int


@_payload(Notice.REROUTE_ASKED)
class RerouteAsked(Payload):
    """To the head of the counterparty's access group (the admins when it has none): pick the deal's executor."""

    deal_id: int
    name: str
    group: str


@_payload(Notice.QUOTE_APPROVAL)
class QuoteApproval(Payload):
    """To each approver of a КП's version (seed 001, stage 7): approve it or return it with a comment."""

    quote_id: int
    deal_id: int
    name: str
    version: int
    gross: str


@_payload(Notice.QUOTE_DECIDED)
class QuoteDecided(Payload):
    """To the deal's executor: the approvers approved the КП (it goes to the client) or returned it (why)."""

    deal_id: int
    name: str
    version: int
    approved: bool
    by: str
    comment: str | None = None
    mailed: bool = True  # approved: the КП goes by e-mail (else the executor sends it and marks it sent)


@_payload(Notice.DOCUMENT_SENT)
class DocumentSent(Payload):
    """A generated document (the КП, the invoice) to the client in the bot: sent by Telegram's file id once it was
    uploaded (the outbox carries the document's id, never its bytes)."""

    document_id: int
    deal_id: int
    title: str


@_payload(Notice.MAIL_PARKED)
class MailParked(Payload):
    """To the deal's executor: an e-mail to the counterparty could not be sent (the server's answer); a task to send
    it some other way comes with it."""

    deal_id: int
    name: str
    to_addr: str
    error: str


@_payload(Notice.ORDER_PAID)
class OrderPaid(Payload):
    """To the shipping task's holder and the executor: the order is paid in full."""

    deal_id: int
    number: str
    amount: str


@_payload(Notice.LEASE_OFFER)
class LeaseOfferSent(Payload):
    """To the client in the bot: an offer's version to read and accept (seed 002, «Oferta»)."""

    deal_id: int
    subject: str
    version: int
    instalment: str
    currency: str


@_payload(Notice.LEASE_ENDED)
class LeaseEndedNotice(Payload):
    """To the client and the salesperson: the contract ended (core.domain.leasing.ending.EndKind), with the document
    made of it (the ownership transfer protocol, the termination's settlement, the return protocol)."""

    deal_id: int
    subject: str
    how: str  # core.domain.leasing.ending.EndKind (a payload's ``kind`` is the notice's own)
    ending_id: int
    invoice: str | None = None  # the wykup faktura's number, named beside the ownership transfer


@_payload(Notice.LEASE_IDENTITY)
class LeaseIdentityAsked(Payload):
    """To those who may decide (the analysts, the back office, the admins): a verification transfer the automaton
    could not decide, and why (core.domain.leasing.ending reasons)."""

    deal_id: int
    subject: str
    check_id: int
    reasons: list[str]
    payer: str | None = None  # the payer's name as the statement gave it


@_payload(Notice.LEASE_MOVED)
class LeaseMoved(Payload):
    """To whom a case's move concerns (its salesperson, its client, the queue it enters): the status it is in now
    and, when one was given, why."""

    deal_id: int
    subject: str
    status: str
    reason: str | None = None
    file_kind: str | None = None  # the document rejected (a ``lease_doc`` code); ``reason`` is then what was wrong
    score: int | None = None  # the scoring automaton's score, when it moved the case
    stops: list[list[str]] | None = None  # the stop rules that matched: [fact code, operator, value]
    reader: str | None = None  # who reads it towards the case: sales | client | risk | back_office (what they do next)
    what: str | None = None  # what happened when the status stayed: terms_accepted | offer_accepted


@_payload(Notice.LEASE_MESSAGE)
class LeaseMessage(Payload):
    """A message between a case's client and its salesperson (self care's «komunikacja»): copied from the sender's
    chat (copyMessage: never forwarded, never a file's URL), under a header naming the case and who wrote."""

    deal_id: int
    from_role: str  # client | sales
    from_chat_id: int
    message_id: int
    text: str | None = None  # a text message's words (sent as text, escaped); None: a file, copied
    caption: str | None = None  # a file's caption, kept under the header
    name: str | None = None  # who wrote: the client's name (as the case has it), or the salesperson's


@_payload(Notice.LEASE_INVOICE)
class LeaseInvoiceIssued(Payload):
    """To the client in the bot: a faktura (its PDF goes with it), written set-based by the accrual run."""

    invoice_id: int


@_payload(Notice.LEASE_VENDOR_PAID)
class LeaseVendorPaid(Payload):
    """To the vendor in the bot, and to the salesperson: the object was paid for."""

    deal_id: int
    subject: str
    amount: str
    currency: str
    paid_on: str


@_payload(Notice.LEASE_RECEIPT)
class LeaseReceiptBooked(Payload):
    """To the client: a payment booked, what it paid, and the balance after it."""

    deal_id: int
    amount: str
    currency: str
    paid_on: str
    balance: str


@_payload(Notice.LEASE_INTEREST)
class LeaseInterestPosted(Payload):
    """To the client: a nota odsetkowa, late interest posted to a day (negative: a correction credited back)."""

    deal_id: int
    amount: str
    currency: str
    as_of: str


@_payload(Notice.LEASE_DUNNING)
class LeaseDunningSent(Payload):
    """A dunning level: to the client in the bot, or (``by_letter``) to the responsible, with the letter to send."""

    deal_id: int
    level: str
    days: int  # past the oldest unpaid charge's due date
    owed: str
    currency: str
    by_letter: bool = False
    subject: str = ""
    dunning_id: int | None = None  # the letter's (with ``by_letter``)


@_payload(Notice.LEASE_CLOSED)
class LeaseClosed(Payload):
    """To the client and the salesperson: the contract settled and closed; its closing statement goes with it."""

    deal_id: int
    subject: str
    refund: str | None = None  # an overpayment the lessor pays back
    currency: str = "PLN"


@_payload(Notice.LEASE_INSURANCE)
class LeaseInsuranceEnding(Payload):
    """To the back office and the client: the object's policy ends soon."""

    deal_id: int
    subject: str
    policy_no: str
    ends_on: str
    days: int


@_payload(Notice.LEASE_COMMISSION)
class LeaseCommissionSettled(Payload):
    """To a salesperson or a vendor: their commissions of a month."""

    period: str
    contracts: int
    amount: str
    currency: str


@_payload(Notice.LEASE_RATE_GAP)
class LeaseRateGap(Payload):
    """To the admins, once a day while it lasts: late interest is held back, the rate table misses a day."""

    day: str


@_payload(Notice.LEASE_DUNNING_RUN)
class LeaseDunningRun(Payload):
    """To the collections team, after each dunning run that sent something: each reminder as [contract, subject,
    level, days past due (suspended days left out), by letter (1) or in the bot (0)]."""

    day: str
    sent: list[list]


@_payload(Notice.LEASE_CONTRACT_READY)
class LeaseContractReady(Payload):
    """To the client in the bot: the contract was generated from the accepted offer; read it and accept its terms."""

    deal_id: int
    subject: str
    number: str


@_payload(Notice.LEASE_CLIENT_JOINED)
class LeaseClientJoined(Payload):
    """To the case's salesperson: the client opened the case's link and is in the bot now (offers reach them)."""

    deal_id: int
    subject: str
    client: str


@_payload(Notice.LEASE_CLIENT_LINKED)
class LeaseClientLinked(Payload):
    """To the client a salesperson linked to a case (by their Telegram id or @username, or from their request on
    the calculator): the case is theirs to follow here; who their adviser is."""

    deal_id: int
    subject: str
    name: str  # the adviser who linked them


@_payload(Notice.LEASE_OFFER_ASKED)
class LeaseOfferAsked(Payload):
    """To the salesperson (the client's case's, or every salesperson when the client has none yet): a client in the
    bot asks for an offer on the terms they calculated (amounts as strings, as the calculator found them)."""

    name: str  # the client as Telegram names them
    tg_id: int  # what «👤 Klient w bocie» takes, to link them to the case made for them
    username: str | None
    price: str
    advance: str
    months: int
    rate: str
    residual: str
    fee: str
    method: str  # core.domain.leasing.calc.Method
    timing: str  # core.domain.leasing.calc.Timing
    instalment: str  # the first instalment, net
    currency: str
