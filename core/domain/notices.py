"""Every kind of message the core queues for a person (the outbox's ``kind``). The bot renders each in the
recipient's language (``bot/notifications.py``, a renderer per kind: a test checks that none is missing), so a
kind spelled wrong fails at import, not as a parked message."""

from __future__ import annotations

from enum import StrEnum


class Notice(StrEnum):
    # the marketplace (seed 000)
    APP_MODERATION = "app_moderation"
    APP_DISPATCHED = "app_dispatched"
    APP_APPROVED = "app_approved"
    APP_REJECTED = "app_rejected"
    APP_CLARIFY = "app_clarify"
    OFFER_NEW = "offer_new"
    OFFER_UPDATED = "offer_updated"
    OFFER_WITHDRAWN = "offer_withdrawn"
    DEAL_CHOSEN = "deal_chosen"
    DEAL_NOT_CHOSEN = "deal_not_chosen"
    STATUS_CHANGED = "status_changed"
    REFERRAL_JOINED = "referral_joined"
    REFERRAL_APPLICATION = "referral_application"
    ROLE_CHANGED = "role_changed"
    # the deal room's relays
    RELAY = "relay"
    RELAY_ALBUM = "relay_album"
    RELAY_EDIT = "relay_edit"
    # tasks and the scheduler
    TASK_REMINDER = "task_reminder"
    TASK_OVERDUE = "task_overdue"
    TASK_ASSIGNED = "task_assigned"
    DIGEST = "digest"
    # leads (seed 004) and the deal workspace (seed 003)
    LEAD_NEW = "lead_new"
    LEAD_ASSIGNED = "lead_assigned"
    LEAD_DUPLICATE = "lead_duplicate"
    DEAL_ASSIGNED = "deal_assigned"
    DEAL_MOVED = "deal_moved"
    PAYMENT_OVERDUE = "payment_overdue"
