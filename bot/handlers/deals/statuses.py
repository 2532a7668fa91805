"""The admins' editor of the pipelines' statuses (seed 003): list, add, rename, recolour, make final, archive,
move up and down. The whole router is the admins'."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin
from bot.fsm.moves import move
from bot.fsm.states import WsInput
from bot.i18n import Translator
from bot.keyboards.callbacks import StatusAction, StatusCb
from bot.views.deals import workspace as views
from bot.views.kernel.common import show
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.deals.workspace import Pipeline
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.roles import Role
from core.services.deals import statuses as deal_statuses

router = Blueprint("statuses", roles={Role.ADMIN})


async def _statuses(target: Message, me: User, t: Translator, uow: UnitOfWork, pipeline: Pipeline, *,
                    edit: bool) -> None:
    items = await deal_statuses.statuses(uow, me.id, pipeline, with_archived=True)
    await show(target, *views.statuses_editor(t, pipeline, items), edit=edit)


async def _status(uow: UnitOfWork, me: User, pipeline: Pipeline, status_id: int):
    s = next((x for x in await deal_statuses.statuses(uow, me.id, pipeline, with_archived=True)
              if x.id == status_id), None)
    if s is None:
        raise InvalidInput("stale_button")
    return s


@router.callback_query(StatusCb.filter(F.action == StatusAction.PIPELINE))
async def statuses_listed(cb: CallbackQuery, callback_data: StatusCb, me: User, t: Translator,
                          uow: UnitOfWork) -> None:
    await cb.answer()
    await _statuses(cb.message, me, t, uow, callback_data.pipeline, edit=False)


@router.callback_query(StatusCb.filter(F.action == StatusAction.OPEN))
async def status_opened(cb: CallbackQuery, callback_data: StatusCb, me: User, t: Translator,
                        uow: UnitOfWork) -> None:
    s = await _status(uow, me, callback_data.pipeline, callback_data.status_id)
    await cb.answer()
    await show(cb.message, *views.status_card(t, callback_data.pipeline, s), edit=True)


@router.callback_query(StatusCb.filter(F.action.in_({StatusAction.UP, StatusAction.DOWN, StatusAction.FINAL,
                                                     StatusAction.ARCHIVE})))
async def status_edited(cb: CallbackQuery, callback_data: StatusCb, me: User, t: Translator,
                        uow: UnitOfWork) -> None:
    s = await _status(uow, me, callback_data.pipeline, callback_data.status_id)
    action = callback_data.action
    s = await deal_statuses.edit_status(
        uow, me.id, s.id, shift={StatusAction.UP: -1, StatusAction.DOWN: 1}.get(action, 0),
        final=(not s.final) if action == StatusAction.FINAL else None,
        archived=(not s.archived) if action == StatusAction.ARCHIVE else None)
    await cb.answer(t("ws.saved"))
    await show(cb.message, *views.status_card(t, callback_data.pipeline, s), edit=True)


STATUS_ASKS = {StatusAction.ADD: "ws.ask_status_name", StatusAction.RENAME: "ws.ask_status_name"}


@router.callback_query(StatusCb.filter(F.action == StatusAction.COLOR))
async def color_asked(cb: CallbackQuery, callback_data: StatusCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """The colours as buttons (an emoji each), never a hex code to type."""
    s = await _status(uow, me, callback_data.pipeline, callback_data.status_id)
    await cb.answer()
    await show(cb.message, *views.palette(t, callback_data.pipeline, s.id), edit=True)


@router.callback_query(StatusCb.filter(F.action == StatusAction.PAINT))
async def painted(cb: CallbackQuery, callback_data: StatusCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    s = await _status(uow, me, callback_data.pipeline, callback_data.status_id)
    if not 0 <= callback_data.color < len(views.PALETTE):
        raise InvalidInput("stale_button")
    s = await deal_statuses.edit_status(uow, me.id, s.id, color=views.PALETTE[callback_data.color][1])
    await cb.answer(t("ws.saved"))
    await show(cb.message, *views.status_card(t, callback_data.pipeline, s), edit=True)


@router.callback_query(StatusCb.filter(F.action.in_(set(STATUS_ASKS))))
async def status_ask(cb: CallbackQuery, callback_data: StatusCb, state: FSMContext, t: Translator) -> None:
    await begin(state)
    await move(state, WsInput.status_text, pipeline=callback_data.pipeline.value, status_id=callback_data.status_id,
               action=int(callback_data.action))
    await cb.answer()
    await cb.message.answer(t(STATUS_ASKS[callback_data.action]))


@router.message(WsInput.status_text, F.text)
async def status_text(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    if "action" not in data or data.get("pipeline") not in set(Pipeline):
        raise InvalidInput("stale_button")
    action, pipeline, status_id = StatusAction(data["action"]), Pipeline(data["pipeline"]), data["status_id"]
    if action == StatusAction.ADD:
        await deal_statuses.add_status(uow, me.id, pipeline, message.text)
    elif action == StatusAction.RENAME:
        await deal_statuses.edit_status(uow, me.id, status_id, name=message.text)
    else:
        await deal_statuses.edit_status(uow, me.id, status_id, color=message.text)
    await state.clear()
    await _statuses(message, me, t, uow, pipeline, edit=False)


@router.message(WsInput.status_text)
async def status_words_expected(message: Message, t: Translator) -> None:
    await message.answer(t("errors.text_expected"))
