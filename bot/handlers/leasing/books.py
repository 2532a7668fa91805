"""A running contract's books in the chat (seed 002): the back office launches it (the vendor's payment, the
registration, the insurance, the handover), the collections team books payments, other charges and credit notes,
imports bank statements and suspends or resumes; the client and the staff read the account, the schedule, the
fakturas (PDF) and the payments (self care); an admin edits the dunning levels and the late-interest rates. Every
press reloads the contract and checks who the person is to it (the services do). Thin: parse, call one service,
render."""

from __future__ import annotations

from aiogram import BaseMiddleware, Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import documents as docs
from bot.blueprint import Blueprint
from bot.fsm.dialogs import ask, begin, statement_file
from bot.fsm.states import BooksForm
from bot.i18n import Translator
from bot.keyboards.builders import nav
from bot.keyboards.callbacks import BooksAction, BooksCb, MenuAction, MenuCb
from bot.views.kernel.common import show
from bot.views.leasing import books as views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import permissions
from core.domain.kernel.access import Actor
from core.domain.kernel.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from core.domain.kernel.permissions import Permission
from core.domain.kernel.roles import Role, holds
from core.domain.leasing.case import BOOKKEEPERS, LAUNCHERS, LeaseLocked
from core.services.kernel.config import CoreConfig
from core.services.leasing import books as lease_books
from core.services.leasing import launch as lease_launch


class RefusalClosesForm(BaseMiddleware):
    """A step refused for what it is, not for how it was typed (the vendor paid already, a statement loaded before,
    not allowed, not at this stage): the form closes with the refusal, nothing to retype. A typing mistake
    (InvalidInput) keeps it open for another try."""

    async def __call__(self, handler, event, data):
        try:
            return await handler(event, data)
        except (Conflict, Forbidden, IllegalTransition, LeaseLocked):
            state: FSMContext | None = data.get("state")
            if state is not None:
                await state.clear()
            raise


router = Blueprint("lease_books", message_middlewares=[RefusalClosesForm])

TABLES = {1: lease_books.LEVELS, 2: lease_books.RATES}


async def _account(target: Message, me: User, t: Translator, uow: UnitOfWork, cfg: CoreConfig, deal_id: int, *,
                   edit: bool) -> None:
    await show(target, *views.account_screen(t, await lease_books.account(uow, cfg, me.id, deal_id)), edit=edit)


@router.callback_query(BooksCb.filter(F.action == BooksAction.OPEN))
async def opened(cb: CallbackQuery, callback_data: BooksCb, me: User, t: Translator, uow: UnitOfWork,
                 cfg: CoreConfig) -> None:
    await _account(cb.message, me, t, uow, cfg, callback_data.deal_id, edit=bool(cb.message.text))
    await cb.answer()


@router.callback_query(BooksCb.filter(F.action.in_({BooksAction.SCHEDULE, BooksAction.PAYMENTS})))
async def listed(cb: CallbackQuery, callback_data: BooksCb, me: User, t: Translator, uow: UnitOfWork,
                 cfg: CoreConfig) -> None:
    acc = await lease_books.account(uow, cfg, me.id, callback_data.deal_id)
    render = views.schedule_text if callback_data.action == BooksAction.SCHEDULE else views.payments_text
    await cb.answer()
    await cb.message.answer(render(t, acc))


@router.callback_query(BooksCb.filter(F.action == BooksAction.INVOICES))
async def invoices(cb: CallbackQuery, callback_data: BooksCb, me: User, t: Translator, uow: UnitOfWork,
                   cfg: CoreConfig) -> None:
    text, markup = views.invoices_screen(t, await lease_books.account(uow, cfg, me.id, callback_data.deal_id))
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(BooksCb.filter(F.action.in_({BooksAction.PDF, BooksAction.LETTER, BooksAction.SETTLEMENT})))
async def document(cb: CallbackQuery, callback_data: BooksCb, me: User, uow: UnitOfWork, bot: Bot,
                   cfg: CoreConfig) -> None:
    if callback_data.action == BooksAction.PDF:
        await cb.answer()  # KSeF first (a faktura it has not numbered yet), then the PDF with its number
        await lease_books.ksef.send_pending(lambda: uow, cfg, invoice_ids=[callback_data.arg])
        doc = (await lease_books.invoice_document(uow, me.id, callback_data.arg, cfg)).document
    elif callback_data.action == BooksAction.SETTLEMENT:
        doc = await lease_books.settlement_document(uow, me.id, callback_data.deal_id)
    else:
        doc = await lease_books.letter_document(uow, me.id, callback_data.arg)
    await cb.answer()
    await docs.send(bot, cb.message.chat.id, doc, doc.file_name, lambda: uow)


# --- the steps typed ----------------------------------------------------------------------------------------------

