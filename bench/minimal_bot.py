"""The baseline of bench.footprint: a minimal aiogram polling bot with a SQLAlchemy engine (one table, one
handler). Reads BOT_TOKEN, TELEGRAM_API_URL and DATABASE_URL like the real bot."""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


async def main() -> None:
    engine = create_async_engine(os.environ["DATABASE_URL"])
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS seen (id INTEGER PRIMARY KEY, chat BIGINT)"))
    bot = Bot(os.environ["BOT_TOKEN"],
              session=AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"])))
    dp = Dispatcher()

    @dp.message()
    async def answer(message: Message) -> None:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO seen (chat) VALUES (:chat)"), {"chat": message.chat.id})
        await message.answer(message.text or "…")

    await dp.start_polling(bot)


if __name__ == "__main__":
    asyncio.run(main())
