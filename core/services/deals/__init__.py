"""The deal workspace (seed 003): pipelines and statuses, the list and the board, a deal's money. What other areas may
use of it is published here."""

from core.services.deals.workspace import on_task_done as on_task_done
from core.services.deals.workspace import open_deal as open_deal
