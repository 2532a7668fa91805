"""The deal workspace's pure rules: moves, fixed final statuses, the budget, the forecast."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest

from bot.i18n import Translator
from core.domain.deals import workspace as rules
from core.domain.deals.workspace import Pipeline, PlannedPayment, StatusInfo


def status(id_, final=False, archived=False, pipeline="law"):
    return StatusInfo(id_, pipeline, None, f"S{id_}", final, archived)


def test_moves():
    rules.check_move(status(1), status(2))
    with pytest.raises(rules.StatusFinal):
        rules.check_move(status(1, final=True), status(2))
    with pytest.raises(rules.StatusArchived):
        rules.check_move(status(1), status(2, archived=True))
    with pytest.raises(rules.MoveNotAllowed):
        rules.check_move(status(1), status(1))
    with pytest.raises(rules.InvalidInput):
        rules.check_move(status(1), status(2, pipeline="market"))


def test_seed_final_statuses_stay_final():
    with pytest.raises(rules.StatusFixed):
        rules.check_status_edit(Pipeline.MARKET, "issued", final=False, archived=False)
    with pytest.raises(rules.StatusFixed):
        rules.check_status_edit(Pipeline.LAW, "decision", final=True, archived=True)
    rules.check_status_edit(Pipeline.LAW, "court_1", final=True, archived=True)


def test_budget_is_what_is_still_to_come():
    assert rules.budget([(Decimal("10.10"), False), (Decimal("5"), True), (Decimal("0.05"), False)]) == \
        Decimal("10.15")


def test_forecast_windows_per_manager_and_total():
    today = date(2026, 11, 23)
    figures = rules.forecast([PlannedPayment(1, Decimal("100"), date(2026, 11, 22)),
                              PlannedPayment(1, Decimal("10"), date(2026, 12, 23)),  # day 30
                              PlannedPayment(2, Decimal("1"), date(2027, 2, 20))], today)  # day 89
    assert figures[1] == {"overdue": Decimal("100"), "30": Decimal("10"), "60": Decimal("10"), "90": Decimal("10")}
    assert figures[None] == {"overdue": Decimal("100"), "30": Decimal("10"), "60": Decimal("10"),
                             "90": Decimal("11")}


def test_the_migrations_seed_the_domains_statuses():
    cold = importlib.import_module("migrations.versions.0013_deal_stages").SEED
    added = list(importlib.import_module("migrations.versions.0016_order_to_cash").NEW)  # stages 6–14, before «closed»
    leasing = importlib.import_module("migrations.versions.0017_lease_cases").LEASING
    running = importlib.import_module("migrations.versions.0018_lease_books").RUNNING  # after «to_payment», renamed
    ended = importlib.import_module("migrations.versions.0026_lease_end").ENDED  # after «closed»
    launch = [(code, "Uruchomienie" if code == "to_payment" else name, colour, final)
              for code, name, colour, final in leasing[:11]]
    seed = importlib.import_module("migrations.versions.0008_deal_workspace").SEED | {
        "cold_call": [*cold[:-1], *added, cold[-1]],
        "leasing": [*launch, *running, *ended, *leasing[11:]],
        "sales": importlib.import_module("migrations.versions.0036_sales_pipeline").SALES}
    names = {"market": "status.", "law": "law_status.", "cold_call": "stage.cold_call.", "leasing": "lease_status.",
             "sales": "sales_status."}
    seeds_language = {"leasing": Translator("pl")}  # the Polish lessor's statuses; the rest are the Russian seeds'
    assert {p.value: [(s.code, seeds_language.get(p.value, Translator("ru"))(names[p.value] + s.code), s.color, s.final)
                      for s in rows] for p, rows in rules.SEED_STATUSES.items()} == seed


@pytest.mark.parametrize(("orders", "lead", "budget", "expected"), [
    ([(Decimal("190022"), "new"), (Decimal("10"), "cancelled")], Decimal("500000"), Decimal("0"), Decimal("190022")),
    ([(Decimal("10"), "cancelled")], Decimal("500000"), Decimal("7000"), Decimal("500000")),
    ([], None, Decimal("7000"), Decimal("7000")),
    ([], None, Decimal("0.00"), None),  # nobody said what it is worth: no «0 ₽»
])
def test_what_a_deal_is_worth(orders, lead, budget, expected):
    assert rules.worth(orders, lead, budget) == expected
