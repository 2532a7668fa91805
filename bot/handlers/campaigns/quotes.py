"""The commercial offer and the order in the chat (seed 001, stages 6–14): the КП's screen (lines typed, taken out,
submitted), the approver's buttons (approve, or return with a comment), the client's answer, the order's screen
with its payments, and the documents as PDF files. Thin: parse, call one service, render."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot import documents as docs
from bot.blueprint import Blueprint
from bot.fsm.dialogs import ask
from bot.fsm.states import QuoteInput
from bot.i18n import Translator
from bot.keyboards.callbacks import OrderAction, OrderCb, QuoteAction, QuoteCb
from bot.views.campaigns import quotes as views
from bot.views.kernel.common import show
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns.approval import Decision
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.inputs import parse_amount, parse_date
from core.services.campaigns import order_to_cash, quotes
from core.services.kernel import tasks
from core.services.kernel.mail import Mailer

router = Blueprint("quotes")


async def _screen(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    await show(target, *views.quote_screen(t, await quotes.screen(uow, me.id, deal_id)), edit=edit)


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.OPEN))
async def opened(cb: CallbackQuery, callback_data: QuoteCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=bool(cb.message.text))
    await cb.answer()


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.START))
async def started(cb: CallbackQuery, callback_data: QuoteCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await quotes.draft(uow, me.id, callback_data.deal_id)
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)
    await cb.answer()


@router.message(QuoteInput.line, F.text)
async def line_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    await quotes.add_line(uow, me.id, data["quote_id"], message.text)
    await state.clear()
    await _screen(message, me, t, uow, data["deal_id"], edit=False)


#: a draft's line and fields typed in a dialog: the state and the question
FIELDS = {QuoteAction.ADD_LINE: (QuoteInput.line, "quote.ask_line"),
          QuoteAction.VALID_UNTIL: (QuoteInput.valid_until, "quote.ask_valid"),
          QuoteAction.TERMS: (QuoteInput.terms, "quote.ask_terms")}


@router.callback_query(QuoteCb.filter(F.action.in_(set(FIELDS))))
async def ask_field(cb: CallbackQuery, callback_data: QuoteCb, state: FSMContext, me: User, t: Translator,
                    uow: UnitOfWork) -> None:
    await quotes.screen(uow, me.id, callback_data.deal_id)  # this person works the deal
    await ask(cb, state, t, *FIELDS[callback_data.action], deal_id=callback_data.deal_id,
              quote_id=callback_data.quote_id)


@router.message(QuoteInput.valid_until, F.text)
async def valid_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    await quotes.set_terms(uow, me.id, data["quote_id"], valid_until=parse_date(message.text))
    await state.clear()
    await _screen(message, me, t, uow, data["deal_id"], edit=False)


@router.message(QuoteInput.terms, F.text)
async def terms_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    await quotes.set_terms(uow, me.id, data["quote_id"], terms=message.text)
    await state.clear()
    await _screen(message, me, t, uow, data["deal_id"], edit=False)


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.DEL_LINE))
async def line_removed(cb: CallbackQuery, callback_data: QuoteCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await quotes.remove_line(uow, me.id, callback_data.quote_id, callback_data.item)
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)
    await cb.answer()


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.SUBMIT))
async def submitted(cb: CallbackQuery, callback_data: QuoteCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    who = await quotes.submit(uow, me.id, callback_data.quote_id)
    await cb.answer(t("quote.submitted", count=len(who)), show_alert=True)
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.APPROVE))
async def approved(cb: CallbackQuery, callback_data: QuoteCb, me: User, t: Translator, uow: UnitOfWork,
                   mailer: Mailer | None = None) -> None:
    quote = await quotes.decide(uow, me.id, callback_data.quote_id, Decision.APPROVE)
    await cb.answer(t("quote.approved" if mailer is not None else "quote.mail.approved_by_hand",
                      version=quote.version), show_alert=True)
    await cb.message.edit_reply_markup(reply_markup=None)


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.RETURN))
async def ask_comment(cb: CallbackQuery, callback_data: QuoteCb, state: FSMContext, t: Translator) -> None:
    await ask(cb, state, t, QuoteInput.comment, "quote.ask_comment", deal_id=callback_data.deal_id,
              quote_id=callback_data.quote_id)


@router.message(QuoteInput.comment, F.text)
async def returned(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    await state.clear()  # a refusal (somebody decided first) ends the dialog too: there is nothing to return
    quote = await quotes.decide(uow, me.id, data["quote_id"], Decision.RETURN, message.text)
    await message.answer(t("quote.returned", version=quote.version))


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.PDF))
async def pdf(cb: CallbackQuery, callback_data: QuoteCb, bot: Bot, me: User, t: Translator, uow: UnitOfWork) -> None:
    doc, version = await quotes.document_of(uow, me.id, callback_data.quote_id)
    await cb.answer()
    await docs.send(bot, cb.message.chat.id, doc, t("quote.pdf_caption", version=version), lambda: uow)


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.VERSIONS))
async def listed(cb: CallbackQuery, callback_data: QuoteCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    rows = await quotes.versions(uow, me.id, callback_data.deal_id)
    await show(cb.message, *views.versions(t, callback_data.deal_id, rows), edit=True)
    await cb.answer()


@router.callback_query(QuoteCb.filter(F.action == QuoteAction.ANSWERED))
async def answered(cb: CallbackQuery, callback_data: QuoteCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await quotes.client_answered(uow, me.id, callback_data.deal_id)
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)
    await cb.answer()


@router.callback_query(QuoteCb.filter((F.action == QuoteAction.ANSWER) & F.answer))
async def answer(cb: CallbackQuery, callback_data: QuoteCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await quotes.answer(uow, me.id, callback_data.deal_id, callback_data.answer)
    await cb.answer(t(f"quote.answer_done_{callback_data.answer.value}"), show_alert=True)
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)


# --- the order -------------------------------------------------------------------------------------------------

async def _order(target: Message, me: User, t: Translator, uow: UnitOfWork, order_id: int, *, edit: bool) -> None:
    await show(target, *views.order_screen(t, await order_to_cash.view(uow, me.id, order_id), me.id), edit=edit)


@router.callback_query(OrderCb.filter(F.action == OrderAction.OPEN))
async def order_opened(cb: CallbackQuery, callback_data: OrderCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _order(cb.message, me, t, uow, callback_data.order_id, edit=True)
    await cb.answer()


@router.callback_query(OrderCb.filter(F.action == OrderAction.TASK_DONE))
async def order_task_done(cb: CallbackQuery, callback_data: OrderCb, me: User, t: Translator,
                          uow: UnitOfWork) -> None:
    await tasks.done_of_order(uow, me.id, callback_data.order_id, callback_data.item)
    await cb.answer(t("tasks.updated"))
    await _order(cb.message, me, t, uow, callback_data.order_id, edit=True)


@router.callback_query(OrderCb.filter(F.action == OrderAction.PAY))
async def ask_amount(cb: CallbackQuery, callback_data: OrderCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork) -> None:
    if not (await order_to_cash.view(uow, me.id, callback_data.order_id)).may_pay:  # a forged button
        raise Forbidden()
    await ask(cb, state, t, QuoteInput.amount, "order.ask_amount", order_id=callback_data.order_id)


@router.message(QuoteInput.amount, F.text)
async def amount_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    paid = await order_to_cash.pay(uow, me.id, data["order_id"], parse_amount(message.text, locale=t.locale))
    await state.clear()
    await message.answer(t("order.paid_now", paid=t.money(paid.paid), remaining=t.money(paid.remaining)))
    await _order(message, me, t, uow, data["order_id"], edit=False)


@router.callback_query(OrderCb.filter(F.action == OrderAction.INVOICE))
async def invoice(cb: CallbackQuery, callback_data: OrderCb, bot: Bot, me: User, t: Translator,
                  uow: UnitOfWork) -> None:
    view = await order_to_cash.view(uow, me.id, callback_data.order_id)
    if view.invoice is None:
        raise InvalidInput("stale_button")
    await cb.answer()
    await docs.send(bot, cb.message.chat.id, view.invoice, t("order.invoice_caption", number=view.order.number),
                    lambda: uow)


@router.message(QuoteInput.line)
@router.message(QuoteInput.comment)
@router.message(QuoteInput.valid_until)
@router.message(QuoteInput.terms)
@router.message(QuoteInput.amount)
async def words_expected(message: Message, t: Translator) -> None:
    await message.answer(t("errors.text_expected"))
