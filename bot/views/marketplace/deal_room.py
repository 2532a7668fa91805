"""The marketplace deal's screens (seed 000 steps 6-8): its page with the moves the reader may make, its history."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.keyboards.callbacks import DealAction, DealCb, MenuAction, MenuCb
from bot.keyboards.pager import button, pager
from bot.render import app_card, history_line
from core.db.kernel.repositories import Page
from core.domain.kernel.permissions import Action
from core.domain.marketplace.applications import DEAL_MOVES, AppStatus, allowed_targets


def deal_page(t: Translator, card) -> tuple[str, InlineKeyboardMarkup]:
    app = card.app
    kb = InlineKeyboardBuilder()
    if card.ctx.is_participant and card.ctx.may(Action.EDIT, room=True):  # as the room's service asks
        kb.row(button(t("buttons.write"), DealCb(action=DealAction.WRITE, app_id=app.id)))
    kb.row(button(t("buttons.history"), DealCb(action=DealAction.HISTORY, app_id=app.id)))
    for target in allowed_targets(AppStatus(app.status), set(card.ctx.actors)):
        if target in DEAL_MOVES:
            kb.row(button(t(f"buttons.to_{target.value}"), DealCb(action=DealAction.STATUS, app_id=app.id,
                                                                 status=target)))
    kb.row(button(t("buttons.menu"), MenuCb(action=MenuAction.HOME)))
    return t("deal.page_title", id=app.id) + "\n" + app_card(t, card), kb.as_markup()


def history(t: Translator, app_id: int, page: Page) -> tuple[str, InlineKeyboardMarkup]:
    kb = InlineKeyboardBuilder()
    pager(kb, page.page, page.pages, lambda n: DealCb(action=DealAction.HISTORY, app_id=app_id, value=n))
    return (t("deal.history_title", id=app_id, total=page.total) + "\n\n"
            + ("\n".join(history_line(t, msg) for msg in page.items) or t("lists.empty"))), kb.as_markup()
