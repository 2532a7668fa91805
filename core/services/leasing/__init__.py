"""A Polish lessor's leasing (seed 002): origination, the contract's launch, its books."""
