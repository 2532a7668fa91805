"""A running contract's books in the chat (seed 002: Uruchomienie, Rozliczanie, self care): the account (balance,
overdue, the next instalment, the object's launch), the schedule in force, the fakturas with their PDFs, the
payments; the buttons each person may press; the books' menu of the back office and the collections team."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardButton
from aiogram.types import InlineKeyboardMarkup as Markup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.keyboards.builders import menu_button
from bot.keyboards.callbacks import BooksAction, BooksCb, LeaseAction, LeaseCb, MenuAction, MenuCb
from bot.keyboards.pager import button, fit, page_of, pager
from bot.views.kernel.names import dunning_level
from core.db.kernel import models as m
from core.domain.leasing.case import BOOKKEEPERS, LAUNCHERS, Actor, LeaseStatus
from core.services.leasing.books import Account, Imported, invoice_number

SHOWN = 40  # lines of a list shown in one message


def account_screen(t: Translator, acc: Account) -> tuple[str, Markup]:
    c, money = acc.case, (lambda value: t.money(value, acc.case.currency))
    status = LeaseStatus(c.status)
    text = [t("books.head", id=c.deal_id, subject=c.subject),
            t("books.status", status=t(f"lease_status.{status.value}"))]
    staff = bool(acc.actors - {Actor.CLIENT})  # the client reads what concerns him, not the lessor's own steps
    if c.vendor_paid_on and staff:
        text.append(t("books.vendor_paid", day=t.day(c.vendor_paid_on), amount=money(c.vendor_paid_amount)))
    if c.registration:
        text.append(t("books.registration", number=c.registration))
    if acc.insurance:
        text.append(t("books.insurance", insurer=acc.insurance.insurer,
                      policy=acc.insurance.policy_no, ends=t.day(acc.insurance.ends_on)))
    if c.handed_over_on:
        text.append(t("books.handed_over", day=t.day(c.handed_over_on), version=c.schedule_version) if staff
                    else t("books.handed_over_client", day=t.day(c.handed_over_on)))
    rate = t.number(c.late_rate).rstrip("0").rstrip(",.") if c.late_rate is not None else None  # «12,5»
    text.append(t("books.late_rate_line", rate=f"{rate} %" if rate is not None else
                  t("books.statutory" if staff else "books.statutory_client")))
    s = acc.settlement
    text += ["", t("books.charged", amount=money(s.total_charged)), t("books.paid", amount=money(s.paid)),
             t("books.credited", amount=money(s.credited)) if s.credited else None,
             t("books.balance", amount=money(acc.payable)) if acc.payable >= 0
             else t("books.credit", amount=money(-acc.payable)),
             t("books_match.accrued", amount=money(acc.accrued)) if acc.accrued > 0 else None]
    if acc.overdue:
        text.append(t("books.overdue", amount=money(acc.overdue)))
    nxt = acc.next_line
    if nxt is not None and status != LeaseStatus.CLOSED:
        text.append(t("books.next", n=nxt.n, day=t.day(nxt.due), amount=money(nxt.gross)))
    if status == LeaseStatus.CLOSED:
        text.append(t("books.closed", day=t.day(c.closed_at.date() if c.closed_at else None)))
    if acc.dunnings and Actor.CLIENT not in acc.actors:
        last = acc.dunnings[-1]
        text.append(t("books.last_dunning", level=dunning_level(t, last.name), day=t.day(last.sent_on)))
    return "\n".join(x for x in text if x is not None), Markup(inline_keyboard=_buttons(t, acc))


def _buttons(t: Translator, acc: Account) -> list[list]:
    deal, status, actors = acc.case.deal_id, LeaseStatus(acc.case.status), acc.actors
    cb = lambda action, arg=0: BooksCb(action=action, deal_id=deal, arg=arg)  # noqa: E731
    rows: list[list] = []
    if acc.lines:
        rows.append([button(t("books.schedule"), cb(BooksAction.SCHEDULE)),
                     button(t("books.invoices"), cb(BooksAction.INVOICES))])
    rows.append([button(t("books.payments"), cb(BooksAction.PAYMENTS))])
    office = actors & LAUNCHERS
    if office and status == LeaseStatus.TO_PAYMENT:
        if acc.case.vendor_paid_on is None:
            rows.append([button(t("books.vendor"), cb(BooksAction.VENDOR))])
        rows.append([button(t("books.registration_button"), cb(BooksAction.REGISTRATION)),
                     button(t("books.insurance_button"), cb(BooksAction.INSURANCE))])
        rows.append([button(t("books.handover"), cb(BooksAction.HANDOVER))])
    if office and status in (LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED):
        rows.append([button(t("books.insurance_button"), cb(BooksAction.INSURANCE))])
    if office and status in (LeaseStatus.TO_PAYMENT, LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED):
        rows.append([button(t("books.late_rate"), cb(BooksAction.LATE_RATE))])
    if status == LeaseStatus.CLOSED:
        rows.append([button(t("books.settlement"), cb(BooksAction.SETTLEMENT))])
    if actors & BOOKKEEPERS and status in (LeaseStatus.TO_PAYMENT, LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED):
        rows.append([button(t("books.payment"), cb(BooksAction.PAYMENT))])
    if actors & BOOKKEEPERS and status in (LeaseStatus.ACTIVE, LeaseStatus.SUSPENDED):
        rows.append([button(t("books.charge"), cb(BooksAction.CHARGE)), button(t("books.credit_note"),
                                                                             cb(BooksAction.CREDIT))])
        rows.append([button(t("books.suspend"), cb(BooksAction.SUSPEND)) if status == LeaseStatus.ACTIVE
                     else button(t("books.resume"), cb(BooksAction.RESUME))])
    if acc.dunnings and actors & BOOKKEEPERS:
        letters = [d for d in acc.dunnings if d.by_letter][-1:]
        rows += [[button(t("books.letter", level=fit(dunning_level(t, d.name), 40)), cb(BooksAction.LETTER, d.id))]
                 for d in letters]
    rows.append([button(t("lease.back"), LeaseCb(action=LeaseAction.OPEN, deal_id=deal))])
    return rows


def launch_step(t: Translator, deal_id: int, missing: str) -> Markup:
    """The step the handover waits for («vendor_payment», «insurance»), a press away, and the way back."""
    step = (t("books.vendor"), BooksAction.VENDOR) if missing == "vendor_payment" else (
        t("books.insurance_button"), BooksAction.INSURANCE)
    return Markup(inline_keyboard=[[button(step[0], BooksCb(action=step[1], deal_id=deal_id))],
                                   [button(t("books.back"), BooksCb(action=BooksAction.OPEN, deal_id=deal_id))]])


def schedule_text(t: Translator, acc: Account) -> str:
    money = lambda value: t.money(value, acc.case.currency)  # noqa: E731
    lines = [t("books.schedule_head", id=acc.case.deal_id, version=acc.case.schedule_version)]
    for x in acc.lines[:SHOWN]:
        mark = "✅" if x.key in acc.charged_keys else "🕓"
        name = t("books.residual") if x.key == "r" else str(x.n)
        lines.append(f"{mark} {name}. {t.day(x.due)} — {money(x.gross)} ({money(x.net)} + VAT {money(x.vat)})")
    return "\n".join(lines)


def invoices_screen(t: Translator, acc: Account) -> tuple[str, Markup]:
    money = lambda value: t.money(value, acc.case.currency)  # noqa: E731
    charges = {c.id: c for c in acc.charges}
    receipts = {r.id: r for r in acc.receipts}
    text, rows = [t("books.invoices_head", id=acc.case.deal_id)], []
    for inv in acc.invoices[-SHOWN:]:
        number = invoice_number(inv)
        if inv.charge_id is not None:
            c = charges[inv.charge_id]
            state = t("books.invoice_paid") if c.paid_off else t("books.invoice_open", day=t.day(c.due))
            text.append(f"{number} — {t(f'charge_kind.{c.kind}')} — {money(c.gross)} · {state}")
        else:
            corrects = next((invoice_number(x) for x in acc.invoices if x.id == inv.corrects_id), None)
            text.append(f"{number} — {t('charge_kind.credit')} — −{money(receipts[inv.receipt_id].amount)}"
                        + (f" · {t('ksef.corrects', number=corrects)}" if corrects else ""))
        if inv.ksef_number:
            text[-1] += f" · {t('ksef.number', number=inv.ksef_number)}"
        rows.append([button(f"📄 {number}", BooksCb(action=BooksAction.PDF, deal_id=acc.case.deal_id, arg=inv.id))])
    if not acc.invoices:
        text.append(t("books.none"))
    rows.append([button(t("books.back"), BooksCb(action=BooksAction.OPEN, deal_id=acc.case.deal_id))])
    return "\n".join(text), Markup(inline_keyboard=rows)


def payments_text(t: Translator, acc: Account) -> str:
    money = lambda value: t.money(value, acc.case.currency)  # noqa: E731
    text = [t("books.payments_head", id=acc.case.deal_id)]
    for r in acc.receipts[-SHOWN:]:
        kind = t("books.receipt_credit") if r.kind == "credit" else t("books.receipt_payment")
        text.append(f"{t.day(r.paid_on)} — {kind} {money(r.amount)}" + (f" · {escape(r.reference)}"
                                                                      if r.reference else ""))
    interest = [c for c in acc.charges if c.kind == "interest"]
    for c in interest[-SHOWN:]:
        text.append(t("books.interest_line", day=t.day(c.booked_on), amount=money(c.gross)))
    if len(text) == 1:
        text.append(t("books.none"))
    return "\n".join(text)


def menu(t: Translator, admin: bool) -> tuple[str, Markup]:
    cb = lambda action, arg=0: BooksCb(action=action, arg=arg)  # noqa: E731
    rows = [[button(t("books.statement"), cb(BooksAction.STATEMENT))],
            [button(t("books.unmatched"), cb(BooksAction.UNMATCHED))]]
    if admin:
        rows.append([button(t("books.levels"), cb(BooksAction.TABLE, 1)),
                     button(t("books.rates"), cb(BooksAction.TABLE, 2))])
    rows.append([menu_button(t)])
    return t("books.menu"), Markup(inline_keyboard=rows)


def levels_table(t: Translator, body: str) -> str:
    """The admins' table of dunning levels («days; name» a line) with each default level in the reader's words."""
    return "\n".join(f"{days}; {dunning_level(t, name.strip())}" if sep else line
                     for line in body.splitlines() for days, sep, name in [line.partition(";")])


def ksef_text(t: Translator, state) -> str:
    """The admin's books screen: KSeF on (its environment, the fakturas waiting, offline, accepted, refused) or off."""
    if not state.enabled:
        return t("ksef.off", waiting=state.waiting)
    return t("ksef.on", env=t(f"ksef.env_{state.env}"), waiting=state.waiting, offline=state.offline,
             accepted=state.accepted, refused=state.refused)


