"""The application form (seed step 1): every step with «Назад» and «Отмена», a summary, send or change."""

from __future__ import annotations

from decimal import Decimal

from aiogram import Bot, F
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin, checked_file
from bot.fsm.moves import move
from bot.fsm.states import AppForm
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import AppAction, AppCb, FormAction, FormCb, MenuAction, MenuCb
from bot.render import draft_summary
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import clean_text, normalize_phone, parse_amount, parse_int, phone_example
from core.services.kernel import directories
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory
from core.services.marketplace import applications
from core.services.marketplace.applications import MAX_AMOUNT, MAX_TERM, MIN_AMOUNT, MIN_TERM, Draft, FileInput

router = Blueprint("application_form")

STEPS = ("category", "description", "amount", "term", "region", "client_name", "client_phone", "files")
STATE = {name: getattr(AppForm, name) for name in STEPS}


async def ask(message: Message, state: FSMContext, step: str, t: Translator, uow: UnitOfWork,
              answer: dict | None = None) -> None:
    """Go to ``step`` (storing the answer to the previous one in the same write) and ask its question."""
    await move(state, STATE[step], **(answer or {}))
    first = step == STEPS[0]
    if step in ("category", "region"):
        items = await directories.listing(uow, Directory.CATEGORIES if step == "category" else Directory.REGIONS)
        if not items:
            await state.clear()
            await message.answer(t("form.no_catalogue"))
            return
        await message.answer(t(f"form.ask.{step}"), reply_markup=builders.picker(t, items, back=not first))
    elif step == "client_phone":
        await message.answer(t("form.ask.client_phone"), reply_markup=builders.contact_request(t))
        await message.answer(t("form.or_type"), reply_markup=builders.nav(t))
    elif step == "files":
        files = (await state.get_data()).get("files", [])
        await message.answer(t("form.ask.files", count=len(files)), reply_markup=ReplyKeyboardRemove())
        await message.answer(t("form.files_hint"), reply_markup=builders.nav(
            t, (t("buttons.done"), FormCb(action=FormAction.FILES_DONE))))
    else:
        await message.answer(t(f"form.ask.{step}"), reply_markup=builders.nav(t, back=not first))


async def advance(message: Message, state: FSMContext, step: str, t: Translator, uow: UnitOfWork,
                  answer: dict | None = None) -> None:
    """After a valid answer: the next step, or back to the summary when a field was being changed."""
    data = await state.get_data()
    following = STEPS.index(step) + 1
    if data.get("editing") or following == len(STEPS):
        await show_summary(message, state, t, uow, answer)
    else:
        await ask(message, state, STEPS[following], t, uow, answer)


async def show_summary(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork,
                       answer: dict | None = None) -> None:
    await move(state, AppForm.summary, **(answer or {}))
    data = await state.get_data()
    category = await _name(uow, Directory.CATEGORIES, data["category_id"])
    region = await _name(uow, Directory.REGIONS, data["region_id"])
    kb = InlineKeyboardBuilder()
    kb.button(text=t("buttons.send"), callback_data=FormCb(action=FormAction.SEND))
    kb.button(text=t("buttons.edit"), callback_data=FormCb(action=FormAction.EDIT))
    kb.button(text=t("buttons.cancel"), callback_data=FormCb(action=FormAction.CANCEL))
    kb.adjust(3)
    await message.answer(draft_summary(t, data, category, region), reply_markup=kb.as_markup())


async def _name(uow: UnitOfWork, directory: Directory, item_id: int) -> str:
    items = await directories.listing(uow, directory, active_only=False)
    return next((i.name for i in items if i.id == item_id), "—")


# --- entry points ---------------------------------------------------------------------------------------------

@router.callback_query(MenuCb.filter(F.action == MenuAction.NEW_APP))
async def new_from_menu(cb: CallbackQuery, state: FSMContext, t: Translator, uow: UnitOfWork) -> None:
    await begin(state, files=[])
    await cb.answer()
    await ask(cb.message, state, STEPS[0], t, uow)


@router.message(Command("new"))
async def new_from_command(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork) -> None:
    await begin(state, files=[])
    await ask(message, state, STEPS[0], t, uow)


@router.callback_query(AppCb.filter(F.action == AppAction.EDIT))
async def edit_after_question(cb: CallbackQuery, callback_data: AppCb, state: FSMContext, me: User,
                              t: Translator, uow: UnitOfWork) -> None:
    draft = await applications.draft_of(uow, me.id, callback_data.app_id)
    await begin(state, app_id=callback_data.app_id, category_id=draft.category_id,
                description=draft.description, amount=str(draft.amount), term=draft.term_months,
                region_id=draft.region_id, client_name=draft.client_name, client_phone=draft.client_phone,
                files=[vars(f) for f in draft.files])
    await cb.answer()
    await show_summary(cb.message, state, t, uow)


# --- navigation -----------------------------------------------------------------------------------------------

@router.callback_query(StateFilter(AppForm), FormCb.filter(F.action == FormAction.BACK))
async def back(cb: CallbackQuery, state: FSMContext, t: Translator, uow: UnitOfWork) -> None:
    current = (await state.get_state() or "").split(":")[-1]
    target = STEPS[-1] if current == "summary" else STEPS[max(STEPS.index(current) - 1, 0)]
    await cb.answer()
    await ask(cb.message, state, target, t, uow)


