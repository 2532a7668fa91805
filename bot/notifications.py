"""Turns an outbox row into Bot API calls, in the recipient's language, showing only what they may see.

Relays copy messages (copyMessage / copyMessages): never forwarded, never a file URL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from html import escape

from aiogram import Bot
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    ReplyParameters,
)

from bot import documents
from bot.commands import set_commands
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import (
    NEW_MESSAGE,
    BooksAction,
    BooksCb,
    CampAction,
    CampCb,
    ColdAction,
    ColdCb,
    LeadAction,
    LeadCb,
    LeaseAction,
    LeaseCb,
    MenuAction,
    MenuCb,
    QuoteAction,
    QuoteCb,
    WsAction,
    WsCb,
)
from bot.render import app_card, relay_header, render_digest, role_name, roles_names
from bot.views.campaigns import quotes as quote_views
from bot.views.kernel import tasks as task_views
from bot.views.kernel.names import close_reason, dunning_level, status_name
from bot.views.leasing import lease as lease_views
from core.db.kernel import models as m
from core.db.kernel.repositories import Due, Recipient
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel.deployment import Area
from core.domain.kernel.notices import PAYLOADS, Notice
from core.domain.kernel.roles import held
from core.services.kernel import deployment, tasks, users
from core.services.kernel.config import CoreConfig
from core.services.kernel.outbox import Copy
from core.services.leasing import books as lease_books
from core.services.marketplace import applications
from core.services.marketplace import deal_room as deals


def _month(t: Translator, period: str) -> str:
    """A «YYYY-MM» month as the reader names it: «grudzień 2026», «декабрь 2026», «December 2026» (Babel)."""
    try:
        year, month = (int(x) for x in period.split("-"))
        from babel.dates import format_date  # Babel: loaded when first used (core.formats)

        return format_date(date(year, month, 1), "LLLL y", locale=t.locale)
    except ValueError:
        return period


class Notifier:
    def __init__(self, bot: Bot, uow_factory: Callable[[], UnitOfWork], default_locale: str = "ru",
                 cfg: CoreConfig | None = None) -> None:
        self.bot, self._uow, self.default_locale = bot, uow_factory, default_locale
        self.cfg = cfg or CoreConfig()  # KSeF: a faktura is sent there before its PDF goes to the client

    async def __call__(self, row: Due) -> list[Copy]:
        user = row.recipient  # loaded with the claim
        t = Translator(user.locale, user.timezone, self.default_locale)
        kind = Notice(row.kind)
        payload = PAYLOADS[kind](**row.payload)  # a row this code cannot read fails here, and is parked
        return await self.renderer(kind)(user, t, **payload.data()) or []

    def renderer(self, kind: Notice):
        """The method that renders this kind of notice, from the table ``RENDERERS`` (a test checks every kind has
        one, taking exactly its payload's fields)."""
        return RENDERERS[kind].__get__(self)

    async def _text(self, user: Recipient, text: str, markup=None):
        return await self.bot.send_message(user.tg_id, text, reply_markup=markup)

    async def _files(self, user: Recipient, files: list[m.ApplicationFile]) -> None:
        """Files by their Telegram file_id, grouped as albums of one kind (documents apart from photos)."""
        for kind, media_cls in (("photo", InputMediaPhoto), ("document", InputMediaDocument)):
            group = [f for f in files if f.kind == kind]
            if len(group) == 1:
                send = self.bot.send_photo if kind == "photo" else self.bot.send_document
                await send(user.tg_id, group[0].file_id)
            elif group:
                for start in range(0, len(group), 10):
                    await self.bot.send_media_group(user.tg_id, [media_cls(media=f.file_id)
                                                                 for f in group[start:start + 10]])

    async def _card(self, user: Recipient, t: Translator, app_id: int, intro: str | None = None,
                    with_files: bool = False) -> None:
        card = await applications.card(self._uow(), user.id, app_id)
        if with_files and card.files:
            await self._files(user, card.files)
        text = app_card(t, card) if intro is None else f"{intro}\n\n{app_card(t, card)}"
        await self._text(user, text, builders.card_actions(t, card))

    # --- the kinds -----------------------------------------------------------------------------------------

    async def _app_moderation(self, user, t, app_id):
        await self._card(user, t, app_id, t("notify.moderation", id=app_id), with_files=True)

    async def _app_dispatched(self, user, t, app_id):
        await self._card(user, t, app_id, t("notify.dispatched", id=app_id))

    async def _app_approved(self, user, t, app_id, managers):
        # no manager's profile matched: said plainly (never «0 managers»), the admin was warned
        key = "notify.approved" if managers else "notify.approved_nobody"
        await self._text(user, t(key, id=app_id, count=managers), builders.open_app(t, app_id))

    async def _app_rejected(self, user, t, app_id, reason):
        await self._text(user, t("notify.rejected", id=app_id, reason=reason or ""))

    async def _app_clarify(self, user, t, app_id, question):
        await self._card(user, t, app_id, t("notify.clarify", id=app_id, question=question or ""))

    async def _offer_new(self, user, t, app_id, offer_id):
        await self._card(user, t, app_id, t("notify.offer_new", id=app_id))

    async def _offer_updated(self, user, t, app_id, offer_id):
        await self._card(user, t, app_id, t("notify.offer_updated", id=app_id))

    async def _offer_withdrawn(self, user, t, app_id, company):
        await self._text(user, t("notify.offer_withdrawn", id=app_id, company=company),
                         builders.open_app(t, app_id))

    async def _deal_chosen(self, user, t, app_id, offer_id):
        await self._card(user, t, app_id, t("notify.chosen", id=app_id), with_files=True)

    async def _deal_not_chosen(self, user, t, app_id, offer_id):
        await self._text(user, t("notify.not_chosen", id=app_id))

    async def _status_changed(self, user, t, app_id, old, new, comment):
        text = t("notify.status", id=app_id, old=t.status(old), new=t.status(new))
        if comment:
            text += "\n" + t("notify.comment", comment=comment)
        await self._text(user, text, builders.open_app(t, app_id))

    async def _invite_accepted(self, user, t, name, role, company=None, team=None):
        text = t("notify.invite_accepted", name=name, role=role_name(t, role))
        if company:
            text += "\n" + t("notify.invite_accepted_company", company=company)
        if team:
            text += "\n" + t("people.invite_accepted_team", team=team)
        await self._text(user, text)

    async def _head_named(self, user, t, team):
        """Named the head of a team: what they now see and get, said for the areas the deployment runs."""
        areas = await deployment.running(self._uow())
        lines = [t("head_named.title", team=team)]
        lines += [t(f"head_named.{area}") for area in (Area.LEADS, Area.COLD_CALLS) if area in areas]
        lines.append(t("head_named.tasks"))
        await self._text(user, "\n".join(lines))

    async def _referral_joined(self, user, t, name):
        await self._text(user, t("notify.referral_joined", name=name))

    async def _referral_application(self, user, t, app_id):
        await self._text(user, t("notify.referral_application", id=app_id), builders.open_app(t, app_id))

    async def _role_changed(self, user, t, role, change=None):
        """The person's role changed, or one was granted or taken back besides: the words, then the menu and the
        commands of every role they hold now."""
        areas = await deployment.running(self._uow())
        person = await users.person(self._uow(), user.id) or user
        text = (t(f"people.role_{change}", role=role_name(t, role), roles=roles_names(t, person)) if change
                else t("notify.role_changed", role=role_name(t, role)))
        await self._text(user, text, builders.menu(t, held(person), areas))
        await set_commands(self.bot, person, t, areas)

    async def _task_text(self, user, t, key: str, task_id: int, **extra):
        """One task: its title, its deal and counterparty (or its lead), its time, and buttons to open its deal or
        lead, to mark it done or put it off, and «My tasks»."""
        listed = await tasks.listed(self._uow(), [task_id])
        if not listed:
            return  # done or cancelled meanwhile: nothing to remind
        x = listed[0]
        await self._text(user, t(key, title=task_views.task_title(t, x.task), due=t.dt(x.task.due_at),
                                 lead=task_views.where(t, x), **extra), task_views.one_task_buttons(t, x))

    async def _task_reminder(self, user, t, task_id):
        await self._task_text(user, t, "tasks.reminder", task_id)

    async def _task_overdue(self, user, t, task_id, responsible):
        await self._task_text(user, t, "tasks.overdue", task_id, responsible=responsible)

    async def _tasks_due(self, user, t, task_ids):
        await self._task_list(user, t, task_ids, overdue=False)

    async def _tasks_overdue(self, user, t, task_ids):
        await self._task_list(user, t, task_ids, overdue=True)

    async def _task_list(self, user, t, task_ids, *, overdue: bool):
        """The tasks that fell due (or overdue) at once, in one message; those done or closed meanwhile left out."""
        listed = await tasks.listed(self._uow(), task_ids)
        if listed:
            await self._text(user, *task_views.due(t, listed, overdue=overdue, recipient_id=user.id))

    async def _task_assigned(self, user, t, task_id):
        await self._task_text(user, t, "tasks.assigned", task_id)

    def _open_deal(self, t: Translator, deal_id: int):
        return builders.single(t("ws.open"), WsCb(action=WsAction.OPEN, deal_id=deal_id))

    async def _deal_assigned(self, user, t, deal_id, name, task_id=None):
        """The deal, and the first task it came with (still open: one done meanwhile is not announced)."""
        text = t("notify.deal_assigned", name=name, id=deal_id)
        listed = await tasks.listed(self._uow(), [task_id]) if task_id else []
        if listed:
            text += "\n" + t("notify.first_task", title=task_views.task_title(t, listed[0].task),
                              due=t.dt(listed[0].task.due_at))
        await self._text(user, text, self._open_deal(t, deal_id))

    async def _deal_handed_over(self, user, t, deal_id, name, to, group=None, kept=False):
        """What left its executor and where it went; the button opens it while they still see it."""
        text = (t("notify.deal_handed_over_group", name=name, id=deal_id, to=to, group=group) if group
                else t("notify.deal_handed_over", name=name, id=deal_id, to=to))
        if kept:
            text += "\n" + t("notify.deal_kept")
        await self._text(user, text, self._open_deal(t, deal_id) if kept else None)

    async def _lead_handed_over(self, user, t, lead_id, name, to):
        await self._text(user, t("notify.lead_handed_over", id=lead_id, name=name, to=to))

    async def _deal_moved(self, user, t, deal_id, name, status, pipeline=None, code=None):
        await self._text(user, t("notify.deal_moved", name=name, id=deal_id,
                                 status=status_name(t, pipeline, code, status)),
                         self._open_deal(t, deal_id))

    async def _payment_overdue(self, user, t, payment_id, deal_id, name, amount, due_on):
        await self._text(user, t("notify.payment_overdue", name=name, id=deal_id, amount=t.money(Decimal(amount)),
                                 due=t.day(date.fromisoformat(due_on))), self._open_deal(t, deal_id))

    async def _stage_overdue(self, user, t, deal_id, name, executor, stage, pipeline=None, code=None):
        await self._text(user, t("notify.stage_overdue", name=name, id=deal_id, executor=executor,
                                 stage=status_name(t, pipeline, code, stage)),
                         self._open_deal(t, deal_id))

    async def _stage_closed(self, user, t, deal_id, name, reason):
        await self._text(user, t("notify.stage_closed", name=name, id=deal_id, reason=close_reason(t, reason) or "—"),
                         self._open_deal(t, deal_id))

    async def _stages_closed(self, user, t, deals, reason):
        await self._text(user, *task_views.deals_closed(t, deals, reason))

    async def _campaign_posted(self, user, t, campaign_id, title, deals):
        await self._text(user, t("notify.campaign_posted", title=title, count=deals), builders.single(
            t("cold.open_campaign"), CampCb(action=CampAction.OPEN, campaign_id=campaign_id)))

    async def _reroute_asked(self, user, t, deal_id, name, group):
        await self._text(user, t("notify.reroute_asked", name=name, id=deal_id, group=group), builders.single(
            t("cold.reroute"), ColdCb(action=ColdAction.REROUTE, deal_id=deal_id)))

    async def _quote_approval(self, user, t, quote_id, deal_id, name, version, gross):
        await self._text(user, t("notify.quote_approval", name=name, id=deal_id, version=version,
                                 gross=t.money(Decimal(gross))), quote_views.approval_buttons(t, deal_id, quote_id))

    async def _quote_decided(self, user, t, deal_id, name, version, approved, by, comment=None, mailed=True):
        key = ("notify.quote_approved" if mailed else "notify.mail.quote_approved") if approved \
            else "notify.quote_returned"
        await self._text(user, t(key, name=name, id=deal_id, version=version, by=by,
                                 comment=comment or ""), builders.single(
            t("quote.open"), QuoteCb(action=QuoteAction.OPEN, deal_id=deal_id)))

    async def _document_sent(self, user, t, document_id, deal_id, title):
        async with self._uow() as u:
            doc = await u.documents.get(document_id)
        if doc is not None:
            await documents.send(self.bot, user.tg_id, doc, escape(title), self._uow)

    async def _mail_parked(self, user, t, deal_id, name, to_addr, error):
        await self._text(user, t("notify.mail_parked", name=name, id=deal_id, to=to_addr,
                                 error=error), self._open_deal(t, deal_id))

    async def _order_paid(self, user, t, deal_id, number, amount):
        await self._text(user, t("notify.order_paid", number=number, amount=t.money(Decimal(amount))),
                         self._open_deal(t, deal_id))

    async def _lease_offer(self, user, t, deal_id, subject, version, instalment, currency):
        await self._text(user, t("notify.lease_offer", subject=subject, id=deal_id, version=version,
                                 instalment=t.money(Decimal(instalment), currency)),
                         builders.single(t("lease.open_offer"), LeaseCb(action=LeaseAction.OFFER, deal_id=deal_id,
                                                                        arg=version)))

    async def _lease_moved(self, user, t, deal_id, subject, status, reason=None, file_kind=None, score=None,
                           stops=None, reader=None, what=None):
        text = t("notify.lease_moved", subject=subject, id=deal_id, status=t(f"lease_status.{status}"))
        if file_kind:  # a rejected document, by its name: what was wrong with it
            text += "\n" + t("notify.lease_file_reason", name=t(f"lease_doc.{file_kind}"), reason=reason or "")
        elif reason and not what:
            text += "\n" + t("notify.lease_reason", reason=reason)
        if reader == "client":  # the scoring is the lessor's: the client reads the decision, not its points
            score, stops = None, None
        if score is not None:
            text += "\n" + t("notify.lease_scored", score=score)
        for fact, op, value in stops or ():
            text += "\n" + t("notify.lease_stop", fact=t(f"scoring_fact.{fact}"), op=op,
                             value=t.plain(Decimal(value)))
        todo = f"lease_todo.{reader}_{what or status}"
        if reader and t.has(todo):  # what happened and what this reader does now
            text += "\n" + t(todo)
        await self._text(user, text, self._open_lease(t, deal_id))

    async def _lease_message(self, user, t, deal_id, from_role, from_chat_id, message_id, text=None, caption=None,
                             name=None):
        who = t(f"lease.role_{from_role}")
        header = (t("lease.message_header_named", id=deal_id, who=who, name=name) if name else
                  t("lease.message_header", id=deal_id, who=who))
        reply = builders.single(t("lease.reply"), LeaseCb(action=LeaseAction.WRITE, deal_id=deal_id))
        markup = InlineKeyboardMarkup(inline_keyboard=reply.inline_keyboard
                                      + self._open_lease(t, deal_id).inline_keyboard)
        if text is not None:
            await self._text(user, f"{header}\n\n{escape(text)}", markup)
            return None
        full = header if not caption else f"{header}\n\n{escape(caption)}"
        await self.bot.copy_message(user.tg_id, from_chat_id, message_id, caption=full[:1024], reply_markup=markup)
        return None

    async def _lease_invoice(self, user, t, invoice_id):
        await lease_books.ksef.send_pending(self._uow, self.cfg, invoice_ids=[invoice_id])
        made = await lease_books.invoice_document(self._uow(), user.id, invoice_id, self.cfg)
        caption = t("notify.lease_invoice", number=made.number, id=made.deal_id,
                    amount=t.money(made.gross, made.currency), due=t.day(made.due))
        await documents.send(self.bot, user.tg_id, made.document, caption, self._uow,
                             reply_markup=self._open_books(t, made.deal_id))

    async def _lease_vendor_paid(self, user, t, deal_id, subject, amount, currency, paid_on):
        await self._text(user, t("notify.lease_vendor_paid", subject=subject, id=deal_id,
                                 amount=t.money(Decimal(amount), currency), day=_day(t, paid_on)))

    async def _lease_receipt(self, user, t, deal_id, amount, currency, paid_on, balance):
        await self._text(user, t("notify.lease_receipt", id=deal_id, amount=t.money(Decimal(amount), currency),
                                 day=_day(t, paid_on), balance=t.money(Decimal(balance), currency)),
                         self._open_books(t, deal_id))

    async def _lease_interest(self, user, t, deal_id, amount, currency, as_of):
        key = "notify.lease_interest" if Decimal(amount) > 0 else "notify.lease_interest_back"
        await self._text(user, t(key, id=deal_id, amount=t.money(abs(Decimal(amount)), currency),
                                 day=_day(t, as_of)), self._open_books(t, deal_id))

    async def _lease_dunning(self, user, t, deal_id, level, days, owed, currency, by_letter=False, subject="",
                             dunning_id=None):
        text = t("notify.lease_dunning", level=dunning_level(t, level), id=deal_id, subject=subject,
                 days=days, owed=t.money(Decimal(owed), currency))
        if by_letter and dunning_id is not None:  # to the back office: the letter to send
            doc = await lease_books.letter_document(self._uow(), user.id, dunning_id)
            await documents.send(self.bot, user.tg_id, doc, text + "\n" + t("notify.lease_letter"), self._uow,
                                 reply_markup=self._open_books(t, deal_id))
            return
        if by_letter:  # to the responsible: the back office sends the letter
            text += "\n" + t("notify.lease_letter_office")
        await self._text(user, text, self._open_books(t, deal_id))

    async def _lease_closed(self, user, t, deal_id, subject, refund=None, currency="PLN"):
        text = t("notify.lease_closed", subject=subject, id=deal_id)
        if refund:
            text += "\n" + t("notify.lease_refund", amount=t.money(Decimal(refund), currency))
        doc = await lease_books.settlement_document(self._uow(), user.id, deal_id)  # the closing statement
        await documents.send(self.bot, user.tg_id, doc, text, self._uow, reply_markup=self._open_books(t, deal_id))

    async def _lease_insurance(self, user, t, deal_id, subject, policy_no, ends_on, days):
        await self._text(user, t("notify.lease_insurance", subject=subject, id=deal_id,
                                 policy=policy_no, day=_day(t, ends_on), days=days),
                         self._open_books(t, deal_id))

    async def _lease_commission(self, user, t, period, contracts, amount, currency):
        await self._text(user, t("notify.lease_commission", period=_month(t, period), contracts=contracts,
                                 amount=t.money(Decimal(amount), currency)))

    async def _lease_ended(self, user, t, deal_id, subject, how, ending_id, invoice=None):
        """The contract's end with its document (the ownership transfer protocol, the settlement, the return
        protocol), made by the reaction to the end."""
        from core.services.leasing import ending

        key = f"lease_end.notify_{how}" + ("_plain" if how == "buyout" and not invoice else "")
        made = await ending.ending_document(self._uow(), user.id, ending_id)
        await documents.send(self.bot, user.tg_id, made.document,
                             t(key, subject=subject, id=deal_id, invoice=invoice or ""), self._uow,
                             reply_markup=self._open_lease(t, deal_id))

    async def _lease_identity(self, user, t, deal_id, subject, check_id, reasons, payer=None):
        from bot.views.leasing.ending import identity_buttons, identity_why

        await self._text(user, t("lease_end.notify_identity", subject=subject, id=deal_id,
                                 why=identity_why(t, reasons, payer)), identity_buttons(t, deal_id, check_id))

    async def _lease_rate_gap(self, user, t, day):
        await self._text(user, t("notify.lease_rate_gap", day=_day(t, day)))

    async def _lease_dunning_run(self, user, t, day, sent):
        shown = 30  # a message's worth; the rest counted
        lines = [t("books_match.dunning_run", day=_day(t, day), count=len(sent))]
        for deal_id, subject, level, days, by_letter in sent[:shown]:
            lines.append(t("books_match.dunning_run_line", id=deal_id, subject=subject,
                           level=dunning_level(t, level),
                           days=days, how=t("books_match.by_letter" if by_letter else "books_match.in_bot")))
        if len(sent) > shown:
            lines.append(t("books_match.dunning_run_more", count=len(sent) - shown))
        await self._text(user, "\n".join(lines), self._books_menu(t))

    async def _lease_contract_ready(self, user, t, deal_id, subject, number):
        await self._text(user, t("books_match.contract_ready", number=number, subject=subject),
                         self._open_lease(t, deal_id))

    async def _lease_offer_asked(self, user, t, name, tg_id, username, price, advance, months, rate, residual, fee,
                                 method, timing, instalment, currency):
        from core.domain.leasing.calc import Method, Timing  # the leasing area's words, when a notice needs them

        money = lambda value: t.money(Decimal(value), currency)  # noqa: E731
        how, when = lease_views.method_words(t, Method(method), Timing(timing))
        contact = (t("notify.lease_asker_username", username=username, id=tg_id) if username else
                   t("notify.lease_asker_id", id=tg_id))
        from babel.numbers import format_decimal  # the terms as the calculator takes them: no digit groups

        terms = "; ".join(format_decimal(Decimal(x), format="0.##", locale=t.locale)
                          for x in (price, advance, months, rate, residual, fee))
        text = t("notify.lease_offer_asked", name=name, contact=contact, price=money(price),
                 advance=money(advance), term=t.plural("calc.instalments", months), method=how, timing=when,
                 rate=t.plain(Decimal(rate)), residual=money(residual), fee=money(fee), instalment=money(instalment),
                 terms=terms)
        await self._text(user, text, builders.single(t("lease.for_client"),
                                                     LeaseCb(action=LeaseAction.FOR_CLIENT, arg=tg_id)))

    async def _lease_client_joined(self, user, t, deal_id, subject, client):
        await self._text(user, t("lease.client_joined", client=client, subject=subject, id=deal_id),
                         self._open_lease(t, deal_id))

    async def _lease_client_linked(self, user, t, deal_id, subject, name):
        await self._text(user, t("lease.client_linked", name=name, subject=subject, id=deal_id),
                         self._open_lease(t, deal_id))

    @staticmethod
    def _open_books(t, deal_id: int):
        return builders.single(t("books.open"), BooksCb(action=BooksAction.OPEN, deal_id=deal_id))

    @staticmethod
    def _books_menu(t):
        return builders.single(t("books_match.open_menu"), MenuCb(action=MenuAction.BOOKS))

    @staticmethod
    def _open_lease(t, deal_id: int):
        """The case a press away, as a new message (the notice, or a relayed message, stays as it is)."""
        return builders.single(t("lease.back"), LeaseCb(action=LeaseAction.OPEN, deal_id=deal_id, arg=NEW_MESSAGE))

    async def _digest(self, user, t, day):
        d = await tasks.digest(self._uow(), user.id)
        if not (d.overdue or d.today or d.idle_leads or d.idle_deals or d.team_overdue):
            return  # nothing to plan: no «Good morning, no tasks» (a newcomer's first minute had one)
        await self._text(user, render_digest(t, d))

    async def _lead_new(self, user, t, lead_id, responsible=None, how=None):
        text = t("notify.lead_new", id=lead_id)
        if how is not None:  # rows queued before the leads had a responsible at once carry no «how»
            text += "\n" + (t("notify.lead_responsible", name=responsible, how=t(f"assignment.{how}"))
                            if responsible else t("notify.lead_nobody"))
        await self._text(user, text, builders.single(t("buttons.open_lead"), LeadCb(action=LeadAction.OPEN,
                                                                                lead_id=lead_id)))

    async def _lead_assigned(self, user, t, lead_id):
        await self._text(user, t("notify.lead_assigned", id=lead_id), builders.single(
            t("buttons.open_lead"), LeadCb(action=LeadAction.OPEN, lead_id=lead_id)))

    async def _lead_duplicate(self, user, t, lead_id, duplicate_id):
        await self._text(user, t("notify.lead_duplicate", id=lead_id, duplicate=duplicate_id))

    async def _copied(self, user: Recipient, header: str, from_chat_id: int, message_id: int, text: str | None,
                      caption: str | None, markup=None, footer: str = ""):
        """A relayed message: a text under its header (escaped), anything else copied from the writer's chat with
        the header as its caption (copyMessage: never forwarded, never a file's URL); ``footer`` after the words."""
        tail = f"\n\n{footer}" if footer else ""
        if text is not None:
            return await self._text(user, f"{header}\n\n{escape(text, quote=False)}{tail}", markup)
        words = f"\n\n{escape(caption, quote=False)}" if caption else ""
        return await self.bot.copy_message(user.tg_id, from_chat_id, message_id,
                                           caption=f"{header}{words[:1024 - len(header) - len(tail)]}{tail}",
                                           reply_markup=markup)

    async def _lead_message(self, user, t, lead_id, note_id, name, from_chat_id, message_id, text=None, caption=None):
        """A lead's client wrote: their message, « ↩️ Answer » and the lead (each button checks again on press)."""
        markup = InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text=t("lead_chat.answer_button"), callback_data=LeadCb(
                action=LeadAction.ANSWER, lead_id=lead_id, value=note_id).pack()),
             InlineKeyboardButton(text=t("buttons.open_lead"), callback_data=LeadCb(
                 action=LeadAction.OPEN, lead_id=lead_id).pack())]])
        await self._copied(user, t("lead_chat.header", id=lead_id, name=name), from_chat_id, message_id, text,
                           caption, markup)

    async def _lead_answer(self, user, t, lead_id, name, from_chat_id, message_id, text=None, caption=None):
        """The firm's answer to the client: who wrote, their message; the client answers by writing here again."""
        await self._copied(user, t("lead_chat.answer_header", name=name), from_chat_id, message_id, text, caption,
                           footer=t("lead_chat.reply_hint"))

    async def _lead_meeting(self, user, t, lead_id, at, name):
        """The client's meeting with the firm: when, in the client's timezone, and who booked it."""
        await self._text(user, t("lead_chat.meeting", when=t.dt(datetime.fromisoformat(at)), name=name)
                         + "\n\n" + t("lead_chat.reply_hint"))

    async def _relay(self, user, t, deal_message_id):
        msg = await deals.message(self._uow(), deal_message_id)
        header = relay_header(t, msg.application_id, msg.sender_role)
        if msg.kind == "text":
            sent = await self._text(user, f"{header}\n\n{escape(msg.text or '')}")
            return [Copy(user.tg_id, sent.message_id, msg.application_id, msg.id)]
        caption = header if not msg.text else f"{header}\n\n{escape(msg.text)}"
        copied = await self.bot.copy_message(user.tg_id, msg.chat_id, msg.message_id, caption=caption[:1024])
        return [Copy(user.tg_id, copied.message_id, msg.application_id, msg.id)]

    async def _relay_album(self, user, t, app_id, media_group_id, from_chat_id, sender_role, first_id):
        parts = await deals.album(self._uow(), app_id, media_group_id)
        head = await self._text(user, relay_header(t, app_id, sender_role))
        ids = await self.bot.copy_messages(user.tg_id, from_chat_id, [p.message_id for p in parts])
        copies = [Copy(user.tg_id, head.message_id, app_id, first_id)]
        copies += [Copy(user.tg_id, c.message_id, app_id, p.id) for c, p in zip(ids, parts, strict=False)]
        return copies

    async def _relay_edit(self, user, t, deal_message_id, edit_id):
        msg = await deals.message(self._uow(), deal_message_id)
        target = await deals.copy_in_chat(self._uow(), msg.id, user.tg_id)
        text = t("deal.edit_note", id=msg.application_id, role=t(f"participant.{msg.sender_role}"),
                 text=msg.text or "")
        reply = ReplyParameters(message_id=target, allow_sending_without_reply=True) if target else None
        sent = await self.bot.send_message(user.tg_id, text, reply_parameters=reply)
        return [Copy(user.tg_id, sent.message_id, msg.application_id, msg.id)]


