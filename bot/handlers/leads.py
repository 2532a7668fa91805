"""Leads (seed 004): the manager's form, the person's request by a source link, the lead card with its status
buttons and the call-attempt button, lists and search, «Мои задачи», the funnel report."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, Message, ReplyKeyboardRemove
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.blueprint import Blueprint
from bot.exports import funnel_png, funnel_xlsx
from bot.files import HEAD_BYTES
from bot.fsm.dialogs import begin
from bot.fsm.moves import move
from bot.fsm.states import ImportInput, LeadForm, MeetingInput, ReportInput, SourceForm, TaskInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import (
    ContactAction,
    ContactCb,
    FormAction,
    FormCb,
    LeadAction,
    LeadCb,
    LeadListCb,
    MenuAction,
    MenuCb,
    PrivacyAction,
    PrivacyCb,
    ReportCb,
    TaskAction,
    TaskCb,
)
from bot.render import import_preview
from core.db.models import User
from core.db.uow import UnitOfWork
from core.domain.errors import Forbidden, InvalidInput
from core.domain.inputs import check_content, clean_text, normalize_phone, parse_amount
from core.domain.leads import CHOSEN_JUNK, TRANSITIONS, LeadStatus
from core.domain.roles import Role
from core.domain.schedule import month_bounds, parse_local, parse_period
from core.services import directories, lead_import, leads, reports, tasks, users
from core.services.config import CoreConfig
from core.services.directories import Directory
from core.services.leads import LeadInput

router = Blueprint("leads")
LEAD_STATUSES = list(LeadStatus)
STEPS = ("phone", "name", "source", "debt", "city", "comment")
OPTIONAL = ("debt", "city", "comment")


# --- the manager's form ----------------------------------------------------------------------------------------

async def ask(message: Message, state: FSMContext, step: str, t: Translator, uow: UnitOfWork,
              answer: dict | None = None) -> None:
    await move(state, getattr(LeadForm, step), **(answer or {}))
    if step == "source":
        items = await directories.listing(uow, Directory.SOURCES)
        if not items:
            await state.clear()
            await message.answer(t("leads.no_sources"))
            return
        await message.answer(t("leads.ask.source"), reply_markup=builders.picker(t, items))
        return
    extra = [(t("buttons.skip"), FormCb(action=FormAction.SKIP))] if step in OPTIONAL else []
    await message.answer(t(f"leads.ask.{step}"), reply_markup=builders.nav(t, *extra, back=step != STEPS[0]))


async def advance(message: Message, state: FSMContext, step: str, t: Translator, uow: UnitOfWork, me: User,
                  cfg: CoreConfig, answer: dict) -> None:
    following = STEPS.index(step) + 1
    if following < len(STEPS):
        await ask(message, state, STEPS[following], t, uow, answer)
        return
    data = {**await state.get_data(), **answer}
    lead = await leads.create(uow, me.id, LeadInput(
        phone=data["phone"], name=data["name"], source_id=data["source"],
        debt_amount=parse_amount(data["debt"]) if data.get("debt") else None, city=data.get("city"),
        comment=data.get("comment")), cfg)
    await state.clear()
    await message.answer(t("leads.created", id=lead.id) if lead.status != LeadStatus.DUPLICATE
                         else t("leads.created_duplicate", id=lead.id, original=lead.duplicate_of_id))
    await show(message, me, t, uow, lead.duplicate_of_id or lead.id)


@router.callback_query(MenuCb.filter(F.action == MenuAction.NEW_LEAD))
async def new_from_menu(cb: CallbackQuery, state: FSMContext, t: Translator, uow: UnitOfWork, me: User) -> None:
    await leads.ensure_staff(uow, me.id)
    await begin(state)
    await cb.answer()
    await ask(cb.message, state, STEPS[0], t, uow)


@router.message(Command("lead"))
async def new_from_command(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork, me: User) -> None:
    await leads.ensure_staff(uow, me.id)
    await begin(state)
    await ask(message, state, STEPS[0], t, uow)


@router.callback_query(LeadForm.source, FormCb.filter(F.action == FormAction.PICK))
async def source_picked(cb: CallbackQuery, callback_data: FormCb, state: FSMContext, t: Translator,
                        uow: UnitOfWork, me: User, cfg: CoreConfig) -> None:
    if callback_data.value not in {s.id for s in await directories.listing(uow, Directory.SOURCES)}:
        raise InvalidInput("source_required")
    await cb.answer()
    await advance(cb.message, state, "source", t, uow, me, cfg, {"source": callback_data.value})


@router.callback_query(StateFilter(LeadForm), FormCb.filter(F.action == FormAction.SKIP))
async def skipped(cb: CallbackQuery, state: FSMContext, t: Translator, uow: UnitOfWork, me: User,
                  cfg: CoreConfig) -> None:
    step = (await state.get_state()).split(":")[-1]
    if step not in OPTIONAL:
        raise InvalidInput("stale_button")
    await cb.answer()
    await advance(cb.message, state, step, t, uow, me, cfg, {step: None})


@router.callback_query(StateFilter(LeadForm), FormCb.filter(F.action == FormAction.BACK))
async def back(cb: CallbackQuery, state: FSMContext, t: Translator, uow: UnitOfWork) -> None:
    step = (await state.get_state()).split(":")[-1]
    await cb.answer()
    await ask(cb.message, state, STEPS[max(STEPS.index(step) - 1, 0)], t, uow)


PARSE = {
    "phone": lambda text, cfg: normalize_phone(text, cfg.phone_region),
    "name": lambda text, cfg: clean_text(text, max_len=128),
    "debt": lambda text, cfg: str(parse_amount(text)),
    "city": lambda text, cfg: clean_text(text, max_len=128),
    "comment": lambda text, cfg: clean_text(text, max_len=cfg.max_text),
}


@router.message(LeadForm.source)
async def source_expected(message: Message, t: Translator) -> None:
    await message.answer(t("form.pick_expected"))


@router.message(StateFilter(LeadForm))
async def answered(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork, me: User,
                   cfg: CoreConfig) -> None:
    step = (await state.get_state()).split(":")[-1]
    raw = message.contact.phone_number if (message.contact and step == "phone") else message.text
    if raw is None:
        raise InvalidInput("text_expected")
    await advance(message, state, step, t, uow, me, cfg, {step: PARSE[step](raw, cfg)})


# --- a person by a source link ---------------------------------------------------------------------------------

@router.message(SourceForm.name)
async def request_name(message: Message, state: FSMContext, t: Translator) -> None:
    if message.text is None:
        raise InvalidInput("text_expected")
    await move(state, SourceForm.phone, name=clean_text(message.text, max_len=128))
    await message.answer(t("leads.ask.own_phone"), reply_markup=builders.contact_request(t))


@router.message(SourceForm.phone)
async def request_phone(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork, me: User,
                        cfg: CoreConfig) -> None:
    raw = message.contact.phone_number if message.contact else message.text
    if raw is None:
        raise InvalidInput("bad_phone")
    data = await state.get_data()
    await leads.request_from_person(uow, me.id, LeadInput(phone=raw, name=data["name"], source_id=data["source"]),
                                    cfg, own_phone=bool(message.contact and message.contact.user_id == me.tg_id))
    await state.clear()
    await message.answer(t("leads.request_sent"), reply_markup=ReplyKeyboardRemove())


# --- the lead card ---------------------------------------------------------------------------------------------

async def show(message: Message, me: User, t: Translator, uow: UnitOfWork, lead_id: int) -> None:
    v = await leads.view(uow, me.id, lead_id)
    lead = v.lead
    lines = [t("leads.title", id=lead.id, status=t(f"lead_status.{lead.status}")),
             t("leads.contact", name=lead.contact.name, phones=", ".join(p.phone for p in lead.contact.phones)),
             t("leads.source", value=lead.source.name)]
    if lead.debt_amount is not None:
        lines.append(t("leads.debt", value=t.money(lead.debt_amount)))
    if lead.city:
        lines.append(t("leads.city", value=lead.city))
    if lead.comment:
        lines.append(t("leads.comment", value=lead.comment))
    if lead.meeting_at:
        lines.append(t("leads.meeting", value=t.dt(lead.meeting_at)))
    lines.append(t("leads.responsible", value=v.responsible.name if v.responsible else "—"))
    lines.append(t("leads.attempts", count=v.attempts))
    for task in v.open_tasks[:5]:
        lines.append(t("leads.task", title=task.title, due=t.dt(task.due_at)))
    for note in v.notes[:3]:
        lines.append(t("leads.note", at=t.dt(note.created_at), text=note.text))
    kb = InlineKeyboardBuilder()
    kb.row(InlineKeyboardButton(text=t("leads.contact_button"), callback_data=LeadCb(
        action=LeadAction.CONTACT, lead_id=lead.id, value=lead.contact_id).pack()),
        InlineKeyboardButton(text=t("leads.edit_button"), callback_data=LeadCb(
            action=LeadAction.EDIT, lead_id=lead.id).pack()))
    current = LeadStatus(lead.status)
    if current != LeadStatus.DUPLICATE and current in TRANSITIONS:
        kb.row(InlineKeyboardButton(text=t("leads.attempt_button"), callback_data=LeadCb(
            action=LeadAction.ATTEMPT, lead_id=lead.id).pack()))
        for target in sorted(TRANSITIONS[current] - CHOSEN_JUNK, key=LEAD_STATUSES.index):
            kb.button(text=t(f"lead_status.{target}"), callback_data=LeadCb(
                action=LeadAction.STATUS, lead_id=lead.id, value=LEAD_STATUSES.index(target)))
        kb.adjust(1, 2)
        if TRANSITIONS[current] & CHOSEN_JUNK:
            kb.row(InlineKeyboardButton(text=t("leads.junk_button"), callback_data=LeadCb(
                action=LeadAction.JUNK, lead_id=lead.id).pack()))
    await message.answer("\n".join(lines), reply_markup=kb.as_markup())


@router.callback_query(LeadCb.filter(F.action == LeadAction.OPEN))
async def open_lead(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await show(cb.message, me, t, uow, callback_data.lead_id)


@router.callback_query(LeadCb.filter(F.action == LeadAction.CONTACT))
async def contact_card(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await show_contact(cb.message, me, t, uow, callback_data.value)


async def show_contact(message: Message, me: User, t: Translator, uow: UnitOfWork, contact_id: int) -> None:
    v = await leads.contact_view(uow, me.id, contact_id)
    c = v.contact
    lines = [t("contact.title", name=c.name), t("contact.phones", value=", ".join(p.phone for p in c.phones))]
    if c.city:
        lines.append(t("leads.city", value=c.city))
    if c.messengers:
        lines.append(t("contact.messengers", value=", ".join(f"{k}: {v}" for k, v in c.messengers.items())))
    if c.comment:
        lines.append(t("leads.comment", value=c.comment))
    lines.append(t("contact.leads", count=len(v.leads)))
    lines += [t("contact.lead", id=x.id, status=t(f"lead_status.{x.status}"), source=x.source.name) for x in v.leads]
    lines.append(t("contact.deals", count=len(v.deals)))
    lines += [t("contact.deal", id=x.id, status=t(f"law_status.{x.status}")) for x in v.deals]
    kb = InlineKeyboardBuilder()
    for x in v.leads[-10:]:
        kb.button(text=t("leads.row", id=x.id, name=c.name, status=t(f"lead_status.{x.status}")),
                  callback_data=LeadCb(action=LeadAction.OPEN, lead_id=x.id))
    if c.erased_at is None:
        kb.button(text=t("contact.edit_button"), callback_data=ContactCb(action=ContactAction.EDIT, contact_id=c.id))
    if me.role == Role.ADMIN and c.user_id is None:  # a person known by phone only: their data, on request
        kb.button(text=t("privacy.contact_button"), callback_data=PrivacyCb(action=PrivacyAction.CONTACT,
                                                                            subject_id=c.id))
    kb.adjust(1)
    await message.answer("\n".join(lines), reply_markup=kb.as_markup())


@router.callback_query(LeadCb.filter(F.action == LeadAction.ATTEMPT))
async def attempt(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    count = await leads.log_attempt(uow, me.id, callback_data.lead_id)
    await cb.answer(t("leads.attempt_logged", count=count))


@router.callback_query(LeadCb.filter(F.action == LeadAction.JUNK))
async def junk_menu(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    v = await leads.view(uow, me.id, callback_data.lead_id)
    kb = InlineKeyboardBuilder()
    for target in sorted(TRANSITIONS.get(LeadStatus(v.lead.status), frozenset()) & CHOSEN_JUNK,
                         key=LEAD_STATUSES.index):
        kb.button(text=t(f"lead_status.{target}"), callback_data=LeadCb(
            action=LeadAction.STATUS, lead_id=v.lead.id, value=LEAD_STATUSES.index(target)))
    kb.adjust(2)
    await cb.answer()
    await cb.message.answer(t("leads.junk_title", id=v.lead.id), reply_markup=kb.as_markup())


@router.callback_query(LeadCb.filter(F.action == LeadAction.STATUS))
async def set_status(cb: CallbackQuery, callback_data: LeadCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork, cfg: CoreConfig) -> None:
    if not 0 <= callback_data.value < len(LEAD_STATUSES):
        raise InvalidInput("stale_button")
    target = LEAD_STATUSES[callback_data.value]
    if target == LeadStatus.MEETING:
        await leads.view(uow, me.id, callback_data.lead_id)  # may this person work the lead at all?
        await begin(state, lead_id=callback_data.lead_id)
        await state.set_state(MeetingInput.when)
        await cb.answer()
        await cb.message.answer(t("leads.ask.meeting"), reply_markup=builders.nav(t, back=False))
        return
    lead = await leads.set_status(uow, me.id, callback_data.lead_id, target, cfg)
    await cb.answer(t("leads.status_set", id=lead.id, status=t(f"lead_status.{target}")))
    await show(cb.message, me, t, uow, lead.id)


@router.message(MeetingInput.when)
async def meeting_given(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                        cfg: CoreConfig) -> None:
    if message.text is None:
        raise InvalidInput("text_expected")
    when = parse_local(message.text, me.timezone)
    lead_id = (await state.get_data())["lead_id"]
    await leads.set_status(uow, me.id, lead_id, LeadStatus.MEETING, cfg, meeting_at=when)
    await state.clear()
    await message.answer(t("leads.status_set", id=lead_id, status=t("lead_status.meeting")))
    await show(message, me, t, uow, lead_id)


# --- lists, search, tasks, report ------------------------------------------------------------------------------

async def render_leads(t: Translator, uow: UnitOfWork, me: User, f: LeadListCb, query: str | None = None,
                       cfg: CoreConfig | None = None):
    """The lead list with its filter buttons; ``f`` carries the page and the filters in every button."""
    if f.pick:
        return await _filter_choices(t, uow, f)
    status = LEAD_STATUSES[f.status] if 0 <= f.status < len(LEAD_STATUSES) else None
    since = uow.clock.now() - timedelta(days=f.days) if f.days else None
    page = await leads.page(uow, me.id, f.page, mine=not f.everyone, query=query, cfg=cfg, status=status,
                            source_id=f.source or None, since=since)
    kb = InlineKeyboardBuilder()
    for lead in page.items:
        kb.row(InlineKeyboardButton(text=t("leads.row", id=lead.id, name=lead.contact.name,
                                           status=t(f"lead_status.{lead.status}")),
                                    callback_data=LeadCb(action=LeadAction.OPEN, lead_id=lead.id).pack()))
    nav = []
    if page.page > 0:
        nav.append(InlineKeyboardButton(text="◀️", callback_data=f.model_copy(update={"page": page.page - 1}).pack()))
    if page.page + 1 < page.pages:
        nav.append(InlineKeyboardButton(text="▶️", callback_data=f.model_copy(update={"page": page.page + 1}).pack()))
    if nav:
        kb.row(*nav)
    kb.row(InlineKeyboardButton(text=t("leads.filter_status"), callback_data=f.model_copy(
               update={"pick": "status", "page": 0}).pack()),
           InlineKeyboardButton(text=t("leads.filter_source"), callback_data=f.model_copy(
               update={"pick": "source", "page": 0}).pack()),
           InlineKeyboardButton(text=t("leads.filter_week") if f.days != 7 else t("leads.filter_any_time"),
                                callback_data=f.model_copy(update={"days": 0 if f.days == 7 else 7, "page": 0}).pack()))
    if me.role == Role.ADMIN:
        kb.row(InlineKeyboardButton(text=t("leads.list_mine_button") if f.everyone else t("leads.all_button"),
                                    callback_data=LeadListCb(everyone=not f.everyone).pack()))
    title = t("leads.list_all" if f.everyone else "leads.list_mine", total=page.total)
    if status is not None:
        title += " · " + t(f"lead_status.{status}")
    if f.days:
        title += " · " + t("leads.filter_week")
    return f"<b>{title}</b>" + ("" if page.items else "\n" + t("lists.empty")), kb.as_markup()


async def _filter_choices(t: Translator, uow: UnitOfWork, f: LeadListCb):
    kb = InlineKeyboardBuilder()
    back = f.model_copy(update={"pick": "", "page": 0})
    if f.pick == "status":
        kb.button(text=t("leads.filter_any"), callback_data=back.model_copy(update={"status": -1}))
        for i, status in enumerate(LEAD_STATUSES):
            kb.button(text=t(f"lead_status.{status}"), callback_data=back.model_copy(update={"status": i}))
    else:
        kb.button(text=t("leads.filter_any"), callback_data=back.model_copy(update={"source": 0}))
        for source in await directories.listing(uow, Directory.SOURCES, active_only=False):
            kb.button(text=source.name, callback_data=back.model_copy(update={"source": source.id}))
    kb.adjust(2)
    return t(f"leads.pick_{f.pick}"), kb.as_markup()


@router.callback_query(MenuCb.filter(F.action == MenuAction.LEADS))
async def leads_menu(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await render_leads(t, uow, me, LeadListCb())
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.message(Command("leads"))
async def leads_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await render_leads(t, uow, me, LeadListCb())
    await message.answer(text, reply_markup=markup)


@router.message(Command("find"))
async def find_command(message: Message, command: CommandObject, me: User, t: Translator, uow: UnitOfWork,
                       cfg: CoreConfig) -> None:
    if not command.args:
        await message.answer(t("leads.find_usage"))
        return
    text, markup = await render_leads(t, uow, me, LeadListCb(everyone=me.role == Role.ADMIN), query=command.args,
                                      cfg=cfg)
    await message.answer(text, reply_markup=markup)


@router.callback_query(LeadListCb.filter())
async def leads_page(cb: CallbackQuery, callback_data: LeadListCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    if callback_data.pick not in ("", "status", "source"):
        raise InvalidInput("stale_button")
    text, markup = await render_leads(t, uow, me, callback_data)
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


async def render_tasks(t: Translator, uow: UnitOfWork, me: User):
    items = await tasks.today(uow, me.id)
    now = uow.clock.now()
    kb = InlineKeyboardBuilder()
    lines = []
    for task in items:
        mark = "🔴" if task.due_at <= now else "🕒"
        lines.append(f"{mark} {t('tasks.row', id=task.id, title=task.title, due=t.dt(task.due_at))}")
        kb.row(InlineKeyboardButton(text=t("tasks.done_button", id=task.id), callback_data=TaskCb(
                   action=TaskAction.DONE, task_id=task.id).pack()),
               InlineKeyboardButton(text=t("tasks.hour_button"), callback_data=TaskCb(
                   action=TaskAction.SNOOZE_HOUR, task_id=task.id).pack()),
               InlineKeyboardButton(text=t("tasks.tomorrow_button"), callback_data=TaskCb(
                   action=TaskAction.SNOOZE_TOMORROW, task_id=task.id).pack()),
               InlineKeyboardButton(text="📅", callback_data=TaskCb(
                   action=TaskAction.SNOOZE_PICK, task_id=task.id).pack()),
               InlineKeyboardButton(text="👤", callback_data=TaskCb(
                   action=TaskAction.REASSIGN, task_id=task.id).pack()))
    title = f"<b>{t('tasks.title', total=len(items))}</b>"
    return title + "\n" + ("\n".join(lines) if lines else t("lists.empty")), kb.as_markup()


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
    await cb.message.answer(t("tasks.ask_when" if picking else "tasks.ask_whom"), reply_markup=builders.nav(
        t, back=False))


@router.message(TaskInput.snooze_until)
async def task_snooze_to(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    if message.text is None:
        raise InvalidInput("text_expected")
    task = await tasks.snooze(uow, me.id, (await state.get_data())["task_id"], parse_local(message.text, me.timezone))
    await state.clear()
    await message.answer(t("tasks.snoozed", title=task.title, due=t.dt(task.due_at)))


@router.message(TaskInput.reassign_to)
async def task_reassign_to(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    target = await users.named(uow, me.id, message.text)
    task = await tasks.reassign(uow, me.id, (await state.get_data())["task_id"], target.id)
    await state.clear()
    await message.answer(t("tasks.reassigned", title=task.title, name=target.name))


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


@router.callback_query(MenuCb.filter(F.action == MenuAction.REPORT))
@router.message(Command("report"))
async def report_menu(event: CallbackQuery | Message, t: Translator) -> None:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("report.this_month"), callback_data=ReportCb(months_back=0))
    kb.button(text=t("report.last_month"), callback_data=ReportCb(months_back=1))
    kb.button(text=t("report.other"), callback_data=ReportCb(months_back=-1))
    message = event.message if isinstance(event, CallbackQuery) else event
    if isinstance(event, CallbackQuery):
        await event.answer()
    await message.answer(t("report.choose"), reply_markup=kb.as_markup())


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
    period = funnel_period(t, start, end)
    await message.answer(render_funnel(t, rows, period))
    if rows:  # named by the period's first and last days where the reader is
        zone = ZoneInfo(me.timezone)
        stamp = f"{start.astimezone(zone):%Y-%m-%d}_{(end - timedelta(seconds=1)).astimezone(zone):%Y-%m-%d}"
        await message.answer_document(BufferedInputFile(funnel_xlsx(rows, t, period), f"funnel-{stamp}.xlsx"))
        await message.answer_photo(BufferedInputFile(funnel_png(rows, t, period), f"funnel-{stamp}.png"))


def funnel_period(t: Translator, start: datetime, end: datetime) -> str:
    return t("report.period", start=t.dt(start)[:10], end=t.dt(end - timedelta(seconds=1))[:10])


def render_funnel(t: Translator, rows, period: str) -> str:
    """An aligned table in <pre>: Source | Лидов | Записей | Визитов | Договоров | С предоплатой."""
    from html import escape

    head = [t("report.source"), t("report.leads"), t("report.records"), t("report.visits"), t("report.contracts"),
            t("report.prepaid")]
    body = [[r.source, r.leads, r.records, r.visits, r.contracts, r.prepaid] for r in rows]
    total = [t("report.total"), *(sum(r[i] for r in body) for i in range(1, 6))]
    table = [head, *body, total]
    widths = [max(len(str(row[i])) for row in table) for i in range(6)]
    lines = [" ".join(str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(row))
             for row in table]
    return f"<b>{escape(period)}</b>\n<pre>{escape(chr(10).join(lines))}</pre>"


# --- import ----------------------------------------------------------------------------------------------------

@router.message(Command("import"))
async def import_command(message: Message, state: FSMContext, me: User, t: Translator) -> None:
    if me.role != Role.ADMIN:
        raise Forbidden()
    await begin(state)
    await state.set_state(ImportInput.file)
    await message.answer(t("import.ask"), reply_markup=builders.nav(t, back=False))


@router.message(ImportInput.file)
async def import_file(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                      cfg: CoreConfig) -> None:
    doc = message.document
    if doc is None or not (doc.file_name or "").lower().endswith((".csv", ".xlsx")):
        raise InvalidInput("import_format")
    if doc.file_size and doc.file_size > cfg.max_file_bytes:
        raise InvalidInput("file_too_large", max_mb=cfg.max_file_bytes // (1024 * 1024))
    data = await bot.download(doc, destination=io.BytesIO())
    check_content(file_name=doc.file_name, mime_type=None, head=data.getvalue()[:HEAD_BYTES])
    preview = await lead_import.preview(uow, me.id, data.getvalue(), doc.file_name, cfg)
    text = import_preview(t, preview)
    if not preview.create:
        await state.clear()
        await message.answer(f"{text}\n{t('import.nothing')}")
        return
    await move(state, ImportInput.confirm, rows=preview.create)
    await message.answer(text, reply_markup=builders.nav(
        t, (t("import.create_button", count=len(preview.create)), FormCb(action=FormAction.SEND)), back=False))


@router.callback_query(ImportInput.confirm, FormCb.filter(F.action == FormAction.SEND))
async def import_confirm(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                         cfg: CoreConfig) -> None:
    rows = (await state.get_data())["rows"]
    await state.clear()  # first: a second press finds no import to confirm
    created = await lead_import.confirm(lambda: uow, me.id, rows, cfg)
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("import.done", count=len(created),
                              duplicates=sum(1 for lead in created if lead.status == LeadStatus.DUPLICATE)))
