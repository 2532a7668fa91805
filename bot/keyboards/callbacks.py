"""Typed callback data: small (64 bytes), enum actions and integer ids. Never trusted: every press
reloads the object and the service checks who may act.

A status, a field, a kind or a pipeline travels as its enum's value (``LeadStatus.CONTRACT`` as «contract»), never
as its place in a list: reordering an enum does not change what an old button means, and a value nobody wrote
matches no handler (the fallback calls the button stale)."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from core.domain.campaigns.counterparties import CounterpartyField
from core.domain.campaigns.orders import DocKind, Duty
from core.domain.campaigns.quotes import Answer
from core.domain.deals.workspace import DealKind, Pipeline
from core.domain.kernel.contacts import ContactField
from core.domain.kernel.deployment import LeadPipeline, Need
from core.domain.leads.lifecycle import LeadField, LeadStatus, TaskCode
from core.domain.marketplace.applications import AppStatus


class MenuAction(IntEnum):
    HOME = 0
    NEW_APP = 1
    MY_APPS = 2
    MODERATION = 3
    INCOMING = 4
    MY_OFFERS = 5
    DEALS = 6
    REFERRALS = 7
    REF_LINK = 8
    PROFILE = 9
    INVITE = 10
    DIRECTORIES = 11
    ROLES = 12
    LANGUAGE = 13
    LEADS = 14
    NEW_LEAD = 15
    TASKS = 16
    REPORT = 17
    WORKSPACE = 18
    MY_DATA = 19
    CAMPAIGNS = 20
    CALC = 21
    LEASES = 22  # seed 002: the cases a person works
    NEW_LEASE = 23  # a salesperson's new client and case
    BOOKS = 24  # the lessor's books: bank statements, lines kept aside, the admins' tables
    SETTINGS = 25  # an admin's settings: the first setup's checklist, invites, directories, roles
    MORE = 26  # an admin's less frequent entries (new application, new lead, the report, the calculator)
    NEW_REQUEST = 30  # a client's next request to the leads (a source's form again)
    # a menu's sections by area (bot.keyboards.builders.SECTIONS): numbered apart, clear of new entries above
    AREA_MARKET = 40  # the marketplace's entries (a manager's offers, deal rooms, profile…)
    AREA_LEADS = 41  # leads: the list, a new one, the report
    AREA_LEASING = 42  # the lessor's cases and books
    MINE = 43  # a person's own settings: language and timezone, their data


class MenuCb(CallbackData, prefix="m"):
    action: MenuAction


class ListKindCode(IntEnum):
    MINE = 1
    MODERATION = 2
    INCOMING = 3
    REFERRALS = 4
    DEALS = 5
    OFFERS = 6
    STAFF = 7


class PageCb(CallbackData, prefix="pg"):
    kind: ListKindCode
    page: int


class AppAction(IntEnum):
    OPEN = 1
    AUDIT = 2
    DISPATCH_LOG = 3
    EDIT = 4  # answer an admin's question by editing


class AppCb(CallbackData, prefix="a"):
    action: AppAction
    app_id: int


class ModAction(IntEnum):
    APPROVE = 1
    REJECT = 2
    CLARIFY = 3


class ModCb(CallbackData, prefix="mod"):
    action: ModAction
    app_id: int


class FormAction(IntEnum):
    BACK = 1
    CANCEL = 2
    PICK = 3  # a catalogue item (category, region)
    FILES_DONE = 4
    SEND = 5
    EDIT = 6  # choose a field to change
    EDIT_FIELD = 7
    SKIP = 8
    KEEP = 9  # keep the proposed value (offer term)


class FormCb(CallbackData, prefix="f"):
    action: FormAction
    value: int = 0


class OfferAction(IntEnum):
    START = 1
    COMPARE = 2
    TOGGLE = 3
    APPROVE_DEAL = 4
    VIEW = 5
    EDIT = 6
    WITHDRAW = 7


class OfferCb(CallbackData, prefix="o"):
    action: OfferAction
    app_id: int
    offer_id: int = 0


class DealAction(IntEnum):
    OPEN = 1
    WRITE = 2
    HISTORY = 3
    STATUS = 4
    LEAVE = 5


class DealCb(CallbackData, prefix="d"):
    action: DealAction
    app_id: int
    value: int = 0  # a page
    status: AppStatus | None = None  # the move's target


class AdminAction(IntEnum):
    INVITE_ROLE = 1
    INVITE_COMPANY = 2
    DIR_OPEN = 3
    DIR_ADD = 4
    DIR_TOGGLE = 5
    USER_FIND = 6
    USER_ROLE = 7
    USER_COMPANY = 8
    AUTO_TASKS = 9
    SUPERVISOR = 10
    DIR_RENAME = 11
    SOURCE_OWNER = 12  # item_id 0: the sources to pick; a source: the people to pick for it
    SOURCE_OWNER_SET = 13  # item_id the source, value the person (0: share by the fewest open leads)


class AdminCb(CallbackData, prefix="ad"):
    action: AdminAction
    value: int = 0  # role code, directory code or user id
    item_id: int = 0
    task: TaskCode | None = None  # AUTO_TASKS: the rule to switch (None: show them)


class ProfileAction(IntEnum):
    SHOW = 1
    CATEGORIES = 2
    REGIONS = 3
    TOGGLE_CATEGORY = 4
    TOGGLE_REGION = 5
    AMOUNT = 6
    TERM = 7


class ProfileCb(CallbackData, prefix="pr"):
    action: ProfileAction
    item_id: int = 0


class LangCb(CallbackData, prefix="lg"):
    locale: str


class SetupAction(IntEnum):
    ASK = 1  # what the deployment runs: the question, with the current answer ticked
    TOGGLE = 2  # mask: the areas ticked after this press
    SAVE = 3  # mask: the answer
    PIPELINE = 4  # pipeline: the deals' pipeline picked (the leads area's), in place


class StepCb(CallbackData, prefix="sx"):
    """A missing step's button on the settings' checklist: the step's own prompt (the same as its button elsewhere),
    whose « Cancel » returns to the checklist."""

    need: Need


class SetupCb(CallbackData, prefix="su"):
    action: SetupAction
    mask: int = 0  # core.domain.kernel.deployment.to_mask of the areas ticked
    pipeline: LeadPipeline = LeadPipeline.SALES  # the leads' deal pipeline picked


class TzCb(CallbackData, prefix="tz"):
    zone: int  # 1-based place in core.domain.kernel.schedule.OFFERED_ZONES; 0: the person types another


class TzPageCb(CallbackData, prefix="tzp"):
    """A page of the offered zones (issue 30: a screen shows at most eight buttons)."""

    page: int = 0


class LeadAction(IntEnum):
    OPEN = 1
    ATTEMPT = 2
    STATUS = 3
    JUNK = 4  # show the junk statuses
    CONTACT = 5  # the lead's contact card
    EDIT = 6  # what to change
    EDIT_FIELD = 7  # field: which
    SOURCE = 8  # value 0: the sources to pick; a source id: set it
    RESPONSIBLE = 9  # value 0: the people to pick; a user id: hand the lead over
    TAKE_NAME = 20  # the name the request gave becomes the contact card's
    ANSWER = 21  # write to the lead's client: value, the client's message answered (0: from the lead card)


class LeadCb(CallbackData, prefix="l"):
    action: LeadAction
    lead_id: int = 0
    value: int = 0  # a contact, source or person id
    status: LeadStatus | None = None  # STATUS: the target
    field: LeadField | None = None  # EDIT_FIELD: which


class ContactAction(IntEnum):
    EDIT = 1  # what to change
    FIELD = 2  # field: which
    ADD_PHONE = 3
    REMOVE_PHONE = 4  # value: the phone's id


class ContactCb(CallbackData, prefix="ct"):
    action: ContactAction
    contact_id: int
    value: int = 0
    field: ContactField | None = None  # FIELD: which


class TaskAction(IntEnum):
    DONE = 1
    SNOOZE_HOUR = 2
    SNOOZE_TOMORROW = 3
    SNOOZE_PICK = 4
    REASSIGN = 5


class TaskCb(CallbackData, prefix="t"):
    action: TaskAction
    task_id: int


class ReportCb(CallbackData, prefix="r"):
    months_back: int  # 0: this month, 1: last month, -1: a period the reader types


class LeadListCb(CallbackData, prefix="ll"):
    """A page of the lead list with its filters: whose, status (None: any), source (0 any), days (0 any)."""

    everyone: bool = False
    page: int = 0
    status: LeadStatus | None = None
    source: int = 0
    days: int = 0
    pick: str = ""  # "status" or "source": show that filter's choices instead of the list


class WsListCb(CallbackData, prefix="wl"):
    """The deal list with its filter: every press carries the whole filter (the search text stays in the dialog's
    data, ``q`` says to use it)."""

    mine: int = 1
    status: int = 0
    manager: int = 0
    client: int = 0
    q: int = 0
    page: int = 0
    pick: int = 0  # 1: choose a status to filter by, 2: a manager, 3: a source
    source: int = 0
    pipe: int = 0  # pick 1: the pipeline whose statuses are offered (1-based place in Pipeline; 0: which one?)


class WsAction(IntEnum):
    OPEN = 1
    RENAME = 2
    STATUS = 3
    SET_STATUS = 4
    KIND = 5
    SET_KIND = 6
    RESPONSIBLE = 7
    SET_RESPONSIBLE = 8
    CLIENT = 9
    SET_CLIENT = 10
    PAYMENTS = 11
    PAY_ADD = 12
    PAY_RECEIVE = 13
    PAY_MOVE = 14
    ORDERS = 15
    ORDER_ADD = 16
    CONTACTS = 17
    CONTACT_ADD = 18
    CONTACT_MAIN = 19
    CONTACT_REMOVE = 20
    FEED = 21
    COMMENT = 22
    REMIND = 23
    FORECAST = 24
    SOURCE = 25
    SET_SOURCE = 26
    MORE = 27  # the deal page's secondary actions (« ⋯ More »)


class WsCb(CallbackData, prefix="w"):
    action: WsAction
    deal_id: int = 0
    item: int = 0  # a status, payment, contact, person or client id; STATUS: the picker's page
    kind: DealKind | None = None  # SET_KIND: which


class StatusAction(IntEnum):
    PIPELINE = 1  # the statuses of a pipeline
    OPEN = 2
    UP = 3
    DOWN = 4
    FINAL = 5
    ARCHIVE = 6
    RENAME = 7
    COLOR = 8
    ADD = 9
    PAINT = 10  # a colour picked from the palette (``color``: its place in bot.views.deals.workspace.PALETTE)


class StatusCb(CallbackData, prefix="st"):
    """The admins' editor of the pipelines' statuses."""

    action: StatusAction
    pipeline: Pipeline = Pipeline.MARKET
    status_id: int = 0
    color: int = 0


class PrivacyAction(IntEnum):
    ACCEPT = 1  # the consent text
    DECLINE = 2
    EXPORT = 3  # «Мои данные»: the file
    ERASE = 4  # asks to confirm
    ERASE_CONFIRM = 5
    CONTACT = 6  # an admin: a contact card's data (a person known only by phone)
    CONTACT_EXPORT = 7
    CONTACT_ERASE = 8
    CONTACT_ERASE_CONFIRM = 9


class PrivacyCb(CallbackData, prefix="pd"):
    """Consent, export and erasure; ``subject_id`` is whose data: a person's user id (one's own, or anyone's for an
    admin), or for the CONTACT actions a contact card's id (admins only); re-checked by the service on every
    press. (Packed as before the CONTACT actions came, ``pd:<action>:<id>``: buttons already sent still work.)"""

    action: PrivacyAction
    subject_id: int = 0


class CampAction(IntEnum):
    LIST = 1
    NEW = 2
    OPEN = 3  # with ``page``: that page of its rows
    FILE = 4  # ask for the file
    ADD_ROWS = 5  # the previewed rows in
    SEARCH = 6  # ask for a name or INN
    PICK = 7  # ``item``: a counterparty
    TEMPLATES = 8
    SET_TEMPLATE = 9  # ``item``: a template
    EXECUTORS = 10
    SET_EXECUTOR = 11  # ``item``: a person
    TO_WORK = 12
    TO_DRAFT = 13
    POST = 14
    NEW_TEMPLATE = 15
    REMOVE_ROW = 16  # ``item``: a row with no deal yet
    REPORT = 17  # its deals per stage, the КП, the orders and payments
    REPORT_XLSX = 18


class CampCb(CallbackData, prefix="cp"):
    """The «Холодный обзвон» document (seed 001); every press reloads it and checks who may act."""

    action: CampAction
    campaign_id: int = 0
    item: int = 0
    page: int = 0


class SurveyAction(IntEnum):
    ASK = 1  # the next unanswered question
    ONE = 2  # ``option``: the one picked
    TOGGLE = 3  # ``option``: on or off among several
    MANY_DONE = 4
    YES = 5
    NO = 6
    STOP = 7  # leave it: the answers stay, it resumes where it stopped


class SurveyCb(CallbackData, prefix="sv"):
    action: SurveyAction
    deal_id: int
    question_id: int = 0
    option: int = 0


class ColdAction(IntEnum):
    PANEL = 1  # the deal's stage, its key, the counterparty, what to do
    FIELDS = 2
    EDIT = 3  # ``field``
    GROUPS = 4
    SET_GROUP = 5  # ``item``: a group
    CADENCES = 6
    SET_CADENCE = 7  # ``item``: a cadence
    EMAIL = 8  # the business card by e-mail
    FAX = 9
    BY_HAND = 10
    REROUTE = 11
    SET_EXECUTOR = 12  # ``item``: a person of the group
    EXPORT = 13  # the deal as an XLSX file
    SHIP_UNPAID = 14  # ``item``: 1 the counterparty's contract allows shipping before payment, 0 it does not
    DOC_BY_HAND = 15  # the КП or the invoice sent some other way


class ColdCb(CallbackData, prefix="cc"):
    action: ColdAction
    deal_id: int
    item: int = 0
    field: CounterpartyField | None = None


class QuoteAction(IntEnum):
    OPEN = 1  # the deal's КП: its newest version
    START = 2  # a draft (a new version)
    ADD_LINE = 3
    DEL_LINE = 4  # ``item``: a line
    SUBMIT = 5
    APPROVE = 6  # ``quote_id``
    RETURN = 7  # ``quote_id``: with a comment
    PDF = 8  # ``quote_id``: its document
    VERSIONS = 9
    ANSWERED = 10  # stage 9 → 10: the client answered
    ANSWER = 11  # ``answer``: stage 10's choice
    VALID_UNTIL = 12  # ``quote_id``: the draft's validity date, typed
    TERMS = 13  # ``quote_id``: the draft's terms, typed


class QuoteCb(CallbackData, prefix="kp"):
    """The commercial offer of a cold-call deal (seed 001, stages 6–10)."""

    action: QuoteAction
    deal_id: int
    quote_id: int = 0
    item: int = 0
    answer: Answer | None = None


class OrderAction(IntEnum):
    OPEN = 1
    PAY = 2  # a payment for this order, typed
    INVOICE = 3  # its invoice's document
    TASK_DONE = 4  # ``item``: a task of the order, the presser's own


class OrderCb(CallbackData, prefix="or"):
    action: OrderAction
    order_id: int
    item: int = 0


class DocAction(IntEnum):
    OPEN = 1  # the documents' templates, the seller's details and the approval rules
    DEFAULT = 2  # ``kind``: the built-in template as a file, to edit
    UPLOAD = 3  # ``kind``: an .html file replaces the template
    RESET = 4  # ``kind``: back to the built-in one
    SELLER = 5  # the seller's name and details, typed
    RULE_ADD = 6  # «сумма; @username»
    RULE_DEL = 7  # ``item``: a rule


class DocCb(CallbackData, prefix="dc"):
    """The admins' documents and approval rules (seed 001, stages 7, 8 and 13)."""

    action: DocAction
    kind: DocKind | None = None
    item: int = 0


