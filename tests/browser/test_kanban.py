"""The kanban Mini App in a real headless Chromium (Debian's, driven by Playwright through executable_path), on a
phone-sized screen: the board loads with only the deals the role allows, a drag moves a deal through the core
service, a refused drag springs back with the reason, the deal page shows payments, orders, contacts and the feed
with an image thumbnail that enlarges, and a forged initData is refused."""

from __future__ import annotations

import os
from pathlib import Path

from aiohttp import ClientSession

from core.services.deals import listing as deal_list
from tests.browser.helpers import BROWSER, init_data

pytestmark = BROWSER


async def open_board(browser, base: str, data: str):
    page = await browser.new_page()
    await page.goto(f"{base}/app/?pipeline=law#tgWebAppData={data.replace('&', '%26')}")
    return page


async def drag(page, card, column):
    """Press on the card, move in steps to the visible part of the column, release (pointer events, as a finger);
    back when the server has answered the move."""
    await card.scroll_into_view_if_needed()
    box, target = await card.bounding_box(), await column.bounding_box()
    x0, y0 = box["x"] + 20, box["y"] + 10
    x1, y1 = min(max(target["x"], 0) + 30, 380), target["y"] + 60
    await page.mouse.move(x0, y0)
    await page.mouse.down()
    for step in range(1, 6):
        await page.mouse.move(x0 + (x1 - x0) * step / 5, y0 + (y1 - y0) * step / 5)
    async with page.expect_response(lambda r: "/move" in r.url):  # the card shows at once; the server's answer
        await page.mouse.up()


async def test_board_drag_refusal_and_deal_page(served, browser, uow):
    w, first, second = served["w"], served["first"], served["second"]
    page = await open_board(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    await page.wait_for_selector(".column .card")
    columns = page.locator(".column")
    assert await columns.count() == 6
    assert await columns.nth(0).locator("h2 span").first.text_content() == "Сбор документов"
    ids = await page.locator(".card").evaluate_all("cards => cards.map(c => Number(c.dataset.id))")
    assert sorted(ids) == sorted([first.id, second.id])  # mine; never the other company's
    card = page.locator(f'.card[data-id="{first.id}"]')
    assert "Пётр" in await card.text_content() and "Нет задач" in await card.text_content()  # no open task

    # a drag to «Отправлен в суд»: the status changes through the core service
    await drag(page, card, columns.nth(1))
    await page.wait_for_selector(f'.column[data-status="{served["statuses"]["sent_to_court"].id}"] '
                                 f'.card[data-id="{first.id}"]')
    assert (await deal_list.view(uow(), w["a1"].id, first.id)).status.code == "sent_to_court"
    assert await columns.nth(1).locator(".count").text_content() == "1"

    # a deal in a final status springs back, with the reason in Russian
    final_card = page.locator(f'.card[data-id="{second.id}"]')
    await drag(page, final_card, columns.nth(4))
    toast = page.locator("#toast")
    await toast.wait_for(state="visible")
    assert "финальном статусе" in await toast.text_content()
    assert await page.locator(f'.column[data-status="{served["statuses"]["decision"].id}"] '
                              f'.card[data-id="{second.id}"]').count() == 1
    assert (await deal_list.view(uow(), w["a1"].id, second.id)).status.code == "decision"

    # a click opens the deal page: payments, orders, contacts, feed; the image enlarges
    await page.locator(f'.card[data-id="{first.id}"]').click()
    deal = page.locator("#deal")
    await deal.wait_for(state="visible")
    text = await deal.text_content()
    assert "150\xa0000 ₽" in text and f"№ {first.id}-1" in text and "★ Пётр +7 900 555-01-01" in text
    thumb = deal.locator("img.thumb")
    await page.wait_for_function("() => { const i = document.querySelector('img.thumb');"
                                 " return i && i.complete && i.naturalWidth > 0; }")
    await thumb.click()
    assert await page.locator("#zoom").is_visible()
    await page.screenshot(path=str(Path(os.environ.get("ARTIFACTS", "/tmp")) / "dealgram-kanban.png"))


async def test_forged_or_foreign_init_data_is_refused(served, browser):
    w = served["w"]
    forged = init_data(w["admin"].tg_id, "Админ", token="999:NOT-THE-BOT")
    page = await open_board(browser, served["base"], forged)
    error = page.locator("#error")  # said on the screen until «Повторить», not in a toast that goes away
    await error.wait_for(state="visible")
    assert await error.locator("p").text_content() == "Сессия истекла: закройте и откройте доску заново."
    assert await page.locator(".card").count() == 0
    async with ClientSession() as http:
        for header in ({}, {"Authorization": f"tma {forged}"},
                       {"Authorization": f"tma {init_data(w['a1'].tg_id, 'Анна', auth_date=1)}"}):  # too old
            async with http.get(f"{served['base']}/app/api/board", headers=header) as r:
                assert r.status == 401
        client = {"Authorization": f"tma {init_data(w['client'].tg_id, 'Клиент')}"}
        async with http.get(f"{served['base']}/app/api/board", headers=client) as r:
            assert r.status == 403  # not staff
        b1 = {"Authorization": f"tma {init_data(w['b1'].tg_id, 'Борис')}"}
        async with http.post(f"{served['base']}/app/api/deals/{served['first'].id}/move", headers=b1,
                             json={"status_id": served["statuses"]["court_1"].id}) as r:
            assert r.status == 409 and "Не найдено" in (await r.json())["error"]  # another company's deal
        async with http.get(f"{served['base']}/app/api/files/1", headers=b1) as r:
            assert r.status == 404
        a1 = {"Authorization": f"tma {init_data(w['a1'].tg_id, 'Анна')}"}
        documents = served["statuses"]["documents"].id
        for query in (f"status={documents}&page=-1", "status=x", f"status={documents}&pipeline=nope"):
            async with http.get(f"{served['base']}/app/api/column?{query}", headers=a1) as r:
                assert r.status == 400 and (await r.json())["error"]  # a forged page, status or pipeline
