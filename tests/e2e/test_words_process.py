"""`python -m bot` as a real process, read in three languages (issue 26): the scheduler's reminders name each task's
deal and counterparty and carry a button to open the deal, in Russian, English and Polish; the calculator's schedule
comes as a CSV file the reader's spreadsheet opens (their decimal mark, their day); a faktura goes out as a PDF whose
figures are written the Polish way (VAT «23 %», «1 230,00»), its caption in the client's language."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader
from sqlalchemy import update

from bot.i18n import catalogue
from core.clock import ManualClock
from core.db.kernel import models as m
from core.db.kernel.engine import create_engine, session_factory
from core.db.kernel.repositories import CLOCK
from core.services.kernel.config import CoreConfig
from migrations.runner import upgrade
from tests.e2e.process import running
from tests.e2e.test_bot_process import press, say
from tests.factories import units
from tests.language import problems
from tests.services.leasing.test_lease_books import at_launch, staff
from tests.services.leasing.test_leasing import lessor

OLA, JAN, EWA, PIOTR = (5001, "Ola"), (5002, "Jan"), (5003, "Ewa"), (5004, "Piotr")
CLIENT_RU, CLIENT_EN = (5100, "Prezes"), (6802, "Prezes")
LANGUAGE = {OLA: "pl", JAN: "en", EWA: "ru", PIOTR: "pl", CLIENT_RU: "ru", CLIENT_EN: "en"}
TERMS = "14 200; 1 000; 3; 0; 1 200; 100"
NOW = datetime.now(UTC).replace(microsecond=0)
CSV = {"pl": ";", "en": ",", "ru": ";"}


async def prepare(db_url: str) -> tuple[int, int]:
    engine = create_engine(db_url)
    await upgrade(engine)
    cfg, clock = CoreConfig(), ManualClock(NOW - timedelta(days=1))
    factory = session_factory(engine, info={CLOCK: clock})
    uow = units(factory, clock)
    w = await staff(uow, cfg, await lessor(uow, cfg))
    a = await at_launch(uow, factory, cfg, w)
    b = await at_launch(uow, factory, cfg, w, nip="1234567802", subject="Ładowarka CAT 950")
    async with factory() as s:
        for (tg_id, _), locale in LANGUAGE.items():
            await s.execute(update(m.User).where(m.User.tg_id == tg_id).values(locale=locale))
        for (tg_id, _), deal_id in ((OLA, a.deal_id), (JAN, b.deal_id), (EWA, a.deal_id)):
            uid = (await s.execute(m.User.__table__.select().where(m.User.tg_id == tg_id))).first().id
            s.add(m.Task(title="Приступить к сделке", code="start_task", responsible_id=uid, deal_id=deal_id,
                         status="open", due_at=NOW - timedelta(minutes=1)))
        await s.commit()
    await engine.dispose()
    return a.deal_id, b.deal_id


async def test_reminders_an_export_and_a_document_in_three_languages(tmp_path, db_url):
    a, _ = await prepare(db_url)
    async with running(tmp_path, db_url, languages={who[0]: lang for who, lang in LANGUAGE.items()}) as (api, _bot):
        # the reminders: each names its deal and counterparty, with a button to open the deal
        for who, needle, button in ((OLA, "Rozpocznij transakcję", "Otwórz transakcję"),
                                    (JAN, "Start the deal", "Open the deal"), (EWA, "Приступить к сделке",
                                                                               "Открыть сделку")):
            call = await api.wait_for(who[0], needle)
            text, lang = call.params["text"], LANGUAGE[who]
            labels = [x["text"] for row in call.params["reply_markup"]["inline_keyboard"] for x in row]
            print(lang, text, labels)
            assert "Alfa" in text and not problems(text, lang, ("Alfa 8567346215", "Alfa 1234567802",
                                                                 "Koparka Volvo EC220E", "Ładowarka CAT 950"))
            assert any(button in label for label in labels), labels

        # the export: the schedule as the reader's spreadsheet opens it
        for who in (OLA, JAN, EWA):
            lang = LANGUAGE[who]
            label, delimiter, header = catalogue(lang)["calc.csv"], CSV[lang], catalogue(lang)["calc.col_date"]
            await say(api, who, "/calc", catalogue(lang)["calc.ask"][:12])
            await say(api, who, "100 000; 10%; 12; 8; 1%", catalogue(lang)["calc.head"])
            mark = api.mark()
            await press(api, who, label)
            sent = await api.wait_method(who[0], "sendDocument", after=mark)
            assert sent.params.get("caption")
            files = [v for k, v in api.files.items() if k.startswith("documents/")]
            content = files[-1].decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(content), delimiter=delimiter))
            print(lang, rows[0], rows[1])
            assert rows[0][1] == header and len(rows) == 13
            assert "." in rows[1][1] and "-" not in rows[1][1]  # dd.mm.yyyy
            assert ("," if lang != "en" else ".") in rows[1][2]

        # a document: the faktura of the vendor's payment, to the client in their language, the PDF in Polish
        await say(api, PIOTR, "/leases", "Leasing")
        await press(api, PIOTR, "Koparka Volvo EC220E", "Status:")
        await press(api, PIOTR, "📒 Rozliczenia", f"Umowa leasingu nr {a}")
        await press(api, PIOTR, "💸 Płatność dla dostawcy", "Ile zapłacono dostawcy")
        mark = api.mark()
        await say(api, PIOTR, "13 200; PRZELEW 1", "Płatność dla dostawcy zapisana")
        await api.wait_for(CLIENT_RU[0], "123,00", after=mark)  # the second faktura: the administration fee
        for call in [c for c in api.calls[mark:] if c.method == "sendDocument"]:
            print(call.params["caption"])
            assert call.params["caption"].startswith("🧾 Счёт-фактура FV/")  # the client reads Russian
            assert not problems(call.params["caption"], "ru", ("FV/",))
        pdf = [v for k, v in api.files.items() if k.startswith("documents/")][-1]
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\xa0", " ")
        print(text)
        assert "Opłata administracyjna 100,00 23 % 23,00 123,00" in text and "23.00" not in text
        assert "[FINANSUJĄCY NIE USTAWIONY" in text  # an unconfigured lessor: a visible gap, in the document's language
