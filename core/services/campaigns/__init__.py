"""Cold calls and the КП to cash (seed 001): campaigns, the stage engine, the survey, the КП, orders. What other areas
may use of it is published here."""

from core.services.campaigns.counterparties import add_cadence as add_cadence
from core.services.campaigns.counterparties import group_view as group_view
from core.services.campaigns.counterparties import set_head as set_head
from core.services.campaigns.counterparties import toggle_duty as toggle_duty
from core.services.campaigns.counterparties import toggle_member as toggle_member
from core.services.campaigns.interactions import on_task_done as on_interaction_task_done  # noqa: F401  (the reactions table)
from core.services.campaigns.order_to_cash import on_task_done as on_order_task_done  # noqa: F401  (the reactions table)
from core.services.campaigns.stages import move_in as move_in
from core.services.campaigns.stages import process_of as process_of
from core.services.campaigns.stages import start as start
