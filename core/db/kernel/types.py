"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.types import TypeDecorator

from core.domain.kernel.preferences import locale_or_default, zone_or_default


class Fixed(TypeDecorator):
    """A Decimal with ``places`` decimal places (a quantity of 2.125 t, a discount of 12.5 %), stored exactly as a
    whole number of its smallest unit (BIGINT). More places are refused, never rounded here: whoever computes one
    rounds it first, by the rule the business names."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self.scale = Decimal(10) ** places

    def process_bind_param(self, value: Decimal | None, dialect) -> int | None:
        if value is None:
            return None
        units = Decimal(value) * self.scale
        if units != units.to_integral_value():
            places = {2: "two", 3: "three"}.get(self.places, str(self.places))
            raise ValueError(f"{value} has more than {places} decimal places: round it by a named rule first")
        return int(units)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value) / self.scale).quantize(Decimal(1).scaleb(-self.places))


class Money(Fixed):
    """A Decimal amount with two places, stored exactly as whole kopecks (BIGINT)."""

    cache_ok = True  # SQLAlchemy asks each subclass for itself

    def __init__(self) -> None:
        super().__init__(2)


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes, stored in UTC; SQLite's naive values come back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class LocaleName(TypeDecorator):
    """A person's language code: one the bot does not ship is read as the deployment's default (said once in the
    log), so a bad row can never break what is sent to that person."""

    impl = String
    cache_ok = True

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else locale_or_default(value)


class ZoneName(TypeDecorator):
    """A person's IANA timezone: one zoneinfo does not know is read as the deployment's default (said once in the
    log), so a bad row can never stop the scheduler's scans for everyone."""

    impl = String
    cache_ok = True

    def process_result_value(self, value: str | None, dialect) -> str | None:
        return None if value is None else zone_or_default(value)
