"""The command menu (setMyCommands) a person gets: their roles' commands, of the areas the deployment runs."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.commands import set_commands
from bot.i18n import Translator
from core.domain.kernel.deployment import Area
from core.domain.kernel.roles import Role


class Bot:
    def __init__(self) -> None:
        self.menus = []

    async def set_my_commands(self, commands, scope):
        self.menus.append(([c.command for c in commands], scope.chat_id))


@pytest.mark.parametrize(("role", "commands"), [
    # the admin's and the client's menus have «🧾 Leasing»: so has their command menu
    (Role.ADMIN, ["menu", "invite", "leases", "lang", "calc", "mydata", "help", "setup", "cancel"]),
    (Role.CLIENT, ["menu", "leases", "lang", "calc", "mydata", "help", "cancel"]),
    (Role.SALES, ["menu", "leases", "lang", "calc", "mydata", "help", "cancel"]),
])
async def test_a_leasing_deployment_offers_leases_to_whoever_has_the_leasing_menu(role, commands):
    bot = Bot()
    user = SimpleNamespace(tg_id=42, role=role, roles=[role])
    await set_commands(bot, user, Translator("pl"), frozenset({Area.LEASING}))
    assert bot.menus == [(commands, 42)]


async def test_a_deployment_without_leasing_offers_no_leases():
    bot = Bot()
    user = SimpleNamespace(tg_id=42, role=Role.ADMIN, roles=[Role.ADMIN])
    await set_commands(bot, user, Translator("ru"), frozenset({Area.LEADS}))
    assert "leases" not in bot.menus[0][0]
