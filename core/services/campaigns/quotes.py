"""The commercial offer (КП, seed 001 stages 6–10) through the services: a deal's draft version and its lines
(stage 6), the submission to the approvers and their decision (stage 7, the nested approval: the first one wins, a
later press is told who decided and when, a return needs a comment and the next draft starts as a copy of the
returned version), and the client's answer (stages 9–10). Each step moves the deal through the stage engine; the
document and its e-mail (stage 8) are core.services.campaigns.order_effects'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import DuplicateRow, UnitOfWork
from core.domain.campaigns import approval
from core.domain.campaigns import quotes as rules
from core.domain.campaigns.approval import Decided, Decision, Outcome
from core.domain.campaigns.quotes import Answer, QuoteStatus, Totals
from core.domain.campaigns.stages import StageCode as S
from core.domain.kernel import feed as said
from core.domain.kernel.errors import AlreadyDecided, Conflict, InvalidInput
from core.domain.kernel.feed import QuoteEvent
from core.domain.kernel.inputs import clean_text
from core.domain.kernel.notices import QuoteApproval, QuoteDecided
from core.domain.kernel.permissions import Action, Area, Permission
from core.domain.kernel.roles import Role
from core.domain.kernel.schedule import local_date
from core.services.campaigns import stages
from core.services.kernel import access
from core.services.kernel.deal_access import editable, ensure, tell

SUBJECT = "quote"


@dataclass(frozen=True)
class QuoteScreen:
    """A deal's КП as its screen shows it: the newest version (None before the first), its totals, who decided on
    it, its document, and the deal's stage (what may be done)."""

    deal: m.Deal
    stage: str
    quote: m.Quote | None
    totals: Totals | None
    decided_by: str | None
    document_id: int | None


def totals_of(quote: m.Quote) -> Totals:
    return rules.totals(rules.lines_of(quote.lines))


async def _quote(uow: UnitOfWork, actor_id: int, quote_id: int) -> tuple[m.Deal, m.Quote]:
    quote = await uow.quotes.get_or_raise(quote_id)
    _, deal = await editable(uow, actor_id, quote.deal_id, Action.EDIT, Area.CAMPAIGNS)
    return deal, quote


async def _stage(uow: UnitOfWork, deal: m.Deal, *allowed: str) -> str:
    """The deal's stage, which must be one of ``allowed`` (refused with the stage it is in)."""
    stay = await uow.stages.current(deal.id)
    if stay is None or stay.stage not in allowed:
        status = await uow.statuses.get(deal.status_id)
        raise Conflict("quote_stage", stage=status.name if status else "—")
    return stay.stage


