import os

import pytest

from bot.app import build, create_bot
from bot.config import Settings
from tests.bot.fake_telegram import Driver, Person, RecordingSession
from tests.conftest import worker_redis_url

ADMIN = Person(1000, "Админ")


#: TEST_REDIS_URL set: every bot test keeps dialog state and the sender's pace in that Redis (.ci/run does a pass)
REDIS_URL = worker_redis_url(os.environ["TEST_REDIS_URL"]) if os.environ.get("TEST_REDIS_URL") else None


@pytest.fixture
def settings(db_url):
    return Settings(_env_file=None, bot_token="42:TEST-TOKEN-never-shown", database_url=db_url,
                    admin_ids=frozenset({ADMIN.id}), send_rate_per_second=0, send_chat_interval=0,
                    throttle_per_minute=0, album_delay_seconds=0.2, redis_url=REDIS_URL)


@pytest.fixture
async def tg(settings, engine, clock):
    if REDIS_URL:
        from redis.asyncio import Redis

        client = Redis.from_url(REDIS_URL)
        await client.flushdb()  # the same Telegram ids in every test
        await client.aclose()
    session = RecordingSession()
    app = build(settings, engine=engine, bot=create_bot(settings, session=session), clock=clock)
    yield Driver(app, session)
    await app.dp.storage.close()
