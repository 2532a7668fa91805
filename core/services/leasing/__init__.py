"""A Polish lessor's leasing (seed 002): origination, the contract's launch, its books."""


async def on_ended(uow, event) -> None:
    """The reaction to core.domain.kernel.events.LeaseEnded (core.services.kernel.reactions): the end's document made
    and sent (core.services.leasing.ending). Imported when it runs, so the package stays light to import."""
    from core.services.leasing.ending import on_ended as react

    await react(uow, event)
