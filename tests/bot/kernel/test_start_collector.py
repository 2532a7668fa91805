"""The garbage collector is paused while the bot starts (bot.__main__) and on again once it runs."""

import gc

from bot.app import _running
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.process import TOKEN


async def test_the_collector_paused_for_the_start_is_on_once_the_bot_runs(settings, engine):
    api = FakeBotApi(TOKEN)
    url = await api.start()
    settings = settings.model_copy(update={"bot_token": type(settings.bot_token)(TOKEN), "telegram_api_url": url})
    gc.disable()  # as bot.__main__ does for `run` and `scheduler`
    try:
        async with _running(settings, scans=False):
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # what the start built is kept out of the collector's passes
    finally:
        gc.enable()
        gc.unfreeze()
        await api.stop()
