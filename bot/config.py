"""Settings from the environment or .env (docs/settings.md has the table). ``load`` checks them all in one place at
start: each one that cannot work is one line naming the setting, its value (never a secret's) and what to set."""

from __future__ import annotations

import hashlib
import re
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import PositiveInt, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.domain.kernel.preferences import SUPPORTED_LOCALES, known_zone
from core.services.kernel.config import CoreConfig, KsefConfig
from core.services.kernel.mail import SmtpConfig, SmtpMailer, domain_of

#: the shape of a token @BotFather gives (aiogram's own check): the bot's id, a colon, the secret
TOKEN_SHAPE = re.compile(r"\d+:[A-Za-z0-9_-]+")
FIND_YOUR_ID = ("send /start to @userinfobot (it answers with your id), or send /start to this bot and read "
                "«/start from Telegram id …» in its log")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None  # required to run (load(token=True)); `check` and `migrate` need none
    database_url: str = "sqlite+aiosqlite:///data/dealgram.db"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    telegram_api_url: str | None = None
    redis_url: str | None = None
    default_locale: str = "ru"
    default_timezone: str = "Europe/Moscow"
    phone_region: str = "RU"
    # the CRM's money: leads, deals, cold calls and their orders (ISO 4217); unset: PHONE_REGION's country's
    currency: str | None = None
    lease_currency: str = "PLN"
    lease_timezone: str = "Europe/Warsaw"  # the lessor's day: when an instalment falls due, when a run is for
    lease_sales_commission: Decimal = Decimal("1.00")  # % of the financed amount, to the salesperson, monthly
    lease_vendor_commission: Decimal = Decimal("0.50")  # % of the financed amount, to the vendor, monthly
    lease_max_months: int = 240  # the longest term a leasing calculation or offer takes (1 … 600)
    lease_invoice_days: int = 14  # an instalment's faktura this many days before its due date (0 … 60)
    whitelist_url: str = "https://wl-api.mf.gov.pl"  # the VAT white list's API (G2I, seed 002)
    registry_timeout: float = 5.0  # seconds an outside registry may take before it counts as down
    max_file_mb: int = 20
    max_files: int = 10
    offer_hold_minutes: int = 15
    invite_ttl_hours: int = 72
    send_rate_per_second: float = 29.5  # a margin under Telegram's 30 for the network's jitter
    send_chat_interval: float = 1.0
    outbox_lease_seconds: float = 60.0
    throttle_per_minute: int = 60
    album_delay_seconds: float = 1.5
    call_attempts: int = 3
    call_span_hours: int = 48
    calling_cadence_days: Annotated[tuple[int, ...], NoDecode] = (1, 2, 4)
    overdue_after_minutes: int = 60
    quiet_start: str = "21:00"
    quiet_end: str = "09:00"
    digest_at: str = "09:00"
    scan_seconds: int = 30
    mail_seconds: float = 10  # how often the mail outbox is delivered (the КП, the invoice)
    webapp_port: int | None = None  # serve the kanban Mini App on this port (None: not served)
    webapp_host: str = "127.0.0.1"
    webapp_url: str | None = None  # its public https address (…/app/): the chat's «Канбан» button opens it
    webapp_auth_ttl: int = 86400  # seconds an initData stays valid
    webhook_url: str | None = None  # set: webhook mode (Telegram posts updates here); empty: long polling
    webhook_secret: SecretStr | None = None  # required in webhook mode: Telegram sends it in every request
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8081
    webhook_path: str = "/telegram"
    scheduler: bool = True  # off on bot workers when one `python -m bot scheduler` process runs the scans
    log_level: str = "INFO"
    smtp_host: str | None = None  # e-mail to counterparties (seed 001: the card, the КП, the invoice); empty: by hand
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "dealgram@localhost"
    smtp_security: str = "starttls"  # starttls | ssl | none
    mail_domain: str | None = None  # the e-mails' Message-ID domain; empty: SMTP_FROM's domain
    business_name: str = ""  # the welcome names it («Это {name} в Telegram»); empty: a neutral greeting
    card_text: str = "Здравствуйте! Высылаем визитку нашей компании. С уважением, отдел продаж."
    ksef_env: str = "test"  # KSeF (docs/ksef.md): test | demo | production
    ksef_nip: str | None = None  # the lessor's NIP: with KSEF_TOKEN, the fakturas go to KSeF; without, KSeF is off
    ksef_token: SecretStr | None = None  # a KSeF token the lessor generated in KSeF for this NIP
    ksef_api_url: str | None = None  # another address of KSeF's API (a fake one for a local run); empty: KSEF_ENV's
    ksef_offline_cert: Path | None = None  # the KSeF offline certificate (PEM) that signs KOD II on an offline faktura
    ksef_offline_key: Path | None = None  # its private key (PEM, unencrypted)
    ksef_retry_seconds: PositiveInt = 60  # KSeF down: the first retry after this long, doubling, at most hourly

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value):
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            if not all(part.isdigit() for part in parts):
                raise ValueError(f"Telegram ids are numbers (ADMIN_IDS=123456789,987654321), not @usernames or "
                                 f"names: to find yours, {FIND_YOUR_ID}")
            return frozenset(int(part) for part in parts)
        return value

    @field_validator("calling_cadence_days", mode="before")
    @classmethod
    def _split_days(cls, value):
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            if not parts or not all(part.isdigit() for part in parts):
                raise ValueError("whole days separated by commas, such as 1,2,4")
            return tuple(int(part) for part in parts)
        return value

    @field_validator("bot_token", "telegram_api_url", "redis_url", "webapp_url", "webapp_port", "webhook_url",
                     "webhook_secret", "smtp_host", "smtp_user", "smtp_password", "mail_domain", "ksef_nip",
                     "ksef_token", "ksef_api_url", "ksef_offline_cert", "ksef_offline_key", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return value or None

    @field_validator("currency", "lease_currency")
    @classmethod
    def _a_currency(cls, value: str | None):
        if value is None:  # CURRENCY unset: PHONE_REGION's (_the_regions_currency)
            return None
        code = value.strip().upper()
        if code in ("RUB", "PLN"):  # the defaults, currencies Babel knows (a test says so): its tables (~5 MB) load
            return code            # when the first sum is written, not at start
        from babel.numbers import is_currency

        if not is_currency(code):
            raise ValueError("not an ISO 4217 currency code: PLN, RUB, EUR …")
        return code

    @field_validator("lease_max_months")
    @classmethod
    def _a_term(cls, value: int):
        from core.domain.leasing.calc import MAX_MONTHS

        if not 1 <= value <= MAX_MONTHS:
            raise ValueError(f"a number of months from 1 to {MAX_MONTHS}")
        return value

    @field_validator("lease_invoice_days")
    @classmethod
    def _a_lead(cls, value: int):
        from core.domain.leasing.books import MAX_INVOICE_LEAD_DAYS

        if not 0 <= value <= MAX_INVOICE_LEAD_DAYS:
            raise ValueError(f"whole days from 0 (on the due date) to {MAX_INVOICE_LEAD_DAYS} (the VAT act's "
                             "limit for a faktura before the service)")
        return value

    @field_validator("bot_token")
    @classmethod
    def _a_token(cls, value: SecretStr | None):
        if value is not None and not TOKEN_SHAPE.fullmatch(value.get_secret_value().strip()):
            raise ValueError("not a bot token: @BotFather gives one like 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw "
                             "(digits, a colon, then letters, digits, - and _); copy it again")
        return SecretStr(value.get_secret_value().strip()) if value is not None else None

    @field_validator("default_locale")
    @classmethod
    def _a_shipped_locale(cls, value: str):
        if value.strip().lower() not in SUPPORTED_LOCALES:
            raise ValueError(f"not a language the bot ships: {', '.join(SUPPORTED_LOCALES)}")
        return value.strip().lower()

    @field_validator("default_timezone", "lease_timezone")
    @classmethod
    def _a_known_zone(cls, value: str):
        from core.domain.kernel.errors import InvalidInput
        from core.domain.kernel.schedule import check_timezone

        try:
            return value.strip() if known_zone(value.strip()) else check_timezone(value)  # the case as typed forgiven
        except InvalidInput:
            raise ValueError("not a timezone zoneinfo knows: an IANA name such as Europe/Moscow or "
                             "Europe/Warsaw") from None

    @field_validator("phone_region")
    @classmethod
    def _a_phone_region(cls, value: str):
        if value.strip().upper() == "RU":  # the default: phonenumbers (~1.5 MB) loads at the first phone, not now
            return "RU"
        from phonenumbers import SUPPORTED_REGIONS

        if value.strip().upper() not in SUPPORTED_REGIONS:
            raise ValueError("not a country code phonenumbers knows: two letters such as RU or PL")
        return value.strip().upper()

    @field_validator("quiet_start", "quiet_end", "digest_at")
    @classmethod
    def _a_time_of_day(cls, value: str):
        try:
            return time.fromisoformat(value.strip()).strftime("%H:%M")
        except ValueError:
            raise ValueError("not a time of day: HH:MM, such as 21:00") from None

    @field_validator("log_level")
    @classmethod
    def _a_log_level(cls, value: str):
        if value.strip().upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("not a log level: DEBUG, INFO, WARNING or ERROR")
        return value.strip().upper()

    @field_validator("smtp_security")
    @classmethod
    def _an_smtp_security(cls, value: str):
        if value.strip().lower() not in ("starttls", "ssl", "none"):
            raise ValueError("one of starttls, ssl, none")
        return value.strip().lower()

    @field_validator("database_url")
    @classmethod
    def _a_database_url(cls, value: str):
        return checked_database_url(value)

    @field_validator("ksef_env")
    @classmethod
    def _a_ksef_env(cls, value: str):
        if value.strip().lower() not in ("test", "demo", "production"):
            raise ValueError("one of test, demo, production (KSeF's environments)")
        return value.strip().lower()

    @field_validator("ksef_nip")
    @classmethod
    def _a_nip(cls, value: str | None):
        if value is None:
            return None
        from stdnum.pl import nip

        if not nip.is_valid(value):
            raise ValueError("not a valid NIP: 10 digits with their check digit, such as 5260250274")
        return nip.compact(value)

    @field_validator("ksef_offline_cert", "ksef_offline_key")
    @classmethod
    def _a_pem_file(cls, value: Path | None):
        if value is None:
            return None
        try:
            text = value.read_text()
        except OSError as exc:
            raise ValueError(f"cannot read the file: {exc.strerror or exc}") from None
        if "-----BEGIN " not in text:
            raise ValueError("not a PEM file (-----BEGIN …-----)")
        return value

    @field_validator("telegram_api_url", "webhook_url", "whitelist_url", "webapp_url", "ksef_api_url")
    @classmethod
    def _a_web_address(cls, value: str | None, info):
        if value is None:
            return None
        parts = urlsplit(value.strip())
        secure = info.field_name == "webapp_url"  # Telegram opens a Mini App only over https
        if parts.scheme not in (("https",) if secure else ("http", "https")) or not parts.hostname:
            raise ValueError("not an https address, such as https://crm.example.com/app/" if secure else
                             "not a web address: http:// or https://, then a host, such as http://localhost:8081")
        return value.strip()

    @field_validator("redis_url")
    @classmethod
    def _a_redis_url(cls, value: str | None):
        if value is not None and urlsplit(value.strip()).scheme not in ("redis", "rediss", "unix"):
            raise ValueError("not a Redis address: redis://host:6379/0 (rediss:// with TLS, unix:// for a socket)")
        return value

    @model_validator(mode="after")
    def _the_regions_currency(self):
        """CURRENCY unset: the currency of the country PHONE_REGION names (GB: GBP, PL: PLN, RU: RUB), a London
        firm's sums in pounds without another setting."""
        if self.currency is None:
            self.currency = region_currency(self.phone_region)
        return self

    @model_validator(mode="after")
    def _ksef_needs_both(self):
        if bool(self.ksef_nip) != bool(self.ksef_token):
            raise ValueError("KSeF needs both KSEF_NIP and KSEF_TOKEN (or neither: KSeF off)")
        if bool(self.ksef_offline_cert) != bool(self.ksef_offline_key):
            raise ValueError("KSEF_OFFLINE_CERT and KSEF_OFFLINE_KEY go together (the certificate and its key)")
        return self

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self):
        if self.webhook_url:
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
                raise ValueError("WEBHOOK_URL needs WEBHOOK_SECRET: 16 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return self

    def mailer(self) -> SmtpMailer | None:
        if not self.smtp_host:
            return None
        return SmtpMailer(SmtpConfig(
            host=self.smtp_host, port=self.smtp_port, sender=self.smtp_from, user=self.smtp_user,
            password=self.smtp_password.get_secret_value() if self.smtp_password else None,
            security=self.smtp_security, domain=self.mail_domain or domain_of(self.smtp_from)))

    def _link_key(self) -> bytes:
        """The key a lease case's client link is signed with: derived from the bot's token (a secret only this
        deployment holds; a new token voids the links handed out before)."""
        if self.bot_token is None:
            return b""
        return hashlib.sha256(b"dealgram case links\0" + self.bot_token.get_secret_value().encode()).digest()

    def core(self) -> CoreConfig:
        return CoreConfig(
            phone_region=self.phone_region, default_locale=self.default_locale,
            default_timezone=self.default_timezone, offer_hold_minutes=self.offer_hold_minutes,
            invite_ttl_hours=self.invite_ttl_hours,
            link_key=self._link_key(), max_file_bytes=self.max_file_mb * 1024 * 1024,
            album_delay_seconds=self.album_delay_seconds, max_files=self.max_files,
            call_attempts=self.call_attempts, call_span_hours=self.call_span_hours,
            calling_cadence_days=self.calling_cadence_days, overdue_after_minutes=self.overdue_after_minutes,
            quiet_start=self.quiet_start, quiet_end=self.quiet_end, digest_at=self.digest_at,
            lease_currency=self.lease_currency, lease_timezone=self.lease_timezone,
            lease_sales_commission=self.lease_sales_commission, lease_vendor_commission=self.lease_vendor_commission,
            ksef=KsefConfig(env=self.ksef_env, nip=self.ksef_nip,
                            token=self.ksef_token.get_secret_value() if self.ksef_token else None,
                            api_url=self.ksef_api_url,
                            offline_cert_pem=self.ksef_offline_cert.read_text() if self.ksef_offline_cert else None,
                            offline_key_pem=self.ksef_offline_key.read_text() if self.ksef_offline_key else None,
                            retry_seconds=self.ksef_retry_seconds),
            lease_max_months=self.lease_max_months, lease_invoice_days=self.lease_invoice_days,
        )


#: settings whose value a refusal never repeats
SECRET = frozenset({"bot_token", "webhook_secret", "smtp_password", "ksef_token"})


class SettingsError(Exception):
    """Settings that cannot work: one line each, naming the setting and what to set."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def load(*, token: bool = True, database: bool = True) -> Settings:
    """The settings in effect, each checked; ``token``: the bot token is required (not for `check` and `migrate`);
    ``database``: the database is reached and written to. Raises SettingsError with every problem found."""
    try:
        settings = Settings()
    except ValidationError as exc:
        lines = [_line(error) for error in exc.errors()]
        failed = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        essentials = _Essentials()  # what the others' failure hides: a missing token, a database out of reach
        if token and "bot_token" not in failed and not essentials.bot_token:
            lines.append(NO_TOKEN)
        if database and "database_url" not in failed and (problem := database_problem(essentials.database_url)):
            lines.append(problem)
        raise SettingsError(lines) from None
    lines = []
    if token and settings.bot_token is None:
        lines.append(NO_TOKEN)
    if database and (problem := database_problem(settings.database_url)):
        lines.append(problem)
    if lines:
        raise SettingsError(lines)
    return settings


def region_currency(region: str) -> str:
    """The currency a country tenders today (Babel's territory data; RU without loading its tables at start)."""
    if region == "RU":
        return "RUB"
    from babel.numbers import get_territory_currencies

    return next(iter(get_territory_currencies(region, tender=True)), "RUB")


NO_TOKEN = ("BOT_TOKEN is not set: the token @BotFather gave you (123456789:AA…), in .env or in the environment "
            "(BOT_TOKEN=…)")


class _Essentials(BaseSettings):
    model_config = Settings.model_config
    bot_token: str | None = None
    database_url: str = Settings.model_fields["database_url"].default


def _line(error: dict) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if not error["loc"]:
        return message
    field = str(error["loc"][0])
    name = field.upper()
    if field in SECRET or error["type"] == "missing" or not isinstance(error.get("input"), str | int | float):
        return f"{name}: {message}"
    return f"{name}={_shown(error['input'])}: {message}"


def _shown(value) -> str:
    """A value as a refusal repeats it: a password in an address hidden."""
    return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", str(value))


def checked_database_url(url: str) -> str:
    """DATABASE_URL if its shape is one Dealgram runs on; else a ValueError saying what to set."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    example = "sqlite+aiosqlite:///data/dealgram.db or postgresql+asyncpg://user:password@host:5432/dealgram"
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        raise ValueError(f"not a database address: {example}") from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if backend == "sqlite" and driver != "aiosqlite":
        raise ValueError("SQLite needs the aiosqlite driver: sqlite+aiosqlite:///data/dealgram.db")
    if backend == "postgresql" and driver != "asyncpg":
        raise ValueError("PostgreSQL needs the asyncpg driver: postgresql+asyncpg://user:password@host:5432/dealgram")
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"not SQLite or PostgreSQL: {example}")
    if backend == "sqlite" and not parsed.database:
        raise ValueError("names no file: sqlite+aiosqlite:///data/dealgram.db (relative) or sqlite+aiosqlite:////"
                         "var/lib/dealgram/dealgram.db (absolute)")
    return url.strip()


def database_problem(url: str, timeout: float = 5) -> str | None:
    """Whether the database can be reached and written to: one line naming it and why not, or None. SQLite: the
    file (made, with its folder, if it is not there yet) takes a write lock; PostgreSQL: a connection within
    ``timeout`` seconds to a server that is not read-only."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:") or parsed.database.startswith("file:"):
            return None
        return _sqlite_problem(Path(parsed.database))
    import asyncio

    shown = parsed.render_as_string(hide_password=True)
    try:
        read_only = asyncio.run(_postgres_read_only(url, timeout))
    except Exception as exc:  # the driver's own: refused, unknown host, bad password, no such database
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"DATABASE_URL={shown}: cannot connect to PostgreSQL: {reason}"
    if read_only:
        return f"DATABASE_URL={shown}: the PostgreSQL server is read-only (a standby?): point it at the primary"
    return None


def _sqlite_problem(path: Path) -> str | None:
    import sqlite3

    where = path.resolve()
    existed = where.exists()
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(where, timeout=5)
        try:
            connection.execute("BEGIN IMMEDIATE")  # a write lock: the file and its folder are writable
            connection.execute("ROLLBACK")
        finally:
            connection.close()
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if where.is_dir():
            reason = "it is a folder, not a file"
        elif blocking := next((p for p in where.parents if p.exists() and not p.is_dir()), None):
            reason = f"{blocking} is a file, not a folder"
        return (f"DATABASE_URL: cannot write the SQLite database {where}: {reason}: give this process a folder "
                f"it may write to (sqlite+aiosqlite:////absolute/path/dealgram.db)")
    if not existed and where.exists() and where.stat().st_size == 0:
        where.unlink()  # only tried: the migrations make it
    return None


async def _postgres_read_only(url: str, timeout: float) -> bool:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url, connect_args={"timeout": timeout})
    try:
        async with engine.connect() as connection:
            return (await connection.execute(text("SHOW transaction_read_only"))).scalar() == "on"
    finally:
        await engine.dispose()


def in_effect(settings: Settings) -> list[str]:
    """`python -m bot check`: every setting as it is in effect, NAME=value; secrets only said to be set (the token's
    bot id, which is public, shown)."""
    lines = []
    for field in Settings.model_fields:
        value = getattr(settings, field)
        if field == "bot_token":
            shown = f"{value.get_secret_value().split(':')[0]}:…" if value else "(not set)"
        elif field in SECRET:
            shown = "(set)" if value else "(not set)"
        elif isinstance(value, frozenset | tuple):
            shown = ",".join(str(x) for x in sorted(value)) if isinstance(value, frozenset) else \
                ",".join(str(x) for x in value)
        else:
            shown = "" if value is None else _shown(value)
        lines.append(f"{field.upper()}={shown}")
    return lines
