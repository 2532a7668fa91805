"""The leasing calculator's screen (seed 002, «Kalkulacje»): the figures of a calculation in the person's language
and the calculator's currency, the first and the last lines of its schedule, and the buttons that recalculate it
(equal ⇄ decreasing, in arrears ⇄ in advance) or give the whole schedule as a CSV file."""

from __future__ import annotations

import csv
import io

from aiogram.types import InlineKeyboardButton, WebAppInfo
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.keyboards.callbacks import (
    BooksAction,
    BooksCb,
    CalcAction,
    CalcCb,
    LeaseAction,
    LeaseCb,
    MenuAction,
    MenuCb,
)
from bot.keyboards.pager import button, fit
from bot.views.leasing import ending as ending_view
from core.db.kernel import models as m
from core.domain.leasing.calc import Line, Method, Result, Timing
from core.domain.leasing.case import (
    FILES_OPEN,
    FINAL,
    RISK_MOVES,
    RUNNING,
    SIGNED_SCAN,
    Actor,
    Consent,
    LeaseFileStatus,
    LeaseOfferStatus,
    LeaseStatus,
)
from core.services.leasing.origination import Case, result_of

SHOWN = 3  # lines shown before the last one; the rest are in the file
HEADER = ("n", "date", "payment", "interest", "principal", "balance")


def _percent(t: Translator, value) -> str:
    """A rate's figure («8,50», «23»; the text puts the «%» after it)."""
    f = t.formats
    return f.number(value) if value == value.to_integral_value() else f.amount(value)


def term(t: Translator, result: Result) -> str:
    return t.plural("calc.instalments", result.calc.months)


def method_words(t: Translator, method: Method, timing: Timing) -> tuple[str, str]:
    """«raty równe», «płatne z dołu»: how the instalments go, in the reader's words."""
    return (t("calc.annuity" if method is Method.ANNUITY else "calc.decreasing"),
            t("calc.arrears" if timing is Timing.ARREARS else "calc.advance_timing"))


def figures(t: Translator, result: Result, currency: str) -> list[str]:
    """A calculation's figures, from the price to the total (the calculator's screen, an offer's screen)."""
    c, lines = result.calc, result.lines
    money = lambda value: t.money(value, currency)  # noqa: E731 - one currency for the whole screen
    method, timing = method_words(t, c.method, c.timing)
    text = [t("calc.price", value=money(c.price), vat=_percent(t, c.vat)),
            t("calc.advance", value=money(result.advance)), t("calc.financed", value=money(result.financed)),
            t("calc.term", term=term(t, result), method=method, timing=timing),
            t("calc.rate", value=_percent(t, c.rate))]
    if c.method is Method.ANNUITY or len(lines) == 1:
        text.append(t("calc.instalment", net=money(lines[0].payment), gross=money(result.gross(lines[0].payment))))
    else:
        text.append(t("calc.first_last", first=money(lines[0].payment), last=money(lines[-1].payment)))
    return [*text, t("calc.residual", value=money(result.residual)), t("calc.fee", value=money(result.fee)),
            t("calc.interest", value=money(result.interest)),
            t("calc.total", value=money(result.total), pct=_percent(t, result.cost_pct))]


def screen(t: Translator, result: Result, currency: str, serial: int, webapp_url: str | None = None,
           ask: bool = False, asked: bool = False) -> tuple[str, Markup]:
    """The calculator's screen; ``ask``: a client's, with the button that asks the lessor for this offer;
    ``asked``: that offer asked for already (said under the figures)."""
    c, lines = result.calc, result.lines
    money = lambda value: t.money(value, currency)  # noqa: E731 - one currency for the whole screen
    text = [t("calc.head"), *figures(t, result, currency), "", t("calc.lines")]
    head = lines[:SHOWN] if len(lines) > SHOWN + 1 else lines[:-1]
    text += [_line(t, line, money) for line in head]
    if len(lines) > len(head) + 1:
        text.append(t("calc.more", count=len(lines) - len(head) - 1))
    text.append(_line(t, lines[-1], money))
    if asked:
        text += ["", t("calc.asked_line")]
    flip_method = "calc.to_decreasing" if c.method is Method.ANNUITY else "calc.to_annuity"
    flip_timing = "calc.to_advance" if c.timing is Timing.ARREARS else "calc.to_arrears"
    kb = Markup(inline_keyboard=[
        [button(t(flip_method), CalcCb(action=CalcAction.METHOD, serial=serial)),
         button(t(flip_timing), CalcCb(action=CalcAction.TIMING, serial=serial))],
        [button(t("calc.csv"), CalcCb(action=CalcAction.CSV, serial=serial)),
         button(t("calc.again"), CalcCb(action=CalcAction.AGAIN, serial=serial))],
    ])
    if ask:  # a client's way from the figures to the lessor
        kb.inline_keyboard.insert(0, [button(t("calc.ask_offer"), CalcCb(action=CalcAction.ASK, serial=serial))])
    if webapp_url:  # the same calculator as a Mini App page, when the Mini App is served
        kb.inline_keyboard.append([InlineKeyboardButton(text=t("calc.mini_app"),
                                                        web_app=WebAppInfo(url=f"{webapp_url.rstrip('/')}/calc"))])
    return "\n".join(text), kb


