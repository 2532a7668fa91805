"""A Polish lessor's case in the chat (seed 002): a salesperson registers a client and opens a case with its first
offer, recalculates it, links the client in the bot, sends the offer, records securities, fetches the VAT white
list and files the application; the client accepts the offer, gives the consents and files it too; everyone sees
the cases their role allows («🧾 Leasing», /leases). Every press reloads the case and checks who the person is to
it (the services do). Thin: parse, call one service, render."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot import deeplinks
from bot import documents as docs
from bot.blueprint import Blueprint
from bot.deeplinks import Link
from bot.fsm.dialogs import ask, begin, checked_file
from bot.fsm.states import LeaseForm
from bot.i18n import Translator
from bot.keyboards.builders import choices, nav, single, to_directories, with_menu
from bot.keyboards.callbacks import NEW_MESSAGE, LeaseAction, LeaseCb, LeaseEndAction, LeaseEndCb, MenuAction, MenuCb
from bot.views.kernel.common import show
from bot.views.leasing import lease as views
from bot.views.leasing.ending import identity_why
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Conflict, DomainError, Forbidden, InvalidInput
from core.domain.kernel.roles import Role, holds
from core.domain.leasing.case import (
    SECURITY_NEEDS,
    Actor,
    ClientKind,
    Consent,
    LeaseFileStatus,
    LeaseStatus,
    Security,
)
from core.domain.leasing.ending import IdentityResult
from core.services.kernel.config import CoreConfig
from core.services.leasing import origination as leasing
from core.services.leasing.registries import RegistryDown, RegistryGarbage, VatWhitelist

router = Blueprint("leasing")

KINDS = list(ClientKind)  # a button names a kind by its place here (1-based)
CONSENTS = list(Consent)
SECURITIES = list(Security)


def _at(items: list, n: int):
    if not 1 <= n <= len(items):
        raise InvalidInput("stale_button")
    return items[n - 1]


async def _screen(target: Message, me: User, t: Translator, uow: UnitOfWork, deal_id: int, *, edit: bool) -> None:
    await show(target, *views.case_screen(t, await leasing.view(uow, me.id, deal_id)), edit=edit)


def _client_tg(me: User) -> int | None:
    """A client's Telegram id: with no case yet, they are told how to get linked (their adviser's link, or this)."""
    return me.tg_id if me.role == Role.CLIENT else None


@router.message(Command("leases"))
async def from_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = views.cases(t, await leasing.mine(uow, me.id), _client_tg(me))
    await message.answer(text, reply_markup=markup)


@router.callback_query(MenuCb.filter(F.action == MenuAction.LEASES))
async def from_menu(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = views.cases(t, await leasing.mine(uow, me.id), _client_tg(me))
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.OPEN))
async def opened(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """The card: in place of the screen pressed on, or as a new message under a notice or a relayed message."""
    await _screen(cb.message, me, t, uow, callback_data.deal_id,
                  edit=bool(cb.message.text) and callback_data.arg != NEW_MESSAGE)
    await cb.answer()


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.OFFER))
async def offer_opened(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """One version of the offer (from its notice): a new message, the notice stays as it is."""
    view = await leasing.view(uow, me.id, callback_data.deal_id)  # a client's: the versions sent to them only
    await show(cb.message, *views.offer_screen(t, view, _version(view, callback_data.arg)), edit=False)
    await cb.answer()


def _version(view: leasing.Case, version: int):
    """The offer's version a button names (0: the accepted one, or else the newest the person may see)."""
    offer = next((o for o in view.offers if o.version == version), None) if version else view.offer
    if offer is None:
        raise InvalidInput("stale_button") if version else Conflict("lease_no_offer")
    return offer


