"""The first setup: the question of what the deployment runs, and the checklist of what each area still needs
(an admin's « Settings » screen, with the settings' buttons under it)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup as Markup

from bot.i18n import Translator
from bot.keyboards.builders import ADMIN_SECTIONS, shown
from bot.keyboards.callbacks import (
    AdminAction,
    AdminCb,
    MenuAction,
    MenuCb,
    SetupAction,
    SetupCb,
    StepCb,
)
from bot.keyboards.pager import button
from core.domain.kernel.deployment import AREAS, DEFAULT_PIPELINE, NEED_ROLE, Area, LeadPipeline, Need, to_mask
from core.services.kernel.deployment import Setup

#: a directory's code in the admins' screens (bot.handlers.kernel.admin.DIRECTORY_CODES) and a role's in their invites
#: (bot.handlers.kernel.admin.ROLE_CODES)
NEED_DIRECTORY = {Need.COMPANY: 1, Need.CATEGORY: 2, Need.REGION: 3, Need.SOURCE: 4, Need.CADENCE: 6}
TEAMS_DIRECTORY = 5
INVITE_CODES = {"manager": 1, "sales": 6, "risk": 7, "back_office": 8}


def area_names(t: Translator, areas) -> str:
    return ", ".join(t(f"setup.area.{a}") for a in AREAS if a in areas)


def question(t: Translator, ticked: frozenset[Area], lead_pipeline: LeadPipeline = DEFAULT_PIPELINE
             ) -> tuple[str, Markup]:
    """What the deployment runs: an area per button (ticked or not); with the leads area ticked, its deals'
    pipeline (a general sales one or a law firm's, one picked); then « Save »."""
    pipeline = LeadPipeline(lead_pipeline)
    lines = [t("setup.ask"), ""]
    lines += [f"{t(f'setup.area.{a}')} — {t(f'setup.about.{a}')}" for a in AREAS]
    rows = [[button(("✅ " if a in ticked else "⬜ ") + t(f"setup.area.{a}"),
                    SetupCb(action=SetupAction.TOGGLE, mask=to_mask(ticked ^ {a}), pipeline=pipeline))]
            for a in AREAS]
    if Area.LEADS in ticked:
        lines += ["", t("setup.pipeline.ask")]
        lines += [f"{t(f'setup.pipeline.{p}')} — {t(f'setup.pipeline.about_{p}')}" for p in LeadPipeline]
        rows.append([button(("🔘 " if p == pipeline else "⚪ ") + t(f"setup.pipeline.{p}"),
                            SetupCb(action=SetupAction.PIPELINE, mask=to_mask(ticked), pipeline=p))
                     for p in LeadPipeline])
    rows.append([button(t("setup.save"), SetupCb(action=SetupAction.SAVE, mask=to_mask(ticked), pipeline=pipeline)),
                 button(t("buttons.menu"), MenuCb(action=MenuAction.HOME))])
    return "\n".join(lines), Markup(inline_keyboard=rows)


def _step(t: Translator, need: Need):
    """The button that does a missing step: a directory's « add », an invite for the role, a survey template."""
    if need in NEED_DIRECTORY or need in (Need.SELLER, Need.TEMPLATE):  # a prompt, whose « Cancel » comes back here
        return button(t(f"setup.do.{need}"), StepCb(need=need))
    if need == Need.TEAM_HEAD:  # the teams: add one, then its head on its screen
        return button(t(f"setup.do.{need}"), AdminCb(action=AdminAction.DIR_OPEN, value=TEAMS_DIRECTORY))
    if need in NEED_ROLE:
        return button(t(f"setup.do.{need}"), AdminCb(action=AdminAction.INVITE_ROLE,
                                                     value=INVITE_CODES[NEED_ROLE[need].value]))
    raise ValueError(need)


def checklist(t: Translator, setup: Setup) -> tuple[str, Markup]:
    """« Settings »: what runs, each area's needs (✅ met, ⬜ missing), a button per missing step, then the settings'
    buttons, « What we run » and « Menu »."""
    lines = [t("setup.title")]
    lines.append(t("setup.runs", areas=area_names(t, setup.areas)) if setup.answered else t("setup.never"))
    if Area.LEADS in setup.areas:
        lines.append(t("setup.pipeline.runs", name=t(f"pipeline.{setup.lead_pipeline}")))
    area = None
    for owner, need, done in setup.rows:
        if owner != area:
            area = owner
            lines += ["", f"<b>{t(f'setup.area.{owner}')}</b>"]
        lease = need == Need.SELLER and owner == Area.LEASING  # a lessor's documents name the lessor
        lines.append(("✅ " if done else "⬜ ") + t(f"setup.need.{need}" + ("_lease" if lease else "")))
    missing = setup.missing
    lines += ["", t("setup.todo", count=len(missing)) if missing else t("setup.all_done")]
    rows = [[_step(t, need)] for need in missing]
    actions = shown(ADMIN_SECTIONS[MenuAction.SETTINGS], setup.areas)
    pairs = [button(t(f"menu.{a.name.lower()}"), MenuCb(action=a)) for a in actions]
    rows += [pairs[i:i + 2] for i in range(0, len(pairs), 2)]
    rows.append([button(t("setup.change"), SetupCb(action=SetupAction.ASK, mask=to_mask(setup.areas),
                                                   pipeline=setup.lead_pipeline)),
                 button(t("buttons.menu"), MenuCb(action=MenuAction.HOME))])
    return "\n".join(lines), Markup(inline_keyboard=rows)
