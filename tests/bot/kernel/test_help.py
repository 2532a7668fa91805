"""`python -m bot --help` answers from the argument parser alone: no setting read, no aiogram, no SQLAlchemy, no
handler loaded (it took 5–10 s on a busy machine when it built the app first)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.process import ROOT

#: what only the app needs; --help and a wrong command load none of it
APP = ("aiogram", "sqlalchemy", "aiohttp", "pydantic", "pydantic_settings", "apscheduler", "alembic", "bot.app",
       "bot.config", "bot.handlers", "bot.i18n", "core.db")

PROBE = f"""
import runpy, sys
sys.argv = ["bot", *sys.argv[1:]]
try:
    runpy.run_module("bot", run_name="__main__")
except SystemExit as done:
    code = done.code
loaded = sorted(name for name in {APP!r} if name in sys.modules)
print("LOADED:" + " ".join(loaded))
print("CODE:" + str(code))
"""


@pytest.mark.parametrize("args", [["--help"], ["schedule", "--help"], ["no-such-command"]])
def test_help_loads_none_of_the_app(args):
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    lines = dict(line.split(":", 1) for line in done.stdout.splitlines() if line[:5] in ("LOADE", "CODE:"))
    assert lines["LOADED"] == "", f"--help imported {lines['LOADED']}"
    if args[0] == "no-such-command":
        assert lines["CODE"] == "2" and "invalid choice" in done.stderr
    else:
        assert lines["CODE"] == "0" and "usage: python -m bot" in done.stdout


def test_help_lists_the_commands():
    done = subprocess.run([sys.executable, "-m", "bot", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and done.stderr == ""
    for command in ("run", "scheduler", "migrate", "check", "schedule"):
        assert command in done.stdout