def imported_text(t: Translator, done: Imported) -> str:
    text = t("books.imported", lines=done.statement.lines, booked=done.booked, aside=done.unmatched,
             skipped=done.skipped)
    if done.by_account:
        text += "\n" + t("books_match.by_account", count=done.by_account)
    if done.typed:
        text += "\n" + t("books_match.typed", count=done.typed)
    return text


def _problem(t: Translator, problem: str) -> str:
    key = f"books_match.problem_{problem}" if problem == "ambiguous" else f"books.problem_{problem}"
    return t(key)


def unmatched_text(t: Translator, lines: list[m.LeaseStatementLine]) -> str:
    if not lines:
        return t("books.unmatched_none")
    return "\n".join([t("books.unmatched_head")] + [
        f"{n}. {t.day(x.paid_on)} — {t.money(x.amount, x.currency or 'PLN')} — {escape(x.reference or '')}"
        + (f" · {escape(x.account)}" if x.account else "") + f" · {_problem(t, x.problem)}"
        for n, x in enumerate(lines, start=1)])


def to_books_menu(t: Translator) -> list[InlineKeyboardButton]:
    """The way back to the books' menu (its statements, the lines aside, the tables)."""
    return [button(t("books.back_menu"), MenuCb(action=MenuAction.BOOKS))]


