"""A task falling due reaches its responsible through the scheduler's scan and the outbox, once."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from core.services.kernel import tasks, users
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed
from tests.factories import T0

OLGA = Person(2001, "Ольга")
NOON = T0  # the test's clock: 12:00 in Moscow, outside quiet hours


async def test_a_due_task_is_reminded_once(tg, uow):
    await seed(tg, uow, managers=[OLGA])
    olga = await users.find(uow(), str(OLGA.id))
    await tasks.create(uow(), olga.id, "Позвонить <Петру>", NOON - timedelta(minutes=1))
    cfg = tg.app.settings.core()
    mark = tg.now()
    for _ in range(2):
        await tasks.scan_due(uow(), cfg)
        await tg.app.worker.drain()
    expected = NOON.astimezone(ZoneInfo("Europe/Moscow")) - timedelta(minutes=1)
    assert tg.texts(OLGA, mark) == [f"⏰ Пора: Позвонить &lt;Петру&gt;. Срок: {expected:%d.%m.%Y %H:%M}."]


async def test_the_morning_digest_arrives(tg, uow):
    await seed(tg, uow, managers=[OLGA])
    olga = await users.find(uow(), str(OLGA.id))
    await tasks.create(uow(), olga.id, "Позвонить Петру", NOON - timedelta(hours=1))
    mark = tg.now()
    await tasks.scan_digests(uow(), tg.app.settings.core())
    await tg.app.worker.drain()
    [digest] = tg.texts(OLGA, mark)
    assert digest.startswith("<b>☀️ Доброе утро! План на сегодня</b>\n<b>Просрочено: 1</b>\n• Позвонить Петру")


async def test_a_person_sets_their_timezone_and_reminders_follow_it(tg, uow):
    await seed(tg, uow, managers=[OLGA])
    olga = await users.find(uow(), str(OLGA.id))
    await tasks.create(uow(), olga.id, "Позвонить Петру", NOON - timedelta(minutes=1))
    await tg.send(OLGA, "/lang")
    assert "Часовой пояс: Москва (UTC+3)" in tg.texts(OLGA)[-1]
    await tg.press(OLGA, "Владивосток (UTC+10)")
    assert tg.alerts(OLGA)[-1] == "Часовой пояс: Владивосток (UTC+10)"
    assert "Часовой пояс: Владивосток (UTC+10)" in tg.session.shown[OLGA.id][max(tg.session.shown[OLGA.id])].text
    mark = tg.now()
    await tasks.scan_due(uow(), tg.app.settings.core())
    await tg.app.worker.drain()
    # 08:59 UTC is 18:59 in Vladivostok (and outside its quiet hours)
    assert tg.texts(OLGA, mark) == ["⏰ Пора: Позвонить Петру. Срок: 23.11.2026 18:59."]
    await tg.send(OLGA, "/tasks")
    assert "23.11.2026 18:59" in tg.texts(OLGA)[-1]

    # another zone typed by its IANA name (any case); a name that is none is refused and changes nothing
    await tg.send(OLGA, "/lang")
    await tg.press(OLGA, "Другой часовой пояс")
    await tg.send(OLGA, "Mars/Olympus")
    assert tg.texts(OLGA)[-1] == "Такого часового пояса нет. Пример: Europe/Moscow или Asia/Dubai."
    assert (await users.find(uow(), str(OLGA.id))).timezone == "Asia/Vladivostok"
    await tg.send(OLGA, "europe/warsaw")
    assert "Часовой пояс: Варшава (UTC+1)" in tg.texts(OLGA)
    assert (await users.find(uow(), str(OLGA.id))).timezone == "Europe/Warsaw"
