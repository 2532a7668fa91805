"""The funnel report by source (seed 004): this month, last month or a period the reader types; the table in the
chat, then the XLSX file and the chart."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.exports import funnel_png, funnel_xlsx
from bot.fsm.dialogs import begin
from bot.fsm.states import ReportInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import MenuAction, MenuCb, ReportCb
from bot.views.leads import lifecycle as views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.schedule import month_bounds, parse_period
from core.services.leads import reports

router = Blueprint("reports")


@router.callback_query(MenuCb.filter(F.action == MenuAction.REPORT))
@router.message(Command("report"))
async def report_menu(event: CallbackQuery | Message, t: Translator) -> None:
    text, markup = views.report_menu(t)
    message = event.message if isinstance(event, CallbackQuery) else event
    if isinstance(event, CallbackQuery):
        await event.answer()
    await message.answer(text, reply_markup=markup)


@router.callback_query(ReportCb.filter(F.months_back == -1))
async def report_ask_period(cb: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await begin(state)
    await state.set_state(ReportInput.period)
    await cb.answer()
    await cb.message.answer(t("report.ask_period"), reply_markup=builders.nav(t, back=False))


@router.message(ReportInput.period)
async def report_period_given(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    start, end = parse_period(message.text or "", me.timezone)
    await state.clear()
    await send_report(message, me, t, uow, start, end)


@router.callback_query(ReportCb.filter())
async def report(cb: CallbackQuery, callback_data: ReportCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    if not 0 <= callback_data.months_back <= 24:
        raise InvalidInput("stale_button")
    start, end = month_bounds(uow.clock.now(), me.timezone, callback_data.months_back)
    await cb.answer()
    await send_report(cb.message, me, t, uow, start, end)


async def send_report(message: Message, me: User, t: Translator, uow: UnitOfWork, start: datetime,
                      end: datetime) -> None:
    """The table in the chat, then the XLSX file and the chart."""
    rows = await reports.funnel(uow, me.id, start, end)
    period = views.funnel_period(t, start, end)
    await message.answer(views.render_funnel(t, rows, period))
    if rows:  # named by the period's first and last days where the reader is
        zone = ZoneInfo(me.timezone)
        stamp = f"{start.astimezone(zone):%Y-%m-%d}_{(end - timedelta(seconds=1)).astimezone(zone):%Y-%m-%d}"
        await message.answer_document(BufferedInputFile(funnel_xlsx(rows, t, period), f"funnel-{stamp}.xlsx"))
        await message.answer_photo(BufferedInputFile(funnel_png(rows, t, period), f"funnel-{stamp}.png"))
