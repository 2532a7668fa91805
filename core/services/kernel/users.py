"""People: first start, invites, referral links, roles, profile, language."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from core.db.kernel import models as m
from core.db.kernel.uow import UnitOfWork
from core.domain.kernel import deployment as areas_rules
from core.domain.kernel.errors import Forbidden, InvalidInput, found
from core.domain.kernel.events import ManagerReady
from core.domain.kernel.notices import InviteAccepted, ReferralJoined, RoleChanged
from core.domain.kernel.preferences import SUPPORTED_LOCALES
from core.domain.kernel.roles import EXTRA_ROLES, INVITABLE_ROLES, OPERATOR_STAFF, REFERRER_ROLES, TEAM_ROLES, Role
from core.domain.kernel.schedule import check_timezone, home_zone
from core.services.kernel import reactions
from core.services.kernel.access import staff
from core.services.kernel.config import CoreConfig


@dataclass(frozen=True)
class TgPerson:
    tg_id: int
    name: str
    username: str | None = None
    language_code: str | None = None


def pick_locale(language_code: str | None, default: str) -> str:
    code = (language_code or "").split("-")[0].lower()
    return code if code in SUPPORTED_LOCALES else default


async def touch(uow: UnitOfWork, person: TgPerson, cfg: CoreConfig, admin_ids: frozenset[int]) -> m.User:
    """Find or register the person; keep name and the ADMIN_IDS role current. One transaction."""
    async with uow:
        user = await register(uow, person, cfg, admin_ids)
        if uow.changed:
            await uow.commit()
        return user


async def register(uow: UnitOfWork, person: TgPerson, cfg: CoreConfig, admin_ids: frozenset[int]) -> m.User:
    """The body of ``touch`` inside a unit of work that is already open (the caller commits)."""
    user = await uow.users.by_tg(person.tg_id)
    if user is None:
        locale = pick_locale(person.language_code, cfg.default_locale)
        return uow.users.add(m.User(
            tg_id=person.tg_id, name=person.name[:128], username=person.username,
            locale=locale, timezone=home_zone(locale, cfg.default_timezone),
            role=Role.ADMIN if person.tg_id in admin_ids else Role.CLIENT,
        ))
    if user.name != person.name[:128] or user.username != person.username:
        user.name, user.username = person.name[:128], person.username
    if person.tg_id in admin_ids and user.role != Role.ADMIN:
        user.role = Role.ADMIN
    if user.blocked:
        user.blocked = False  # they wrote to us, so they unblocked the bot
    return user


async def get(uow: UnitOfWork, viewer_id: int, user_id: int) -> m.User:
    """A person's record, to themselves and to admins."""
    async with uow:
        viewer = await uow.users.get(viewer_id)
        if viewer is None or (viewer.id != user_id and viewer.role != Role.ADMIN):
            raise Forbidden()
        user = await uow.users.get_or_raise(user_id)
        return user


async def accept_invite(uow: UnitOfWork, user_id: int, token: str) -> m.User:
    """A single-use, expiring invite gives its role to the person who opens it: a staff member joins the operator's
    team the invite names (if any), a partner's manager the partner company."""
    async with uow:
        invite = await uow.invites.by_token_for_update(token)
        if invite is None:
            raise InvalidInput("invite_unknown")
        if invite.used_by is not None:
            raise InvalidInput("invite_used")
        now = uow.clock.now()
        if invite.expires_at <= now:
            raise InvalidInput("invite_expired")
        user = await uow.users.get(user_id)
        if user.role == Role.ADMIN:
            raise InvalidInput("invite_admin")
        old = user.role
        user.role = invite.role
        user.extra_roles = [r for r in user.extra_roles or () if r != invite.role]
        user.company = await uow.companies.get(invite.company_id) if invite.company_id else None
        team = await uow.access_groups.get(invite.team_id) if invite.team_id else None
        if team is not None and not team.archived and user.id not in {u.id for u in await uow.access_groups.members(
                team.id)}:
            await uow.access_groups.toggle_member(team.id, user.id)
            uow.audit.record(entity="access_groups", entity_id=team.id, actor_id=invite.created_by,
                             action="member_add", comment=user.name)
        if invite.role in REFERRER_ROLES and not user.referral_code:
            user.referral_code = secrets.token_urlsafe(8)
        if invite.role == Role.MANAGER and user.profile is None:
            uow.users.add(m.ManagerProfile(user_id=user.id, categories=[], regions=[]))
        invite.used_by, invite.used_at = user.id, now
        uow.audit.record(entity="user", entity_id=user.id, actor_id=invite.created_by, action="invite",
                         from_status=old, to_status=invite.role)
        uow.outbox.notify(invite.created_by, InviteAccepted(
            name=user.name, role=str(invite.role), company=user.company.name if user.company else None,
            team=team.name if team is not None else None))
        if invite.role == Role.MANAGER:  # what was approved before they came and still collects offers
            await reactions.publish(uow, ManagerReady(user_id=user.id))
        await uow.commit()
        return user


