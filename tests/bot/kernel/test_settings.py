"""Settings that cannot work are refused at start, with what to set."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from bot.config import Settings, SettingsError, in_effect, load


def test_webhook_mode_needs_a_proper_secret():
    for secret in (None, "short", "has spaces in it, 1234567"):
        with pytest.raises(ValidationError, match="WEBHOOK_URL needs WEBHOOK_SECRET"):
            Settings(_env_file=None, bot_token="1:x", webhook_url="https://bot.example.com/telegram",
                     webhook_secret=secret)
    ok = Settings(_env_file=None, bot_token="1:x", webhook_url="https://bot.example.com/telegram",
                  webhook_secret="a-secret-of-16-chars")
    assert ok.webhook_port == 8081 and ok.webhook_path == "/telegram"
    assert Settings(_env_file=None, bot_token="1:x", webhook_url="").webhook_url is None  # empty: polling


# --- every setting checked in one place at start (bot.config.load): one line each, naming the setting -------------

ENV = ("BOT_TOKEN", "DATABASE_URL", "ADMIN_IDS", "CURRENCY", "LEASE_CURRENCY", "DEFAULT_LOCALE", "DEFAULT_TIMEZONE",
       "LEASE_TIMEZONE", "LOG_LEVEL",
       "TELEGRAM_API_URL", "WEBHOOK_URL", "WEBAPP_URL", "REDIS_URL", "PHONE_REGION", "QUIET_START", "WEBHOOK_SECRET")


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment in an empty folder (no .env), with a database file there."""
    monkeypatch.chdir(tmp_path)
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")

    def set_(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
    return set_


def refused(**kw) -> list[str]:
    with pytest.raises(SettingsError) as caught:
        load(**kw)
    return caught.value.lines


ASK_FOR_ID = ("Telegram ids are numbers (ADMIN_IDS=123456789,987654321), not @usernames or names: to find yours, "
              "send /start to @userinfobot (it answers with your id), or send /start to this bot and read "
              "«/start from Telegram id …» in its log")


@pytest.mark.parametrize(("name", "value", "line"), [
    ("BOT_TOKEN", "123456789-AAH", "BOT_TOKEN: not a bot token: @BotFather gives one like "
     "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw (digits, a colon, then letters, digits, - and _); copy it again"),
    ("ADMIN_IDS", "@boss", f"ADMIN_IDS=@boss: {ASK_FOR_ID}"),
    ("ADMIN_IDS", "123, Иван", f"ADMIN_IDS=123, Иван: {ASK_FOR_ID}"),
    ("DEFAULT_LOCALE", "de", "DEFAULT_LOCALE=de: not a language the bot ships: ru, en, pl"),
    ("DEFAULT_TIMEZONE", "Mars/Base", "DEFAULT_TIMEZONE=Mars/Base: not a timezone zoneinfo knows: an IANA name such "
     "as Europe/Moscow or Europe/Warsaw"),
    ("LEASE_TIMEZONE", "Europe", "LEASE_TIMEZONE=Europe: not a timezone zoneinfo knows: an IANA name such as "
     "Europe/Moscow or Europe/Warsaw"),
    ("LOG_LEVEL", "LOUD", "LOG_LEVEL=LOUD: not a log level: DEBUG, INFO, WARNING or ERROR"),
    ("LEASE_CURRENCY", "ZŁ", "LEASE_CURRENCY=ZŁ: not an ISO 4217 currency code: PLN, RUB, EUR …"),
    ("LEASE_CURRENCY", "XYZ", "LEASE_CURRENCY=XYZ: not an ISO 4217 currency code: PLN, RUB, EUR …"),
    ("CURRENCY", "£", "CURRENCY=£: not an ISO 4217 currency code: PLN, RUB, EUR …"),
    ("CURRENCY", "XYZ", "CURRENCY=XYZ: not an ISO 4217 currency code: PLN, RUB, EUR …"),
    ("QUIET_START", "9pm", "QUIET_START=9pm: not a time of day: HH:MM, such as 21:00"),
    ("PHONE_REGION", "XX", "PHONE_REGION=XX: not a country code phonenumbers knows: two letters such as RU or PL"),
    ("TELEGRAM_API_URL", "localhost:8081", "TELEGRAM_API_URL=localhost:8081: not a web address: http:// or https://, "
     "then a host, such as http://localhost:8081"),
    ("WEBAPP_URL", "http://crm.example.com/app/", "WEBAPP_URL=http://crm.example.com/app/: not an https address, "
     "such as https://crm.example.com/app/"),
    ("REDIS_URL", "localhost:6379", "REDIS_URL=localhost:6379: not a Redis address: redis://host:6379/0 (rediss:// "
     "with TLS, unix:// for a socket)"),
    ("DATABASE_URL", "sqlite:///data/dealgram.db", "DATABASE_URL=sqlite:///data/dealgram.db: SQLite needs the "
     "aiosqlite driver: sqlite+aiosqlite:///data/dealgram.db"),
    ("DATABASE_URL", "mysql://u:pw@db/crm", "DATABASE_URL=mysql://u:***@db/crm: not SQLite or PostgreSQL: "
     "sqlite+aiosqlite:///data/dealgram.db or postgresql+asyncpg://user:password@host:5432/dealgram"),
])
def test_a_setting_that_cannot_work_is_one_line(env, name, value, line):
    env(**{"BOT_TOKEN": "1:x", name: value})
    assert refused() == [line]


def test_the_default_currency_is_one_babel_knows_and_another_is_checked(env):
    """The default LEASE_CURRENCY is taken without loading Babel at start (its tables load with the first sum
    written): it is one Babel knows; another is checked against Babel, whatever its case."""
    from babel.numbers import is_currency

    assert is_currency(Settings.model_fields["lease_currency"].default)
    env(BOT_TOKEN="1:x", LEASE_CURRENCY="eur", CURRENCY="gbp")
    assert (load().lease_currency, load().currency) == ("EUR", "GBP")


@pytest.mark.parametrize(("region", "currency"), [("RU", "RUB"), ("PL", "PLN"), ("GB", "GBP"), ("US", "USD"),
                                                  ("DE", "EUR")])
def test_currency_unset_is_the_phone_regions_countrys(env, region, currency):
    """A London firm (PHONE_REGION=GB) counts in pounds without setting CURRENCY; a set one wins."""
    env(BOT_TOKEN="1:x", PHONE_REGION=region)
    assert load().currency == currency
    env(BOT_TOKEN="1:x", PHONE_REGION=region, CURRENCY="chf")
    assert load().currency == "CHF"


def test_every_problem_at_once_and_the_token_only_to_run(env):
    env(ADMIN_IDS="@boss", DEFAULT_LOCALE="de")
    lines = refused()
    assert lines[0].startswith("ADMIN_IDS=@boss: ") and lines[1].startswith("DEFAULT_LOCALE=de: ")
    assert lines[2] == ("BOT_TOKEN is not set: the token @BotFather gave you (123456789:AA…), in .env or in the "
                        "environment (BOT_TOKEN=…)")
    assert len(refused(token=False)) == 2  # `check` and `migrate` need no token


def test_a_case_typed_otherwise_is_taken(env):
    env(BOT_TOKEN=" 1:x ", DEFAULT_LOCALE="EN", DEFAULT_TIMEZONE="europe/warsaw", LOG_LEVEL="debug",
        PHONE_REGION="pl", ADMIN_IDS="12; 34")
    s = load()
    assert (s.bot_token.get_secret_value(), s.default_locale, s.default_timezone, s.log_level, s.phone_region,
            s.admin_ids) == ("1:x", "en", "Europe/Warsaw", "DEBUG", "PL", frozenset({12, 34}))


def test_a_database_it_cannot_write_is_named(env, tmp_path):
    (tmp_path / "taken").write_text("a file where a folder should be")
    env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'taken' / 'bot.db'}")
    assert refused(token=False) == [
        f"DATABASE_URL: cannot write the SQLite database {tmp_path / 'taken' / 'bot.db'}: {tmp_path / 'taken'} is a "
        f"file, not a folder: give this process a folder it may write to (sqlite+aiosqlite:////absolute/path/"
        f"dealgram.db)"]
    env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}")
    assert refused(token=False) == [
        f"DATABASE_URL: cannot write the SQLite database {tmp_path}: it is a folder, not a file: give this process a "
        f"folder it may write to (sqlite+aiosqlite:////absolute/path/dealgram.db)"]
    env(DATABASE_URL="sqlite+aiosqlite:///new/folder/bot.db")  # a folder not there yet is made; the file is not
    load(token=False)
    assert (tmp_path / "new" / "folder").is_dir() and not (tmp_path / "new" / "folder" / "bot.db").exists()


