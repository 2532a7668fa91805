"""`python -m bot` as a real process (issue 27), in Russian, English and Polish: the admin makes a team and a
sub-team nested in it, invites a manager to the team and a salesperson to the sub-team, names the team's head,
grants the salesperson a second role (her menu becomes the union), and a cold-call deal of hers overdue in stage 2
reminds the head of the team above her sub-team («ПРОСРОЧЕН СРОК»)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.i18n import Translator
from core.clock import ManualClock, SystemClock
from core.db.kernel.engine import create_engine
from core.services.kernel import users
from tests.e2e.process import ADMIN, running
from tests.e2e.test_bot_process import press, say
from tests.factories import units
from tests.services.campaigns.test_stages import cold_deal

NAMES = {"ru": ("Север", "Север-Восток"), "en": ("North", "North-East"), "pl": ("Północ", "Północny-Wschód")}


def plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)


async def overdue_stage_2(db_url: str, executor_tg: int) -> None:
    """A campaign's deal of the executor, qualified two days ago: its one-day control is past (the bot's scheduler
    reminds the head at its next scan)."""
    engine = create_engine(db_url)
    try:
        clock = ManualClock(SystemClock().now() - timedelta(days=2))
        uow = units(engine, clock)
        executor = await users.find(uow(), str(executor_tg))
        deal = await cold_deal(uow, executor)
        from core.services.campaigns import stages
        async with uow() as u:
            await stages.enter(u, await u.deals.get(deal.id), "qualify", executor.id)
            await u.commit()
    finally:
        await engine.dispose()


@pytest.mark.parametrize("locale", ["ru", "en", "pl"])
async def test_teams_an_invite_a_second_role_and_the_heads_reminder(tmp_path, db_url, locale):
    t = Translator(locale)
    head, seller = (2001, "Hanna"), (2002, "Ola")
    top, sub = NAMES[locale]
    async with running(tmp_path, db_url, languages={ADMIN[0]: locale, head[0]: locale, seller[0]: locale}) as (
            api, _):
        await say(api, ADMIN, "/start", t("menu.title", role=t("roles.admin")))
        await press(api, ADMIN, t("menu.settings"), plain(t("setup.title")))
        await press(api, ADMIN, t("menu.directories"), t("admin.directories"))
        await press(api, ADMIN, t("admin.dir_access_groups"), t("admin.dir_hint"))
        for name in (top, sub):
            await press(api, ADMIN, t("buttons.add"), t("admin.dir_ask_name"))
            mark = api.mark()
            await say(api, ADMIN, name, t("admin.added", name=name))
            await api.wait_for(ADMIN[0], t("admin.dir_hint"), after=mark)  # the directory again, with the teams
        await press(api, ADMIN, t("admin.group_people", name=sub), t("people.team_top"))
        await press(api, ADMIN, t("people.parent_button"), t("people.pick_parent"))
        await press(api, ADMIN, f"👥 {top}", t("people.team_parent", parent=top))

        for who, role, team in ((head, "manager", top), (seller, "sales", sub)):
            await say(api, ADMIN, "/setup", plain(t("setup.title")))
            await press(api, ADMIN, t("menu.invite"), t("admin.invite_role"))
            await press(api, ADMIN, t(f"roles.{role}"), t("people.invite_team", role=t(f"roles.{role}")))
            link = await press(api, ADMIN, f"👥 {team}", t("people.invite_to_team", team=team))
            token = re.search(r"start=(\S+)", link.params["text"]).group(1)
            await say(api, who, f"/start {token}", "/mydata")  # the consent first
            await press(api, who, t("privacy.accept"), t("people.welcome_team", role=t(f"roles.{role}"), team=team))
            await api.wait_for(ADMIN[0], t("people.invite_accepted_team", team=team))

        await say(api, ADMIN, "/setup", plain(t("setup.title")))
        await press(api, ADMIN, t("menu.directories"), t("admin.directories"))
        await press(api, ADMIN, t("admin.dir_access_groups"), t("admin.dir_hint"))
        await press(api, ADMIN, t("admin.group_people", name=top), t("people.team_inside", teams=sub))
        await press(api, ADMIN, t("admin.group_head_button"), t("admin.group_pick_head"))
        await press(api, ADMIN, head[1], t("admin.group", name=top, head=head[1], members=head[1]))

        await say(api, ADMIN, "/setup", plain(t("setup.title")))
        await press(api, ADMIN, t("menu.roles"), t("admin.staff", total=3))
        await press(api, ADMIN, f"{seller[1]} · {t('roles.sales')}", t("people.card_head", head=head[1]))
        mark = api.mark()
        await press(api, ADMIN, "➕ " + t("roles.manager"))
        await api.wait_for(seller[0], t("people.role_granted", role=t("roles.manager"),
                                         roles=f"{t('roles.sales')}, {t('roles.manager')}"), after=mark)
        menu = await say(api, seller, "/menu", t("menu.title", role=f"{t('roles.sales')}, {t('roles.manager')}"))
        shown = {b["text"] for row in menu.params["reply_markup"]["inline_keyboard"] for b in row}
        # both roles' screens in one, the areas in their sections (no screen over 8 buttons)
        assert {t("menu.area_leasing"), t("menu.area_leads"), t("menu.tasks"), t("menu.workspace")} <= shown
        assert len(shown) <= 8

        mark = api.mark()
        await overdue_stage_2(db_url, seller[0])
        reminder = await api.wait_for(head[0], t("notify.stage_overdue", name="Сделка с клиентом ООО Ромашка", id=1,
                                                 executor=seller[1], stage="Квалифицировать клиента")[:12],
                                      after=mark)
        assert seller[1] in reminder.params["text"]
        assert not [c for c in api.calls[mark:] if str(c.params.get("chat_id")) == str(ADMIN[0])
                    and "⏰" in (c.params.get("text") or "")]  # the admins are not told: the sub-team has a head above
