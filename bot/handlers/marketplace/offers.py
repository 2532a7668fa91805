"""Offers: a manager's form (seed step 4), their own offers; the client's comparison and choice (step 5)."""

from __future__ import annotations

from decimal import Decimal

from aiogram import Bot, F
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin, checked_file
from bot.fsm.moves import move
from bot.fsm.states import OfferForm
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import FormAction, FormCb, OfferAction, OfferCb
from bot.render import offer_line, offer_summary, offers_table
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import MAX_AMOUNT, clean_text, parse_amount, parse_int
from core.domain.marketplace.applications import AppStatus
from core.domain.marketplace.offers import OfferStatus
from core.services.kernel.config import CoreConfig
from core.services.marketplace import applications, offers
from core.services.marketplace.offers import OfferInput

router = Blueprint("offers")

STEPS = ("monthly_payment", "term", "advance", "buyout", "comment", "file")
MONEY_STEPS = ("monthly_payment", "advance", "buyout")
STATE = {name: getattr(OfferForm, name) for name in STEPS}
CHECK, BOX = "✅", "⬜"


async def ask(message: Message, state: FSMContext, step: str, t: Translator, answer: dict | None = None) -> None:
    await move(state, STATE[step], **(answer or {}))
    data = await state.get_data()
    extra = []
    if step == "term":
        extra.append((t("offer.keep_term", term=data["app_term"]), FormCb(action=FormAction.KEEP)))
    if step in ("comment", "file"):
        extra.append((t("buttons.skip"), FormCb(action=FormAction.SKIP)))
    hint = ""
    current = data.get(step)
    if current and step in MONEY_STEPS:
        hint = t("offer.current", value=t.money(Decimal(current)))
    elif current and step in ("comment", "file"):
        hint = t("offer.current", value=current if step == "comment" else current.get("file_name") or "📎")
    await message.answer(t(f"offer.ask.{step}", currency=t.currency()) + hint,
                         reply_markup=builders.nav(t, *extra, back=step != STEPS[0]))


async def advance(message: Message, state: FSMContext, step: str, t: Translator, answer: dict) -> None:
    """Store the answer and go on: the next question, or the summary after the last one."""
    following = STEPS.index(step) + 1
    if following < len(STEPS):
        await ask(message, state, STEPS[following], t, answer)
        return
    await move(state, OfferForm.summary, **answer)
    kb = InlineKeyboardBuilder()
    kb.button(text=t("buttons.send"), callback_data=FormCb(action=FormAction.SEND))
    kb.button(text=t("buttons.back"), callback_data=FormCb(action=FormAction.BACK))
    kb.button(text=t("buttons.cancel"), callback_data=FormCb(action=FormAction.CANCEL))
    kb.adjust(3)
    await message.answer(offer_summary(t, await state.get_data()), reply_markup=kb.as_markup())


@router.callback_query(OfferCb.filter(F.action.in_({OfferAction.START, OfferAction.EDIT})))
async def start(cb: CallbackQuery, callback_data: OfferCb, state: FSMContext, me: User, t: Translator,
                uow: UnitOfWork, cfg: CoreConfig) -> None:
    started = await offers.start(uow, me.id, callback_data.app_id, cfg)
    card = await applications.card(uow, me.id, callback_data.app_id)
    data = {"app_id": callback_data.app_id, "app_term": card.app.term_months}
    if started.offer is not None:
        o = started.offer
        data.update(monthly_payment=str(o.monthly_payment), term=o.term_months, advance=str(o.advance),
                    buyout=str(o.buyout), comment=o.comment,
                    file={"kind": o.file_kind, "file_id": o.file_id, "file_name": o.file_name} if o.file_id else None)
    await begin(state, **data)
    await cb.answer()
    await cb.message.answer(t("offer.held", id=callback_data.app_id, until=t.dt(started.expires_at)))
    await ask(cb.message, state, STEPS[0], t)


@router.callback_query(StateFilter(OfferForm), FormCb.filter(F.action == FormAction.BACK))
async def back(cb: CallbackQuery, state: FSMContext, t: Translator) -> None:
    current = (await state.get_state()).split(":")[-1]
    target = STEPS[-1] if current == "summary" else STEPS[max(STEPS.index(current) - 1, 0)]
    await cb.answer()
    await ask(cb.message, state, target, t)


def _amount_step(step: str, minimum: Decimal):
    async def handler(message: Message, state: FSMContext, t: Translator) -> None:
        if message.text is None:
            raise InvalidInput("text_expected")
        value = parse_amount(message.text, minimum=minimum, maximum=MAX_AMOUNT, locale=t.locale)
        await advance(message, state, step, t, {step: str(value)})
    return handler


router.message(OfferForm.monthly_payment)(_amount_step("monthly_payment", Decimal("1")))
router.message(OfferForm.advance)(_amount_step("advance", Decimal("0")))
router.message(OfferForm.buyout)(_amount_step("buyout", Decimal("0")))


@router.message(OfferForm.term)
async def term(message: Message, state: FSMContext, t: Translator) -> None:
    if message.text is None:
        raise InvalidInput("text_expected")
    await advance(message, state, "term", t, {"term": parse_int(message.text, minimum=1, maximum=120)})


