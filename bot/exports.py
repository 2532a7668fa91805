"""The funnel report as files: an XLSX sheet (openpyxl) and a bar chart PNG (matplotlib), in the reader's language."""

from __future__ import annotations

import io

from core.domain.leads import FunnelRow

STAGES = ("leads", "records", "visits", "contracts", "prepaid")


def _headers(t) -> list[str]:
    return [t("report.source"), *(t(f"report.{s}") for s in STAGES)]


def funnel_xlsx(rows: list[FunnelRow], t, period: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Funnel"
    ws.append([period])
    ws["A1"].font = Font(bold=True)
    ws.append(_headers(t))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([r.source, *(getattr(r, s) for s in STAGES)])
    ws.append([t("report.total"), *(sum(getattr(r, s) for r in rows) for s in STAGES)])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = max([len(r.source) for r in rows] + [12]) + 2
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def funnel_png(rows: list[FunnelRow], t, period: str) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.5), dpi=100)
    ax = fig.subplots()
    width = 0.8 / len(STAGES)
    for i, stage in enumerate(STAGES):
        ax.bar([x + i * width for x in range(len(rows))], [getattr(r, stage) for r in rows], width,
               label=t(f"report.{stage}"))
    ax.set_xticks([x + width * (len(STAGES) - 1) / 2 for x in range(len(rows))], [r.source for r in rows])
    ax.set_title(period)
    ax.legend()
    ax.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
