"""The funnel report as files, in the reader's language: an XLSX sheet (openpyxl) with conversions, sized columns,
a frozen header and filters, and a chart (matplotlib) sized to be read in a phone's chat."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.views.kernel.names import close_reason, status_name
from core.domain.leads.lifecycle import FunnelRow

STAGES = ("leads", "records", "visits", "contracts", "prepaid")
REACHED = STAGES[1:]  # the stages a lead reaches, each also as a share of the source's leads


def share(part: int, whole: int) -> float:
    """A conversion in per cent, one place (0 when there were no leads)."""
    return round(100 * part / whole, 1) if whole else 0.0


def total(rows: list[FunnelRow], t) -> FunnelRow:
    return FunnelRow(t("report.total"), *(sum(getattr(r, s) for r in rows) for s in STAGES))


def funnel_xlsx(rows: list[FunnelRow], t, period: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = t("report.sheet")[:31]  # Excel's limit for a sheet's name
    ws.append([period])
    ws["A1"].font = Font(bold=True)
    headers = [t("report.source"), *(t(f"report.{s}") for s in STAGES),
               *(t(f"report.{s}_pct") for s in ("records", "visits", "contracts"))]
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in [*rows, total(rows, t)]:
        ws.append([r.source, *(getattr(r, s) for s in STAGES), share(r.records, r.leads), share(r.visits, r.leads),
                   share(r.contracts + r.prepaid, r.leads)])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=3, min_col=len(STAGES) + 2):
        for cell in row:
            cell.number_format = "0.0"
    ws.freeze_panes = "B3"  # the header and the sources' names stay while scrolling
    ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{ws.max_row - 1}"  # the total stays out of it
    ws.column_dimensions["A"].width = min(max([len(r.source) for r in rows] + [len(headers[0]), 12]) + 2, 48)
    for i, header in enumerate(headers[1:], start=2):
        ws.column_dimensions[get_column_letter(i)].width = max(len(header) + 2, 10)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


COLOURS = {"leads": "#d7dde8", "records": "#8fb3ea", "visits": "#4f86d9", "contracts": "#1f5bb5",
           "prepaid": "#e39b2f"}
#: the chart is drawn this wide (inches) and its smallest text this big (points): shown at a chat's 360 px, a point is
#: 360 / (72 × 4.2) ≈ 1.19 px, so the smallest text is 13.1 px there, and 12 px in a 330-px photo bubble
CHART_WIDTH_IN, CHART_DPI, CHART_SMALLEST_PT = 4.2, 240, 11.0
NAME_CHARS = 24  # a source's name longer than this is cut with «…», so that it and its count fit the width


def funnel_figure(rows: list[FunnelRow], t, period: str):
    """A funnel per source, one bar each, its leads the whole width: inside them those who booked, visited, signed
    (with prepayment apart), so the shape shows the conversion; the numbers and their shares of the leads under each
    bar, the legend above. Sized so that a chat's width (about 360 px) shows at least 12 px text."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    rows = [*rows, total(rows, t)] if len(rows) > 1 else rows
    head, per_row = 1.2, 1.2
    height = head + per_row * max(len(rows), 1)
    fig = Figure(figsize=(CHART_WIDTH_IN, height), dpi=CHART_DPI)
    ax = fig.add_axes((0.03, 0.01, 0.94, 1 - head / height))
    for i, r in enumerate(rows):
        y, whole = -i * per_row, max(r.leads, 1)
        ax.barh(y, 1, height=0.34, color=COLOURS["leads"])
        for stage in ("records", "visits"):
            ax.barh(y, getattr(r, stage) / whole, height=0.34, color=COLOURS[stage])
        ax.barh(y, r.contracts / whole, height=0.34, color=COLOURS["contracts"])
        ax.barh(y, r.prepaid / whole, left=r.contracts / whole, height=0.34, color=COLOURS["prepaid"])
        name = r.source if len(r.source) <= NAME_CHARS else r.source[:NAME_CHARS - 1] + "…"
        ax.text(0, y + 0.22, f"{name} · {r.leads}", fontsize=12.5, fontweight="bold", va="bottom", ha="left")
        ax.text(0, y - 0.22, f"{r.records} ({share(r.records, r.leads):.0f}%) → {r.visits} "
                             f"({share(r.visits, r.leads):.0f}%) → {r.contracts} + {r.prepaid} "
                             f"({share(r.contracts + r.prepaid, r.leads):.0f}%)",
                fontsize=CHART_SMALLEST_PT, va="top", ha="left", color="#333333")
    ax.set_xlim(0, 1)
    ax.set_ylim(-per_row * (len(rows) - 1) - 0.62, 0.62)
    ax.axis("off")
    fig.text(0.03, 1 - 0.12 / height, period, fontsize=12, ha="left", va="top")
    fig.legend(handles=[Patch(color=COLOURS[s], label=t(f"report.{s}")) for s in STAGES], loc="upper left",
               bbox_to_anchor=(0.02, 1 - 0.42 / height), ncol=3, fontsize=CHART_SMALLEST_PT, frameon=False,
               handlelength=1.0, handletextpad=0.4, columnspacing=0.8, borderaxespad=0)
    return fig


