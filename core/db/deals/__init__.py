"""The deal workspace (seed 003): pipelines and statuses, the list and the board, a deal's money. Its repositories,
which the unit of work holds, are published here."""

from core.db.deals.workspace import ClientRepo as ClientRepo
from core.db.deals.workspace import DealListQueries as DealListQueries
from core.db.deals.workspace import DealRepo as DealRepo
from core.db.deals.workspace import FeedRepo as FeedRepo
from core.db.deals.workspace import OrderRepo as OrderRepo
from core.db.deals.workspace import PaymentRepo as PaymentRepo
from core.db.deals.workspace import StatusRepo as StatusRepo
