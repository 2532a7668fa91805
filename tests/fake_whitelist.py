"""A fake of the Ministry of Finance's VAT white list API (https://wl-api.mf.gov.pl) for the tests: the real
request (``GET /api/search/nip/{nip}?date=YYYY-MM-DD``) and the real answers — the subject, ``"subject": null``
for a NIP the list does not have, ``{"code": "WL-…", "message": …}`` with 400 for a bad request — and the ways a
registry fails: slow (past the client's timeout), down (503), garbage (HTML)."""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager

from aiohttp import web

from tests.e2e.process import free_port


def subject(nip: str, *, name: str = "ALFA SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", status: str = "Czynny",
            regon: str | None = "192598184", krs: str | None = "0000123456", registered: str = "2015-03-02",
            accounts: tuple[str, ...] = ("61109010140000071219812874",)) -> dict:
    return {"name": name, "nip": nip, "statusVat": status, "regon": regon, "pesel": None, "krs": krs,
            "residenceAddress": None, "workingAddress": "UL. PROSTA 1, 00-001 WARSZAWA", "representatives": [],
            "authorizedClerks": [], "partners": [], "registrationLegalDate": registered,
            "registrationDenialBasis": None, "registrationDenialDate": None, "restorationBasis": None,
            "restorationDate": None, "removalBasis": None, "removalDate": None, "accountNumbers": list(accounts),
            "hasVirtualAccounts": False}


class FakeWhitelist:
    def __init__(self) -> None:
        self.subjects: dict[str, dict] = {}  # nip -> the subject to answer
        self.mode: dict[str, str] = {}  # nip -> "slow" | "down" | "garbage"
        self.requests: list[tuple[str, str]] = []  # (nip, date) asked

    async def _search(self, request: web.Request) -> web.Response:
        nip, day = request.match_info["nip"], request.query.get("date", "")
        self.requests.append((nip, day))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            return web.json_response({"code": "WL-103", "message": "Pole 'data' nie może być puste."}, status=400)
        if not re.fullmatch(r"\d{10}", nip):
            return web.json_response({"code": "WL-113", "message": "Pole 'NIP' ma nieprawidłową długość."},
                                     status=400)
        mode = self.mode.get(nip)
        if mode == "slow":
            await asyncio.sleep(3)
        if mode == "down":
            return web.Response(status=503, text="Service Unavailable")
        if mode == "garbage":
            return web.Response(text="<html><body>Przerwa techniczna</body></html>", content_type="text/html")
        return web.json_response({"result": {"subject": self.subjects.get(nip),
                                             "requestDateTime": f"{day[8:]}-{day[5:7]}-{day[:4]} 10:00:00",
                                             "requestId": f"req-{len(self.requests)}"}})

    @asynccontextmanager
    async def serving(self):
        app = web.Application()
        app.router.add_get("/api/search/nip/{nip}", self._search)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            await runner.cleanup()
