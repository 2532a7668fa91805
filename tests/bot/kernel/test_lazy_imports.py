"""The bot starts as light as it can: the libraries that make documents, charts, spreadsheets and e-mail, read bank
statements and check phones and tax numbers are loaded when first used, never by the start (bench.footprint says
what that costs); a bot on SQLite does not load SQLAlchemy's PostgreSQL dialect."""

from __future__ import annotations

import subprocess
import sys

from tests.e2e.process import ROOT

#: loaded only when a document, chart, spreadsheet, e-mail or statement is made or read
HEAVY = ("fpdf", "fontTools", "PIL", "numpy", "matplotlib", "jinja2", "mt940", "num2words", "aiosmtplib", "openpyxl",
         "phonenumbers", "stdnum", "ksef_client", "lxml", "qrcode", "httpx",
         "babel", "xml.etree.ElementTree", "alembic",  # CLDR's tables: at the first sum written; XML: 1C's files
         "sqlalchemy.dialects.postgresql")  # on SQLite: no partial index nor upsert loads PostgreSQL's dialect

START = f"""
import sys
import bot.__main__
from bot.app import build
from bot.config import Settings

build(Settings(_env_file=None, bot_token="1:x", database_url="sqlite+aiosqlite:///:memory:"))  # the dispatcher too
print(" ".join(sorted(name for name in {HEAVY!r} if name in sys.modules)))
"""


def test_the_start_loads_no_document_chart_or_spreadsheet_library():
    done = subprocess.run([sys.executable, "-c", START], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", f"imported at start: {done.stdout.strip()}"
