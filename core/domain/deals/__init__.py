"""The deal workspace (seed 003): pipelines and statuses, the list and the board, a deal's money. What other areas may
use of its rules is published here."""

from core.domain.deals.workspace import DealKind as DealKind
from core.domain.deals.workspace import FeedKind as FeedKind
from core.domain.deals.workspace import OrderStatus as OrderStatus
from core.domain.deals.workspace import Pipeline as Pipeline
from core.domain.deals.workspace import Viewer as Viewer
from core.domain.deals.workspace import pipelines_run as pipelines_run
from core.domain.deals.workspace import viewer_for as viewer_for
