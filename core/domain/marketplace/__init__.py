"""The leasing marketplace (seed 000): applications, offers, the deal room. What other areas may use of its rules is
published here."""

from core.domain.marketplace.applications import DEAL_STATUSES as DEAL_STATUSES
from core.domain.marketplace.applications import AppStatus as AppStatus
from core.domain.marketplace.offers import OfferStatus as OfferStatus
