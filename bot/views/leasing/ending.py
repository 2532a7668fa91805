"""What the case's screen shows of the steps issue 29 added (docs/leasing-end.md): an offer accepted on the client's
behalf with its document, the identity check's result, how the contract ended and its documents; their buttons;
an early termination's settlement before it is confirmed."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.keyboards.callbacks import LeaseAction, LeaseCb, LeaseEndAction, LeaseEndCb
from bot.keyboards.pager import button
from core.domain.leasing.case import FILES_OPEN, OFFER_OPEN, Actor, LeaseStatus
from core.domain.leasing.ending import IdentityResult
from core.services.leasing.ending import Settlement
from core.services.leasing.origination import Case

#: who may decide an identity check the automaton left to a person, as the screen offers it
DECIDERS = frozenset({Actor.RISK, Actor.BACK_OFFICE, Actor.ADMIN})


def _day(value) -> str:
    return value.strftime("%d.%m.%Y")


def identity_why(t: Translator, reasons, payer: str | None) -> str:
    return ", ".join(t(f"lease_end.reason_{r}", name=payer or "") for r in reasons if r)


def identity_buttons(t: Translator, deal_id: int, check_id: int) -> Markup:
    cb = lambda action: LeaseEndCb(action=action, deal_id=deal_id, arg=check_id)  # noqa: E731
    return Markup(inline_keyboard=[
        [button(t("lease_end.identity_ok"), cb(LeaseEndAction.IDENTITY_OK)),
         button(t("lease_end.identity_no"), cb(LeaseEndAction.IDENTITY_NO))],
        [button(t("lease.back"), LeaseCb(action=LeaseAction.OPEN, deal_id=deal_id))]])


def lines(t: Translator, view: Case) -> list[str]:
    """The case screen's lines of this part, under the offer's."""
    out = []
    offer = view.offer
    if offer is not None and offer.accepted_by is not None and view.accepted_by is not None:
        out.append(t("lease_end.accepted_on_behalf", version=offer.version, name=view.accepted_by.name,
                     at=t.dt(offer.accepted_at), file=offer.accepted_file_name or "—"))
    if view.identity and view.actors - {Actor.CLIENT}:  # the lessor's check, not the client's to read
        check = view.identity[0]
        state = t(f"lease_end.state_{check.decision or check.result}")
        if check.decision:
            state = t("lease_end.decided", state=state, name=_decider(view, check))
        elif check.reasons:
            state += " — " + identity_why(t, check.reasons.split(","), check.payer_name)
        out.append(t("lease_end.identity", state=state, at=t.dt(check.decided_at or check.checked_at)))
    for row in view.endings:
        out.append(t("lease_end.ended", name=t(f"lease_end.doc_{row.kind}"), day=_day(row.day)))
    return out


def _decider(view: Case, check) -> str:
    return view.decider.name if view.decider is not None else f"#{check.decided_by}"


def buttons(t: Translator, view: Case) -> list[list]:
    c, actors, status = view.case, view.actors, LeaseStatus(view.case.status)
    cb = lambda action, arg=0: LeaseEndCb(action=action, deal_id=c.deal_id, arg=arg)  # noqa: E731
    rows: list[list] = []
    newest = view.offers[0] if view.offers else None
    if (Actor.SALES in actors and newest is not None and newest.status in OFFER_OPEN
            and status in (LeaseStatus.OFFER, LeaseStatus.DRAFT, LeaseStatus.CORRECTIONS)
            and view.client.user_id is None):  # a client in the bot accepts it there
        rows.append([button(t("lease_end.on_behalf", version=newest.version), cb(LeaseEndAction.ON_BEHALF,
                                                                                  newest.id))])
    offer = view.offer
    if offer is not None and offer.accepted_file_id and actors - {Actor.CLIENT}:
        rows.append([button(t("lease_end.accepted_file"), cb(LeaseEndAction.ACCEPTED_FILE, offer.id))])
    check = view.identity[0] if view.identity else None
    if (check is not None and check.result == IdentityResult.NEEDS_PERSON and check.decision is None
            and status in FILES_OPEN and actors & DECIDERS and Actor.SALES not in actors):
        rows += identity_buttons(t, c.deal_id, check.id).inline_keyboard[:1]
    if LeaseStatus.TERMINATED in view.moves:
        rows.append([button(t("lease_end.terminate"), cb(LeaseEndAction.TERMINATE))])
    if LeaseStatus.RETURNED in view.moves:
        rows.append([button(t("lease_end.give_back"), cb(LeaseEndAction.RETURN))])
    rows += [[button("📄 " + t(f"lease_end.doc_{row.kind}"), cb(LeaseEndAction.DOCS, row.id))]
             for row in view.endings if row.document_id is not None]
    return rows


def preview(t: Translator, made: Settlement) -> tuple[str, Markup]:
    x, money = made.terms, (lambda value: t.money(value, made.currency))
    text = t("lease_end.preview", day=_day(x.day), lines=x.lines, principal=money(x.principal), since=_day(x.since),
             interest=money(x.interest), fee=money(x.fee), vat=t.plain(made.vat_rate), total=money(made.total))
    return text, Markup(inline_keyboard=[
        [button(t("lease_end.confirm"), LeaseEndCb(action=LeaseEndAction.TERMINATE_CONFIRM, deal_id=made.deal_id))],
        [button(t("lease.back"), LeaseCb(action=LeaseAction.OPEN, deal_id=made.deal_id))]])
