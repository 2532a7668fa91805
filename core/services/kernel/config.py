from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class KsefConfig:
    """KSeF (core.services.leasing.books.ksef): KSEF_ENV, KSEF_NIP, KSEF_TOKEN; KSEF_API_URL another address of the
    API (the fake server in tests); the offline certificate and its key sign KOD II on a faktura issued offline.
    Without the NIP and the token KSeF is off: the fakturas are queued, none is sent."""

    env: str = "test"  # test | demo | production
    nip: str | None = None
    token: str | None = None
    api_url: str | None = None
    offline_cert_pem: str | None = None
    offline_key_pem: str | None = None
    timeout: float = 10.0
    poll_seconds: float = 1.0
    poll_attempts: int = 30
    retry_seconds: int = 60  # the first retry after KSeF was down; doubled each time, up to an hour

    @property
    def enabled(self) -> bool:
        return bool(self.nip and self.token)

    @property
    def base_url(self) -> str:
        from core.documents.ksef import ENVIRONMENTS

        return self.api_url or ENVIRONMENTS[self.env][0]

    @property
    def qr_url(self) -> str:
        from core.documents.ksef import ENVIRONMENTS

        return ENVIRONMENTS[self.env][1]


@dataclass(frozen=True)
class CoreConfig:
    """The knobs the use cases read; the composition root fills it from the settings."""

    phone_region: str = "RU"
    default_locale: str = "ru"
    default_timezone: str = "Europe/Moscow"
    offer_hold_minutes: int = 15
    invite_ttl_hours: int = 72
    link_key: bytes = field(default=b"", repr=False)  # signs a lease case's client link (derived from the bot token)
    max_file_bytes: int = 20 * 1024 * 1024
    album_delay_seconds: float = 1.5
    max_text: int = 2000
    max_files: int = 10
    call_attempts: int = 3  # «Недозвон» after this many call attempts …
    call_span_hours: int = 48  # … spread over at least this long
    calling_cadence_days: tuple[int, ...] = (1, 2, 4)  # «Прозвон» tasks again after these days
    overdue_after_minutes: int = 60  # an open task this long past due is overdue: responsible and supervisor told
    quiet_start: str = "21:00"  # no reminders between these local times: they wait for the morning
    quiet_end: str = "09:00"
    digest_at: str = "09:00"  # each morning at this local time every manager gets a digest
    lease_currency: str = "PLN"  # the leasing calculator's money (seed 002's lessor is Polish)
    lease_timezone: str = "Europe/Warsaw"  # the lessor's day: when a line falls due, when a run is for
    lease_sales_commission: Decimal = Decimal("1.00")  # % of the financed amount, to the salesperson
    lease_vendor_commission: Decimal = Decimal("0.50")  # % of the financed amount, to the vendor
    lease_insurance_days: tuple[int, ...] = (30, 7)  # reminders this many days before a policy ends
    lease_invoice_days: int = 14  # an instalment's faktura this many days before its due date (0: on the day)
    ksef: KsefConfig = field(default_factory=KsefConfig)  # the fakturas to KSeF (off without a NIP and a token)
    lease_max_months: int = 240  # the longest term a calculation or an offer takes (core.domain.leasing.calc)
