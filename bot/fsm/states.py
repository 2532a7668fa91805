from aiogram.fsm.state import State, StatesGroup


class AppForm(StatesGroup):
    category = State()
    description = State()
    amount = State()
    term = State()
    region = State()
    client_name = State()
    client_phone = State()
    files = State()
    summary = State()


class OfferForm(StatesGroup):
    monthly_payment = State()
    term = State()
    advance = State()
    buyout = State()
    comment = State()
    file = State()
    summary = State()


class Reason(StatesGroup):
    """A text an action needs: a rejection reason, a question, a rework comment."""

    text = State()


class DealRoom(StatesGroup):
    chatting = State()


class AdminInput(StatesGroup):
    directory_name = State()
    user_lookup = State()
    supervisor_lookup = State()


class ProfileInput(StatesGroup):
    amount = State()
    term = State()
    timezone = State()


class LeadForm(StatesGroup):
    phone = State()
    name = State()
    source = State()
    debt = State()
    city = State()
    comment = State()


class SourceForm(StatesGroup):
    """A person who came by a source link leaves a request."""

    name = State()
    phone = State()


class MeetingInput(StatesGroup):
    when = State()


class TaskInput(StatesGroup):
    snooze_until = State()
    reassign_to = State()


class ReportInput(StatesGroup):
    period = State()


class ImportInput(StatesGroup):
    file = State()
    confirm = State()


class WsInput(StatesGroup):
    """What the deal page asks for in words."""

    name = State()
    payment = State()
    pay_date = State()
    order = State()
    contact = State()
    comment = State()
    remind = State()
    search = State()
    client = State()
    move_comment = State()
    status_text = State()  # an admin names or colours a pipeline's status


class CardEdit(StatesGroup):
    """A field of a lead or of a contact card typed anew."""

    lead = State()
    contact = State()


#: dialogs that a command or another button must not silently break
class CampaignInput(StatesGroup):
    title = State()
    file = State()
    confirm = State()
    search = State()
    template_name = State()
    template_text = State()


class ColdInput(StatesGroup):
    field = State()  # a counterparty's requisite, typed
    answer = State()  # the survey's typed answer (text, number, date)
    many = State()  # the survey's «several of» being picked


class QuoteInput(StatesGroup):
    line = State()  # a КП's line, typed: «Товар; кол-во; ед.; цена без НДС; скидка %; НДС %»
    comment = State()  # an approver's reason to return it
    amount = State()  # a payment for an order
    valid_until = State()  # a draft's validity date
    terms = State()  # a draft's terms


class DocInput(StatesGroup):
    template = State()  # an admin's .html template of a document
    seller = State()  # the seller's name and requisites
    rule = State()  # an approval rule: «сумма; ID согласующего»


class LeaseInput(StatesGroup):
    terms = State()  # a calculation, typed: «cena; opłata wstępna; miesiące; oprocentowanie; wykup[; opłata]»


class CalcShown(StatesGroup):
    """A calculation was shown: new terms typed now are the next calculation (not a form: commands and the menu
    work as without a dialog, and another dialog may start)."""

    more = State()


class LeaseForm(StatesGroup):
    """A lessor's case (seed 002), each step one typed line."""

    client = State()  # a new client's line (its kind in the data)
    subject = State()  # what is leased
    terms = State()  # the first offer's terms
    recalc = State()  # a new version's terms
    link = State()  # the client in the bot: Telegram id or @username
    surety = State()  # a guarantor's PESEL or NIP
    deposit = State()  # a deposit's amount
    reason = State()  # the words of a move (its target in the data): why, the motion, the decision
    file = State()  # a document of the case (its kind in the data)
    reject = State()  # why the back office rejects a file (its id in the data)
    scoring = State()  # an admin's new scoring table
    verification = State()  # the verification payment: «the payer's account; the amount»
    vendor = State()  # the object's vendor: «Nazwa; NIP»
    message = State()  # one message to the other side of the case


class LeaseEndForm(StatesGroup):
    """The contract's end and the steps around a client outside Telegram (docs/leasing-end.md)."""

    on_behalf = State()  # the client's signed acceptance, a file (the offer's id in the data)
    terminate = State()  # «dzień; opłata», then the settlement confirmed (the text in the data)
    give_back = State()  # «dzień; stan przedmiotu»


class BooksForm(StatesGroup):
    """A running contract's books (seed 002): each step one typed line or a file; the contract in the data."""

    vendor = State()  # «kwota[; referencja]»
    registration = State()
    insurance = State()  # «ubezpieczyciel; nr polisy; od; do»
    handover = State()  # the day, or «dziś»
    payment = State()  # «kwota [data] [waluta]»
    charge = State()  # «kwota netto; opis»
    credit = State()  # «kwota brutto; powód»
    suspend = State()  # the reason
    statement = State()  # the file
    table = State()  # an admin's new table (its kind in the data)
    late_rate = State()  # the contract's late-interest rate, or «ustawowe»
    assign = State()  # the contract a statement line kept aside pays: «55-1» (the line in the data)


FORMS = (AppForm, OfferForm, Reason, AdminInput, ProfileInput, LeadForm, SourceForm, MeetingInput,
         ImportInput, TaskInput, ReportInput, WsInput, CardEdit, CampaignInput, ColdInput, QuoteInput, DocInput,
         LeaseInput, LeaseForm, BooksForm)
FORMS = (*FORMS, LeaseEndForm)


class ExchangeInput(StatesGroup):
    """The exchange with 1C: a file, then its preview confirmed."""

    bank_file = State()
    bank_confirm = State()
    cml_file = State()
    cml_confirm = State()


FORMS = (*FORMS, ExchangeInput)


class LeadAnswerInput(StatesGroup):
    """Someone of the firm answers a lead's client (the answer is copied to them)."""

    text = State()


FORMS = (*FORMS, LeadAnswerInput)
