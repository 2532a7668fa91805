"""The funnel report's chart as a phone shows it in the chat (about 360 px wide): its smallest text at least 12 px
there, every text inside the picture, in every language, with long names and big numbers. Read from the rendered
figure (its size in pixels and each text's size in points) and from the PNG the chat gets; no browser needed."""

from __future__ import annotations

import struct

import pytest

from bot.exports import funnel_figure, funnel_png
from bot.i18n import Translator
from core.domain.leads.lifecycle import FunnelRow

SHOWN_PX = 360  # a chat's width on a phone
ROWS = [FunnelRow("Сайт", 120, 40, 20, 8, 2), FunnelRow("Рекомендации партнёров и знакомых", 44, 22, 15, 9, 3),
        FunnelRow("Wielkie źródło z bardzo długą nazwą", 12000, 4000, 2000, 1000, 800),
        FunnelRow("Радио", 30, 10, 3, 1, 0)]


def texts(fig) -> list:
    from matplotlib.text import Text

    return [x for x in fig.findobj(Text) if x.get_visible() and x.get_text().strip()]


@pytest.mark.parametrize("locale", ["ru", "en", "pl"])
def test_the_smallest_text_is_12_px_at_a_chats_width_and_every_text_fits(locale):
    t = Translator(locale)
    fig = funnel_figure(ROWS, t, "01.11.2026 — 30.11.2026")
    width_px, height_px = fig.get_size_inches() * fig.dpi
    png = funnel_png(ROWS, t, "01.11.2026 — 30.11.2026")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (round(width_px), round(height_px))  # the chat gets this size
    scale = SHOWN_PX / width_px
    shown = {x.get_text(): x.get_fontsize() * fig.dpi / 72 * scale for x in texts(fig)}
    assert len(shown) >= 5 + 2 * (len(ROWS) + 1) + 1  # the legend, two lines a source and the total, the period
    smallest = min(shown.values())
    assert smallest >= 12, sorted(shown.items(), key=lambda kv: kv[1])[:3]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)  # drawn as savefig draws it, for each text's place in pixels
    canvas.draw()
    renderer = canvas.get_renderer()
    outside = [x.get_text() for x in texts(fig)
               if not (0 <= (box := x.get_window_extent(renderer)).x0 and box.x1 <= width_px
                       and 0 <= box.y0 and box.y1 <= height_px)]
    assert outside == []
    print(f"\n{locale}: {round(width_px)}×{round(height_px)} px; at {SHOWN_PX} px wide the smallest text is "
          f"{smallest:.1f} px, at 330 px {smallest * 330 / SHOWN_PX:.1f} px")
