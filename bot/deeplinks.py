"""The /start links the bot hands out, made and read in one place: ``https://t.me/<bot>?start=<kind>_<code>``."""

from __future__ import annotations

from enum import StrEnum


class Link(StrEnum):
    INVITE = "inv"  # an admin's invite to a role (and company): the invite's token
    SOURCE = "src"  # a lead source's form for people who come by it: the source's code
    REFERRAL = "ref"  # an agent's or supplier's link: their referral code
    CASE = "cl"  # a lease case's client link: its signed token (core.domain.leasing.links)


def url(bot_username: str, kind: Link, code: str) -> str:
    return f"https://t.me/{bot_username}?start={kind.value}_{code}"


def parse(payload: str) -> tuple[Link | None, str]:
    """The link's kind and code; (None, payload) for a payload no link of ours makes."""
    kind, sep, code = payload.partition("_")
    if sep and kind in set(Link):
        return Link(kind), code
    return None, payload
