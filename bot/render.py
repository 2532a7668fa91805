"""Texts shown to people, built from the core's views and the locale files. User text is always escaped."""

from __future__ import annotations

from html import escape

from bot.i18n import Translator
from bot.views.kernel.tasks import task_title
from core.db.kernel import models as m
from core.domain.kernel.roles import held
from core.services.marketplace.applications import Card
from core.services.marketplace.offers import OfferView


def role_name(t: Translator, role: str) -> str:
    return t(f"roles.{role}")


def roles_names(t: Translator, person) -> str:
    """Every role a person holds, the first one first: «Продажи, Менеджер»."""
    return ", ".join(role_name(t, r) for r in held(person))


def app_title(t: Translator, app: m.Application) -> str:
    return t("app.title", id=app.id, status=t.status(app.status))


def app_card(t: Translator, card: Card) -> str:
    app = card.app
    lines = [
        f"<b>{app_title(t, app)}</b>",
        t("app.category", value=app.category.name),
        t("app.description", value=app.description),
        t("app.amount", value=t.money(app.amount)),
        t("app.term", value=app.term_months),
        t("app.region", value=app.region.name),
    ]
    if card.client_name is not None:
        phone = t.phone(card.client_phone) if card.client_phone else ""
        lines.append(t("app.client", name=card.client_name, phone=phone))
    else:
        lines.append(t("app.client_hidden"))
    if card.applicant is None:
        lines.append(t("app.applicant_hidden"))
    else:
        lines.append(t("app.applicant", name=card.applicant.name, role=role_name(t, card.applicant.role)))
    if card.referrer is not None and card.referrer.id != card.app.applicant_id:
        lines.append(t("app.referrer", name=card.referrer.name, role=role_name(t, card.referrer.role)))
    if card.files:
        lines.append(t("app.files", count=len(card.files)))
    if app.question and app.status in ("clarification", "rejected"):
        lines.append(t("app.question", value=app.question))
    lines.append(t("app.created", value=t.dt(app.created_at)))
    return "\n".join(lines)


def draft_summary(t: Translator, data: dict, category: str, region: str) -> str:
    from decimal import Decimal

    return "\n".join([
        f"<b>{t('form.summary_title')}</b>",
        t("app.category", value=category),
        t("app.description", value=data["description"]),
        t("app.amount", value=t.money(Decimal(data["amount"]))),
        t("app.term", value=data["term"]),
        t("app.region", value=region),
        t("app.client", name=data["client_name"], phone=t.phone(data["client_phone"])),
        t("app.files", count=len(data.get("files", []))),
    ])


def offer_line(t: Translator, view: OfferView, index: int, chosen: bool | None = None) -> str:
    o, c = view.offer, view.cost
    mark = "" if chosen is None else ("✅ " if chosen else "⬜ ")
    parts = [
        f"{mark}<b>{index}. {escape(o.company.name)}</b>",
        t("offer.monthly", value=t.money(o.monthly_payment)),
        t("offer.term", value=o.term_months),
        t("offer.advance", value=t.money(o.advance)),
        t("offer.buyout", value=t.money(o.buyout)),
        t("offer.total", value=t.money(c.total)),
        t("offer.increase", value=t.number(c.yearly_increase_pct)),
    ]
    if o.comment:
        parts.append(t("offer.comment", value=o.comment))
    if o.status not in ("active",):
        parts.append(t(f"offer_status.{o.status}"))
    return "\n".join(parts)


def offers_table(t: Translator, app: m.Application, views: list[OfferView], selected: set[int] | None) -> str:
    head = t("offer.compare_title", id=app.id, price=t.money(app.amount))
    if not views:
        return head + "\n\n" + t("offer.none_yet")
    body = "\n\n".join(offer_line(t, v, i + 1, None if selected is None else v.offer.id in selected)
                       for i, v in enumerate(views))
    return f"{head}\n\n{body}"


