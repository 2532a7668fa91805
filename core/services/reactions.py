"""The reactions, declared in one table: which areas react to each domain event (core.domain.kernel.events), in order.

The table stands above the areas (it names their handlers); the composition root hands it to every unit of work
(``UnitOfWork(..., reactions=REACTIONS)``), and a use case raises an event where it happens with
``core.services.kernel.reactions.publish``, which reads the table off its unit: so the stage engine, which raises
events, never imports the areas that react to them. Add a reaction here, never by calling another area from the
place the thing happens."""

from __future__ import annotations

from core.domain.kernel.events import DealClosed, LeaseEnded, ManagerReady, StageEntered, TaskDone
from core.services import campaigns, deals, leasing, marketplace
from core.services.kernel import task_closing
from core.services.kernel.reactions import Reactions

REACTIONS: Reactions = {
    TaskDone: (
        deals.on_task_done,  # the deal's feed: «✓ <task>»
        campaigns.on_interaction_task_done,  # the card, a call, the КП or invoice sent by hand: done
        campaigns.on_order_task_done,  # an order's task: shipping (only when paid or allowed), stage 12's key
    ),
    StageEntered: (
        task_closing.on_stage_entered,  # the tasks made for the stage left close (done or cancelled)
    ),
    DealClosed: (
        task_closing.on_deal_closed,  # every open task of the deal closes
    ),
    ManagerReady: (
        marketplace.on_manager_ready,  # the open applications that match them and they never got: sent now
    ),
    LeaseEnded: (
        leasing.on_ended,  # its document made (the ownership transfer protocol when bought out, the termination's
        # settlement, the return protocol) and sent to the client and the salesperson, without a person
    ),
}