async def draft(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.Quote:
    """The deal's draft: the open one, or a new version — a copy of the lines of the last one when it was returned
    or sent back for rework. A version still with the approvers or the client is not redrafted. A КП is written
    from «Формирование потребностей» on: the deal enters «Формирование коммерческого предложения»."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
        stage = await _stage(uow, deal, S.NEEDS, S.QUOTE)
        last = await uow.quotes.last(deal.id)
        if last is not None and last.status == QuoteStatus.DRAFT:
            return last
        if not rules.may_start(stage, last.status if last else None):
            raise Conflict("quote_open", version=last.version)
        kept = last.lines if last is not None and last.status != QuoteStatus.REFUSED else []
        copied = [m.QuoteLine(**x.fields()) for x in kept]
        actor = await uow.users.get(actor_id)
        today = local_date(uow.clock.now(), actor.timezone)
        quote = uow.add(m.Quote(deal_id=deal.id, version=(last.version + 1) if last else 1,
                                status=QuoteStatus.DRAFT, created_by=actor_id, terms=last.terms if last else None,
                                valid_until=today + timedelta(days=rules.VALID_DAYS), lines=copied))
        try:
            await uow.flush()
        except DuplicateRow as exc:  # a press at the same moment made this version first
            raise Conflict("quote_started") from exc
        tell(uow, deal, actor_id, said.Quoted(version=quote.version, event=QuoteEvent.DRAFT))
        uow.audit.record(entity="quote", entity_id=quote.id, actor_id=actor_id, action="draft",
                         to_status=QuoteStatus.DRAFT, comment=f"deal {deal.id} v{quote.version}")
        if stage == S.NEEDS:
            await stages.enter(uow, deal, S.QUOTE, actor_id)
        await uow.commit()
        return quote


async def add_line(uow: UnitOfWork, actor_id: int, quote_id: int, text: str) -> m.Quote:
    """A typed line («Бумага А4; 100; пачка; 350; 5%; 22%») into a draft."""
    line = rules.parse_line(text)
    async with uow:
        _, quote = await _quote(uow, actor_id, quote_id)
        if not rules.editable(quote.status):
            raise Conflict("quote_not_draft", version=quote.version)
        if len(quote.lines) >= rules.MAX_LINES:
            raise InvalidInput("quote_too_long", max=rules.MAX_LINES)
        quote.lines.append(m.QuoteLine(position=await uow.quotes.next_position(quote.id), item=line.item,
                                       quantity=line.quantity, unit=line.unit, price=line.price,
                                       discount=line.discount, vat=line.vat))
        await uow.commit()
        return quote


async def set_terms(uow: UnitOfWork, actor_id: int, quote_id: int, *, valid_until: date | None = None,
                    terms: str | None = None) -> m.Quote:
    """A draft's validity date (today or later) or its terms (payment, delivery …), as the document prints them."""
    async with uow:
        _, quote = await _quote(uow, actor_id, quote_id)
        if not rules.editable(quote.status):
            raise Conflict("quote_not_draft", version=quote.version)
        if valid_until is not None:
            actor = await uow.users.get(actor_id)
            rules.check_valid_until(valid_until, local_date(uow.clock.now(), actor.timezone))
            quote.valid_until = valid_until
        if terms is not None:
            quote.terms = clean_text(terms, max_len=rules.MAX_TERMS)
        await uow.commit()
        return quote


async def remove_line(uow: UnitOfWork, actor_id: int, quote_id: int, line_id: int) -> m.Quote:
    async with uow:
        _, quote = await _quote(uow, actor_id, quote_id)
        if not rules.editable(quote.status):
            raise Conflict("quote_not_draft", version=quote.version)
        line = next((x for x in quote.lines if x.id == line_id), None)
        if line is None:
            raise InvalidInput("stale_button")
        quote.lines.remove(line)
        await uow.commit()
        return quote


async def _approvers(uow: UnitOfWork, deal: m.Deal, quote: m.Quote) -> frozenset[int]:
    executor = await uow.users.get(deal.responsible_id) if deal.responsible_id else None
    admins = [u.id for u in await uow.users.with_role(Role.ADMIN)]
    return approval.approvers([approval.Rule(r.subject, r.min_amount, r.approver_id)
                               for r in await uow.quotes.rules(SUBJECT)], SUBJECT, totals_of(quote).gross,
                              await stages.head_of_deal(uow, deal, executor), admins)


async def submit(uow: UnitOfWork, actor_id: int, quote_id: int) -> frozenset[int]:
    """The draft goes to its approvers (refused with no lines), each told with the buttons to decide; the deal
    enters «Согласование». Returns who they are."""
    async with uow:
        deal, quote = await _quote(uow, actor_id, quote_id)
        rules.check_move(quote.status, QuoteStatus.APPROVAL, lines=len(quote.lines))
        quote.status = QuoteStatus.APPROVAL
        who = await _approvers(uow, deal, quote)
        total = totals_of(quote)
        tell(uow, deal, actor_id, said.Quoted(version=quote.version, event=QuoteEvent.APPROVAL, gross=total.gross))
        uow.audit.record(entity="quote", entity_id=quote.id, actor_id=actor_id, action="submit",
                         from_status=QuoteStatus.DRAFT, to_status=QuoteStatus.APPROVAL, comment=str(total.gross))
        for approver in sorted(who):
            uow.outbox.notify(approver, QuoteApproval(quote_id=quote.id, deal_id=deal.id, name=deal.name,
                                                      version=quote.version, gross=str(total.gross)))
        await stages.advance(uow, deal, actor_id)
        await uow.commit()
        return who


async def decide(uow: UnitOfWork, actor_id: int, quote_id: int, decision: Decision,
                 comment: str | None = None) -> m.Quote:
    """An approver approves the version or returns it with a comment. The first decision wins: a later press, or
    one at the same moment, is told who decided and when, and changes nothing."""
    async with uow:
        quote = await uow.quotes.get_or_raise(quote_id)
        deal = await uow.deals.get(quote.deal_id)
        await ensure(uow, await access.actor(uow, actor_id), deal, Area.CAMPAIGNS, Permission.APPROVE_QUOTE)
        outcome = approval.decide(await _approvers(uow, deal, quote), actor_id, decision, comment,
                                  await _decided(uow, quote))
        text = (comment or "").strip() or None
        won = await uow.quotes.decide(quote.id, outcome.value, actor_id, uow.clock.now(), text)
        await uow.quotes.refresh(quote)
        if not won:  # another approver's press came a moment before: say who, write nothing
            first = await _decided(uow, quote)
            raise AlreadyDecided(by=first.by, at=first.at, status=first.outcome.value)
        actor = await uow.users.get(actor_id)
        tell(uow, deal, actor_id, said.Quoted(
            version=quote.version, event=QuoteEvent.APPROVED if outcome == Outcome.APPROVED else QuoteEvent.RETURNED,
            by=actor.name, comment=None if outcome == Outcome.APPROVED else text))
        uow.audit.record(entity="quote", entity_id=quote.id, actor_id=actor_id, action=f"approval_{outcome.value}",
                         from_status=QuoteStatus.APPROVAL, to_status=outcome.value, comment=text)
        if deal.responsible_id and deal.responsible_id != actor_id:
            client = await uow.clients.get(deal.client_id) if deal.client_id else None
            uow.outbox.notify(deal.responsible_id, QuoteDecided(
                deal_id=deal.id, name=deal.name, version=quote.version, approved=outcome == Outcome.APPROVED,
                by=actor.name, comment=text, mailed=uow.mail_on and bool(client and client.email)))
        await stages.advance(uow, deal, actor_id)  # approved: the document goes to the client; returned: stage 6
        await uow.commit()
        return quote


async def _decided(uow: UnitOfWork, quote: m.Quote) -> Decided | None:
    """Who decided on this version and how, once it has left the approvers (None while it waits)."""
    if quote.status == QuoteStatus.APPROVAL:
        return None
    if quote.decided_at is None:  # a draft: never with the approvers
        raise Conflict("quote_not_in_approval", version=quote.version)
    who = await uow.users.get(quote.decided_by) if quote.decided_by else None
    return Decided(who.name if who else "—", quote.decided_at,
                   Outcome.RETURNED if quote.status == QuoteStatus.RETURNED else Outcome.APPROVED)


async def versions(uow: UnitOfWork, actor_id: int, deal_id: int) -> list[tuple[m.Quote, Totals, str | None]]:
    """Every version, the newest first, with its totals and who approved or returned it (old ones stay
    readable)."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
        out = []
        for q in await uow.quotes.of_deal(deal.id):
            who = await uow.users.get(q.decided_by) if q.decided_by else None
            out.append((q, totals_of(q), who.name if who else None))
        return out


async def client_answered(uow: UnitOfWork, actor_id: int, deal_id: int) -> m.Deal:
    """Stage 9 → 10: the client answered; the executor reads the answer («Анализ ответа»)."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
        await _stage(uow, deal, S.WAIT)
        await stages.enter(uow, deal, S.ANALYSIS, actor_id)
        await uow.commit()
        return deal


async def answer(uow: UnitOfWork, actor_id: int, deal_id: int, answer: Answer, comment: str | None = None) -> str:
    """Stage 10: the client's answer decides — an order (11, and the order's tasks at once: 12), a rework (back to
    6: the next version is a copy of this one, then 7), or a refusal (the КП closes; the deal returns to 5 and its
    calling cadence goes on). Returns the stage the deal is in after it."""
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
        await _stage(uow, deal, S.ANALYSIS)
        quote = await uow.quotes.last(deal.id)
        if quote is None or quote.status != QuoteStatus.SENT:
            raise Conflict("quote_not_sent")
        status = rules.ANSWER_STATUS[answer]
        rules.check_move(quote.status, status, lines=len(quote.lines))
        quote.status, quote.answered_at = status, uow.clock.now()
        text = (comment or "").strip() or None
        event = {Answer.ORDER: QuoteEvent.ORDER, Answer.REWORK: QuoteEvent.REWORK, Answer.REFUSAL: QuoteEvent.REFUSAL}
        tell(uow, deal, actor_id, said.Quoted(version=quote.version, event=event[answer], comment=text))
        uow.audit.record(entity="quote", entity_id=quote.id, actor_id=actor_id, action="answer",
                         from_status=QuoteStatus.SENT, to_status=status, comment=text)
        await stages.advance(uow, deal, actor_id)
        if answer == Answer.ORDER:  # the order is made on entering 11: its tasks follow at once
            await stages.advance(uow, deal, actor_id)
        stay = await uow.stages.current(deal.id)
        await uow.commit()
        return stay.stage


async def document_of(uow: UnitOfWork, actor_id: int, quote_id: int) -> tuple[m.Document, int]:
    """A version's PDF (and its version number), for a person who works its deal; a version with none: a stale
    button."""
    async with uow:
        _, quote = await _quote(uow, actor_id, quote_id)
        doc = await uow.documents.of(quote_id=quote.id)
        if doc is None:
            raise InvalidInput("stale_button")
        return doc, quote.version


async def screen(uow: UnitOfWork, actor_id: int, deal_id: int) -> QuoteScreen:
    async with uow:
        _, deal = await editable(uow, actor_id, deal_id, Action.EDIT, Area.CAMPAIGNS)
        stay = await uow.stages.current(deal.id)
        if stay is None:
            raise InvalidInput("not_a_process_deal")
        quote = await uow.quotes.last(deal.id)
        who = await uow.users.get(quote.decided_by) if quote and quote.decided_by else None
        doc = await uow.documents.of(quote_id=quote.id) if quote else None
        return QuoteScreen(deal, stay.stage, quote, totals_of(quote) if quote else None, who.name if who else None,
                           doc.id if doc else None)


# --- the admins' approval rules -------------------------------------------------------------------------------

async def rules_of(uow: UnitOfWork, admin_id: int) -> list[tuple[m.ApprovalRule, str]]:
    """Who approves a КП from which amount up, with the approvers' names (none: the executor's head)."""
    async with uow:
        await access.admin(uow, admin_id)
        listed = await uow.quotes.rules(SUBJECT)
        names = await uow.users.get_many({r.approver_id for r in listed})
        return [(r, names[r.approver_id].name) for r in listed if r.approver_id in names]


async def add_rule(uow: UnitOfWork, admin_id: int, min_amount: Decimal, approver_id: int) -> m.ApprovalRule:
    async with uow:
        await access.admin(uow, admin_id)
        approver = await access.staff(uow, approver_id)
        rule = uow.add(m.ApprovalRule(subject=SUBJECT, min_amount=min_amount, approver_id=approver.id))
        await uow.flush()
        uow.audit.record(entity="approval_rule", entity_id=rule.id, actor_id=admin_id, action="create",
                         comment=f"{min_amount} → {approver.name}")
        await uow.commit()
        return rule


async def remove_rule(uow: UnitOfWork, admin_id: int, rule_id: int) -> None:
    async with uow:
        await access.admin(uow, admin_id)
        if not await uow.quotes.remove_rule(rule_id):
            raise InvalidInput("stale_button")
        uow.audit.record(entity="approval_rule", entity_id=rule_id, actor_id=admin_id, action="delete")
        await uow.commit()