def offer_summary(t: Translator, data: dict) -> str:
    from decimal import Decimal

    lines = [
        f"<b>{t('offer.summary_title', id=data['app_id'])}</b>",
        t("offer.monthly", value=t.money(Decimal(data["monthly_payment"]))),
        t("offer.term", value=data["term"]),
        t("offer.advance", value=t.money(Decimal(data["advance"]))),
        t("offer.buyout", value=t.money(Decimal(data["buyout"]))),
    ]
    if data.get("comment"):
        lines.append(t("offer.comment", value=data["comment"]))
    if data.get("file"):
        lines.append(t("offer.file", value=data["file"].get("file_name") or "📎"))
    return "\n".join(lines)


def list_row(t: Translator, app: m.Application) -> str:
    return t("app.row", id=app.id, status=t.status(app.status), category=app.category.name,
             amount=t.money(app.amount))


def relay_header(t: Translator, app_id: int, sender_role: str) -> str:
    return t("deal.relay_header", id=app_id, role=t(f"participant.{sender_role}"))


def history_line(t: Translator, msg: m.DealMessage) -> str:
    what = escape(msg.text or "") if msg.kind == "text" else f"📎 {escape(msg.file_name or msg.kind)}"
    if msg.kind != "text" and msg.text:
        what += f" — {escape(msg.text)}"
    edited = t("deal.edited_mark") if msg.edits else ""
    return f"{t.dt(msg.created_at)} · {t(f'participant.{msg.sender_role}')}: {what}{edited}"


def audit_line(t: Translator, row: m.AuditLog, who: m.User | None) -> str:
    """One status change of an application: when, who, what, from, to, and the comment."""
    comment = f" — {row.comment}" if row.comment and row.action != "approve_deal" else ""
    return t("audit.row", at=t.dt(row.created_at), who=who.name if who else "—", action=t(f"audit.{row.action}"),
             old=t.status(row.from_status) if row.from_status else "—", new=t.status(row.to_status), comment=comment)


def import_preview(t: Translator, preview, limit: int = 30) -> str:
    """What an import will do: the counts, then the rows that will not go in, or will go in as duplicates."""
    lines = [t("import.summary", create=len(preview.create), bad=len(preview.bad), repeated=len(preview.repeated),
               existing=len(preview.existing))]
    lines += [t("import.bad_row", row=row, reason=t.reason(key, params)) for row, key, params in preview.bad[:limit]]
    lines += [t("import.repeated_row", row=row, phone=t.phone(phone), first=first)
              for row, phone, first in preview.repeated[:limit]]
    lines += [t("import.existing_row", row=row, phone=t.phone(phone), lead=lead)
              for row, phone, lead in preview.existing[:limit]]
    return "\n".join(lines)


def render_digest(t: Translator, d) -> str:
    """The morning digest: today's tasks, overdue ones, leads and deals with no open task, the team's overdue."""

    def tasks_block(title_key: str, items) -> list[str]:
        return [f"<b>{t(title_key, count=len(items))}</b>",
                *(t("digest.task", title=task_title(t, x), due=t.dt(x.due_at)) for x in items[:20])] if items else []

    lines = [f"<b>{t('digest.title')}</b>"]
    lines += tasks_block("digest.overdue", d.overdue)
    lines += tasks_block("digest.today", d.today)
    if d.idle_leads:
        lines.append(f"<b>{t('digest.idle_leads', count=len(d.idle_leads))}</b>")
        lines += [t("digest.lead", id=x.id, name=x.contact.name) for x in d.idle_leads[:20]]
    if d.idle_deals:
        lines.append(f"<b>{t('digest.idle_deals', count=len(d.idle_deals))}</b>")
        lines += [t("digest.deal", id=x.id) for x in d.idle_deals[:20]]
    if d.team_overdue:
        lines.append(f"<b>{t('digest.team', count=len(d.team_overdue))}</b>")
        lines += [t("digest.team_task", name=u.name, title=task_title(t, x), due=t.dt(x.due_at))
                  for u, x in d.team_overdue[:30]]
    if len(lines) == 1:
        lines.append(t("digest.nothing"))
    return "\n".join(lines)
