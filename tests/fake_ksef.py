"""A fake of KSeF's API 2.0 (https://api-test.ksef.mf.gov.pl/v2) for the tests, the bench and a local run: its own
RSA key and certificate (for both usages: the KSeF token's encryption, the session key's), the authorisation
with a KSeF token (challenge, /auth/ksef-token decrypting the token and checking it, the status, the redeem), the
online session (open with the encrypted AES key, send a faktura that it decrypts, checks the hash and the FA(3)
schema of, close), each faktura's status with its KSeF number, its UPO; a faktura sent twice is the duplicate
(440) with its first KSeF number, as KSeF answers. ``down`` makes every request a 503 (KSeF's maintenance).
Never the real network: tests start it on a free port and point KSEF_API_URL at it.

    python -m tests.fake_ksef 8090     a fake KSeF for a local run (KSEF_API_URL=http://127.0.0.1:8090)"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import sys
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as asym
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.x509.oid import NameOID

TOKEN = "20270101-EC-TEST-TOKEN|nip-5260250274|secret"
NIP = "5260250274"


def _certificate() -> tuple[rsa.RSAPrivateKey, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fake KSeF")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650)).sign(key, hashes.SHA256()))
    return key, base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


_KEY = None


def _key() -> tuple[rsa.RSAPrivateKey, str]:
    global _KEY
    if _KEY is None:  # one per process: a 2048-bit key takes a while
        _KEY = _certificate()
    return _KEY


def _oaep() -> asym.OAEP:
    return asym.OAEP(mgf=asym.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def offline_certificate() -> tuple[str, str]:
    """A KSeF offline certificate as the lessor would get one (an EC key, its certificate): PEM, PEM."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Leasing S.A. offline"),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"VATPL-{NIP}")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(0x01F2A3).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=730)).sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM).decode(),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode())


