"""The board on a phone, the last mile (issue 31), driven as a thumb drives it (Chromium 390×844, touch events
through the DevTools protocol): the columns' counts and sums follow every move and go back with a refused or failed
one; every text reads at least 4.5:1 against what is behind it in Telegram's light and dark themes (the ratio computed
from the rendered colours); the loading, error and empty states are on the screen, in Russian, English and Polish,
and «Повторить» works once the network is back; a card held at the screen's edge scrolls the board; the hint shows
once; an overdue reminder is said in words."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from bot.i18n import Translator, catalogue
from core.domain.deals.workspace import Pipeline
from core.services.deals import listing as deal_list
from core.services.deals import workspace
from core.services.deals.listing import Filter
from core.services.kernel import users
from tests.browser.helpers import BROWSER, init_data
from tests.browser.test_phone import DARK, FAKE_TELEGRAM, Finger, centre
from tests.factories import T0

pytestmark = BROWSER
WIDTH, HEIGHT = 390, 844
#: Telegram's own light theme (its hint colour is 2.85:1 on white, its button 4.1:1 under white text)
LIGHT = ("document.addEventListener('DOMContentLoaded', () => { const s = document.documentElement.style;"
         " s.setProperty('--tg-theme-bg-color', '#ffffff'); s.setProperty('--tg-theme-text-color', '#000000');"
         " s.setProperty('--tg-theme-secondary-bg-color', '#efeff3');"
         " s.setProperty('--tg-theme-hint-color', '#999999');"
         " s.setProperty('--tg-theme-link-color', '#2481cc'); s.setProperty('--tg-theme-button-color', '#2481cc');"
         " s.setProperty('--tg-theme-button-text-color', '#ffffff'); });")
THEMES = {"light": LIGHT, "dark": DARK}

#: every visible text on the screen: its colour and the colour behind it (the backgrounds of its ancestors composited
#: over the page's), and the WCAG ratio of the two, as the page has rendered them
CONTRASTS = """() => {
  const parse = (css) => {
    const n = (css.match(/[\\d.]+/g) || []).map(Number);
    if (css.startsWith("color(")) return [n[0] * 255, n[1] * 255, n[2] * 255, n.length > 3 ? n[3] : 1];
    return [n[0], n[1], n[2], n.length > 3 ? n[3] : 1];
  };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const behind = (e) => {
    const layers = [];
    for (let x = e; x; x = x.parentElement) {
      const c = parse(getComputedStyle(x).backgroundColor); if (c[3] > 0) layers.push(c); if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (!e.checkVisibility({ visibilityProperty: true, opacityProperty: true }) || !r.width || !r.height) continue;
    if (r.right <= 0 || r.bottom <= 0 || r.left >= innerWidth || r.top >= innerHeight) continue;
    const field = e.matches("input, select");
    const own = [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own && !field) continue;
    const hit = document.elementFromPoint(Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1),
                                          Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1));
    if (hit && !e.contains(hit) && !hit.contains(e)) continue;  // under something else: the deal page, a dialog
    const placeholder = e.matches("input") && !e.value && e.placeholder;
    const shown = e.selectedOptions ? (e.selectedOptions[0] || {}).text : e.value;
    const text = placeholder ? e.placeholder : field ? shown : e.textContent.trim();
    if (!text) continue;
    const colour = parse(getComputedStyle(e, placeholder ? "::placeholder" : null).color), bg = behind(e);
    out.push({ text: text.slice(0, 40), ratio: Math.round(ratio(over(colour, bg), bg) * 100) / 100,
               colour: colour.map(Math.round).join(","), behind: bg.map(Math.round).join(",") });
  }
  return out;
}"""


async def readable(page, where: str) -> list[dict]:
    """Every visible text of the screen, each at least 4.5:1 (the lowest printed, for ``-s``)."""
    texts = await page.evaluate(CONTRASTS)
    assert texts, where
    low = min(texts, key=lambda t: t["ratio"])
    print(f"\n{where}: {len(texts)} texts, the lowest {low['ratio']}:1 ({low['text']!r})")
    assert [t for t in texts if t["ratio"] < 4.5] == [], where
    return texts


async def open_as(browser, base: str, data: str, *, lang: str = "ru", theme: str | None = None, wait: bool = True):
    page = await browser.new_page()
    await page.add_init_script(FAKE_TELEGRAM % {"data": json.dumps(data), "lang": json.dumps(lang),
                                                 "scheme": json.dumps("dark" if theme == "dark" else "light")})
    if theme:
        await page.add_init_script(THEMES[theme])
    await page.goto(f"{base}/app/?pipeline=law")
    if wait:
        await page.wait_for_selector(".column .card")
    return page


async def snap(page, name: str) -> None:
    """A picture of the screen, with SCREENSHOTS=<dir> (to look at by eye; never committed)."""
    if os.environ.get("SCREENSHOTS"):
        await page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], f"{name}.png"))


async def inside_the_screen(locator) -> dict:
    box = await locator.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert 0 <= box["x"] and box["x"] + box["width"] <= WIDTH, box
    assert 0 <= box["y"] and box["y"] + box["height"] <= HEIGHT, box
    return box


async def heads(page) -> dict[str, tuple[str, str]]:
    """Each column's count and sum as the board shows them, by status id."""
    return await page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.column')].map((c) =>
        [c.dataset.status, [c.querySelector('.count').textContent, c.querySelector('.sum').textContent]]))""")


async def server_heads(uow, viewer_id: int) -> dict[str, tuple[str, str]]:
    t = Translator("ru")
    columns = await deal_list.board(uow(), viewer_id, Pipeline.LAW, Filter(mine=True), cards=0)
    return {str(c.status.id): [str(c.count), f"Сумма: {t.money(c.total)}" + (" · 🏁" if c.status.final else "")]
            for c in columns}


async def drag(page, finger: Finger, card, x1: float, y1: float, event: str = "response") -> None:
    """A long press on the card, a drag to (x1, y1), the finger lifted; back when the server has answered (or the
    request has failed: ``event="requestfailed"``)."""
    x, y = await centre(card)
    await finger.touch("touchStart", x, y)
    await page.wait_for_timeout(650)
    assert await page.locator(".card.dragging").count() == 1
    await finger.slide(x, y, x1, y1, steps=10)
    async with page.expect_event(event, lambda r: urlsplit(r.url).path.endswith("/move")):
        await finger.touch("touchEnd")
    await page.wait_for_timeout(100)


async def test_the_columns_totals_follow_every_move_and_go_back_with_a_refused_or_failed_one(served, browser, uow):
    w, first, second, statuses = served["w"], served["first"], served["second"], served["statuses"]
    page = await open_as(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    documents, court = str(statuses["documents"].id), str(statuses["sent_to_court"].id)
    before = await heads(page)
    assert before == await server_heads(uow, w["a1"].id)
    assert before[documents] == ["1", "Сумма: 150\xa0000 ₽"] and before[court] == ["0", "Сумма: 0 ₽"]
    target = page.locator(f'.column[data-status="{court}"]')
    async with Finger(page) as finger:
        # a move: both counts and both sums, as the server counts them
        await drag(page, finger, page.locator(f'.card[data-id="{first.id}"]'),
                   min((await target.bounding_box())["x"] + 40, 370), 300)
        moved = await heads(page)
        assert (await deal_list.view(uow(), w["a1"].id, first.id)).status.code == "sent_to_court"
        assert moved == await server_heads(uow, w["a1"].id)
        assert moved[documents] == ["0", "Сумма: 0 ₽"] and moved[court] == ["1", "Сумма: 150\xa0000 ₽"]
        assert await page.locator(f'.column[data-status="{documents}"] .empty').text_content() == "Пусто"
        assert await page.locator(f'.column[data-status="{court}"] .empty').count() == 0

        # a refused move (a deal in a final status): the card and every total as they were
        final = page.locator(f'.column[data-status="{statuses["decision"].id}"]')
        await page.evaluate("x => document.getElementById('board').scrollLeft = x",
                            await final.evaluate("e => e.offsetLeft - 8"))
        await page.wait_for_timeout(300)
        await drag(page, finger, page.locator(f'.card[data-id="{second.id}"]'), 60, 300)
        assert "финальном статусе" in await page.locator("#toast").text_content()
        assert await final.locator(f'.card[data-id="{second.id}"]').count() == 1
        assert await heads(page) == moved == await server_heads(uow, w["a1"].id)

        # a move the network loses: put back as well
        await page.evaluate("x => document.getElementById('board').scrollLeft = x", await target.evaluate(
            "e => e.offsetLeft - 150"))  # «Отправлен в суд» from x = 150, «Сбор документов» left of it
        await page.wait_for_timeout(300)
        await page.route("**/move*", lambda route: route.abort())
        await drag(page, finger, page.locator(f'.card[data-id="{first.id}"]'), 80, 300, "requestfailed")
        assert await page.locator("#toast").text_content() == "Сделка не перенесена: нет связи. Попробуйте ещё раз."
        assert await target.locator(f'.card[data-id="{first.id}"]').count() == 1
        assert await heads(page) == moved
        assert await page.locator(f'.column[data-status="{documents}"] .empty').count() == 1
    assert (await deal_list.view(uow(), w["a1"].id, first.id)).status.code == "sent_to_court"


@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_every_text_reads_at_least_4_5_to_1_in_telegrams_themes(served, browser, uow, theme):
    w, first = served["w"], served["first"]
    await workspace.remind(uow(), w["a1"].id, first.id, "Позвонить", T0 - timedelta(hours=2))  # overdue
    page = await open_as(browser, served["base"], init_data(w["a1"].tg_id, "Анна"), theme=theme)
    assert await page.locator("#hint").is_visible()
    await readable(page, f"{theme}: the board, the hint")
    await snap(page, f"board-hint-{theme}")
    await page.locator("#overdue").tap()  # a pressed chip: the button's colours
    await readable(page, f"{theme}: a quick filter on")
    await page.locator("#overdue").tap()
    await page.evaluate("document.getElementById('board').scrollLeft = 10000")  # the final column, «Пусто»
    await page.wait_for_timeout(300)
    await readable(page, f"{theme}: the board's far end")
    await page.evaluate("document.getElementById('board').scrollLeft = 0")
    await page.wait_for_timeout(300)
    await page.locator(f'.card[data-id="{first.id}"]').tap()
    await page.locator("#deal").wait_for(state="visible")
    await readable(page, f"{theme}: the deal page")
    await snap(page, f"deal-overdue-{theme}")
    await page.evaluate("window.__back()")
    await page.locator("#search").fill("нет такой сделки")  # the empty board's notice
    await page.locator("#notice").wait_for(state="visible")
    await readable(page, f"{theme}: the empty board")
    await page.route("**/app/api/board*", lambda route: route.abort())
    await page.locator("#search").fill("")
    await page.locator("#error").wait_for(state="visible")
    await readable(page, f"{theme}: an error")


async def test_overdue_is_said_in_words_not_by_colour_alone(served, browser, uow):
    w, first = served["w"], served["first"]
    await workspace.remind(uow(), w["a1"].id, first.id, "Позвонить", T0 - timedelta(hours=2))
    page = await open_as(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    reminder = page.locator(f'.card[data-id="{first.id}"] .reminder')
    assert (await reminder.text_content()).startswith("⚠ Просрочено · ")
    await page.locator(f'.card[data-id="{first.id}"]').tap()
    overdue = page.locator("#deal dd.overdue")
    assert (await overdue.text_content()).endswith("· ⚠ Просрочено")


@pytest.mark.parametrize("lang", ["ru", "en", "pl"])
async def test_loading_error_and_empty_board_on_the_screen_with_a_retry(served, browser, uow, lang):
    w = served["w"]
    said = labels = catalogue(lang)
    for who in ("a1", "a2"):
        await users.set_locale(uow(), w[who].id, lang)
    # loading: the board's words on the screen, no empty boxes in the toolbar
    held, answered = asyncio.Event(), asyncio.Event()

    async def hold(route):
        held.set()
        await answered.wait()
        await route.abort()  # the network is down

    page = await browser.new_page()
    await page.add_init_script(FAKE_TELEGRAM % {"data": json.dumps(init_data(w["a1"].tg_id, "Анна")),
                                                 "lang": json.dumps(lang), "scheme": '"light"'})
    await page.route("**/app/api/board*", hold)
    await page.goto(f"{served['base']}/app/?pipeline=law")
    await held.wait()
    loading = page.locator(".placeholder .loading")
    assert await loading.text_content() == said["webapp.page_loading"]
    await inside_the_screen(loading)
    await snap(page, f"loading-{lang}")
    assert await page.locator("header > :not(h1):visible, header .chips > :visible").count() == 0
    answered.set()
    error = page.locator("#error")
    await error.wait_for(state="visible")
    assert await error.locator("p").text_content() == said["webapp.page_failed"]
    retry = error.locator("button")
    assert await retry.text_content() == said["webapp.page_retry"]
    await inside_the_screen(error)
    await snap(page, f"error-{lang}")
    assert await page.locator("header > :not(h1):visible").count() == 0
    await page.wait_for_timeout(4500)  # no toast that goes away: the error and its button stay
    await inside_the_screen(retry)
    # the network is back: «Повторить» under a thumb loads the board
    await page.unroute("**/app/api/board*")
    async with Finger(page) as finger:
        x, y = await centre(retry)
        await finger.touch("touchStart", x, y)
        await finger.touch("touchEnd")
    await page.wait_for_selector(".column .card")
    assert not await error.is_visible()
    assert await page.locator("#scope").text_content() == labels["webapp.mine"]

    # a search with no result: said on the screen, with a way back
    await page.locator("#search").fill("нет такой сделки")
    notice = page.locator("#notice")
    await notice.wait_for(state="visible")
    assert await notice.locator("p").text_content() == labels["webapp.empty_board"]
    await inside_the_screen(notice)
    reset = notice.locator("button")
    assert await reset.text_content() == labels["webapp.reset_filters"]
    await inside_the_screen(reset)
    await snap(page, f"empty-search-{lang}")
    await reset.tap()
    await page.wait_for_selector(".column .card")
    assert not await notice.is_visible() and await page.locator("#search").input_value() == ""

    # a new manager's empty board
    newcomer = await open_as(browser, served["base"], init_data(w["a2"].tg_id, "Антон"), lang=lang, wait=False)
    notice = newcomer.locator("#notice")
    await notice.wait_for(state="visible")
    assert await notice.locator("p").text_content() == labels["webapp.empty_mine"]
    await inside_the_screen(notice)
    assert await notice.locator("button").text_content() == labels["webapp.show_all"]
    await inside_the_screen(notice.locator("button"))
    await snap(newcomer, f"empty-newcomer-{lang}")


async def test_a_card_held_at_the_edge_scrolls_the_board(served, browser, uow):
    w, first, statuses = served["w"], served["first"], served["statuses"]
    page = await open_as(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    board = page.locator("#board")
    target = page.locator(f'.column[data-status="{statuses["bankruptcy_done"].id}"]')  # three columns over
    far = await target.evaluate("e => e.offsetLeft")
    card = page.locator(f'.card[data-id="{first.id}"]')
    x, y = await centre(card)
    async with Finger(page) as finger:
        await finger.touch("touchStart", x, y)
        await page.wait_for_timeout(650)
        await finger.slide(x, y, WIDTH - 6, y, steps=8)
        seen = []
        for _ in range(120):  # held still at the edge: no more touch events, the board goes on
            await page.wait_for_timeout(50)
            seen.append(await board.evaluate("e => e.scrollLeft"))
            if seen[-1] >= far - 120:
                break
        await finger.slide(WIDTH - 6, y, WIDTH / 2, y, steps=2)  # off the edge
        assert seen[-1] >= far - 120, seen  # three columns on: scroll-snap never pulled it back
        assert seen == sorted(seen) and len(set(seen)) > 3, seen
        stopped = await board.evaluate("e => e.scrollLeft")
        await snap(page, "drag-at-the-edge")
        await page.wait_for_timeout(400)
        assert await board.evaluate("e => e.scrollLeft") == stopped  # it stays where the card took it
        box = await target.bounding_box()  # over «Конкурсное производство…», where it shows
        tx = max(box["x"], 0) + 40
        assert tx < min(box["x"] + box["width"], WIDTH - 40)
        await finger.slide(WIDTH / 2, y, tx, y, steps=3)
        over = await page.locator(".column.over").evaluate("e => e.dataset.status")
        assert over == str(statuses["bankruptcy_done"].id)
        async with page.expect_response(lambda r: urlsplit(r.url).path.endswith("/move")):
            await finger.touch("touchEnd")
    await target.locator(f'.card[data-id="{first.id}"]').wait_for()
    assert (await deal_list.view(uow(), w["a1"].id, first.id)).status.code == "bankruptcy_done"
    await page.wait_for_timeout(100)
    assert await heads(page) == await server_heads(uow, w["a1"].id)


async def test_the_hint_shows_once(served, browser):
    w = served["w"]
    page = await open_as(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    hint = page.locator("#hint")
    assert await hint.locator("span").text_content() == "Удерживайте карточку, чтобы перенести её"
    await inside_the_screen(hint)
    card_top = (await page.locator(".card").first.bounding_box())["y"]
    assert card_top > (await hint.bounding_box())["y"] + 40  # a row of the toolbar: it covers no card
    await hint.locator("button").tap()
    assert not await hint.is_visible()
    assert (await page.locator(".card").first.bounding_box())["y"] < card_top  # the board takes the room back
    await page.reload()
    await page.wait_for_selector(".column .card")
    assert not await hint.is_visible()
    again = await open_as(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    assert not await again.locator("#hint").is_visible()