@router.callback_query(LeaseCb.filter(F.action.in_(set(views.SECTIONS))))
async def section(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """A screen of the card's: the application's data, the consents, the documents (each with a way back)."""
    view = await leasing.view(uow, me.id, callback_data.deal_id)
    await show(cb.message, *views.case_section(t, view, callback_data.action), edit=bool(cb.message.text))
    await cb.answer()


# --- a new client and its case ---------------------------------------------------------------------------------

@router.callback_query(MenuCb.filter(F.action == MenuAction.NEW_LEASE))
async def new_kind(cb: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.update_data(for_tg=None)  # a case for nobody in particular (not the client who asked before)
    await cb.answer()
    await cb.message.answer(t("lease.new_kind"), reply_markup=_kinds(t))


def _kinds(t: Translator) -> InlineKeyboardMarkup:
    return with_menu(t, choices(
        [(t(f"client_kind.{k}"), LeaseCb(action=LeaseAction.KIND, arg=i)) for i, k in enumerate(KINDS, start=1)]))


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.FOR_CLIENT))
async def for_client(cb: CallbackQuery, callback_data: LeaseCb, state: FSMContext, me: User, t: Translator) -> None:
    """A client asked for an offer in the bot: the salesperson registers them and opens their case as from the
    menu, and the case is linked to that client in the bot once it is opened."""
    if not holds(me, Role.SALES, Role.ADMIN):
        raise Forbidden()
    await begin(state, for_tg=callback_data.arg)
    await cb.answer()
    await cb.message.answer(t("lease.new_kind"), reply_markup=_kinds(t))


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.KIND))
async def kind_picked(cb: CallbackQuery, callback_data: LeaseCb, state: FSMContext, t: Translator) -> None:
    kind = _at(KINDS, callback_data.arg)
    await ask(cb, state, t, LeaseForm.client, f"errors.lease_client_{kind.value}", kind=kind.value,
              for_tg=(await state.get_data()).get("for_tg"))


@router.message(LeaseForm.client, F.text)
async def client_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    """The client, checked here but registered only with the case (the last step): « Cancel » leaves nothing."""
    data = await state.get_data()
    await leasing.check_new_client(uow, me.id, ClientKind(data["kind"]), message.text)
    await state.update_data(client=message.text)
    await state.set_state(LeaseForm.subject)
    await message.answer(t("lease.ask_subject"), reply_markup=nav(t, back=False))


@router.message(LeaseForm.subject, F.text)
async def subject_typed(message: Message, state: FSMContext, t: Translator) -> None:
    await state.update_data(subject=leasing.check_subject(message.text))  # too long: refused here, not later
    await state.set_state(LeaseForm.terms)
    await message.answer(t("lease.ask_terms"), reply_markup=nav(t, back=False))


@router.message(LeaseForm.terms, F.text)
async def terms_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                      cfg: CoreConfig) -> None:
    data = await state.get_data()
    case = await (leasing.open_case(uow, me.id, data["client_id"], data["subject"], message.text, cfg)
                  if "client_id" in data  # a dialog begun before the client was registered with its case
                  else leasing.open_new_case(uow, me.id, ClientKind(data["kind"]), data["client"], data["subject"],
                                             message.text, cfg))
    await state.clear()
    if data.get("for_tg"):  # the client who asked for it: linked to the case at once (or told why not)
        try:
            client = await leasing.link_client(uow, me.id, case.deal_id, str(data["for_tg"]))
            await message.answer(t("lease.linked", name=client.name))
        except DomainError as exc:
            await message.answer(t.error(exc))
    await _screen(message, me, t, uow, case.deal_id, edit=False)


# --- the salesperson's steps ---------------------------------------------------------------------------------------

#: the steps asked in a dialog: its state and its question
ASKED = {LeaseAction.RECALC: (LeaseForm.recalc, "lease.ask_terms"),
         LeaseAction.LINK: (LeaseForm.link, "lease.ask_link"),
         LeaseAction.VERIFY_PAYMENT: (LeaseForm.verification, "lease.ask_verification"),
         LeaseAction.VENDOR: (LeaseForm.vendor, "lease.ask_vendor")}


@router.callback_query(LeaseCb.filter(F.action.in_(set(ASKED))))
async def asked(cb: CallbackQuery, callback_data: LeaseCb, state: FSMContext, bot: Bot, me: User, t: Translator,
                uow: UnitOfWork, cfg: CoreConfig) -> None:
    await leasing.view(uow, me.id, callback_data.deal_id)  # theirs to work
    if callback_data.action == LeaseAction.LINK:  # the case's client link first; a Telegram id or @username also
        token = await leasing.case_link(uow, me.id, callback_data.deal_id, cfg)
        link = deeplinks.url((await bot.me()).username, Link.CASE, token)
        await cb.message.answer(t("lease.client_link", hours=cfg.invite_ttl_hours, link=link))
        await ask(cb, state, t, LeaseForm.link, "lease.ask_link_or", deal_id=callback_data.deal_id)
        return
    await ask(cb, state, t, *ASKED[callback_data.action], deal_id=callback_data.deal_id)


