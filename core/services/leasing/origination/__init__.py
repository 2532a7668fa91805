"""A Polish lessor's case (seed 002) before its contract runs: «Kalkulacje» (a calculation as a person types it),
«Rejestracja Klienta» (a client with its identifiers checked), «Oferta» (a case opened with its offer's first
version, recalculated into new versions, sent to the client, accepted), «Wniosek» (the consents, the securities,
G2I's fetch from the VAT white list) and its filing, which runs the scoring automaton, then signing and verification
up to «Przekazanie do płatności». Every move goes through core.services.leasing.case.move. One module per part; this
package publishes them together (with the client kinds its calls take)."""

from core.domain.leasing.case import ClientKind as ClientKind
from core.services.leasing.case import load as load
from core.services.leasing.case import move as move
from core.services.leasing.origination.application import cancel as cancel
from core.services.leasing.origination.application import fetch_registry as fetch_registry
from core.services.leasing.origination.application import give_consent as give_consent
from core.services.leasing.origination.application import meet_condition as meet_condition
from core.services.leasing.origination.application import risk_move as risk_move
from core.services.leasing.origination.application import scoring_table as scoring_table
from core.services.leasing.origination.application import scoring_text as scoring_text
from core.services.leasing.origination.application import set_scoring as set_scoring
from core.services.leasing.origination.application import set_security as set_security
from core.services.leasing.origination.application import submit as submit
from core.services.leasing.origination.application import to_signing as to_signing
from core.services.leasing.origination.clients import CHECKS as CHECKS
from core.services.leasing.origination.clients import CLIENT_FIELDS as CLIENT_FIELDS
from core.services.leasing.origination.clients import case_link as case_link
from core.services.leasing.origination.clients import check_new_client as check_new_client
from core.services.leasing.origination.clients import join_by_link as join_by_link
from core.services.leasing.origination.clients import link_client as link_client
from core.services.leasing.origination.clients import parse_client as parse_client
from core.services.leasing.origination.clients import register_client as register_client
from core.services.leasing.origination.clients import set_vendor as set_vendor
from core.services.leasing.origination.desk import Case as Case
from core.services.leasing.origination.desk import client_write as client_write
from core.services.leasing.origination.desk import mine as mine
from core.services.leasing.origination.desk import view as view
from core.services.leasing.origination.desk import write as write
from core.services.leasing.origination.offers import OFFER_VALID_DAYS as OFFER_VALID_DAYS
from core.services.leasing.origination.offers import SUBJECT_MAX as SUBJECT_MAX
from core.services.leasing.origination.offers import accept_offer as accept_offer
from core.services.leasing.origination.offers import accept_on_behalf as accept_on_behalf
from core.services.leasing.origination.offers import ask_offer as ask_offer
from core.services.leasing.origination.offers import calculate as calculate
from core.services.leasing.origination.offers import check_subject as check_subject
from core.services.leasing.origination.offers import may_ask_offer as may_ask_offer
from core.services.leasing.origination.offers import open_case as open_case
from core.services.leasing.origination.offers import open_new_case as open_new_case
from core.services.leasing.origination.offers import recalculate as recalculate
from core.services.leasing.origination.offers import result_of as result_of
from core.services.leasing.origination.offers import send_offer as send_offer
from core.services.leasing.origination.verification import accept_terms as accept_terms
from core.services.leasing.origination.verification import check_set as check_set
from core.services.leasing.origination.verification import contract_document as contract_document
from core.services.leasing.origination.verification import decide_identity as decide_identity
from core.services.leasing.origination.verification import offer_document as offer_document
from core.services.leasing.origination.verification import review_file as review_file
from core.services.leasing.origination.verification import send_file as send_file
from core.services.leasing.origination.verification import to_payment as to_payment
from core.services.leasing.origination.verification import to_verification as to_verification
from core.services.leasing.origination.verification import verification_payment as verification_payment
