"""Import: a preview with bad rows and duplicates by row number, then the leads."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select

from core.db.kernel import models as m
from core.services.kernel import directories
from core.services.kernel.directories import Directory
from core.services.leads import imports as lead_import
from core.services.leads import lifecycle as leads
from core.services.leads.lifecycle import LeadInput
from tests.factories import person

CSV = """Телефон;Имя;Источник;Сумма долга;Город
+7 900 000-00-01;Анна;Сайт;350 000;Казань
89000000002;Борис;Радио;;
12345;Вера;Сайт;;
+79000000001;Анна снова;Сайт;;
+79000000003;Глеб;Газета;;
+79000000009;Дина;Сайт;много;
""".encode()


async def test_preview_then_create(uow, factory, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    site = await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    await directories.add(uow(), admin.id, Directory.SOURCES, "Радио")
    existing = await leads.create(uow(), admin.id, LeadInput("+79000000002", "Борис", site.id), cfg)

    p = await lead_import.preview(uow(), admin.id, CSV, "leads.csv", cfg)
    assert [r["row"] for r in p.create] == [2, 3]
    assert [(row, key) for row, key, _ in p.bad] == [(4, "bad_phone"), (6, "import_source"), (7, "not_amount")]
    assert p.repeated == [(5, "+79000000001", 2)]
    assert p.existing == [(3, "+79000000002", existing.id)]
    async with factory() as s:
        assert len((await s.scalars(select(m.Lead))).all()) == 1  # a preview writes nothing

    created = await lead_import.confirm(uow, admin.id, p.create, cfg)
    assert [(c.status, c.duplicate_of_id) for c in created] == [("new", None), ("junk_duplicate", existing.id)]


async def test_xlsx_is_read_the_same_way(uow, cfg):
    admin = await person(uow, cfg, 1000, "Админ")
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    wb = Workbook()
    wb.active.append(["Имя", "Телефон", "Источник"])
    wb.active.append(["Анна", "+79000000001", "сайт"])
    data = io.BytesIO()
    wb.save(data)
    p = await lead_import.preview(uow(), admin.id, data.getvalue(), "leads.xlsx", cfg)
    assert [(r["row"], r["name"], r["phone"]) for r in p.create] == [(2, "Анна", "+79000000001")]


async def test_a_sales_teams_file_gives_the_deal_amount(uow, cfg):
    """A sales team's spreadsheet names its amount column «Сумма сделки»: it fills the lead's amount."""
    admin = await person(uow, cfg, 1000, "Админ")
    await directories.add(uow(), admin.id, Directory.SOURCES, "Сайт")
    data = "Телефон;Имя;Источник;Сумма сделки\n+79000000011;ООО Ромашка;Сайт;190 022\n".encode()
    p = await lead_import.preview(uow(), admin.id, data, "leads.csv", cfg)
    [created] = await lead_import.confirm(uow, admin.id, p.create, cfg)
    assert str(created.debt_amount) == "190022.00"
