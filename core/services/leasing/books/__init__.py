"""A Polish lessor's running contract's books (seed 002, «Rozliczanie»; its launch is core.services.leasing.launch):
instalments charged with their fakturas (ahead of their dates: core.domain.leasing.books.invoice_day), payments by
hand or from a bank statement allocated by core.domain.leasing.books, other charges and credit notes, dunning, late
interest, suspension and resumption, the final settlement. One module per part; this package publishes them together."""

from core.services.leasing.books import ksef as ksef
from core.services.leasing.books.account import account as account
from core.services.leasing.books.accruals import RunResult as RunResult
from core.services.leasing.books.accruals import accrue as accrue
from core.services.leasing.books.accruals import dun as dun
from core.services.leasing.books.accruals import remind_insurance as remind_insurance
from core.services.leasing.books.accruals import run_day as run_day
from core.services.leasing.books.accruals import settle_commissions as settle_commissions
from core.services.leasing.books.closing import resume as resume
from core.services.leasing.books.closing import suspend as suspend
from core.services.leasing.books.documents import SETTLEMENT_NAMES as SETTLEMENT_NAMES
from core.services.leasing.books.documents import InvoiceDoc as InvoiceDoc
from core.services.leasing.books.documents import invoice_document as invoice_document
from core.services.leasing.books.documents import letter_document as letter_document
from core.services.leasing.books.documents import settlement_document as settlement_document
from core.services.leasing.books.interest import LEVELS as LEVELS
from core.services.leasing.books.interest import RATES as RATES
from core.services.leasing.books.interest import levels as levels
from core.services.leasing.books.interest import post_interest as post_interest
from core.services.leasing.books.interest import rates as rates
from core.services.leasing.books.interest import set_table as set_table
from core.services.leasing.books.interest import table_text as table_text
from core.services.leasing.books.ledger import ZERO as ZERO
from core.services.leasing.books.ledger import Account as Account
from core.services.leasing.books.ledger import accepted_offer as accepted_offer
from core.services.leasing.books.ledger import allocate as allocate
from core.services.leasing.books.ledger import bookkeeper as bookkeeper
from core.services.leasing.books.ledger import charge_once as charge_once
from core.services.leasing.books.ledger import correction_series as correction_series
from core.services.leasing.books.ledger import invoice_new as invoice_new
from core.services.leasing.books.ledger import invoice_number as invoice_number
from core.services.leasing.books.ledger import invoice_series as invoice_series
from core.services.leasing.books.ledger import money_text as money_text
from core.services.leasing.books.ledger import today as today
from core.services.leasing.books.payments import RECEIVES as RECEIVES
from core.services.leasing.books.payments import Booked as Booked
from core.services.leasing.books.payments import Entry as Entry
from core.services.leasing.books.payments import add_charge as add_charge
from core.services.leasing.books.payments import credit_note as credit_note
from core.services.leasing.books.payments import register_payment as register_payment
from core.services.leasing.books.statements import Imported as Imported
from core.services.leasing.books.statements import assign_line as assign_line
from core.services.leasing.books.statements import import_statement as import_statement
from core.services.leasing.books.statements import unmatched as unmatched
