"""Keyboard builders. Labels come from the locale; ids ride in typed callback data."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Translator
from bot.keyboards.callbacks import (
    AppAction,
    AppCb,
    DealAction,
    DealCb,
    FormAction,
    FormCb,
    ListKindCode,
    MenuAction,
    MenuCb,
    PageCb,
)
from bot.keyboards.pager import pager as pages_row
from core.domain.kernel.deployment import EVERYTHING, Area
from core.domain.kernel.roles import Role, holds

ROLE_MENUS: dict[Role, tuple[MenuAction, ...]] = {
    Role.CLIENT: (MenuAction.NEW_APP, MenuAction.MY_APPS, MenuAction.DEALS, MenuAction.LANGUAGE),
    Role.AGENT: (MenuAction.NEW_APP, MenuAction.REFERRALS, MenuAction.MY_APPS, MenuAction.DEALS,
                 MenuAction.REF_LINK, MenuAction.LANGUAGE),
    Role.MANAGER: (MenuAction.WORKSPACE, MenuAction.INCOMING, MenuAction.MY_OFFERS, MenuAction.DEALS,
                   MenuAction.PROFILE, MenuAction.NEW_APP, MenuAction.LEADS, MenuAction.NEW_LEAD, MenuAction.TASKS,
                   MenuAction.REPORT, MenuAction.CAMPAIGNS, MenuAction.LANGUAGE),
    Role.ADMIN: (MenuAction.WORKSPACE, MenuAction.MODERATION, MenuAction.NEW_APP, MenuAction.DEALS, MenuAction.INVITE,
                 MenuAction.DIRECTORIES, MenuAction.ROLES, MenuAction.MY_APPS, MenuAction.LEADS, MenuAction.NEW_LEAD,
                 MenuAction.TASKS, MenuAction.REPORT, MenuAction.CAMPAIGNS, MenuAction.LANGUAGE),
}
ROLE_MENUS.update({  # a Polish lessor's staff (seed 002): their cases, the calculator
    Role.SALES: (MenuAction.LEASES, MenuAction.NEW_LEASE, MenuAction.LANGUAGE),
    Role.RISK: (MenuAction.LEASES, MenuAction.LANGUAGE),
    Role.BACK_OFFICE: (MenuAction.LEASES, MenuAction.BOOKS, MenuAction.LANGUAGE),
    Role.COLLECTIONS: (MenuAction.LEASES, MenuAction.BOOKS, MenuAction.LANGUAGE),
})
ROLE_MENUS[Role.CLIENT] = (*ROLE_MENUS[Role.CLIENT][:-1], MenuAction.LEASES, ROLE_MENUS[Role.CLIENT][-1])
ROLE_MENUS[Role.CLIENT] = (*ROLE_MENUS[Role.CLIENT][:-2], MenuAction.NEW_REQUEST,  # a law firm's client: one more
                           *ROLE_MENUS[Role.CLIENT][-2:])
ROLE_MENUS[Role.ADMIN] = (*ROLE_MENUS[Role.ADMIN][:-1], MenuAction.LEASES, MenuAction.BOOKS, ROLE_MENUS[Role.ADMIN][-1])
ROLE_MENUS = {role: (*actions, MenuAction.CALC, MenuAction.MY_DATA) for role, actions in ROLE_MENUS.items()}
ROLE_MENUS[Role.SUPPLIER] = ROLE_MENUS[Role.AGENT]

_MARKET, _LEADS, _COLD, _LEASING = (frozenset({a}) for a in (Area.MARKETPLACE, Area.LEADS, Area.COLD_CALLS,
                                                             Area.LEASING))
#: the areas an entry belongs to: shown when the deployment runs one of them (an entry not named: always)
MENU_AREAS: dict[MenuAction, frozenset[Area]] = {
    **dict.fromkeys((MenuAction.NEW_APP, MenuAction.MY_APPS, MenuAction.MODERATION, MenuAction.INCOMING,
                     MenuAction.MY_OFFERS, MenuAction.DEALS, MenuAction.REFERRALS, MenuAction.REF_LINK,
                     MenuAction.PROFILE), _MARKET),
    **dict.fromkeys((MenuAction.LEADS, MenuAction.NEW_LEAD, MenuAction.REPORT, MenuAction.NEW_REQUEST), _LEADS),
    **dict.fromkeys((MenuAction.WORKSPACE, MenuAction.TASKS), _LEADS | _COLD),
    MenuAction.CAMPAIGNS: _COLD,
    **dict.fromkeys((MenuAction.LEASES, MenuAction.NEW_LEASE, MenuAction.BOOKS), _LEASING),
    MenuAction.CALC: _MARKET | _LEASING,
}
#: an admin's and a manager's first screen is the daily work, then a button per area (and « More », « Settings »)
#: that opens its entries; no screen of the menu has more than MENU_MAX buttons. « Settings » is the first setup's
#: checklist (an admin's), with its entries under it.
SECTIONS: dict[MenuAction, tuple[MenuAction, ...]] = {
    MenuAction.AREA_MARKET: (MenuAction.MY_OFFERS, MenuAction.DEALS, MenuAction.NEW_APP, MenuAction.PROFILE,
                             MenuAction.CALC),
    MenuAction.AREA_LEADS: (MenuAction.LEADS, MenuAction.NEW_LEAD, MenuAction.REPORT),
    MenuAction.AREA_LEASING: (MenuAction.LEASES, MenuAction.NEW_LEASE, MenuAction.BOOKS),
    MenuAction.MINE: (MenuAction.LANGUAGE, MenuAction.MY_DATA),
    MenuAction.MORE: (MenuAction.DEALS, MenuAction.NEW_APP, MenuAction.MY_APPS, MenuAction.NEW_LEAD,
                      MenuAction.REPORT, MenuAction.CALC),
    MenuAction.SETTINGS: (MenuAction.INVITE, MenuAction.ROLES, MenuAction.DIRECTORIES, MenuAction.LANGUAGE,
                          MenuAction.MY_DATA),
}
ADMIN_SECTIONS = {a: SECTIONS[a] for a in (MenuAction.MORE, MenuAction.SETTINGS)}
#: the first screen of a role whose entries do not fit on one: its entries and sections, in order
LAYOUTS: dict[Role, tuple[MenuAction, ...]] = {
    Role.ADMIN: (MenuAction.WORKSPACE, MenuAction.MODERATION, MenuAction.LEADS, MenuAction.TASKS,
                 MenuAction.CAMPAIGNS, MenuAction.AREA_LEASING, MenuAction.MORE, MenuAction.SETTINGS),
    Role.MANAGER: (MenuAction.WORKSPACE, MenuAction.TASKS, MenuAction.INCOMING, MenuAction.AREA_MARKET,
                   MenuAction.AREA_LEADS, MenuAction.CAMPAIGNS, MenuAction.MINE),
}
MENU_MAX = 8  # buttons on one screen of the menu, « Menu » not counted


#: a person's own entries, last in every menu
_OWN = (MenuAction.LANGUAGE, MenuAction.CALC, MenuAction.MY_DATA)


def shown(actions, areas: frozenset[Area]) -> list[MenuAction]:
    return [a for a in actions if MENU_AREAS.get(a, EVERYTHING) & areas]


def _entries_of(role: str, areas: frozenset[Area] = EVERYTHING) -> list[MenuAction]:
    """The buttons of a role's first screen, for what the deployment runs. When they do not all fit on one screen
    (MENU_MAX), a role with a layout gets it: a section with no entry to show is left out, one with a single entry
    shows that entry itself. « Settings » is always a section (its screen is the checklist)."""
    role = Role(role)
    layout = LAYOUTS.get(role)
    if layout is None:
        return shown(ROLE_MENUS[role], areas)
    flat = [a for a in layout if a != MenuAction.SETTINGS]
    own = frozenset(ROLE_MENUS[role])
    flat = shown([e for a in flat for e in SECTIONS.get(a, (a,)) if a not in SECTIONS or e in own], areas)
    if MenuAction.SETTINGS in layout:
        flat.append(MenuAction.SETTINGS)
    if len(flat) <= MENU_MAX:
        return flat
    out: list[MenuAction] = []
    for action in layout:
        inside = shown([e for e in SECTIONS.get(action, (action,)) if action not in SECTIONS or e in own], areas)
        if action == MenuAction.SETTINGS or len(inside) > 1:
            out.append(action)
        else:
            out += inside
    return out


def entries(roles: str | Iterable[str], areas: frozenset[Area] = EVERYTHING) -> list[MenuAction]:
    """The buttons of a person's first screen, for what the deployment runs (``roles``: one role, or all they hold,
    the first one's entries first): with several roles, the union of each role's screen, an entry that a section
    on it holds shown only in that section, one's own entries last."""
    roles = (roles,) if isinstance(roles, str) else tuple(roles)
    if len(roles) == 1:
        return _entries_of(roles[0], areas)
    out = list(dict.fromkeys(a for role in roles for a in _entries_of(role, areas)))
    inside = {e for a in out if a in SECTIONS for e in shown(SECTIONS[a], areas)}
    out = [a for a in out if a in SECTIONS or a not in inside]
    out = [*(a for a in out if a not in _OWN), *(a for a in out if a in _OWN)]
    for area in (MenuAction.AREA_LEASING, MenuAction.AREA_MARKET, MenuAction.AREA_LEADS):  # too many for one screen:
        if len(out) <= MENU_MAX:  # an area's entries go into its section, where the first of them stood
            break
        inside = [a for a in out if a in SECTIONS[area]]
        if area not in out and len(inside) > 1:
            at = out.index(inside[0])
            out = [a for a in out if a not in inside]
            out.insert(at, area)
    return out