@router.message(LeaseForm.recalc, F.text)
async def recalc_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork,
                       cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await leasing.recalculate(uow, me.id, deal_id, message.text, max_months=cfg.lease_max_months)
    await state.clear()
    await _screen(message, me, t, uow, deal_id, edit=False)


@router.message(LeaseForm.link, F.text)
async def link_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    deal_id = (await state.get_data())["deal_id"]
    client = await leasing.link_client(uow, me.id, deal_id, message.text)
    await state.clear()
    await message.answer(t("lease.linked", name=client.name))
    await _screen(message, me, t, uow, deal_id, edit=False)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.WRITE))
async def write_asked(cb: CallbackQuery, callback_data: LeaseCb, state: FSMContext, me: User, t: Translator,
                      uow: UnitOfWork) -> None:
    view = await leasing.view(uow, me.id, callback_data.deal_id)
    whom = view.client.name
    if Actor.CLIENT in view.actors:  # the client writes to their adviser, by name (never «Sprzedawca»: the vendor's)
        whom = t("lease.to_adviser", name=view.sales.name) if view.sales else t("lease.role_sales")
    await begin(state, deal_id=callback_data.deal_id)
    await state.set_state(LeaseForm.message)
    await cb.answer()
    await cb.message.answer(t("lease.ask_message", whom=whom.rstrip(".")),  # «sp. z o.o.» ends the sentence once
                            reply_markup=nav(t, back=False))


@router.message(LeaseForm.message)
async def message_written(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                          cfg: CoreConfig) -> None:
    deal_id = (await state.get_data())["deal_id"]
    f = None if message.text else await checked_file(message, cfg, bot)  # a program or a wrong file: refused
    await leasing.write(uow, me.id, deal_id, chat_id=message.chat.id, message_id=message.message_id,
                        text=message.text or message.caption, file_id=f and f["file_id"], file_kind=f and f["kind"],
                        file_name=f and f["file_name"])
    await state.clear()
    await message.answer(t("lease.message_sent"))


@router.message(LeaseForm.vendor, F.text)
async def vendor_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    deal_id = (await state.get_data())["deal_id"]
    await leasing.set_vendor(uow, me.id, deal_id, message.text)  # a bad NIP: refused, the dialog waits
    await state.clear()
    await _screen(message, me, t, uow, deal_id, edit=False)


@router.message(LeaseForm.verification, F.text)
async def verification_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    deal_id = (await state.get_data())["deal_id"]
    check = await leasing.verification_payment(uow, me.id, deal_id, message.text)  # recorded, whatever it found
    if check.result == IdentityResult.FAILED:  # another account: said so, the dialog waits for another transfer
        await message.answer(t("errors.lease_payer_not_client", account=check.payer_iban))
        return
    await state.clear()
    if check.result == IdentityResult.NEEDS_PERSON:
        await message.answer(t("lease_end.needs_person",
                               why=identity_why(t, check.reasons.split(","), check.payer_name)))
    await _screen(message, me, t, uow, deal_id, edit=False)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.SEND))
async def send(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await leasing.send_offer(uow, me.id, callback_data.deal_id)
    await cb.answer(t("lease.sent"))
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.SECURITY))
async def security(cb: CallbackQuery, callback_data: LeaseCb, state: FSMContext, me: User, t: Translator,
                   uow: UnitOfWork) -> None:
    deal_id = callback_data.deal_id
    if callback_data.arg == 0:
        await leasing.view(uow, me.id, deal_id)
        await cb.answer()
        await cb.message.answer(t("lease.ask_security"), reply_markup=choices(
            [(t(f"security.{k}"), LeaseCb(action=LeaseAction.SECURITY, deal_id=deal_id, arg=i))
             for i, k in enumerate(SECURITIES, start=1)]
            + [(t("lease.back"), LeaseCb(action=LeaseAction.OPEN, deal_id=deal_id))]))  # the way back: the case
        return
    kind = _at(SECURITIES, callback_data.arg)
    needs = SECURITY_NEEDS[kind]
    if needs.surety_id or needs.amount:
        await leasing.view(uow, me.id, deal_id)
        step = (LeaseForm.surety, "lease.ask_surety") if needs.surety_id else (LeaseForm.deposit, "lease.ask_deposit")
        await ask(cb, state, t, *step, deal_id=deal_id, kind=kind.value)
        return
    await leasing.set_security(uow, me.id, deal_id, kind)
    await cb.answer()
    await _screen(cb.message, me, t, uow, deal_id, edit=False)


