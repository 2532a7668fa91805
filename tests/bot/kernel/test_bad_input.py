"""Bad input: a clear answer in the user's language, the form where it was, nothing written twice."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.keyboards.callbacks import ModAction, ModCb
from core.db.kernel import models as m
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed, submit_application

CLIENT = Person(4001, "Иван")
ENGLISH = Person(4002, "John", language_code="en")


async def count(factory, model) -> int:
    async with factory() as s:
        return await s.scalar(select(func.count()).select_from(model))


async def state_of(tg, who) -> str | None:
    from aiogram.fsm.storage.base import StorageKey

    key = StorageKey(bot_id=42, chat_id=who.id, user_id=who.id)
    return await tg.app.dp.storage.get_state(key)


async def test_every_bad_answer_is_explained_and_the_form_stays(tg, uow, factory):
    await seed(tg, uow)
    await tg.start(CLIENT)
    await tg.press(CLIENT, "Новая заявка")
    await tg.send(CLIENT, "текст вместо кнопки")
    assert tg.texts(CLIENT)[-1] == "Выберите вариант кнопкой под сообщением."
    await tg.press(CLIENT, "Спецтехника")
    await tg.send(CLIENT, "x" * 2001)
    assert tg.texts(CLIENT)[-1] == "Слишком длинный текст: 2001 символов, можно не больше 2000."
    await tg.send(CLIENT, "Трактор")
    for bad, answer in (("полтора миллиона", "Введите сумму цифрами, например 1 500 000 или 1500000,50."),
                        ("5", "Сумма должна быть от 10\u00a0000 до 10\u00a0000\u00a0000\u00a0000."),
                        ("/menu", "Вы заполняете форму. Ответьте на вопрос выше или выйдите: /cancel")):
        await tg.send(CLIENT, bad)
        assert tg.texts(CLIENT)[-1] == answer
        assert await state_of(tg, CLIENT) == "AppForm:amount"
    await tg.send(CLIENT, "1 500 000")
    await tg.send(CLIENT, "сто")
    assert tg.texts(CLIENT)[-1] == "Введите целое число."
    await tg.send(CLIENT, "0")
    assert tg.texts(CLIENT)[-1] == "Введите число от 1 до 120."
    await tg.send(CLIENT, "24")
    await tg.press(CLIENT, "Назад")  # back to the term, then forward again
    assert await state_of(tg, CLIENT) == "AppForm:term"
    await tg.send(CLIENT, "36")
    await tg.press(CLIENT, "Москва")
    await tg.send(CLIENT, "Пётр")
    await tg.send(CLIENT, "12345")
    assert tg.texts(CLIENT)[-1] == "Не похоже на номер телефона. Пример: +7 912 345-67-89."
    await tg.send(CLIENT, "8 900 765 43 21")
    await tg.document(CLIENT, "big.pdf", size=21 * 1024 * 1024)
    assert tg.texts(CLIENT)[-1] == "Файл больше 20 МБ — пришлите файл поменьше."
    await tg.document(CLIENT, "setup.exe", mime="application/x-msdownload")
    assert tg.texts(CLIENT)[-1].startswith("Подходят только документы")
    # the type is checked by content: the name and the mime type the client app sends are only guesses
    files_read = len([c for c in tg.session.calls if c.__api_method__ == "getFile"])
    await tg.document(CLIENT, "договор.pdf", content=b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100)
    assert tg.texts(CLIENT)[-1] == "Это программа, а не документ: такие файлы не принимаются."
    await tg.document(CLIENT, "run.pdf", content=b"#!/bin/sh\nrm -rf ~\n")
    assert tg.texts(CLIENT)[-1] == "Это программа, а не документ: такие файлы не принимаются."
    await tg.document(CLIENT, "отчёт.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      content=b"%PDF-1.4\n")
    assert tg.texts(CLIENT)[-1] == "Содержимое файла не похоже на .xlsx — проверьте файл и пришлите его снова."
    # only the three files that passed name, type and size were read, and only their start
    assert len([c for c in tg.session.calls if c.__api_method__ == "getFile"]) == files_read + 3
    await tg.send(CLIENT, "просто текст")
    assert tg.texts(CLIENT)[-1].startswith("Подходят только документы")
    await tg.press(CLIENT, "Готово")
    assert "Срок: 36 мес." in tg.texts(CLIENT)[-1] and "Файлов: 0" in tg.texts(CLIENT)[-1]
    # change one field from the summary, then send twice: one application
    await tg.press(CLIENT, "Изменить")
    await tg.press(CLIENT, "Стоимость")
    await tg.send(CLIENT, "2 000 000")
    assert "Стоимость: 2\u00a0000\u00a0000 ₽" in tg.texts(CLIENT)[-1]
    shown, send = tg.button(CLIENT, "Отправить")
    await tg.press(CLIENT, data=send, on=shown)
    mark = tg.now()
    await tg.press(CLIENT, data=send, on=shown)
    assert tg.alerts(CLIENT, mark) == ["Кнопка устарела. Откройте меню заново: /menu"]
    assert await count(factory, m.Application) == 1


async def test_cancel_leaves_any_step_and_writes_nothing(tg, uow, factory):
    await seed(tg, uow)
    await tg.start(CLIENT)
    await tg.press(CLIENT, "Новая заявка")
    await tg.press(CLIENT, "Спецтехника")
    await tg.send(CLIENT, "/cancel")
    assert "Действие отменено." in tg.texts(CLIENT)
    assert await state_of(tg, CLIENT) is None
    await tg.press(CLIENT, "Новая заявка")
    await tg.press(CLIENT, "Отмена")
    assert await state_of(tg, CLIENT) is None
    assert await count(factory, m.Application) == 0


async def test_forged_and_foreign_buttons_change_nothing(tg, uow, factory):
    await seed(tg, uow)
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    # the client forges the admin's approve button; a garbage payload; an unknown application
    for data in (ModCb(action=ModAction.APPROVE, app_id=1).pack(), "mod:99:1", "totally-forged",
                 ModCb(action=ModAction.APPROVE, app_id=999).pack()):
        mark = tg.now()
        await tg.press(CLIENT, data=data)
        assert tg.alerts(CLIENT, mark) and tg.calls_to(ADMIN, mark) == []
    alerts = tg.alerts(CLIENT)
    assert "У вас нет доступа к этому действию." in alerts
    assert "Кнопка устарела. Откройте меню заново: /menu" in alerts
    assert "Не найдено: возможно, запись удалена." in alerts
    async with factory() as s:
        assert (await s.get(m.Application, 1)).status == "moderation"


async def test_a_redelivered_update_is_applied_once(tg, uow, factory):
    await seed(tg, uow)
    await tg.start(CLIENT)
    mark = tg.now()
    await tg.send_update(500, CLIENT, "/menu")
    await tg.send_update(500, CLIENT, "/menu")
    assert tg.methods(CLIENT, mark) == ["sendMessage"]


async def test_english_speakers_get_english(tg, uow):
    await seed(tg, uow)
    await tg.start(ENGLISH)
    assert tg.texts(ENGLISH)[0].startswith("<b>Consent to the processing of personal data</b>")
    assert tg.texts(ENGLISH)[1].startswith("Hello, John!")
    commands = [c for c in tg.session.calls if c.__api_method__ == "setMyCommands" and c.scope.chat_id == ENGLISH.id]
    assert [c.description for c in commands[0].commands][:2] == ["Main menu", "New application"]
    await tg.press(ENGLISH, "New application")
    await tg.press(ENGLISH, "Спецтехника")
    await tg.send(ENGLISH, "Tractor")
    await tg.send(ENGLISH, "lots")
    assert tg.texts(ENGLISH)[-1] == "Type the amount in figures, e.g. 12,500 or 12,500.50."


async def test_the_command_menu_follows_the_role(tg, uow):
    manager = Person(2001, "Анна")
    await seed(tg, uow, managers=[manager])
    await tg.start(manager)
    sets = [c for c in tg.session.calls if c.__api_method__ == "setMyCommands" and c.scope.chat_id == manager.id]
    assert [c.command for c in sets[-1].commands] == [
        "menu", "crm", "incoming", "offers", "deals", "profile", "leads", "lead", "tasks", "report", "campaigns",
        "lang", "calc", "mydata", "help", "cancel"]
    admin_sets = [c for c in tg.session.calls if c.__api_method__ == "setMyCommands" and c.scope.chat_id == ADMIN.id]
    assert "moderation" in [c.command for c in admin_sets[-1].commands]


async def test_html_in_names_and_texts_is_shown_as_text(tg, uow):
    await seed(tg, uow)
    hacker = Person(4666, "<b>Хакер</b> & Co")
    await tg.start(hacker)
    assert tg.texts(hacker)[1].startswith("Здравствуйте, &lt;b&gt;Хакер&lt;/b&gt; &amp; Co!")
    await submit_application(tg, hacker)
    await tg.press(ADMIN, "Отклонить")
    await tg.send(ADMIN, "<i>нет</i>")
    assert tg.texts(hacker)[-1] == "Заявка №1 отклонена. Причина: &lt;i&gt;нет&lt;/i&gt;"
