"""The language sweep over every screen (issue 26): each public function of ``bot/views/**`` that returns a text or
a keyboard is called with sample arguments made from its type hints (a dataclass or a row from its fields, an enum
by its first member, a code field from a small table), in ru, en and pl, and what it says (the text and every
button's label) is checked by tests/language.py.

A view the sampler cannot build is listed in ``UNBUILT`` with why; the test fails when the list is not exactly what
could not be built, so a view that becomes buildable (or one that breaks) shows."""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import pkgutil
import types
import typing
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

import bot.views
from bot.i18n import Translator
from bot.keyboards.callbacks import LeadListCb, LeaseAction
from core.db.kernel import models as m
from core.db.kernel.models import Base
from core.db.kernel.repositories import Page
from core.db.kernel.types import Fixed
from core.domain.campaigns import DocKind
from core.domain.campaigns.campaign import CampaignStatus
from core.domain.campaigns.quotes import QuoteStatus
from core.domain.campaigns.survey import Kind
from core.domain.deals.workspace import DealKind, OrderStatus
from core.domain.kernel.tasks import TaskStatus
from core.domain.leads.lifecycle import LeadStatus
from core.domain.leasing.books import ChargeKind, ReceiptKind
from core.domain.leasing.case import ClientKind, LeaseStatus, Security
from core.domain.leasing.ending import EndKind
from core.domain.marketplace.applications import Actor, AppStatus
from core.services.campaigns.bank_import import BankPreview, BankResult
from core.services.campaigns.campaign import CampaignView
from core.services.campaigns.commerceml_exchange import CmlPreview
from core.services.campaigns.surveys import Step
from core.services.leads.lifecycle import ContactView, LeadView
from core.services.marketplace.applications import Card
from tests.unit.kernel.test_language_sweep import LOCALES, check


def first(kind: type[enum.Enum]) -> str:
    return next(iter(kind)).value


#: values a field or a parameter holds by its name: a code (a status, a stage, a kind) must be one the domain knows
BY_NAME: dict[str, object] = {
    "pipeline": "cold_call", "role": "manager", "locale": "ru", "timezone": "Europe/Warsaw", "currency": "PLN",
    "webapp_url": None, "code": None, "content": b"", "stage": "contact", "purpose": "quote", "channel": "email",
}
#: a code field of a row or a dataclass, by «Class.field»
BY_FIELD: dict[str, object] = {
    "LeaseCase.status": first(LeaseStatus),
    "Lead.status": first(LeadStatus), "Campaign.status": first(CampaignStatus),
    "Step.kind": first(Kind), "Interaction.purpose": "quote", "Quote.status": first(QuoteStatus),
    "LeaseCharge.kind": first(ChargeKind), "LeaseStatementLine.problem": "unknown_contract",
    "LeaseIdentityCheck.result": "passed", "LeaseIdentityCheck.decision": None, "LeaseEnding.kind": first(EndKind),
    "Client.kind": first(ClientKind), "LeaseOffer.status": "draft", "LeaseIdentityCheck.reasons": "name",
    "Task.status": first(TaskStatus), "Deal.kind": first(DealKind), "Order.status": first(OrderStatus),
    "LeaseReceipt.kind": first(ReceiptKind), "LeaseSecurity.kind": first(Security), "LeaseCase.verdict": "analyst",
}
#: data a screen shows as it is: the 1C exchange file's name, a deal's code (seed 001: ten digits)
DATA = ("Koparka", "kl_to_1c.txt", "0000000007", "7707083893", "773601001")
AT = datetime(2027, 1, 15, 9, tzinfo=UTC)
#: a seeded status's name as its row keeps it (the seed's words, Russian): shown by its locale name
SEED_STATUS = "Первичный контакт. Анкетирование"
CAMPAIGN = SimpleNamespace(id=7, title="Alfa", status=first(CampaignStatus))
#: a parsed file's rows, as the services keep them (JSON-ready dicts)
BANK_ROW = {"line": 3, "number": "118", "on": "2027-01-15", "amount": "36900.00", "payer": "Alfa",
            "order": "0000000007", "ref": "x"}
