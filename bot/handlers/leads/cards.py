"""Editing what was typed: a lead (its debt, city, comment, source, responsible) and a contact card (name, city,
messengers, comment, phones). Every change goes through a service that checks who may make it and audits it."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin
from bot.fsm.states import CardEdit
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import ContactAction, ContactCb, LeadAction, LeadCb
from bot.views.leads import lifecycle as views
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.contacts import ContactField
from core.domain.kernel.errors import InvalidInput
from core.domain.leads.lifecycle import LeadField
from core.services.kernel import contacts, deployment, directories
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads

router = Blueprint("cards")



async def show(message: Message, me: User, t: Translator, uow: UnitOfWork, lead_id: int) -> None:
    text, markup = views.lead_card(t, await leads.view(uow, me.id, lead_id))
    await message.answer(text, reply_markup=markup)


async def show_contact(message: Message, me: User, t: Translator, uow: UnitOfWork, contact_id: int) -> None:
    text, markup = views.contact_card(t, me, await leads.contact_view(uow, me.id, contact_id))
    await message.answer(text, reply_markup=markup)


# --- a lead --------------------------------------------------------------------------------------------------------

@router.callback_query(LeadCb.filter(F.action == LeadAction.EDIT))
async def lead_menu(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = views.lead_edit_menu(t, await leads.view(uow, me.id, callback_data.lead_id))
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(LeadCb.filter(F.action == LeadAction.EDIT_FIELD))
async def lead_field(cb: CallbackQuery, callback_data: LeadCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork) -> None:
    field = callback_data.field
    if field is None:
        raise InvalidInput("stale_button")
    await leads.view(uow, me.id, callback_data.lead_id)
    await begin(state, lead_id=callback_data.lead_id, field=field.value)
    await state.set_state(CardEdit.lead)
    await cb.answer()
    field_key = views.worded(t, await deployment.lead_pipeline(uow), f"field_{field.value}")
    await cb.message.answer(t("leads.ask_field", field=t(field_key)),
                            reply_markup=builders.nav(t, back=False))


@router.message(CardEdit.lead)
async def lead_field_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                           cfg: CoreConfig) -> None:
    data = await state.get_data()
    lead = await leads.edit(uow, me.id, data["lead_id"], LeadField(data["field"]), message.text, cfg,
                            locale=t.locale)
    await state.clear()
    await message.answer(t("leads.saved"))
    await show(message, me, t, uow, lead.id)


@router.callback_query(LeadCb.filter(F.action == LeadAction.SOURCE))
async def lead_source(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    if callback_data.value:
        lead = await leads.set_source(uow, me.id, callback_data.lead_id, callback_data.value)
        await cb.answer(t("leads.saved"))
        await show(cb.message, me, t, uow, lead.id)
        return
    await leads.view(uow, me.id, callback_data.lead_id)
    sources = await directories.listing(uow, Directory.SOURCES)
    await cb.answer()
    await cb.message.answer(t("leads.pick_lead_source"), reply_markup=builders.choices(
        ((x.name, LeadCb(action=LeadAction.SOURCE, lead_id=callback_data.lead_id, value=x.id)) for x in sources), 2))


@router.callback_query(LeadCb.filter(F.action == LeadAction.RESPONSIBLE))
async def lead_responsible(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator,
                           uow: UnitOfWork) -> None:
    if callback_data.value:
        lead, to = await leads.set_responsible(uow, me.id, callback_data.lead_id, callback_data.value)
        await cb.answer(t("leads.saved"))
        if await leads.sees(uow, me.id, lead.id):  # theirs still, an admin's, their team's (a head)
            await show(cb.message, me, t, uow, lead.id)
        else:  # handed over: no longer theirs to see
            await cb.message.answer(t("leads.handed_over", id=lead.id, name=to.name))
        return
    await leads.view(uow, me.id, callback_data.lead_id)
    people = await leads.workers(uow, me.id)
    await cb.answer()
    await cb.message.answer(t("leads.pick_responsible"), reply_markup=builders.choices(
        (t("admin.workload_row", name=person.name, count=n),
         LeadCb(action=LeadAction.RESPONSIBLE, lead_id=callback_data.lead_id, value=person.id))
        for person, n in people))


# --- a contact card ------------------------------------------------------------------------------------------------

@router.callback_query(ContactCb.filter(F.action == ContactAction.EDIT))
async def contact_menu(cb: CallbackQuery, callback_data: ContactCb, me: User, t: Translator,
                       uow: UnitOfWork) -> None:
    c = (await leads.contact_view(uow, me.id, callback_data.contact_id)).contact
    text, markup = views.contact_edit_menu(t, c)
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(ContactCb.filter(F.action.in_({ContactAction.FIELD, ContactAction.ADD_PHONE})))
async def contact_field(cb: CallbackQuery, callback_data: ContactCb, state: FSMContext, me: User, t: Translator,
                        uow: UnitOfWork) -> None:
    await leads.contact_view(uow, me.id, callback_data.contact_id)  # a card beyond them is «not found» at once
    if callback_data.action == ContactAction.ADD_PHONE:
        field, ask = "phone", t("contact.ask_phone")
    else:
        f = callback_data.field
        if f is None:
            raise InvalidInput("stale_button")
        field = f.value
        ask = {ContactField.NAME: t("contact.ask_name"), ContactField.MESSENGERS: t("contact.ask_messengers")}.get(
            f, t("contact.ask_field", field=t(f"contact.field_{f.value}")))
    await leads.contact_view(uow, me.id, callback_data.contact_id)
    await begin(state, contact_id=callback_data.contact_id, field=field)
    await state.set_state(CardEdit.contact)
    await cb.answer()
    await cb.message.answer(ask, reply_markup=builders.nav(t, back=False))


@router.message(CardEdit.contact)
async def contact_field_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                              cfg: CoreConfig) -> None:
    data = await state.get_data()
    if data["field"] == "phone":
        contact = await contacts.add_phone(uow, me.id, data["contact_id"], message.text or "", cfg,
                                           guard=leads.card_guard)
    else:
        contact = await contacts.edit(uow, me.id, data["contact_id"], ContactField(data["field"]), message.text,
                                     guard=leads.card_guard)
    await state.clear()
    await message.answer(t("leads.saved"))
    await show_contact(message, me, t, uow, contact.id)


@router.callback_query(ContactCb.filter(F.action == ContactAction.REMOVE_PHONE))
async def contact_phone_removed(cb: CallbackQuery, callback_data: ContactCb, me: User, t: Translator,
                                uow: UnitOfWork) -> None:
    contact = await contacts.remove_phone(uow, me.id, callback_data.contact_id, callback_data.value,
                                          guard=leads.card_guard)
    await cb.answer(t("leads.saved"))
    await show_contact(cb.message, me, t, uow, contact.id)