@router.message(LeaseForm.surety, F.text)
@router.message(LeaseForm.deposit, F.text)
async def security_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    await leasing.set_security(uow, me.id, data["deal_id"], Security(data["kind"]), message.text)
    await state.clear()
    await _screen(message, me, t, uow, data["deal_id"], edit=False)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.G2I))
async def g2i(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork,
              registry: VatWhitelist) -> None:
    await cb.answer()  # the registry may take seconds: the press is answered first
    await fetch(cb.message, me, t, uow, registry, callback_data.deal_id)


async def fetch(message: Message, me: User, t: Translator, uow: UnitOfWork, registry: VatWhitelist,
                deal_id: int) -> None:
    """G2I's fetch, the press already answered: so a refusal is a message, never the press's alert (which would
    fail, with a traceback); a registry down or garbled gets a retry button (the fetch is kept as failed)."""
    try:
        await leasing.fetch_registry(uow, registry, me.id, deal_id)
    except (RegistryDown, RegistryGarbage) as exc:
        retry = single(t("lease_end.g2i_retry"), LeaseEndCb(action=LeaseEndAction.G2I_RETRY, deal_id=deal_id))
        back = single(t("lease.back"), LeaseCb(action=LeaseAction.OPEN, deal_id=deal_id))  # or back to the case
        await message.answer(t("lease_end.g2i_failed", reason=t.error(exc)),
                             reply_markup=InlineKeyboardMarkup(inline_keyboard=retry.inline_keyboard
                                                               + back.inline_keyboard))
        return
    except DomainError as exc:
        await message.answer(t.error(exc))
        return
    await message.answer(t("lease.fetched"))
    await _screen(message, me, t, uow, deal_id, edit=False)


@router.callback_query(LeaseEndCb.filter(F.action == LeaseEndAction.G2I_RETRY))
async def g2i_again(cb: CallbackQuery, callback_data: LeaseEndCb, me: User, t: Translator, uow: UnitOfWork,
                    registry: VatWhitelist) -> None:
    await cb.answer()
    await fetch(cb.message, me, t, uow, registry, callback_data.deal_id)


# --- the presses that act at once and show the case again --------------------------------------------------------

#: each press's one service call: (the unit of work, the person, the button's data)
AT_ONCE = {
    LeaseAction.ACCEPT: lambda uow, me, b: leasing.accept_offer(uow, me.id, b.arg),
    LeaseAction.CONSENT: lambda uow, me, b: leasing.give_consent(uow, me.id, b.deal_id, _at(CONSENTS, b.arg)),
    LeaseAction.CONDITION: lambda uow, me, b: leasing.meet_condition(uow, me.id, b.arg),
    LeaseAction.SIGNING: lambda uow, me, b: leasing.to_signing(uow, me.id, b.deal_id),
    LeaseAction.ACCEPT_TERMS: lambda uow, me, b: leasing.accept_terms(uow, me.id, b.deal_id),
    LeaseAction.VERIFY: lambda uow, me, b: leasing.to_verification(uow, me.id, b.deal_id),
    LeaseAction.FILE_OK: lambda uow, me, b: leasing.review_file(uow, me.id, b.arg, True),
}


