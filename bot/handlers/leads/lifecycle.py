"""Leads (seed 004): the manager's form, the person's request by a source link, the lead card with its status
buttons and the call-attempt button, lists and search, «Мои задачи», the funnel report."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin, table_file
from bot.fsm.moves import move
from bot.fsm.states import ImportInput, LeadForm, MeetingInput, SourceForm
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import (
    FormAction,
    FormCb,
    LeadAction,
    LeadCb,
    LeadListCb,
    MenuAction,
    MenuCb,
)
from bot.render import import_preview
from bot.views.leads import lifecycle as views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.deployment import LeadPipeline
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.inputs import clean_text, normalize_phone, parse_amount, phone_example
from core.domain.kernel.roles import Role, holds
from core.domain.kernel.schedule import parse_local
from core.domain.leads.lifecycle import LeadStatus, offered
from core.services.kernel import deployment, directories
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory
from core.services.leads import imports as lead_import
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput

router = Blueprint("leads")
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
    key = views.worded(t, await deployment.lead_pipeline(uow), f"ask.{step}") if step == "debt" else f"leads.ask.{step}"
    await message.answer(t(key, currency=t.currency()), reply_markup=builders.nav(t, *extra, back=step != STEPS[0]))


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
    "phone": lambda text, cfg, locale: normalize_phone(text, cfg.phone_region),
    "name": lambda text, cfg, locale: clean_text(text, max_len=128),
    "debt": lambda text, cfg, locale: str(parse_amount(text, locale=locale)),
    "city": lambda text, cfg, locale: clean_text(text, max_len=128),
    "comment": lambda text, cfg, locale: clean_text(text, max_len=cfg.max_text),
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
    await advance(message, state, step, t, uow, me, cfg, {step: PARSE[step](raw, cfg, t.locale)})


# --- a person by a source link ---------------------------------------------------------------------------------

@router.callback_query(MenuCb.filter(F.action == MenuAction.NEW_REQUEST))
async def new_request(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    """« New request » in a client's menu: the form of a source's link again (the source of their last request)."""
    from bot.entry import source_form

    source = await leads.request_source(uow, me.id)
    await cb.answer()
    await source_form(cb.message, state, t, uow, source.code)


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
        raise InvalidInput("bad_phone", example=phone_example(cfg.phone_region))
    data = await state.get_data()
    await leads.request_from_person(uow, me.id, LeadInput(phone=raw, name=data["name"], source_id=data["source"]),
                                    cfg, own_phone=bool(message.contact and message.contact.user_id == me.tg_id))
    await state.clear()
    await message.answer(t("leads.request_sent"), reply_markup=ReplyKeyboardRemove())


# --- the lead card ---------------------------------------------------------------------------------------------

async def show(message: Message, me: User, t: Translator, uow: UnitOfWork, lead_id: int) -> None:
    text, markup = views.lead_card(t, await leads.view(uow, me.id, lead_id))
    await message.answer(text, reply_markup=markup)


@router.callback_query(LeadCb.filter(F.action == LeadAction.OPEN))
async def open_lead(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await show(cb.message, me, t, uow, callback_data.lead_id)


@router.callback_query(LeadCb.filter(F.action == LeadAction.TAKE_NAME))
async def take_name(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    name = await leads.take_given_name(uow, me.id, callback_data.lead_id)
    await cb.answer(t("leads.name_taken", name=name))
    await show(cb.message, me, t, uow, callback_data.lead_id)


@router.callback_query(LeadCb.filter(F.action == LeadAction.CONTACT))
async def contact_card(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await show_contact(cb.message, me, t, uow, callback_data.value)


async def show_contact(message: Message, me: User, t: Translator, uow: UnitOfWork, contact_id: int) -> None:
    text, markup = views.contact_card(t, me, await leads.contact_view(uow, me.id, contact_id))
    await message.answer(text, reply_markup=markup)


@router.callback_query(LeadCb.filter(F.action == LeadAction.ATTEMPT))
async def attempt(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    count = await leads.log_attempt(uow, me.id, callback_data.lead_id)
    await cb.answer(t("leads.attempt_logged", count=count))


@router.callback_query(LeadCb.filter(F.action == LeadAction.JUNK))
async def junk_menu(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = views.junk_choices(t, await leads.view(uow, me.id, callback_data.lead_id))
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(LeadCb.filter(F.action == LeadAction.STATUS))
async def set_status(cb: CallbackQuery, callback_data: LeadCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork, cfg: CoreConfig) -> None:
    target = callback_data.status
    if target is None:
        raise InvalidInput("stale_button")
    if target == LeadStatus.MEETING:
        await leads.view(uow, me.id, callback_data.lead_id)  # may this person work the lead at all?
        await begin(state, lead_id=callback_data.lead_id)
        await state.set_state(MeetingInput.when)
        await cb.answer()
        await cb.message.answer(t("leads.ask.meeting", fields=t.moment_fields(), example=t.moment_example()),
                                reply_markup=builders.nav(t, back=False))
        return
    lead = await leads.set_status(uow, me.id, callback_data.lead_id, target, cfg)
    await cb.answer(t("leads.status_set", id=lead.id, status=t(f"lead_status.{target}")))
    await show(cb.message, me, t, uow, lead.id)


@router.message(MeetingInput.when)
async def meeting_given(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                        cfg: CoreConfig) -> None:
    if message.text is None:
        raise InvalidInput("text_expected")
    when = parse_local(message.text, me.timezone, me.locale)
    lead_id = (await state.get_data())["lead_id"]
    await leads.set_status(uow, me.id, lead_id, LeadStatus.MEETING, cfg, meeting_at=when)
    await state.clear()
    await message.answer(t("leads.status_set", id=lead_id, status=t("lead_status.meeting")))
    await show(message, me, t, uow, lead_id)


# --- lists, search, tasks, report ------------------------------------------------------------------------------

async def render_leads(t: Translator, uow: UnitOfWork, me: User, f: LeadListCb, query: str | None = None,
                       cfg: CoreConfig | None = None):
    """The lead list with its filter buttons, or a filter's choices (``f.pick``)."""
    if f.pick == "source":
        return views.filter_choices(t, f, await directories.listing(uow, Directory.SOURCES, active_only=False))
    if f.pick:
        return views.filter_choices(t, f, statuses=offered(await deployment.lead_pipeline(uow)))
    since = uow.clock.now() - timedelta(days=f.days) if f.days else None
    page = await leads.page(uow, me.id, f.page, mine=not f.everyone, query=query, cfg=cfg, status=f.status,
                            source_id=f.source or None, since=since)
    return views.lead_list(t, me, f, page, await leads.reads_beyond_own(uow, me.id))


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
    f = LeadListCb(everyone=await leads.reads_beyond_own(uow, me.id))
    page = await leads.page(uow, me.id, 0, mine=not f.everyone, query=command.args, cfg=cfg)
    if not page.items:  # say what was looked for, not an empty list
        await message.answer(t("leads.search.none", query=command.args.strip()))
        return
    text, markup = views.lead_list(t, me, f, page, f.everyone)
    await message.answer(text, reply_markup=markup)


@router.callback_query(LeadListCb.filter())
async def leads_page(cb: CallbackQuery, callback_data: LeadListCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    if callback_data.pick not in ("", "status", "source"):
        raise InvalidInput("stale_button")
    text, markup = await render_leads(t, uow, me, callback_data)
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


# --- import ----------------------------------------------------------------------------------------------------

@router.message(Command("import"))
async def import_command(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    if not holds(me, Role.ADMIN):
        raise Forbidden()
    await begin(state)
    await state.set_state(ImportInput.file)
    sales = await deployment.lead_pipeline(uow) == LeadPipeline.SALES  # its amount column: «Сумма сделки»
    await message.answer(t("import.sales.ask" if sales else "import.ask"), reply_markup=builders.nav(t, back=False))


@router.message(ImportInput.file)
async def import_file(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                      cfg: CoreConfig) -> None:
    data, name = await table_file(message, cfg, bot)
    preview = await lead_import.preview(uow, me.id, data, name, cfg)
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
