"""Counterparties are unique by INN and KPP: a company's branches share its INN, each with its own KPP. The
database refuses a second counterparty with the same pair; the card's screen and the campaign's file ask for the
KPP where the INN alone cannot tell which branch is meant."""

from __future__ import annotations

import pytest

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow
from core.domain.campaigns.counterparties import CounterpartyField
from core.domain.kernel.errors import InvalidInput
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import counterparties
from tests.services.campaigns.test_campaigns import cold_world, posted

INN = "7707083893"  # ПАО Сбербанк's: a valid 10-digit INN


async def test_the_database_allows_branches_and_refuses_a_second_counterparty_with_the_same_inn_and_kpp(factory):
    async with factory() as s:
        s.add_all([m.Client(name="Головная", inn=INN, kpp="773601001"),
                   m.Client(name="Филиал Тверь", inn=INN, kpp="695243001"), m.Client(name="Без КПП", inn=INN)])
        await s.commit()
    for kpp in ("773601001", None):  # the same pair again: the same KPP, or a second one with no KPP
        async with factory() as s:
            s.add(m.Client(name="Ещё одна", inn=INN, kpp=kpp))
            with pytest.raises(DuplicateRow):
                await s.commit()


async def test_the_card_asks_for_the_branchs_kpp_before_its_companys_inn(uow, factory, cfg):
    w = await cold_world(uow, cfg)
    _, deals = await posted(uow, cfg, w)
    romashka, lutik = deals[0], deals[1]  # ООО Ромашка has INN 7707083893 and no KPP; ООО Лютик no INN
    with pytest.raises(InvalidInput) as refused:
        await counterparties.edit(uow(), w["a1"].id, lutik.id, CounterpartyField.INN, INN, cfg)
    assert (refused.value.key, refused.value.params) == ("kpp_needed", {"inn": INN, "name": "ООО Ромашка"})
    await counterparties.edit(uow(), w["a1"].id, romashka.id, CounterpartyField.KPP, "773601001", cfg)
    with pytest.raises(InvalidInput) as refused:  # the branch's KPP is the head office's: still the same one
        await counterparties.edit(uow(), w["a1"].id, lutik.id, CounterpartyField.KPP, "773601001", cfg)
        await counterparties.edit(uow(), w["a1"].id, lutik.id, CounterpartyField.INN, INN, cfg)
    assert refused.value.key == "inn_kpp_taken"
    await counterparties.edit(uow(), w["a1"].id, lutik.id, CounterpartyField.KPP, "695243001", cfg)
    branch = await counterparties.edit(uow(), w["a1"].id, lutik.id, CounterpartyField.INN, INN, cfg)
    assert (branch.inn, branch.kpp) == (INN, "695243001") and not counterparties.needs_kpp(branch)
    with pytest.raises(InvalidInput) as refused:
        await counterparties.edit(uow(), w["a1"].id, lutik.id, CounterpartyField.KPP, "773601001", cfg)
    assert refused.value.params == {"inn": INN, "kpp": "773601001", "name": "ООО Ромашка"}


async def test_a_campaign_file_matches_branches_by_kpp_and_asks_for_it_when_the_inn_has_several(uow, cfg):
    w = await cold_world(uow, cfg)
    c = await campaigns.create(uow(), w["a2"].id, "Филиалы")
    first = (f"Организация;ИНН;КПП;Телефон\nГоловная;{INN};773601001;+7 900 000-00-01\n"
             f"Филиал Тверь;{INN};695243001;+7 900 000-00-02\n")
    pv = await campaigns.preview(uow(), w["a2"].id, c.id, first.encode("cp1251"), "f.csv", cfg)
    assert [(r["inn"], r["kpp"]) for r in pv.add] == [(INN, "773601001"), (INN, "695243001")]  # not repeats
    assert await campaigns.add_rows(uow(), w["a2"].id, c.id, pv.add) == 2
    other = await campaigns.create(uow(), w["a2"].id, "Ещё раз")
    again = (f"Организация;ИНН;КПП;Телефон\nФилиал;{INN};695243001;+7 900 000-00-09\n"
             f"Кто-то;{INN};;+7 900 000-00-08\nКПП;{INN};12;+7 900 000-00-07\n")
    pv = await campaigns.preview(uow(), w["a2"].id, other.id, again.encode("cp1251"), "f.csv", cfg)
    assert pv.known == [(2, "Филиал Тверь")]
    assert pv.bad == [(3, "kpp_needed", {"inn": INN, "name": "Филиал Тверь"}), (4, "bad_kpp", {"value": "12"})]