@router.callback_query(LeaseCb.filter(F.action.in_(set(AT_ONCE))))
async def at_once(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await AT_ONCE[callback_data.action](uow, me, callback_data)
    await cb.answer()
    view = await leasing.view(uow, me.id, callback_data.deal_id)
    if callback_data.action == LeaseAction.CONSENT and views.consent_rows(t, view):  # the next one a press away
        await show(cb.message, *views.case_section(t, view, LeaseAction.CONSENTS), edit=True)
    elif callback_data.action == LeaseAction.FILE_OK and any(f.status == LeaseFileStatus.SENT for f in view.files):
        await show(cb.message, *views.case_section(t, view, LeaseAction.FILES), edit=True)
    else:
        await show(cb.message, *views.case_screen(t, view), edit=True)


# --- the filing ------------------------------------------------------------------------------------------------

@router.callback_query(LeaseCb.filter(F.action == LeaseAction.SUBMIT))
async def submit(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    outcome = await leasing.submit(uow, me.id, callback_data.deal_id)
    await cb.answer(t("lease.submitted", score=outcome.score, verdict=t(f"lease.verdict_{outcome.verdict}")),
                    show_alert=True)
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.CSV))
async def schedule_file(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    view = await leasing.view(uow, me.id, callback_data.deal_id)
    result = leasing.result_of(_version(view, callback_data.arg))
    await cb.answer()
    await cb.message.answer_document(BufferedInputFile(views.csv_bytes(t, result.lines), t("calc.file")),
                                     caption=t("calc.csv_caption", term=views.term(t, result)))


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.PDF))
async def offer_pdf(cb: CallbackQuery, callback_data: LeaseCb, bot: Bot, me: User, t: Translator,
                    uow: UnitOfWork) -> None:
    document, version = await leasing.offer_document(uow, me.id, callback_data.deal_id, callback_data.arg)
    await cb.answer()
    await docs.send(bot, cb.message.chat.id, document, t("lease.pdf_caption", version=version), lambda: uow)


# --- documents: the checklist, the contract and its signed scan, the back office's check ----------------------

@router.callback_query(LeaseCb.filter(F.action == LeaseAction.FILE_SEND))
async def file_asked(cb: CallbackQuery, callback_data: LeaseCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork) -> None:
    view = await leasing.view(uow, me.id, callback_data.deal_id)
    kind = _at(list(view.file_kinds), callback_data.arg)
    await begin(state, deal_id=callback_data.deal_id, kind=kind)
    await state.set_state(LeaseForm.file)
    await cb.answer()
    await cb.message.answer(t("lease.ask_file", name=t(f"lease_doc.{kind}")), reply_markup=nav(t, back=False))


@router.message(LeaseForm.file)
async def file_sent(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                    cfg: CoreConfig) -> None:
    data = await state.get_data()
    f = await checked_file(message, cfg, bot)  # a program, a wrong type, too large: refused, the dialog waits
    await leasing.send_file(uow, me.id, data["deal_id"], data["kind"], f)
    await state.clear()
    await message.answer(t("lease.file_saved", name=t(f"lease_doc.{data['kind']}")))
    await _screen(message, me, t, uow, data["deal_id"], edit=False)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.FILE_SHOW))
async def file_shown(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    view = await leasing.view(uow, me.id, callback_data.deal_id)
    f = next((x for x in view.files if x.id == callback_data.arg), None)
    if f is None:
        raise InvalidInput("stale_button")
    await cb.answer()
    send = cb.message.answer_photo if f.mime_type == "image/jpeg" and not f.file_name else cb.message.answer_document
    await send(f.tg_file_id, caption=t(f"lease_doc.{f.kind}"))  # by Telegram's file id: never a URL


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.FILE_REJECT))
async def file_reject_asked(cb: CallbackQuery, callback_data: LeaseCb, state: FSMContext, me: User,
                            t: Translator, uow: UnitOfWork) -> None:
    await leasing.view(uow, me.id, callback_data.deal_id)
    await ask(cb, state, t, LeaseForm.reject, "lease.ask_reject", deal_id=callback_data.deal_id,
              file_id=callback_data.arg)


@router.message(LeaseForm.reject, F.text)
async def file_rejected(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    await leasing.review_file(uow, me.id, data["file_id"], False, message.text)
    await state.clear()
    await _screen(message, me, t, uow, data["deal_id"], edit=False)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.CONTRACT))
async def contract(cb: CallbackQuery, callback_data: LeaseCb, bot: Bot, me: User, t: Translator,
                   uow: UnitOfWork) -> None:
    document, number = await leasing.contract_document(uow, me.id, callback_data.deal_id)
    await cb.answer()
    await docs.send(bot, cb.message.chat.id, document, t("lease.contract_caption", number=number), lambda: uow)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.CHECK))