def held_entries(roles: str | Iterable[str]) -> frozenset[MenuAction]:
    """Every entry any of these roles' menus has (a section's screen shows only these)."""
    roles = (roles,) if isinstance(roles, str) else tuple(roles)
    return frozenset(a for role in roles for a in ROLE_MENUS[Role(role)])


def sections(roles: str | Iterable[str], areas: frozenset[Area] = EVERYTHING) -> list[MenuAction]:
    """The sections on a person's first screen (each opens a screen of its own)."""
    return [a for a in entries(roles, areas) if a in SECTIONS]


def menu(t: Translator, roles: str | Iterable[str], areas: frozenset[Area] = EVERYTHING) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for action in entries(roles, areas):
        kb.button(text=t(f"menu.{action.name.lower()}"), callback_data=MenuCb(action=action))
    kb.adjust(2)
    return kb.as_markup()


def section(t: Translator, actions, areas: frozenset[Area] = EVERYTHING) -> InlineKeyboardMarkup:
    """A section of the menu (an area's entries, « More », the settings' buttons), then « Menu »."""
    kb = InlineKeyboardBuilder()
    for action in shown(actions, areas):
        kb.button(text=t(f"menu.{action.name.lower()}"), callback_data=MenuCb(action=action))
    kb.adjust(2)
    kb.row(InlineKeyboardButton(text=t("buttons.menu"), callback_data=MenuCb(action=MenuAction.HOME).pack()))
    return kb.as_markup()


