"""«Мои задачи»: today's and overdue tasks with their buttons — done, an hour later, tomorrow, another time,
another person."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin
from bot.fsm.states import TaskInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import MenuAction, MenuCb, TaskAction, TaskCb
from bot.views.kernel import tasks as task_views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.schedule import parse_local
from core.services.kernel import tasks, users

router = Blueprint("tasks")


async def render_tasks(t: Translator, uow: UnitOfWork, me: User):
    return task_views.my_tasks(t, await tasks.mine(uow, me.id))


@router.callback_query(MenuCb.filter(F.action == MenuAction.TASKS))
async def tasks_menu(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await render_tasks(t, uow, me)
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.message(Command("tasks"))
async def tasks_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await render_tasks(t, uow, me)
    await message.answer(text, reply_markup=markup)


@router.callback_query(TaskCb.filter(F.action.in_({TaskAction.SNOOZE_PICK, TaskAction.REASSIGN})))
async def task_ask(cb: CallbackQuery, callback_data: TaskCb, state: FSMContext, me: User, t: Translator,
                   uow: UnitOfWork) -> None:
    """«📅» asks the new due time, «👤» whom to give the task to."""
    await tasks.ensure_mine(uow, me.id, callback_data.task_id)
    picking = callback_data.action == TaskAction.SNOOZE_PICK
    await begin(state, task_id=callback_data.task_id)
    await state.set_state(TaskInput.snooze_until if picking else TaskInput.reassign_to)
    await cb.answer()
    text = (t("tasks.ask_when", fields=t.moment_fields(), example=t.moment_example()) if picking
            else t("tasks.ask_whom"))
    await cb.message.answer(text, reply_markup=builders.nav(t, back=False))


@router.message(TaskInput.snooze_until)
async def task_snooze_to(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    if message.text is None:
        raise InvalidInput("text_expected")
    task = await tasks.snooze(uow, me.id, (await state.get_data())["task_id"], parse_local(message.text, me.timezone,
                                                                                            me.locale))
    await state.clear()
    await message.answer(t("tasks.snoozed", title=task_views.task_title(t, task), due=t.dt(task.due_at)))


@router.message(TaskInput.reassign_to)
async def task_reassign_to(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    target = await users.named(uow, me.id, message.text)
    task = await tasks.reassign(uow, me.id, (await state.get_data())["task_id"], target.id)
    await state.clear()
    await message.answer(t("tasks.reassigned", title=task_views.task_title(t, task), name=target.name))


@router.callback_query(TaskCb.filter())
async def task_action(cb: CallbackQuery, callback_data: TaskCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    if callback_data.action == TaskAction.DONE:
        await tasks.done(uow, me.id, callback_data.task_id)
    else:
        preset = "hour" if callback_data.action == TaskAction.SNOOZE_HOUR else "tomorrow"
        await tasks.snooze_preset(uow, me.id, callback_data.task_id, preset)
    text, markup = await render_tasks(t, uow, me)
    await cb.answer(t("tasks.updated"))
    await cb.message.edit_text(text, reply_markup=markup)