BAD_LINE = (4, "onec_inn_mismatch", {"number": "0000000007", "inn": "7707083893", "order_inn": "7707083893"})
CML_ROW = {"n": 1, "name": "Alfa", "inn": "7707083893", "kpp": "773601001", "ogrn": None, "address": None,
           "email": None}
TASK = SimpleNamespace(id=3, code="call", params={"n": 2}, title=None, due_at=AT, status="open", responsible_id=7)
LEAD = SimpleNamespace(
    id=7, status=first(LeadStatus), contact_id=7, debt_amount=Decimal("36900.00"), city="Gamma", comment="Alfa",
    meeting_at=AT, source=SimpleNamespace(name="Beta"), given_name="Beta",
    contact=SimpleNamespace(id=7, name="Alfa", phones=[SimpleNamespace(id=3, phone="+48600100200")], city="Gamma",
                            messengers={"Telegram": "@alfa"}, comment="Alfa", erased_at=None, user_id=None))
#: the parameters without a type hint, per view: what their callers pass
ARGS: dict[str, dict[str, object]] = {
    "campaigns.cold_call.campaign_list": {"items": [SimpleNamespace(id=7, status=first(CampaignStatus),
                                                                    title="Alfa")]},
    "campaigns.cold_call.picks": {"items": [(7, "Alfa")]},
    "campaigns.cold_call.item_choices": {"items": [(7, "Alfa")], "key": "cold.pick_group"},
    "campaigns.cold_call.answer_text": {"value": "Alfa"},
    "deals.workspace.choices": {"items": [SimpleNamespace(id=7, name="Alfa")], "key": "ws.pick_source"},
    "kernel.names.status_of": {"row": SimpleNamespace(pipeline="cold_call", code="contact", name="Alfa")},
    "kernel.tasks.deals_closed": {"deals": [[7, "Alfa"]], "reason": "no_contact"},
    "kernel.setup.area_names": {"areas": []},
    "leads.lifecycle.filter_choices": {"sources": [SimpleNamespace(id=7, name="Alfa")],
                                       "f": LeadListCb(pick="source")},
    "leads.lifecycle.render_funnel": {"rows": []},
    "leasing.ending.identity_why": {"reasons": ["name"]},
    "leasing.lease.cases": {"rows": [SimpleNamespace(deal_id=7, subject="Koparka",
                                                     status=BY_FIELD["LeaseCase.status"])]},
    "leasing.lease.problems": {"found": [("missing", "krs_extract")]},
    "leasing.lease.offer_screen": {"offer": m.LeaseOffer(  # a version sent to the client, as its figures make it
        id=3, deal_id=7, version=2, status="sent", price=Decimal("120000.00"), vat=Decimal("23"), months=48,
        rate=Decimal("9.00"), advance=Decimal("12000.00"), residual=Decimal("1200.00"), fee=Decimal("0.00"),
        method="annuity", timing="arrears", start=date(2027, 1, 15), valid_until=date(2027, 1, 29))},
    "leasing.lease.case_section": {"action": LeaseAction.DATA},  # one of the card's sections (lease.SECTIONS)
    "leasing.books.ksef_text": {"state": SimpleNamespace(enabled=False, waiting=3)},
    "campaigns.cold_call.campaign": {"v": CampaignView(CAMPAIGN, "Alfa", "Beta", 2, 0, [
        (SimpleNamespace(id=3, row_no=1, deal_id=7), "Alfa", "7707083893", "0000000007",
         SimpleNamespace(pipeline="cold_call", code="contact", name=SEED_STATUS)),
        (SimpleNamespace(id=4, row_no=2, deal_id=None), "Beta", None, None, None)], True)},
    "campaigns.cold_call.question": {"step": Step(7, SimpleNamespace(id=3, kind="one", text="Alfa",
                                                                     options=["Alfa", "Beta"]), 1, 3)},
    "campaigns.exchange.bank_preview": {"p": BankPreview(book=[BANK_ROW], bad=[BAD_LINE], booked=[(5, "118")],
                                                         outgoing=1)},
    "campaigns.exchange.bank_done": {"r": BankResult(booked=[BANK_ROW], failed=[BAD_LINE], repeated=1)},
    "campaigns.exchange.cml_preview": {"p": CmlPreview(add=[CML_ROW], known=[CML_ROW | {"kpp": None, "client_id": 7}],
                                                       bad=[(3, "cml_no_inn", {"name": "Alfa"})])},
    "campaigns.quotes.doc_admin": {"own": {k.value: k == next(iter(DocKind)) for k in DocKind} | {"seller": "Alfa"},
                                   "rules": [(m.ApprovalRule(id=3, min_amount=Decimal("100000.00")), "Beta")],
                                   "kinds": tuple(DocKind), "approvals": True},
    "kernel.tasks.task_title": {"task": TASK},
    "leads.lifecycle.lead_card": {"v": LeadView(LEAD, 2, SimpleNamespace(name="Beta"), [
        SimpleNamespace(created_at=AT, text="Alfa", kind="note", params=None, author_id=None),
        SimpleNamespace(created_at=AT, text="Beta", kind="client_message", author_id=8,
                        params={"chat_id": 8, "message_id": 1, "content": "photo"}),
        SimpleNamespace(created_at=AT, text=None, kind="duplicate", author_id=None,
                        params={"lead_id": 9, "source": "Gamma"})], [TASK],
        authors={8: SimpleNamespace(name="Alfa")}, client_in_bot=True)},
    "leads.lifecycle.contact_card": {"v": ContactView(LEAD.contact, [LEAD], [SimpleNamespace(
        id=7, name="Alfa", status=SimpleNamespace(pipeline="cold_call", code="contact", name=SEED_STATUS))])},
    "leads.lifecycle.lead_list": {"page": Page([LEAD], 11, 0, 10)},
    "marketplace.deal_room.history": {"page": Page([
        SimpleNamespace(kind="text", text="Alfa", file_name=None, edits=0, created_at=AT, sender_role="client"),
        SimpleNamespace(kind="document", text="Beta", file_name="kl_to_1c.txt", edits=1, created_at=AT,
                        sender_role="manager")], 11, 0, 10)},
    "marketplace.deal_room.deal_page": {"card": Card(
        app=SimpleNamespace(id=7, status=AppStatus.DOCUMENTS.value, category=SimpleNamespace(name="Koparka"),
                            description="Alfa", amount=Decimal("1230000.00"), term_months=36,
                            region=SimpleNamespace(name="Gamma"), question=None, created_at=AT, applicant_id=8),
        ctx=SimpleNamespace(is_participant=True, may=lambda *a, **k: True, actors=set(Actor)),
        client_name="Alfa", client_phone="+48600100200", files=[], applicant=SimpleNamespace(id=8, name="Beta",
                                                                                             role="manager"),
        referrer=SimpleNamespace(id=9, name="Gamma", role="manager"))},
}
#: functions of bot/views that are no screen: they send, or write a file
NOT_SCREENS = {"kernel.common.show": "sends the message itself (a coroutine)",
               "leasing.lease.write_csv": "writes the calculator's CSV to a file (the CSV is checked by the sweep)",
               "leasing.lease.actors_see_checks": "a yes/no, no words"}
