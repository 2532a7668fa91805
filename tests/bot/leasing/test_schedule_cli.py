"""`python -m bot schedule`: the calculator's schedule as CSV, with no token and no database; bad terms get the
reason in the chosen language and exit code 1."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from decimal import Decimal

import pytest

from bot.__main__ import main
from tests.e2e.process import ROOT


def test_the_csv_of_a_schedule(capsys, monkeypatch):
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    assert main(["schedule", "--amount", "100000", "--rate", "12", "--months", "12", "--start", "2028-01-31",
                 "--residual", "10000", "--timing", "advance"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["n", "date", "payment", "interest", "principal", "balance"]
    assert [r[1] for r in rows[1:4]] == ["2028-01-31", "2028-02-29", "2028-03-31"]  # in advance: from the start
    assert rows[1][3] == "0.00" and rows[1][2] == rows[1][4]  # the first instalment in advance carries no interest
    assert rows[-1][0] == "12" and rows[-1][5] == "10000.00"  # the wykup is what is left
    assert sum(Decimal(r[4]) for r in rows[1:]) == Decimal(90000)


def test_a_decreasing_schedule_in_polish_amounts(capsys):
    assert main(["schedule", "--amount", "1 500 000,00", "--rate", "7,5", "--months", "3", "--method",
                 "decreasing", "--start", "2027-03-15"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1] == ["1", "2027-04-15", "509375.00", "9375.00", "500000.00", "1000000.00"]
    assert rows[3] == ["3", "2027-06-15", "503125.00", "3125.00", "500000.00", "0.00"]


@pytest.mark.parametrize(("args", "message"), [
    (["--months", "0"], "Срок — от 1 до 240 месяцев."),
    (["--months", "0", "--lang", "pl"], "Okres to od 1 do 240 miesięcy."),
    (["--months", "241", "--lang", "en"], "The term is 1 to 240 months."),
    (["--rate", "-1", "--lang", "en"], "The rate is yearly, in percent: 0 to 50."),
    (["--residual", "100000", "--lang", "en"], "The residual must be at least zero and below the financed amount."),
    (["--amount", "12abc", "--lang", "en"], "--amount: «12abc» is not a number."),
    (["--amount", "NaN", "--lang", "en"], "--amount: «NaN» is not a number."),
    (["--start", "2027-02-29", "--lang", "en"], "--start: «2027-02-29» is not a date YYYY-MM-DD."),
])
def test_bad_terms_are_refused_with_the_reason(args, message, capsys):
    base = {"--amount": "100000", "--rate": "5", "--months": "12", "--start": "2027-01-01"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    with pytest.raises(SystemExit) as caught:
        main(["schedule", *[x for kv in base.items() for x in kv]])
    assert caught.value.code == message
    assert capsys.readouterr().out == ""  # no half a CSV


def test_the_real_command():
    done = subprocess.run([sys.executable, "-m", "bot", "schedule", "--amount", "1200", "--rate", "0", "--months",
                           "3", "--start", "2027-01-31"], cwd=ROOT, capture_output=True, text=True, env={"PATH": ""},
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["n,date,payment,interest,principal,balance",
                                        "1,2027-02-28,400.00,0.00,400.00,800.00",
                                        "2,2027-03-31,400.00,0.00,400.00,400.00",
                                        "3,2027-04-30,400.00,0.00,400.00,0.00"]


@pytest.mark.parametrize(("env", "lang", "message"), [
    ("pl", None, "Kwota musi być większa od zera i nie większa niż 1\xa0000\xa0000\xa0000."),
    ("pl", "en", "The amount must be above zero and at most 1,000,000,000."),
    ("en", None, "The amount must be above zero and at most 1,000,000,000."),
    ("ru", None, "Сумма — больше нуля и не больше 1\xa0000\xa0000\xa0000."),
    ("xx", None, "Сумма — больше нуля и не больше 1\xa0000\xa0000\xa0000."),
])
def test_the_command_speaks_the_deployments_language(env, lang, message, monkeypatch, capsys):
    """DEFAULT_LOCALE, as the bot reads it, unless --lang says otherwise; the cap written as a number is written."""
    monkeypatch.setenv("DEFAULT_LOCALE", env)
    with pytest.raises(SystemExit) as caught:
        main(["schedule", "--amount", "2000000000", "--rate", "5", "--months", "12", "--start", "2027-01-01",
              *(["--lang", lang] if lang else [])])
    assert caught.value.code == message
    assert capsys.readouterr().out == ""
