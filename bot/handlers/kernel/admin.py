"""Admins: invite links, directories (companies, categories, regions), granting and revoking roles."""

from __future__ import annotations

from aiogram import Bot, F
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import deeplinks
from bot.blueprint import Blueprint
from bot.deeplinks import Link
from bot.fsm.dialogs import begin
from bot.fsm.states import AdminInput
from bot.i18n import Translator
from bot.keyboards import builders
from bot.keyboards.callbacks import (
    AdminAction,
    AdminCb,
    DocAction,
    DocCb,
    GroupAction,
    GroupCb,
    LeaseAction,
    LeaseCb,
    ListKindCode,
    MenuAction,
    MenuCb,
    PageCb,
    PeopleAction,
    PeopleCb,
    StatusAction,
    StatusCb,
    StepCb,
)
from bot.render import role_name, roles_names
from bot.views.kernel.common import show
from bot.views.kernel.setup import NEED_DIRECTORY
from core.db.kernel.models import User
from core.db.kernel.uow import UnitOfWork
from core.domain.campaigns import Duty
from core.domain.deals import pipelines_run
from core.domain.kernel.deployment import Area, company_required
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.roles import OPERATOR_STAFF, TEAM_ROLES, Role, held
from core.services import campaigns, leads
from core.services.kernel import deployment, directories, tasks, teams, users
from core.services.kernel.config import CoreConfig
from core.services.kernel.directories import Directory

router = Blueprint("admin", roles={Role.ADMIN})  # every screen here is the admins'

ROLE_CODES = {1: Role.MANAGER, 2: Role.AGENT, 3: Role.SUPPLIER, 4: Role.CLIENT, 5: Role.ADMIN, 6: Role.SALES,
              7: Role.RISK, 8: Role.BACK_OFFICE, 9: Role.COLLECTIONS}
CODE_OF_ROLE = {role: code for code, role in ROLE_CODES.items()}
DIRECTORY_CODES = {1: Directory.COMPANIES, 2: Directory.CATEGORIES, 3: Directory.REGIONS, 4: Directory.SOURCES,
                   5: Directory.ACCESS_GROUPS, 6: Directory.CADENCES}
GROUPS_CODE = 5


def _role(code: int) -> Role:
    if code not in ROLE_CODES:
        raise InvalidInput("stale_button")
    return ROLE_CODES[code]


def _directory(code: int) -> Directory:
    if code not in DIRECTORY_CODES:
        raise InvalidInput("stale_button")
    return DIRECTORY_CODES[code]


# --- invites ---------------------------------------------------------------------------------------------------

@router.message(Command("invite"))
async def invite_command(message: Message, me: User, t: Translator, uow: UnitOfWork) -> None:
    await message.answer(t("admin.invite_role"), reply_markup=_invite_roles(t, await deployment.running(uow)))


