"""«Холодный обзвон» in the chat (seed 001): the head makes a campaign from a file and posts it (twice pressed,
once posted); the executor fills the survey inside the deal across a restart; the access group, the business card
and the rerouting by the admins move the deal to stage 5."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.app import build, create_bot
from bot.keyboards.callbacks import ColdAction, ColdCb, SurveyAction, SurveyCb
from core.db.kernel import models as m
from core.services.campaigns import campaign as campaigns
from core.services.campaigns import counterparties, surveys
from core.services.kernel import directories, users
from core.services.kernel.directories import Directory
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Driver, Person, RecordingSession
from tests.bot.helpers import seed

A1, B1 = Person(2001, "Анна"), Person(2003, "Борис")
TEMPLATE = "текст: Как зовут директора?\nодин: Форма собственности? | ООО; ИП\nда/нет: Работаете с НДС?"
FILE = ("Организация;ИНН;Телефон;E-mail\n"
        "ООО Ромашка;7707083893;+7 900 111-22-33;info@romashka.ru\n"
        "ООО Лютик;;+7 900 111-22-44;\n"
        "ООО Ромашка;7707083893;+7 900 111-22-55;\n"
        "ООО Кривой;1234567890;+7 900 111-22-66;\n")


async def count(factory, model, *where) -> int:
    async with factory() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def test_the_head_makes_a_campaign_from_a_file_and_posts_it_once(tg, uow, factory):
    await seed(tg, uow, managers=[A1])
    await tg.send(ADMIN, "/campaigns")
    assert tg.texts(ADMIN)[-1] == "<b>Холодный обзвон</b>\nКампаний пока нет."
    await tg.press(ADMIN, "Новый шаблон опроса")
    await tg.send(ADMIN, "Первичный опрос")
    await tg.send(ADMIN, "один: Вопрос без вариантов")
    assert tg.texts(ADMIN)[-1].startswith("Строка 1: для выбора нужно от 2 до 20 вариантов")
    await tg.send(ADMIN, TEMPLATE)
    assert tg.texts(ADMIN)[-1] == "Шаблон «Первичный опрос» создан: вопросов — 3."
    assert tg.labels(ADMIN) == ["⬅️ Все обзвоны", "🏠 Меню"]  # not a dead end: back to the campaigns
    await tg.press(ADMIN, "⬅️ Все обзвоны")
    await tg.press(ADMIN, "Новый обзвон")
    await tg.send(ADMIN, "Декабрь")
    await tg.press(ADMIN, "Строки из файла")
    await tg.document(ADMIN, "base.pdf")
    assert tg.texts(ADMIN)[-1] == "Нужен файл CSV или XLSX."
    await tg.document(ADMIN, "base.csv", mime="text/csv", content=FILE.encode("cp1251"))
    assert tg.texts(ADMIN)[-1].splitlines() == [
        "Будет добавлено строк: 2. С ошибками: 1. Повторы в файле: 1. Уже в справочнике: 0. Уже в обзвоне: 0.",
        "Строка 5: ИНН «1234567890» неверен: 10 или 12 цифр с правильной контрольной суммой.",
        "Строка 4: повтор строки 2 (тот же ИНН или телефон)"]
    shown, add = tg.button(ADMIN, "Добавить 2")
    await tg.press(ADMIN, data=add, on=shown)
    await tg.press(ADMIN, data=add, on=shown)  # a double press adds nothing more
    assert await count(factory, m.CampaignRow) == 2
    # rows are called by their place in the document (not the file's lines 2 and 3); no INN: none said
    assert tg.texts(ADMIN)[-1] == ("<b>Обзвон «Декабрь»</b> (№1)\nСостояние: 📝 Черновик\nШаблон опроса: —\n"
                                   "Исполнитель: —\nСтрок: 2\n1. ООО Ромашка · ИНН 7707083893\n2. ООО Лютик")
    assert tg.labels(ADMIN)[-3:] == ["✖️ Убрать строку 1: ООО Ромашка", "✖️ Убрать строку 2: ООО Лютик",
                                     "⬅️ Все обзвоны"]
    await tg.press(ADMIN, "В работу")
    assert "Не выбран шаблон опроса (или в нём нет вопросов)." in tg.everything(ADMIN)
    await tg.press(ADMIN, "Шаблон опроса")
    await tg.press(ADMIN, "Первичный опрос (3)")
    await tg.press(ADMIN, "Исполнитель")
    await tg.press(ADMIN, "Анна")
    await tg.press(ADMIN, "В работу")  # « Post » keeps 1C's word, and the screen says what it does before the press
    assert tg.texts(ADMIN)[-1] == (
        "<b>Обзвон «Декабрь»</b> (№1)\nСостояние: 🔧 В работе\nШаблон опроса: Первичный опрос\nИсполнитель: Анна\n"
        "Строк: 2\n1. ООО Ромашка · ИНН 7707083893\n2. ООО Лютик\n\n«✅ Провести» откроет по сделке на каждую строку "
        "(строк: 2) и передаст сделки исполнителю (Анна) с задачей «Приступить к сделке». "
        "После этого строки не меняются.")
    assert tg.labels(ADMIN)[4:6] == ["📝 В черновик", "✅ Провести"]
    shown, post = tg.button(ADMIN, "Провести")
    mark = tg.now()
    await tg.press(ADMIN, data=post, on=shown)
    await tg.press(ADMIN, data=post, on=shown)
    assert "✅ Обзвон проведён: сделок — 2." in tg.texts(ADMIN, mark)
    assert "Обзвон уже проведён: его сделки уже начаты." in tg.everything(ADMIN, mark)
    assert await count(factory, m.Deal, m.Deal.pipeline == "cold_call") == 2
    assert await count(factory, m.Task, m.Task.code == "start_task", m.Task.title.is_(None)) == 2
    page = tg.texts(ADMIN)[-1]
    assert "Состояние: ✅ Проведён" in page
    # each row's deal by the number its card and the deal list give it (1C's «0000000001» stays on its panel)
    assert page.splitlines()[-2:] == ["1. ООО Ромашка · ИНН 7707083893 → сделка №1, Первичный контакт. Анкетирование",
                                      "2. ООО Лютик → сделка №2, Первичный контакт. Анкетирование"]
    await tg.app.worker.drain()
    assert any(t.startswith("📞 Проведён обзвон «Декабрь»: ваших сделок — 2.") for t in tg.texts(A1))
    await tg.send(A1, "/campaigns")  # a manager who heads no group runs no campaign: told where their calls are
    assert tg.texts(A1)[-1] == ("<b>Холодный обзвон</b>\nОбзвоны ведут руководители групп и администраторы. Ваши "
                                "звонки по обзвонам — сделки в «💼 Сделки» и задачи в «✅ Мои задачи».")
    assert tg.labels(A1) == ["💼 Сделки", "✅ Мои задачи", "🏠 Меню"]
    await tg.press(A1, "Мои задачи")
    assert "Приступить к сделке" in tg.texts(A1)[-1]
    await tg.send(A1, "/crm")  # each fact once, named; the client (the deal's name), no source, no amount: left out
    assert tg.texts(A1)[-1].splitlines()[1:] == [
        "1. <b>ООО Лютик</b> · менеджер Анна · ⏰ задача до 24.11.2026 12:00",
        "2. <b>ООО Ромашка</b> · менеджер Анна · ⏰ задача до 24.11.2026 12:00"]


async def posted_deal(tg, uow, cfg):
    """Through the services: groups «Юг» (no head; B1 in it), a template, a campaign of one row posted to A1."""
    admin = await seed(tg, uow, managers=[A1, B1])
    south = await directories.add(uow(), admin.id, Directory.ACCESS_GROUPS, "Юг")
    b1 = await users.find(uow(), str(B1.id))
    a1 = await users.find(uow(), str(A1.id))
    await counterparties.toggle_member(uow(), admin.id, south.id, b1.id)
    template = await surveys.create_template(uow(), admin.id, "Опрос", TEMPLATE)
    c = await campaigns.create(uow(), admin.id, "Декабрь")
    pv = await campaigns.preview(uow(), admin.id, c.id, FILE.encode(), "base.csv", cfg)
    await campaigns.add_rows(uow(), admin.id, c.id, pv.add[:1])
    await campaigns.set_template(uow(), admin.id, c.id, template.id)
    await campaigns.set_executor(uow(), admin.id, c.id, a1.id)
    await campaigns.move(uow(), admin.id, c.id, campaigns.CampaignStatus.IN_WORK)
    await campaigns.post(uow(), admin.id, c.id)
    view = await campaigns.view(uow(), admin.id, c.id)
    return view.rows[0][0].deal_id


async def test_the_survey_resumes_after_a_restart_and_the_deal_is_rerouted(tg, uow, factory, settings, engine,
                                                                          clock, cfg):
    deal_id = await posted_deal(tg, uow, cfg)
    await tg.start(A1)
    await tg.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
    panel = tg.texts(A1)[-1]
    assert "Этап: Первичный контакт. Анкетирование" in panel and f"Код: {deal_id:010d}" in panel
    await tg.press(A1, "Анкета")
    assert tg.texts(A1)[-1] == "<b>Вопрос 1 из 3</b>\nКак зовут директора?\nНапишите ответ текстом."
    # the process dies in the middle of the survey; a new one starts on the same database
    session = RecordingSession()
    again = Driver(build(settings, engine=engine, bot=create_bot(settings, session=session), clock=clock), session)
    again._update_ids = iter(range(10_000, 20_000))
    try:
        await again.send(A1, "Пётр Петрович")
        assert again.texts(A1)[-1] == "<b>Вопрос 2 из 3</b>\nФорма собственности?\nВыберите один вариант."
        forged = SurveyCb(action=SurveyAction.ONE, deal_id=deal_id, question_id=99999, option=0).pack()
        await again.press(A1, data=forged)
        assert "Кнопка устарела. Откройте меню заново: /menu" in again.everything(A1)
        await again.press(A1, "ООО")
        shown, yes = again.button(A1, "Да")
        await again.press(A1, data=yes, on=shown)
        await again.press(A1, data=yes, on=shown)  # the second press: the question has its answer
        assert "✅ Анкета заполнена. Сделка перешла на следующий этап." in again.texts(A1)
        assert await count(factory, m.SurveyAnswer, m.SurveyAnswer.deal_id == deal_id) == 3
        await again.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())
        panel = again.texts(A1)[-1]
        assert "Этап: Квалифицировать клиента" in panel and "• Работаете с НДС? — Да" in panel
        await again.press(A1, "Группа доступа")
        await again.press(A1, "Юг")
        assert "Этап: Визитка компании" in again.texts(A1)[-1]
        await again.press(A1, "Отправить визитку на e-mail")  # no SMTP in this run
        assert "Почта (SMTP) не настроена" in again.everything(A1)
        await again.press(A1, "Отправлено факсом")
        assert "Этап: Перенаправление согласно квалификации клиента" in again.texts(A1)[-1]
        mark = again.now()
        await again.press(A1, data=ColdCb(action=ColdAction.REROUTE, deal_id=deal_id).pack())  # not the head
        assert "У вас нет доступа к этому действию." in again.everything(A1, mark)
        assert await count(factory, m.DealMember) == 0
        await again.app.worker.drain()
        assert any("клиент из группы доступа «Юг»" in t for t in again.texts(ADMIN))
        await again.press(ADMIN, "Выбрать исполнителя")
        mark = again.now()
        await again.press(ADMIN, "Борис")
        assert again.texts(ADMIN)[-1].startswith("Сделка «ООО Ромашка» передана.")
        async with factory() as s:
            deal = await s.get(m.Deal, deal_id)
            b1 = await s.scalar(select(m.User).where(m.User.tg_id == B1.id))
            assert deal.responsible_id == b1.id
        due = (clock.now() + timedelta(days=1)).astimezone(ZoneInfo("Europe/Moscow")).strftime("%d.%m.%Y %H:%M")
        await again.app.worker.drain()
        # the new executor: the deal with its first task; the previous one: what left them and where it went
        assert again.texts(B1, mark) == [
            f"💼 Вам передана сделка «ООО Ромашка» (№{deal_id}).\n"
            f"Первая задача: Принять сделку: связаться с клиентом — до {due}."]
        assert [b.text for row in again.calls_to(B1, mark)[-1].reply_markup.inline_keyboard for b in row] == [
            "💼 Открыть сделку"]
        assert again.texts(A1, mark) == [
            f"↪️ Сделка «ООО Ромашка» (№{deal_id}) больше не ваша: клиент из группы «Юг», сделку ведёт Борис.\n"
            "Вы остаётесь в «Сотрудниках по сделке» и видите её."]
        async with factory() as s:
            task = await s.scalar(select(m.Task).where(m.Task.deal_id == deal_id, m.Task.code == "take_over"))
            assert (task.responsible_id, task.status) == (b1.id, "open")
        await again.send(B1, "/tasks")
        assert "Принять сделку: связаться с клиентом" in again.everything(B1, mark)
        await again.press(A1, data=ColdCb(action=ColdAction.PANEL, deal_id=deal_id).pack())  # still sees it
        panel = again.texts(A1)[-1]
        assert "Этап: Формирование потребностей клиента" in panel and "Сотрудники по сделке: Анна" in panel
    finally:
        await again.app.dp.storage.close()


async def test_a_row_removed_before_posting_and_a_name_too_long(tg, uow, factory, cfg):
    admin = await seed(tg, uow, managers=[A1])
    c = await campaigns.create(uow(), admin.id, "Декабрь")
    pv = await campaigns.preview(uow(), admin.id, c.id, FILE.encode(), "base.csv", cfg)
    await campaigns.add_rows(uow(), admin.id, c.id, pv.add)
    await tg.send(ADMIN, "/campaigns")
    await tg.press(ADMIN, "Декабрь")
    shown, remove = tg.button(ADMIN, "Убрать строку 1: ООО Ромашка")
    await tg.press(ADMIN, data=remove, on=shown)
    assert await count(factory, m.CampaignRow) == 1
    assert tg.texts(ADMIN)[-1].endswith("Строк: 1\n1. ООО Лютик")  # the rows after it move up, as in 1C
    assert "✖️ Убрать строку 1: ООО Лютик" in tg.labels(ADMIN)
    mark = tg.now()
    await tg.press(ADMIN, data=remove, on=shown)  # the same button again: the row is gone, nothing else goes
    assert "Не найдено: возможно, запись удалена." in tg.everything(ADMIN, mark)
    assert await count(factory, m.CampaignRow) == 1
    await tg.press(ADMIN, "Все обзвоны")
    await tg.press(ADMIN, "Новый шаблон опроса")
    await tg.send(ADMIN, "Ш" * 129)
    assert tg.texts(ADMIN)[-1] == "Слишком длинный текст: 129 символов, можно не больше 128."
    await tg.send(ADMIN, "Первичный")
    assert tg.texts(ADMIN)[-1].startswith("Вопросы, по одному в строке")
