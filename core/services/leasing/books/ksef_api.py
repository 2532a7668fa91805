"""The KSeF API 2.0, through ksef-client's async SDK (AsyncKsefClient): authorisation with the KSeF token (the token
encrypted with KSeF's public key, the challenge, the status polled, the access token redeemed), an online session
(its AES key encrypted with KSeF's key), the fakturas sent in it (each encrypted), the session closed, each
faktura's status polled for its KSeF number, and its UPO fetched. No database here: the books' service (ksef.py)
gives the XML and stores what comes back; a failure says whether KSeF is down (try again later, the faktura
offline meanwhile) or refused the faktura (a person must look)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.services.kernel.config import KsefConfig

log = logging.getLogger(__name__)

#: the faktura's status codes in a session (KSeF API 2.0): 100 received, 150 being processed, 200 accepted;
#: 440 a duplicate (the same faktura sent before: its KSeF number is the one it already has)
ACCEPTED, DUPLICATE = 200, 440
FORM = ("FA (3)", "1-0E", "FA")


class Unavailable(Exception):
    """KSeF could not be reached or answered that it is down (5xx, 429, a timeout): send again later."""


class Refused(Exception):
    """KSeF refused the faktura (its status code and why): sending it again would not help."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code} {description}")
        self.code, self.description = code, description


@dataclass(frozen=True)
class Sent:
    ksef_number: str
    upo: str | None
    session_ref: str
    invoice_ref: str


@dataclass(frozen=True)
class Outgoing:
    key: int  # the submission's id
    xml: bytes
    offline: bool


def _down(exc: Exception) -> bool:
    from ksef_client.exceptions import KsefHttpError

    if isinstance(exc, KsefHttpError):
        return exc.status_code == 0 or exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, OSError | TimeoutError | asyncio.TimeoutError)


async def _authenticate(client, cfg: KsefConfig):
    """Logged in to KSeF with the lessor's token (encrypted with KSeF's public key for tokens): its access."""
    from ksef_client import models as km
    from ksef_client.services.workflows import AsyncAuthCoordinator

    token_cert = await client.security.get_public_key_certificate_pem(km.PublicKeyCertificateUsage.KSEFTOKENENCRYPTION)
    return await AsyncAuthCoordinator(client.auth).authenticate_with_ksef_token(
        token=cfg.token, public_certificate=token_cert, context_identifier_type="nip",
        context_identifier_value=cfg.nip, poll_interval_seconds=cfg.poll_seconds, max_attempts=cfg.poll_attempts)


async def send(cfg: KsefConfig, items: list[Outgoing],
               started: Callable[[int, str, str], Awaitable[None]] | None = None) -> dict[int, Sent | Refused]:
    """The fakturas sent in one online session; by key, what KSeF answered. Raises Unavailable when KSeF is down
    before anything was sent (after, the ones without an answer are left out: asked again next time).
    ``started(key, session_ref, invoice_ref)`` is awaited as each is handed over (the caller records it)."""
    from ksef_client import AsyncKsefClient, KsefClientOptions
    from ksef_client import models as km
    from ksef_client.exceptions import KsefHttpError
    from ksef_client.services.workflows import AsyncOnlineSessionWorkflow

    out: dict[int, Sent | Refused] = {}
    client = AsyncKsefClient(KsefClientOptions(base_url=cfg.base_url, timeout_seconds=cfg.timeout))
    try:
        try:
            auth = await _authenticate(client, cfg)
            access = auth.access_token
            key_cert = await client.security.get_public_key_certificate_pem(
                km.PublicKeyCertificateUsage.SYMMETRICKEYENCRYPTION)
            flow = AsyncOnlineSessionWorkflow(client.sessions)
            session = await flow.open_session(form_code=km.FormCode(system_code=FORM[0], schema_version=FORM[1],
                                                                    value=FORM[2]),
                                              public_certificate=key_cert, access_token=access)
        except Exception as exc:
            if _down(exc):
                raise Unavailable(str(exc)) from exc
            raise
        refs: dict[int, str] = {}
        for item in items:
            try:
                answer = await flow.send_invoice(session_reference_number=session.reference_number,
                                                 invoice_xml=item.xml, encryption_data=session.encryption_data,
                                                 access_token=access, offline_mode=item.offline or None)
            except KsefHttpError as exc:
                if _down(exc):
                    break
                out[item.key] = Refused(exc.status_code, exc.message[:300])
                continue
            refs[item.key] = answer.reference_number
            if started is not None:
                await started(item.key, session.reference_number, answer.reference_number)
        try:
            await flow.close_session(session.reference_number, access)
        except KsefHttpError as exc:
            log.warning("ksef: closing session %s: %s", session.reference_number, exc)
        for key, ref in refs.items():
            try:
                out[key] = await _outcome(client, cfg, session.reference_number, ref, access)
            except Unavailable:
                continue  # asked again at the next pass, by its references
        return out
    finally:
        await client.aclose()


async def _outcome(client, cfg: KsefConfig, session_ref: str, invoice_ref: str, access: str) -> Sent | Refused:
    from ksef_client.exceptions import KsefHttpError

    try:
        for _ in range(cfg.poll_attempts):
            status = await client.sessions.get_session_invoice_status(session_ref, invoice_ref, access_token=access)
            code = status.status.code
            if code == ACCEPTED or (code == DUPLICATE and status.ksef_number):
                upo = await client.sessions.get_session_invoice_upo_by_ref(session_ref, invoice_ref,
                                                                            access_token=access)
                return Sent(status.ksef_number, upo.decode("utf-8") if upo else None, session_ref, invoice_ref)
            if code >= 300:
                why = status.status.description + (f": {'; '.join(status.status.details)}"
                                                   if status.status.details else "")
                return Refused(code, why[:300])
            await asyncio.sleep(cfg.poll_seconds)
    except KsefHttpError as exc:
        if _down(exc):
            raise Unavailable(str(exc)) from exc
        return Refused(exc.status_code, exc.message[:300])
    raise Unavailable("no answer yet")


async def outcome(cfg: KsefConfig, session_ref: str, invoice_ref: str) -> Sent | Refused:
    """A faktura handed over before (a restart came between): its status asked again by its references, never
    sent twice. Raises Unavailable."""
    from ksef_client import AsyncKsefClient, KsefClientOptions

    client = AsyncKsefClient(KsefClientOptions(base_url=cfg.base_url, timeout_seconds=cfg.timeout))
    try:
        try:
            auth = await _authenticate(client, cfg)
        except Exception as exc:
            if _down(exc):
                raise Unavailable(str(exc)) from exc
            raise
        return await _outcome(client, cfg, session_ref, invoice_ref, auth.access_token)
    finally:
        await client.aclose()