def menu_button(t: Translator) -> InlineKeyboardButton:
    """« 🏠 Menu »: the way back from a screen that has no list or card of its own to go back to."""
    return InlineKeyboardButton(text=t("buttons.menu"), callback_data=MenuCb(action=MenuAction.HOME).pack())


def to_directories(t: Translator) -> InlineKeyboardButton:
    """« ⬅️ Directories »: back from a directory's screen to the admins' list of directories."""
    return InlineKeyboardButton(text=t("admin.back_directories"),
                                callback_data=MenuCb(action=MenuAction.DIRECTORIES).pack())


def with_menu(t: Translator, markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """``markup`` with « 🏠 Menu » as its last row."""
    return InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard, [menu_button(t)]])


def choices(items, width: int = 1) -> InlineKeyboardMarkup:
    """A button per (text, callback data), ``width`` to a row: a picker of people, sources, statuses."""
    kb = InlineKeyboardBuilder()
    for text, callback_data in items:
        kb.button(text=text, callback_data=callback_data)
    kb.adjust(width)
    return kb.as_markup()


def single(text: str, callback_data) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=text, callback_data=callback_data.pack())]])


def _back_and_cancel(t: Translator, back: bool) -> list[InlineKeyboardButton]:
    row = []
    if back:
        row.append(InlineKeyboardButton(text=t("buttons.back"), callback_data=FormCb(action=FormAction.BACK).pack()))
    row.append(InlineKeyboardButton(text=t("buttons.cancel"), callback_data=FormCb(action=FormAction.CANCEL).pack()))
    return row


def nav(t: Translator, *extra: tuple[str, object], back: bool = True) -> InlineKeyboardMarkup:
    """A form step's buttons: its own, then «Назад» and «Отмена» (built as the markup itself: every dialog step
    sends one, and the builder's copy and checks cost more than the rest of the step's rendering)."""
    rows = [[InlineKeyboardButton(text=text, callback_data=data.pack())] for text, data in extra]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, _back_and_cancel(t, back)])


