"""Seed 002, «Ofertowanie → Kalkulacje»: a leasing calculation as a person types it, made on the day it is where
they are. Nothing is stored yet: an offer (the next step) will keep its calculation."""

from __future__ import annotations

from core.clock import Clock
from core.domain import lease_calc
from core.domain.lease_calc import Method, Result, Timing
from core.domain.schedule import local_date


def calculate(clock: Clock, timezone: str, text: str, method: Method = Method.ANNUITY,
              timing: Timing = Timing.ARREARS) -> Result:
    """«cena; opłata wstępna; miesiące; oprocentowanie; wykup[; opłata]», starting today in ``timezone``."""
    today = local_date(clock.now(), timezone)
    return lease_calc.calculate(lease_calc.parse(text, today, method=method, timing=timing))