@router.callback_query(MenuCb.filter(F.action == MenuAction.INVITE))
async def invite_menu(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    await cb.answer()
    await cb.message.answer(t("admin.invite_role"), reply_markup=_invite_roles(t, await deployment.running(uow)))


#: the roles an admin invites, each with the areas it works in
_INVITABLE: tuple[tuple[int, frozenset[Area]], ...] = (
    (1, frozenset({Area.MARKETPLACE, Area.LEADS, Area.COLD_CALLS})), (2, frozenset({Area.MARKETPLACE})),
    (3, frozenset({Area.MARKETPLACE})), *((code, frozenset({Area.LEASING})) for code in (6, 7, 8, 9)))


def _invite_roles(t: Translator, areas: frozenset[Area]):
    kb = InlineKeyboardBuilder()
    for code, where in _INVITABLE:  # the marketplace's, then a lessor's staff (seed 002)
        if where & areas:
            kb.button(text=role_name(t, ROLE_CODES[code]), callback_data=AdminCb(action=AdminAction.INVITE_ROLE,
                                                                                  value=code))
    kb.adjust(3)
    kb.row(_to_settings(t))
    return kb.as_markup()


def _to_settings(t: Translator) -> InlineKeyboardButton:
    """The way back from an admin's settings screens: « Settings » (the first setup's checklist)."""
    return InlineKeyboardButton(text=t("admin.back_settings"), callback_data=MenuCb(action=MenuAction.SETTINGS).pack())


async def _company_picker(t: Translator, uow: UnitOfWork, action: AdminAction, value: int, *, staff: bool = False):
    """The partner companies to pick (``staff``: first « our own staff », no company)."""
    companies = await directories.listing(uow, Directory.COMPANIES)
    if not companies and not staff:
        raise InvalidInput("no_companies")
    kb = InlineKeyboardBuilder()
    if staff:
        kb.button(text=t("people.own_staff"), callback_data=AdminCb(action=action, value=value))
    for c in companies:
        kb.button(text=c.name, callback_data=AdminCb(action=action, value=value, item_id=c.id))
    kb.adjust(2)
    kb.row(_to_settings(t))
    return kb.as_markup()


@router.callback_query(AdminCb.filter(F.action == AdminAction.INVITE_ROLE))
async def invite_role(cb: CallbackQuery, callback_data: AdminCb, bot: Bot, me: User, t: Translator,
                      uow: UnitOfWork, cfg: CoreConfig) -> None:
    """Staff join the operator's team: a team to pick (or none); a manager, where the marketplace runs, may also be
    a partner company's (🏢), invited to the company."""
    role = _role(callback_data.value)
    groups = await teams.picker(uow, me.id) if role in TEAM_ROLES else []
    partners = await directories.listing(uow, Directory.COMPANIES) if (
        role == Role.MANAGER and company_required(await deployment.running(uow))) else []
    if not groups and not partners:
        await _issue(cb, bot, me, t, uow, cfg, role, None)
        return
    kb = InlineKeyboardBuilder()
    for g in groups:
        kb.button(text=f"👥 {g.name}", callback_data=PeopleCb(action=PeopleAction.INVITE_TEAM,
                                                              target=callback_data.value, value=g.id))
    kb.button(text=t("people.no_team"), callback_data=PeopleCb(action=PeopleAction.INVITE_TEAM,
                                                              target=callback_data.value))
    for c in partners:
        kb.button(text=f"🏢 {c.name}", callback_data=AdminCb(action=AdminAction.INVITE_COMPANY, value=1, item_id=c.id))
    kb.adjust(2)
    kb.row(_to_settings(t))
    await cb.answer()
    await cb.message.answer(t("people.invite_partner" if partners else "people.invite_team", role=role_name(t, role)),
                            reply_markup=kb.as_markup())


@router.callback_query(PeopleCb.filter(F.action == PeopleAction.INVITE_TEAM))
async def invite_team(cb: CallbackQuery, callback_data: PeopleCb, bot: Bot, me: User, t: Translator,
                      uow: UnitOfWork, cfg: CoreConfig) -> None:
    await _issue(cb, bot, me, t, uow, cfg, _role(callback_data.target), None, callback_data.value or None)


@router.callback_query(AdminCb.filter(F.action == AdminAction.INVITE_COMPANY))
async def invite_company(cb: CallbackQuery, callback_data: AdminCb, bot: Bot, me: User, t: Translator,
                         uow: UnitOfWork, cfg: CoreConfig) -> None:
    await _issue(cb, bot, me, t, uow, cfg, Role.MANAGER, callback_data.item_id)


async def _issue(cb, bot, me, t, uow, cfg, role: Role, company_id: int | None, team_id: int | None = None) -> None:
    invite = await users.create_invite(uow, me.id, role, company_id, cfg, team_id)
    me_bot = await bot.me()
    await cb.answer()
    where = ""
    if team_id:
        where = t("people.invite_to_team", team=next(g.name for g in await teams.picker(uow, me.id)
                                                     if g.id == team_id)) + "\n"
    # the link last, alone on its line: the part to copy
    await cb.message.answer(t("admin.invite_next") + "\n\n" + where + t(
        "admin.invite_link", role=role_name(t, role), hours=cfg.invite_ttl_hours,
        link=deeplinks.url(me_bot.username, Link.INVITE, invite.token)),
                            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[
                                _to_settings(t), InlineKeyboardButton(text=t("buttons.menu"), callback_data=MenuCb(
                                    action=MenuAction.HOME).pack())]]))


# --- directories -----------------------------------------------------------------------------------------------

_MARKET, _LEADS, _COLD, _LEASING = (frozenset({a}) for a in (Area.MARKETPLACE, Area.LEADS, Area.COLD_CALLS,
                                                             Area.LEASING))