async def check(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    problems = await leasing.check_set(uow, me.id, callback_data.deal_id)
    await cb.answer(views.problems(t, problems), show_alert=True)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.PAY))
async def pay(cb: CallbackQuery, callback_data: LeaseCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    problems = await leasing.check_set(uow, me.id, callback_data.deal_id, for_payment=True)
    if problems:  # what is missing, named in the person's language; the service checks again under its lock
        await cb.answer(views.problems(t, problems), show_alert=True)
        return
    await leasing.to_payment(uow, me.id, callback_data.deal_id)
    await cb.answer()
    await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)


# --- the admins' scoring table ------------------------------------------------------------------------------------

@router.callback_query(LeaseCb.filter(F.action == LeaseAction.SCORING))
async def scoring_shown(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    text = await leasing.scoring_text(uow, me.id)
    await cb.answer()
    edit = single(t("lease.scoring_edit"), LeaseCb(action=LeaseAction.SCORING_EDIT))
    markup = InlineKeyboardMarkup(inline_keyboard=[*edit.inline_keyboard, [to_directories(t)]])
    await cb.message.answer(f"{t('lease.scoring_head')}\n<code>{escape(text)}</code>", reply_markup=markup)


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.SCORING_EDIT))
async def scoring_asked(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    await leasing.scoring_text(uow, me.id)  # an admin's
    await ask(cb, state, t, LeaseForm.scoring, "lease.scoring_ask")


@router.message(LeaseForm.scoring, F.text)
async def scoring_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    table = await leasing.set_scoring(uow, me.id, message.text)  # a line not understood: refused, the dialog waits
    await state.clear()
    await message.answer(t("lease.scoring_saved", count=len(table)))


# --- the moves with words: the analyst's, and the cancellation -------------------------------------------------

#: the question each move asks
QUESTION = {LeaseStatus.MOTION: "lease.ask_motion", LeaseStatus.APPROVED: "lease.ask_decision",
            LeaseStatus.REFUSED: "lease.ask_decision", LeaseStatus.CONDITIONAL: "lease.ask_conditional",
            LeaseStatus.CANCELLED: "lease.ask_cancel"}


@router.callback_query(LeaseCb.filter(F.action == LeaseAction.MOVE))
async def move_asked(cb: CallbackQuery, callback_data: LeaseCb, state: FSMContext, me: User, t: Translator,
                     uow: UnitOfWork) -> None:
    target = _at(list(views.MOVES), callback_data.arg)
    view = await leasing.view(uow, me.id, callback_data.deal_id)  # theirs, and a move they may make from here
    if target not in view.moves:
        raise InvalidInput("stale_button")
    if target == LeaseStatus.ANALYSIS:  # taken into the assessment: no words needed
        await leasing.risk_move(uow, me.id, callback_data.deal_id, target)
        await cb.answer()
        await _screen(cb.message, me, t, uow, callback_data.deal_id, edit=True)
        return
    await ask(cb, state, t, LeaseForm.reason, QUESTION.get(target, "lease.ask_reason"),
              deal_id=callback_data.deal_id, target=target.value)


@router.message(LeaseForm.reason, F.text)
async def reason_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await state.get_data()
    target = LeaseStatus(data["target"])
    if target == LeaseStatus.CANCELLED:
        await leasing.cancel(uow, me.id, data["deal_id"], None if message.text.strip() == "-" else message.text)
    else:
        await leasing.risk_move(uow, me.id, data["deal_id"], target, message.text)
    await state.clear()
    await _screen(message, me, t, uow, data["deal_id"], edit=False)


@router.message(LeaseForm.reason)
@router.message(LeaseForm.verification)
@router.message(LeaseForm.vendor)
@router.message(LeaseForm.reject)
@router.message(LeaseForm.scoring)
@router.message(LeaseForm.client)
@router.message(LeaseForm.subject)
@router.message(LeaseForm.terms)
@router.message(LeaseForm.recalc)
@router.message(LeaseForm.link)
@router.message(LeaseForm.surety)
@router.message(LeaseForm.deposit)
async def words_expected(message: Message, t: Translator) -> None:
    await message.answer(t("errors.text_expected"))