#: the views the sampler cannot build, and why (none now: each one's rows, pages, parsed files and cards are in ARGS)
UNBUILT: dict[str, str] = {}


def _python_type(col):
    from sqlalchemy import JSON, DateTime, Numeric
    from sqlalchemy.types import TypeDecorator

    if isinstance(col.type, Fixed):  # money and rates: Decimal, stored as whole hundredths
        return Decimal
    kind = col.type.impl if isinstance(col.type, TypeDecorator) else col.type
    if isinstance(kind, JSON):
        return dict
    if isinstance(kind, DateTime):
        return datetime
    if isinstance(kind, Numeric):
        return Decimal
    try:
        return kind.python_type
    except NotImplementedError:
        return str


def sample(tp, name: str, t: Translator, owner: str = ""):
    if f"{owner}.{name}" in BY_FIELD:
        return BY_FIELD[f"{owner}.{name}"]
    if name in BY_NAME:
        return BY_NAME[name]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return sample(Decimal if Decimal in inner else inner[0], name, t, owner)
    if tp is Translator:
        return t
    if tp is inspect.Parameter.empty or tp is typing.Any:
        return "Alfa"
    if origin in (list, tuple, set, frozenset) or tp in (list, tuple):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return tuple(sample(a, name, t, owner) for a in args)
        item = sample(args[0], name, t, owner) if args else "Alfa"
        return (origin or list)([item])
    if origin is dict or tp is dict:
        return {}
    if isinstance(tp, type):
        for kind, value in ((bool, False), (enum.Enum, None), (int, 7), (Decimal, Decimal("1230.00")),
                            (datetime, datetime(2027, 1, 15, 9, tzinfo=UTC)), (date, date(2027, 1, 15)),
                            (str, "Alfa"), (bytes, b""), (float, 1.5)):
            if issubclass(tp, kind):
                return next(iter(tp)) if kind is enum.Enum else value
        if issubclass(tp, Base):
            return tp(**{c.key: sample(_python_type(c), c.key, t, tp.__name__) for c in tp.__table__.columns})
        if dataclasses.is_dataclass(tp):
            hints = typing.get_type_hints(tp)
            return tp(**{f.name: sample(hints[f.name], f.name, t, tp.__name__) for f in dataclasses.fields(tp)
                         if f.init})
        if tp is InlineKeyboardButton:
            return InlineKeyboardButton(text="Alfa", callback_data="x")
        if hasattr(tp, "model_fields"):  # a CallbackData
            return tp(**{k: sample(f.annotation, k, t, tp.__name__) for k, f in tp.model_fields.items()
                         if f.is_required()})
    raise TypeError(f"no sample for {tp!r} ({owner}.{name})")