#: each directory's areas: the screen lists those of what the deployment runs
DIRECTORY_AREAS = {Directory.COMPANIES: _MARKET, Directory.CATEGORIES: _MARKET, Directory.REGIONS: _MARKET,
                   Directory.SOURCES: _LEADS, Directory.ACCESS_GROUPS: _MARKET | _LEADS | _COLD | _LEASING,
                   Directory.CADENCES: _COLD}  # the access groups are the operator's teams, whatever it runs


@router.callback_query(MenuCb.filter(F.action == MenuAction.DIRECTORIES))
async def directories_menu(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    areas = await deployment.running(uow)
    kb = InlineKeyboardBuilder()
    for code, d in DIRECTORY_CODES.items():
        if DIRECTORY_AREAS[d] & areas:
            kb.button(text=t(f"admin.dir_{d.value}"), callback_data=AdminCb(action=AdminAction.DIR_OPEN, value=code))
    if _LEADS & areas:
        kb.button(text=t("admin.auto_tasks"), callback_data=AdminCb(action=AdminAction.AUTO_TASKS))
    if (_COLD | _LEASING) & areas:  # whoever issues documents sets the seller (a lessor: «finansujący») they print
        kb.button(text=t("admin.documents" if _COLD & areas else "admin.documents_lease"),
                  callback_data=DocCb(action=DocAction.OPEN))
    if _LEASING & areas:
        kb.button(text=t("admin.scoring"), callback_data=LeaseCb(action=LeaseAction.SCORING))
    for pipeline in pipelines_run(areas, await deployment.lead_pipeline(uow)):
        kb.button(text=t("admin.deal_statuses", pipeline=t(f"pipeline.{pipeline}")),
                  callback_data=StatusCb(action=StatusAction.PIPELINE, pipeline=pipeline))
    kb.adjust(1)
    kb.row(_to_settings(t), InlineKeyboardButton(text=t("buttons.menu"), callback_data=MenuCb(
        action=MenuAction.HOME).pack()))
    await cb.answer()
    await cb.message.answer(t("admin.directories"), reply_markup=kb.as_markup())


async def _switchboard(t: Translator, uow: UnitOfWork, me: User):
    kb = InlineKeyboardBuilder()
    for code, on in (await leads.switches(uow, me.id)).items():
        kb.button(text=("✅ " if on else "⬜ ") + t(f"task_code.{code.value}"),
                  callback_data=AdminCb(action=AdminAction.AUTO_TASKS, task=code))
    kb.adjust(1)
    kb.row(InlineKeyboardButton(text=t("admin.back_directories"), callback_data=MenuCb(
        action=MenuAction.DIRECTORIES).pack()))
    return t("admin.auto_tasks_hint"), kb.as_markup()


@router.callback_query(AdminCb.filter(F.action == AdminAction.AUTO_TASKS))
async def auto_tasks(cb: CallbackQuery, callback_data: AdminCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """The auto-task rules an admin switches on and off (no rule named: shows them; a rule: switches it)."""
    if callback_data.task is not None:
        await leads.toggle_rule(uow, me.id, callback_data.task)
    text, markup = await _switchboard(t, uow, me)
    await cb.answer()
    if callback_data.task is not None:
        await cb.message.edit_text(text, reply_markup=markup)
    else:
        await cb.message.answer(text, reply_markup=markup)


async def _directory_view(t: Translator, uow: UnitOfWork, code: int, bot: Bot, me: User):
    d = _directory(code)
    items = await directories.listing(uow, d, active_only=False)
    kb = InlineKeyboardBuilder()
    for item in items:
        kb.button(text=("🗄 " if item.archived else "✅ ") + item.name,
                  callback_data=AdminCb(action=AdminAction.DIR_TOGGLE, value=code, item_id=item.id))
    kb.adjust(2)
    kb.row(InlineKeyboardButton(text=t("buttons.add"), callback_data=AdminCb(action=AdminAction.DIR_ADD,
                                                                             value=code).pack()),
           InlineKeyboardButton(text=t("buttons.rename"), callback_data=AdminCb(action=AdminAction.DIR_RENAME,
                                                                                value=code).pack()))
    text = f"<b>{t(f'admin.dir_{d.value}')}</b>\n{t('admin.dir_hint')}"
    if d == Directory.SOURCES and items:
        me_bot = await bot.me()
        load = await leads.distribution(uow, me.id)
        text += "\n\n" + "\n".join(
            t("admin.source_link", name=i.name, link=deeplinks.url(me_bot.username, Link.SOURCE, i.code)) + "\n"
            + (t("admin.source_owner", name=load.defaults[i.id].name) if i.id in load.defaults
               else t("admin.source_shared"))
            for i in items if not i.archived)
        text += "\n\n" + t("admin.workload", people=", ".join(t("admin.workload_row", name=u.name, count=n)
                                                                for u, n in load.people) or "—")
        kb.row(InlineKeyboardButton(text=t("admin.source_owners"), callback_data=AdminCb(
            action=AdminAction.SOURCE_OWNER).pack()))
    if d == Directory.ACCESS_GROUPS:  # each group's head and members
        for item in items:
            kb.row(InlineKeyboardButton(text=t("admin.group_people", name=item.name), callback_data=GroupCb(
                action=GroupAction.OPEN, group_id=item.id).pack()))
    if d == Directory.CADENCES:
        text += "\n" + t("admin.cadence_hint")
    kb.row(InlineKeyboardButton(text=t("admin.back_directories"), callback_data=MenuCb(
        action=MenuAction.DIRECTORIES).pack()), _to_settings(t))
    return text, kb.as_markup()


@router.callback_query(AdminCb.filter(F.action == AdminAction.DIR_OPEN))
async def directory_open(cb: CallbackQuery, callback_data: AdminCb, bot: Bot, me: User, t: Translator,
                         uow: UnitOfWork) -> None:
    text, markup = await _directory_view(t, uow, callback_data.value, bot, me)
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(AdminCb.filter(F.action == AdminAction.DIR_TOGGLE))
async def directory_toggle(cb: CallbackQuery, callback_data: AdminCb, bot: Bot, me: User, t: Translator,
                           uow: UnitOfWork) -> None:
    item = await directories.toggle_archived(uow, me.id, _directory(callback_data.value), callback_data.item_id)
    text, markup = await _directory_view(t, uow, callback_data.value, bot, me)
    await cb.answer(t("admin.archived" if item.archived else "admin.restored", name=item.name))
    await cb.message.edit_text(text, reply_markup=markup)


@router.callback_query(AdminCb.filter(F.action == AdminAction.DIR_RENAME))
async def directory_rename(cb: CallbackQuery, callback_data: AdminCb, state: FSMContext, me: User, t: Translator,
                           uow: UnitOfWork) -> None:
    """Without an item: the items to pick; with one: ask its new name (old records show the new name too)."""
    d = _directory(callback_data.value)
    await cb.answer()
    if not callback_data.item_id:
        kb = InlineKeyboardBuilder()
        for item in await directories.listing(uow, d, active_only=False):
            kb.button(text=item.name, callback_data=AdminCb(action=AdminAction.DIR_RENAME, value=callback_data.value,
                                                            item_id=item.id))
        kb.adjust(2)
        await cb.message.answer(t("admin.dir_pick_rename"), reply_markup=kb.as_markup())
        return
    await begin(state, directory=callback_data.value, item_id=callback_data.item_id)
    await state.set_state(AdminInput.directory_name)
    await cb.message.answer(t("admin.dir_ask_name"), reply_markup=builders.nav(t, back=False))


@router.callback_query(AdminCb.filter(F.action == AdminAction.DIR_ADD))
@router.callback_query(StepCb.filter(F.need.in_(set(NEED_DIRECTORY))))
async def directory_add(cb: CallbackQuery, callback_data: AdminCb | StepCb, state: FSMContext, me: User,
                        t: Translator) -> None:
    """« ➕ Add » of a directory, or the checklist's step that adds one (its « Cancel » goes back to the checklist)."""
    step = isinstance(callback_data, StepCb)
    code = NEED_DIRECTORY[callback_data.need] if step else callback_data.value
    d = _directory(code)
    await begin(state, directory=code, returns_to=MenuAction.SETTINGS if step else None)
    await state.set_state(AdminInput.directory_name)
    await cb.answer()
    ask = "admin.dir_ask_cadence" if d == Directory.CADENCES else "admin.dir_ask_name"  # a cadence: its form
    await cb.message.answer(t(ask), reply_markup=builders.nav(t, back=False))


@router.message(AdminInput.directory_name)
async def directory_name(message: Message, state: FSMContext, bot: Bot, me: User, t: Translator,
                         uow: UnitOfWork) -> None:
    data = await state.get_data()
    code = data["directory"]
    if message.text is None:
        raise InvalidInput("text_expected")
    if data.get("item_id"):
        item = await directories.rename(uow, me.id, _directory(code), data["item_id"], message.text)
        done = t("admin.renamed", name=item.name)
    else:
        d = _directory(code)
        item = (await campaigns.add_cadence(uow, me.id, message.text) if d == Directory.CADENCES
                else await directories.add(uow, me.id, d, message.text))
        done = t("admin.added", name=item.name)
    await state.clear()
    text, markup = await _directory_view(t, uow, code, bot, me)
    await message.answer(done)
    await message.answer(text, reply_markup=markup)


@router.callback_query(AdminCb.filter(F.action == AdminAction.SOURCE_OWNER))
async def source_owner(cb: CallbackQuery, callback_data: AdminCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """Who works the leads a source brings: first the source, then the person (or sharing by the fewest leads)."""
    load = await leads.distribution(uow, me.id)  # the admin check, and the people who work leads
    if not callback_data.item_id:
        sources = await directories.listing(uow, Directory.SOURCES)
        await cb.answer()
        await cb.message.answer(t("admin.source_pick"), reply_markup=builders.choices(
            ((x.name, AdminCb(action=AdminAction.SOURCE_OWNER, item_id=x.id)) for x in sources), 2))
        return
    pick = [(t("admin.source_shared_button"), AdminCb(action=AdminAction.SOURCE_OWNER_SET,
                                                       item_id=callback_data.item_id))]
    pick += [(t("admin.workload_row", name=user.name, count=n),
              AdminCb(action=AdminAction.SOURCE_OWNER_SET, item_id=callback_data.item_id, value=user.id))
             for user, n in load.people]
    await cb.answer()
    await cb.message.answer(t("admin.source_pick_owner"), reply_markup=builders.choices(pick))


@router.callback_query(AdminCb.filter(F.action == AdminAction.SOURCE_OWNER_SET))
async def source_owner_set(cb: CallbackQuery, callback_data: AdminCb, bot: Bot, me: User, t: Translator,
                           uow: UnitOfWork) -> None:
    source = await leads.set_source_responsible(uow, me.id, callback_data.item_id, callback_data.value or None)
    code = next(c for c, d in DIRECTORY_CODES.items() if d == Directory.SOURCES)
    text, markup = await _directory_view(t, uow, code, bot, me)
    await cb.answer(t("admin.source_owner_set", name=source.name))
    await cb.message.edit_text(text, reply_markup=markup)


# --- roles -----------------------------------------------------------------------------------------------------

async def _staff(t: Translator, uow: UnitOfWork, me: User, page_no: int):
    page = await users.staff_page(uow, me.id, page_no)
    kb = InlineKeyboardBuilder()
    for u in page.items:
        kb.row(InlineKeyboardButton(text=f"{u.name} · {role_name(t, u.role)}", callback_data=AdminCb(
            action=AdminAction.USER_FIND, value=u.id).pack()))
    kb.row(InlineKeyboardButton(text=t("buttons.find_user"), callback_data=AdminCb(
        action=AdminAction.USER_FIND).pack()))
    builders.pages_row(kb, page.page, page.pages, lambda n: PageCb(kind=ListKindCode.STAFF, page=n), counter=True)
    kb.row(_to_settings(t), InlineKeyboardButton(text=t("buttons.menu"), callback_data=MenuCb(
        action=MenuAction.HOME).pack()))
    return t("admin.staff", total=page.total), kb.as_markup()


@router.callback_query(MenuCb.filter(F.action == MenuAction.ROLES))
async def roles_menu(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await _staff(t, uow, me, 0)
    await cb.answer()
    await cb.message.answer(text, reply_markup=markup)


@router.callback_query(PageCb.filter(F.kind == ListKindCode.STAFF))
async def staff_page(cb: CallbackQuery, callback_data: PageCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await _staff(t, uow, me, callback_data.page)
    await cb.answer()
    await cb.message.edit_text(text, reply_markup=markup)


#: the areas a role works in: a person's card offers the roles of what the deployment runs (and those they hold)
ROLE_AREAS: dict[Role, frozenset[Area]] = {
    Role.ADMIN: frozenset(Area), Role.MANAGER: _MARKET | _LEADS | _COLD, Role.AGENT: _MARKET, Role.SUPPLIER: _MARKET,
    **dict.fromkeys((Role.SALES, Role.RISK, Role.BACK_OFFICE, Role.COLLECTIONS), _LEASING)}


def _card_roles(user: User, areas: frozenset[Area]) -> list[tuple[Role, bool]]:
    """The roles on a person's card, each with whether they hold it: those of the areas run, and any they hold. A
    partner's role (agent, supplier) is held alone: it is offered only to someone who is not staff."""
    mine = set(held(user)) - {Role.CLIENT}
    staff = bool(mine & OPERATOR_STAFF)
    return [(role, role in mine) for role in Role
            if role != Role.CLIENT and (role in mine or (ROLE_AREAS[role] & areas
                                                        and not (staff and role not in OPERATOR_STAFF)))]


async def _user_card(message: Message, t: Translator, uow: UnitOfWork, user: User, *, edit: bool = False) -> None:
    """A person: the roles they hold, their company (a partner's manager, where the marketplace runs), the teams
    they work in and head, their head; a ✅/➕ button per role of the areas run (several may be held), the
    supervisor, « Roles »."""
    areas = await deployment.running(uow)
    kb = InlineKeyboardBuilder()
    for role, has in _card_roles(user, areas):
        kb.button(text=("✅ " if has else "➕ ") + role_name(t, role), callback_data=PeopleCb(
            action=PeopleAction.EXTRA_ROLE, target=user.id, value=CODE_OF_ROLE[role]))
    kb.adjust(2)
    staff = user.role in OPERATOR_STAFF
    if staff:
        kb.row(InlineKeyboardButton(text=t("admin.supervisor_button"), callback_data=AdminCb(
            action=AdminAction.SUPERVISOR, value=user.id).pack()))
    kb.row(InlineKeyboardButton(text=t("admin.back_roles"), callback_data=MenuCb(action=MenuAction.ROLES).pack()))
    lines = [t("rolecard.title", name=user.name, tg_id=user.tg_id), t("rolecard.roles", roles=roles_names(t, user))]
    if company_required(areas) and user.company:
        lines.append(t("rolecard.company", company=user.company.name))
    if staff:
        groups, head = await teams.of_person(uow, user.id), await teams.head_of_person(uow, user.id)
        heads = await teams.headed(uow, user.id)
        lines.append(t("people.card_teams", teams=", ".join(g.name for g in groups) or "—"))
        if heads:
            lines.append(t("rolecard.heads", teams=", ".join(g.name for g in heads)))
        lines.append(t("people.card_head", head=head.name) if head else t("people.card_no_head"))
    lines += ["", t("rolecard.hint")]
    if not staff and user.role != Role.CLIENT:
        lines.append(t("rolecard.partner_hint"))
    await show(message, "\n".join(lines), kb.as_markup(), edit=edit)


def _change_said(t: Translator, change: users.RoleChange, role: Role, granted: bool) -> str:
    """The toast after ➕/✅: what changed, said outright (a partner's role replaced, the last role taken back)."""
    user, before = change.user, [r for r in change.before if r != Role.CLIENT]
    if not granted:
        return t("people.removed" if user.role != Role.CLIENT else "rolecard.none_left", name=user.name,
                 role=role_name(t, role))
    if not before:  # a client's first role
        return t("admin.role_set", name=user.name, role=role_name(t, role))
    if not (set(before) <= OPERATOR_STAFF and role in OPERATOR_STAFF):
        return t("rolecard.replaced", name=user.name, old=role_name(t, before[0]), role=role_name(t, role))
    return t("people.granted", name=user.name, role=role_name(t, role)) + "\n" + t(
        "people.card_roles", roles=roles_names(t, user))


@router.callback_query(PeopleCb.filter(F.action == PeopleAction.EXTRA_ROLE))
async def extra_role(cb: CallbackQuery, callback_data: PeopleCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """« ➕ role »: granted besides the roles held (a manager, where the marketplace runs: ours or a partner
    company's, asked first); « ✅ role »: taken back, the others kept."""
    role = _role(callback_data.value)
    user = await users.get(uow, me.id, callback_data.target)
    await _change(cb, me, t, uow, user, role, grant=role not in held(user))


async def _change(cb: CallbackQuery, me: User, t: Translator, uow: UnitOfWork, user: User, role: Role, *,
                  grant: bool) -> None:
    if not grant:
        change = await users.remove_role(uow, me.id, user.id, role)
    elif (role == Role.MANAGER and user.role not in OPERATOR_STAFF  # our staff's manager role is ours: no company
          and company_required(await deployment.running(uow))):
        await cb.answer()
        await cb.message.answer(t("people.role_company"), reply_markup=await _company_picker(
            t, uow, AdminAction.USER_COMPANY, user.id, staff=True))
        return
    else:
        change = await users.grant_role(uow, me.id, user.id, role)
    await cb.answer(_change_said(t, change, role, grant), show_alert=True)
    await _user_card(cb.message, t, uow, await users.get(uow, me.id, user.id), edit=True)


@router.callback_query(AdminCb.filter(F.action == AdminAction.USER_FIND))
async def user_find(cb: CallbackQuery, callback_data: AdminCb, state: FSMContext, me: User, t: Translator,
                    uow: UnitOfWork) -> None:
    await cb.answer()
    if callback_data.value:
        await _user_card(cb.message, t, uow, await users.get(uow, me.id, callback_data.value))
        return
    await begin(state)
    await state.set_state(AdminInput.user_lookup)
    await cb.message.answer(t("admin.ask_user"), reply_markup=builders.nav(t, back=False))


@router.message(AdminInput.user_lookup)
async def user_lookup(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    user = await users.named(uow, me.id, message.text)
    await state.clear()
    await _user_card(message, t, uow, user)


@router.callback_query(AdminCb.filter(F.action == AdminAction.USER_ROLE))
async def user_role(cb: CallbackQuery, callback_data: AdminCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """A role button of an older card: the same as the card's « ➕ »."""
    await _change(cb, me, t, uow, await users.get(uow, me.id, callback_data.value), _role(callback_data.item_id),
                  grant=True)


@router.callback_query(AdminCb.filter(F.action == AdminAction.USER_COMPANY))
async def user_company(cb: CallbackQuery, callback_data: AdminCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    change = await users.grant_role(uow, me.id, callback_data.value, Role.MANAGER, callback_data.item_id or None)
    await cb.answer(_change_said(t, change, Role.MANAGER, True), show_alert=True)
    await _user_card(cb.message, t, uow, await users.get(uow, me.id, change.user.id))


@router.callback_query(AdminCb.filter(F.action == AdminAction.SUPERVISOR))
async def supervisor_ask(cb: CallbackQuery, callback_data: AdminCb, state: FSMContext, me: User, t: Translator) -> None:
    await begin(state, user_id=callback_data.value)
    await state.set_state(AdminInput.supervisor_lookup)
    await cb.answer()
    await cb.message.answer(t("admin.ask_supervisor"), reply_markup=builders.nav(t, back=False))


@router.message(AdminInput.supervisor_lookup)
async def supervisor_given(message: Message, state: FSMContext, me: User, t: Translator, uow: UnitOfWork) -> None:
    supervisor = await users.named(uow, me.id, message.text)
    user = await tasks.set_supervisor(uow, me.id, (await state.get_data())["user_id"], supervisor.id)
    await state.clear()
    await message.answer(t("admin.supervisor_set", name=user.name, supervisor=supervisor.name))


# --- access groups: a head and members (seed 001) ------------------------------------------------------------------

async def _group_view(t: Translator, uow: UnitOfWork, me: User, group_id: int, *, heads: bool = False):
    group, head, members, staff = await campaigns.group_view(uow, me.id, group_id)
    ids = {u.id for u in members}
    kb = InlineKeyboardBuilder()
    if heads:
        for u in staff:
            kb.button(text=("👑 " if head and u.id == head.id else "") + u.name,
                      callback_data=GroupCb(action=GroupAction.SET_HEAD, group_id=group.id, user_id=u.id))
    else:
        for u in staff:
            kb.button(text=("✅ " if u.id in ids else "⬜ ") + u.name,
                      callback_data=GroupCb(action=GroupAction.TOGGLE, group_id=group.id, user_id=u.id))
    kb.adjust(2)
    cold = Area.COLD_CALLS in await deployment.running(uow)  # duties (purchases, shipping): seed 001
    if cold:
        kb.row(*[InlineKeyboardButton(text=("✅ " if group.duty == d else "⬜ ") + t(f"admin.duty_{d.value}"),
                                      callback_data=GroupCb(action=GroupAction.DUTY, group_id=group.id, duty=d).pack())
                 for d in Duty])
    kb.row(InlineKeyboardButton(text=t("admin.group_head_button"), callback_data=GroupCb(
        action=GroupAction.HEADS, group_id=group.id).pack()) if not heads else InlineKeyboardButton(
        text=t("admin.group_members_button"), callback_data=GroupCb(action=GroupAction.OPEN, group_id=group.id).pack()))
    kb.row(InlineKeyboardButton(text=t("people.parent_button"), callback_data=PeopleCb(
        action=PeopleAction.PARENTS, target=group.id).pack()))
    kb.row(InlineKeyboardButton(text=t("admin.back_groups"), callback_data=AdminCb(  # the way back: the teams
        action=AdminAction.DIR_OPEN, value=GROUPS_CODE).pack()), _to_settings(t))
    text = t("admin.group", name=group.name, head=head.name if head else t("admin.group_no_head"),
             members=", ".join(u.name for u in members) or "—")
    every = await teams.picker(uow, me.id)
    parent = next((g.name for g in every if g.id == group.parent_id), None)
    inside = [g.name for g in every if g.parent_id == group.id]
    text += "\n" + (t("people.team_parent", parent=parent) if parent else t("people.team_top"))
    if inside:
        text += "\n" + t("people.team_inside", teams=", ".join(inside))
    if group.duty and cold:
        text += "\n" + t("admin.group_duty", duty=t(f"admin.duty_{group.duty}"))
    return text + "\n" + t("admin.group_pick_head" if heads else "admin.group_hint"), kb.as_markup()


@router.callback_query(GroupCb.filter(F.action.in_({GroupAction.OPEN, GroupAction.HEADS})))
async def group_open(cb: CallbackQuery, callback_data: GroupCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await _group_view(t, uow, me, callback_data.group_id,
                                     heads=callback_data.action == GroupAction.HEADS)
    await cb.answer()
    # the group from the directory: a message of its own; a switch of its buttons: in place
    await show(cb.message, text, markup, edit=(cb.message.text or "").startswith("👥"))


@router.callback_query(GroupCb.filter(F.action.in_({GroupAction.SET_HEAD, GroupAction.TOGGLE, GroupAction.DUTY})))
async def group_changed(cb: CallbackQuery, callback_data: GroupCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    if callback_data.action == GroupAction.DUTY:
        if callback_data.duty is None:
            raise InvalidInput("stale_button")
        await campaigns.toggle_duty(uow, me.id, callback_data.group_id, callback_data.duty)
    elif callback_data.action == GroupAction.SET_HEAD:
        await campaigns.set_head(uow, me.id, callback_data.group_id, callback_data.user_id)
    else:
        await campaigns.toggle_member(uow, me.id, callback_data.group_id, callback_data.user_id)
    text, markup = await _group_view(t, uow, me, callback_data.group_id)
    await cb.answer(t("ws.saved"))
    await cb.message.edit_text(text, reply_markup=markup)


@router.callback_query(PeopleCb.filter(F.action == PeopleAction.PARENTS))
async def team_parents(cb: CallbackQuery, callback_data: PeopleCb, me: User, t: Translator, uow: UnitOfWork) -> None:
    """The teams this one can be nested under (not itself, not one below it), and « a top team »."""
    below = await teams.below(uow, me.id, callback_data.target)
    kb = InlineKeyboardBuilder()
    for g in await teams.picker(uow, me.id):
        if g.id not in below:
            kb.button(text=f"👥 {g.name}", callback_data=PeopleCb(action=PeopleAction.SET_PARENT,
                                                                  target=callback_data.target, value=g.id))
    kb.button(text=t("people.top_button"), callback_data=PeopleCb(action=PeopleAction.SET_PARENT,
                                                                 target=callback_data.target))
    kb.adjust(2)
    kb.row(InlineKeyboardButton(text=t("buttons.cancel"), callback_data=GroupCb(  # back to the team, unchanged
        action=GroupAction.OPEN, group_id=callback_data.target).pack()))
    await cb.answer()
    await cb.message.answer(t("people.pick_parent"), reply_markup=kb.as_markup())


@router.callback_query(PeopleCb.filter(F.action == PeopleAction.SET_PARENT))
async def team_parent_set(cb: CallbackQuery, callback_data: PeopleCb, me: User, t: Translator,
                          uow: UnitOfWork) -> None:
    await teams.set_parent(uow, me.id, callback_data.target, callback_data.value or None)
    text, markup = await _group_view(t, uow, me, callback_data.target)
    await cb.answer(t("ws.saved"))
    await cb.message.edit_text(text, reply_markup=markup)
