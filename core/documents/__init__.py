"""Generated documents (seed 001: the КП, stage 8; the invoice, stage 13) as PDF files.

A template is HTML with Jinja placeholders (``{{ gross }}``, ``{% for line in lines %}`` …): the built-in ones are
in ``templates/``, and an admin may replace one by sending an .html file in the chat, with no code. It is rendered
in Jinja's sandbox (a template cannot reach Python) with HTML escaping, then laid out by fpdf2's HTML writer with
the DejaVu fonts shipped here (Cyrillic, «₽»).

Why fpdf2: pure Python (the default run needs nothing but Python; WeasyPrint needs Pango from the system), fast
enough to write a КП in a few milliseconds, well kept, and its HTML subset (headings, paragraphs, bold, tables with
widths and alignment) is what an offer and an invoice need.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale
from babel.numbers import format_decimal

from core.domain.campaigns.orders import DocKind
from core.domain.campaigns.quotes import Line, Totals
from core.domain.kernel.errors import InvalidInput
from core.domain.leasing.calc import Calculation, Share, calculate

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

# fpdf2 (with fontTools, Pillow and NumPy), Jinja2 and num2words are imported where a document is made, not at start:
# most processes never make one, and the bot's start and memory stay close to a bare aiogram bot's

HERE = Path(__file__).parent
FONT = "DejaVu"
MAX_TEMPLATE = 64 * 1024  # bytes of an admin's template
_IMAGE = re.compile(r"<\s*img\b", re.IGNORECASE)


@cache
def _env() -> ImmutableSandboxedEnvironment:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(autoescape=True)


@cache
def default_template(kind: DocKind) -> str:
    return (HERE / "templates" / f"{kind.value}.html").read_text(encoding="utf-8")


def amount(value: Decimal) -> str:
    """«1 234 567,89»: how a Russian document writes money."""
    return format_decimal(value, format="#,##0.00", locale="ru_RU")


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def in_words(value: Decimal) -> str:
    """«Сто двадцать три рубля 45 копеек», as a Russian invoice writes the sum: the roubles in words (num2words),
    the kopecks in figures."""
    from num2words import num2words

    kopecks = int((value * 100).to_integral_value())
    rub, kop = divmod(kopecks, 100)
    words = num2words(rub, lang="ru")
    return (f"{words[:1].upper()}{words[1:]} {_plural(rub, 'рубль', 'рубля', 'рублей')} "
            f"{kop:02d} {_plural(kop, 'копейка', 'копейки', 'копеек')}")


def _number(value: Decimal) -> str:
    return format_decimal(value, format="#,##0.###", locale="ru_RU")


def lines_context(lines: list[Line] | tuple[Line, ...], totals: Totals) -> dict:
    return {
        "lines": [{"n": i, "item": x.item, "quantity": _number(x.quantity), "unit": x.unit, "price": amount(x.price),
                   "discount": f"{_number(x.discount)} %" if x.discount else "—",
                   "vat": f"{_number(x.vat)} %" if x.vat is not None else "без НДС", "net": amount(x.net),
                   "tax": amount(x.tax), "gross": amount(x.gross)} for i, x in enumerate(lines, 1)],
        "net": amount(totals.net), "tax": amount(totals.tax), "gross": amount(totals.gross),
        "gross_words": in_words(totals.gross),
    }


def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def render_html(template: str, context: dict) -> str:
    from jinja2 import TemplateError

    try:
        return _env().from_string(template).render(**context)
    except TemplateError as exc:
        raise InvalidInput("template_bad", error=str(exc)[:200]) from exc


def html_to_pdf(html: str, title: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("Dealgram")
    pdf.add_font(FONT, "", str(HERE / "fonts" / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(HERE / "fonts" / "DejaVuSans-Bold.ttf"))
    pdf.set_font(FONT, size=10)
    pdf.add_page()
    try:
        pdf.write_html(html, font_family=FONT)
    except Exception as exc:  # fpdf2's HTML writer refuses what it cannot lay out: the template is at fault
        raise InvalidInput("template_bad", error=f"{type(exc).__name__}: {exc}"[:200]) from exc
    return bytes(pdf.output())


def render_pdf(template: str, context: dict, title: str) -> bytes:
    return html_to_pdf(render_html(template, context), title)


def pl_amount(value: Decimal) -> str:
    """«1 500 000,00»: how a Polish document writes money."""
    return format_decimal(value, format="#,##0.00", locale="pl_PL")


def pl_number(value: Decimal) -> str:
    """«23», «8,5»: a rate as a Polish document writes it, no trailing zeros."""
    return format_decimal(value, format="#,##0.###", locale="pl_PL")


_MONTHS = {"one": "miesiąc", "few": "miesiące", "many": "miesięcy", "other": "miesiąca"}


def pl_months(n: int) -> str:
    """«1 miesiąc», «3 miesiące», «24 miesiące», «12 miesięcy»: Polish plural rules (Babel's CLDR data)."""
    return f"{n} {_MONTHS[Locale.parse('pl').plural_form(n)]}"


def lease_offer_context(*, number: str, made: date, valid_until: date, seller: str, seller_details: str,
                        client: str, client_ids: str, subject: str, result, currency: str, vendor: str = "") -> dict:
    """A lease offer's version (seed 002): its figures and its whole schedule, written the Polish way."""
    c = result.calc
    return {"number": number, "date": day(made), "valid_until": day(valid_until), "seller": seller,
            "seller_details": seller_details, "client": client, "client_ids": client_ids, "subject": subject,
            "vendor": vendor,
            "currency": currency, "vat": _number(c.vat), "price": pl_amount(c.price),
            "advance": pl_amount(result.advance), "financed": pl_amount(result.financed), "months": c.months,
            "months_text": pl_months(c.months),
            "method": "równe" if c.method == "annuity" else "malejące",
            "timing": "z dołu" if c.timing == "arrears" else "z góry", "rate": _number(c.rate),
            "instalment": pl_amount(result.lines[0].payment),
            "instalment_gross": pl_amount(result.gross(result.lines[0].payment)),
            "residual": pl_amount(result.residual), "fee": pl_amount(result.fee), "total": pl_amount(result.total),
            "cost_pct": _number(result.cost_pct),
            "lines": [{"n": x.n, "date": day(x.due), "payment": pl_amount(x.payment), "interest": pl_amount(x.interest),
                       "principal": pl_amount(x.principal), "balance": pl_amount(x.balance)} for x in result.lines]}


def sample_context(kind: DocKind) -> dict:
    """What a template is tried on before an admin's replacement is taken (a bad one is refused with the error)."""
    if kind == DocKind.LEASE_INVOICE:
        return {"title": "Faktura VAT", "number": "FV/2027/000001", "date": day(date(2027, 1, 15)),
                "sale_date": day(date(2027, 1, 15)), "seller": "Leasing S.A.", "seller_details": "NIP 8567346215",
                "client": "Alfa sp. z o.o.", "client_ids": "NIP 5260250274", "contract": "1-1", "subject": "Koparka",
                "item": "Rata leasingowa nr 1", "net": "1 000,00", "vat_rate": "23", "vat": "230,00",
                "gross": "1 230,00", "currency": "PLN", "due": day(date(2027, 1, 15)), "reason": ""}
    if kind == DocKind.LEASE_SETTLEMENT:
        return {"contract": "1-1", "date": day(date(2027, 11, 23)), "seller": "Leasing S.A.",
                "seller_details": "NIP 8567346215", "client": "Alfa sp. z o.o.", "client_ids": "NIP 5260250274",
                "subject": "Koparka", "charges": [{"name": "Raty leasingowe", "amount": "14 760,00"}],
                "charged": "14 760,00", "paid": "14 770,00", "credited": "0,00", "balance": "-10,00",
                "refund": "10,00", "currency": "PLN"}
    if kind == DocKind.LEASE_END:
        return {"kind": "termination", "title": "Rozliczenie przedterminowego zakończenia umowy leasingu",
                "contract": "1-1", "date": day(date(2027, 3, 31)), "seller": "Leasing S.A.",
                "seller_details": "NIP 8567346215", "client": "Alfa sp. z o.o.", "client_ids": "NIP 5260250274",
                "subject": "Koparka", "registration": "WX 12345", "invoice": "FV/2027/000012", "notes": "",
                "vat_rate": "23", "currency": "PLN", "total": "1 230,00",
                "rows": [{"name": "Kapitał pozostały", "net": "1 000,00", "gross": "1 230,00"}]}
    if kind == DocKind.LEASE_LETTER:
        return {"place": "Warszawa", "date": day(date(2027, 2, 1)), "client": "Alfa sp. z o.o.",
                "client_ids": "NIP 5260250274", "level": "Wezwanie do zapłaty", "contract": "1-1", "subject": "Koparka",
                "owed": "1 230,00", "currency": "PLN", "oldest": day(date(2027, 1, 15)), "days": 17,
                "seller": "Leasing S.A.", "seller_details": "NIP 8567346215"}
    if kind in (DocKind.LEASE_OFFER, DocKind.LEASE_CONTRACT):
        result = calculate(Calculation(Decimal("100000.00"), 12, Decimal(8), date(2026, 1, 15),
                                       advance=Share(Decimal(10))))
        return lease_offer_context(number="1-1", made=date(2026, 1, 15), valid_until=date(2026, 1, 29),
                                   seller="Leasing S.A.", seller_details="NIP 8567346215", client="Alfa sp. z o.o.",
                                   client_ids="NIP 5260250274", subject="Koparka", result=result, currency="PLN") | {
            "conditions": ["poręczenie prezesa"]}
    line = Line("Бумага А4", Decimal("10"), "пачка", Decimal("350.00"))
    ctx = {"number": "1-1", "date": day(date(2026, 1, 15)), "valid_until": day(date(2026, 1, 25)),
           "seller": "ООО «Продавец»", "seller_details": "ИНН 7707083893", "client": "ООО «Покупатель»",
           "client_inn": "7728168971", "terms": "Оплата 100 %", "order": "1-1", "quote": "1-1",
           "ship_unpaid": False}
    ctx.update(lines_context([line], Totals(line.net, line.tax, line.gross)))
    return ctx


def check_template(kind: DocKind, body: bytes) -> str:
    """An admin's replacement: UTF-8 HTML of a sane size that renders on a sample (else refused, with why)."""
    if len(body) > MAX_TEMPLATE:
        raise InvalidInput("template_too_large", max=MAX_TEMPLATE // 1024)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("template_encoding") from exc
    if _IMAGE.search(text):  # fpdf2 would read the picture from a path or fetch it from a URL at every document
        raise InvalidInput("template_bad", error="<img> is not allowed: a template holds text and tables only")
    render_pdf(text, sample_context(kind), "check")
    return text
