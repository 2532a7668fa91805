"""The first ten minutes: the first admin says what the deployment runs and walks its checklist; the consent screen
offers the language; /help per role; an approval that reaches nobody; the calculator's next terms; ways back."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import build, create_bot
from core.db.kernel import models as m
from core.services.kernel import users
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Driver, Person, RecordingSession
from tests.bot.helpers import seed, submit_application

ANNA = Person(2001, "Анна")
CLIENT = Person(3001, "Иван")
POLISH_ADMIN = Person(1000, "Adam", language_code="pl")  # the ADMIN_IDS id, speaking Polish
EWA = Person(2002, "Ewa", language_code="pl")


def last(tg, who):
    return list(tg.session.shown[who.id].values())[-1]


def labels(shown) -> list[str]:
    return [b.text for row in shown.markup.inline_keyboard for b in row] if shown.markup else []


ASK_RU = ("<b>Первая настройка.</b> Вы администратор, и бот пока не знает, чем вы занимаетесь.\n\n"
          "<b>Что ведёт ваша команда в Dealgram?</b>\nОтметьте одно или несколько направлений и нажмите «Сохранить». "
          "В меню останется только нужное; изменить можно в любой момент: ⚙️ Настройки → 🧩 Направления.\n\n"
          "🏪 Лизинговый маркетплейс — клиенты и агенты подают заявки, лизинговые компании присылают предложения, "
          "сделка ведётся в чате\n"
          "📇 Лиды и сделки — заявки с сайта и рекламы, задачи менеджеров, воронка сделок\n"
          "📞 Холодный обзвон — кампании обзвона, контрагенты, КП, заказы и оплаты\n"
          "🧾 Лизинг: договоры — лизинговые дела от предложения до договора, скоринг, график платежей, расчёты")


async def test_a_law_firms_first_admin_sets_up_leads_and_a_team(tg, uow):
    await tg.start(ADMIN)
    texts = tg.texts(ADMIN)
    assert texts[-3:] == ["Здравствуйте, Админ! Это Dealgram, рабочий бот вашей команды; ваша роль — Администратор.",
                          "Главное меню · Администратор", ASK_RU]
    assert labels(last(tg, ADMIN)) == ["⬜ 🏪 Лизинговый маркетплейс", "⬜ 📇 Лиды и сделки", "⬜ 📞 Холодный обзвон",
                                       "⬜ 🧾 Лизинг: договоры", "💾 Сохранить", "🏠 Меню"]
    await tg.press(ADMIN, "Лиды и сделки")  # ticked in place, with the deals' pipeline to pick: sales by default
    assert labels(last(tg, ADMIN))[:2] == ["⬜ 🏪 Лизинговый маркетплейс", "✅ 📇 Лиды и сделки"]
    assert labels(last(tg, ADMIN))[4:6] == ["🔘 💼 Продажи", "⚪ ⚖️ Юридические услуги"]
    assert ("⚖️ Юридические услуги — для юридической фирмы: Сбор документов → Отправлен в суд → Суд 1 → … → "
            "Решение получено; в лиде — «Сумма долга», брак «Маленькая сумма долга»") in last(tg, ADMIN).text
    await tg.press(ADMIN, "Юридические услуги")  # a law firm: seed 004's pipeline
    assert labels(last(tg, ADMIN))[4:6] == ["⚪ 💼 Продажи", "🔘 ⚖️ Юридические услуги"]
    mark = tg.now()
    await tg.press(ADMIN, "Сохранить")
    assert tg.alerts(ADMIN, mark) == ["Сохранено"]
    question = list(tg.session.shown[ADMIN.id].values())[-2]
    assert (question.text, question.markup) == ("Направления: 📇 Лиды и сделки.", None)
    checklist = last(tg, ADMIN)
    assert checklist.text == (
        "<b>⚙️ Настройки · что ещё нужно</b>\nНаправления: 📇 Лиды и сделки.\n"
        "Воронка сделок из лидов: Юридические услуги.\n\n<b>📇 Лиды и сделки</b>\n"
        "⬜ источник лидов (его ссылка принимает заявки)\n⬜ менеджер\n\n"
        "Осталось шагов: 2. Нажмите кнопку ниже, чтобы сделать следующий.")
    assert labels(checklist) == ["➕ Добавить источник лидов", "✉️ Ссылка для менеджера", "✉️ Пригласить",
                                 "🔑 Роли", "📚 Справочники", "🌐 Язык и часовой пояс", "🔐 Мои данные",
                                 "🧩 Направления", "🏠 Меню"]
    commands = [c for c in tg.session.calls if c.__api_method__ == "setMyCommands"][-1]
    assert [c.command for c in commands.commands] == ["menu", "crm", "invite", "leads", "lead", "tasks", "report",
                                                      "lang", "mydata", "help", "setup", "cancel"]

    await tg.send(ADMIN, "/menu")  # only what a law firm runs: it fits on one screen
    assert labels(last(tg, ADMIN)) == ["💼 Сделки", "📇 Лиды", "✅ Мои задачи", "➕ Новый лид",
                                       "📈 Отчёт по источникам", "⚙️ Настройки"]

    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Добавить источник лидов")
    assert tg.texts(ADMIN)[-1] == "Введите название:"
    mark = tg.now()
    await tg.press(ADMIN, "✖️ Отмена")  # back where the prompt came from: the checklist, not the main menu
    assert tg.alerts(ADMIN, mark) == []  # one notice: the message, no toast besides
    assert tg.texts(ADMIN, mark) == ["Действие отменено.", checklist.text]
    assert labels(last(tg, ADMIN)) == labels(checklist)
    await tg.press(ADMIN, "Добавить источник лидов")
    mark = tg.now()
    await tg.send(ADMIN, "/cancel")  # typed, the same
    assert tg.texts(ADMIN, mark) == ["Действие отменено.", checklist.text]
    await tg.press(ADMIN, "Добавить источник лидов")
    await tg.send(ADMIN, "Сайт")
    assert tg.texts(ADMIN)[-2] == "Добавлено: Сайт"
    assert labels(last(tg, ADMIN))[-2:] == ["⬅️ Справочники", "⬅️ Настройки"]  # the way back
    await tg.press(ADMIN, "⬅️ Настройки")
    await tg.press(ADMIN, "Ссылка для менеджера")  # no leasing company asked: the marketplace is not run
    invite = tg.texts(ADMIN)[-1]
    assert invite.startswith("Отправьте ссылку этому человеку. Открыв её, он получит роль, а вам придёт сообщение."
                             "\n\nОдноразовая ссылка для роли «Менеджер» (действует 72 ч):\nhttps://t.me/dealgram_bot"
                             "?start=")
    mark = tg.now()
    await tg.start(ANNA, invite.rsplit("start=", 1)[1])
    assert "Приглашение принято: теперь вы — Менеджер." in tg.texts(ANNA, mark)
    assert tg.texts(ADMIN, mark) == ["✅ Приглашение принято: Анна теперь — Менеджер."]
    await tg.press(ADMIN, "⬅️ Настройки")
    assert last(tg, ADMIN).text.endswith(
        "✅ источник лидов (его ссылка принимает заявки)\n✅ менеджер\n\n"
        "✅ Всё необходимое есть: можно работать. Вернуться сюда — ⚙️ Настройки в меню или /setup.")
    assert labels(last(tg, ANNA)) == ["💼 Сделки", "✅ Мои задачи", "📇 Лиды", "➕ Новый лид",
                                      "📈 Отчёт по источникам", "🌐 Язык и часовой пояс", "🔐 Мои данные"]


async def test_a_polish_admin_sets_up_leasing(tg, uow):
    await tg.start(POLISH_ADMIN)
    assert tg.texts(POLISH_ADMIN)[-1].startswith(
        "<b>Pierwsza konfiguracja.</b> Jesteś administratorem, a bot jeszcze nie wie, czym zajmuje się Twój zespół."
        "\n\n<b>Co prowadzi Twój zespół w Dealgram?</b>")
    mark = tg.now()
    await tg.press(POLISH_ADMIN, "Zapisz")  # nothing ticked
    assert tg.alerts(POLISH_ADMIN, mark) == ["Zaznacz przynajmniej jeden obszar."]
    await tg.press(POLISH_ADMIN, "Leasing: umowy")
    await tg.press(POLISH_ADMIN, "Zapisz")
    assert last(tg, POLISH_ADMIN).text == (
        "<b>⚙️ Ustawienia · czego jeszcze brakuje</b>\nObszary: 🧾 Leasing: umowy.\n\n<b>🧾 Leasing: umowy</b>\n"
        "⬜ dane finansującego na dokumentach (oferta, umowa, faktury): nazwa, NIP, adres, bank\n"
        "⬜ sprzedawca (rola „Sprzedaż”): pozyskuje klientów i przygotowuje oferty\n"
        "⬜ analityk (rola „Ryzyko”): decyduje o wnioskach\n"
        "⬜ back office (rola „Back Office”): sprawdza dokumenty i płaci dostawcy\n\n"
        "Pozostało kroków: 4. Naciśnij przycisk poniżej, aby zrobić następny.")
    assert labels(last(tg, POLISH_ADMIN))[:4] == ["🏢 Wpisz dane do dokumentów", "✉️ Link dla sprzedawcy",
                                                  "✉️ Link dla analityka", "✉️ Link dla back office"]
    await tg.press(POLISH_ADMIN, "Wpisz dane do dokumentów")  # the lessor: a leasing-only install sets it too
    assert tg.texts(POLISH_ADMIN)[-1].startswith(
        "Nazwa finansującego (Twojej firmy) w pierwszym wierszu, dane (NIP, adres, rachunek bankowy) poniżej, np.:")
    await tg.send(POLISH_ADMIN, "Leasing Polska sp. z o.o.\nNIP 5250000000, ul. Prosta 1, Warszawa")
    docs = last(tg, POLISH_ADMIN)
    assert docs.text.startswith("📄 <b>Dokumenty</b>\n• Oferta leasingu: wbudowany szablon\n")
    assert docs.text.endswith("Finansujący na dokumentach (oferta, umowa, faktury):\nLeasing Polska sp. z o.o.\n"
                              "NIP 5250000000, ul. Prosta 1, Warszawa")
    assert "Oferta”" not in " ".join(labels(docs)) and "🏢 Dane finansującego" in labels(docs)  # no КП, no rules
    assert not any("Reguła" in b for b in labels(docs))
    await tg.send(POLISH_ADMIN, "/setup")
    assert "✅ dane finansującego na dokumentach" in tg.texts(POLISH_ADMIN)[-1]
    await tg.press(POLISH_ADMIN, "Słowniki")
    assert "📄 Dokumenty i dane finansującego" in labels(last(tg, POLISH_ADMIN))
    await tg.send(POLISH_ADMIN, "/menu")
    assert labels(last(tg, POLISH_ADMIN)) == ["🧾 Leasing", "📒 Rozliczenia", "🧮 Kalkulator leasingu",
                                              "⚙️ Ustawienia"]
    await tg.press(POLISH_ADMIN, "Ustawienia")
    await tg.press(POLISH_ADMIN, "Zaproś")
    assert labels(last(tg, POLISH_ADMIN)) == ["Sprzedaż", "Ryzyko", "Back Office", "Windykacja", "⬅️ Ustawienia"]
    await tg.press(POLISH_ADMIN, "Ryzyko")
    mark = tg.now()
    await tg.start(EWA, tg.texts(POLISH_ADMIN)[-1].rsplit("start=", 1)[1])
    assert tg.texts(POLISH_ADMIN, mark) == ["✅ Zaproszenie przyjęte: Ewa ma teraz rolę Ryzyko."]
    await tg.send(POLISH_ADMIN, "/setup")
    await tg.press(POLISH_ADMIN, "Słowniki")
    await tg.press(POLISH_ADMIN, "Grupy dostępu")
    assert "stare wnioski" not in tg.texts(POLISH_ADMIN)[-1]
    await tg.press(POLISH_ADMIN, "Dodaj")
    await tg.send(POLISH_ADMIN, "Windykacja")
    await tg.press(POLISH_ADMIN, "Windykacja: kierownik i członkowie")
    group = labels(last(tg, POLISH_ADMIN))
    assert not {"⬜ 🛒 Zakupy", "⬜ 📑 Umowy", "⬜ 🚚 Wysyłka"} & set(group)  # no cold calls run: no duties
    assert group[-2:] == ["⬅️ Zespoły", "⬅️ Ustawienia"]


async def test_an_install_that_never_answered_runs_everything(tg, uow):
    await seed(tg, uow)  # the admin never answers the question
    await tg.send(ADMIN, "/menu")
    assert labels(last(tg, ADMIN)) == ["💼 Сделки", "🛡 Модерация", "📇 Лиды", "✅ Мои задачи", "📞 Холодный обзвон",
                                       "🧾 Лизинг", "🧰 Ещё", "⚙️ Настройки"]  # at most 8: the rest in sections
    await tg.press(ADMIN, "🧾 Лизинг")
    assert labels(last(tg, ADMIN)) == ["🧾 Лизинг", "📒 Расчёты по лизингу", "🏠 Меню"]
    await tg.press(ADMIN, "Меню")
    await tg.press(ADMIN, "Ещё")
    assert labels(last(tg, ADMIN)) == ["🤝 Комнаты сделок", "📝 Новая заявка", "📂 Мои заявки", "➕ Новый лид",
                                       "📈 Отчёт по источникам", "🧮 Лизинговый калькулятор", "🏠 Меню"]
    await tg.press(ADMIN, "Меню")
    await tg.press(ADMIN, "Настройки")
    assert last(tg, ADMIN).text.startswith(
        "<b>⚙️ Настройки · что ещё нужно</b>\nНаправления ещё не выбраны, поэтому включено всё. Нажмите "
        "«🧩 Направления», чтобы оставить нужное.\nВоронка сделок из лидов: Продажи.\n\n"
        "<b>🏪 Лизинговый маркетплейс</b>\n"
        "✅ лизинговая компания в справочнике (её менеджеры получают заявки)\n")
    await tg.start(CLIENT)
    assert labels(last(tg, CLIENT)) == ["📝 Новая заявка", "📂 Мои заявки", "🤝 Комнаты сделок", "✍️ Оставить заявку",
                                        "🧾 Лизинг", "🌐 Язык и часовой пояс", "🧮 Лизинговый калькулятор",
                                        "🔐 Мои данные"]  # a lead source's request too: the leads run


async def test_an_approval_that_reaches_no_manager_is_said_plainly(tg, uow):
    await seed(tg, uow)  # no manager at all
    await tg.start(CLIENT)
    await submit_application(tg, CLIENT)
    mark = tg.now()
    await tg.press(ADMIN, "Одобрить")
    assert tg.alerts(ADMIN, mark) == ["Одобрено, но заявку никто не получил"]
    assert tg.texts(ADMIN, mark)[-1].startswith(
        "⚠️ Заявка №1 одобрена, но ни одному менеджеру её не отправить: нет менеджеров, чей профиль подходит")
    assert tg.texts(CLIENT, mark) == [
        "Заявка №1 одобрена. Сейчас нет лизинговой компании, которая берёт такие заявки; как только появится, она "
        "получит вашу заявку и пришлёт предложение. Мы напишем."]


async def test_the_consent_screen_offers_the_language(tg, uow, factory):
    await tg.send(EWA, "/start")
    consent = last(tg, EWA)
    assert consent.text.startswith("<b>Zgoda na przetwarzanie danych osobowych</b>")
    assert labels(consent) == ["✅ Zgadzam się", "Nie zgadzam się", "🇷🇺 Русский", "🇬🇧 English", "✅ 🇵🇱 Polski"]
    await tg.press(EWA, "Русский")
    assert last(tg, EWA).text.startswith("<b>Согласие на обработку персональных данных</b>")  # in place
    assert labels(last(tg, EWA)) == ["✅ Согласен", "Не согласен", "✅ 🇷🇺 Русский", "🇬🇧 English", "🇵🇱 Polski"]
    await tg.press(EWA, "English")
    assert last(tg, EWA).text.startswith("<b>Consent to the processing of personal data</b>")
    await tg.press(EWA, "I agree")
    assert "Hello, Ewa! This is Dealgram, a bot for requests and deals in Telegram." in tg.texts(EWA)
    async with factory() as s:
        assert await s.scalar(select(m.User.locale).where(m.User.tg_id == EWA.id)) == "en"


async def test_help_says_what_each_role_can_do(tg, uow):
    await seed(tg, uow, managers=[ANNA])
    await tg.start(CLIENT)
    await tg.send(CLIENT, "/help")
    text = tg.texts(CLIENT)[-1]
    assert text.splitlines()[:3] == ["<b>Что вы можете здесь делать</b> (ваша роль — Клиент):", "",
                                     "📝 Новая заявка — подать заявку на лизинг"]
    assert "🛡 Модерация" not in text and text.endswith(
        "/menu — меню · /cancel — выйти из диалога · /lang — язык и часовой пояс · /help — эта подсказка")
    await tg.send(ANNA, "/help")
    assert "📥 Входящие заявки — заявки, подходящие под ваш профиль: сделайте предложение" in tg.texts(ANNA)[-1]
    await tg.send(ADMIN, "/help")
    assert ("\n\n⚙️ Настройки — чек-лист первой настройки: чего ещё не хватает для работы (/setup). Там же:\n"
            "✉️ Пригласить — ") in tg.texts(ADMIN)[-1]
    await tg.send(CLIENT, "привет")  # words nobody expected: the help, not a dead end
    assert tg.texts(CLIENT)[-1].startswith("Не понимаю это сообщение.\n\n<b>Что вы можете здесь делать</b>")
    assert labels(last(tg, CLIENT)) == ["🏠 Меню"]
    await tg.start(EWA)
    await tg.send(EWA, "cześć")
    assert tg.texts(EWA)[-1].startswith(
        "Nie rozumiem tej wiadomości.\n\n<b>Co możesz tu robić</b> (Twoja rola: Klient):")


async def test_the_calculator_takes_new_terms_typed_after_an_answer(tg, uow):
    await tg.start(CLIENT)
    await tg.send(CLIENT, "/calc")
    await tg.send(CLIENT, "10 000; 0; 1; 12; 0")
    assert "Срок: 1 платёж" in tg.texts(CLIENT)[-1]
    await tg.send(CLIENT, "20 000; 0; 2; 0; 0")  # no button pressed: the next calculation
    assert "Срок: 2 платежа" in tg.texts(CLIENT)[-1]
    await tg.send(CLIENT, "/menu")  # commands work as without a dialog
    assert tg.texts(CLIENT)[-1] == "Главное меню · Клиент"


async def test_the_leasing_list_and_the_directories_have_a_way_back(tg, uow):
    await seed(tg, uow)
    await tg.start(CLIENT)
    await tg.press(CLIENT, "Лизинг")  # no case yet: the way to ask for one, and the way back
    assert labels(last(tg, CLIENT)) == ["🧮 Рассчитать и запросить предложение", "🏠 Меню"]
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    assert labels(last(tg, ADMIN))[-2:] == ["⬅️ Настройки", "🏠 Меню"]
    await tg.press(ADMIN, "Регионы")
    assert labels(last(tg, ADMIN))[-2:] == ["⬅️ Справочники", "⬅️ Настройки"]


async def test_the_business_name_is_in_the_welcome(settings, engine, clock, uow):
    named = settings.model_copy(update={"business_name": "Юрбюро «Право»"})
    session = RecordingSession()
    app = build(named, engine=engine, bot=create_bot(named, session=session), clock=clock)
    tg = Driver(app, session)
    try:
        await tg.start(CLIENT)
        assert "Здравствуйте, Иван! Это Юрбюро «Право» в Telegram." in tg.texts(CLIENT)
        await tg.start(ADMIN)  # the business's own people are told whose bot it is and their role in it
        assert tg.texts(ADMIN)[0] == "Здравствуйте, Админ! Это рабочий бот Юрбюро «Право»; ваша роль — Администратор."
        assert not any("в Telegram" in text for text in tg.texts(ADMIN))
        assert (await users.find(uow(), str(CLIENT.id))).role == "client"
    finally:
        await app.dp.storage.close()


async def test_a_business_name_with_an_ampersand_is_escaped_once(settings, engine, clock):
    """«Harper & Cole LLP» reaches Telegram as «Harper &amp; Cole LLP» (which it shows as «&»), in the welcome and in
    the consent that quotes it inside a translation of its own (once «Harper &amp;amp; Cole LLP»)."""
    named = settings.model_copy(update={"business_name": "Harper & Cole LLP"})
    session = RecordingSession()
    app = build(named, engine=engine, bot=create_bot(named, session=session), clock=clock)
    tg = Driver(app, session)
    try:
        await tg.start(CLIENT)
        consent = next(x for x in tg.texts(CLIENT) if "Согласие на обработку" in x)
        welcome = next(x for x in tg.texts(CLIENT) if x.startswith("Здравствуйте, Иван!"))
        assert "Это Harper &amp; Cole LLP в Telegram." in welcome
        assert "\n\nHarper &amp; Cole LLP хранит " in consent, consent
        assert "&amp;amp;" not in welcome + consent
    finally:
        await app.dp.storage.close()

async def test_the_roles_list_leads_back_to_the_settings(tg, uow):
    await seed(tg, uow)
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Роли")
    roles = last(tg, ADMIN)
    assert roles.text == "Сотрудники с ролями: 1. Выберите человека, чтобы изменить роль."
    assert labels(roles)[-3:] == ["🔎 Найти пользователя", "⬅️ Настройки", "🏠 Меню"]
    mark = tg.now()
    await tg.press(ADMIN, "⬅️ Настройки")
    assert tg.texts(ADMIN, mark)[-1].startswith("<b>⚙️ Настройки")
    for screen in ("🌐 Язык и часовой пояс", "🔐 Мои данные"):  # the settings' other screens lead back too
        await tg.press(ADMIN, screen)
        assert labels(last(tg, ADMIN))[-2:] == ["⬅️ Настройки", "🏠 Меню"]
        await tg.press(ADMIN, "⬅️ Настройки")
    await tg.start(CLIENT)  # a client's own screens: no settings to go back to
    for screen in ("🌐 Язык и часовой пояс", "🔐 Мои данные"):
        await tg.press(CLIENT, screen)
        assert "⬅️ Настройки" not in labels(last(tg, CLIENT)) and labels(last(tg, CLIENT))[-1] == "🏠 Меню"
