"""The fake Bot API serves what the bot uses through TELEGRAM_API_URL: uploads, getFile and downloads."""

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import BufferedInputFile

from tests.e2e.fake_bot_api import FakeBotApi


async def test_upload_then_download_through_a_custom_api_url():
    api = FakeBotApi("77:FAKE")
    base = await api.start()
    bot = Bot("77:FAKE", session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
    try:
        sent = await bot.send_document(5, BufferedInputFile(b"%PDF-1.4 report", filename="report.pdf"))
        call = api.calls[-1]  # aiogram attaches the file under a field of its own naming (attach://…)
        assert call.method == "sendDocument" and list(call.uploads.values()) == [b"%PDF-1.4 report"]
        file = await bot.get_file(sent.document.file_id)
        data = await bot.download_file(file.file_path)
        assert data.read() == b"%PDF-1.4 report"
    finally:
        await bot.session.close()
        await api.stop()
