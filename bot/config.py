"""Settings from the environment or .env (see the table in README.md)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from babel.numbers import is_currency
from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.services.kernel.config import CoreConfig
from core.services.kernel.mail import SmtpConfig, SmtpMailer


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    database_url: str = "sqlite+aiosqlite:///data/dealgram.db"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    telegram_api_url: str | None = None
    redis_url: str | None = None
    default_locale: str = "ru"
    default_timezone: str = "Europe/Moscow"
    phone_region: str = "RU"
    lease_currency: str = "PLN"
    lease_timezone: str = "Europe/Warsaw"  # the lessor's day: when an instalment falls due, when a run is for
    lease_sales_commission: Decimal = Decimal("1.00")  # % of the financed amount, to the salesperson, monthly
    lease_vendor_commission: Decimal = Decimal("0.50")  # % of the financed amount, to the vendor, monthly
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
    card_text: str = "Здравствуйте! Высылаем визитку нашей компании. С уважением, отдел продаж."

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value):
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("calling_cadence_days", mode="before")
    @classmethod
    def _split_days(cls, value):
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("telegram_api_url", "redis_url", "webapp_url", "webapp_port", "webhook_url", "webhook_secret",
                     "smtp_host", "smtp_user", "smtp_password", mode="before")
    @classmethod
    def _empty_is_none(cls, value):
        return value or None

    @field_validator("lease_currency")
    @classmethod
    def _a_currency(cls, value: str):
        if not is_currency(value.upper()):
            raise ValueError("LEASE_CURRENCY is an ISO 4217 code: PLN, RUB, EUR …")
        return value.upper()

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
        if self.smtp_security not in ("starttls", "ssl", "none"):
            raise ValueError("SMTP_SECURITY is one of starttls, ssl, none")
        return SmtpMailer(SmtpConfig(
            host=self.smtp_host, port=self.smtp_port, sender=self.smtp_from, user=self.smtp_user,
            password=self.smtp_password.get_secret_value() if self.smtp_password else None,
            security=self.smtp_security))

    def core(self) -> CoreConfig:
        return CoreConfig(
            phone_region=self.phone_region, default_locale=self.default_locale,
            default_timezone=self.default_timezone, offer_hold_minutes=self.offer_hold_minutes,
            invite_ttl_hours=self.invite_ttl_hours, max_file_bytes=self.max_file_mb * 1024 * 1024,
            album_delay_seconds=self.album_delay_seconds, max_files=self.max_files,
            call_attempts=self.call_attempts, call_span_hours=self.call_span_hours,
            calling_cadence_days=self.calling_cadence_days, overdue_after_minutes=self.overdue_after_minutes,
            quiet_start=self.quiet_start, quiet_end=self.quiet_end, digest_at=self.digest_at,
            lease_currency=self.lease_currency, lease_timezone=self.lease_timezone,
            lease_sales_commission=self.lease_sales_commission, lease_vendor_commission=self.lease_vendor_commission,
        )
