"""Cold calls and the КП to cash (seed 001): campaigns, the stage engine, the survey, the КП, orders. Its repositories,
which the unit of work holds, are published here."""

from core.db.campaigns.cold_call import AccessGroupRepo as AccessGroupRepo
from core.db.campaigns.cold_call import CampaignRepo as CampaignRepo
from core.db.campaigns.cold_call import CounterpartyRepo as CounterpartyRepo
from core.db.campaigns.cold_call import InteractionRepo as InteractionRepo
from core.db.campaigns.cold_call import MemberRepo as MemberRepo
from core.db.campaigns.cold_call import SurveyRepo as SurveyRepo
from core.db.campaigns.exchange import ExchangeRepo as ExchangeRepo
from core.db.campaigns.quotes import QuoteRepo as QuoteRepo
from core.db.campaigns.stages import StageRepo as StageRepo
