"""Seed 000 end to end through the real Dispatcher: six people, every Bot API call recorded.

Asserts what each person is sent and, as much, what they are not: client contacts, foreign offers, forwards."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.keyboards.callbacks import DealAction, DealCb
from core.db.kernel import models as m
from core.domain.kernel.roles import Role
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person

CLIENT = Person(4001, "Иван")
A1, A2, B1 = Person(2001, "Анна"), Person(2002, "Антон"), Person(2003, "Борис")
AGENT = Person(3001, "Смит")
PHONE = "+7 900 123-45-67"  # as shown (stored +79001234567)


def rub(amount: str) -> str:
    """Money as Babel writes it for Russian: groups split by no-break spaces."""
    return amount.replace(" ", "\u00a0") + " ₽"


async def link_from(tg, who: Person) -> str:
    text = tg.texts(who)[-1]
    return re.search(r"start=(\S+)", text).group(1)


async def setup_people(tg, uow, cfg):
    """Directories through the services; every person through the bot (invites and the referral link)."""
    await tg.start(ADMIN)
    admin = await users.find(uow(), str(ADMIN.id))
    assert admin.role == Role.ADMIN
    for name in ("Альфа-Лизинг", "Бета-Лизинг"):
        await directories.add(uow(), admin.id, Directory.COMPANIES, name)
    await directories.add(uow(), admin.id, Directory.CATEGORIES, "Спецтехника")
    await directories.add(uow(), admin.id, Directory.REGIONS, "Москва")

    for person, company in ((A1, "Альфа-Лизинг"), (A2, "Альфа-Лизинг"), (B1, "Бета-Лизинг")):
        await tg.press(ADMIN, "Настройки")
        await tg.press(ADMIN, "Пригласить")
        await tg.press(ADMIN, "Менеджер")
        await tg.press(ADMIN, company)
        await tg.start(person, await link_from(tg, ADMIN))
        assert f"теперь вы — Менеджер (компания: {company})" in tg.everything(person)
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Пригласить")
    await tg.press(ADMIN, "Агент")
    await tg.start(AGENT, await link_from(tg, ADMIN))
    await tg.press(AGENT, "Реферальная ссылка")
    await tg.start(CLIENT, await link_from(tg, AGENT))
    assert "Вы пришли по приглашению: Смит." in tg.everything(CLIENT)
    assert "По вашей ссылке пришёл клиент: Иван." in tg.everything(AGENT)


async def fill_application(tg):
    await tg.press(CLIENT, "Новая заявка")
    await tg.press(CLIENT, "Спецтехника")
    await tg.send(CLIENT, "Экскаватор JCB 3CX, 2022")
    await tg.send(CLIENT, "5 000 000")
    await tg.send(CLIENT, "36")
    await tg.press(CLIENT, "Москва")
    await tg.send(CLIENT, "ООО Ромашка")
    await tg.contact(CLIENT, "+7 900 123-45-67")
    await tg.document(CLIENT, "Техзадание.pdf")
    await tg.press(CLIENT, "Готово")
    summary = tg.texts(CLIENT)[-1]
    assert "Проверьте заявку" in summary and rub("5 000 000") in summary and PHONE in summary
    assert "Файлов: 1" in summary
    await tg.press(CLIENT, "Отправить")
    assert "Заявка №1 отправлена на модерацию" in tg.texts(CLIENT)[-1]


async def make_offer(tg, who: Person, monthly: str) -> None:
    await tg.press(who, "Сделать предложение")
    await tg.send(who, monthly)
    await tg.press(who, "Как в заявке")
    await tg.send(who, "500 000")
    await tg.send(who, "1000")
    await tg.send(who, "Выкуп по остаточной стоимости")
    await tg.press(who, "Пропустить")
    await tg.press(who, "Отправить")


async def test_six_people_from_application_to_issued(tg, uow, cfg, factory):
    await setup_people(tg, uow, cfg)

    start = tg.now()
    await fill_application(tg)
    # the admin gets the file (by file_id, not a URL) and the card with the moderation buttons
    admin_calls = tg.calls_to(ADMIN, start)
    assert [c.__api_method__ for c in admin_calls] == ["sendDocument", "sendMessage"]
    assert admin_calls[0].document.startswith("DOC-")
    assert "Новая заявка №1 на модерацию" in admin_calls[1].text and PHONE in admin_calls[1].text
    for who in (A1, A2, B1):
        assert tg.calls_to(who, start) == []  # nothing reaches managers before moderation

    mark = tg.now()
    card, approve = tg.button(ADMIN, "Одобрить")
    await tg.press(ADMIN, "Одобрить")
    assert "Одобрено, разослано менеджерам: 3" in tg.alerts(ADMIN, mark)
    for who in (A1, A2, B1):
        texts = tg.texts(who, mark)
        assert len(texts) == 1 and "Новая заявка №1" in texts[0]
        assert PHONE not in texts[0] and "Ромашка" not in texts[0]
        assert tg.methods(who, mark) == ["sendMessage"]  # no files before being chosen
    assert "Заявка №1 одобрена и отправлена лизинговым компаниям (менеджеров: 3)" in tg.everything(CLIENT, mark)

    # a second press of the same button (a double press, or another admin's copy) is told who decided and when
    mark = tg.now()
    await tg.press(ADMIN, data=approve, on=card)
    assert any(a.startswith("Решение уже принято: Админ") for a in tg.alerts(ADMIN, mark))

    # Анна starts an offer: her colleague sees who holds the slot instead of a form
    await tg.press(A1, "Сделать предложение")
    mark = tg.now()
    await tg.press(A2, "Сделать предложение")
    assert any("готовит Анна" in a for a in tg.alerts(A2, mark))
    await tg.send(A1, "150 000")
    await tg.press(A1, "Как в заявке")
    await tg.send(A1, "abc")  # bad input: a clear answer, the form stays
    assert "Введите сумму цифрами" in tg.texts(A1)[-1]
    await tg.send(A1, "500 000")
    await tg.send(A1, "1000")
    await tg.send(A1, "Выкуп по остаточной стоимости")
    await tg.press(A1, "Пропустить")
    mark = tg.now()
    await tg.press(A1, "Отправить")
    assert "Новое предложение по заявке №1" in tg.everything(CLIENT, mark)

    mark = tg.now()
    await tg.press(A2, "Сделать предложение")
    assert "Ваша компания уже сделала предложение по этой заявке (менеджер: Анна)." in tg.alerts(A2, mark)
    await make_offer(tg, B1, "160 000")

    # the client compares side by side and chooses Альфа
    mark = tg.now()
    await tg.press(CLIENT, "Сравнить предложения")
    table = tg.texts(CLIENT, mark)[-1]
    assert "Альфа-Лизинг" in table and "Бета-Лизинг" in table
    assert f"Итого стоимость: {rub('5 901 000')}" in table  # 500 000 + 36 × 150 000 + 1000
    assert "Удорожание: 6,01% в год" in table  # 901 000 over 5 000 000 in 3 years
    await tg.press(CLIENT, "1. Альфа-Лизинг")
    assert "✅ 1. Альфа-Лизинг" in str(tg.button(CLIENT, "Альфа-Лизинг")[0].markup)
    mark = tg.now()
    await tg.press(CLIENT, "Одобрить сделку")
    assert "Сделка по заявке №1 открыта" in tg.everything(CLIENT, mark)
    chosen = tg.everything(A1, mark)
    assert "Клиент выбрал ваше предложение по заявке №1" in chosen and PHONE in chosen and "ООО Ромашка" in chosen
    assert tg.methods(A1, mark)[0] == "sendDocument"  # the application's file, now that contacts are open
    assert "Клиент выбрал другой вариант" in tg.everything(B1, mark) and PHONE not in tg.everything(B1)
    assert tg.calls_to(A2, mark) == []
    assert "«Сбор предложений» → «Сбор документов»" in tg.everything(AGENT, mark)

    # the deal room: the client writes and sends a document; the chosen manager and the agent get copies
    await tg.press(CLIENT, "Открыть сделку")
    await tg.press(CLIENT, "Написать в сделку")
    mark = tg.now()
    text_id = await tg.send(CLIENT, "Добрый день! Паспорт <b>ниже</b>")
    doc_id = await tg.document(CLIENT, "Паспорт.pdf", caption="скан")
    for who in (A1, AGENT):
        calls = tg.calls_to(who, mark)
        assert [c.__api_method__ for c in calls] == ["sendMessage", "copyMessage"]
        assert calls[0].text == "💬 Сделка №1 · Клиент:\n\nДобрый день! Паспорт &lt;b&gt;ниже&lt;/b&gt;"
        assert (calls[1].from_chat_id, calls[1].message_id) == (CLIENT.id, doc_id)
        assert calls[1].caption.startswith("💬 Сделка №1 · Клиент:")
    for who in (A2, B1):
        assert tg.calls_to(who, mark) == []

    # the manager replies to the relayed document: it goes to the same deal
    relayed_doc = tg.calls_to(A1, mark)[1]
    copy_id = max(tg.session.shown[A1.id])
    assert relayed_doc.__api_method__ == "copyMessage"
    mark = tg.now()
    await tg.reply(A1, copy_id, "Спасибо, получил")
    assert tg.texts(CLIENT, mark) == ["💬 Сделка №1 · Менеджер:\n\nСпасибо, получил"]

    # an edit is relayed as a note; both versions are kept
    mark = tg.now()
    await tg.edit(CLIENT, text_id, "Добрый день! Паспорт выше")
    assert "исправил(а) сообщение:\nДобрый день! Паспорт выше" in tg.texts(A1, mark)[0]
    async with factory() as s:
        edits = (await s.scalars(select(m.DealMessageEdit))).all()
        assert [(e.old_text, e.new_text) for e in edits] == [("Добрый день! Паспорт <b>ниже</b>",
                                                              "Добрый день! Паспорт выше")]

    # history can be listed
    mark = tg.now()
    await tg.press(A1, "Открыть сделку")
    await tg.press(A1, "История переписки")
    history = tg.texts(A1, mark)[-1]
    assert "сообщений: 3" in history and "Паспорт.pdf" in history and "(изменено)" in history

    # «Доработка» asks a comment; then «Одобрено» and «Выдано»; everybody is told
    await tg.press(A1, "Доработка")
    mark = tg.now()
    await tg.send(A1, "Нужна выписка из банка")
    for who in (CLIENT, AGENT):
        assert "«Сбор документов» → «Доработка».\nКомментарий: Нужна выписка из банка" in tg.everything(who, mark)
    await tg.press(A1, "Открыть сделку")
    await tg.press(A1, "✅ Одобрено")
    await tg.press(A1, "Открыть сделку")
    mark = tg.now()
    await tg.press(A1, "Выдано")
    for who in (CLIENT, AGENT):
        assert "«Одобрено» → «Выдано»" in tg.everything(who, mark)

    async with factory() as s:
        app = await s.get(m.Application, 1)
        assert app.status == "issued"
        trail = (await s.scalars(select(m.AuditLog.to_status).where(m.AuditLog.entity == "application")
                                 .order_by(m.AuditLog.id))).all()
        assert trail == ["moderation", "dispatched", "documents", "rework", "approved", "issued"]

    # never a forward, never a file URL, never the token; files are read only to check what users sent
    assert not any(c.__api_method__ in ("forwardMessage", "forwardMessages") for c in tg.session.calls)
    assert all(c.file_id.startswith("DOC-") for c in tg.session.calls if c.__api_method__ == "getFile")
    assert not any("TEST-TOKEN" in repr(c) or "/file/bot" in repr(c) for c in tg.session.calls)
    # the managers who were not chosen never saw the client's phone nor another company's offer
    for who in (A2, B1):
        assert PHONE not in tg.everything(who)
    assert "Бета-Лизинг" not in tg.everything(A1) and "Альфа-Лизинг" not in tg.everything(B1).replace(
        "Бета-Лизинг", "")


SECRET_CLIENT = Person(987_654_321, "Ирина Скрытова", username="irina_skrytova")


async def test_before_the_deal_a_manager_never_learns_who_the_client_is(tg, uow, cfg):
    """The client applies herself: every manager sent her application sees the object and the terms, never who
    she is (name, username, Telegram id, phone, company, file names); only the chosen one learns it, at the deal."""
    await setup_people(tg, uow, cfg)
    client = SECRET_CLIENT
    await tg.start(client)
    start = tg.now()
    await tg.press(client, "Новая заявка")
    await tg.press(client, "Спецтехника")
    await tg.send(client, "Экскаватор JCB 3CX, 2022")
    await tg.send(client, "5 000 000")
    await tg.send(client, "36")
    await tg.press(client, "Москва")
    await tg.send(client, "ООО Секретный Клиент")
    await tg.contact(client, "+7 900 555-77-88")
    await tg.document(client, "Паспорт Скрытовой.pdf")
    await tg.press(client, "Готово")
    await tg.press(client, "Отправить")
    await tg.press(ADMIN, "Одобрить")
    secrets = ("Ирина", "Скрытов", "irina_skrytova", str(client.id), "+79005557788", "+7 900 555-77-88", "Секретный",
               "Паспорт")
    # every manager opens the application from their list; Анна makes an offer, Борис makes one too
    for who in (A1, A2, B1):
        await tg.send(who, "/menu")
        await tg.press(who, "Входящие заявки")
        await tg.press(who, "№1")
    await make_offer(tg, A1, "150 000")
    await make_offer(tg, B1, "160 000")
    for who in (A1, A2, B1):
        seen = tg.seen_by(who, start)
        assert "Новая заявка №" in seen and "Экскаватор JCB 3CX" in seen
        assert [s for s in secrets if s in seen] == [], who.name
        assert "Отправитель: клиент (имя откроется вместе с контактами)" in seen
    # the client chooses Альфа: Анна learns who the client is, Борис and Антон never do
    mark = tg.now()
    await tg.press(client, "Сравнить предложения")
    await tg.press(client, "1. Альфа-Лизинг")
    await tg.press(client, "Одобрить сделку")
    chosen = tg.seen_by(A1, mark)
    assert "+7 900 555-77-88" in chosen and "ООО Секретный Клиент" in chosen
    for who in (A2, B1):
        assert [s for s in secrets if s in tg.seen_by(who, start)] == [], who.name
    # a forged «Открыть сделку» or «История переписки» from a manager who is not in the deal shows nothing of it
    for action in (DealAction.OPEN, DealAction.HISTORY):
        mark = tg.now()
        on = list(tg.session.shown[B1.id].values())[-1]  # the press comes from one of his messages
        await tg.press(B1, data=DealCb(action=action, app_id=1).pack(), on=on)
        assert tg.alerts(B1, mark) == ["Вы не участник этой сделки."]
        assert tg.calls_to(B1, mark) == []
