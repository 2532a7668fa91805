"""No screen of the menu has more than eight buttons (« Menu » not counted), for any role and whatever the deployment
runs: a role with more entries gets them grouped by area (sections), as an admin's are. Checked on the builders for
every role and every choice of areas, and on the screens the Dispatcher sends a manager and an admin."""

from __future__ import annotations

import itertools

import pytest

from bot.keyboards import builders
from bot.keyboards.callbacks import MenuAction
from core.domain.kernel.deployment import EVERYTHING, Area
from core.domain.kernel.roles import Role
from tests.bot.fake_telegram import Person
from tests.bot.helpers import seed

ANNA = Person(2001, "Анна")
CHOICES = [frozenset(c) for n in range(1, len(Area) + 1) for c in itertools.combinations(list(Area), n)]


@pytest.mark.parametrize("role", list(Role))
def test_no_menu_screen_has_more_than_eight_buttons(role):
    mine = set(builders.ROLE_MENUS[role])
    for areas in CHOICES:
        first = builders.entries(role, areas)
        assert len(first) <= builders.MENU_MAX, (role, areas, first)
        reached = {a for a in first if a not in builders.SECTIONS}
        for section in builders.sections(role, areas):
            inside = [a for a in builders.shown(builders.SECTIONS[section], areas) if a in mine]
            assert 2 <= len(inside) <= builders.MENU_MAX, (role, areas, section, inside)
            reached |= set(inside)
        # nothing is lost by the grouping: every entry the role has for these areas is reachable
        assert reached == set(builders.shown(builders.ROLE_MENUS[role], areas)), (role, areas)


def test_the_counts_per_role_with_everything_running():
    counts = {role.value: len(builders.entries(role, EVERYTHING)) for role in Role}
    assert counts == {"admin": 8, "manager": 7, "agent": 8, "supplier": 8, "client": 8, "sales": 5, "risk": 4,
                      "back_office": 5, "collections": 5}
    assert len(builders.ROLE_MENUS[Role.MANAGER]) == 14  # what a manager has, grouped by area
    assert builders.sections(Role.MANAGER) == [MenuAction.AREA_MARKET, MenuAction.AREA_LEADS, MenuAction.MINE]


def labels(shown) -> list[str]:
    return [b.text for row in shown.markup.inline_keyboard for b in row] if shown.markup else []


async def test_a_managers_menu_by_area(tg, uow):
    await seed(tg, uow, managers=[ANNA])  # the admin never answered: everything runs
    await tg.send(ANNA, "/menu")
    shown = list(tg.session.shown[ANNA.id].values())[-1]
    assert labels(shown) == ["💼 Сделки", "✅ Мои задачи", "📥 Входящие заявки", "🏪 Маркетплейс", "📇 Лиды и отчёт",
                             "📞 Холодный обзвон", "⚙️ Настройки"]
    sections = {"Маркетплейс": ["💼 Мои предложения", "🤝 Комнаты сделок", "📝 Новая заявка", "⚙️ Профиль",
                                "🧮 Лизинговый калькулятор", "🏠 Меню"],
                "Лиды и отчёт": ["📇 Лиды", "➕ Новый лид", "📈 Отчёт по источникам", "🏠 Меню"],
                "Настройки": ["🌐 Язык и часовой пояс", "🔐 Мои данные", "🏠 Меню"]}
    for section, expected in sections.items():
        await tg.send(ANNA, "/menu")
        await tg.press(ANNA, section)
        shown = list(tg.session.shown[ANNA.id].values())[-1]
        assert labels(shown) == expected, section
    assert tg.texts(ANNA)[-1] == "⚙️ <b>Настройки</b>: язык, часовой пояс и ваши данные."
    mark = tg.now()
    await tg.press(ANNA, "Язык и часовой пояс")  # an entry of a section works as from the menu
    assert tg.texts(ANNA, mark)[-1].startswith("Выберите язык")
    await tg.send(ANNA, "/help")  # the help follows the sections
    assert "\n\n🏪 Маркетплейс:\n💼 Мои предложения — " in tg.texts(ANNA)[-1]


async def test_a_section_not_in_ones_menu_shows_the_menu(tg, uow):
    from bot.keyboards.callbacks import MenuCb

    await seed(tg, uow)
    client = Person(3001, "Иван")
    await tg.start(client)
    await tg.press(client, data=MenuCb(action=MenuAction.AREA_LEADS).pack())  # a forged press: not a client's
    assert tg.texts(client)[-1] == "Главное меню · Клиент"