def views():
    for info in pkgutil.walk_packages(bot.views.__path__, "bot.views."):
        module = importlib.import_module(info.name)
        for name, fn in vars(module).items():
            if not name.startswith("_") and inspect.isfunction(fn) and fn.__module__ == module.__name__:
                yield f"{info.name.removeprefix('bot.views.')}.{name}", fn


def build(name: str, fn, t: Translator):
    hints, given = typing.get_type_hints(fn), ARGS.get(name, {})
    kw = {}
    for p in inspect.signature(fn).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        kw[p.name] = given[p.name] if p.name in given else sample(hints.get(p.name, p.empty), p.name, t)
    return fn(**kw)


def said(out) -> list[str]:
    """The words a view's result holds: its texts and its buttons' labels."""
    if isinstance(out, str):
        return [out]
    if isinstance(out, InlineKeyboardMarkup):
        return [b.text for row in out.inline_keyboard for b in row]
    if isinstance(out, tuple | list):
        return [x for part in out for x in said(part)]
    return []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_view_reads_in_the_readers_language(locale):
    t = Translator(locale, "Europe/Warsaw")
    unbuilt, bad, built = {}, {}, 0
    for name, fn in views():
        if name in NOT_SCREENS:
            continue
        try:
            out = build(name, fn, t)
        except Exception as exc:
            unbuilt[name] = f"{type(exc).__name__}: {exc}"
            continue
        built += 1
        for text in said(out):
            if found := check(text, locale, DATA):
                bad.setdefault(name, []).append((text[:120], found))
    assert not bad, bad
    assert set(unbuilt) == set(UNBUILT), {k: v for k, v in unbuilt.items() if k not in UNBUILT}
    assert built >= 60, built
