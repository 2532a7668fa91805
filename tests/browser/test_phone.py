"""The kanban on a phone, as a manager's thumb drives it (Chromium, 390×844, touch events through the DevTools
protocol as a real screen sends them): a swipe scrolls and moves nothing, a long press lifts a card and a drag
moves it, an interrupted touch leaves the board as it was; the board answers at a glance (each column's count and
sum, «Ещё N» that loads the rest, «Нет задач» and an overdue reminder in red); errors are said in the person's
language with «Повторить»; Telegram's BackButton closes the deal page, and the deal page changes the status without
a drag. ``scripts/screenshots`` runs this file with SCREENSHOTS=<dir> for pictures of the board, the deal page (in
the light and the dark theme) and the report's chart."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from bot.exports import funnel_png
from bot.i18n import Translator
from core.domain.deals.workspace import Pipeline
from core.domain.leads.lifecycle import FunnelRow
from core.services.deals import listing as deal_list
from core.services.deals import payments, workspace
from core.services.deals import statuses as deal_statuses
from tests.browser.helpers import BROWSER, init_data
from tests.factories import T0, law_deal

pytestmark = BROWSER

#: Telegram's WebApp object as the page sees it inside Telegram, recording what the page asks of it
FAKE_TELEGRAM = """
window.__calls = [];
const record = (name) => (...args) => { window.__calls.push(name); };
window.Telegram = { WebApp: {
  initData: %(data)s, initDataUnsafe: { user: { id: 1, language_code: %(lang)s } }, colorScheme: %(scheme)s,
  ready: record("ready"), expand: record("expand"), setHeaderColor: record("header"), setBackgroundColor: record("bg"),
  disableVerticalSwipes: record("swipes.off"), enableVerticalSwipes: record("swipes.on"),
  HapticFeedback: { impactOccurred: (kind) => window.__calls.push("haptic." + kind) },
  BackButton: { show: record("back.show"), hide: record("back.hide"), onClick: (f) => { window.__back = f; } },
  MainButton: { setText: (text) => window.__calls.push("main.text:" + text), show: record("main.show"),
                hide: record("main.hide"), onClick: (f) => { window.__main = f; }, offClick: record("main.off") },
} };
"""
DARK = ("document.addEventListener('DOMContentLoaded', () => { const s = document.documentElement.style;"
        " s.setProperty('--tg-theme-bg-color', '#17212b'); s.setProperty('--tg-theme-text-color', '#f5f5f5');"
        " s.setProperty('--tg-theme-secondary-bg-color', '#232e3c'); s.setProperty('--tg-theme-hint-color', '#8f9aa7');"
        " s.setProperty('--tg-theme-link-color', '#6ab3f3'); s.setProperty('--tg-theme-button-color', '#5288c1'); });")


async def open_in_telegram(browser, base: str, data: str, *, lang: str = "ru", dark: bool = False):
    page = await browser.new_page()
    await page.add_init_script(FAKE_TELEGRAM % {"data": json.dumps(data), "lang": json.dumps(lang),
                                                 "scheme": json.dumps("dark" if dark else "light")})
    if dark:
        await page.add_init_script(DARK)
    moves = []
    page.on("request", lambda r: moves.append(r.url) if urlsplit(r.url).path.endswith("/move") else None)
    await page.goto(f"{base}/app/?pipeline=law")
    await page.wait_for_selector(".column .card")
    return page, moves


class Finger:
    """One finger on the screen: touch events through the DevTools protocol, as the screen sends them."""

    def __init__(self, page) -> None:
        self.page = page

    async def __aenter__(self):
        self.cdp = await self.page.context.new_cdp_session(self.page)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.cdp.detach()

    async def touch(self, kind: str, x: float | None = None, y: float | None = None) -> None:
        points = [] if kind in ("touchEnd", "touchCancel") else [{"x": x, "y": y}]
        await self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    async def slide(self, x0: float, y0: float, x1: float, y1: float, steps: int = 8) -> None:
        for i in range(1, steps + 1):
            await self.touch("touchMove", x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)
            await self.page.wait_for_timeout(16)


async def centre(locator) -> tuple[float, float]:
    box = await locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def test_a_swipe_scrolls_and_moves_nothing(served, browser, uow):
    w, first = served["w"], served["first"]
    page, moves = await open_in_telegram(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    card = page.locator(f'.card[data-id="{first.id}"]')
    x, y = await centre(card)
    async with Finger(page) as finger:  # a quick sideways swipe that starts on a card, then one upwards
        await finger.touch("touchStart", x, y)
        await finger.slide(x, y, x - 250, y + 10)
        await finger.touch("touchEnd")
        await page.wait_for_timeout(300)
        x, y = await centre(card)
        await finger.touch("touchStart", x, y)
        await finger.slide(x, y, x, y - 200)
        await finger.touch("touchEnd")
    await page.wait_for_timeout(400)
    assert moves == []
    assert await page.locator(".card.dragging, .card.lifted, .column.over").count() == 0
    assert await page.evaluate("document.getElementById('board').scrollLeft") > 0  # the board scrolled instead
    assert (await deal_list.view(uow(), w["a1"].id, first.id)).status.code == "documents"
    assert "swipes.off" not in await page.evaluate("window.__calls")


async def test_a_long_press_lifts_a_card_and_a_drag_moves_it(served, browser, uow):
    w, first, statuses = served["w"], served["first"], served["statuses"]
    page, moves = await open_in_telegram(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    card = page.locator(f'.card[data-id="{first.id}"]')
    x, y = await centre(card)
    target = page.locator(f'.column[data-status="{statuses["sent_to_court"].id}"]')
    tx = min((await target.bounding_box())["x"] + 40, 370)
    async with Finger(page) as finger:
        await finger.touch("touchStart", x, y)
        await page.wait_for_timeout(650)  # held still: the card lifts
        assert await page.locator(".card.dragging").count() == 1
        await finger.slide(x, y, tx, y + 40, steps=12)
        async with page.expect_response(lambda r: urlsplit(r.url).path.endswith("/move")):
            await finger.touch("touchEnd")
    await page.wait_for_selector(f'.column[data-status="{statuses["sent_to_court"].id}"] .card[data-id="{first.id}"]')
    assert len(moves) == 1
    assert (await deal_list.view(uow(), w["a1"].id, first.id)).status.code == "sent_to_court"
    calls = await page.evaluate("window.__calls")
    assert "haptic.medium" in calls and calls.index("swipes.off") < calls.index("swipes.on")
    assert await page.locator(".card.dragging, .card.lifted, .column.over").count() == 0


async def test_an_interrupted_touch_leaves_the_board_as_it_was(served, browser, uow):
    w, first = served["w"], served["first"]
    page, moves = await open_in_telegram(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    card = page.locator(f'.card[data-id="{first.id}"]')
    x, y = await centre(card)
    async with Finger(page) as finger:
        await finger.touch("touchStart", x, y)
        await page.wait_for_timeout(650)
        await finger.slide(x, y, x + 60, y + 30, steps=4)
        assert await page.locator(".card.dragging").count() == 1 and await page.locator(".column.over").count() == 1
        await finger.touch("touchCancel")  # a call comes in, the system takes the touch
    await page.wait_for_timeout(200)
    assert await page.locator(".card.dragging, .card.lifted, .column.over").count() == 0
    assert await card.is_visible() and moves == []
    assert (await deal_list.view(uow(), w["a1"].id, first.id)).status.code == "documents"


async def test_the_board_answers_at_a_glance(served, browser, uow, cfg):
    w, first, statuses = served["w"], served["first"], served["statuses"]
    for i in range(10, 41):  # the first column: 32 deals of Анна, two more than it shows
        await law_deal(uow, cfg, w, w["a1"], f"+7900777{i:04d}", f"Клиент {i}")
    await workspace.remind(uow(), w["a1"].id, first.id, "Позвонить", T0 - timedelta(hours=2))  # overdue
    page, _ = await open_in_telegram(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    documents = page.locator(f'.column[data-status="{statuses["documents"].id}"]')
    assert await documents.locator(".count").text_content() == "32"
    assert await documents.locator(".sum").text_content() == "Сумма: 150\u00a0000 ₽"  # the first deal's payment
    assert await documents.locator(".card").count() == 30
    more = documents.locator("button.more")
    assert await more.text_content() == "Ещё 2"
    await more.click()
    await page.wait_for_function(f"document.querySelectorAll('.column[data-status=\"{statuses['documents'].id}\"] "
                                 ".card').length === 32")
    assert await documents.locator("button.more").count() == 0
    red = "rgb(217, 45, 32)"
    no_tasks = documents.locator(".card .no-tasks").first
    assert await no_tasks.text_content() == "Нет задач"
    assert await no_tasks.evaluate("e => getComputedStyle(e).color") == red
    overdue = page.locator(f'.card[data-id="{first.id}"] .reminder')
    assert await overdue.evaluate("e => getComputedStyle(e).color") == red
    final = page.locator(f'.column[data-status="{statuses["decision"].id}"]')
    assert "🏁" in await final.locator("h2").text_content()  # marked before a drop there is refused
    await page.locator("#overdue").click()  # a quick filter: only the overdue ones
    assert await documents.locator(".card:not([hidden])").count() == 1
    toolbar_top = await page.locator("header").evaluate("e => e.getBoundingClientRect().top")
    await documents.locator(".cards").evaluate("e => e.scrollTop = 2000")
    assert await page.locator("header").evaluate("e => e.getBoundingClientRect().top") == toolbar_top == 0


async def test_a_refused_start_is_said_in_the_persons_language_with_retry(served, browser):
    w = served["w"]
    expired = init_data(w["a1"].tg_id, "Анна", auth_date=int((T0 - timedelta(days=3)).timestamp()))
    page = await browser.new_page()
    await page.add_init_script(FAKE_TELEGRAM % {"data": json.dumps(expired), "lang": '"ru"', "scheme": '"light"'})
    await page.goto(f"{served['base']}/app/?pipeline=law")
    error = page.locator("#error")
    await error.wait_for(state="visible")
    assert await error.locator("p").text_content() == "Сессия истекла: закройте и откройте доску заново."
    assert await error.locator("button").text_content() == "Повторить"
    assert "initData" not in await page.locator("body").inner_text()  # never the raw English reason
    english = await browser.new_page()
    await english.add_init_script(FAKE_TELEGRAM % {"data": json.dumps(expired), "lang": '"en"', "scheme": '"light"'})
    await english.goto(f"{served['base']}/app/?pipeline=law")
    await english.locator("#error").wait_for(state="visible")
    assert await english.locator("#error button").text_content() == "Retry"


async def test_the_deal_page_with_telegrams_buttons_and_a_move_without_a_drag(served, browser, uow):
    w, first, statuses = served["w"], served["first"], served["statuses"]
    page, _ = await open_in_telegram(browser, served["base"], init_data(w["a1"].tg_id, "Анна"))
    await page.locator(f'.card[data-id="{first.id}"]').tap()
    deal = page.locator("#deal")
    await deal.wait_for(state="visible")
    assert await deal.locator('a[href="tel:+79005550101"]').count() == 1
    assert [await x.text_content() for x in await deal.locator("dt").all()][:3] == ["Статус", "Тип", "Клиент"]
    calls = await page.evaluate("window.__calls")
    assert "back.show" in calls and "main.text:Сменить статус" in calls and "main.show" in calls
    await deal.locator(".move select").select_option(str(statuses["court_1"].id))
    await page.evaluate("window.__main()")  # Telegram's MainButton pressed
    await page.wait_for_function(f"document.querySelector('#deal').dataset.status === '{statuses['court_1'].id}'")
    assert (await deal_list.view(uow(), w["a1"].id, first.id)).status.code == "court_1"
    await page.evaluate("window.__back()")  # Telegram's BackButton pressed
    await deal.wait_for(state="hidden")
    assert (await page.evaluate("window.__calls"))[-1] == "back.hide"


async def test_screenshots(served, browser, uow, cfg, tmp_path):
    """The pictures anyone can look at (``scripts/screenshots DIR``): the board and a deal page in Telegram's light
    and dark themes, and the funnel report's chart as the chat gets it."""
    w, first = served["w"], served["first"]
    out = _folder(os.environ.get("SCREENSHOTS") or tmp_path)
    await payments.add_payment(uow(), w["a1"].id, first.id, Decimal("98500.50"), date(2026, 12, 15))
    for dark in (False, True):
        theme = "dark" if dark else "light"
        page, _ = await open_in_telegram(browser, served["base"], init_data(w["a1"].tg_id, "Анна"), dark=dark)
        await page.screenshot(path=str(out / f"board-{theme}.png"))
        await page.locator(f'.card[data-id="{first.id}"]').tap()
        await page.locator("#deal").wait_for(state="visible")
        await page.screenshot(path=str(out / f"deal-{theme}.png"), full_page=True)
        await page.close()
    rows = [FunnelRow("Сайт", 120, 40, 20, 8, 2), FunnelRow("Авито", 95, 30, 12, 5, 1),
            FunnelRow("Рекомендации партнёров и знакомых", 44, 22, 15, 9, 3), FunnelRow("Радио", 30, 10, 3, 1, 0)]
    pictures = _chart_and_pictures(out, funnel_png(rows, Translator("ru"), "Воронка по источникам: 01.11 — 30.11"))
    assert sorted(pictures) == ["board-dark.png", "board-light.png", "deal-dark.png", "deal-light.png",
                                "report-chart.png"]
    assert all(size > 10_000 for size in pictures.values())
    statuses = {s.code for s in await deal_statuses.statuses(uow(), w["admin"].id, Pipeline.LAW)}
    assert "documents" in statuses


def _folder(path) -> Path:
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _chart_and_pictures(out: Path, chart: bytes) -> dict[str, int]:
    (out / "report-chart.png").write_bytes(chart)
    return {p.name: p.stat().st_size for p in out.glob("*.png")}