def funnel_png(rows: list[FunnelRow], t, period: str) -> bytes:
    """The funnel chart (``funnel_figure``) as the PNG the chat gets, CHART_WIDTH_IN × CHART_DPI pixels wide."""
    out = io.BytesIO()
    funnel_figure(rows, t, period).savefig(out, format="png")
    return out.getvalue()


#: how a spreadsheet shows an amount and a moment: the cell keeps the number (or the date) and the reader's Excel
#: writes it with their own separators
MONEY_FORMAT, MOMENT_FORMAT = "#,##0.00", "DD.MM.YYYY HH:MM"


def _shown(value) -> str:
    return "00.00.0000 00:00" if isinstance(value, datetime) else str(value if value is not None else "")


def local(t, moment: datetime | None) -> datetime | str:
    """A stored moment (UTC) as a spreadsheet's date cell in the reader's timezone (a spreadsheet knows no zones)."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(t.timezone)).replace(tzinfo=None)


def _table(rows_of_sheets) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    for n, (title, header, rows) in enumerate(rows_of_sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = title[:31]
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
            for cell, value in zip(ws[ws.max_row], row, strict=False):  # numbers and dates stay what they are
                if isinstance(value, Decimal):
                    cell.number_format = MONEY_FORMAT
                elif isinstance(value, datetime):
                    cell.number_format = MOMENT_FORMAT
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = min(
                max(len(_shown(cell.value)) for cell in column) + 2, 60)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_rows(t, r) -> list[tuple[str, object]]:
    """A campaign's report (core.services.campaigns.campaign.Report) as (label, value) rows: its deals per stage,
    then the КП and the money; the chat's table and the XLSX sheet show the same rows."""
    return [*r.stages, (t("creport.sent"), r.sent), (t("creport.approved"), r.approved),
            (t("creport.refused"), r.refused), (t("creport.orders"), r.orders), (t("creport.ordered"), r.ordered),
            (t("creport.paid"), r.paid)]


def campaign_xlsx(t, r) -> bytes:
    """A campaign's report as an XLSX sheet: amounts as numbers with a money format (a spreadsheet sums them), the
    rest as counts."""
    return _table([(t("creport.sheet"), [t("creport.row"), t("creport.value")],
                    [[label, value] for label, value in report_rows(t, r)])])


def deal_xlsx(t, e) -> bytes:
    """A cold-call deal (core.services.campaigns.cold_call.Export) as an XLSX file: the deal and its counterparty,
    the survey's answers, its stays in the stages, its interactions; one sheet each, times in the reader's timezone."""
    from core.domain.campaigns.survey import shown

    p, c = e.panel, e.panel.client
    return _table([
        (t("export.deal"), [t("export.field"), t("export.value")], [
            [t("export.name"), p.deal.name], [t("export.code"), f"{p.deal.id:010d}"],
            [t("export.stage"), status_name(t, p.deal.pipeline, p.stage, p.stage_name)],
            *([[t(f"cold.field_{f}"), getattr(c, f) or ""] for f in ("name", "inn", "kpp", "ogrn", "address", "email",
                                                                     "city", "potential", "competitors", "volumes",
                                                                     "assortment")] if c else []),
            [t("export.group"), p.group or ""], [t("export.cadence"), p.cadence or ""],
            [t("export.members"), ", ".join(p.members)]]),
        (t("export.survey"), [t("export.question"), t("export.answer")],
         [[q, shown(kind, value, t("survey.yes"), t("survey.no"))] for q, kind, value in p.answers]),
        (t("export.stages"), [t("export.stage"), t("export.entered"), t("export.due"), t("export.expired"),
                              t("export.left"), t("export.reason")],
         [[status_name(t, p.deal.pipeline, s.code, s.stage), local(t, s.entered_at), local(t, s.due_at),
           local(t, s.expired_at), local(t, s.left_at), close_reason(t, s.reason) or ""] for s in e.stays]),
        (t("export.interactions"), [t("export.purpose"), t("export.number"), t("export.planned"), t("export.done"),
                                    t("export.channel")],
         [[t(f"purpose.{i.purpose}"), i.number, local(t, i.planned_at), local(t, i.done_at),
           t(f"cold.channel_{i.channel}") if i.channel else ""] for i in e.interactions]),
    ])