def test_a_postgresql_out_of_reach_is_named_without_its_password(env):
    from tests.e2e.process import free_port

    port = free_port()
    env(DATABASE_URL=f"postgresql+asyncpg://crm:s3cret@127.0.0.1:{port}/crm")
    [line] = refused(token=False)
    assert line.startswith(f"DATABASE_URL=postgresql+asyncpg://crm:***@127.0.0.1:{port}/crm: cannot connect to "
                           f"PostgreSQL: ")
    assert "s3cret" not in line


# --- the real program: `python -m bot` refuses in lines, exit code 2, never a traceback ---------------------------

HINT = "The settings are read from the environment and .env; docs/settings.md lists them all."


def program(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    """`python -m bot ARGS` in an empty folder (no .env), with only ``env`` set besides the system's."""
    import os

    from tests.e2e.process import ROOT

    clean = {k: v for k, v in os.environ.items() if k not in ENV}
    clean.update({"PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", **env})
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, env=clean, capture_output=True,
                          text=True, timeout=300)


def test_the_program_refuses_bad_settings_in_lines(tmp_path):
    done = program(tmp_path, ADMIN_IDS="@boss", DEFAULT_TIMEZONE="Mars/Base")  # and no BOT_TOKEN
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"ADMIN_IDS=@boss: {ASK_FOR_ID}",
        "DEFAULT_TIMEZONE=Mars/Base: not a timezone zoneinfo knows: an IANA name such as Europe/Moscow or "
        "Europe/Warsaw",
        "BOT_TOKEN is not set: the token @BotFather gave you (123456789:AA…), in .env or in the environment "
        "(BOT_TOKEN=…)",
        HINT]