async def attach_referrer(uow: UnitOfWork, user_id: int, code: str) -> m.User | None:
    """A client who starts through a referral link belongs to that agent or supplier for good."""
    async with uow:
        user = await uow.users.get(user_id)
        referrer = await uow.users.by_referral_code(code)
        if referrer is None or referrer.role not in REFERRER_ROLES:
            raise InvalidInput("referral_unknown")
        if user.referrer_id is not None or user.role != Role.CLIENT or referrer.id == user.id:
            return None  # attribution is for good: the first referrer stays
        user.referrer_id = referrer.id
        uow.audit.record(entity="user", entity_id=user.id, actor_id=user.id, action="referred",
                         comment=str(referrer.id))
        uow.outbox.notify(referrer.id, ReferralJoined(name=user.name))
        await uow.commit()
        return referrer


async def create_invite(uow: UnitOfWork, admin_id: int, role: Role, company_id: int | None,
                        cfg: CoreConfig, team_id: int | None = None) -> m.Invite:
    """A single-use link for a role. Staff (manager, sales, risk, back office, collections) join the operator: the
    invite may name its team. Only a marketplace partner's manager is invited to a partner company (``company_id``;
    where the marketplace runs); such a manager is not one of the operator's teams."""
    async with uow:
        admin = await uow.users.get(admin_id)
        if admin is None or admin.role != Role.ADMIN:
            raise Forbidden()
        if role not in INVITABLE_ROLES:
            raise InvalidInput("invite_role")
        if company_id:
            company = await uow.companies.get(company_id)
            if role != Role.MANAGER or company is None or company.archived or not await _company_required(uow):
                raise InvalidInput("company_required")
            if team_id:
                raise InvalidInput("team_partner")
        if team_id:
            team = await uow.access_groups.get(team_id)
            if role not in TEAM_ROLES or team is None or team.archived:
                raise InvalidInput("stale_button")
        invite = uow.invites.add(m.Invite(
            token=secrets.token_urlsafe(16), role=role, company_id=company_id or None, team_id=team_id or None,
            created_by=admin_id,
            expires_at=uow.clock.now() + timedelta(hours=cfg.invite_ttl_hours),
        ))
        await uow.commit()
        return invite


async def _company_required(uow: UnitOfWork) -> bool:
    """A partner company exists only where the marketplace runs."""
    return areas_rules.company_required(areas_rules.running(await uow.deployment.areas()))


async def set_role(uow: UnitOfWork, admin_id: int, user_id: int, role: Role, company_id: int | None = None) -> m.User:
    """An admin grants or revokes a role; revoking makes the person a client again."""
    async with uow:
        user = await _editable(uow, admin_id, user_id)
        company = await _partner(uow, role, company_id)
        old = user.role
        user.role, user.company = role, company
        # the roles held besides: never the first one again; a person who is no longer staff holds none
        user.extra_roles = [r for r in user.extra_roles or () if r != role] if role in OPERATOR_STAFF else []
        if role in REFERRER_ROLES and not user.referral_code:
            user.referral_code = secrets.token_urlsafe(8)
        if role == Role.MANAGER and user.profile is None:
            uow.users.add(m.ManagerProfile(user_id=user.id, categories=[], regions=[]))
        uow.audit.record(entity="user", entity_id=user.id, actor_id=admin_id, action="role",
                         from_status=old, to_status=role)
        uow.outbox.notify(user.id, RoleChanged(role=str(role)))
        if role == Role.MANAGER:
            await reactions.publish(uow, ManagerReady(user_id=user.id))
        await uow.commit()
        return user


