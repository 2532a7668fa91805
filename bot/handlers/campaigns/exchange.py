"""The exchange with 1C in the chat (issue 28): a head or an admin sends the bank's statement as 1C's client-bank
file and books the payments it brings to their orders, sends 1C's CommerceML file of counterparties and takes them
in, and gets the counterparties and orders as a CommerceML file for 1C. A preview comes first, then «confirm».
Thin: parse, call one service, render."""

from __future__ import annotations

import io

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import ask
from bot.fsm.moves import move
from bot.fsm.states import ExchangeInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import ExchangeAction, ExchangeCb, FormAction, FormCb
from bot.views.campaigns import exchange as views
from bot.views.kernel.common import show
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.inputs import check_content
from core.services.campaigns import bank_import
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import commerceml_exchange as cml
from core.services.kernel.config import CoreConfig

router = Blueprint("exchange")


async def _head(uow: UnitOfWork, me: User) -> None:
    """The seed's «Руководитель» (an admin, or the head of an access group) exchanges with 1C."""
    if not await campaigns.may_run(uow, me.id):
        raise Forbidden("exchange_heads_only")


@router.message(Command("exchange"))
async def from_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _head(uow, me)
    await show(message, *views.menu(t), edit=False)


@router.callback_query(ExchangeCb.filter(F.action == ExchangeAction.MENU))
async def opened(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _head(uow, me)
    await cb.answer()
    await show(cb.message, *views.menu(t), edit=False)


#: the file each import asks for, and its question
ASKED = {ExchangeAction.BANK: (ExchangeInput.bank_file, "onec.ask_bank"),
         ExchangeAction.CML_IN: (ExchangeInput.cml_file, "onec.ask_cml")}


@router.callback_query(ExchangeCb.filter(F.action.in_(set(ASKED))))
async def asked(cb: CallbackQuery, callback_data: ExchangeCb, state: FSMContext, me: User, t: Translator,
                uow: UnitOfWork) -> None:
    await _head(uow, me)
    await ask(cb, state, t, *ASKED[callback_data.action])


async def _file(message: Message, cfg: CoreConfig, bot: Bot, extensions: tuple[str, ...], refusal: str) -> bytes:
    """The document sent: refused when it is no such file, too large, or not text."""
    doc = message.document
    if doc is None or not (doc.file_name or "").lower().endswith(extensions):
        raise InvalidInput(refusal)
    if doc.file_size and doc.file_size > cfg.max_file_bytes:
        raise InvalidInput("file_too_large", max_mb=cfg.max_file_bytes // (1024 * 1024))
    data = (await bot.download(doc, destination=io.BytesIO())).getvalue()
    check_content(file_name=doc.file_name, mime_type=None, head=data[:512])
    return data


@router.message(ExchangeInput.bank_file)
async def bank_file(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                    cfg: CoreConfig) -> None:
    pv = await bank_import.preview(uow, me.id, await _file(message, cfg, bot, (".txt",), "onec_bank_file"))
    text = views.bank_preview(t, pv)
    if not pv.book:
        await state.clear()
        await message.answer(f"{text}\n{t('onec.nothing')}")
        return
    await move(state, ExchangeInput.bank_confirm, rows=pv.book)
    await message.answer(text, reply_markup=builders.nav(
        t, (t("onec.book", count=len(pv.book)), FormCb(action=FormAction.SEND)), back=False))


@router.callback_query(ExchangeInput.bank_confirm, FormCb.filter(F.action == FormAction.SEND))
async def bank_confirmed(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    rows = (await state.get_data())["rows"]
    await state.clear()  # first: a second press finds nothing to book
    done = await bank_import.confirm(lambda: uow, me.id, rows)
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(views.bank_done(t, done), reply_markup=views.back(t))


@router.message(ExchangeInput.cml_file)
async def cml_file(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                   cfg: CoreConfig) -> None:
    pv = await cml.preview(uow, me.id, await _file(message, cfg, bot, (".xml",), "onec_cml_file"))
    text = views.cml_preview(t, pv)
    if not pv.add and not pv.known:
        await state.clear()
        await message.answer(f"{text}\n{t('onec.nothing')}")
        return
    await move(state, ExchangeInput.cml_confirm, rows=pv.add + pv.known)
    await message.answer(text, reply_markup=builders.nav(
        t, (t("onec.take", count=len(pv.add) + len(pv.known)), FormCb(action=FormAction.SEND)), back=False))


@router.callback_query(ExchangeInput.cml_confirm, FormCb.filter(F.action == FormAction.SEND))
async def cml_confirmed(cb: CallbackQuery, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    rows = (await state.get_data())["rows"]
    await state.clear()
    done = await cml.confirm(lambda: uow, me.id, rows)
    await cb.answer()
    await cb.message.edit_reply_markup(reply_markup=None)
    await cb.message.answer(views.cml_done(t, done), reply_markup=views.back(t))


@router.callback_query(ExchangeCb.filter(F.action == ExchangeAction.CML_OUT))
async def exported(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    data = await cml.export(uow, me.id)
    made = uow.clock.now().strftime("%Y%m%d-%H%M")
    await cb.answer()
    await cb.message.answer_document(BufferedInputFile(data, f"dealgram-1c-{made}.xml"), caption=t("onec.exported"))
