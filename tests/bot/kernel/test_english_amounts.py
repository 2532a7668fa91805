"""An English speaker types amounts the English way: «12,500» is twelve thousand five hundred, and a comma that may
be a decimal one («12,5») is asked about, not guessed."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core.db.kernel import models as m
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed

ENGLISH = Person(4102, "John", language_code="en")


async def test_an_english_speaker_types_12_500_in_the_application_form(tg, uow, factory):
    await seed(tg, uow)
    await tg.start(ENGLISH)
    await tg.press(ENGLISH, "New application")
    await tg.press(ENGLISH, "Спецтехника")
    await tg.send(ENGLISH, "Tractor")
    assert tg.texts(ENGLISH)[-1] == "Step 3/8. Price of the object in roubles (e.g. 1,500,000 or 1,500,000.50):"
    await tg.send(ENGLISH, "lots")
    assert tg.texts(ENGLISH)[-1] == "Type the amount in figures, e.g. 12,500 or 12,500.50."
    await tg.send(ENGLISH, "12,5")
    assert tg.texts(ENGLISH)[-1] == (
        "“12,5” can be read two ways. In English the comma separates thousands and the dot marks the decimals: "
        "type 12,500 for twelve thousand five hundred, 12.50 for twelve and a half.")
    mark = tg.now()
    await tg.send(ENGLISH, "12,500")
    assert tg.texts(ENGLISH, mark) == ["Step 4/8. Leasing term in months (1–120):"]
    await tg.send(ENGLISH, "24")
    await tg.press(ENGLISH, "Москва")
    await tg.send(ENGLISH, "Peter")
    await tg.send(ENGLISH, "+7 900 765-43-21")
    await tg.press(ENGLISH, "✅ Done")
    await tg.press(ENGLISH, "📨 Send")
    async with factory() as s:
        assert (await s.scalars(select(m.Application.amount))).all() == [Decimal("12500.00")]