#: a step asked in a dialog: its state and its question
ASKED = {BooksAction.VENDOR: (BooksForm.vendor, "books.ask_vendor"),
         BooksAction.REGISTRATION: (BooksForm.registration, "books.ask_registration"),
         BooksAction.INSURANCE: (BooksForm.insurance, "books.ask_insurance"),
         BooksAction.HANDOVER: (BooksForm.handover, "books.ask_handover"),
         BooksAction.PAYMENT: (BooksForm.payment, "books.ask_payment"),
         BooksAction.CHARGE: (BooksForm.charge, "books.ask_charge"),
         BooksAction.CREDIT: (BooksForm.credit, "books.ask_credit"),
         BooksAction.SUSPEND: (BooksForm.suspend, "books.ask_suspend"),
         BooksAction.LATE_RATE: (BooksForm.late_rate, "books.ask_late_rate")}


#: the launch's steps and the contract's terms: the back office's (and an admin's), not the collections team's
OFFICE_STEPS = frozenset({BooksAction.VENDOR, BooksAction.REGISTRATION, BooksAction.INSURANCE, BooksAction.HANDOVER,
                          BooksAction.LATE_RATE})


@router.callback_query(BooksCb.filter(F.action.in_(set(ASKED))))
async def asked(cb: CallbackQuery, callback_data: BooksCb, state: FSMContext, me: User, t: Translator,
                uow: UnitOfWork, cfg: CoreConfig) -> None:
    acc = await lease_books.account(uow, cfg, me.id, callback_data.deal_id)
    who = LAUNCHERS if callback_data.action in OFFICE_STEPS else BOOKKEEPERS
    if not acc.actors & who:  # a step the screen does not offer this person (the service refuses it again)
        raise InvalidInput("stale_button")
    if callback_data.action == BooksAction.VENDOR:  # paid already: refused now, not after the amount is typed
        lease_launch.check_vendor_payable(acc.case)
    if callback_data.action == BooksAction.HANDOVER:  # what it waits for, said before the day is asked, with its step
        missing = lease_launch.launch_missing(acc.case, acc.insurance)
        if missing:
            await cb.answer()
            await cb.message.answer(t(f"errors.lease_launch_{missing}"),
                                    reply_markup=views.launch_step(t, callback_data.deal_id, missing))
            return
    await ask(cb, state, t, *ASKED[callback_data.action], deal_id=callback_data.deal_id)


async def _done(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork, cfg: CoreConfig,
                deal_id: int, said: str | None = None) -> None:
    await state.clear()
    if said:
        await message.answer(said)
    await _account(message, me, t, uow, cfg, deal_id, edit=False)


@router.message(BooksForm.vendor, F.text)
async def vendor_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                       cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    paid = await lease_launch.pay_vendor(uow, cfg, me.id, deal_id, message.text)
    await _done(message, state, me, t, uow, cfg, deal_id,
                t("books.vendor_done" if paid.vendor_told else "books.vendor_done_untold"))


@router.message(BooksForm.registration, F.text)
async def registration_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                             cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await lease_launch.set_registration(uow, me.id, deal_id, message.text)
    await _done(message, state, me, t, uow, cfg, deal_id)


@router.message(BooksForm.insurance, F.text)
async def insurance_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                          cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await lease_launch.set_insurance(uow, cfg, me.id, deal_id, message.text)
    await _done(message, state, me, t, uow, cfg, deal_id)


@router.message(BooksForm.handover, F.text)
async def handover_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                         cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await lease_launch.hand_over(uow, cfg, me.id, deal_id, message.text)
    await _done(message, state, me, t, uow, cfg, deal_id, t("books.handed_over_done"))


@router.message(BooksForm.payment, F.text)
async def payment_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                        cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    booked = await lease_books.register_payment(uow, cfg, me.id, deal_id, message.text,
                                                key=f"{message.chat.id}:{message.message_id}")
    said = t("books.payment_done", balance=t.money(booked.balance, booked.currency))
    if booked.corrected:
        said += "\n" + t("books.interest_corrected", amount=t.money(booked.corrected, booked.currency))
    await _done(message, state, me, t, uow, cfg, deal_id, said)


@router.message(BooksForm.charge, F.text)
async def charge_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                       cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await lease_books.add_charge(uow, cfg, me.id, deal_id, message.text, key=f"{message.chat.id}:{message.message_id}")
    await _done(message, state, me, t, uow, cfg, deal_id)


@router.message(BooksForm.credit, F.text)
async def credit_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                       cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    invoice = await lease_books.credit_note(uow, cfg, me.id, deal_id, message.text,
                                            key=f"{message.chat.id}:{message.message_id}")
    await _done(message, state, me, t, uow, cfg, deal_id,
                t("books.credit_done", number=lease_books.invoice_number(invoice)))


@router.message(BooksForm.suspend, F.text)
async def suspend_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                        cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await lease_books.suspend(uow, cfg, me.id, deal_id, message.text)
    await _done(message, state, me, t, uow, cfg, deal_id)


