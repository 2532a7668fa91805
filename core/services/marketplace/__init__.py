"""The leasing marketplace (seed 000): applications, offers, the deal room. What other areas may use of it is published
here."""

from core.services.marketplace.applications import on_manager_ready as on_manager_ready
from core.services.marketplace.deal_room import apply_status as apply_status
