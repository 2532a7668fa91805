"""Who may see what: client contacts and offers (seed 000 steps 3-5)."""

from __future__ import annotations

from collections.abc import Iterable

from core.domain.kernel.roles import Role


def may_see_contacts(
    *, role: Role | Iterable[Role], user_id: int, applicant_id: int, client_user_id: int | None,
    chosen_manager_ids: set[int], referrer_id: int | None,
) -> bool:
    """Contacts open to admins, the applicant, the client, the referrer, and only the chosen managers (``role``: one,
    or every role the person holds)."""
    roles = {role} if isinstance(role, str) else set(role)
    if Role.ADMIN in roles:
        return True
    if user_id in (applicant_id, client_user_id, referrer_id):
        return True
    return Role.MANAGER in roles and user_id in chosen_manager_ids


def may_see_applicant(*, sees_contacts: bool, applicant_id: int, client_user_id: int | None) -> bool:
    """Who sent the application: hidden, as the contacts are, when the sender is the client herself (before the
    deal a manager learns nothing of who the client is); an agent or supplier who sent it is named."""
    return sees_contacts or applicant_id != client_user_id


def visible_offer_companies(
    *, role: Role, user_id: int, company_id: int | None, may_choose: bool, offer_companies: list[int]
) -> list[int]:
    """The companies whose offers this user may see: all for the client and admins, own company for managers."""
    if may_choose or role == Role.ADMIN:
        return list(offer_companies)
    if role == Role.MANAGER and company_id is not None:
        return [c for c in offer_companies if c == company_id]
    return []
