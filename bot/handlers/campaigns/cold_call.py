"""«Холодный обзвон» in the chat (seed 001): the head's campaign document (/campaigns), the survey inside a deal,
and a cold-call deal's stage panel (the access group, the requisites, the business card, the rerouting, the calling
cadence). Thin: parse, call one service, render."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot import entry
from bot.blueprint import Blueprint
from bot.exports import campaign_xlsx, deal_xlsx
from bot.fsm.dialogs import RETURNS_TO, ask, begin, table_file
from bot.fsm.moves import move
from bot.fsm.states import CampaignInput, ColdInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import (
    CampAction,
    CampCb,
    ColdAction,
    ColdCb,
    FormAction,
    FormCb,
    MenuAction,
    MenuCb,
    StepCb,
    SurveyAction,
    SurveyCb,
)
from bot.keyboards.pager import button
from bot.views.campaigns import cold_call as views
from bot.views.kernel.common import show
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns.campaign import CampaignStatus
from core.domain.kernel.deployment import Need
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.inputs import clean_text
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import cold_call, counterparties, interactions, mail_outbox, order_to_cash, surveys
from core.services.campaigns.interactions import Channel
from core.services.kernel.config import CoreConfig
from core.services.kernel.mail import Mailer

router = Blueprint("cold_call")


# --- the campaign document -------------------------------------------------------------------------------------------

async def _list(target: Message, me: User, t: Translator, uow: UnitOfWork, *, edit: bool) -> None:
    if not await campaigns.may_run(uow, me.id):  # an executor: their calls are deals and tasks, not campaigns
        await show(target, *views.not_a_runner(t), edit=edit)
        return
    await show(target, *views.campaign_list(t, await campaigns.mine(uow, me.id)), edit=edit)


@router.message(Command("campaigns"))
async def from_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _list(message, me, t, uow, edit=False)


@router.callback_query(MenuCb.filter(F.action == MenuAction.CAMPAIGNS))
@router.callback_query(CampCb.filter(F.action == CampAction.LIST))
async def listed(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _list(cb.message, me, t, uow, edit=isinstance(cb.data, str) and cb.data.startswith("cp"))
    await cb.answer()


async def _open(target: Message, me: User, t: Translator, uow: UnitOfWork, campaign_id: int, page: int = 0, *,
                edit: bool) -> None:
    await show(target, *views.campaign(t, await campaigns.view(uow, me.id, campaign_id, page)), edit=edit)


@router.callback_query(CampCb.filter(F.action == CampAction.OPEN))
async def opened(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _open(cb.message, me, t, uow, callback_data.campaign_id, callback_data.page, edit=True)
    await cb.answer()


#: what a head starts from the campaigns' list: a campaign (its title first), a survey template (its name first)
NEW = {CampAction.NEW: (CampaignInput.title, "cold.ask_title"),
       CampAction.NEW_TEMPLATE: (CampaignInput.template_name, "cold.ask_template_name")}
#: how rows come into a campaign: a file, or a search of «Контрагенты»
ROWS = {CampAction.FILE: (CampaignInput.file, "cold.ask_file"),
        CampAction.SEARCH: (CampaignInput.search, "cold.ask_search")}


@router.callback_query(CampCb.filter(F.action.in_(set(NEW))))
@router.callback_query(StepCb.filter(F.need == Need.TEMPLATE))
async def new(cb: CallbackQuery, callback_data: CampCb | StepCb, state: FSMContext, me: User, t: Translator,
              uow: UnitOfWork) -> None:
    """« New campaign », « New survey template »; or the settings' checklist's step (its « Cancel » goes back there)."""
    if not await campaigns.may_run(uow, me.id):
        raise Forbidden("campaign_heads_only")
    if isinstance(callback_data, StepCb):
        await ask(cb, state, t, *NEW[CampAction.NEW_TEMPLATE], returns_to=MenuAction.SETTINGS)
        return
    await ask(cb, state, t, *NEW[callback_data.action])


@router.callback_query(CampCb.filter(F.action.in_(set(ROWS))))
async def ask_rows(cb: CallbackQuery, callback_data: CampCb, state: FSMContext, me: User, t: Translator,
                   uow: UnitOfWork) -> None:
    await campaigns.editable(uow, me.id, callback_data.campaign_id)  # this person's, and not posted
    await ask(cb, state, t, *ROWS[callback_data.action], campaign_id=callback_data.campaign_id)


@router.message(CampaignInput.title, F.text)
async def titled(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    c = await campaigns.create(uow, me.id, message.text)
    await state.clear()
    await _open(message, me, t, uow, c.id, edit=False)


@router.message(CampaignInput.file)
async def got_file(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                   cfg: CoreConfig) -> None:
    data, name = await table_file(message, cfg, bot)
    campaign_id = (await state.get_data())["campaign_id"]
    pv = await campaigns.preview(uow, me.id, campaign_id, data, name, cfg)
    text = views.preview(t, pv)
    if not pv.add:
        await state.clear()
        await message.answer(f"{text}\n{t('import.nothing')}")
        return
    await move(state, CampaignInput.confirm, rows=pv.add)
    await message.answer(text, reply_markup=builders.nav(
        t, (t("cold.add_rows", count=len(pv.add)), FormCb(action=FormAction.SEND)), back=False))


@router.callback_query(CampaignInput.confirm, FormCb.filter(F.action == FormAction.SEND))
async def rows_confirmed(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    await state.clear()  # first: a second press finds nothing to add
    added = await campaigns.add_rows(uow, me.id, data["campaign_id"], data["rows"])
    await cb.answer(t("cold.rows_added", count=added))
    await cb.message.edit_reply_markup(reply_markup=None)
    await _open(cb.message, me, t, uow, data["campaign_id"], edit=False)


@router.message(CampaignInput.search, F.text)
async def searched(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    campaign_id = (await state.get_data())["campaign_id"]
    found = await campaigns.search(uow, me.id, message.text)
    await state.clear()
    items = [(c.id, f"{c.name} · {c.inn}" if c.inn else c.name) for c in found]
    await message.answer(t("cold.pick_client") if items else t("cold.no_clients"),
                         reply_markup=views.picks(t, campaign_id, CampAction.PICK, items))


@router.callback_query(CampCb.filter(F.action == CampAction.PICK))
async def picked(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    added = await campaigns.pick(uow, me.id, callback_data.campaign_id, callback_data.item)
    await cb.answer(t("cold.picked" if added else "cold.already_in"))
    await _open(cb.message, me, t, uow, callback_data.campaign_id, edit=True)


@router.callback_query(CampCb.filter(F.action == CampAction.TEMPLATES))
async def template_choices(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator,
                           uow: UnitOfWork) -> None:
    items = [(x.id, f"{x.name} ({len(x.questions)})") for x in await surveys.templates(uow, me.id)]
    await cb.answer()
    await show(cb.message, t("cold.pick_template") if items else t("cold.no_templates"),
               views.picks(t, callback_data.campaign_id, CampAction.SET_TEMPLATE, items), edit=True)


@router.callback_query(CampCb.filter(F.action == CampAction.EXECUTORS))
async def executor_choices(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator,
                           uow: UnitOfWork) -> None:
    items = [(u.id, u.name) for u in await campaigns.executors(uow, me.id)]
    await cb.answer()
    await show(cb.message, t("cold.pick_executor"),
               views.picks(t, callback_data.campaign_id, CampAction.SET_EXECUTOR, items), edit=True)


@router.callback_query(CampCb.filter(F.action.in_({CampAction.SET_TEMPLATE, CampAction.SET_EXECUTOR,
                                                    CampAction.TO_WORK, CampAction.TO_DRAFT})))
async def header_changed(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    cid, action = callback_data.campaign_id, callback_data.action
    if action == CampAction.SET_TEMPLATE:
        await campaigns.set_template(uow, me.id, cid, callback_data.item)
    elif action == CampAction.SET_EXECUTOR:
        await campaigns.set_executor(uow, me.id, cid, callback_data.item)
    else:
        await campaigns.move(uow, me.id, cid, CampaignStatus.IN_WORK if action == CampAction.TO_WORK
                             else CampaignStatus.DRAFT)
    await cb.answer(t("ws.saved"))
    await _open(cb.message, me, t, uow, cid, edit=True)


@router.callback_query(CampCb.filter(F.action == CampAction.REPORT))
async def reported(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await show(cb.message, *views.report(t, await campaigns.report(uow, me.id, callback_data.campaign_id)), edit=True)
    await cb.answer()


@router.callback_query(CampCb.filter(F.action == CampAction.REPORT_XLSX))
async def report_file(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    r = await campaigns.report(uow, me.id, callback_data.campaign_id)
    await cb.answer()
    await cb.message.answer_document(BufferedInputFile(campaign_xlsx(t, r), f"campaign-{r.campaign.id}.xlsx"))


@router.callback_query(CampCb.filter(F.action == CampAction.REMOVE_ROW))
async def row_removed(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await campaigns.remove_row(uow, me.id, callback_data.campaign_id, callback_data.item)
    await cb.answer(t("cold.row_removed"))
    await _open(cb.message, me, t, uow, callback_data.campaign_id, callback_data.page, edit=True)


@router.callback_query(CampCb.filter(F.action == CampAction.POST))
async def posted(cb: CallbackQuery, callback_data: CampCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    count = await campaigns.post(uow, me.id, callback_data.campaign_id)
    await cb.answer()
    await cb.message.answer(t("cold.posted", count=count))
    await _open(cb.message, me, t, uow, callback_data.campaign_id, edit=True)


@router.message(CampaignInput.template_name, F.text)
async def template_named(message: Message, state: FSMContext, t: Translator) -> None:
    await move(state, CampaignInput.template_text, name=clean_text(message.text, max_len=128))
    await message.answer(t("cold.ask_template_text"), reply_markup=builders.nav(t, back=False))


@router.message(CampaignInput.template_text, F.text)
async def template_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    template = await surveys.create_template(uow, me.id, data["name"], message.text)
    await state.clear()
    made = t("cold.template_made", name=template.name, count=len(template.questions))
    if data.get(RETURNS_TO):  # made from the settings' checklist: the checklist again, one step fewer
        await message.answer(made)
        await entry.return_to(message, me, t, uow, data[RETURNS_TO])
        return
    await message.answer(made, reply_markup=InlineKeyboardMarkup(inline_keyboard=[
        [button(t("cold.all"), MenuCb(action=MenuAction.CAMPAIGNS)), builders.menu_button(t)]]))


# --- the survey inside a deal ---------------------------------------------------------------------------------------

async def _ask(target: Message, state: FSMContext, t: Translator, step: surveys.Step, *, edit: bool) -> None:
    """Show the step; a typed kind waits in ColdInput.answer, a choice of several in ColdInput.many (both saved with
    the storage: a restart resumes here); the end of the survey ends the dialog."""
    kind = step.question.kind if step.question else None
    if kind in ("text", "number", "date"):
        await state.set_state(ColdInput.answer)
        await state.set_data({"deal_id": step.deal_id, "question_id": step.question.id})
    elif kind == "many":
        await state.set_state(ColdInput.many)
        await state.set_data({"deal_id": step.deal_id, "question_id": step.question.id, "picked": []})
    else:
        await state.clear()
    await show(target, *views.question(t, step), edit=edit)


@router.callback_query(SurveyCb.filter(F.action == SurveyAction.ASK))
async def survey_start(cb: CallbackQuery, callback_data: SurveyCb, state: FSMContext, me: User, t: Translator,
                       uow: UnitOfWork) -> None:
    step = await surveys.current(uow, me.id, callback_data.deal_id)
    await begin(state)
    await cb.answer()
    await _ask(cb.message, state, t, step, edit=False)


@router.callback_query(SurveyCb.filter(F.action.in_({SurveyAction.ONE, SurveyAction.YES, SurveyAction.NO})))
async def survey_pressed(cb: CallbackQuery, callback_data: SurveyCb, state: FSMContext, me: User, t: Translator,
                         uow: UnitOfWork) -> None:
    raw = {SurveyAction.YES: True, SurveyAction.NO: False}.get(callback_data.action, callback_data.option)
    step = await surveys.answer(uow, me.id, callback_data.deal_id, callback_data.question_id, raw)
    await cb.answer(t("survey.saved"))
    await _ask(cb.message, state, t, step, edit=True)


@router.callback_query(ColdInput.many, SurveyCb.filter(F.action == SurveyAction.TOGGLE))
async def survey_toggled(cb: CallbackQuery, callback_data: SurveyCb, state: FSMContext, me: User, t: Translator,
                         uow: UnitOfWork) -> None:
    data = await state.get_data()
    if data.get("question_id") != callback_data.question_id:
        raise InvalidInput("stale_button")
    picked = set(data.get("picked", [])) ^ {callback_data.option}
    await state.update_data(picked=sorted(picked))
    step = await surveys.current(uow, me.id, callback_data.deal_id)
    if step.question is None or step.question.id != callback_data.question_id:
        raise InvalidInput("survey_answered")
    await cb.answer()
    await show(cb.message, *views.question(t, step, sorted(picked)), edit=True)


@router.callback_query(ColdInput.many, SurveyCb.filter(F.action == SurveyAction.MANY_DONE))
async def survey_many_done(cb: CallbackQuery, callback_data: SurveyCb, state: FSMContext, me: User, t: Translator,
                           uow: UnitOfWork) -> None:
    data = await state.get_data()
    if data.get("question_id") != callback_data.question_id:
        raise InvalidInput("stale_button")
    step = await surveys.answer(uow, me.id, callback_data.deal_id, callback_data.question_id, data.get("picked", []))
    await cb.answer(t("survey.saved"))
    await _ask(cb.message, state, t, step, edit=True)


@router.callback_query(SurveyCb.filter(F.action.in_({SurveyAction.TOGGLE, SurveyAction.MANY_DONE})))
async def survey_many_stale(cb: CallbackQuery, t: Translator) -> None:
    await cb.answer(t("errors.stale_button"), show_alert=True)


@router.message(ColdInput.answer, F.text)
async def survey_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    step = await surveys.answer(uow, me.id, data["deal_id"], data["question_id"], message.text)
    await _ask(message, state, t, step, edit=False)


@router.callback_query(SurveyCb.filter(F.action == SurveyAction.STOP))
async def survey_stopped(cb: CallbackQuery, callback_data: SurveyCb, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("survey.stopped"), reply_markup=views.to_panel(t, callback_data.deal_id, []))


# --- a deal's stage panel -------------------------------------------------------------------------------------------

async def _panel(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    await show(target, *views.panel(t, await cold_call.panel(uow, me.id, deal_id)), edit=edit)


@router.callback_query(ColdCb.filter(F.action == ColdAction.PANEL))
async def panel(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _panel(cb.message, me, t, uow, callback_data.deal_id, edit=True)
    await cb.answer()


@router.callback_query(ColdCb.filter(F.action == ColdAction.EXPORT))
async def exported(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    e = await cold_call.export(uow, me.id, callback_data.deal_id)
    await cb.answer()
    await cb.message.answer_document(BufferedInputFile(deal_xlsx(t, e), f"deal-{e.panel.deal.id:010d}.xlsx"))


@router.callback_query(ColdCb.filter(F.action == ColdAction.FIELDS))
async def fields(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await counterparties.card(uow, me.id, callback_data.deal_id)
    await cb.answer()
    await show(cb.message, *views.field_choices(t, callback_data.deal_id, callback_data.item), edit=True)


@router.callback_query(ColdCb.filter((F.action == ColdAction.EDIT) & F.field))
async def ask_field(cb: CallbackQuery, callback_data: ColdCb, state: FSMContext, me: User, t: Translator,
                    uow: UnitOfWork) -> None:
    await counterparties.card(uow, me.id, callback_data.deal_id)
    await begin(state, deal_id=callback_data.deal_id, field=callback_data.field.value)
    await state.set_state(ColdInput.field)
    await cb.answer()
    await cb.message.answer(t("cold.ask_field", field=t(f"cold.field_{callback_data.field.value}")),
                            reply_markup=builders.nav(t, back=False))


@router.message(ColdInput.field, F.text)
async def field_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                      cfg: CoreConfig) -> None:
    data = await state.get_data()
    field = counterparties.CounterpartyField(data["field"])
    client = await counterparties.edit(uow, me.id, data["deal_id"], field, message.text, cfg)
    if field == counterparties.CounterpartyField.INN and counterparties.needs_kpp(client):
        await state.update_data(field=counterparties.CounterpartyField.KPP.value)  # the same dialog asks on
        await message.answer(t("cold.ask_kpp_after_inn"), reply_markup=builders.nav(t, back=False))
        return
    await state.clear()
    await message.answer(t("ws.saved"))
    await _panel(message, me, t, uow, data["deal_id"], edit=False)


@router.callback_query(ColdCb.filter(F.action == ColdAction.GROUPS))
async def group_choices(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await counterparties.card(uow, me.id, callback_data.deal_id)
    items = [(g.id, g.name) for g in await counterparties.groups(uow)]
    await cb.answer()
    await show(cb.message, *views.item_choices(t, callback_data.deal_id, "cold.pick_group", ColdAction.SET_GROUP,
                                               items), edit=True)


@router.callback_query(ColdCb.filter(F.action == ColdAction.CADENCES))
async def cadence_choices(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator,
                          uow: UnitOfWork) -> None:
    await counterparties.card(uow, me.id, callback_data.deal_id)
    items = [(c.id, c.name) for c in await counterparties.cadences(uow)]
    await cb.answer()
    await show(cb.message, *views.item_choices(t, callback_data.deal_id, "cold.pick_cadence",
                                               ColdAction.SET_CADENCE, items), edit=True)


@router.callback_query(ColdCb.filter(F.action == ColdAction.SET_GROUP))
async def group_set(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await counterparties.set_group(uow, me.id, callback_data.deal_id, callback_data.item)
    await cb.answer(t("ws.saved"))
    await _panel(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(ColdCb.filter(F.action == ColdAction.SET_CADENCE))
async def cadence_set(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    call = await counterparties.set_cadence(uow, me.id, callback_data.deal_id, callback_data.item)
    await cb.answer(t("cold.call_planned", at=t.dt(call.planned_at)) if call else t("ws.saved"))
    await _panel(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(ColdCb.filter(F.action == ColdAction.EMAIL))
async def card_email(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork,
                     mailer: Mailer | None = None, card_text: str = "") -> None:
    address = await interactions.card_by_email(uow, me.id, callback_data.deal_id, mailer, card_text)
    await cb.answer(t("cold.emailed", address=address), show_alert=True)
    await _panel(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(ColdCb.filter(F.action.in_({ColdAction.FAX, ColdAction.BY_HAND})))
async def card_by_hand(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    channel = Channel.FAX if callback_data.action == ColdAction.FAX else Channel.HAND
    await interactions.card_by_hand(uow, me.id, callback_data.deal_id, channel)
    await cb.answer(t("ws.saved"))
    await _panel(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(ColdCb.filter(F.action == ColdAction.DOC_BY_HAND))
async def doc_by_hand(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await mail_outbox.by_hand(uow, me.id, callback_data.deal_id)
    await cb.answer(t("ws.saved"))
    await _panel(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(ColdCb.filter(F.action == ColdAction.SHIP_UNPAID))
async def ship_unpaid(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await order_to_cash.set_ship_unpaid(uow, me.id, callback_data.deal_id, bool(callback_data.item))
    await cb.answer(t("ws.saved"))
    await _panel(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(ColdCb.filter(F.action == ColdAction.REROUTE))
async def reroute_choices(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator,
                          uow: UnitOfWork) -> None:
    deal, people = await interactions.reroute_choices(uow, me.id, callback_data.deal_id)
    await cb.answer()
    text, markup = views.item_choices(t, deal.id, "cold.pick_executor", ColdAction.SET_EXECUTOR,
                                      [(u.id, u.name) for u in people])
    await show(cb.message, f"{t('cold.reroute_deal', name=deal.name)}\n{text}", markup, edit=False)


@router.callback_query(ColdCb.filter(F.action == ColdAction.SET_EXECUTOR))
async def rerouted(cb: CallbackQuery, callback_data: ColdCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    deal = await interactions.reroute(uow, me.id, callback_data.deal_id, callback_data.item)
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(t("cold.rerouted", name=deal.name))


# --- anything but words where words are expected (last: the handlers above take the text) ----------------------

@router.message(ColdInput.many)
async def buttons_expected(message: Message, t: Translator) -> None:
    await message.answer(t("survey.how_many"))


@router.message(CampaignInput.title)
@router.message(CampaignInput.search)
@router.message(CampaignInput.template_name)
@router.message(CampaignInput.template_text)
@router.message(ColdInput.field)
@router.message(ColdInput.answer)
async def words_expected(message: Message, t: Translator) -> None:
    await message.answer(t("errors.text_expected"))
