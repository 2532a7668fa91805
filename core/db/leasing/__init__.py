"""A Polish lessor's leasing (seed 002): origination, the contract's launch, its books. Its repositories, which the unit
of work holds, are published here."""

from core.db.leasing.books import LeaseBooksRepo as LeaseBooksRepo
from core.db.leasing.case import LeaseRepo as LeaseRepo
from core.db.leasing.ksef import KsefRepo as KsefRepo
