"""Personal data in the chat: consent before anything else (the link a person came by is followed after it),
«Мои данные» with the export file and erasure, an admin's /userdata on request, forged presses refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.keyboards.callbacks import PrivacyAction, PrivacyCb
from core.db.kernel import models as m
from core.domain.kernel.privacy import CONSENT_VERSION
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed, submit_application

NEWCOMER = Person(4101, "Вера")
OTHER = Person(4102, "Глеб")
OLGA = Person(2001, "Ольга")
CONSENT = "<b>Согласие на обработку персональных данных</b> (редакция 2026-11-28)"


async def user_row(factory, tg_id: int) -> m.User | None:
    async with factory() as s:
        return await s.scalar(select(m.User).where(m.User.tg_id == tg_id))


async def test_nothing_works_before_consent_and_the_link_is_followed_after(tg, uow, factory):
    admin = await seed(tg, uow)
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await tg.send(NEWCOMER, f"/start src_{source.code}")
    assert tg.texts(NEWCOMER)[-1].startswith(CONSENT)
    await tg.send(NEWCOMER, "Хочу оставить заявку")  # anything else gets the text again
    assert tg.texts(NEWCOMER)[-1].startswith(CONSENT) and len(tg.texts(NEWCOMER)) == 2
    mark = tg.now()
    await tg.press(NEWCOMER, data="m:1", on=None)  # an old menu button: not before consent
    assert tg.alerts(NEWCOMER, mark) == ["Сначала примите согласие на обработку данных — сообщение выше."]
    await tg.press(NEWCOMER, "Не согласен")
    assert tg.alerts(NEWCOMER)[-1].startswith("Без согласия бот не может принимать заявки")
    assert (await user_row(factory, NEWCOMER.id)).consent_version is None
    await tg.press(NEWCOMER, "Согласен")
    me = await user_row(factory, NEWCOMER.id)
    assert me.consent_version == CONSENT_VERSION and me.consent_at is not None
    assert tg.alerts(NEWCOMER)[-1] == "Спасибо, согласие записано (редакция 2026-11-28)."
    # the source link's form, kept through the consent
    assert tg.texts(NEWCOMER)[-2:] == ["Оставьте заявку — мы свяжемся с вами.", "Как вас зовут?"]


async def test_my_data_exports_and_erases(tg, uow, factory):
    await seed(tg, uow)
    await tg.start(NEWCOMER)
    await submit_application(tg, NEWCOMER, files=1)
    await tg.press(NEWCOMER, "Мои данные")
    summary = tg.texts(NEWCOMER)[-1]
    assert summary.startswith("<b>Мои данные</b>\nИмя: Вера\nРоль: Клиент\nСогласие: редакция 2026-11-28 от ")
    assert summary.endswith("Заявок: 1 · сообщений в сделках: 0 · лидов: 0")
    await tg.press(NEWCOMER, "Выгрузить всё")
    sent = tg.calls_to(NEWCOMER)[-1]
    assert sent.__api_method__ == "sendDocument" and sent.document.filename.startswith("dealgram-data-")
    data = json.loads(sent.document.data)
    assert data["profile"]["name"] == "Вера" and data["applications"][0]["client_name"] == "Пётр"
    assert data["applications"][0]["files"] == ["doc0.pdf"]

    await tg.press(NEWCOMER, "Удалить мои данные")
    assert tg.texts(NEWCOMER)[-1].startswith("Удалить данные «Вера»?")
    await tg.press(NEWCOMER, "Да, удалить")
    assert tg.texts(NEWCOMER)[-1] == ("Ваши данные удалены. Если напишете боту снова, он встретит вас как нового "
                                      "человека.")
    assert await user_row(factory, NEWCOMER.id) is None  # the Telegram id is gone
    async with factory() as s:
        app = await s.scalar(select(m.Application))
        assert (app.client_name, app.client_phone, app.amount) == ("—", "", app.amount)
    # writing again: a new person, asked for consent again
    await tg.send(NEWCOMER, "/start")
    assert tg.texts(NEWCOMER)[-1].startswith(CONSENT)


async def test_an_admin_on_request_and_nobody_else(tg, uow, factory):
    await seed(tg, uow)
    await tg.start(NEWCOMER)
    await tg.start(OTHER)
    mark = tg.now()
    forged = PrivacyCb(action=PrivacyAction.EXPORT, subject_id=(await user_row(factory, NEWCOMER.id)).id).pack()
    await tg.press(OTHER, data=forged, on=None)  # someone else's data by a hand-made button
    assert tg.alerts(OTHER, mark) == ["У вас нет доступа к этому действию."]
    assert all(c.__api_method__ != "sendDocument" for c in tg.calls_to(OTHER))
    await tg.send(OTHER, f"/userdata {NEWCOMER.id}")
    assert tg.texts(OTHER)[-1] == "Не понимаю это сообщение. Откройте меню: /menu"

    await tg.send(ADMIN, f"/userdata {NEWCOMER.id}")
    assert tg.texts(ADMIN)[-1].startswith("<b>Мои данные</b>\nИмя: Вера")
    await tg.press(ADMIN, "Удалить мои данные")
    shown, yes = tg.button(ADMIN, "Да, удалить")
    await tg.press(ADMIN, data=yes, on=shown)
    assert tg.texts(ADMIN)[-1].startswith("Данные пользователя #") and tg.texts(ADMIN)[-1].endswith("обезличены.")
    assert await user_row(factory, NEWCOMER.id) is None
    mark = tg.now()
    await tg.press(ADMIN, data=yes, on=shown)  # the same button again (a double press): nothing more
    assert tg.alerts(ADMIN, mark) == ["Данные этого пользователя уже удалены."]


async def test_an_admin_erases_a_contact_known_only_by_phone(tg, uow, factory, cfg):
    """A person who never wrote to the bot (a lead from a call) asks to be forgotten: the admin finds the card by
    phone or from the card itself; managers get neither the button nor the data by a hand-made one."""
    admin = await seed(tg, uow, managers=[OLGA])
    source = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    manager = await users.find(uow(), str(OLGA.id))
    lead = await leads.create(uow(), manager.id, LeadInput("+7 900 555-01-01", "Пётр Сидоров", source.id,
                                                           city="Казань"), cfg)
    await tg.send(OLGA, "/leads")
    await tg.press(OLGA, "№1 · Пётр Сидоров")
    await tg.press(OLGA, "Карточка контакта")
    with pytest.raises(AssertionError, match="has no button «Персональные данные»"):
        tg.button(OLGA, "Персональные данные")
    mark = tg.now()
    forged = PrivacyCb(action=PrivacyAction.CONTACT_EXPORT, subject_id=lead.contact_id).pack()
    await tg.press(OLGA, data=forged, on=None)
    assert tg.alerts(OLGA, mark) == ["У вас нет доступа к этому действию."]
    assert all(c.__api_method__ != "sendDocument" for c in tg.calls_to(OLGA))

    await tg.send(ADMIN, "/userdata 8 900 555 01 01")
    assert tg.texts(ADMIN)[-1].splitlines() == [
        "<b>Данные контакта</b> (без аккаунта в боте)", "Имя: Пётр Сидоров", "Телефоны: +7 900 555-01-01",
        "Лидов: 1 · заметок: 0 · сделок: 0 · заявок с этим телефоном: 0"]
    await tg.press(ADMIN, "Выгрузить всё")
    sent = tg.calls_to(ADMIN)[-1]
    assert (sent.__api_method__, sent.document.filename) == ("sendDocument", f"dealgram-contact-{lead.contact_id}.json")
    data = json.loads(sent.document.data)
    assert (data["contact"]["phones"], data["leads"][0]["city"]) == (["+79005550101"], "Казань")

    await tg.send(ADMIN, "/find Сидоров")
    await tg.press(ADMIN, "№1 · Пётр Сидоров")
    await tg.press(ADMIN, "Карточка контакта")
    await tg.press(ADMIN, "Персональные данные")  # the same screen, from the card
    assert tg.texts(ADMIN)[-1].startswith("<b>Данные контакта</b>")
    await tg.press(ADMIN, "Удалить данные контакта")
    assert tg.texts(ADMIN)[-1].startswith("Удалить данные контакта «Пётр Сидоров»?")
    shown, yes = tg.button(ADMIN, "Да, удалить")
    await tg.press(ADMIN, data=yes, on=shown)
    assert tg.texts(ADMIN)[-1] == f"Контакт #{lead.contact_id} обезличен."
    async with factory() as s:
        card = await s.get(m.Contact, lead.contact_id)
        kept = await s.get(m.Lead, lead.id)
    assert (card.name, card.phones, kept.city, kept.status) == ("—", [], None, lead.status)
    mark = tg.now()
    await tg.press(ADMIN, data=yes, on=shown)  # a double press: nothing more
    assert tg.alerts(ADMIN, mark) == ["Данные этого контакта уже удалены."]
    await tg.send(ADMIN, "/userdata +79005550101")
    assert tg.texts(ADMIN)[-1] == "Пользователь не найден: он должен хотя бы раз запустить бота."


async def test_a_person_opening_a_staff_invite_reads_the_staffs_consent_in_the_language_they_pick(tg, uow, settings):
    """Walkthrough: a manager invited by the admin was asked to consent to what a client's request keeps. An invite's
    consent says what is kept of a member of staff: their work in the bot, seen by the admins and the colleagues the
    access rules allow; picking English on it keeps the invite's wording."""
    from core.domain.kernel.roles import Role

    admin = await seed(tg, uow)
    invite = await users.create_invite(uow(), admin.id, Role.MANAGER, None, settings.core())
    staff = Person(4103, "Марина")
    await tg.send(staff, f"/start inv_{invite.token}")
    assert tg.texts(staff)[-1] == (
        f"{CONSENT}\n\nDealgram хранит ваше имя и имя пользователя в Telegram, телефон, если вы им поделитесь, и "
        "вашу работу в боте: заявки, лиды и сделки, задачи, сообщения и файлы. Они нужны, чтобы вести работу "
        "команды; их видят администраторы и коллеги, которым это открывают правила доступа.\n\n"
        "В любой момент: «Мои данные» (/mydata) — выгрузить всё, что о вас хранится, или удалить данные. Удаление "
        "обезличивает вас: суммы и статусы сделок остаются для учёта, ваши имя, телефон, файлы и тексты — нет.\n\n"
        "Нажимая «Согласен», вы даёте согласие на такую обработку.")
    mark = tg.now()
    await tg.press(staff, "English")
    [shown] = [c for c in tg.session.calls[mark:] if c.__api_method__ == "editMessageText"]
    assert "Dealgram keeps your Telegram name and username, your phone if you share it, and your work in the bot" in (
        shown.text)
    await tg.press(staff, "I agree")
    assert (await users.find(uow(), str(staff.id))).role == Role.MANAGER  # the invite, followed after the consent