def test_check_needs_no_token_and_says_what_is_in_effect(tmp_path):
    done = program(tmp_path, "check", DEFAULT_LOCALE="EN", ADMIN_IDS="42")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert {"BOT_TOKEN=(not set)", "DEFAULT_LOCALE=en", "ADMIN_IDS=42", "DEFAULT_TIMEZONE=Europe/Moscow"} <= set(lines)
    assert lines[-1] == "The settings are valid. BOT_TOKEN is still needed to run the bot."
    secret = program(tmp_path, "check", BOT_TOKEN="123:SECRET-part", WEBHOOK_URL="https://x.example.com/telegram",
                     WEBHOOK_SECRET="a-secret-of-16-chars")
    assert "BOT_TOKEN=123:…" in secret.stdout.splitlines() and "WEBHOOK_SECRET=(set)" in secret.stdout.splitlines()
    assert "SECRET-part" not in secret.stdout and "a-secret-of-16-chars" not in secret.stdout


def test_check_and_migrate_name_a_database_they_cannot_write(tmp_path):
    (tmp_path / "taken").write_text("a file where a folder should be")
    where = tmp_path / "taken" / "bot.db"
    line = (f"DATABASE_URL: cannot write the SQLite database {where}: {tmp_path / 'taken'} is a file, not a folder: "
            f"give this process a folder it may write to (sqlite+aiosqlite:////absolute/path/dealgram.db)")
    for command in ("check", "migrate"):
        done = program(tmp_path, command, DATABASE_URL=f"sqlite+aiosqlite:///{where}")
        assert (done.returncode, done.stderr.splitlines(), done.stdout) == (2, [line, HINT], "")
    assert program(tmp_path, "migrate").returncode == 0  # and with a database it can write, no token needed


def test_ksef_settings_are_checked_and_off_without_them(tmp_path):
    from tests.fake_ksef import offline_certificate

    base = dict(_env_file=None, bot_token="1:x")
    assert not Settings(**base).core().ksef.enabled  # KSeF off
    on = Settings(**base, ksef_nip="526-025-02-74", ksef_token="tok", ksef_env="Production").core().ksef
    assert (on.enabled, on.nip, on.token, on.env, on.base_url) == (True, "5260250274", "tok", "production",
                                                                  "https://api.ksef.mf.gov.pl")
    for kw, message in ((dict(ksef_env="prod"), "one of test, demo, production"),
                        (dict(ksef_nip="5260250275", ksef_token="t"), "not a valid NIP"),
                        (dict(ksef_nip="5260250274"), "KSeF needs both KSEF_NIP and KSEF_TOKEN"),
                        (dict(ksef_api_url="ksef.local"), "not a web address"),
                        (dict(ksef_offline_cert=str(tmp_path / "none.pem")), "cannot read the file")):
        with pytest.raises(ValidationError, match=message):
            Settings(**base, **kw)
    cert, key = offline_certificate()
    (tmp_path / "c.pem").write_text(cert)
    (tmp_path / "k.pem").write_text(key)
    with pytest.raises(ValidationError, match="go together"):
        Settings(**base, ksef_offline_cert=str(tmp_path / "c.pem"))
    full = Settings(**base, ksef_nip="5260250274", ksef_token="t", ksef_offline_cert=str(tmp_path / "c.pem"),
                    ksef_offline_key=str(tmp_path / "k.pem")).core().ksef
    assert full.offline_cert_pem == cert and full.offline_key_pem == key
    assert "KSEF_TOKEN=(set)" in in_effect(Settings(**base, ksef_nip="5260250274", ksef_token="secret"))
