"""The first screens say only what the deployment runs: the consent names the business (BUSINESS_NAME) and what a
lessor's or a law firm's client gives, /help lists the directories of the areas run, the admin's checklist asks
for what cold calls really need (a team with its head, a cadence, a survey template, the documents' details) and
for the lessor's details, ticking each only once it is done."""

from __future__ import annotations

import pytest

from bot.config import Settings
from core.domain.kernel.deployment import Area
from core.domain.kernel.roles import Role
from core.services.kernel import users
from tests.bot.conftest import ADMIN, REDIS_URL
from tests.bot.fake_telegram import Person
from tests.bot.helpers import runs

JAN = Person(3001, "Jan", language_code="pl")
JOHN = Person(3002, "John", language_code="en")
MARINA = Person(2001, "Марина")


@pytest.fixture
def settings(db_url):
    return Settings(_env_file=None, bot_token="42:TEST-TOKEN-never-shown", database_url=db_url,
                    admin_ids=frozenset({ADMIN.id}), send_rate_per_second=0, send_chat_interval=0,
                    throttle_per_minute=0, album_delay_seconds=0.2, redis_url=REDIS_URL,
                    business_name="Leasing Polska")






async def test_a_lessors_consent_help_and_checklist(tg, uow):
    await runs(tg, uow, Area.LEASING)
    await tg.send(JAN, "/start")
    assert tg.texts(JAN)[-1] == (
        "<b>Zgoda na przetwarzanie danych osobowych</b> (wersja 2026-11-28)\n\n"
        "Leasing Polska przechowuje Twoje imię i nazwę użytkownika w Telegramie, Twój telefon, jeśli go udostępnisz, "
        "dane i dokumenty Twojej sprawy leasingowej. Są potrzebne, aby przygotować i prowadzić Twoją umowę leasingu; "
        "widzą je administratorzy i pracownicy, którzy zajmują się Twoją sprawą.\n\n"
        "W każdej chwili „Moje dane” (/mydata) eksportują wszystko, co o Tobie przechowujemy, albo to usuwają. "
        "Usunięcie anonimizuje: kwoty i statusy transakcji zostają na potrzeby rozliczeń; Twoje imię, telefon, pliki "
        "i teksty — nie.\n\nNaciskając „Zgadzam się”, wyrażasz zgodę na to przetwarzanie.")
    await tg.press(JAN, "🇬🇧 English")  # the same text in the language picked
    assert tg.texts(JAN)[-1].startswith(
        "<b>Consent to the processing of personal data</b> (version 2026-11-28)\n\nLeasing Polska keeps your "
        "Telegram name and username, your phone if you share it, the data and documents of your lease case. They are "
        "needed to prepare and run your lease contract; admins and the staff who work on your request can see them.")

    await tg.send(ADMIN, "/help")
    help_text = tg.texts(ADMIN)[-1]
    assert ("📚 Справочники — документы и реквизиты лизингодателя, скоринг, команды (группы доступа), статусы сделок"
            in help_text)
    assert "компании, категории" not in help_text and "канбан" not in help_text

    await tg.send(ADMIN, "/setup")
    assert tg.texts(ADMIN)[-1] == (
        "<b>⚙️ Настройки · что ещё нужно</b>\nНаправления: 🧾 Лизинг: договоры.\n\n<b>🧾 Лизинг: договоры</b>\n"
        "⬜ реквизиты лизингодателя для документов (предложение, договор, счета): название, ИНН, адрес, банк\n"
        "⬜ продавец (роль «Продажи»): заводит клиентов и готовит предложения\n"
        "⬜ аналитик (роль «Риски»): решает по заявкам\n"
        "⬜ бэк-офис (роль «Бэк-офис»): проверяет документы и платит поставщику\n\n"
        "Осталось шагов: 4. Нажмите кнопку ниже, чтобы сделать следующий.")
    await tg.press(ADMIN, "Справочники")  # the lessor's documents are reachable without cold calls
    assert tg.labels(ADMIN) == ["Группы доступа", "📄 Документы и реквизиты лизингодателя",
                                       "🧮 Скоринг (лизинг PL)", "Статусы сделок: Лизинг (Польша)", "⬅️ Настройки",
                                       "🏠 Меню"]
    await tg.press(ADMIN, "Статусы сделок: Лизинг (Польша)")
    statuses = tg.labels(ADMIN)
    assert not any("#" in b for b in statuses)  # a colour seen, never a hex code
    await tg.press(ADMIN, statuses[0])
    await tg.press(ADMIN, "🎨 Цвет")
    assert tg.labels(ADMIN) == ["🔴 Красный", "🟠 Оранжевый", "🟡 Жёлтый", "🟢 Зелёный", "🔵 Синий",
                                       "🟣 Фиолетовый", "🟤 Коричневый", "⚫ Чёрный", "⚪ Белый", "⬅️ Назад"]
    await tg.press(ADMIN, "🟢 Зелёный")
    assert "\nЦвет: 🟢 Зелёный\n" in tg.texts(ADMIN)[-1]

    await tg.send(ADMIN, "/setup")  # a lessor's team: no cold-call duties on its screen
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Группы доступа")
    await tg.press(ADMIN, "Добавить")
    await tg.send(ADMIN, "Windykacja")
    await tg.press(ADMIN, "Windykacja: руководитель и участники")
    assert tg.labels(ADMIN) == ["⬜ Админ", "👑 Назначить руководителя", "⬆️ Вложить в команду", "⬅️ Команды",
                                       "⬅️ Настройки"]