def _line(t: Translator, line: Line, money) -> str:
    return t("calc.line", n=line.n, day=t.day(line.due), payment=money(line.payment),
             interest=money(line.interest), principal=money(line.principal))


def write_csv(lines: tuple[Line, ...], out) -> None:
    """The schedule as a program reads it (`python -m bot schedule`): ``n,date,payment,interest,principal,balance``,
    ISO dates, amounts with a dot and two places."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for line in lines:
        writer.writerow((line.n, line.due.isoformat(), line.payment, line.interest, line.principal, line.balance))


def csv_bytes(t: Translator, lines: tuple[Line, ...]) -> bytes:
    """The schedule as the reader's spreadsheet opens it: headers in their language, their day («15.01.2027»),
    amounts as numbers with their decimal mark (ru, pl: «1234,56», «;» between the columns); UTF-8 with a BOM, so
    Excel reads the letters."""
    f = t.formats
    out = io.StringIO()
    writer = csv.writer(out, delimiter=f.csv_delimiter, lineterminator="\r\n")
    writer.writerow([t(f"calc.col_{name}") for name in HEADER])
    for line in lines:
        writer.writerow((line.n, f.day(line.due), *(f.cell(x) for x in (line.payment, line.interest, line.principal,
                                                                         line.balance))))
    return ("\ufeff" + out.getvalue()).encode()


# --- a case (seed 002: the offer, the application, the scoring) ------------------------------------------------

def cases(t: Translator, rows, client_tg: int | None = None) -> tuple[str, Markup]:
    """The cases a person sees; a client with none is told how to get linked (pl 2)."""
    none = t("lease.none_client", id=client_tg) if client_tg is not None else t("lease.none")
    lines = [t("lease.list", count=len(rows))] + ([] if rows else [none])
    kb = [[button(t("lease.row", id=c.deal_id, subject=c.subject, status=t(f"lease_status.{c.status}")),
                  LeaseCb(action=LeaseAction.OPEN, deal_id=c.deal_id))] for c in rows]
    if client_tg is not None and not rows:  # a client's way to ask for an offer: the calculator, then its button
        kb.append([button(t("lease.calc_and_ask"), MenuCb(action=MenuAction.CALC))])
    kb.append([button(t("buttons.menu"), MenuCb(action=MenuAction.HOME))])  # the way back
    return "\n".join(lines), Markup(inline_keyboard=kb)


def _names(t: Translator, section: str, values) -> str:
    return ", ".join(t(f"{section}.{v}") for v in values) or t("lease.nothing")


def case_screen(t: Translator, view: Case) -> tuple[str, Markup]:
    c, offer, currency = view.case, view.offer, view.case.currency
    money = lambda value: t.money(value, currency)  # noqa: E731
    text = [t("lease.head", subject=c.subject, id=c.deal_id, client=view.client.name,
              status=t(f"lease_status.{c.status}"))]
    if view.vendor is not None:
        text.append(t("lease.vendor", name=view.vendor.name, nip=view.vendor.nip))
    if offer is None:  # a client sees the versions sent to them only: none yet is one being prepared
        text.append(t("lease.offer_preparing" if not actors_see_checks(view) else "lease.offer_none"))
    else:
        text.append(t("lease.offer", version=offer.version, state=t(f"lease.state_{offer.status}"),
                      instalment=money(offer.instalment), financed=money(offer.financed),
                      term=t.plural("calc.instalments", offer.months), until=t.day(offer.valid_until)))
    given = {x.consent for x in view.consents}
    text.append(t("lease.consents", list=_names(t, "consent", [k for k in Consent if k in given])))
    text.append(t("lease.securities", list=_names(t, "security", [s.kind for s in view.securities])))
    staff = actors_see_checks(view)  # the lessor's own lines (the registry's fetch, the scoring, the motion)
    fetch = view.fetch
    state = t("lease.g2i_none") if fetch is None else t("lease.g2i_ok" if fetch.ok else "lease.g2i_error",
                                                        at=t.dt(fetch.fetched_at))
    if staff:
        text.append(t("lease.g2i", state=state))
    if view.mismatches is not None and actors_see_checks(view):
        text.append(t("lease.data_ok") if not view.mismatches else
                    t("lease.data_wrong", fields=", ".join(t(f"lease.field_{f}") for f in view.mismatches)))
    text += ending_view.lines(t, view)  # on behalf of the client, the identity check, the contract's end
    if c.terms_accepted_at is not None:
        text.append(t("lease.terms_accepted", at=t.dt(c.terms_accepted_at)))
    if c.verified_at is not None:
        text.append(t("lease.verified", amount=money(c.verified_amount), at=t.dt(c.verified_at)))
    if c.score is not None and staff:
        text.append(t("lease.score", score=c.score, verdict=t(f"lease.verdict_{c.verdict}")))
    if c.motion and staff:
        text.append(t("lease.motion", text=c.motion))
    if c.decision_reason:
        text.append(t("lease.decision", text=c.decision_reason))
    if LeaseStatus(c.status) not in (LeaseStatus.OFFER, LeaseStatus.CANCELLED):
        files = {f.kind: f for f in view.files}
        text.append(t("lease.files"))
        for kind in view.file_kinds:
            f, name = files.get(kind), t(f"lease_doc.{kind}")
            text.append(t(f"lease.file_{f.status}", name=name, reason=f.reason or "") if f else
                        t("lease.file_missing", name=name))
    if view.conditions:
        text.append(t("lease.conditions"))
        text += [t("lease.condition_met" if x.met_at else "lease.condition_open", text=x.text)
                 for x in view.conditions]
    return "\n".join(text), Markup(inline_keyboard=_case_buttons(t, view))


#: the moves a button makes with words typed after it (a button names its target by its place here, 1-based)
MOVES = (*RISK_MOVES, LeaseStatus.CANCELLED)


def actors_see_checks(view: Case) -> bool:
    """The data's check is the lessor's staff's to read, not the client's."""
    return bool(view.actors - {Actor.CLIENT})


def _case_buttons(t: Translator, view: Case) -> list[list]:
    """The card's main block (eight buttons at most): its steps, with the application's data, the consents and the
    documents each behind a button of its own (SECTIONS), then the way back to the list."""
    c, actors, status = view.case, view.actors, LeaseStatus(view.case.status)
    cb = lambda action, arg=0: LeaseCb(action=action, deal_id=c.deal_id, arg=arg)  # noqa: E731
    rows: list[list] = []
    working = status in (LeaseStatus.OFFER, LeaseStatus.DRAFT, LeaseStatus.CORRECTIONS)
    if Actor.SALES in actors and working:
        rows.append([button(t("lease.recalc"), cb(LeaseAction.RECALC)),
                     button(t("lease.send"), cb(LeaseAction.SEND))])
        if view.client.user_id is None:  # the offer cannot go out before the client is in the bot: how, at hand
            rows.append([button(t("lease.link"), cb(LeaseAction.LINK))])
    if data_rows(t, view):
        rows.append([button(t("lease.data_button"), cb(LeaseAction.DATA))])
    newest = view.offers[0] if view.offers else None
    if Actor.CLIENT in actors and newest is not None and newest.status == LeaseOfferStatus.SENT:
        rows.append([button(t("lease.accept", version=newest.version), cb(LeaseAction.ACCEPT, newest.id))])
    if consents := consent_rows(t, view):
        rows.append([button(t("lease.consents_button", count=len(consents)), cb(LeaseAction.CONSENTS))])
    if LeaseStatus.RISK_CHECK in view.moves:
        rows.append([button(t("lease.submit"), cb(LeaseAction.SUBMIT))])
    if Actor.RISK in actors and status == LeaseStatus.ANALYSIS:
        rows.append([button(t("lease.recalc"), cb(LeaseAction.RECALC))])
    risk = [target for target in view.moves if target in RISK_MOVES and Actor.RISK in actors]
    rows += [[button(t(f"lease.to_{target}"), cb(LeaseAction.MOVE, MOVES.index(target) + 1))] for target in risk]
    if Actor.SALES in actors and status == LeaseStatus.CONDITIONAL:
        rows += [[button(t("lease.condition_open", text=fit(x.text, 60)), cb(LeaseAction.CONDITION, x.id))]
                 for x in view.conditions if x.met_at is None]
    if LeaseStatus.SIGNING in view.moves and Actor.SALES in actors:
        rows.append([button(t("lease.to_signing"), cb(LeaseAction.SIGNING))])
    if file_rows(t, view):
        rows.append([button(t("lease.files_button"), cb(LeaseAction.FILES))])
    if status == LeaseStatus.SIGNING and Actor.CLIENT in actors and c.contract_document_id is not None:
        rows.append([button(t("lease.contract"), cb(LeaseAction.CONTRACT))])
        if c.terms_accepted_at is None and c.contract_offer_id == c.offer_id:
            rows.append([button(t("lease.accept_terms"), cb(LeaseAction.ACCEPT_TERMS))])
    if status == LeaseStatus.SIGNING and Actor.SALES in actors:
        rows.append([button(t("lease.contract"), cb(LeaseAction.CONTRACT)), button(t("lease.verify"),
                                                                                    cb(LeaseAction.VERIFY))])
    if status == LeaseStatus.VERIFICATION and Actor.BACK_OFFICE in actors:
        rows.append([button(t("lease.contract"), cb(LeaseAction.CONTRACT)), button(t("lease.check"),
                                                                                    cb(LeaseAction.CHECK))])
        rows.append([button(t("lease.pay"), cb(LeaseAction.PAY))])
    if LeaseStatus.CANCELLED in view.moves and actors & {Actor.SALES, Actor.CLIENT, Actor.ADMIN}:
        rows.append([button(t("lease.to_cancelled"), cb(LeaseAction.MOVE, MOVES.index(LeaseStatus.CANCELLED) + 1))])
    rows += ending_view.buttons(t, view)
    if status in RUNNING:
        rows.append([button(t("books.open"), BooksCb(action=BooksAction.OPEN, deal_id=c.deal_id))])
    if actors & {Actor.CLIENT, Actor.SALES} and status not in FINAL and view.client.user_id is not None:
        rows.append([button(t("lease.write"), cb(LeaseAction.WRITE))])
    rows.append([button(t("lease.to_list"), MenuCb(action=MenuAction.LEASES))])  # the way back: the cases' list
    return rows


def data_rows(t: Translator, view: Case) -> list[list]:
    """The application's data: the salesperson's while the offer is worked on; the verification payment, the
    staff's until it is booked."""
    c, actors, status = view.case, view.actors, LeaseStatus(view.case.status)
    cb = lambda action: LeaseCb(action=action, deal_id=c.deal_id)  # noqa: E731
    rows: list[list] = []
    if Actor.SALES in actors and status in (LeaseStatus.OFFER, LeaseStatus.DRAFT, LeaseStatus.CORRECTIONS):
        rows.append([button(t("lease.link"), cb(LeaseAction.LINK)),
                     button(t("lease.security"), cb(LeaseAction.SECURITY))])
        rows.append([button(t("lease.g2i_button"), cb(LeaseAction.G2I)),
                     button(t("lease.vendor_button"), cb(LeaseAction.VENDOR))])
    if c.verified_at is None and status in FILES_OPEN and actors & {Actor.SALES, Actor.RISK, Actor.BACK_OFFICE}:
        rows.append([button(t("lease.verify_payment"), cb(LeaseAction.VERIFY_PAYMENT))])
    return rows


