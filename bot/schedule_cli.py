"""`python -m bot schedule`: the leasing calculator's schedule as CSV, for the back office and scripts — the same
``core.domain.leasing.calc`` the chat and the Mini App use. Needs no token and no database."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from core.domain.kernel.errors import DomainError
from core.domain.leasing.calc import DEFAULT_MAX_MONTHS, MAX_MONTHS, BadTerms, Method, Terms, Timing, schedule

if TYPE_CHECKING:
    from bot.i18n import Translator


def add_parser(sub) -> None:
    p = sub.add_parser("schedule", help="print a leasing schedule as CSV (n,date,payment,interest,principal,balance)")
    p.add_argument("--amount", required=True, help="the financed amount, e.g. 1350000.00")
    p.add_argument("--rate", required=True, help="the yearly nominal rate in percent, e.g. 8.5")
    p.add_argument("--months", required=True, help="the term in months, 1 to LEASE_MAX_MONTHS (240)")
    p.add_argument("--residual", default="0", help="the residual (wykup), due with the last instalment")
    p.add_argument("--timing", choices=[t.value for t in Timing], default=Timing.ARREARS.value)
    p.add_argument("--method", choices=[m.value for m in Method], default=Method.ANNUITY.value)
    p.add_argument("--start", help="YYYY-MM-DD, today by default; instalments fall monthly from it")
    p.add_argument("--lang", choices=LANGUAGES, help="the language of an error message (DEFAULT_LOCALE by default)")


LANGUAGES = ["ru", "en", "pl"]


def language(args: argparse.Namespace) -> str:
    """``--lang``, else the deployment's DEFAULT_LOCALE (Russian when it names no language we have)."""
    if args.lang:
        return args.lang
    from pydantic_settings import BaseSettings, SettingsConfigDict  # loaded only when the command runs

    class _Deployment(BaseSettings):
        """The one setting the command reads, as the bot reads it (the environment or .env): it needs no token."""

        model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")
        default_locale: str = "ru"

    default = _Deployment().default_locale
    return default if default in LANGUAGES else "ru"


def _number(t: Translator, name: str, text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise SystemExit(t("cli.not_a_number", name=name, value=text)) from None
    if not value.is_finite():
        raise SystemExit(t("cli.not_a_number", name=name, value=text))
    return value


def run(args: argparse.Namespace, today: date, out=None) -> int:
    from bot.i18n import Translator
    from bot.views.leasing.lease import write_csv

    t = Translator(language(args))
    if not args.months.strip().lstrip("-").isdigit():
        raise SystemExit(t("cli.not_a_number", name="--months", value=args.months))
    try:
        start = date.fromisoformat(args.start) if args.start else today
    except ValueError:
        raise SystemExit(t("cli.not_a_date", value=args.start)) from None
    terms = Terms(_number(t, "--amount", args.amount), _number(t, "--rate", args.rate), int(args.months), start,
                  _number(t, "--residual", args.residual), Timing(args.timing), Method(args.method))
    try:
        raw = os.environ.get("LEASE_MAX_MONTHS", "")  # the bot's setting (bot/config.py checks it at the bot's start)
        limit = int(raw) if raw.strip().isdigit() else DEFAULT_MAX_MONTHS
        if not 1 <= terms.months <= min(limit, MAX_MONTHS):
            raise BadTerms("lease_months", max=min(limit, MAX_MONTHS))
        lines = schedule(terms)
    except DomainError as e:
        raise SystemExit(t.error(e)) from None  # its figures as the reader writes them
    write_csv(lines, out or sys.stdout)
    return 0