async def test_a_distributors_checklist_asks_for_teams_heads_and_cadences_ticked_when_done(tg, uow):
    await runs(tg, uow, Area.COLD_CALLS)
    await tg.start(MARINA)
    admin = await users.find(uow(), str(ADMIN.id))
    marina = await users.find(uow(), str(MARINA.id))
    await users.grant_role(uow(), admin.id, marina.id, Role.MANAGER)
    await tg.send(ADMIN, "/setup")
    assert tg.texts(ADMIN)[-1] == (
        "<b>⚙️ Настройки · что ещё нужно</b>\nНаправления: 📞 Холодный обзвон.\n\n<b>📞 Холодный обзвон</b>\n"
        "✅ менеджер\n"
        "⬜ команда (группа доступа) с руководителем: он запускает обзвоны и получает задачи руководителя\n"
        "⬜ периодичность обзвона (как часто звонить контрагенту)\n"
        "⬜ шаблон опроса для звонков\n"
        "⬜ реквизиты вашей компании для документов (продавец, у лизинга — лизингодатель): название, ИНН, адрес, банк"
        "\n\nОсталось шагов: 4. Нажмите кнопку ниже, чтобы сделать следующий.")
    assert tg.labels(ADMIN)[:4] == ["👥 Команды и руководители", "➕ Добавить периодичность обзвона",
                                           "➕ Создать шаблон опроса", "🏢 Ввести реквизиты для документов"]
    await tg.press(ADMIN, "👥 Команды и руководители")
    await tg.press(ADMIN, "Добавить")
    await tg.send(ADMIN, "Юг")
    await tg.send(ADMIN, "/setup")
    assert "⬜ команда (группа доступа) с руководителем" in tg.texts(ADMIN)[-1]  # a team without a head: not done
    await tg.press(ADMIN, "👥 Команды и руководители")
    await tg.press(ADMIN, "Юг: руководитель и участники")  # a distributor's team takes an order's duties
    assert tg.labels(ADMIN) == ["⬜ Админ", "⬜ Марина", "⬜ 🛒 Закупки", "⬜ 📑 Договоры", "⬜ 🚚 Отгрузка",
                                       "👑 Назначить руководителя", "⬆️ Вложить в команду", "⬅️ Команды",
                                       "⬅️ Настройки"]
    await tg.press(ADMIN, "Назначить руководителя")
    await tg.press(ADMIN, "Марина")
    await tg.send(ADMIN, "/setup")
    await tg.press(ADMIN, "➕ Добавить периодичность обзвона")
    await tg.send(ADMIN, "2 недели")
    await tg.send(ADMIN, "/setup")
    checklist = tg.texts(ADMIN)[-1]
    assert ("✅ команда (группа доступа) с руководителем: он запускает обзвоны и получает задачи руководителя\n"
            "✅ периодичность обзвона (как часто звонить контрагенту)\n⬜ шаблон опроса для звонков\n" in checklist)
    assert checklist.endswith("Осталось шагов: 2. Нажмите кнопку ниже, чтобы сделать следующий.")
    for step, prompt in (("➕ Создать шаблон опроса", "Название шаблона опроса?"),
                         ("🏢 Ввести реквизиты для документов", None)):  # each step's « Cancel »: back to the checklist
        await tg.press(ADMIN, step)
        if prompt:
            assert tg.texts(ADMIN)[-1] == prompt
        mark = tg.now()
        await tg.press(ADMIN, "✖️ Отмена")
        assert tg.alerts(ADMIN, mark) == []  # one notice: the message, no toast besides
        assert tg.texts(ADMIN, mark) == ["Действие отменено.", checklist]
    await tg.press(ADMIN, "➕ Создать шаблон опроса")  # made from the checklist: the checklist again, one step fewer
    await tg.send(ADMIN, "Анкета дилера")
    mark = tg.now()
    await tg.send(ADMIN, "число: Сколько точек продаж?\nда/нет: Есть ли склад?")
    made, again = tg.texts(ADMIN, mark)
    assert made == "Шаблон «Анкета дилера» создан: вопросов — 2."
    assert "✅ шаблон опроса для звонков\n" in again and again.endswith("Осталось шагов: 1. Нажмите кнопку ниже, "
                                                                        "чтобы сделать следующий.")

    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "📄 Документы и согласование КП")  # a distributor's documents: no lessor's templates
    assert tg.texts(ADMIN)[-1].startswith("📄 <b>Документы и согласование КП</b>\n• КП: встроенный шаблон\n"
                                          "• Счёт: встроенный шаблон\n⚠️ Продавец в документах не указан")
    assert "лизинг" not in tg.texts(ADMIN)[-1].lower()

    await tg.send(ADMIN, "/help")
    assert ("📚 Справочники — периодичность обзвона, документы и согласование КП, команды (группы доступа), "
            "статусы сделок" in tg.texts(ADMIN)[-1])


