"""The admins' documents and approvals (seed 001): the КП's and the invoice's templates (the built-in one sent as a
file to edit; an .html file sent back replaces it, checked on a sample first; back to the built-in one), the
seller's name and details the documents print, and who approves a КП from which amount. Thin: parse, call one
service, render."""

from __future__ import annotations

import io

from aiogram import Bot, F
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.blueprint import Blueprint
from bot.fsm.dialogs import ask
from bot.fsm.states import DocInput
from bot.i18n import Translator
from bot.keyboards.callbacks import DocAction, DocCb, MenuAction, StepCb
from bot.views.campaigns import quotes as views
from bot.views.kernel.common import show
from core import documents as render
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import DocKind
from core.domain.kernel.deployment import Area, Need
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.inputs import parse_amount
from core.domain.kernel.roles import Role
from core.services.campaigns import quotes
from core.services.kernel import deployment, documents, users
from core.services.kernel.config import CoreConfig

router = Blueprint("doc_admin", roles={Role.ADMIN})  # every screen here is the admins'


async def _issued(uow: UnitOfWork) -> tuple[frozenset[DocKind], bool]:
    """The documents the deployment issues (cold calls: the КП and the invoice; leasing: the lessor's), and
    whether the КП's approvals apply (cold calls run)."""
    areas = await deployment.running(uow)
    cold = Area.COLD_CALLS in areas
    return (documents.CAMPAIGN_KINDS if cold else frozenset()) | (
        documents.LEASE_KINDS if Area.LEASING in areas else frozenset()), cold


async def _screen(target: Message, me: User, t: Translator, uow: UnitOfWork, *, edit: bool) -> None:
    own = await documents.settings(uow, me.id)
    kinds, approvals = await _issued(uow)
    rules = await quotes.rules_of(uow, me.id) if approvals else []
    await show(target, *views.doc_admin(t, own, rules, kinds, approvals), edit=edit)


@router.callback_query(DocCb.filter(F.action == DocAction.OPEN))
async def opened(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await _screen(cb.message, me, t, uow, edit=(cb.message.text or "").startswith("📄"))
    await cb.answer()


@router.callback_query(DocCb.filter((F.action == DocAction.DEFAULT) & F.kind))
async def default(cb: CallbackQuery, callback_data: DocCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    body = await documents.template_for(uow, me.id, callback_data.kind)
    await cb.answer()
    await cb.message.answer_document(BufferedInputFile(body.encode(), f"{callback_data.kind.value}.html"),
                                     caption=t("docs.template_caption"))


@router.callback_query(DocCb.filter((F.action == DocAction.UPLOAD) & F.kind))
async def ask_template(cb: CallbackQuery, callback_data: DocCb, state: FSMContext, t: Translator) -> None:
    await ask(cb, state, t, DocInput.template, "docs.ask_template", kind=callback_data.kind.value)


@router.message(DocInput.template, F.document)
async def template_sent(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator, uow: UnitOfWork,
                        cfg: CoreConfig) -> None:
    doc = message.document
    if not (doc.file_name or "").lower().endswith((".html", ".htm")):
        raise InvalidInput("template_encoding")
    if doc.file_size and doc.file_size > render.MAX_TEMPLATE:
        raise InvalidInput("template_too_large", max=render.MAX_TEMPLATE // 1024)
    body = (await bot.download(doc, destination=io.BytesIO())).getvalue()
    kind = render.DocKind((await state.get_data())["kind"])
    await documents.set_template(uow, me.id, kind, body)
    await state.clear()
    await message.answer(t("docs.template_set"))
    await _screen(message, me, t, uow, edit=False)


@router.callback_query(DocCb.filter((F.action == DocAction.RESET) & F.kind))
async def reset(cb: CallbackQuery, callback_data: DocCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await documents.reset_template(uow, me.id, callback_data.kind)
    await cb.answer(t("ws.saved"))
    await _screen(cb.message, me, t, uow, edit=True)


@router.callback_query(DocCb.filter(F.action == DocAction.SELLER))
@router.callback_query(StepCb.filter(F.need == Need.SELLER))
async def ask_seller(cb: CallbackQuery, callback_data: DocCb | StepCb, state: FSMContext, t: Translator,
                     uow: UnitOfWork) -> None:
    """The seller's details: from the documents' screen, or the settings' checklist's step (« Cancel » goes back)."""
    _, approvals = await _issued(uow)
    await ask(cb, state, t, DocInput.seller, "docs.ask_seller" if approvals else "docs.ask_lessor",
              returns_to=MenuAction.SETTINGS if isinstance(callback_data, StepCb) else None)


@router.message(DocInput.seller, F.text)
async def seller_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    await documents.set_seller(uow, me.id, message.text)
    await state.clear()
    await _screen(message, me, t, uow, edit=False)


@router.callback_query(DocCb.filter(F.action == DocAction.RULE_ADD))
async def ask_rule(cb: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await ask(cb, state, t, DocInput.rule, "docs.ask_rule", words={"currency": t.currency()})


@router.message(DocInput.rule, F.text)
async def rule_typed(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    amount, sep, who = message.text.partition(";")
    if not sep:
        raise InvalidInput("rule_format")
    approver = await users.named(uow, me.id, who.strip())
    await quotes.add_rule(uow, me.id, parse_amount(amount, locale=t.locale), approver.id)
    await state.clear()
    await _screen(message, me, t, uow, edit=False)


@router.callback_query(DocCb.filter(F.action == DocAction.RULE_DEL))
async def rule_removed(cb: CallbackQuery, callback_data: DocCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    await quotes.remove_rule(uow, me.id, callback_data.item)
    await cb.answer(t("ws.saved"))
    await _screen(cb.message, me, t, uow, edit=True)


@router.message(DocInput.template)
async def file_expected(message: Message, t: Translator) -> None:
    await message.answer(t("docs.ask_template"))


@router.message(DocInput.seller)
@router.message(DocInput.rule)
async def words_expected(message: Message, t: Translator) -> None:
    await message.answer(t("errors.text_expected"))