def _day(t: Translator, iso: str) -> str:
    """A payload's day («2027-01-15») as the reader writes it (a notice queued before days were ISO: as it is)."""
    try:
        return t.day(date.fromisoformat(iso))
    except ValueError:
        return iso


#: which method renders which kind of notice: the one table the notifier dispatches by
RENDERERS: dict[Notice, Callable] = {
    Notice.APP_MODERATION: Notifier._app_moderation,
    Notice.APP_DISPATCHED: Notifier._app_dispatched,
    Notice.APP_APPROVED: Notifier._app_approved,
    Notice.APP_REJECTED: Notifier._app_rejected,
    Notice.APP_CLARIFY: Notifier._app_clarify,
    Notice.OFFER_NEW: Notifier._offer_new,
    Notice.OFFER_UPDATED: Notifier._offer_updated,
    Notice.OFFER_WITHDRAWN: Notifier._offer_withdrawn,
    Notice.DEAL_CHOSEN: Notifier._deal_chosen,
    Notice.DEAL_NOT_CHOSEN: Notifier._deal_not_chosen,
    Notice.STATUS_CHANGED: Notifier._status_changed,
    Notice.REFERRAL_JOINED: Notifier._referral_joined,
    Notice.REFERRAL_APPLICATION: Notifier._referral_application,
    Notice.ROLE_CHANGED: Notifier._role_changed,
    Notice.INVITE_ACCEPTED: Notifier._invite_accepted,
    Notice.HEAD_NAMED: Notifier._head_named,
    Notice.RELAY: Notifier._relay,
    Notice.RELAY_ALBUM: Notifier._relay_album,
    Notice.RELAY_EDIT: Notifier._relay_edit,
    Notice.TASK_REMINDER: Notifier._task_reminder,
    Notice.TASK_OVERDUE: Notifier._task_overdue,
    Notice.TASK_ASSIGNED: Notifier._task_assigned,
    Notice.TASKS_DUE: Notifier._tasks_due,
    Notice.TASKS_OVERDUE: Notifier._tasks_overdue,
    Notice.DIGEST: Notifier._digest,
    Notice.LEAD_NEW: Notifier._lead_new,
    Notice.LEAD_ASSIGNED: Notifier._lead_assigned,
    Notice.LEAD_DUPLICATE: Notifier._lead_duplicate,
    Notice.LEAD_MESSAGE: Notifier._lead_message,
    Notice.LEAD_ANSWER: Notifier._lead_answer,
    Notice.LEAD_MEETING: Notifier._lead_meeting,
    Notice.DEAL_ASSIGNED: Notifier._deal_assigned,
    Notice.DEAL_HANDED_OVER: Notifier._deal_handed_over,
    Notice.LEAD_HANDED_OVER: Notifier._lead_handed_over,
    Notice.DEAL_MOVED: Notifier._deal_moved,
    Notice.PAYMENT_OVERDUE: Notifier._payment_overdue,
    Notice.STAGE_OVERDUE: Notifier._stage_overdue,
    Notice.STAGE_CLOSED: Notifier._stage_closed,
    Notice.STAGES_CLOSED: Notifier._stages_closed,
    Notice.CAMPAIGN_POSTED: Notifier._campaign_posted,
    Notice.REROUTE_ASKED: Notifier._reroute_asked,
    Notice.QUOTE_APPROVAL: Notifier._quote_approval,
    Notice.QUOTE_DECIDED: Notifier._quote_decided,
    Notice.DOCUMENT_SENT: Notifier._document_sent,
    Notice.MAIL_PARKED: Notifier._mail_parked,
    Notice.ORDER_PAID: Notifier._order_paid,
    Notice.LEASE_OFFER: Notifier._lease_offer,
    Notice.LEASE_MOVED: Notifier._lease_moved,
    Notice.LEASE_MESSAGE: Notifier._lease_message,
    Notice.LEASE_INVOICE: Notifier._lease_invoice,
    Notice.LEASE_VENDOR_PAID: Notifier._lease_vendor_paid,
    Notice.LEASE_RECEIPT: Notifier._lease_receipt,
    Notice.LEASE_INTEREST: Notifier._lease_interest,
    Notice.LEASE_DUNNING: Notifier._lease_dunning,
    Notice.LEASE_CLOSED: Notifier._lease_closed,
    Notice.LEASE_INSURANCE: Notifier._lease_insurance,
    Notice.LEASE_COMMISSION: Notifier._lease_commission,
    Notice.LEASE_RATE_GAP: Notifier._lease_rate_gap,
    Notice.LEASE_DUNNING_RUN: Notifier._lease_dunning_run,
    Notice.LEASE_CONTRACT_READY: Notifier._lease_contract_ready,
    Notice.LEASE_CLIENT_JOINED: Notifier._lease_client_joined,
    Notice.LEASE_CLIENT_LINKED: Notifier._lease_client_linked,
    Notice.LEASE_OFFER_ASKED: Notifier._lease_offer_asked,
    Notice.LEASE_ENDED: Notifier._lease_ended,
    Notice.LEASE_IDENTITY: Notifier._lease_identity,
}
