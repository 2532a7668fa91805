"""The leasing calculator's screen (seed 002, «Kalkulacje»): the figures of a calculation in the person's language
and the calculator's currency, the first and the last lines of its schedule, and the buttons that recalculate it
(equal ⇄ decreasing, in arrears ⇄ in advance) or give the whole schedule as a CSV file."""

from __future__ import annotations

import csv
import io

from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.keyboards.callbacks import CalcAction, CalcCb
from bot.keyboards.pager import button
from core.domain.lease_calc import Line, Method, Result, Timing

SHOWN = 3  # lines shown before the last one; the rest are in the file
HEADER = ("n", "date", "payment", "interest", "principal", "balance")


def _percent(t: Translator, value) -> str:
    return t.number(value).rstrip("0").rstrip(",.") if value == value.to_integral_value() else t.number(value)


def term(t: Translator, result: Result) -> str:
    return t.plural("calc.instalments", result.calc.months)


def screen(t: Translator, result: Result, currency: str, serial: int) -> tuple[str, Markup]:
    c, lines = result.calc, result.lines
    money = lambda value: t.money(value, currency)  # noqa: E731 - one currency for the whole screen
    method = t("calc.annuity" if c.method is Method.ANNUITY else "calc.decreasing")
    timing = t("calc.arrears" if c.timing is Timing.ARREARS else "calc.advance_timing")
    text = [t("calc.head"), t("calc.price", value=money(c.price), vat=_percent(t, c.vat)),
            t("calc.advance", value=money(result.advance)), t("calc.financed", value=money(result.financed)),
            t("calc.term", term=term(t, result), method=method, timing=timing),
            t("calc.rate", value=_percent(t, c.rate))]
    if c.method is Method.ANNUITY or len(lines) == 1:
        text.append(t("calc.instalment", net=money(lines[0].payment), gross=money(result.gross(lines[0].payment))))
    else:
        text.append(t("calc.first_last", first=money(lines[0].payment), last=money(lines[-1].payment)))
    text += [t("calc.residual", value=money(result.residual)), t("calc.fee", value=money(result.fee)),
             t("calc.interest", value=money(result.interest)),
             t("calc.total", value=money(result.total), pct=_percent(t, result.cost_pct)),
             "", t("calc.lines")]
    head = lines[:SHOWN] if len(lines) > SHOWN + 1 else lines[:-1]
    text += [_line(t, line, money) for line in head]
    if len(lines) > len(head) + 1:
        text.append(t("calc.more", count=len(lines) - len(head) - 1))
    text.append(_line(t, lines[-1], money))
    flip_method = "calc.to_decreasing" if c.method is Method.ANNUITY else "calc.to_annuity"
    flip_timing = "calc.to_advance" if c.timing is Timing.ARREARS else "calc.to_arrears"
    kb = Markup(inline_keyboard=[
        [button(t(flip_method), CalcCb(action=CalcAction.METHOD, serial=serial)),
         button(t(flip_timing), CalcCb(action=CalcAction.TIMING, serial=serial))],
        [button(t("calc.csv"), CalcCb(action=CalcAction.CSV, serial=serial)),
         button(t("calc.again"), CalcCb(action=CalcAction.AGAIN, serial=serial))],
    ])
    return "\n".join(text), kb


def _line(t: Translator, line: Line, money) -> str:
    return t("calc.line", n=line.n, day=line.due.strftime("%d.%m.%Y"), payment=money(line.payment),
             interest=money(line.interest), principal=money(line.principal))


def write_csv(lines: tuple[Line, ...], out) -> None:
    """The schedule as the back office reads it: ``n,date,payment,interest,principal,balance``, ISO dates, amounts
    with a dot and two places (the same file as `python -m bot schedule`)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for line in lines:
        writer.writerow((line.n, line.due.isoformat(), line.payment, line.interest, line.principal, line.balance))


def csv_bytes(lines: tuple[Line, ...]) -> bytes:
    out = io.StringIO()
    write_csv(lines, out)
    return out.getvalue().encode()
