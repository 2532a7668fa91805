"""A Polish lessor's leasing (seed 002): origination, the contract's launch, its books. What other areas may use of its
rules is published here."""

from core.domain.leasing.case import SEED as SEED
from core.domain.leasing.case import SEED_FINAL as SEED_FINAL
from core.domain.leasing.case import LeaseStatus as LeaseStatus
