"""A law firm's leads (seed 004): contact cards' leads, their statuses, the import, the funnel report. What other areas
may use of its rules is published here."""

from core.domain.leads.lifecycle import LawDealStatus as LawDealStatus
from core.domain.leads.lifecycle import SalesDealStatus as SalesDealStatus
