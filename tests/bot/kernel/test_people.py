"""The organisation in the chat (issue 27): an admin makes a team with a nested sub-team, invites a salesperson to
the sub-team, grants her a second role (her menu and commands become the union of both) and takes it back; a
forged admin callback from her is refused."""

from __future__ import annotations

from sqlalchemy import select

from bot.keyboards.callbacks import PeopleAction, PeopleCb
from core.db.kernel import models as m
from tests.bot.conftest import ADMIN
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed

OLA = Person(2005, "Ola")


def last(tg, who):
    return list(tg.session.shown[who.id].values())[-1]


def labels(shown) -> list[str]:
    return [b.text for row in shown.markup.inline_keyboard for b in row] if shown.markup else []


async def test_a_team_a_sub_team_an_invite_to_it_and_a_second_role(tg, uow, factory):
    await seed(tg, uow)
    await tg.press(ADMIN, "Настройки")
    await tg.press(ADMIN, "Справочники")
    await tg.press(ADMIN, "Группы доступа")  # the teams: shown whatever the deployment runs
    for name in ("Север", "Север-Восток"):
        await tg.press(ADMIN, "Добавить")
        await tg.send(ADMIN, name)
    await tg.press(ADMIN, "Север-Восток: руководитель и участники")
    await tg.press(ADMIN, "Вложить в команду")
    assert tg.texts(ADMIN)[-1] == "В какую команду вложить эту? Её руководитель будет видеть и команды внутри."
    assert labels(last(tg, ADMIN)) == ["👥 Север", "🔝 Верхний уровень", "✖️ Отмена"]  # not itself; a way back
    mark = tg.now()
    await tg.press(ADMIN, "👥 Север")
    assert tg.alerts(ADMIN, mark) == ["Сохранено."]
    assert "Входит в: Север" in tg.texts(ADMIN)[-1]
    await tg.press(ADMIN, "Север: руководитель и участники")
    assert "Входит в: — (верхний уровень)\nВнутри: Север-Восток" in tg.texts(ADMIN)[-1]
    await tg.press(ADMIN, "Вложить в команду")
    assert labels(last(tg, ADMIN)) == ["🔝 Верхний уровень", "✖️ Отмена"]  # neither itself nor the team inside it
    await tg.press(ADMIN, "✖️ Отмена")
    assert tg.texts(ADMIN)[-1].startswith("👥 ")  # back to the team, unchanged
    assert labels(last(tg, ADMIN))[-2:] == ["⬅️ Команды", "⬅️ Настройки"]  # the group screen's way back

    await tg.send(ADMIN, "/setup")
    await tg.press(ADMIN, "Пригласить")
    await tg.press(ADMIN, "Продажи")
    assert tg.texts(ADMIN)[-1] == "«Продажи»: в какую команду? Сотрудник сразу станет её участником."
    assert labels(last(tg, ADMIN)) == ["👥 Север", "👥 Север-Восток", "Без команды", "⬅️ Настройки"]
    await tg.press(ADMIN, "👥 Север-Восток")
    link = tg.texts(ADMIN)[-1]
    assert "\n\nКоманда: Север-Восток\nОдноразовая ссылка для роли «Продажи»" in link
    mark = tg.now()
    await tg.start(OLA, link.rsplit("start=", 1)[1])
    assert "Приглашение принято: теперь вы — Продажи, команда «Север-Восток»." in tg.texts(OLA, mark)
    await tg.app.worker.drain()
    assert tg.texts(ADMIN, mark) == ["✅ Приглашение принято: Ola теперь — Продажи.\nКоманда: Север-Восток"]

    await tg.send(ADMIN, "/setup")
    await tg.press(ADMIN, "Роли")
    await tg.press(ADMIN, "Ola · Продажи")
    card = tg.texts(ADMIN)[-1]
    assert card == ("<b>Ola</b> (id 2005)\nРоли: Продажи\nКоманды: Север-Восток\n"
                    "Руководитель: нет (просрочки — администраторам)\n\n✅ — роль есть (нажмите, чтобы снять), "
                    "➕ — дать роль. Ролей может быть несколько: меню человека — всё, что они дают.")
    mark = tg.now()
    await tg.press(ADMIN, "➕ Менеджер")
    assert tg.alerts(ADMIN, mark) == ["Ola: добавлена роль «Менеджер»\nВсе роли: Продажи, Менеджер"]
    assert "Роли: Продажи, Менеджер" in tg.texts(ADMIN)[-1] and "✅ Менеджер" in labels(last(tg, ADMIN))
    await tg.app.worker.drain()
    assert tg.texts(OLA, mark) == ["Вам добавлена роль «Менеджер». Ваши роли: Продажи, Менеджер. Откройте меню: /menu"]
    menu = labels(last(tg, OLA))
    # both roles' screens in one, the manager's areas in their sections (no screen over 8 buttons)
    assert {"🧾 Лизинг", "📇 Лиды и отчёт", "✅ Мои задачи", "💼 Сделки"} <= set(menu)  # «🧾 Лизинг»: a section now
    assert len(menu) <= 8
    commands = [c for c in tg.session.calls if c.__api_method__ == "setMyCommands" and c.scope.chat_id == OLA.id][-1]
    assert {"leases", "leads", "tasks", "crm"} <= {c.command for c in commands.commands}
    assert commands.commands[-1].command == "cancel"
    await tg.send(OLA, "/menu")
    assert tg.texts(OLA)[-1] == "Главное меню · Продажи, Менеджер"
    mark = tg.now()  # the second role works: her leads and her tasks open
    await tg.press(OLA, "📇 Лиды и отчёт")
    await tg.press(OLA, "📇 Лиды")
    await tg.press(OLA, "✅ Мои задачи")
    assert tg.alerts(OLA, mark) == []
    _section, leads, todo = tg.texts(OLA, mark)
    assert (leads, todo) == ("<b>Мои лиды (0)</b>\nПока пусто.", "<b>Мои задачи: 0</b>\nПока пусто.")

    # her second role gives her no admin screen, forged or not
    mark = tg.now()
    await tg.press(OLA, data=PeopleCb(action=PeopleAction.EXTRA_ROLE, target=1, value=1).pack())
    assert tg.alerts(OLA, mark) == ["У вас нет доступа к этому действию."]

    mark = tg.now()
    await tg.press(ADMIN, "✅ Менеджер")
    assert tg.alerts(ADMIN, mark) == ["Ola: снята роль «Менеджер»"]
    await tg.app.worker.drain()
    assert tg.texts(OLA, mark) == ["Роль «Менеджер» снята. Ваши роли: Продажи. Откройте меню: /menu"]
    assert "📇 Лиды" not in labels(last(tg, OLA))
    async with factory() as s:
        rows = (await s.execute(select(m.AuditLog.action, m.AuditLog.to_status).where(
            m.AuditLog.action.in_(["role_grant", "role_remove"])).order_by(m.AuditLog.id))).all()
    assert [tuple(r) for r in rows] == [("role_grant", "manager"), ("role_remove", "manager")]