@router.message(BooksForm.late_rate, F.text)
async def late_rate_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                          cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await lease_launch.set_late_rate(uow, me.id, deal_id, message.text)
    await _done(message, state, me, t, uow, cfg, deal_id)


@router.callback_query(BooksCb.filter(F.action == BooksAction.RESUME))
async def resumed(cb: CallbackQuery, callback_data: BooksCb, me: User, t: Translator, uow: UnitOfWork,
                  cfg: CoreConfig) -> None:
    _, shift = await lease_books.resume(uow, cfg, me.id, callback_data.deal_id)
    await cb.answer(t("books.resumed", months=shift), show_alert=True)
    await _account(cb.message, me, t, uow, cfg, callback_data.deal_id, edit=True)


# --- the books' menu: statements, lines aside, the admins' tables --------------------------------------------------

def keeps_books(me: User) -> bool:
    """Whether the access rules give this person the books (Permission.LEASE_BOOKS): the menu's buttons and the
    services ask the same (a forged button is refused again by the service)."""
    return permissions.may(Actor(me.id, me.roles), Permission.LEASE_BOOKS)


@router.callback_query(MenuCb.filter(F.action == MenuAction.BOOKS))
async def books_menu(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork, cfg: CoreConfig) -> None:
    if not keeps_books(me):
        raise InvalidInput("stale_button")
    text, markup = views.menu(t, holds(me, Role.ADMIN))
    if holds(me, Role.ADMIN):  # KSeF: on or off, and where the fakturas stand
        text += "\n\n" + views.ksef_text(t, await lease_books.ksef.state(uow, cfg, me.id))
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(BooksCb.filter(F.action == BooksAction.STATEMENT))
async def statement_asked(cb: CallbackQuery, state: FSMContext, me: User, t: Translator) -> None:
    if not keeps_books(me):
        raise InvalidInput("stale_button")
    await ask(cb, state, t, BooksForm.statement, "books.ask_statement")


@router.message(BooksForm.statement)
async def statement_sent(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                         cfg: CoreConfig, bot: Bot) -> None:
    content, name = await statement_file(message, cfg, bot)
    done = await lease_books.import_statement(uow, cfg, me.id, name, content)
    await state.clear()
    text, markup = views.imported_screen(t, done)
    await message.answer(text, reply_markup=markup)


@router.callback_query(BooksCb.filter(F.action == BooksAction.UNMATCHED))
async def unmatched(cb: CallbackQuery, callback_data: BooksCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """The lines kept aside (``arg``: the page); from the books' menu a message of its own, a page in place."""
    lines = await lease_books.unmatched(uow, me.id)
    text, markup = views.unmatched_screen(t, lines, callback_data.arg)
    await cb.answer()
    await show(cb.message, text, markup, edit=(cb.message.text or "").startswith(t("books.unmatched_head")))


@router.callback_query(BooksCb.filter(F.action == BooksAction.ASSIGN))
async def assign_asked(cb: CallbackQuery, callback_data: BooksCb, state: FSMContext, me: User, t: Translator) -> None:
    if not keeps_books(me):
        raise InvalidInput("stale_button")
    await ask(cb, state, t, BooksForm.assign, "books_match.ask_assign", line_id=callback_data.arg)


@router.message(BooksForm.assign, F.text)
async def assign_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                       cfg: CoreConfig) -> None:
    line_id = (await state.get_data())["line_id"]
    booked = await lease_books.assign_line(uow, cfg, me.id, line_id, message.text)
    await state.clear()
    await message.answer(t("books_match.assigned", id=booked.receipt.deal_id,
                           amount=t.money(booked.receipt.amount, booked.currency),
                           balance=t.money(booked.balance, booked.currency)),
                         reply_markup=views.after_assign(t, booked.receipt.deal_id))


@router.callback_query(BooksCb.filter(F.action == BooksAction.TABLE))
async def table_shown(cb: CallbackQuery, callback_data: BooksCb, state: FSMContext, me: User, t: Translator,
                      uow: UnitOfWork) -> None:
    kind = TABLES.get(callback_data.arg)
    if kind is None:
        raise InvalidInput("stale_button")
    body = await lease_books.table_text(uow, me.id, kind)
    if kind == lease_books.LEVELS:  # a default level by its code: in the admin's words
        body = views.levels_table(t, body)
    await begin(state, kind=kind)
    await state.set_state(BooksForm.table)
    await cb.answer()
    await cb.message.answer(t(f"books.table_{kind}", body=body), reply_markup=nav(t, back=False))


@router.message(BooksForm.table, F.text)
async def table_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    kind = (await state.get_data())["kind"]
    body = await lease_books.set_table(uow, me.id, kind, message.text)
    if kind == lease_books.LEVELS:
        body = views.levels_table(t, body)
    await state.clear()
    await message.answer(t("books.table_saved", body=body))