@router.callback_query(OfferForm.term, FormCb.filter(F.action == FormAction.KEEP))
async def keep_term(cb: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await cb.answer()
    await advance(cb.message, state, "term", t, {"term": (await state.get_data())["app_term"]})


@router.message(OfferForm.comment)
async def comment(message: Message, state: FSMContext, t: Translator, cfg: CoreConfig) -> None:
    if message.text is None:
        raise InvalidInput("text_expected")
    await advance(message, state, "comment", t, {"comment": clean_text(message.text, max_len=cfg.max_text)})


@router.callback_query(StateFilter(OfferForm.comment, OfferForm.file), FormCb.filter(F.action == FormAction.SKIP))
async def skip(cb: CallbackQuery, state: FSMContext, t: Translator) -> None:
    step = (await state.get_state()).split(":")[-1]
    await cb.answer()
    await advance(cb.message, state, step, t, {step: None})


@router.message(OfferForm.file)
async def offer_file(message: Message, state: FSMContext, bot: Bot, t: Translator, cfg: CoreConfig) -> None:
    f = await checked_file(message, cfg, bot)
    await advance(message, state, "file", t, {"file": f})


@router.callback_query(OfferForm.summary, FormCb.filter(F.action == FormAction.SEND))
async def send(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
               cfg: CoreConfig) -> None:
    data = await state.get_data()
    f = data.get("file") or {}
    offer = await offers.submit(uow, me.id, data["app_id"], OfferInput(
        monthly_payment=Decimal(data["monthly_payment"]), term_months=data["term"], advance=Decimal(data["advance"]),
        buyout=Decimal(data["buyout"]), comment=data.get("comment"), file_id=f.get("file_id"),
        file_kind=f.get("kind"), file_name=f.get("file_name"), mime_type=f.get("mime_type"), size=f.get("size"),
    ), cfg)
    await state.clear()
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("offer.sent", id=offer.application_id), reply_markup=_own_offer_kb(t, offer))


def _own_offer_kb(t: Translator, offer) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("buttons.edit_offer"), callback_data=OfferCb(action=OfferAction.EDIT,
                                                                  app_id=offer.application_id, offer_id=offer.id))
    if offer.status == OfferStatus.ACTIVE:
        kb.button(text=t("buttons.withdraw"), callback_data=OfferCb(action=OfferAction.WITHDRAW,
                                                                    app_id=offer.application_id, offer_id=offer.id))
    return kb.as_markup()


@router.callback_query(OfferCb.filter(F.action == OfferAction.VIEW))
async def view_own(cb: CallbackQuery, callback_data: OfferCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    offer = await offers.get_own(uow, me.id, callback_data.offer_id)
    app, views, _ = await offers.visible_offers(uow, me.id, offer.application_id)
    view = next((v for v in views if v.offer.id == offer.id), None)
    text = t("offer.own_title", app_id=app.id, status=t.status(app.status)) + "\n\n" + (
        offer_line(t, view, 1) if view else t(f"offer_status.{offer.status}"))
    markup = _own_offer_kb(t, offer) if app.status == AppStatus.DISPATCHED else builders.open_app(t, app.id)
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(OfferCb.filter(F.action == OfferAction.WITHDRAW))
async def withdraw(cb: CallbackQuery, callback_data: OfferCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    offer = await offers.withdraw(uow, me.id, callback_data.offer_id)
    await cb.answer(t("offer.withdrawn", id=offer.application_id))
    await cb.message.edit_reply_markup(reply_markup=_own_offer_kb(t, offer))


# --- the client's choice -------------------------------------------------------------------------------------

def _choice_kb(t: Translator, app_id: int, views, selected: set[int]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for i, v in enumerate(views, start=1):
        mark = CHECK if v.offer.id in selected else BOX
        kb.row(InlineKeyboardButton(text=f"{mark} {i}. {v.offer.company.name}", callback_data=OfferCb(
            action=OfferAction.TOGGLE, app_id=app_id, offer_id=v.offer.id).pack()))
    kb.row(InlineKeyboardButton(text=t("buttons.approve_deal"), callback_data=OfferCb(
        action=OfferAction.APPROVE_DEAL, app_id=app_id).pack()))
    return kb.as_markup()


def selected_in(markup: InlineKeyboardMarkup | None) -> set[int]:
    """The offers ticked on the message the client pressed; the service checks them again."""
    chosen: set[int] = set()
    for row in (markup.inline_keyboard if markup else []):
        for button in row:
            if button.text.startswith(CHECK) and button.callback_data:
                chosen.add(OfferCb.unpack(button.callback_data).offer_id)
    return chosen


@router.callback_query(OfferCb.filter(F.action == OfferAction.COMPARE))
async def compare(cb: CallbackQuery, callback_data: OfferCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    app, views, may_choose = await offers.visible_offers(uow, me.id, callback_data.app_id)
    active = [v for v in views if v.offer.status == OfferStatus.ACTIVE]
    can_pick = may_choose and app.status == AppStatus.DISPATCHED and active
    await cb.answer()
    await cb.message.answer(offers_table(t, app, views, None),
                            reply_markup=_choice_kb(t, app.id, active, set()) if can_pick else None)


@router.callback_query(OfferCb.filter(F.action == OfferAction.TOGGLE))
async def toggle(cb: CallbackQuery, callback_data: OfferCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    app, views, may_choose = await offers.visible_offers(uow, me.id, callback_data.app_id)
    active = [v for v in views if v.offer.status == OfferStatus.ACTIVE]
    if not may_choose or app.status != AppStatus.DISPATCHED or callback_data.offer_id not in {
            v.offer.id for v in active}:
        raise InvalidInput("stale_button")
    selected = selected_in(cb.message.reply_markup) ^ {callback_data.offer_id}
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=_choice_kb(t, app.id, active, selected))


@router.callback_query(OfferCb.filter(F.action == OfferAction.APPROVE_DEAL))
async def approve_deal(cb: CallbackQuery, callback_data: OfferCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    app = await offers.approve_deal(uow, me.id, callback_data.app_id, sorted(selected_in(cb.message.reply_markup)))
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("deal.opened", id=app.id), reply_markup=builders.open_deal(t, app.id))
