"""The status families stored as strings have enums whose values are the strings the rows hold (no migration)."""

from __future__ import annotations

from core.domain.deals.workspace import FeedKind
from core.domain.leasing.case import OFFER_OPEN, LeaseFileStatus, LeaseOfferStatus


def test_the_stored_strings_are_the_enums_values():
    assert [s.value for s in LeaseOfferStatus] == ["draft", "sent", "accepted", "superseded"]
    assert [s.value for s in LeaseFileStatus] == ["sent", "accepted", "rejected", "replaced"]
    assert [k.value for k in FeedKind] == [
        "comment", "reminder", "reminder_done", "status", "payment", "order", "source", "lease",
        "stage_overdue", "payment_received", "payment_moved", "order_payment", "order_shipped", "survey_done", "quote",
        "client_field", "access_group", "cadence", "interaction", "call_done", "rerouted", "mail_queued", "mail_failed",
        "lease_offer", "lease_file", "lease_verified", "terms_accepted", "vendor_paid", "registration", "insurance",
        "late_interest", "receipt", "receipt_found", "correction", "charge", "dunning", "on_behalf", "ownership",
        "mail_off", "tasks_closed"]
    assert all(len(k.value) <= 16 for k in FeedKind)  # deal_feed.kind is String(16)
    assert max(len(k) for k in FeedKind) <= 16 and max(len(s) for s in (*LeaseOfferStatus, *LeaseFileStatus)) <= 16


def test_a_new_version_replaces_the_open_ones_only():
    assert OFFER_OPEN == {"draft", "sent"}