def consent_rows(t: Translator, view: Case) -> list[list]:
    """The consents not given yet, while the offer is worked on (the client's, or the salesperson's for them)."""
    c, status = view.case, LeaseStatus(view.case.status)
    if not (view.actors & {Actor.CLIENT, Actor.SALES}) or status not in (LeaseStatus.OFFER, LeaseStatus.DRAFT,
                                                                          LeaseStatus.CORRECTIONS):
        return []
    given = {x.consent for x in view.consents}
    return [[button(t("lease.consent", name=t(f"consent.{k}")), LeaseCb(action=LeaseAction.CONSENT,
                                                                          deal_id=c.deal_id, arg=i))]
            for i, k in enumerate(Consent, start=1) if k not in given]


def file_rows(t: Translator, view: Case) -> list[list]:
    """The documents: those still to send, the back office's check of each sent, the offer's PDF and schedule."""
    c, actors, status = view.case, view.actors, LeaseStatus(view.case.status)
    cb = lambda action, arg=0: LeaseCb(action=action, deal_id=c.deal_id, arg=arg)  # noqa: E731
    rows: list[list] = []
    files = {f.kind: f for f in view.files}
    if actors & {Actor.SALES, Actor.CLIENT} and status in FILES_OPEN:
        rows += [[button(t("lease.send_file", name=t(f"lease_doc.{kind}")), cb(LeaseAction.FILE_SEND, i))]
                 for i, kind in enumerate(view.file_kinds, start=1)
                 if (kind != SIGNED_SCAN or status == LeaseStatus.SIGNING)
                 and (kind not in files or files[kind].status != LeaseFileStatus.ACCEPTED)]
    if status == LeaseStatus.VERIFICATION and Actor.BACK_OFFICE in actors:
        for f in view.files:
            name = t(f"lease_doc.{f.kind}")
            row = [button(t("lease.show_file", name=name), cb(LeaseAction.FILE_SHOW, f.id))]
            if f.status == LeaseFileStatus.SENT:
                row += [button(t("lease.accept_file", name=""), cb(LeaseAction.FILE_OK, f.id)),
                        button(t("lease.reject_file", name=""), cb(LeaseAction.FILE_REJECT, f.id))]
            rows.append(row)
    if view.offer is not None:
        rows.append([button(t("lease.pdf"), cb(LeaseAction.PDF)), button(t("lease.csv"), cb(LeaseAction.CSV))])
    return rows


