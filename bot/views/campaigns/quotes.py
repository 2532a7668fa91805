"""The screens of the commercial offer and the order (seed 001, stages 6–14): the КП's newest version with its
lines and totals, its versions, the approver's buttons, the client's answer, the order with its payments and tasks.
Texts come from the locale files; what people typed is escaped."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from aiogram.types import InlineKeyboardButton
from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.keyboards.builders import to_directories
from bot.keyboards.callbacks import ColdAction, ColdCb, DocAction, DocCb, OrderAction, OrderCb, QuoteAction, QuoteCb
from bot.keyboards.pager import button, fit
from bot.views.kernel.tasks import task_notes, task_title
from core.db.kernel import models as m
from core.domain.campaigns.orders import DocKind
from core.domain.campaigns.quotes import Answer, QuoteStatus, Totals, lines_of, may_start
from core.domain.campaigns.stages import StageCode as S
from core.domain.kernel.tasks import TaskStatus
from core.services.campaigns.order_to_cash import OrderView
from core.services.campaigns.quotes import QuoteScreen


def _line(t: Translator, n: int, x) -> str:
    vat = t("quote.vat", rate=f"{x.vat.normalize():f}") if x.vat is not None else t("quote.no_vat")
    discount = f", −{x.discount.normalize():f} %" if x.discount else ""
    return t("quote.line", n=n, item=x.item, qty=f"{x.quantity.normalize():f}", unit=x.unit,
             price=t.money(x.price), discount=discount, vat=vat, gross=t.money(x.gross))


def _totals(t: Translator, totals: Totals) -> str:
    return t("quote.totals", net=t.money(totals.net), tax=t.money(totals.tax), gross=t.money(totals.gross))


def quote_screen(t: Translator, s: QuoteScreen) -> tuple[str, Markup]:
    d = s.deal.id
    back = [button(t("cold.to_panel"), ColdCb(action=ColdAction.PANEL, deal_id=d))]
    start = [button(t("quote.start"), QuoteCb(action=QuoteAction.START, deal_id=d))]
    if s.quote is None:
        rows = [start] if may_start(s.stage, None) else []
        return t("quote.none", name=s.deal.name), Markup(inline_keyboard=[*rows, back])
    q = s.quote
    # at «Отправка КП клиенту» the version is the one to send: not sent until the e-mail went or it was marked sent
    status = t("quote.mail.to_send") if s.stage == S.SEND and q.status == QuoteStatus.SENT \
        else t(f"quote.status_{q.status}")
    lines = [t("quote.head", name=s.deal.name, version=q.version, status=status)]
    lines += [_line(t, i, x) for i, x in enumerate(lines_of(q.lines), 1)] or [t("quote.no_lines")]
    lines.append(_totals(t, s.totals))
    if q.valid_until:
        lines.append(t("quote.valid_until", day=t.day(q.valid_until)))
    if q.terms:
        lines.append(t("quote.terms", terms=q.terms))
    if s.decided_by:
        lines.append(t("quote.decided", by=s.decided_by, at=t.dt(q.decided_at))
                     + (f": {escape(q.decision_comment)}" if q.decision_comment else ""))
    rows: list[list[InlineKeyboardButton]] = []
    if q.status == QuoteStatus.DRAFT:
        rows.append([button(t("quote.add_line"), QuoteCb(action=QuoteAction.ADD_LINE, deal_id=d, quote_id=q.id))])
        rows += [[button(t("quote.del_line", n=i), QuoteCb(action=QuoteAction.DEL_LINE, deal_id=d, quote_id=q.id,
                                                           item=x.id))] for i, x in enumerate(q.lines, 1)]
        rows.append([button(t("quote.set_valid"), QuoteCb(action=QuoteAction.VALID_UNTIL, deal_id=d, quote_id=q.id)),
                     button(t("quote.set_terms"), QuoteCb(action=QuoteAction.TERMS, deal_id=d, quote_id=q.id))])
        if q.lines:
            rows.append([button(t("quote.submit"), QuoteCb(action=QuoteAction.SUBMIT, deal_id=d, quote_id=q.id))])
    elif may_start(s.stage, q.status):  # returned, sent back for rework, or refused (back at stage 5): the next one
        rows.append(start)
    if s.stage == S.WAIT:
        rows.append([button(t("quote.answered"), QuoteCb(action=QuoteAction.ANSWERED, deal_id=d))])
    if s.stage == S.ANALYSIS:
        rows.append([button(t(f"quote.answer_{a.value}"), QuoteCb(action=QuoteAction.ANSWER, deal_id=d, answer=a))
                     for a in Answer])
    extra = [button(t("quote.versions"), QuoteCb(action=QuoteAction.VERSIONS, deal_id=d))]
    if s.document_id:
        extra.insert(0, button(t("quote.pdf"), QuoteCb(action=QuoteAction.PDF, deal_id=d, quote_id=q.id)))
    return "\n".join(lines), Markup(inline_keyboard=[*rows, extra, back])


def versions(t: Translator, deal_id: int, listed: list[tuple[m.Quote, Totals, str | None]]) -> tuple[str, Markup]:
    lines = [t("quote.versions_head")]
    for q, totals, who in listed:
        lines.append(t("quote.version_row", version=q.version, status=t(f"quote.status_{q.status}"),
                       gross=t.money(totals.gross), who=who if who else "—"))
        if q.decision_comment:
            lines.append(f"   {escape(q.decision_comment)}")
    return "\n".join(lines), Markup(inline_keyboard=[[button(t("quote.back"), QuoteCb(action=QuoteAction.OPEN,
                                                                                       deal_id=deal_id))]])


def approval_buttons(t: Translator, deal_id: int, quote_id: int) -> Markup:
    return Markup(inline_keyboard=[[
        button(t("quote.approve"), QuoteCb(action=QuoteAction.APPROVE, deal_id=deal_id, quote_id=quote_id)),
        button(t("quote.return"), QuoteCb(action=QuoteAction.RETURN, deal_id=deal_id, quote_id=quote_id))],
        [button(t("quote.open"), QuoteCb(action=QuoteAction.OPEN, deal_id=deal_id))]])


def order_screen(t: Translator, v: OrderView, viewer_id: int) -> tuple[str, Markup]:
    o = v.order
    lines = [t("order.head", number=o.number, day=t.day(o.ordered_on))]
    lines += [_line(t, i, x) for i, x in enumerate(lines_of(o.lines), 1)]
    lines.append(t("order.paid", paid=t.money(v.paid.paid), total=t.money(v.paid.total),
                   remaining=t.money(v.paid.remaining)))
    lines += [t("order.payment", amount=t.money(p.amount), at=t.dt(p.received_at)) for p in v.payments
              if p.received_at]
    lines += [t("order.task", title=task_title(t, x), status=t(f"order.task_{x.status}")) for x in v.tasks]
    lines += task_notes(t, v.tasks)
    if o.shipped_at:
        lines.append(t("order.shipped", at=t.dt(o.shipped_at)))
    lines.append(t("order.ship_unpaid_yes") if v.ship_unpaid else t("order.ship_unpaid_no"))
    rows = [[button(fit(t("order.task_button", title=task_title(t, x)), 56),
                    OrderCb(action=OrderAction.TASK_DONE, order_id=o.id, item=x.id))]
            for x in v.tasks if x.status == TaskStatus.OPEN and x.responsible_id == viewer_id]
    if not v.paid.full and v.may_pay:
        rows.append([button(t("order.pay"), OrderCb(action=OrderAction.PAY, order_id=o.id))])
    if v.invoice is not None:
        rows.append([button(t("order.invoice"), OrderCb(action=OrderAction.INVOICE, order_id=o.id))])
    rows.append([button(t("cold.to_panel"), ColdCb(action=ColdAction.PANEL, deal_id=o.deal_id))])
    return "\n".join(lines), Markup(inline_keyboard=rows)


def doc_admin(t: Translator, own: dict[str, bool | str], rules: list[tuple[m.ApprovalRule, str]],
              kinds: Iterable[DocKind] = tuple(DocKind), approvals: bool = True) -> tuple[str, Markup]:
    """The admins' screen: each template (of the documents the deployment issues) built-in or their own, the
    seller's details (a lessor's where only leasing issues documents), the КП's approval rules (cold calls)."""
    kinds = [k for k in DocKind if k in set(kinds)]
    lessor = not approvals  # no КП (no cold calls): the documents are a lessor's
    lines = [t("docs.head" if approvals else "docs.head_lease")]
    lines += [t("docs.template_own" if own[k.value] else "docs.template_builtin", kind=t(f"docs.kind_{k.value}"))
              for k in kinds]
    if own["seller"]:
        lines.append(t("docs.lessor" if lessor else "docs.seller", text=str(own["seller"])))
    else:
        lines.append(t("docs.lessor_unset" if lessor else "docs.seller_unset"))
    if approvals:
        lines.append(t("docs.rules_head"))
        lines += [t("docs.rule", amount=t.money(r.min_amount), name=name) for r, name in rules] or [
            t("docs.rules_none")]
    rows = []
    for k in kinds:
        label = t(f"docs.kind_{k.value}")
        row = [button(t("docs.default", kind=label), DocCb(action=DocAction.DEFAULT, kind=k)),
               button(t("docs.upload"), DocCb(action=DocAction.UPLOAD, kind=k))]
        if own[k.value]:
            row.append(button(t("docs.reset"), DocCb(action=DocAction.RESET, kind=k)))
        rows.append(row)
    rows.append([button(t("docs.set_lessor" if lessor else "docs.set_seller"), DocCb(action=DocAction.SELLER))])
    if approvals:
        rows.append([button(t("docs.add_rule"), DocCb(action=DocAction.RULE_ADD))])
        rows += [[button(t("docs.del_rule", amount=t.money(r.min_amount), name=name),
                         DocCb(action=DocAction.RULE_DEL, item=r.id))] for r, name in rules]
    rows.append([to_directories(t)])
    return "\n".join(lines), Markup(inline_keyboard=rows)
