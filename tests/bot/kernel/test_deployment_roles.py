"""A person's roles card shows the roles of the areas the deployment runs (and those the person holds), gives and
takes back each role explicitly (several held at once), says outright what changed and which teams the person
heads; the head of a team is told so, in their language, with what they now see. A person who is both admin and
manager stays in the leads' rotation."""

from __future__ import annotations

from core.domain.kernel.deployment import Area
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import runs

MARINA = Person(2001, "Марина")
PETER = Person(2002, "Peter", language_code="en")
HINT = ("✅ — роль есть (нажмите, чтобы снять), ➕ — дать роль. Ролей может быть несколько: меню человека — всё, "
        "что они дают.")






async def _card(tg, who: Person) -> None:
    await tg.send(ADMIN, "/setup")
    await tg.press(ADMIN, "🔑 Роли")
    await tg.press(ADMIN, "Найти пользователя")
    await tg.send(ADMIN, str(who.id))


async def _make_head(tg, who: Person, team: str) -> None:
    await tg.send(ADMIN, "/setup")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Группы доступа")
    await tg.press(ADMIN, "Добавить")
    await tg.send(ADMIN, team)
    await tg.press(ADMIN, f"{team}: руководитель и участники")
    await tg.press(ADMIN, "Назначить руководителя")
    await tg.press(ADMIN, who.name)


async def test_a_lessors_card_offers_leasing_roles_held_together_and_the_teams_headed(tg, uow):
    await runs(tg, uow, Area.LEASING)
    await tg.start(MARINA)
    await _card(tg, MARINA)
    assert tg.texts(ADMIN)[-1] == f"<b>Марина</b> (id 2001)\nРоли: Клиент\n\n{HINT}"  # no «Компания: —»
    assert tg.labels(ADMIN) == ["➕ Администратор", "➕ Продажи", "➕ Риски", "➕ Бэк-офис", "➕ Взыскание",
                                       "⬅️ Роли"]  # no marketplace roles, no manager
    mark = tg.now()
    await tg.press(ADMIN, "➕ Продажи")
    assert tg.alerts(ADMIN, mark) == ["Марина: роль «Продажи»"]
    mark = tg.now()
    await tg.press(ADMIN, "➕ Администратор")  # held besides «Продажи», not instead of it
    assert tg.alerts(ADMIN, mark) == ["Марина: добавлена роль «Администратор»\nВсе роли: Администратор, Продажи"]
    assert tg.texts(ADMIN)[-1] == ("<b>Марина</b> (id 2001)\nРоли: Администратор, Продажи\nКоманды: —\n"
                                   f"Руководитель: нет (просрочки — администраторам)\n\n{HINT}")
    assert tg.labels(ADMIN) == ["✅ Администратор", "✅ Продажи", "➕ Риски", "➕ Бэк-офис", "➕ Взыскание",
                                       "👤 Назначить руководителя", "⬅️ Роли"]
    await tg.app.worker.drain()

    mark = tg.now()
    await _make_head(tg, MARINA, "Юг")
    await tg.app.worker.drain()
    assert tg.texts(MARINA, mark) == ["👑 Вы назначены руководителем команды «Юг».\n"
                                      "Просроченные задачи участников приходят вам."]  # no leads, no cold calls
    mark = tg.now()
    await tg.press(ADMIN, "Марина")  # named again: nothing new to tell
    await tg.app.worker.drain()
    assert tg.texts(MARINA, mark) == []

    await _card(tg, MARINA)
    assert "\nКоманды: Юг\nРуководит командами: Юг\n" in tg.texts(ADMIN)[-1]
    mark = tg.now()
    await tg.press(ADMIN, "✅ Администратор")
    assert tg.alerts(ADMIN, mark) == ["Марина: снята роль «Администратор»"]
    assert "\nРоли: Продажи\n" in tg.texts(ADMIN)[-1]
    mark = tg.now()
    await tg.press(ADMIN, "✅ Продажи")
    assert tg.alerts(ADMIN, mark) == ["Марина: снята роль «Продажи», других ролей нет — теперь это клиент"]


async def test_a_law_firms_card_offers_admin_and_manager_and_an_admin_manager_gets_leads(tg, uow):
    await runs(tg, uow, Area.LEADS)
    await tg.start(PETER)
    await tg.start(MARINA)
    await _card(tg, MARINA)
    assert tg.texts(ADMIN)[-1] == f"<b>Марина</b> (id 2001)\nРоли: Клиент\n\n{HINT}"
    assert tg.labels(ADMIN) == ["➕ Администратор", "➕ Менеджер", "⬅️ Роли"]
    await tg.press(ADMIN, "➕ Менеджер")  # no partner company asked: the marketplace is not run
    mark = tg.now()
    await tg.press(ADMIN, "➕ Администратор")
    assert tg.alerts(ADMIN, mark) == ["Марина: добавлена роль «Администратор»\nВсе роли: Администратор, Менеджер"]
    assert tg.labels(ADMIN) == ["✅ Администратор", "✅ Менеджер", "👤 Назначить руководителя", "⬅️ Роли"]

    # both admin and manager: she still gets her share of the leads
    await tg.send(ADMIN, "/setup")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Источники лидов")
    await tg.press(ADMIN, "Добавить")
    await tg.send(ADMIN, "Сайт")
    assert tg.texts(ADMIN)[-1].endswith("Открытых лидов у менеджеров (новый лид без ответственного источника получает "
                                        "тот, у кого меньше): Марина (0)")

    await _card(tg, PETER)
    await tg.press(ADMIN, "➕ Менеджер")
    await tg.app.worker.drain()
    mark = tg.now()
    await _make_head(tg, PETER, "North")
    await tg.app.worker.drain()
    assert tg.texts(PETER, mark) == ["👑 You are now the head of the team «North».\nYou now see and work the leads "
                                     "and deals of its members and of the teams inside it.\n"
                                     "Your members' overdue tasks come to you."]
    await _card(tg, PETER)
    assert "\nКоманды: North\nРуководит командами: North\n" in tg.texts(ADMIN)[-1]