#: the card's screens behind a button of the main block: their buttons, then «⬅️» back to the card
SECTIONS = {LeaseAction.DATA: data_rows, LeaseAction.CONSENTS: consent_rows, LeaseAction.FILES: file_rows}


def case_section(t: Translator, view: Case, action: LeaseAction) -> tuple[str, Markup]:
    """One of the card's SECTIONS: the card's text, the section's buttons and the way back to the card."""
    text, _ = case_screen(t, view)
    if action == LeaseAction.CONSENTS:  # what each button agrees to, read before it is pressed
        given = {x.consent for x in view.consents}
        left = [k for k in Consent if k not in given]
        if left:
            text += "\n\n" + "\n".join([t("consent_text.head")] + [
                f"<b>{t(f'consent.{k}')}</b>: {t(f'consent_text.{k}')}" for k in left])
    back = [button(t("lease.back"), LeaseCb(action=LeaseAction.OPEN, deal_id=view.case.deal_id))]
    return text, Markup(inline_keyboard=[*SECTIONS[action](t, view), back])


def offer_screen(t: Translator, view: Case, offer: m.LeaseOffer) -> tuple[str, Markup]:
    """One version of the case's offer as its reader opens it: its figures, what became of it, its documents, and
    (a client's, while it waits for them) the button that accepts it."""
    c = view.case
    cb = lambda action, arg=0: LeaseCb(action=action, deal_id=c.deal_id, arg=arg)  # noqa: E731
    text = [t("lease.offer_head", version=offer.version, subject=c.subject, id=c.deal_id),
            t("lease.offer_state", state=t(f"lease.state_{offer.status}"), until=t.day(offer.valid_until)),
            *figures(t, result_of(offer), c.currency)]
    rows: list[list] = []
    if Actor.CLIENT in view.actors and offer.status == LeaseOfferStatus.SENT:
        rows.append([button(t("lease.accept", version=offer.version), cb(LeaseAction.ACCEPT, offer.id))])
    rows.append([button(t("lease.pdf"), cb(LeaseAction.PDF, offer.version)),
                 button(t("lease.csv"), cb(LeaseAction.CSV, offer.version))])
    rows.append([button(t("lease.back"), cb(LeaseAction.OPEN))])
    return "\n".join(text), Markup(inline_keyboard=rows)


def problems(t: Translator, found: list[tuple[str, str]]) -> str:
    """The automatic check's findings, in one alert."""
    if not found:
        return t("lease.check_ok")
    return t("lease.check_problems", list="; ".join(
        t(f"lease.problem_{what}", which=t(f"lease_doc.{which}") if which else "") for what, which in found))
