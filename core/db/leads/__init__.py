"""A law firm's leads (seed 004): contact cards' leads, their statuses, the import, the funnel report. Its repositories,
which the unit of work holds, are published here."""

from core.db.leads.lifecycle import ContactRepo as ContactRepo
from core.db.leads.lifecycle import LeadRepo as LeadRepo
from core.db.leads.lifecycle import ReportRepo as ReportRepo
