"""The Mini App served on a real port over a world of deals (``served``), and a phone-sized Chromium with touch
(``browser``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from bot.webapp import create_webapp
from core.domain.deals.workspace import Pipeline
from core.services.deals import payments, workspace
from core.services.deals import statuses as deal_statuses
from core.services.deals.workspace import Attachment
from tests.browser.helpers import CHROMIUM, PNG, TOKEN
from tests.e2e.fake_bot_api import FakeBotApi
from tests.factories import law_deal, world


@pytest.fixture
async def served(uow, cfg, clock):
    w = await world(uow, cfg)
    a1, b1 = w["a1"], w["b1"]
    first = await law_deal(uow, cfg, w, a1, "+79005550101", "Пётр")
    second = await law_deal(uow, cfg, w, a1, "+79005550102", "Мария")
    other = await law_deal(uow, cfg, w, b1, "+79005550103", "Чужой")  # another company's deal
    by_code = {s.code: s for s in await deal_statuses.statuses(uow(), w["admin"].id, Pipeline.LAW)}
    await workspace.move(uow(), a1.id, second.id, by_code["decision"].id)  # final: it stays
    await payments.add_payment(uow(), a1.id, first.id, Decimal("150000"), date(2030, 1, 10))
    await payments.add_order(uow(), a1.id, first.id, Decimal("12000"), date(2026, 11, 20))
    await workspace.comment(uow(), a1.id, first.id, "Паспорт", cfg, Attachment("PHOTO1", "photo", None,
                                                                               "image/jpeg", len(PNG)))
    api = FakeBotApi(TOKEN)
    api.files["documents/PHOTO1"] = PNG
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(await api.start())))
    app = create_webapp(TOKEN, bot, uow, clock)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    yield {"base": base, "w": w, "first": first, "second": second, "other": other, "statuses": by_code}
    await runner.cleanup()
    await bot.session.close()
    await api.stop()


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        # no network beyond localhost here: telegram-web-app.js does not load, the page reads initData from the hash
        context = await b.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      device_scale_factor=2)
        await context.route("https://telegram.org/**", lambda route: route.abort())
        yield context
        await b.close()