def imported_screen(t: Translator, done: Imported) -> tuple[str, Markup]:
    """A statement's summary, then the lines it kept aside (when it did) and the way back to the books' menu."""
    rows = [[button(t("books.unmatched"), BooksCb(action=BooksAction.UNMATCHED))]] if done.unmatched else []
    return imported_text(t, done), Markup(inline_keyboard=[*rows, to_books_menu(t)])


def unmatched_screen(t: Translator, lines: list[m.LeaseStatementLine], page: int = 0) -> tuple[str, Markup]:
    """The lines kept aside, each with a button to assign it to a contract (a page of them at a time, «◀️ ▶️»), then
    the way back to the books' menu."""
    shown, page, pages = page_of(enumerate(lines, start=1), page)
    kb = InlineKeyboardBuilder()
    for n, x in shown:
        kb.row(button(t("books_match.assign", n=n, amount=t.money(x.amount, x.currency or "PLN")),
                      BooksCb(action=BooksAction.ASSIGN, arg=x.id)))
    pager(kb, page, pages, lambda p: BooksCb(action=BooksAction.UNMATCHED, arg=p))
    kb.row(*to_books_menu(t))
    return unmatched_text(t, lines), kb.as_markup()


def after_assign(t: Translator, deal_id: int) -> Markup:
    return Markup(inline_keyboard=[[button(t("books.open"), BooksCb(action=BooksAction.OPEN, deal_id=deal_id))],
                                   [button(t("books.unmatched"), BooksCb(action=BooksAction.UNMATCHED))],
                                   to_books_menu(t)])
