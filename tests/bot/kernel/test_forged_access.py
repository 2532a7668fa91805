"""Access through the chat (issue 27): an executor of «Юг» forges the buttons of «Север»'s cold-call deal (its page,
its stage panel, its feed) and is refused in their language, and «Сделки → Все» does not list it, though both were
invited into the same leasing company; the buttons of named permissions are shown only to who may press them
(«✖️ Закрыть сделку»: the deal's executor, not a colleague of the team; «отгрузка без оплаты»: an admin), in
Russian, English and Polish."""

from __future__ import annotations

import pytest

from bot.keyboards.callbacks import ColdAction, ColdCb, WsAction, WsCb, WsListCb
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import counterparties, surveys
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from tests.bot.campaigns.test_cold_call import FILE, TEMPLATE
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed

WORDS = {
    "ru": ("Не найдено: возможно, запись удалена.", "✖️ Закрыть сделку", "🚚 Отгрузка без оплаты: нет (разрешить)"),
    "en": ("Not found: it may have been removed.", "✖️ Close the deal", "🚚 Ship before payment: no (allow)"),
    "pl": ("Nie znaleziono: mogło zostać usunięte.", "✖️ Zamknij transakcję",
           "🚚 Wysyłka przed płatnością: nie (zezwól)"),
}


async def north_and_south(tg, uow, cfg, lang: str):
    """«Север» (A1 the executor, C1 a colleague) and «Юг» (B1): all three managers of one leasing company; a
    campaign of one row posted to A1."""
    a1, b1, c1 = Person(2001, "Анна", lang), Person(2003, "Борис", lang), Person(2004, "Вера", lang)
    admin = await seed(tg, uow, managers=[a1, b1, c1])
    north = await directories.add(uow(), admin.id, Directory.ACCESS_GROUPS, "Север")
    south = await directories.add(uow(), admin.id, Directory.ACCESS_GROUPS, "Юг")
    ids = {p: (await users.find(uow(), str(p.id))).id for p in (a1, b1, c1)}
    await counterparties.toggle_member(uow(), admin.id, north.id, ids[a1])
    await counterparties.toggle_member(uow(), admin.id, north.id, ids[c1])
    await counterparties.toggle_member(uow(), admin.id, south.id, ids[b1])
    template = await surveys.create_template(uow(), admin.id, "Опрос", TEMPLATE)
    c = await campaigns.create(uow(), admin.id, "Декабрь")
    pv = await campaigns.preview(uow(), admin.id, c.id, FILE.encode(), "base.csv", cfg)
    await campaigns.add_rows(uow(), admin.id, c.id, pv.add[:1])
    await campaigns.set_template(uow(), admin.id, c.id, template.id)
    await campaigns.set_executor(uow(), admin.id, c.id, ids[a1])
    await campaigns.move(uow(), admin.id, c.id, campaigns.CampaignStatus.IN_WORK)
    await campaigns.post(uow(), admin.id, c.id)
    view = await campaigns.view(uow(), admin.id, c.id)
    return view.rows[0][0].deal_id, a1, b1, c1


def labels(tg, who) -> list[str]:
    markup = [c for c in tg.calls_to(who) if getattr(c, "reply_markup", None) is not None][-1].reply_markup
    return [b.text for row in markup.inline_keyboard for b in row]


@pytest.mark.parametrize("lang", ["ru", "en", "pl"])
async def test_another_team_forges_the_deals_buttons_and_is_refused(tg, uow, cfg, lang):
    deal_id, a1, b1, c1 = await north_and_south(tg, uow, cfg, lang)
    not_found, close, ship = WORDS[lang]
    for data in (WsCb(action=WsAction.OPEN, deal_id=deal_id), ColdCb(action=ColdAction.PANEL, deal_id=deal_id),
                 WsCb(action=WsAction.FEED, deal_id=deal_id), ColdCb(action=ColdAction.EXPORT, deal_id=deal_id)):
        mark = tg.now()
        await tg.press(b1, data=data.pack())
        assert tg.alerts(b1, mark) == [not_found], data
        assert "ООО Ромашка" not in tg.everything(b1, mark)
    mark = tg.now()
    await tg.press(b1, data=WsListCb(mine=0).pack())
    assert "ООО Ромашка" not in tg.everything(b1, mark)
    # the executor's own team: the colleague reads it, the executor closes it, the admin switches the shipping
    await tg.press(c1, data=WsListCb(mine=0).pack())
    assert "ООО Ромашка" in tg.everything(c1, mark)
    await tg.press(c1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    assert close not in labels(tg, c1) and ship not in labels(tg, c1)
    await tg.press(a1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    assert close in labels(tg, a1) and ship not in labels(tg, a1)
    await tg.press(ADMIN, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    _, close_ru, ship_ru = WORDS["ru"]  # the admin reads Russian
    assert close_ru in labels(tg, ADMIN) and ship_ru in labels(tg, ADMIN)


async def test_the_mini_app_refuses_another_teams_deal(tg, uow, cfg):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.webapp import create_webapp
    from tests.browser.test_kanban import init_data

    deal_id, _a1, b1, c1 = await north_and_south(tg, uow, cfg, "en")
    app = create_webapp(tg.app.settings.bot_token.get_secret_value(), tg.app.bot, tg.app.uow, tg.app.clock)

    def auth(p):
        return {"Authorization": f"tma {init_data(p.id, p.name, token='42:TEST-TOKEN-never-shown')}"}

    async with TestClient(TestServer(app)) as http:
        page = await http.get(f"/app/api/deals/{deal_id}", headers=auth(b1))
        assert (page.status, await page.json()) == (404, {"error": "Not found: it may have been removed."})
        moved = await http.post(f"/app/api/deals/{deal_id}/move", json={"status_id": 1}, headers=auth(b1))
        assert (await moved.json())["error"] == "Not found: it may have been removed."
        board = await (await http.get("/app/api/board?pipeline=cold_call&mine=0", headers=auth(b1))).json()
        assert [c for col in board["columns"] for c in col["cards"]] == []
        # a colleague of the executor's team reads it, and is offered no final status (closing is the executor's)
        page = await http.get(f"/app/api/deals/{deal_id}", headers=auth(c1))
        body = await page.json()
        assert page.status == 200 and body["may_close"] is False
        assert not any(s["final"] for s in body["statuses"])
        board = await (await http.get("/app/api/board?pipeline=cold_call&mine=0", headers=auth(c1))).json()
        assert [c["id"] for col in board["columns"] for c in col["cards"]] == [deal_id]
