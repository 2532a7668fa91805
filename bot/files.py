"""The first bytes of a file a user sent, to check its type by content.

The download URL holds the bot token: it is built here, used once and never logged or shown."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiohttp import ClientError

from core.domain.kernel.errors import InvalidInput

log = logging.getLogger(__name__)

HEAD_BYTES = 4096


async def file_head(bot: Bot, file_id: str, limit: int = HEAD_BYTES) -> bytes:
    """Up to ``limit`` bytes from the start of the file; the rest is not downloaded."""
    try:
        file = await bot.get_file(file_id)
    except TelegramBadRequest as exc:  # over the Bot API's download limit, or gone
        log.info("getFile refused for a user's file: %s", exc.message)
        raise InvalidInput("file_unavailable") from exc
    url = bot.session.api.file_url(bot.token, file.file_path)
    head = b""
    try:
        async for chunk in bot.session.stream_content(url, chunk_size=limit, raise_for_status=True):
            head += chunk
            if len(head) >= limit:
                break
    except (TelegramAPIError, ClientError, OSError, TimeoutError) as exc:
        log.info("a user's file could not be read: %s", type(exc).__name__)  # never the URL: it holds the token
        raise InvalidInput("file_unavailable") from exc
    return head[:limit]
