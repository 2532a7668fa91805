"""python -m bot [run|scheduler|migrate|check|schedule]  — see docs/operations.md (commands) and docs/settings.md."""

from __future__ import annotations

import signal

if __name__ == "__main__":  # the program, not an import of main() (a test's process keeps its own handler)
    # Until the bot's loop runs, a SIGINT (Ctrl-C, a supervisor stopping a process that is still starting) ends the
    # process as the signal's default does: nothing is in hand yet, and the log gets no KeyboardInterrupt traceback
    # from an import.
    signal.signal(signal.SIGINT, signal.SIG_DFL)

import argparse
import sys
from typing import TYPE_CHECKING

# Only what the parser needs is imported here: `python -m bot --help` (or a mistyped command) answers before the
# settings, aiogram, SQLAlchemy or a handler is loaded; the rest comes in once the command is known.
from bot import schedule_cli

if TYPE_CHECKING:
    from bot.config import SettingsError


def _stoppable() -> None:
    """From here on a SIGINT stops the work in hand cleanly: asyncio.run turns it into the main task's cancellation."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def parser() -> argparse.ArgumentParser:
    """The commands and their options: light (the standard library's argparse, the calculator's two enums)."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="Dealgram: a CRM that lives inside Telegram.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="apply migrations, then run the bot: long polling, or a webhook when WEBHOOK_URL is set"
                               " (the default command)")
    sub.add_parser("scheduler", help="run only the scheduler and the outbox sender (no updates): one per deployment")
    sub.add_parser("migrate", help="apply the database migrations (alembic upgrade head) and exit; no token needed")
    sub.add_parser("check", help="check every setting (the database reached and written to) and print the ones in "
                                 "effect, secrets hidden; no token needed")
    schedule_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)  # --help and a wrong command end here, before anything heavy is imported
    if args.command in (None, "run", "scheduler"):
        # The start builds ~250,000 objects that live as long as the process (modules, aiogram's types, the
        # mappers); the collector's passes over them while they are built find nothing to free and cost about a
        # tenth of the start. Paused until bot.app has built everything, frozen it and turned the collector back on.
        import gc

        gc.disable()
    import asyncio
    import logging

    from bot.config import SettingsError, in_effect, load
    from bot.logs import setup_logging
    from core.clock import SystemClock

    if args.command == "schedule":  # a calculation: no token, no database
        return schedule_cli.run(args, SystemClock().now().astimezone().date())  # the machine's own day

    command = args.command or "run"
    try:  # every setting checked here, at once: a wrong one is a line saying what to set, never a traceback
        settings = load(token=command in ("run", "scheduler"))
    except SettingsError as exc:
        return refuse(exc)
    setup_logging(settings.log_level, settings.bot_token.get_secret_value() if settings.bot_token else "")
    if command == "check":
        print("\n".join(in_effect(settings)))
        print("The settings are valid." + ("" if settings.bot_token else " BOT_TOKEN is still needed to run the bot."))
        return 0
    if command == "migrate":
        from core.db.kernel.engine import create_engine
        from migrations.runner import upgrade

        async def _migrate() -> None:
            engine = create_engine(settings.database_url)
            try:
                await upgrade(engine)
            finally:
                await engine.dispose()

        _stoppable()
        asyncio.run(_migrate())
        from migrations.runner import HEAD

        logging.getLogger("bot").info("the database is at the newest revision, %s", HEAD)
        return 0
    from bot.app import run, run_scheduler

    _stoppable()
    try:
        asyncio.run(run_scheduler(settings) if command == "scheduler" else run(settings))
    except KeyboardInterrupt:
        pass
    except SettingsError as exc:  # found only when used: Telegram refuses the token
        return refuse(exc)
    return 0


def refuse(exc: SettingsError) -> int:
    """Settings that cannot work: one line each on stderr, exit code 2 (a usage error: trying again will not help)."""
    for line in exc.lines:
        print(line, file=sys.stderr)
    print("The settings are read from the environment and .env; docs/settings.md lists them all.", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