@router.callback_query(AppForm.summary, FormCb.filter(F.action == FormAction.EDIT))
async def choose_field(cb: CallbackQuery, t: Translator) -> None:
    kb = InlineKeyboardBuilder()
    for index, step in enumerate(STEPS):
        kb.button(text=t(f"form.field.{step}"), callback_data=FormCb(action=FormAction.EDIT_FIELD, value=index))
    kb.adjust(2)
    await cb.answer()
    await cb.message.answer(t("form.which_field"), reply_markup=kb.as_markup())


@router.callback_query(AppForm.summary, FormCb.filter(F.action == FormAction.EDIT_FIELD))
async def edit_field(cb: CallbackQuery, callback_data: FormCb, state: FSMContext, t: Translator,
                     uow: UnitOfWork) -> None:
    if not 0 <= callback_data.value < len(STEPS):
        raise InvalidInput("stale_button")
    await state.update_data(editing=True)
    await cb.answer()
    await ask(cb.message, state, STEPS[callback_data.value], t, uow)


# --- the steps ------------------------------------------------------------------------------------------------

@router.callback_query(AppForm.category, FormCb.filter(F.action == FormAction.PICK))
@router.callback_query(AppForm.region, FormCb.filter(F.action == FormAction.PICK))
async def picked(cb: CallbackQuery, callback_data: FormCb, state: FSMContext, t: Translator,
                 uow: UnitOfWork) -> None:
    step = (await state.get_state()).split(":")[-1]
    directory = Directory.CATEGORIES if step == "category" else Directory.REGIONS
    if callback_data.value not in {i.id for i in await directories.listing(uow, directory)}:
        raise InvalidInput("directory_item_gone")
    await cb.answer()
    await advance(cb.message, state, step, t, uow, {f"{step}_id": callback_data.value})


@router.message(AppForm.category)
@router.message(AppForm.region)
async def pick_expected(message: Message, t: Translator) -> None:
    await message.answer(t("form.pick_expected"))


def _text_step(parse):
    async def handler(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork, cfg: CoreConfig) -> None:
        step = (await state.get_state()).split(":")[-1]
        if message.text is None:
            raise InvalidInput("text_expected")
        await advance(message, state, step, t, uow, {step: parse(message.text, cfg, t.locale)})
    return handler


router.message(AppForm.description)(_text_step(lambda text, cfg, locale: clean_text(text, max_len=cfg.max_text)))
router.message(AppForm.amount)(_text_step(
    lambda text, cfg, locale: str(parse_amount(text, minimum=MIN_AMOUNT, maximum=MAX_AMOUNT, locale=locale))))
router.message(AppForm.term)(_text_step(lambda text, cfg, locale: parse_int(text, minimum=MIN_TERM, maximum=MAX_TERM)))
router.message(AppForm.client_name)(_text_step(lambda text, cfg, locale: clean_text(text, max_len=128)))


@router.message(AppForm.client_phone)
async def phone(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork, cfg: CoreConfig) -> None:
    raw = message.contact.phone_number if message.contact else message.text
    if raw is None:
        raise InvalidInput("bad_phone", example=phone_example(cfg.phone_region))
    phone_number = normalize_phone(raw, cfg.phone_region)
    await message.answer(t("form.phone_ok"), reply_markup=ReplyKeyboardRemove())
    await advance(message, state, "client_phone", t, uow, {"client_phone": phone_number})


@router.message(AppForm.files)
async def file_added(message: Message, state: FSMContext, bot: Bot, t: Translator, cfg: CoreConfig) -> None:
    f = await checked_file(message, cfg, bot)
    files = (await state.get_data()).get("files", [])
    if any(x["file_unique_id"] == f["file_unique_id"] for x in files):
        return
    if len(files) >= cfg.max_files:
        raise InvalidInput("too_many_files", max_files=cfg.max_files)
    files.append(f)
    await state.update_data(files=files)
    await message.answer(t("form.file_added", count=len(files)), reply_markup=builders.nav(
        t, (t("buttons.done"), FormCb(action=FormAction.FILES_DONE))))


@router.callback_query(AppForm.files, FormCb.filter(F.action == FormAction.FILES_DONE))
async def files_done(cb: CallbackQuery, state: FSMContext, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await show_summary(cb.message, state, t, uow)


@router.callback_query(AppForm.summary, FormCb.filter(F.action == FormAction.SEND))
async def send(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
               cfg: CoreConfig) -> None:
    data = await state.get_data()
    draft = Draft(category_id=data["category_id"], description=data["description"], amount=Decimal(data["amount"]),
                  term_months=data["term"], region_id=data["region_id"], client_name=data["client_name"],
                  client_phone=data["client_phone"], files=[FileInput(**f) for f in data.get("files", [])])
    if data.get("app_id"):
        app = await applications.resubmit(uow, me.id, data["app_id"], draft, cfg)
    else:
        app = await applications.submit(uow, me.id, draft, cfg)
    await state.clear()
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("form.sent", id=app.id), reply_markup=builders.open_app(t, app.id))
