"""The leasing calculator (seed 002, «Kalkulacje»), side by side in one run: 10,000 schedules of 60 lines in
``Decimal`` (core.domain.leasing.calc.schedule: the rounded instalment, interest on the balance, the remainder on the
last line) against numpy-financial's vectorised pmt/ipmt/ppmt on the same inputs (float64, all schedules in one
array call). Printed: the time of each, the ratio, and the largest difference in grosze between the two, per
column — the instalment, the interest, the principal, and the last line, which takes the rounding's remainder.

Inputs: amounts 10,000–5,000,000 zł, rates 0–20 %, a residual 0–30 %, in arrears and in advance, from one seed.

Then contracts generated a second: the built-in contract template (core/documents/templates/lease_contract.html,
the whole 60-line schedule as its appendix) rendered to PDF by the code the chat uses (Jinja's sandbox, fpdf2),
each checked to be a PDF.

Run: python -m bench.lease [--schedules 10000] [--months 60] [--rounds 3] [--contracts 50] [--smoke]
     (--smoke: 50 schedules, 3 contracts, one round)
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date
from decimal import Decimal

import numpy as np
import numpy_financial as npf

from core import documents as render
from core.domain.campaigns.orders import DocKind
from core.domain.leasing.calc import Calculation, Share, Terms, Timing, calculate, schedule

START = date(2027, 1, 31)


def inputs(count: int, months: int) -> list[Terms]:
    rnd = random.Random(2026)
    out = []
    for i in range(count):
        amount = Decimal(rnd.randint(1_000_000, 500_000_000)) / 100
        residual = (amount * rnd.choice((0, 1, 5, 10, 20, 30)) / 100).quantize(Decimal("0.01"))
        rate = Decimal(rnd.randint(0, 2000)) / 100
        out.append(Terms(amount, rate, months, START, residual, Timing.ADVANCE if i % 2 else Timing.ARREARS))
    return out


def ours(terms: list[Terms]) -> list:
    return [schedule(t) for t in terms]


def theirs(terms: list[Terms], months: int):
    a = np.array([float(t.amount) for t in terms])[:, None]
    r = np.array([float(t.rate) / 1200 for t in terms])[:, None]
    advance = np.array([t.timing is Timing.ADVANCE for t in terms])[:, None]
    fv = np.array([float(t.residual) for t in terms])[:, None] * np.where(advance, 1 + r, 1)
    when = np.where(advance, 1, 0)
    per = np.arange(1, months + 1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):  # rate 0: numpy-financial takes its own branch
        return npf.pmt(r, months, -a, fv, when), npf.ipmt(r, per, months, -a, fv, when), \
            npf.ppmt(r, per, months, -a, fv, when)


def differences(schedules, pmt, ipmt, ppmt) -> dict[str, float]:
    worst = dict.fromkeys(("instalment", "interest", "principal", "last line"), 0.0)
    for i, lines in enumerate(schedules):
        for j, line in enumerate(lines[:-1]):
            worst["instalment"] = max(worst["instalment"], abs(float(line.payment) - pmt[i, 0]))
            worst["interest"] = max(worst["interest"], abs(float(line.interest) - ipmt[i, j]))
            worst["principal"] = max(worst["principal"], abs(float(line.principal) - ppmt[i, j]))
        worst["last line"] = max(worst["last line"], abs(float(lines[-1].payment) - pmt[i, 0]))
    return {k: v * 100 for k, v in worst.items()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schedules", type=int, default=10_000)
    ap.add_argument("--months", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--contracts", type=int, default=50)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    if args.smoke:
        args.schedules, args.rounds, args.contracts = 50, 1, 3
    terms = inputs(args.schedules, args.months)
    t_ours, t_theirs = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        schedules = ours(terms)
        t_ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        pmt, ipmt, ppmt = theirs(terms, args.months)
        t_theirs.append(time.perf_counter() - started)
    assert all(len(lines) == args.months for lines in schedules)
    assert all(sum(line.principal for line in lines) == t.amount - t.residual
               for lines, t in zip(schedules, terms, strict=True))
    a, b = statistics.median(t_ours), statistics.median(t_theirs)
    lines = args.schedules * args.months
    print(f"{args.schedules:,} schedules of {args.months} lines ({lines:,} lines), median of {args.rounds}:")
    print(f"  Decimal (lease_calc.schedule): {a:.3f} s, {lines / a:,.0f} lines/s")
    print(f"  numpy-financial, vectorised:   {b:.4f} s, {lines / b:,.0f} lines/s")
    print(f"  ratio Decimal / numpy-financial: {a / b:,.0f}×")
    diff = differences(schedules, pmt, ipmt, ppmt)
    print("  largest difference, grosze: " + ", ".join(f"{k} {v:.2f}" for k, v in diff.items()))
    assert diff["instalment"] <= 0.5 + 1e-6, diff  # the instalment is numpy-financial's, rounded half-up
    contracts(args.contracts, terms[0])


def contracts(count: int, terms: Terms) -> None:
    calc = Calculation(terms.amount + 1000, terms.months, terms.rate, START, advance=Share(Decimal(1000), False))
    result = calculate(calc)
    template = render.default_template(DocKind.LEASE_CONTRACT)
    ctx = render.lease_offer_context(number="1-1", made=START, valid_until=START, seller="Leasing S.A.",
                                     seller_details="NIP 8567346215", client="Alfa sp. z o.o.",
                                     client_ids="NIP 5260250274, REGON 192598184", subject="Koparka Volvo EC220E",
                                     result=result, currency="PLN", w=render.Words("pl")) | {
        "conditions": ["poręczenie prezesa"]}
    render.render_pdf(template, ctx, "warm-up")
    started = time.perf_counter()
    sizes = [len(render.render_pdf(template, ctx, f"Umowa {n}")) for n in range(count)]
    took = time.perf_counter() - started
    assert all(size > 1000 for size in sizes)
    print(f"contracts with a {terms.months}-line schedule: {count} in {took:.2f} s, {count / took:.1f} a second "
          f"({took / count * 1000:.0f} ms each, {statistics.mean(sizes) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
