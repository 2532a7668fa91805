"""Admin screens, manager profile, clarification and rejection, lists with pages, restart, blocked users, albums."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import build, create_bot
from core.db.kernel import models as m
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Driver, Person, RecordingSession
from tests.bot.helpers import seed, submit_application

CLIENT = Person(4001, "Иван")
A1, A2 = Person(2001, "Анна"), Person(2002, "Антон")
AGENT = Person(3001, "Смит")


async def test_admin_keeps_directories_and_roles(tg, uow, factory):
    await seed(tg, uow)
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Регионы")
    await tg.press(ADMIN, "Добавить")
    await tg.send(ADMIN, "Казань")
    assert "Добавлено: Казань" in tg.texts(ADMIN)
    await tg.press(ADMIN, "Добавить")
    await tg.send(ADMIN, "казань")
    assert tg.texts(ADMIN)[-1] == "«казань» уже есть в справочнике."
    await tg.send(ADMIN, "/cancel")
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Регионы")
    await tg.press(ADMIN, "Переименовать")
    await tg.press(ADMIN, "Казань")
    await tg.send(ADMIN, "Казань и Татарстан")
    assert "Сохранено: Казань и Татарстан" in tg.texts(ADMIN)
    async with factory() as s:
        assert (await s.scalars(select(m.Region.name).order_by(m.Region.id))).all() == ["Москва", "Казань и Татарстан"]
    await tg.press(ADMIN, "✅ Москва")  # archive
    async with factory() as s:
        assert (await s.scalar(select(m.Region).where(m.Region.name == "Москва"))).archived
    # a person who started the bot is found by id and made an agent, then a client again
    await tg.start(AGENT)
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Роли")
    await tg.press(ADMIN, "Найти пользователя")
    await tg.send(ADMIN, str(AGENT.id))
    await tg.press(ADMIN, "Агент")
    assert "Смит: роль «Агент»" in tg.alerts(ADMIN)
    assert "Ваша роль: Агент. Откройте меню: /menu" in tg.texts(AGENT)
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Роли")
    await tg.press(ADMIN, "Смит · Агент")
    await tg.press(ADMIN, "Менеджер")
    await tg.press(ADMIN, "Альфа-Лизинг")
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Роли")
    await tg.press(ADMIN, "Смит · Менеджер")
    await tg.press(ADMIN, "Назначить руководителя")
    await tg.send(ADMIN, str(ADMIN.id))
    assert tg.texts(ADMIN)[-1] == "Смит: руководитель — Админ"
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Роли")
    await tg.press(ADMIN, "Смит · Менеджер")
    mark = tg.now()
    await tg.press(ADMIN, "✅ Менеджер")  # the last role taken back: a client again, said outright
    assert tg.alerts(ADMIN, mark) == ["Смит: снята роль «Менеджер», других ролей нет — теперь это клиент"]
    async with factory() as s:
        agent = await s.scalar(select(m.User).where(m.User.tg_id == AGENT.id))
        assert agent.role == "client"
    # a client cannot open admin screens even with the right callback data
    mark = tg.now()
    await tg.press(AGENT, data="m:11")
    assert tg.alerts(AGENT, mark) == ["У вас нет доступа к этому действию."]


async def test_invites_are_single_use(tg, uow):
    await seed(tg, uow)
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Пригласить")
    await tg.press(ADMIN, "Агент")
    token = tg.texts(ADMIN)[-1].rsplit("start=", 1)[1]
    await tg.start(AGENT, token)
    await tg.start(CLIENT, token)
    assert "Это приглашение уже использовано." in tg.texts(CLIENT)
    await tg.start(CLIENT, "inv_forged")
    assert "Ссылка-приглашение не найдена." in tg.texts(CLIENT)


async def test_manager_profile_drives_dispatch(tg, uow, factory):
    await seed(tg, uow, managers=[A1, A2])
    await tg.press(A2, "Маркетплейс")  # a manager's menu, by area
    await tg.press(A2, "Профиль")
    await tg.press(A2, "Диапазон суммы")
    await tg.send(A2, "много")
    assert tg.texts(A2)[-1] == "Введите диапазон в виде «от - до», как в примере выше."
    await tg.send(A2, "5 000 000 - 50 000 000")
    assert "Сумма: 5\u00a0000\u00a0000 ₽ – 50\u00a0000\u00a0000 ₽" in tg.texts(A2)[-1]
    await tg.press(A1, "Маркетплейс")  # a manager's menu, by area
    await tg.press(A1, "Профиль")
    await tg.press(A1, "Категории")
    await tg.press(A1, "Спецтехника")
    assert "✅ Спецтехника" in str(tg.button(A1, "Спецтехника")[0].markup)
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)  # 1 500 000,50: outside Антон's range
    mark = tg.now()
    await tg.press(ADMIN, "Одобрить")
    assert "Новая заявка №1" in tg.everything(A1, mark)
    assert tg.calls_to(A2, mark) == []


async def test_question_then_edit_and_resubmit_then_reject(tg, uow, factory):
    await seed(tg, uow)
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    await tg.press(ADMIN, "На уточнение")
    mark = tg.now()
    await tg.send(ADMIN, "Какой год выпуска?")
    assert "Вопрос по заявке №1 отправлен." in tg.texts(ADMIN, mark)
    assert "у администратора вопрос: Какой год выпуска?" in tg.texts(CLIENT, mark)[0]
    await tg.press(CLIENT, "Изменить заявку")
    await tg.press(CLIENT, "Изменить")
    await tg.press(CLIENT, "Описание")
    await tg.send(CLIENT, "Трактор МТЗ-82, 2020 год")
    mark = tg.now()
    await tg.press(CLIENT, "Отправить")
    assert "Новая заявка №1 на модерацию" in tg.everything(ADMIN, mark)
    assert "2020 год" in tg.everything(ADMIN, mark)
    await tg.press(ADMIN, "Отклонить")
    mark = tg.now()
    await tg.send(ADMIN, "Не лизингуемый объект")
    assert tg.texts(CLIENT, mark) == ["Заявка №1 отклонена. Причина: Не лизингуемый объект"]
    async with factory() as s:
        actions = (await s.scalars(select(m.AuditLog.action).where(m.AuditLog.entity == "application")
                                   .order_by(m.AuditLog.id))).all()
    assert actions == ["submit", "moderate", "resubmit", "moderate"]


async def test_long_lists_have_pages(tg, uow):
    await seed(tg, uow)
    await tg.start(CLIENT)
    for _ in range(8):
        await submit_application(tg, CLIENT)
    await tg.press(ADMIN, "Модерация")
    first = tg.texts(ADMIN)[-1]
    assert "На модерации (8)" in first and "№8" in first and "№2 " not in first
    await tg.press(ADMIN, "▶️")
    second = tg.session.shown[ADMIN.id][max(tg.session.shown[ADMIN.id])].text
    assert "№2 " in second and "№8" not in second


async def test_a_form_survives_a_restart(tg, uow, settings, engine, clock):
    await seed(tg, uow)
    await tg.start(CLIENT)
    await tg.press(CLIENT, "Новая заявка")
    await tg.press(CLIENT, "Спецтехника")
    await tg.send(CLIENT, "Трактор")
    # the process dies; a new one starts on the same database
    session = RecordingSession()
    again = Driver(build(settings, engine=engine, bot=create_bot(settings, session=session), clock=clock), session)
    again._update_ids = iter(range(10_000, 20_000))
    try:
        await again.send(CLIENT, "2 500 000")
        assert again.texts(CLIENT) == ["Шаг 4/8. Срок лизинга в месяцах (1–120):"]
    finally:
        await again.app.dp.storage.close()


async def test_a_blocked_manager_is_marked_and_the_dispatch_log_says_so(tg, uow, factory):
    await seed(tg, uow, managers=[A1, A2])
    tg.session.blocked.add(A2.id)
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    await tg.press(ADMIN, "Одобрить")
    async with factory() as s:
        blocked = await s.scalar(select(m.User).where(m.User.tg_id == A2.id))
        assert blocked.blocked
        rows = (await s.execute(select(m.DispatchLog.manager_id, m.Outbox.status, m.Outbox.last_error)
                                .join(m.Outbox, m.Outbox.id == m.DispatchLog.outbox_id)
                                .order_by(m.DispatchLog.id))).all()
    assert [(r.status, (r.last_error or "")[:20]) for r in rows] == [("sent", ""),
                                                                    ("failed", "Telegram server says")]
    async with factory() as s:
        app_id = await s.scalar(select(m.Application.id))
    from bot.keyboards.callbacks import AppAction, AppCb

    mark = tg.now()
    await tg.press(ADMIN, data=AppCb(action=AppAction.DISPATCH_LOG, app_id=app_id).pack())
    log = tg.texts(ADMIN, mark)[-1]
    assert "Анна (Альфа-Лизинг) — доставлено" in log and "Антон (Альфа-Лизинг) — не доставлено" in log
    mark = tg.now()
    await tg.press(ADMIN, data=AppCb(action=AppAction.AUDIT, app_id=app_id).pack())
    trail = tg.texts(ADMIN, mark)[-1].splitlines()
    assert trail[0] == "<b>История заявки №1</b>"
    assert trail[1].endswith("· Иван · отправка: — → На модерации")
    assert trail[2].endswith("· Админ · модерация: На модерации → Сбор предложений")


async def test_an_album_is_relayed_as_one_album(tg, uow, factory):
    from decimal import Decimal

    from core.services.marketplace import offers
    from core.services.marketplace.offers import OfferInput

    await seed(tg, uow, managers=[A1])
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    await tg.press(ADMIN, "Одобрить")
    async with factory() as s:
        manager = await s.scalar(select(m.User).where(m.User.tg_id == A1.id))
        client = await s.scalar(select(m.User).where(m.User.tg_id == CLIENT.id))
    cfg = tg.app.settings.core()
    offer = await offers.submit(uow(), manager.id, 1, OfferInput(Decimal(1000), 24, Decimal(0), Decimal(0)), cfg)
    await offers.approve_deal(uow(), client.id, 1, [offer.id])
    await tg.app.worker.drain()
    await tg.press(CLIENT, "Открыть сделку")
    await tg.press(CLIENT, "Написать в сделку")
    mark = tg.now()
    first = await tg.photo(CLIENT, caption="фото объекта", media_group_id="ALB1")
    second = await tg.photo(CLIENT, media_group_id="ALB1")
    assert tg.calls_to(A1, mark) == []  # the album waits a moment for its other parts
    tg.app.clock.advance(seconds=0.25)  # the album's moment has passed
    await tg.app.worker.drain()
    calls = tg.calls_to(A1, mark)
    assert [c.__api_method__ for c in calls] == ["sendMessage", "copyMessages"]
    assert calls[1].message_ids == [first, second] and calls[1].from_chat_id == CLIENT.id


async def test_a_manager_edits_then_withdraws_the_offer(tg, uow, factory):
    await seed(tg, uow, managers=[A1])
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    await tg.press(ADMIN, "Одобрить")
    await tg.press(A1, "Сделать предложение")
    await tg.send(A1, "90 000")
    await tg.press(A1, "Как в заявке")
    await tg.send(A1, "0")
    await tg.send(A1, "0")
    await tg.press(A1, "Пропустить")
    await tg.press(A1, "Пропустить")
    await tg.press(A1, "Отправить")
    mark = tg.now()
    await tg.press(A1, "Изменить предложение")
    assert "Сейчас: 90\u00a0000 ₽" in tg.texts(A1, mark)[-1]
    await tg.send(A1, "85 000")
    await tg.press(A1, "Как в заявке")
    for _ in range(2):
        await tg.send(A1, "0")
    await tg.press(A1, "Пропустить")
    await tg.press(A1, "Пропустить")
    mark = tg.now()
    await tg.press(A1, "Отправить")
    assert "Предложение по заявке №1 изменено." in tg.everything(CLIENT, mark)
    await tg.press(A1, "Маркетплейс")
    await tg.press(A1, "Мои предложения")
    await tg.press(A1, "Предложение №1")
    assert "85\u00a0000 ₽" in tg.texts(A1)[-1]
    mark = tg.now()
    await tg.press(A1, "Отозвать")
    assert "Компания Альфа-Лизинг отозвала предложение по заявке №1." in tg.everything(CLIENT, mark)
    async with factory() as s:
        offer = await s.scalar(select(m.Offer))
        assert (offer.status, str(offer.monthly_payment)) == ("withdrawn", "85000.00")


def test_redis_holds_dialog_state_when_redis_url_is_set(settings, engine, clock):
    from aiogram.fsm.storage.redis import RedisStorage

    from bot.app import create_storage
    from bot.storage import SqlStorage

    assert isinstance(create_storage(settings.model_copy(update={"redis_url": None}), engine, clock), SqlStorage)
    with_redis = settings.model_copy(update={"redis_url": "redis://127.0.0.1:6399/0"})
    assert isinstance(create_storage(with_redis, engine, clock), RedisStorage)  # connects on first use