@dataclass(frozen=True)
class RoleChange:
    """What an admin's ➕/✅ on a person's card did: the person now, and the roles they held before (a partner's
    role is not held with another one: granting a staff role to an agent replaces it, and the card says so)."""

    user: m.User
    before: tuple[Role, ...]


def _held(user: m.User) -> tuple[Role, ...]:
    extra = set(user.extra_roles or ())
    return (Role(user.role), *(r for r in Role if r in extra and r != user.role))


async def _editable(uow: UnitOfWork, admin_id: int, user_id: int) -> m.User:
    admin = await uow.users.get(admin_id)
    if admin is None or admin.role != Role.ADMIN:
        raise Forbidden()
    user = await uow.users.get_or_raise(user_id)
    if user.id == admin.id:
        raise InvalidInput("own_role")
    return user


async def _partner(uow: UnitOfWork, role: Role, company_id: int | None) -> m.Company | None:
    """The partner company a marketplace manager is given (the operator's own manager has none)."""
    if not company_id:
        return None
    company = await uow.companies.get(company_id)
    if role != Role.MANAGER or company is None:
        raise InvalidInput("company_required")
    return company


async def grant_role(uow: UnitOfWork, admin_id: int, user_id: int, role: Role,
                     company_id: int | None = None) -> RoleChange:
    """An admin gives a person one more role (« ➕ » on their card). The operator's staff hold several (an admin who
    also works leads, a salesperson who also does collections): the role joins the others, an admin's becoming the
    first one (the others kept). A client, an agent or a supplier holds one: the new role replaces it."""
    if role == Role.CLIENT:
        raise InvalidInput("stale_button")
    async with uow:
        user = await _editable(uow, admin_id, user_id)
        before = _held(user)
        if role in before:
            return RoleChange(user, before)
        company = await _partner(uow, role, company_id)
        staff_now = user.role in OPERATOR_STAFF
        if staff_now and role in OPERATOR_STAFF:
            if role == Role.ADMIN:  # an admin is made one by the first role; the old first role is held besides
                user.extra_roles = sorted({*(user.extra_roles or ()), user.role} & {r.value for r in EXTRA_ROLES})
                user.role = role
            else:
                user.extra_roles = sorted({*(user.extra_roles or ()), role.value})
            if company is not None:
                user.company = company
        else:
            user.role, user.company, user.extra_roles = role, company, []
            if role in REFERRER_ROLES and not user.referral_code:
                user.referral_code = secrets.token_urlsafe(8)
        if role == Role.MANAGER and user.profile is None:
            uow.users.add(m.ManagerProfile(user_id=user.id, categories=[], regions=[]))
        uow.audit.record(entity="user", entity_id=user.id, actor_id=admin_id, action="role_grant",
                         to_status=role, comment=",".join(before))
        uow.outbox.notify(user.id, RoleChanged(role=str(role), change="granted") if staff_now and role in OPERATOR_STAFF
                          else RoleChanged(role=str(role)))
        if role == Role.MANAGER:
            await reactions.publish(uow, ManagerReady(user_id=user.id))
        await uow.commit()
        return RoleChange(user, before)


async def remove_role(uow: UnitOfWork, admin_id: int, user_id: int, role: Role) -> RoleChange:
    """An admin takes one role back (« ✅ » on their card): the others stay (the next one becomes the first, the
    one their menu opens with); the last one taken back makes the person a client."""
    async with uow:
        user = await _editable(uow, admin_id, user_id)
        before = _held(user)
        if role not in before or role == Role.CLIENT:
            return RoleChange(user, before)
        rest = [r for r in before if r != role]
        if rest:
            user.role, user.extra_roles = rest[0], [r.value for r in rest[1:]]
        else:
            user.role, user.extra_roles = Role.CLIENT, []
        if role == Role.MANAGER:
            user.company = None
        uow.audit.record(entity="user", entity_id=user.id, actor_id=admin_id, action="role_remove",
                         to_status=role, comment=",".join(before))
        uow.outbox.notify(user.id, RoleChanged(role=str(role), change="removed") if rest
                          else RoleChanged(role=str(Role.CLIENT)))
        await uow.commit()
        return RoleChange(user, before)