class FakeKsef:
    def __init__(self, *, token: str = TOKEN, nip: str = NIP) -> None:
        self.key, self.cert = _key()
        self.token, self.nip = token, nip
        self.down = False  # every request answered 503
        self.refuse: set[str] = set()  # faktura numbers refused (status 450, as a schema error would be)
        self.sessions: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}  # invoice reference -> what was received
        self.by_hash: dict[str, str] = {}  # the faktura's hash -> its KSeF number (the first one accepted)
        self.accepted: list[dict] = []  # each faktura accepted once: number, hash, offline, xml
        self.requests: list[str] = []
        self._seq = itertools.count(1)
        self._challenges: dict[str, int] = {}
        self._access: set[str] = set()
        self._auth: dict[str, str] = {}

    def _ref(self, prefix: str) -> str:
        return f"20270101-{prefix}-{next(self._seq):010d}-00"

    @web.middleware
    async def _gate(self, request: web.Request, handler):
        self.requests.append(f"{request.method} {request.path}")
        if self.down:
            return web.json_response({"exception": {"exceptionDetailList": [
                {"exceptionCode": 503, "exceptionDescription": "Przerwa techniczna"}]}}, status=503)
        return await handler(request)

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization", "").removeprefix("Bearer ") in self._access

    @staticmethod
    def _problem(status: int, code: int, text: str) -> web.Response:
        return web.json_response({"exception": {"exceptionDetailList": [
            {"exceptionCode": code, "exceptionDescription": text}], "serviceCode": "fake",
            "timestamp": datetime.now(UTC).isoformat()}}, status=status)

    async def certificates(self, request: web.Request) -> web.Response:
        now = datetime.now(UTC)
        return web.json_response([{"certificate": self.cert, "certificateId": "fake", "publicKeyId": "fake",
                                   "usage": ["KsefTokenEncryption", "SymmetricKeyEncryption"],
                                   "validFrom": (now - timedelta(days=1)).isoformat(),
                                   "validTo": (now + timedelta(days=365)).isoformat()}])

    async def challenge(self, request: web.Request) -> web.Response:
        now = datetime.now(UTC)
        challenge = f"20270101-CR-{next(self._seq):010d}-00"
        self._challenges[challenge] = int(now.timestamp() * 1000)
        return web.json_response({"challenge": challenge, "clientIp": "127.0.0.1", "timestamp": now.isoformat(),
                                  "timestampMs": self._challenges[challenge]})

    async def ksef_token(self, request: web.Request) -> web.Response:
        body = await request.json()
        stamp = self._challenges.pop(body.get("challenge", ""), None)
        if stamp is None:
            return self._problem(400, 21001, "Nieprawidłowe wyzwanie autoryzacyjne")
        plain = self.key.decrypt(base64.b64decode(body["encryptedToken"]), _oaep()).decode()
        token, _, sent_stamp = plain.rpartition("|")
        if token != self.token or sent_stamp != str(stamp) or body["contextIdentifier"]["value"] != self.nip:
            return self._problem(401, 21301, "Nieprawidłowy token KSeF")
        ref, auth_token = self._ref("AU"), f"auth-{next(self._seq)}"
        self._auth[ref] = auth_token
        until = (datetime.now(UTC) + timedelta(minutes=15)).isoformat()
        return web.json_response({"referenceNumber": ref,
                                  "authenticationToken": {"token": auth_token, "validUntil": until}}, status=202)

    async def auth_status(self, request: web.Request) -> web.Response:
        ref = request.match_info["ref"]
        if self._auth.get(ref) != request.headers.get("Authorization", "").removeprefix("Bearer "):
            return self._problem(401, 21301, "Brak autoryzacji")
        return web.json_response({"authenticationMethod": "Token", "startDate": datetime.now(UTC).isoformat(),
                                  "authenticationMethodInfo": {"category": "Token", "code": "token.ksef",
                                                               "displayName": "Token KSeF"},
                                  "status": {"code": 200, "description": "Uwierzytelnianie zakończone sukcesem"}})

    async def redeem(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self._auth.values():
            return self._problem(401, 21301, "Brak autoryzacji")
        access = f"access-{next(self._seq)}"
        self._access.add(access)
        until = (datetime.now(UTC) + timedelta(minutes=15)).isoformat()
        return web.json_response({"accessToken": {"token": access, "validUntil": until},
                                  "refreshToken": {"token": f"refresh-{access}", "validUntil": until}})

    async def open_session(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._problem(401, 21301, "Brak autoryzacji")
        body = await request.json()
        key = self.key.decrypt(base64.b64decode(body["encryption"]["encryptedSymmetricKey"]), _oaep())
        iv = base64.b64decode(body["encryption"]["initializationVector"])
        ref = self._ref("SO")
        self.sessions[ref] = {"key": key, "iv": iv, "open": True, "form": body["formCode"]}
        return web.json_response({"referenceNumber": ref, "validUntil": (datetime.now(UTC) + timedelta(hours=12))
                                  .isoformat()}, status=201)

    async def send(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._problem(401, 21301, "Brak autoryzacji")
        session = self.sessions.get(request.match_info["ref"])
        if session is None or not session["open"]:
            return self._problem(400, 21180, "Sesja nie istnieje lub jest zamknięta")
        body = await request.json()
        encrypted = base64.b64decode(body["encryptedInvoiceContent"])
        decryptor = Cipher(algorithms.AES(session["key"]), modes.CBC(session["iv"])).decryptor()
        unpadder = padding.PKCS7(128).unpadder()
        xml = unpadder.update(decryptor.update(encrypted) + decryptor.finalize()) + unpadder.finalize()
        digest = base64.b64encode(hashlib.sha256(xml).digest()).decode()
        ref = self._ref("EE")
        status = self._judge(xml, digest, body)
        self.invoices[ref] = {"session": request.match_info["ref"], "xml": xml, "hash": digest, **status}
        return web.json_response({"referenceNumber": ref}, status=202)

    def _judge(self, xml: bytes, digest: str, body: dict) -> dict:
        from lxml import etree

        from core.documents import ksef

        if body["invoiceHash"] != digest:
            return {"code": 410, "description": "Nieprawidłowy skrót faktury"}
        try:
            ksef.validate(xml)
        except ksef.Fa3Invalid as exc:
            return {"code": 450, "description": "Błąd weryfikacji semantyki dokumentu faktury", "details": [str(exc)]}
        root = etree.fromstring(xml)
        number = root.findtext("{*}Fa/{*}P_2")
        if number in self.refuse:
            return {"code": 450, "description": "Błąd weryfikacji semantyki dokumentu faktury",
                    "details": [f"refused: {number}"]}
        if digest in self.by_hash:
            return {"code": 440, "description": "Duplikat faktury", "ksef": self.by_hash[digest],
                    "details": [f"Duplikat faktury. Faktura o numerze KSeF: {self.by_hash[digest]} "
                                "została już prawidłowo przesłana do systemu"]}
        day = root.findtext("{*}Fa/{*}P_1").replace("-", "")
        ksef_number = f"{self.nip}-{day}-{next(self._seq):012X}-{len(self.accepted) % 256:02X}"
        self.by_hash[digest] = ksef_number
        self.accepted.append({"number": number, "ksef": ksef_number, "hash": digest,
                              "offline": bool(body.get("offlineMode")), "xml": xml})
        return {"code": 200, "description": "Sukces", "ksef": ksef_number}

    async def close(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._problem(401, 21301, "Brak autoryzacji")
        session = self.sessions.get(request.match_info["ref"])
        if session is None:
            return self._problem(400, 21180, "Sesja nie istnieje")
        session["open"] = False
        return web.Response(status=204)

    async def status(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._problem(401, 21301, "Brak autoryzacji")
        item = self.invoices.get(request.match_info["inv"])
        if item is None or item["session"] != request.match_info["ref"]:
            return self._problem(400, 21405, "Faktura nie istnieje")
        status = {"code": item["code"], "description": item["description"]}
        if item.get("details"):
            status["details"] = item["details"]
        return web.json_response({"ordinalNumber": 1, "referenceNumber": request.match_info["inv"],
                                  "invoiceHash": item["hash"], "invoicingDate": datetime.now(UTC).isoformat(),
                                  "ksefNumber": item.get("ksef"), "status": status})

    async def upo(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._problem(401, 21301, "Brak autoryzacji")
        item = self.invoices.get(request.match_info["inv"])
        if item is None or not item.get("ksef"):
            return self._problem(400, 21405, "UPO nie istnieje")
        upo = (f'<?xml version="1.0" encoding="UTF-8"?><Potwierdzenie><NumerKSeFDokumentu>{item["ksef"]}'
               f'</NumerKSeFDokumentu><SkrotDokumentu>{item["hash"]}</SkrotDokumentu></Potwierdzenie>')
        return web.Response(body=upo.encode(), content_type="application/xml")

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._gate])
        app.router.add_get("/v2/security/public-key-certificates", self.certificates)
        app.router.add_post("/v2/auth/challenge", self.challenge)
        app.router.add_post("/v2/auth/ksef-token", self.ksef_token)
        app.router.add_get("/v2/auth/{ref}", self.auth_status)
        app.router.add_post("/v2/auth/token/redeem", self.redeem)
        app.router.add_post("/v2/sessions/online", self.open_session)
        app.router.add_post("/v2/sessions/online/{ref}/invoices", self.send)
        app.router.add_post("/v2/sessions/online/{ref}/close", self.close)
        app.router.add_get("/v2/sessions/{ref}/invoices/{inv}", self.status)
        app.router.add_get("/v2/sessions/{ref}/invoices/{inv}/upo", self.upo)
        return app


@asynccontextmanager
async def running(fake: FakeKsef | None = None):
    """The fake on a free port: yields (fake, its base URL)."""
    from tests.e2e.process import free_port

    fake = fake or FakeKsef()
    runner = web.AppRunner(fake.app())
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield fake, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


if __name__ == "__main__":  # a fake KSeF for a local run
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8090
    print(json.dumps({"url": f"http://127.0.0.1:{port}", "nip": NIP, "token": TOKEN}), flush=True)
    web.run_app(FakeKsef().app(), host="127.0.0.1", port=port, print=None)