def picker(t: Translator, items, *, back: bool = True) -> InlineKeyboardMarkup:
    """A catalogue to pick one item from (categories, regions), then «Назад» and «Отмена»."""
    kb = InlineKeyboardBuilder()
    for item in items:
        kb.button(text=item.name, callback_data=FormCb(action=FormAction.PICK, value=item.id))
    kb.adjust(2)
    kb.row(*_back_and_cancel(t, back))
    return kb.as_markup()


def contact_request(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=t("buttons.share_phone"), request_contact=True)]],
        resize_keyboard=True, one_time_keyboard=True,
    )


def settings_way_back(t: Translator, me) -> list[InlineKeyboardButton]:
    """The last row of a screen an admin also opens from « ⚙️ Настройки » (language, my data): « ⬅️ Настройки »
    (an admin's) and « 🏠 Меню »."""
    back = [InlineKeyboardButton(text=t("admin.back_settings"), callback_data=MenuCb(
        action=MenuAction.SETTINGS).pack())] if holds(me, Role.ADMIN) else []
    return [*back, InlineKeyboardButton(text=t("buttons.menu"), callback_data=MenuCb(action=MenuAction.HOME).pack())]


def pager(kb: InlineKeyboardBuilder, t: Translator, kind: ListKindCode, page: int, pages: int) -> None:
    """A list's pages (bot.views.kernel.common.pager, with «n/N»), then «Меню»."""
    pages_row(kb, page, pages, lambda n: PageCb(kind=kind, page=n), counter=True)
    kb.row(InlineKeyboardButton(text=t("buttons.menu"), callback_data=MenuCb(action=MenuAction.HOME).pack()))


def open_app(t: Translator, app_id: int) -> InlineKeyboardMarkup:
    return single(t("buttons.open"), AppCb(action=AppAction.OPEN, app_id=app_id))


def open_deal(t: Translator, app_id: int) -> InlineKeyboardMarkup:
    return single(t("buttons.open_deal"), DealCb(action=DealAction.OPEN, app_id=app_id))


def card_actions(t: Translator, card) -> InlineKeyboardMarkup:
    """The buttons a viewer gets under an application card; each press is checked again by the service."""
    from bot.keyboards.callbacks import ModAction, ModCb, OfferAction, OfferCb
    from core.domain.kernel.permissions import Action
    from core.domain.marketplace.applications import DEAL_STATUSES, Actor, AppStatus

    app, ctx = card.app, card.ctx
    kb = InlineKeyboardBuilder()
    if Actor.ADMIN in ctx.actors and app.status == AppStatus.MODERATION:
        kb.row(*(InlineKeyboardButton(text=t(f"buttons.mod_{a.name.lower()}"),
                                      callback_data=ModCb(action=a, app_id=app.id).pack()) for a in ModAction))
    if Actor.APPLICANT in ctx.actors and app.status == AppStatus.CLARIFICATION:
        kb.row(InlineKeyboardButton(text=t("buttons.edit_app"),
                                    callback_data=AppCb(action=AppAction.EDIT, app_id=app.id).pack()))
    if app.status == AppStatus.DISPATCHED:
        if Actor.CHOOSER in ctx.actors:
            kb.row(InlineKeyboardButton(text=t("buttons.compare"), callback_data=OfferCb(
                action=OfferAction.COMPARE, app_id=app.id).pack()))
        if ctx.may_offer and not ctx.actors:  # the service asks the same
            kb.row(InlineKeyboardButton(text=t("buttons.make_offer"), callback_data=OfferCb(
                action=OfferAction.START, app_id=app.id).pack()))
    if app.status in DEAL_STATUSES and ctx.may(Action.READ, room=True):
        kb.row(InlineKeyboardButton(text=t("buttons.open_deal"),
                                    callback_data=DealCb(action=DealAction.OPEN, app_id=app.id).pack()))
    if Actor.ADMIN in ctx.actors:
        kb.row(InlineKeyboardButton(text=t("buttons.audit"),
                                    callback_data=AppCb(action=AppAction.AUDIT, app_id=app.id).pack()),
               InlineKeyboardButton(text=t("buttons.dispatch_log"),
                                    callback_data=AppCb(action=AppAction.DISPATCH_LOG, app_id=app.id).pack()))
    kb.row(menu_button(t))
    return kb.as_markup()