async def named(uow: UnitOfWork, viewer_id: int, query: str | None) -> m.User:
    """The person an admin or a colleague (staff only) names by Telegram id or @username; they must have started
    the bot."""
    async with uow:
        await staff(uow, viewer_id)
    if not query:
        raise InvalidInput("text_expected")
    user = found(await find(uow, query), "user_not_found")
    return user


async def person(uow: UnitOfWork, user_id: int) -> m.User | None:
    """A person's record as it is now (the roles they hold), for a notice about them."""
    async with uow:
        return await uow.users.get(user_id)


async def find(uow: UnitOfWork, query: str) -> m.User | None:
    async with uow:
        q = query.strip()
        if q.lstrip("-").isdigit():
            return await uow.users.by_tg(int(q))
        return await uow.users.by_username(q)


async def set_timezone(uow: UnitOfWork, user_id: int, name: str) -> m.User:
    """The person's own timezone: reminders, quiet hours, the digest, "today" and every date they see follow it."""
    zone = check_timezone(name)
    async with uow:
        user = await uow.users.get_or_raise(user_id)
        user.timezone = zone
        await uow.commit()
        return user


async def set_locale(uow: UnitOfWork, user_id: int, locale: str) -> m.User:
    if locale not in SUPPORTED_LOCALES:
        raise InvalidInput("locale")
    async with uow:
        user = await uow.users.get(user_id)
        user.locale = locale
        await uow.commit()
        return user


async def _manager_profile(uow: UnitOfWork, user_id: int) -> m.ManagerProfile:
    user = await uow.users.get(user_id)
    if user is None or user.role != Role.MANAGER:
        raise Forbidden()
    if user.profile is None:
        user.profile = uow.users.add(m.ManagerProfile(user_id=user.id, categories=[], regions=[]))
    return user.profile


async def toggle_profile_item(uow: UnitOfWork, user_id: int, field: str, item_id: int) -> m.ManagerProfile:
    """Add or remove one category or region in the manager's own profile."""
    if field not in ("categories", "regions"):
        raise InvalidInput("invalid_input")
    async with uow:
        profile = await _manager_profile(uow, user_id)
        directory = uow.categories if field == "categories" else uow.regions
        await directory.get_or_raise(item_id)
        items = list(getattr(profile, field) or [])
        items.remove(item_id) if item_id in items else items.append(item_id)
        setattr(profile, field, sorted(items))
        await reactions.publish(uow, ManagerReady(user_id=user_id))  # it may match what is open now
        await uow.commit()
        return profile


async def set_profile_range(uow: UnitOfWork, user_id: int, field: str, low, high) -> m.ManagerProfile:
    async with uow:
        profile = await _manager_profile(uow, user_id)
        if field == "amount":
            profile.amount_min = None if low is None else Decimal(low)
            profile.amount_max = None if high is None else Decimal(high)
        elif field == "term":
            profile.term_min, profile.term_max = low, high
        else:
            raise InvalidInput("invalid_input")
        await reactions.publish(uow, ManagerReady(user_id=user_id))  # it may match what is open now
        await uow.commit()
        return profile


async def profile(uow: UnitOfWork, user_id: int) -> m.ManagerProfile:
    async with uow:
        p = await _manager_profile(uow, user_id)
        if uow.changed:
            await uow.commit()
        return p


async def staff_page(uow: UnitOfWork, admin_id: int, page_no: int, size: int = 10):
    """Everyone who is not a plain client, for the admin's roles screen."""
    async with uow:
        admin = await uow.users.get(admin_id)
        if admin is None or admin.role != Role.ADMIN:
            raise Forbidden()
        return await uow.users.staff(page_no, size)
