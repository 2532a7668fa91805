"""The pictures in docs/screens/, made by this Chromium from the code as it is, and what they show checked as a person
would see it: the kanban board of a manager with a few deals, and the leasing calculator's Mini App page a Polish
client opens. ``scripts/docs-pictures`` runs this file with DOCS_PICTURES=docs/screens to write them again; without
that setting the pictures go to a temporary folder."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from core.services.deals import payments, workspace
from core.services.kernel import users
from tests.browser.helpers import BROWSER, init_data
from tests.factories import law_deal

pytestmark = BROWSER

#: the part of Telegram's WebApp object the pages read: the signed initData and the theme
TELEGRAM = """window.Telegram = { WebApp: { initData: %s, initDataUnsafe: {}, colorScheme: "light",
  ready() {}, expand() {}, setHeaderColor() {}, setBackgroundColor() {}, disableVerticalSwipes() {},
  enableVerticalSwipes() {}, HapticFeedback: { impactOccurred() {} },
  BackButton: { show() {}, hide() {}, onClick() {} },
  MainButton: { setText() {}, show() {}, hide() {}, onClick() {}, offClick() {} } } };"""
LIMIT = 150_000  # bytes a picture in docs/ may take


def _save(png: bytes, name: str, tmp_path: Path) -> int:
    """The screenshot as a palette PNG (256 colours: the pages are flat colours and text), in DOCS_PICTURES."""
    from PIL import Image

    out = Path(os.environ.get("DOCS_PICTURES") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    image = Image.open(BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(out / name, optimize=True)
    return (out / name).stat().st_size


async def _open(browser, url: str, data: str):
    page = await browser.new_page()
    await page.add_init_script(TELEGRAM % json.dumps(data))
    await page.goto(url)
    return page


async def test_board_picture(served, browser, uow, cfg, clock, tmp_path):
    """Anna's deals on her phone: four in «Сбор документов» with their budgets, sources and reminders (one overdue,
    one with none), the column's count and sum, and the next column beside it."""
    w, first = served["w"], served["first"]
    a1 = w["a1"]
    more = [await law_deal(uow, cfg, w, a1, phone, name) for phone, name in (
        ("+79005550111", "ООО «Северный берег»"), ("+79005550112", "Ирина Соколова"), ("+79005550113", "ИП Орлов"))]
    now = clock.now()
    await payments.add_payment(uow(), a1.id, first.id, Decimal("98500.50"), date(2026, 12, 15))
    await payments.add_payment(uow(), a1.id, more[0].id, Decimal("420000"), date(2027, 1, 20))
    await payments.add_payment(uow(), a1.id, more[1].id, Decimal("75000"), date(2026, 12, 1))
    await workspace.remind(uow(), a1.id, more[0].id, "Запросить выписку ЕГРЮЛ", now + timedelta(days=2))
    await workspace.remind(uow(), a1.id, more[1].id, "Перезвонить по документам", now - timedelta(hours=3))
    await workspace.remind(uow(), a1.id, more[2].id, "Подписать доверенность", now + timedelta(hours=20))

    page = await _open(browser, f"{served['base']}/app/?pipeline=law", init_data(a1.tg_id, "Анна"))
    await page.wait_for_selector(".column .card")
    column = page.locator(".column").first
    assert await column.locator(".count").text_content() == "4"
    assert "Сумма: 743\xa0500,50 ₽" in await column.text_content()  # payments to come: 248,500.50 + 420,000 + 75,000
    overdue = page.locator(f'.card[data-id="{more[1].id}"]')
    # red and said in words: three hours late
    assert await overdue.locator(".meta.overdue").text_content() == "⚠ Просрочено · 23.11.2026 09:00"
    size = _save(await page.screenshot(), "board.png", tmp_path)
    assert 10_000 < size < LIMIT
    await page.close()


async def test_calculator_picture(served, browser, uow, tmp_path):
    """A Polish client types the terms into the calculator's page: the summary and the 48 lines of the schedule in
    Polish and in złoty; bad terms are answered with the reason and no schedule."""
    client = served["w"]["client"]
    await users.set_locale(uow(), client.id, "pl")
    page = await _open(browser, f"{served['base']}/app/calc", init_data(client.tg_id, "Jan"))
    await page.fill("#terms", "1 500 000; 100%; 48; 8,5; 1%")
    await page.click("#go")
    await page.wait_for_selector("#error:not(:empty)")
    assert await page.locator("#schedule tr").count() == 0
    await page.fill("#terms", "1 500 000; 20%; 48; 8,5; 1%")
    await page.click("#go")
    await page.wait_for_selector("#schedule tr >> nth=48")
    assert await page.locator("#schedule tr").count() == 49  # the header and 48 instalments
    assert "zł" in await page.locator("#summary").text_content()
    assert await page.locator("#error").text_content() == ""
    size = _save(await page.screenshot(), "calculator.png", tmp_path)
    assert 10_000 < size < LIMIT
    await page.close()