class GroupAction(IntEnum):
    OPEN = 1
    HEADS = 2
    SET_HEAD = 3  # ``user_id``
    TOGGLE = 4  # ``user_id``: a member in or out
    DUTY = 5  # ``duty``: the group takes (or gives up) a duty for orders


class GroupCb(CallbackData, prefix="ag"):
    """An access group's head and members (admins)."""

    action: GroupAction
    group_id: int
    user_id: int = 0
    duty: Duty | None = None


class PeopleAction(IntEnum):
    """The organisation's screens (issue 27): roles held besides the first, an invite's team, a team's parent."""

    EXTRA_ROLE = 1  # ``target`` the person, ``value`` the role's code: grant it, or take it back
    INVITE_TEAM = 2  # ``target`` the role's code, ``value`` the team (0: none)
    PARENTS = 3  # ``target`` the team: the teams to nest it under
    SET_PARENT = 4  # ``target`` the team, ``value`` its parent (0: a top team)


class PeopleCb(CallbackData, prefix="pp"):
    action: PeopleAction
    target: int = 0
    value: int = 0


class CalcAction(IntEnum):
    METHOD = 1  # annuity ⇄ decreasing
    TIMING = 2  # in arrears ⇄ in advance
    CSV = 3  # the whole schedule as a file
    AGAIN = 4  # type other terms
    ASK = 5  # a client asks the lessor for an offer on these terms


