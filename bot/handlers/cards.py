"""Editing what was typed: a lead (its debt, city, comment, source, responsible) and a contact card (name, city,
messengers, comment, phones). Every change goes through a service that checks who may make it and audits it."""

from __future__ import annotations

from aiogram import F
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.blueprint import Blueprint
from bot.fsm.dialogs import begin
from bot.fsm.states import CardEdit
from bot.handlers.leads import show, show_contact
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import ContactAction, ContactCb, LeadAction, LeadCb
from core.db.models import User
from core.db.uow import UnitOfWork
from core.domain.contacts import ContactField
from core.domain.errors import InvalidInput
from core.domain.leads import LeadField
from core.domain.roles import Role
from core.services import contacts, directories, leads
from core.services.config import CoreConfig
from core.services.directories import Directory

router = Blueprint("cards")

LEAD_FIELDS, CONTACT_FIELDS = list(LeadField), list(ContactField)


def _field(fields: list, value: int):
    """The field a button names by its 1-based place; anything else is a stale or forged button."""
    if not 1 <= value <= len(fields):
        raise InvalidInput("stale_button")
    return fields[value - 1]


# --- a lead --------------------------------------------------------------------------------------------------------

@router.callback_query(LeadCb.filter(F.action == LeadAction.EDIT))
async def lead_menu(cb: CallbackQuery, callback_data: LeadCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    v = await leads.view(uow, me.id, callback_data.lead_id)  # may this person see it at all
    kb = InlineKeyboardBuilder()
    for i, field in enumerate(LEAD_FIELDS, start=1):
        kb.button(text=t(f"leads.field_{field.value}"), callback_data=LeadCb(
            action=LeadAction.EDIT_FIELD, lead_id=v.lead.id, value=i))
    kb.button(text=t("leads.edit_source"), callback_data=LeadCb(action=LeadAction.SOURCE, lead_id=v.lead.id))
    kb.button(text=t("leads.edit_responsible"), callback_data=LeadCb(action=LeadAction.RESPONSIBLE,
                                                                      lead_id=v.lead.id))
    kb.button(text=t("leads.edit_contact"), callback_data=LeadCb(action=LeadAction.CONTACT, lead_id=v.lead.id,
                                                                  value=v.lead.contact_id))
    kb.adjust(3, 2, 1)
    await cb.answer()
    await cb.message.answer(t("leads.edit_title", id=v.lead.id), reply_markup=kb.as_markup())


@router.callback_query(LeadCb.filter(F.action == LeadAction.EDIT_FIELD))
async def lead_field(cb: CallbackQuery, callback_data: LeadCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork) -> None:
    field = _field(LEAD_FIELDS, callback_data.value)
    await leads.view(uow, me.id, callback_data.lead_id)
    await begin(state, lead_id=callback_data.lead_id, field=field.value)
    await state.set_state(CardEdit.lead)
    await cb.answer()
    await cb.message.answer(t("leads.ask_field", field=t(f"leads.field_{field.value}")),
                            reply_markup=builders.nav(t, back=False))


@router.message(CardEdit.lead)
async def lead_field_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                           cfg: CoreConfig) -> None:
    data = await state.get_data()
    lead = await leads.edit(uow, me.id, data["lead_id"], LeadField(data["field"]), message.text, cfg)
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
        if lead.responsible_id == me.id or me.role == Role.ADMIN:
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
    kb = InlineKeyboardBuilder()
    for i, field in enumerate(CONTACT_FIELDS, start=1):
        kb.button(text=t(f"contact.field_{field.value}"), callback_data=ContactCb(
            action=ContactAction.FIELD, contact_id=c.id, value=i))
    kb.button(text=t("contact.add_phone"), callback_data=ContactCb(action=ContactAction.ADD_PHONE, contact_id=c.id))
    for phone in c.phones:
        kb.button(text=t("contact.remove_phone", phone=phone.phone), callback_data=ContactCb(
            action=ContactAction.REMOVE_PHONE, contact_id=c.id, value=phone.id))
    kb.adjust(2)
    await cb.answer()
    await cb.message.answer(t("contact.edit_title", name=c.name), reply_markup=kb.as_markup())


@router.callback_query(ContactCb.filter(F.action.in_({ContactAction.FIELD, ContactAction.ADD_PHONE})))
async def contact_field(cb: CallbackQuery, callback_data: ContactCb, state: FSMContext, me: User, t: Translator,
                        uow: UnitOfWork) -> None:
    if callback_data.action == ContactAction.ADD_PHONE:
        field, ask = "phone", t("contact.ask_phone")
    else:
        f = _field(CONTACT_FIELDS, callback_data.value)
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
        contact = await contacts.add_phone(uow, me.id, data["contact_id"], message.text or "", cfg)
    else:
        contact = await contacts.edit(uow, me.id, data["contact_id"], ContactField(data["field"]), message.text)
    await state.clear()
    await message.answer(t("leads.saved"))
    await show_contact(message, me, t, uow, contact.id)


@router.callback_query(ContactCb.filter(F.action == ContactAction.REMOVE_PHONE))
async def contact_phone_removed(cb: CallbackQuery, callback_data: ContactCb, me: User, t: Translator,
                                uow: UnitOfWork) -> None:
    contact = await contacts.remove_phone(uow, me.id, callback_data.contact_id, callback_data.value)
    await cb.answer(t("leads.saved"))
    await show_contact(cb.message, me, t, uow, contact.id)
