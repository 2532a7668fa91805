"""A client who left a request writes to the firm in the bot (walkthrough item 13): her words are kept on her open
lead and copied to its responsible (none who may work it: the admins) with « ↩️ Answer » and the lead; the answer is
copied back to her; a client with nothing open is told how to leave a request; only who may work the lead answers."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from core.db.kernel import models as m
from core.domain.kernel.deployment import Area
from core.services.kernel import deployment, directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed

JAMES = Person(2001, "James", language_code="en")
ANNA = Person(2002, "Anna", language_code="en")
SARAH = Person(3001, "Sarah", language_code="en")
OLGA = Person(3002, "Ольга")


async def _firm(tg, uow, *managers):
    await seed(tg, uow, managers=list(managers))
    admin = await users.find(uow(), str(ADMIN.id))
    await deployment.set_areas(uow(), admin.id, frozenset({Area.LEADS}))
    return await directories.add(uow(), admin.id, Directory.SOURCES, "Website")


async def _request(tg, who, source, name, phone):
    await tg.start(who, f"src_{source.code}")
    await tg.send(who, name)
    await tg.send(who, phone)  # typed, not shared: the lead still knows who left it


def _buttons(call) -> list[str]:
    return [b.text for row in call.reply_markup.inline_keyboard for b in row] if call.reply_markup else []


async def _notes(factory):
    async with factory() as s:
        return (await s.scalars(select(m.LeadNote).order_by(m.LeadNote.id))).all()


async def test_a_clients_question_reaches_her_manager_and_his_answer_reaches_her(tg, uow, factory):
    source = await _firm(tg, uow, JAMES)
    await _request(tg, SARAH, source, "Sarah Jones", "+7 900 111-22-33")
    async with factory() as s:
        sarah = await s.scalar(select(m.User).where(m.User.tg_id == SARAH.id))
        james = await s.scalar(select(m.User).where(m.User.tg_id == JAMES.id))
        lead = await s.scalar(select(m.Lead))
    assert (lead.client_user_id, lead.responsible_id) == (sarah.id, james.id)

    mark = tg.now()
    asked = await tg.send(SARAH, "When will you call me?")
    assert tg.texts(SARAH, mark) == ["✅ Passed on to James, who handles your request. The answer will come here."]
    [relay] = tg.calls_to(JAMES, mark)
    assert (relay.__api_method__, relay.text) == ("sendMessage",
                                                  "💬 <b>Lead #1</b> · Sarah Jones writes:\n\nWhen will you call me?")
    assert _buttons(relay) == ["↩️ Answer", "📇 Open the lead"]
    assert tg.calls_to(ADMIN, mark) == []  # the responsible has it; the admins are not bothered
    [note] = await _notes(factory)
    assert (note.lead_id, note.author_id, note.kind, note.text, note.params) == (
        lead.id, sarah.id, "client_message", "When will you call me?",
        {"chat_id": SARAH.id, "message_id": asked, "content": "text", "name": "Sarah Jones"})

    mark = tg.now()
    await tg.press(JAMES, "↩️ Answer")
    assert tg.texts(JAMES, mark) == ["Your answer to Sarah Jones (lead #1): write it, or send a photo or a file."]
    answered = await tg.send(JAMES, "Tomorrow at 10 <am>.")
    assert tg.texts(SARAH, mark) == [
        "💬 <b>James</b> answered:\n\nTomorrow at 10 &lt;am&gt;.\n\n<i>To reply, just write here.</i>"]
    assert tg.texts(JAMES, mark)[-1] == "✅ Sent to Sarah Jones; kept on lead #1."
    answer = (await _notes(factory))[-1]
    assert (answer.author_id, answer.kind, answer.text, answer.params) == (
        james.id, "answer", "Tomorrow at 10 <am>.",
        {"to_user_id": sarah.id, "chat_id": JAMES.id, "message_id": answered, "content": "text",
         "reply_to": note.id})

    mark = tg.now()  # a file: copied from her chat under the header, never forwarded, never a file's URL
    photo = await tg.photo(SARAH, caption="My letter from the court")
    [copy] = tg.calls_to(JAMES, mark)
    assert (copy.__api_method__, copy.from_chat_id, copy.message_id, copy.caption) == (
        "copyMessage", SARAH.id, photo, "💬 <b>Lead #1</b> · Sarah Jones writes:\n\nMy letter from the court")
    assert not [c for c in tg.session.calls if c.__api_method__ in ("forwardMessage", "getFile")]

    mark = tg.now()
    await tg.press(JAMES, "📇 Open the lead")
    card = tg.texts(JAMES, mark)[-1].splitlines()
    assert [line.split(" ", 3)[0] + " " + line.split(" ", 3)[3] for line in card if line[0] in "💬↩"] == [
        "💬 Sarah Jones: 📷 photo My letter from the court", "↩️ James: Tomorrow at 10 &lt;am&gt;.",
        "💬 Sarah Jones: When will you call me?"]
    assert "💬 Write to the client" in tg.labels(JAMES)
    mark = tg.now()
    await tg.press(JAMES, "💬 Write to the client")  # from the card: to the person who left the lead
    await tg.send(JAMES, "See you tomorrow.")
    assert tg.texts(SARAH, mark) == [
        "💬 <b>James</b> answered:\n\nSee you tomorrow.\n\n<i>To reply, just write here.</i>"]


async def test_only_who_may_work_the_lead_answers_and_a_lead_nobody_works_goes_to_the_admins(tg, uow, factory):
    source = await _firm(tg, uow, JAMES, ANNA)
    await _request(tg, SARAH, source, "Sarah Jones", "+7 900 111-22-33")
    async with factory() as s:
        lead = await s.scalar(select(m.Lead))
        james = await s.scalar(select(m.User).where(m.User.tg_id == JAMES.id))
    assert lead.responsible_id == james.id  # the fewest open leads, the first to join
    await tg.send(SARAH, "Hello?")
    _, data = tg.button(JAMES, "↩️ Answer")
    mark = tg.now()
    await tg.press(ANNA, data=data, on=next(reversed(tg.session.shown[JAMES.id].values())))  # forged: not her lead
    assert tg.alerts(ANNA, mark) == ["You may not do this."]
    assert tg.texts(ANNA, mark) == [] and len(await _notes(factory)) == 1  # nothing asked, nothing written

    async with factory() as s:  # James left: his leads' clients now reach the admins
        await s.execute(update(m.User).where(m.User.id == james.id).values(blocked=True))
        await s.commit()
    mark = tg.now()
    await tg.send(SARAH, "Is anybody there?")
    assert tg.texts(SARAH, mark) == ["✅ Passed on to our team. The answer will come here."]
    assert tg.texts(ADMIN, mark) == ["💬 <b>Лид №1</b> · пишет Sarah Jones:\n\nIs anybody there?"]
    assert tg.calls_to(JAMES, mark) == []
    await tg.press(ADMIN, "↩️ Ответить")
    assert tg.texts(ADMIN)[-1] == "Ответ по лиду №1 · Sarah Jones: напишите его или пришлите фото либо файл."
    mark = tg.now()
    await tg.send(ADMIN, "Мы перезвоним.")
    assert tg.texts(SARAH, mark) == ["💬 <b>Админ</b> answered:\n\nМы перезвоним.\n\n<i>To reply, just write here.</i>"]


async def test_a_client_with_no_open_request_is_told_how_to_leave_one(tg, uow, factory):
    source = await _firm(tg, uow, JAMES)
    await tg.start(OLGA, f"src_{source.code}")
    await tg.send(OLGA, "/cancel")  # the form left halfway
    mark = tg.now()
    await tg.send(OLGA, "Когда вы мне позвоните?")
    assert tg.texts(OLGA, mark) == ["У вас нет открытой заявки, поэтому передать это сообщение некому. "
                                    "Оставьте заявку — мы свяжемся с вами."]
    assert tg.labels(OLGA) == ["✍️ Оставить заявку", "🏠 Меню"]
    assert await _notes(factory) == [] and tg.calls_to(JAMES, mark) == []
    mark = tg.now()
    await tg.send(OLGA, "/help")
    assert ("💬 Есть вопрос по заявке? Просто напишите его здесь: сообщение получит тот, кто ведёт вашу заявку, "
            "а ответ придёт сюда.") in tg.texts(OLGA, mark)[0]
    await tg.press(OLGA, "✍️ Оставить заявку")
    assert tg.texts(OLGA)[-2:] == ["Оставьте заявку — мы свяжемся с вами.", "Как вас зовут?"]
    await tg.send(OLGA, "Ольга Петрова")
    await tg.send(OLGA, "+7 900 222-33-44")
    mark = tg.now()
    await tg.send(OLGA, "Когда вы мне позвоните?")
    assert tg.texts(OLGA, mark) == ["✅ Передали: James ведёт вашу заявку. Ответ придёт сюда."]

    mark = tg.now()  # staff's stray words are still « I don't understand »
    await tg.send(JAMES, "hello")
    assert tg.texts(JAMES, mark)[0].startswith("I don't understand this message.")


async def test_a_client_is_told_of_the_meeting_booked_with_her_in_her_language_and_time(tg, uow, factory, settings):
    """Walkthrough: a meeting booked on her lead is no longer news only to the firm. The client hears when (in her
    timezone) and who booked it; a client who left the bot hears nothing."""
    from datetime import UTC, datetime, timedelta

    from core.domain.leads.lifecycle import LeadStatus
    from core.services.leads import lifecycle as leads

    source = await _firm(tg, uow, JAMES)
    await _request(tg, SARAH, source, "Sarah Jones", "+7 900 111-22-33")
    await _request(tg, OLGA, source, "Ольга", "+7 900 111-44-55")
    async with factory() as s:
        james = await s.scalar(select(m.User).where(m.User.tg_id == JAMES.id))
        sarah_lead, olga_lead = (await s.scalars(select(m.Lead).order_by(m.Lead.id))).all()
        await s.execute(update(m.User).where(m.User.tg_id == SARAH.id).values(timezone="Europe/London"))
        await s.commit()
    day = (uow().clock.now() + timedelta(days=2)).date()
    at = datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC)

    mark = tg.now()
    await leads.set_status(uow(), james.id, sarah_lead.id, LeadStatus.MEETING, settings.core(), meeting_at=at)
    await leads.set_status(uow(), james.id, olga_lead.id, LeadStatus.MEETING, settings.core(), meeting_at=at)
    await tg.app.worker.drain()
    london = at.astimezone(ZoneInfo("Europe/London"))
    assert tg.texts(SARAH, mark) == [
        f"📅 Your meeting is booked for <b>{london:%d.%m.%Y %H:%M}</b>. Your contact: James.\n\n"
        "<i>To reply, just write here.</i>"]
    moscow = at.astimezone(ZoneInfo("Europe/Moscow"))
    assert tg.texts(OLGA, mark) == [
        f"📅 Встреча назначена на <b>{moscow:%d.%m.%Y %H:%M}</b>. Ваш менеджер: James.\n\n"
        "<i>Чтобы ответить, просто напишите сюда.</i>"]

    async with factory() as s:  # a client who is gone from the bot is not written to
        await s.execute(update(m.User).where(m.User.tg_id == SARAH.id).values(blocked=True))
        await s.commit()
    mark = tg.now()
    await leads.set_status(uow(), james.id, sarah_lead.id, LeadStatus.CALLING, settings.core())
    await leads.set_status(uow(), james.id, sarah_lead.id, LeadStatus.MEETING, settings.core(),
                           meeting_at=at + timedelta(days=1))
    await tg.app.worker.drain()
    assert tg.calls_to(SARAH, mark) == []
