"""Application cards, the role lists with pages, moderation (seed step 2), the audit trail and the dispatch log."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin
from bot.fsm.states import Reason
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import (
    AppAction,
    AppCb,
    ListKindCode,
    MenuAction,
    MenuCb,
    ModAction,
    ModCb,
    OfferAction,
    OfferCb,
    PageCb,
)
from bot.render import app_card, audit_line, list_row
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.tasks import OutboxStatus
from core.domain.marketplace.applications import AppStatus
from core.services.kernel.config import CoreConfig
from core.services.marketplace import applications, offers
from core.services.marketplace import deal_room as deals
from core.services.marketplace.applications import ListKind

router = Blueprint("applications")

LISTS = {
    ListKindCode.MINE: ListKind.MINE,
    ListKindCode.MODERATION: ListKind.MODERATION,
    ListKindCode.INCOMING: ListKind.INCOMING,
    ListKindCode.REFERRALS: ListKind.REFERRALS,
    ListKindCode.DEALS: ListKind.DEALS,
}
MENU_LISTS = {
    MenuAction.MY_APPS: ListKindCode.MINE,
    MenuAction.MODERATION: ListKindCode.MODERATION,
    MenuAction.INCOMING: ListKindCode.INCOMING,
    MenuAction.REFERRALS: ListKindCode.REFERRALS,
    MenuAction.DEALS: ListKindCode.DEALS,
    MenuAction.MY_OFFERS: ListKindCode.OFFERS,
}
COMMAND_LISTS = {"my": ListKindCode.MINE, "moderation": ListKindCode.MODERATION, "incoming": ListKindCode.INCOMING,
                 "referrals": ListKindCode.REFERRALS, "deals": ListKindCode.DEALS, "offers": ListKindCode.OFFERS}


async def render_list(kind: ListKindCode, page_no: int, me: User, t: Translator, uow: UnitOfWork):
    kb = InlineKeyboardBuilder()
    if kind == ListKindCode.OFFERS:
        page = await offers.my_offers(uow, me.id, page_no)
        lines = [t("offer.row", id=o.id, app_id=o.application_id, status=t(f"offer_status.{o.status}"),
                   monthly=t.money(o.monthly_payment)) for o in page.items]
        for o in page.items:
            kb.row(InlineKeyboardButton(text=t("offer.row_button", id=o.id, app_id=o.application_id),
                                        callback_data=OfferCb(action=OfferAction.VIEW, app_id=o.application_id,
                                                              offer_id=o.id).pack()))
    else:
        page = await applications.page(uow, me.id, LISTS[kind], page_no)
        lines = [list_row(t, a) for a in page.items]
        for a in page.items:
            kb.row(InlineKeyboardButton(text=t("app.row_button", id=a.id),
                                        callback_data=AppCb(action=AppAction.OPEN, app_id=a.id).pack()))
    builders.pager(kb, t, kind, page.page, page.pages)
    title = t(f"lists.{kind.name.lower()}", total=page.total)
    body = "\n".join(lines) if lines else t("lists.empty")
    return f"<b>{title}</b>\n\n{body}", kb.as_markup()


@router.callback_query(MenuCb.filter(F.action.in_(set(MENU_LISTS))))
async def list_from_menu(cb: CallbackQuery, callback_data: MenuCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await render_list(MENU_LISTS[callback_data.action], 0, me, t, uow)
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.message(Command(*COMMAND_LISTS))
async def list_from_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    command = message.text.split()[0].lstrip("/").split("@")[0]
    text, markup = await render_list(COMMAND_LISTS[command], 0, me, t, uow)
    await message.answer(text, reply_markup=markup)


@router.callback_query(PageCb.filter(F.kind.in_(set(LISTS) | {ListKindCode.OFFERS})))
async def list_page(cb: CallbackQuery, callback_data: PageCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await render_list(callback_data.kind, callback_data.page, me, t, uow)
    await cb.answer()
    if cb.message.text != text or callback_data.page:
        await cb.message.edit_text(text, reply_markup=markup)


@router.callback_query(AppCb.filter(F.action == AppAction.OPEN))
async def open_card(cb: CallbackQuery, callback_data: AppCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    card = await applications.card(uow, me.id, callback_data.app_id)
    await cb.answer()
    await cb.message.answer(app_card(t, card), reply_markup=builders.card_actions(t, card))


@router.callback_query(AppCb.filter(F.action == AppAction.AUDIT))
async def audit(cb: CallbackQuery, callback_data: AppCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    rows = await applications.audit_trail(uow, me.id, callback_data.app_id)
    lines = [audit_line(t, row, who) for row, who in rows]
    await cb.answer()
    await cb.message.answer(t("audit.title", id=callback_data.app_id) + "\n" + "\n".join(lines))


@router.callback_query(AppCb.filter(F.action == AppAction.DISPATCH_LOG))
async def dispatch_log(cb: CallbackQuery, callback_data: AppCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    rows = await applications.dispatch_log(uow, me.id, callback_data.app_id)
    lines = [t("dispatch.row", name=u.name, company=u.company.name if u.company else "—",
               state=t(f"dispatch.{o.status if o else 'pending'}"), error=f" ({o.last_error})"
               if o and o.status == OutboxStatus.FAILED and o.last_error else "") for u, o in rows]
    await cb.answer()
    await cb.message.answer(t("dispatch.title", id=callback_data.app_id, count=len(rows)) + "\n"
                            + ("\n".join(lines) or t("lists.empty")))


# --- moderation ----------------------------------------------------------------------------------------------

@router.callback_query(ModCb.filter(F.action == ModAction.APPROVE))
async def approve(cb: CallbackQuery, callback_data: ModCb, me: User, t: Translator, uow: UnitOfWork,
                  cfg: CoreConfig) -> None:
    result = await applications.moderate(uow, me.id, callback_data.app_id, AppStatus.DISPATCHED, None, cfg)
    if not result.dispatched_to:  # it reached nobody: the admin is warned, with what to do
        await cb.answer(t("moderation.approved_nobody_short"), show_alert=True)
        await cb.message.edit_reply_markup(reply_markup=None)
        await cb.message.answer(t("moderation.approved_nobody", id=result.app.id))
        return
    await cb.answer(t("moderation.approved", count=result.dispatched_to))
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("moderation.approved_full", id=result.app.id, count=result.dispatched_to))


@router.callback_query(ModCb.filter(F.action.in_({ModAction.REJECT, ModAction.CLARIFY})))
async def ask_reason(cb: CallbackQuery, callback_data: ModCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork) -> None:
    await applications.ensure_pending(uow, me.id, callback_data.app_id)  # reload: still waiting? still allowed?
    purpose = "reject" if callback_data.action == ModAction.REJECT else "clarify"
    await begin(state, purpose=purpose, app_id=callback_data.app_id)
    await state.set_state(Reason.text)
    await cb.answer()
    await cb.message.answer(t(f"moderation.ask_{purpose}", id=callback_data.app_id),
                            reply_markup=builders.nav(t, back=False))


@router.message(Reason.text)
async def reason_given(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                       cfg: CoreConfig) -> None:
    """The text a pending action waited for; the action itself is chosen by what opened the dialog."""
    data = await state.get_data()
    if message.text is None:
        raise InvalidInput("text_expected")
    purpose, app_id = data.get("purpose"), data.get("app_id")
    if purpose in ("reject", "clarify"):
        target = AppStatus.REJECTED if purpose == "reject" else AppStatus.CLARIFICATION
        await applications.moderate(uow, me.id, app_id, target, message.text, cfg)
        await state.clear()
        await message.answer(t(f"moderation.{purpose}_done", id=app_id))
    elif purpose == "status":
        target = AppStatus(data["target"])
        await deals.change_status(uow, me.id, app_id, target, message.text, cfg)
        await state.clear()
        await message.answer(t("deal.status_set", id=app_id, status=t.status(target)))
    else:
        await state.clear()
        await message.answer(t("errors.stale_button"))