class CalcCb(CallbackData, prefix="lc"):
    """The leasing calculator's buttons: the terms themselves stay in the dialog's state, not in the button."""

    action: CalcAction
    serial: int  # which calculation: the id of the message that typed its terms; an older screen's buttons are stale


class LeaseAction(IntEnum):
    OPEN = 1
    KIND = 2  # a new client's kind (arg: the ClientKind's place)
    RECALC = 3
    SEND = 4  # the newest version to the client
    LINK = 5  # the client in the bot
    SECURITY = 6  # arg 0: the kinds; else the Security's place
    G2I = 7
    SUBMIT = 8
    ACCEPT = 9  # arg: the offer's id
    CONSENT = 10  # arg: the Consent's place
    CSV = 11
    MOVE = 12  # arg: the target's place in MOVES (the analyst's moves and the cancellation), asked with a text
    CONDITION = 13  # arg: the condition's id, met
    SIGNING = 14
    PDF = 15  # the offer as a PDF
    FILE_SEND = 16  # arg: the kind's place in the case's file kinds, asked for
    FILE_SHOW = 17  # arg: the file's id
    FILE_OK = 18  # arg: the file's id
    FILE_REJECT = 19  # arg: the file's id, the reason asked
    CONTRACT = 20
    VERIFY = 21
    CHECK = 22
    PAY = 23
    SCORING = 24  # the admins' scoring table
    SCORING_EDIT = 25
    VERIFY_PAYMENT = 26  # the verification payment, typed from the statement
    ACCEPT_TERMS = 27  # the client accepts the contract's terms
    VENDOR = 28  # the object's vendor, typed
    WRITE = 29  # a message to the other side (the client ⇄ the salesperson)
    DATA = 30  # the card's screen of the application's data (the client in the bot, security, registry, vendor)
    CONSENTS = 31  # the card's screen of the consents still to give
    FILES = 32  # the card's screen of the documents: to send, to check, the offer's PDF and schedule
    OFFER = 33  # one version of the offer, opened (arg: its version); PDF and CSV take a version in ``arg`` too
    FOR_CLIENT = 34  # a new client and case for a client who asked in the bot (arg: their Telegram id, to link)


