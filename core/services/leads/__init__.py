"""A law firm's leads (seed 004): contact cards' leads, their statuses, the import, the funnel report. What other areas
may use of it is published here."""

from core.services.leads.lifecycle import distribution as distribution
from core.services.leads.lifecycle import set_source_responsible as set_source_responsible
from core.services.leads.lifecycle import switches as switches
from core.services.leads.lifecycle import toggle_rule as toggle_rule
