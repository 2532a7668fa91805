"""The bot's command menu (setMyCommands) per chat: it matches the user's role and language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat

from bot.i18n import Translator
from core.db.kernel.models import User
from core.db.kernel.repositories import Recipient
from core.domain.kernel.deployment import EVERYTHING, Area
from core.domain.kernel.roles import Role, held

COMMANDS: dict[Role, tuple[str, ...]] = {
    Role.CLIENT: ("menu", "new", "my", "deals", "leases", "lang", "cancel"),
    Role.AGENT: ("menu", "new", "referrals", "deals", "link", "lang", "cancel"),
    Role.MANAGER: ("menu", "crm", "incoming", "offers", "deals", "profile", "leads", "lead", "tasks", "report",
                   "campaigns", "lang", "cancel"),
    Role.ADMIN: ("menu", "crm", "moderation", "new", "deals", "invite", "leads", "lead", "tasks", "report",
                 "campaigns", "leases", "lang", "cancel"),
}
COMMANDS.update({role: ("menu", "leases", "lang", "cancel")
                 for role in (Role.SALES, Role.RISK, Role.BACK_OFFICE, Role.COLLECTIONS)})
COMMANDS = {role: (*commands[:-1], "calc", "mydata", commands[-1]) for role, commands in COMMANDS.items()}
COMMANDS = {role: (*commands[:-1], "help", commands[-1]) for role, commands in COMMANDS.items()}
COMMANDS[Role.ADMIN] = (*COMMANDS[Role.ADMIN][:-1], "setup", COMMANDS[Role.ADMIN][-1])
COMMANDS[Role.SUPPLIER] = COMMANDS[Role.AGENT]

_MARKET, _LEADS, _COLD, _LEASING = (frozenset({a}) for a in (Area.MARKETPLACE, Area.LEADS, Area.COLD_CALLS,
                                                             Area.LEASING))
#: the areas a command belongs to: offered when the deployment runs one of them (a command not named: always)
COMMAND_AREAS: dict[str, frozenset[Area]] = {
    **dict.fromkeys(("new", "my", "deals", "referrals", "link", "incoming", "offers", "profile", "moderation"),
                    _MARKET),
    **dict.fromkeys(("crm", "tasks"), _LEADS | _COLD),
    **dict.fromkeys(("leads", "lead", "report"), _LEADS),
    "campaigns": _COLD,
    "leases": _LEASING,
    "calc": _MARKET | _LEASING,
}


async def set_commands(bot: Bot, user: User | Recipient, t: Translator,
                       areas: frozenset[Area] = EVERYTHING) -> None:
    """The command menu of this chat matches the user's roles (the union of what each gives, the first one's
    commands first) and language, and what the deployment runs."""
    names = dict.fromkeys(c for role in held(user) for c in COMMANDS[role])
    names = {**{c: None for c in names if c != "cancel"}, "cancel": None}  # «cancel» stays last
    commands = [BotCommand(command=c, description=t(f"commands.{c}")) for c in names
                if COMMAND_AREAS.get(c, EVERYTHING) & areas]
    await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=user.tg_id))
