"""Cold calls and the КП to cash (seed 001): campaigns, the stage engine, the survey, the КП, orders. What other areas
may use of its rules is published here."""

from core.domain.campaigns.counterparties import parse_cadence as parse_cadence
from core.domain.campaigns.orders import DocKind as DocKind
from core.domain.campaigns.orders import Duty as Duty
from core.domain.campaigns.quotes import Line as Line
from core.domain.campaigns.quotes import lines_of as lines_of
from core.domain.campaigns.quotes import totals as totals
from core.domain.campaigns.stages import COLD_CALL as COLD_CALL
from core.domain.campaigns.stages import PAID_STAGE as PAID_STAGE
from core.domain.campaigns.stages import SELLING_TASKS as SELLING_TASKS
from core.domain.campaigns.stages import TASK_STAGE as TASK_STAGE
