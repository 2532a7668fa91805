"""An English law firm (DEFAULT_LOCALE=en, PHONE_REGION=GB, CURRENCY=GBP; walkthrough points 19 and 23): a British
phone is taken and read in the international form, the debt is asked and shown in pounds, and a meeting's time is
typed as a British reader writes it (day first: «12/10/2026» is 12 October, gone by then and refused; «01/12/2026» is
1 December), the prompt saying the order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config import Settings
from core.db.kernel import models as m
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN, REDIS_URL
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed
from tests.factories import law_firm

TOM = Person(2001, "Tom", language_code="en")


@pytest.fixture
def settings(db_url):
    return Settings(_env_file=None, bot_token="42:TEST-TOKEN-never-shown", database_url=db_url,
                    admin_ids=frozenset({ADMIN.id}), send_rate_per_second=0, send_chat_interval=0,
                    throttle_per_minute=0, album_delay_seconds=0.2, redis_url=REDIS_URL, default_locale="en",
                    default_timezone="Europe/London", phone_region="GB", currency="GBP")


async def test_a_lead_in_pounds_with_a_british_phone_and_an_english_meeting_time(tg, uow, factory, clock):
    await seed(tg, uow, managers=[TOM])
    admin = await users.find(uow(), str(ADMIN.id))
    await law_firm(uow, admin.id)  # the firm's deals are seed 004's (a lead has a «Debt»)
    await directories.add(uow(), admin.id, Directory.SOURCES, "Website")
    await tg.send(TOM, "/menu")
    await tg.press(TOM, "Leads and report")
    await tg.press(TOM, "New lead")
    await tg.send(TOM, "12345")
    assert tg.texts(TOM)[-1] == "That does not look like a phone number. Example: +44 7400 123456."
    await tg.send(TOM, "+44 7700 900123")
    await tg.send(TOM, "Adam Smith")
    await tg.press(TOM, "Website")
    assert tg.texts(TOM)[-1] == "Debt, £:"
    await tg.send(TOM, "£12500")
    await tg.press(TOM, "Skip")  # city
    await tg.press(TOM, "Skip")  # comment
    card = tg.texts(TOM)[-1].splitlines()
    assert "Contact: Adam Smith, +44 7700 900123" in card and "Debt: £12,500.00" in card

    await tg.press(TOM, "Calling")
    await tg.press(TOM, "Meeting booked")
    # a London firm writes the day first (en_GB), and the prompt says so
    assert tg.texts(TOM)[-1] == "Meeting date and time, DD/MM/YYYY HH:MM, e.g. 25/11/2026 15:00:"
    await tg.send(TOM, "12/10/2026 15:00")  # 12 October, as a British reader writes it: gone by now
    assert tg.texts(TOM)[-1] == ("That time has already passed: 12.10.2026 15:00. Type a date and time still to "
                                 "come.")
    await tg.send(TOM, "01/12/2026 15:00")  # 1 December (US order would read 12 January, gone too)
    assert "Meeting: 01.12.2026 15:00" in tg.texts(TOM)[-1]
    async with factory() as s:
        lead = await s.scalar(select(m.Lead))
        contact = await s.get(m.Contact, lead.contact_id)
        # London in December: UTC+0 (the clocks went back on 25 October)
        assert lead.meeting_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
        assert (lead.debt_amount, [p.phone for p in contact.phones]) == (12500, ["+447700900123"])
