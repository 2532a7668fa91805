"""A lead's debt typed on its card is read as its writer writes amounts: «12,500» is twelve thousand five hundred
to an English reader; a comma that may be a decimal one is refused and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.domain.kernel.errors import InvalidInput
from core.domain.leads.lifecycle import LeadField
from core.services.kernel import directories
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.factories import person


async def test_the_debt_follows_the_writers_language(uow, cfg):
    admin = await person(uow, cfg, 1000, "Admin")
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Site")
    lead = await leads.create(uow(), admin.id, LeadInput("+79001110001", "Peter", source.id), cfg)
    edited = await leads.edit(uow(), admin.id, lead.id, LeadField.DEBT, "12,500.50", cfg, locale="en")
    assert edited.debt_amount == Decimal("12500.50")
    with pytest.raises(InvalidInput) as refused:
        await leads.edit(uow(), admin.id, lead.id, LeadField.DEBT, "12,5", cfg, locale="en")
    assert refused.value.key == "amount_ambiguous"
    assert (await leads.view(uow(), admin.id, lead.id)).lead.debt_amount == Decimal("12500.50")
    edited = await leads.edit(uow(), admin.id, lead.id, LeadField.DEBT, "12 500,50", cfg, locale="ru")
    assert edited.debt_amount == Decimal("12500.50")
