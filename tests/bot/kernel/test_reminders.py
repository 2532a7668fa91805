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
    await tg.press(OLGA, "🕐 Выбрать часовой пояс")  # the zones, five a page: Moscow's page first
    await tg.press(OLGA, "▶️")
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


async def test_one_persons_unknown_zone_and_language_stop_nobodys_reminders(tg, uow, factory, caplog):
    """A row written before the settings were checked (DEFAULT_TIMEZONE=Mars/Base, DEFAULT_LOCALE=de): that person
    is read in the deployment's default, said once in the log; everyone's reminders go out at the scan, theirs too."""
    from sqlalchemy import text

    from core.domain.kernel import preferences

    preferences._told.clear()  # said once a process: this test's values afresh
    ivan = Person(2002, "Иван")
    await seed(tg, uow, managers=[OLGA, ivan])
    olga, iv = [await users.find(uow(), str(p.id)) for p in (OLGA, ivan)]
    async with factory() as s:  # stored behind the services' back, as an old bad setting left it
        await s.execute(text("UPDATE users SET timezone = 'Mars/Base', locale = 'de' WHERE id = :id"), {"id": iv.id})
        await s.commit()
    for person in (olga, iv):
        await tasks.create(uow(), person.id, "Позвонить Петру", NOON - timedelta(minutes=1))
    mark = tg.now()
    for _ in range(2):  # the scan runs twice: the warning is said once
        await tasks.scan_due(uow(), tg.app.settings.core())
        await tasks.scan_digests(uow(), tg.app.settings.core())
        await tg.app.worker.drain()
    reminder = "⏰ Пора: Позвонить Петру. Срок: 23.11.2026 11:59."  # in Moscow, the default zone
    assert [x for x in tg.texts(OLGA, mark) if x.startswith("⏰")] == [reminder]
    assert [x for x in tg.texts(ivan, mark) if x.startswith("⏰")] == [reminder]  # his too, in the defaults
    warnings = [r.getMessage() for r in caplog.records if r.name == "core.domain.kernel.preferences"]
    assert sorted(warnings) == [
        "a person's language 'de' is not one of ru, en, pl: ru, the default, is used instead (said once)",
        "a person's timezone 'Mars/Base' is not known to zoneinfo: Europe/Moscow, the default, is used instead "
        "(said once)"]
    await tg.send(ivan, "/lang")  # the screen that shows the zone works for him too
    assert "Часовой пояс: Москва (UTC+3)" in tg.texts(ivan)[-1]