class LeaseCb(CallbackData, prefix="ls"):
    action: LeaseAction
    deal_id: int = 0
    arg: int = 0


#: LeaseCb(action=OPEN)'s ``arg``: the card as a new message (under a notice or a relayed message, kept as it is)
NEW_MESSAGE = 1


class LeaseEndAction(IntEnum):
    """The contract's end and the steps around the case's people (docs/leasing-end.md)."""

    G2I_RETRY = 1  # the white list asked again after it failed
    ON_BEHALF = 2  # the salesperson records the client's acceptance (arg: the offer's id), the signed file asked
    IDENTITY_OK = 3  # a person confirms an identity check the automaton could not decide (arg: the check's id)
    IDENTITY_NO = 4  # … or refuses it
    TERMINATE = 5  # early termination: the day and the fee asked
    TERMINATE_CONFIRM = 6  # the settlement shown, confirmed
    RETURN = 7  # the object returned: its protocol asked
    DOCS = 8  # the contract's end documents (the protocol, the settlement) sent again
    ACCEPTED_FILE = 9  # the signed acceptance's file (arg: the offer's id)


class LeaseEndCb(CallbackData, prefix="le"):
    action: LeaseEndAction
    deal_id: int = 0
    arg: int = 0


class BooksAction(IntEnum):
    OPEN = 1  # a running contract's account
    SCHEDULE = 2
    INVOICES = 3
    PDF = 4  # arg: the invoice's id
    PAYMENTS = 5
    VENDOR = 6  # the payment to the vendor, typed
    REGISTRATION = 7
    INSURANCE = 8
    HANDOVER = 9
    PAYMENT = 10  # a payment by hand, typed
    CHARGE = 11  # another charge, typed
    CREDIT = 12  # a credit note, typed
    SUSPEND = 13  # the reason typed
    RESUME = 14
    MENU = 15  # the books' menu (deal 0)
    STATEMENT = 16  # a statement file asked for
    UNMATCHED = 17
    TABLE = 18  # arg 1: the dunning levels, 2: the rates — shown, then a new one typed
    LETTER = 19  # arg: the dunning's id
    SETTLEMENT = 20  # the closing statement (PDF)
    LATE_RATE = 21  # the contract's late-interest rate, typed
    ASSIGN = 40  # a statement line kept aside (arg: its id) assigned to a contract, its number typed


class BooksCb(CallbackData, prefix="lb"):
    action: BooksAction
    deal_id: int = 0
    arg: int = 0


def callback_kinds() -> dict[str, type[CallbackData]]:
    """Every callback data class of the bot by its prefix: anything else a client sends is forged."""
    return {kind.__prefix__: kind for kind in CallbackData.__subclasses__()
            if kind.__module__ == __name__}


class ExchangeAction(IntEnum):
    MENU = 1  # what can be exchanged with 1C
    BANK = 2  # ask for the bank's statement (1C's client-bank file)
    CML_IN = 3  # ask for 1C's CommerceML file of counterparties
    CML_OUT = 4  # the counterparties and orders as a CommerceML file


class ExchangeCb(CallbackData, prefix="x1"):
    """The exchange with 1C (issue 28): a head's or an admin's; every press checks who may."""

    action: ExchangeAction
