"""Personal data rules: the consent text's version, who may see or erase whose data, what erasure leaves.

Erasure anonymises: the person's name, username, phone and Telegram id go, their contact card is emptied, the
files they sent and the texts of their messages are forgotten; deals, payments, offers, statuses and the audit
trail stay, so the accounts and the funnel report do not change."""

from __future__ import annotations

from core.domain.kernel.errors import Forbidden, InvalidInput
from core.domain.kernel.roles import Role

#: the version of the consent text (locales: privacy.consent); a new text gets a new version and is asked again
CONSENT_VERSION = "2026-11-28"
#: what stands for an erased person's name
ERASED = "—"


def needs_consent(role: str, consent_version: str | None) -> bool:
    """Everyone but the operators (ADMIN_IDS) accepts the current text before the bot works for them."""
    return role != Role.ADMIN and consent_version != CONSENT_VERSION


def check_access(actor_id: int, actor_role: str, subject_id: int | None) -> None:
    """A person sees and erases their own data; an admin does it for anyone on request (and for a contact card,
    ``subject_id`` None: nobody's own account)."""
    if actor_id != subject_id and actor_role != Role.ADMIN:
        raise Forbidden()


def check_erasable(subject_role: str, erased: bool) -> None:
    if erased:
        raise InvalidInput("already_erased")
    if subject_role == Role.ADMIN:
        raise InvalidInput("admin_not_erasable")


def check_contact_erasable(erased: bool, has_account: bool) -> None:
    """A contact card is erased once; a card linked to an account goes with that account's erasure (which covers
    more: the person's messages, files and profile)."""
    if erased:
        raise InvalidInput("contact_already_erased")
    if has_account:
        raise InvalidInput("contact_has_account")


def erased_tg_id(user_id: int) -> int:
    """The Telegram id is replaced by one no Telegram user has (negative ids are chats, never users), so a person
    who comes back starts afresh and nothing can be traced to their account."""
    return -user_id
