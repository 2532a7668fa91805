"""The exchange with 1C in the chat: its menu, the bank statement's preview and result, the counterparties'
preview and result. Texts come from the locale files; what a file says is escaped by the translator."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from aiogram.types import InlineKeyboardMarkup as Markup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.keyboards.builders import menu_button
from bot.keyboards.callbacks import ExchangeAction, ExchangeCb, MenuAction, MenuCb
from bot.keyboards.pager import button
from core.services.campaigns.bank_import import BankPreview, BankResult
from core.services.campaigns.commerceml_exchange import CmlPreview, CmlResult

#: how many rows of each kind a preview lists (the counts are always whole)
LIMIT = 30


def menu(t: Translator) -> tuple[str, Markup]:
    kb = InlineKeyboardBuilder()
    kb.row(button(t("onec.bank"), ExchangeCb(action=ExchangeAction.BANK)))
    kb.row(button(t("onec.cml_in"), ExchangeCb(action=ExchangeAction.CML_IN)))
    kb.row(button(t("onec.cml_out"), ExchangeCb(action=ExchangeAction.CML_OUT)))
    kb.row(button(t("buttons.back"), MenuCb(action=MenuAction.CAMPAIGNS)), menu_button(t))  # where it is opened
    return t("onec.menu"), kb.as_markup()


def back(t: Translator) -> Markup:
    """Under a result: back to the exchange's menu (the next file, or the export)."""
    kb = InlineKeyboardBuilder()
    kb.row(button(t("onec.open"), ExchangeCb(action=ExchangeAction.MENU)), menu_button(t))
    return kb.as_markup()


def bank_preview(t: Translator, p: BankPreview) -> str:
    lines = [t("onec.bank_preview", book=len(p.book), total=t.money(p.total), bad=len(p.bad), booked=len(p.booked),
               outgoing=p.outgoing)]
    lines += [t("onec.bank_row", line=r["line"], number=r["number"], on=t.day(date.fromisoformat(r["on"])),
                amount=t.money(Decimal(r["amount"])), payer=r["payer"], order=r["order"]) for r in p.book[:LIMIT]]
    lines += [t("onec.bad_line", line=line, reason=t.reason(key, params)) for line, key, params in p.bad[:LIMIT]]
    lines += [t("onec.booked_line", line=line, number=number) for line, number in p.booked[:LIMIT]]
    return "\n".join(lines)


def bank_done(t: Translator, r: BankResult) -> str:
    total = sum((Decimal(x["amount"]) for x in r.booked), Decimal("0.00"))
    lines = [t("onec.bank_done", count=len(r.booked), total=t.money(total), repeated=r.repeated)]
    lines += [t("onec.bad_line", line=line, reason=t.reason(key, params)) for line, key, params in r.failed[:LIMIT]]
    return "\n".join(lines)


def cml_preview(t: Translator, p: CmlPreview) -> str:
    lines = [t("onec.cml_preview", add=len(p.add), known=len(p.known), bad=len(p.bad))]
    lines += [t("onec.cml_add_row", n=r["n"], name=r["name"], inn=r["inn"], kpp=r["kpp"] or "—")
              for r in p.add[:LIMIT]]
    lines += [t("onec.cml_known_row", n=r["n"], name=r["name"], inn=r["inn"], kpp=r["kpp"] or "—")
              for r in p.known[:LIMIT]]
    lines += [t("onec.cml_bad_row", n=n, reason=t.reason(key, params)) for n, key, params in p.bad[:LIMIT]]
    return "\n".join(lines)


def cml_done(t: Translator, r: CmlResult) -> str:
    lines = [t("onec.cml_done", added=r.added, completed=r.completed, repeated=r.repeated)]
    lines += [t("onec.cml_bad_row", n=n, reason=t.reason(key, params)) for n, key, params in r.failed[:LIMIT]]
    return "\n".join(lines)