async def test_a_law_firms_consent_names_no_deal_rooms_and_an_admin_manager_is_a_manager(tg, uow):
    await runs(tg, uow, Area.LEADS)
    await tg.send(JOHN, "/start")
    assert tg.texts(JOHN)[-1].startswith(
        "<b>Consent to the processing of personal data</b> (version 2026-11-28)\n\nLeasing Polska keeps your "
        "Telegram name and username, your phone if you share it, your requests and the messages about them. They are "
        "needed to answer your requests and run deals; admins and the staff who work on your request can see them.")
    await tg.start(MARINA)
    admin = await users.find(uow(), str(ADMIN.id))
    marina = await users.find(uow(), str(MARINA.id))
    await users.grant_role(uow(), admin.id, marina.id, Role.MANAGER)
    await users.grant_role(uow(), admin.id, marina.id, Role.ADMIN)  # the manager's role kept besides
    await tg.send(ADMIN, "/setup")
    assert "\n✅ менеджер\n" in tg.texts(ADMIN)[-1]
    await tg.send(ADMIN, "/help")
    assert ("📚 Справочники — источники лидов, авто-задачи, команды (группы доступа), статусы сделок"
            in tg.texts(ADMIN)[-1])


CADENCE_STEP = {  # the checklist's cadence step in each language: its button, its question, its cancel and the notice
    "ru": ("➕ Добавить периодичность обзвона",
           "Название периодичности обзвона — число и единица (например, «1 неделя», «2 недели» или «1 месяц»; "
           "не больше года):", "✖️ Отмена", "Действие отменено.", "2 недели", "Добавлено: 2 недели"),
    "en": ("➕ Add a call cadence",
           "The calling cadence's name, a number and a unit (for example, “1 week”, “2 weeks” or “1 month”; "
           "a year at most):", "✖️ Cancel", "Stopped: the questions are closed.", "2 weeks", "Added: 2 weeks"),
    "pl": ("➕ Dodaj częstotliwość dzwonienia",
           "Nazwa częstotliwości telefonów, liczba i jednostka (na przykład „1 tydzień”, „2 tygodnie” albo "
           "„1 miesiąc”; najwyżej rok):", "✖️ Anuluj", "Przerwano: pytania zamknięte.", "2 tygodnie",
           "Dodano: 2 tygodnie"),
}


@pytest.mark.parametrize("lang", ["ru", "en", "pl"])
async def test_the_checklists_cadence_step_asks_for_a_cadence_and_its_cancel_says_so_once(tg, uow, lang):
    from core.services.kernel import deployment

    button, prompt, cancel, cancelled, typed, added = CADENCE_STEP[lang]
    admin_person = Person(ADMIN.id, "Админ", language_code=lang)
    await tg.start(admin_person)
    admin = await users.find(uow(), str(ADMIN.id))
    await deployment.set_areas(uow(), admin.id, frozenset({Area.COLD_CALLS}))
    await tg.send(admin_person, "/setup")
    checklist, buttons = tg.texts(admin_person)[-1], tg.labels(admin_person)
    await tg.press(admin_person, button)
    assert tg.texts(admin_person)[-1] == prompt
    assert tg.labels(admin_person) == [cancel]
    mark = tg.now()
    await tg.press(admin_person, cancel)  # one notice (no toast besides), then the checklist it came from
    assert tg.alerts(admin_person, mark) == []
    assert tg.texts(admin_person, mark) == [cancelled, checklist]
    assert tg.labels(admin_person) == buttons
    await tg.press(admin_person, button)
    mark = tg.now()
    await tg.send(admin_person, typed)  # a cadence as the example says: taken
    assert tg.texts(admin_person, mark)[0] == added
