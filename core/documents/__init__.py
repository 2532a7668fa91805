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
import tomllib
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from core.domain.campaigns.orders import DocKind
from core.domain.campaigns.quotes import Line, Totals
from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.preferences import currency as deployment_currency
from core.domain.leasing.calc import Calculation, Share, calculate
from core.formats import Formats

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
def default_template(kind: DocKind, locale: str | None = None) -> str:
    """The built-in template of ``kind`` in ``locale``: ``templates/<kind>.html`` is written in the kind's own
    language (``LANGUAGE``), ``templates/<locale>/<kind>.html`` in each other one."""
    own = LANGUAGE.get(kind, "pl")
    locale = locale if locale in LANGUAGES else own
    path = HERE / "templates" / (f"{kind.value}.html" if locale == own else f"{locale}/{kind.value}.html")
    return path.read_text(encoding="utf-8")


WORDS_DIR = HERE / "words"
#: the languages the documents' words (``words/<locale>.toml``) are written in
LANGUAGES = ("ru", "en", "pl")


@cache
def _words(locale: str) -> dict[str, str]:
    with open(WORDS_DIR / f"{locale}.toml", "rb") as f:
        tree = tomllib.load(f)
    return {f"{table}.{key}": text for table, keys in tree.items() for key, text in keys.items()}


class Words:
    """A document's or an e-mail's words in one language (``words/<locale>.toml``), and its formatter: a document
    is given both, never formats a number or picks a word itself (``Words("pl")("title.lease_invoice")``)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in LANGUAGES else "ru"
        self.fmt = Formats(self.locale)
        self._own = _words(self.locale)

    def __call__(self, key: str, **params) -> str:
        text = self._own[key]
        return text.format(**params) if params else text

    def forms(self, table: str) -> dict[str, str]:
        return {k.partition(".")[2]: v for k, v in self._own.items() if k.startswith(f"{table}.")}


def in_words(value: Decimal) -> str:
    """«Сто двадцать три рубля 45 копеек», as a Russian invoice writes the sum: the roubles in words (num2words),
    the kopecks in figures."""
    from num2words import num2words

    kopecks = int((value * 100).to_integral_value())
    rub, kop = divmod(kopecks, 100)
    words = num2words(rub, lang="ru")
    ru = Formats("ru")
    rubles = {"one": "рубль", "few": "рубля", "many": "рублей", "other": "рубля"}
    kopecks_ = {"one": "копейка", "few": "копейки", "many": "копеек", "other": "копейки"}
    return (f"{words[:1].upper()}{words[1:]} {rubles[ru.plural_form(rub)]} "
            f"{kop:02d} {kopecks_[ru.plural_form(kop)]}")


def lines_context(lines: list[Line] | tuple[Line, ...], totals: Totals, w: Words) -> dict:
    f = w.fmt
    return {
        "lines": [{"n": i, "item": x.item, "quantity": f.number(x.quantity), "unit": x.unit, "price": f.amount(x.price),
                   "discount": f.percent(x.discount) if x.discount else "—",
                   "vat": f.percent(x.vat) if x.vat is not None else w("line.no_vat"), "net": f.amount(x.net),
                   "tax": f.amount(x.tax), "gross": f.amount(x.gross)} for i, x in enumerate(lines, 1)],
        "net": f.amount(totals.net), "tax": f.amount(totals.tax), "gross": f.amount(totals.gross),
        "gross_words": in_words(totals.gross) if w.locale == "ru" and deployment_currency() == "RUB" else "",
        "currency": f.currency_sign(),  # the CRM's (CURRENCY): «₽», «£»
    }


def render_html(template: str, context: dict) -> str:
    from jinja2 import TemplateError

    try:
        return _env().from_string(template).render(**context)
    except TemplateError as exc:
        raise InvalidInput("template_bad", error=str(exc)[:200]) from exc


def html_to_pdf(html: str, title: str, codes: list[tuple[str, str]] = ()) -> bytes:
    """``codes``: QR codes (the link, its caption) printed under the text, side by side (a faktura's KSeF
    verification)."""
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
    if codes:
        _qr_codes(pdf, codes)
    return bytes(pdf.output())


def _qr_codes(pdf, codes: list[tuple[str, str]], size: float = 32) -> None:
    """Each link's QR code drawn as vector squares (a run of dark modules one rectangle: sharper than a picture and
    far cheaper for fpdf2 than embedding a PNG), its caption under it."""
    import qrcode

    if pdf.get_y() + size + 12 > pdf.h - pdf.b_margin:
        pdf.add_page()
    y = pdf.get_y() + 4
    pdf.set_fill_color(0, 0, 0)
    for i, (link, caption) in enumerate(codes):
        qr = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
        qr.add_data(link)
        qr.make(fit=True)
        matrix = qr.get_matrix()
        cell, x = size / len(matrix), pdf.l_margin + i * (size + 40)
        for r, row in enumerate(matrix):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    pdf.rect(x + start * cell, y + r * cell, (c - start) * cell, cell, style="F")
                else:
                    c += 1
        pdf.set_xy(x - 10, y + size + 1)
        pdf.set_font(FONT, size=7)
        pdf.cell(size + 20, 4, caption, align="C")
    pdf.set_font(FONT, size=10)
    pdf.set_y(y + size + 6)


def render_pdf(template: str, context: dict, title: str) -> bytes:
    return html_to_pdf(render_html(template, context), title)


def lease_offer_context(*, number: str, made: date, valid_until: date, seller: str, seller_details: str,
                        client: str, client_ids: str, subject: str, result, currency: str, w: Words,
                        vendor: str = "") -> dict:
    """A lease offer's version (seed 002): its figures and its whole schedule, in the words and figures of ``w``."""
    c, f = result.calc, w.fmt
    return {"number": number, "date": f.day(made), "valid_until": f.day(valid_until), "seller": seller,
            "seller_details": seller_details, "client": client, "client_ids": client_ids, "subject": subject,
            "vendor": vendor,
            "currency": currency, "vat": f.number(c.vat), "price": f.amount(c.price),
            "advance": f.amount(result.advance), "financed": f.amount(result.financed), "months": c.months,
            "months_text": f.plural(c.months, w.forms("months")),
            "method": w(f"line.method_{'annuity' if c.method == 'annuity' else 'linear'}"),
            "timing": w(f"line.timing_{'arrears' if c.timing == 'arrears' else 'advance'}"), "rate": f.number(c.rate),
            "instalment": f.amount(result.lines[0].payment),
            "instalment_gross": f.amount(result.gross(result.lines[0].payment)),
            "residual": f.amount(result.residual), "fee": f.amount(result.fee), "total": f.amount(result.total),
            "cost_pct": f.number(result.cost_pct),
            "lines": [{"n": x.n, "date": f.day(x.due), "payment": f.amount(x.payment), "interest": f.amount(x.interest),
                       "principal": f.amount(x.principal), "balance": f.amount(x.balance)} for x in result.lines]}


#: the language ``templates/<kind>.html`` is written in (the lease documents of seed 002 are Polish), and a document's
#: language when its recipient's is not known; the other languages' templates are ``templates/<locale>/<kind>.html``
LANGUAGE = {DocKind.QUOTE: "ru", DocKind.INVOICE: "ru"}


#: documents written in one language whoever reads them: a faktura is a Polish tax document, its PDF the picture of
#: its FA(3) XML in KSeF (core/services/leasing/books/ksef.py); its caption in the chat is in the client's language
FIXED_LANGUAGE = {DocKind.LEASE_INVOICE: "pl"}


def language_of(kind: DocKind, locale: str | None = None) -> str:
    """The language a document of ``kind`` is written in: its recipient's (``locale``) when we have it, else the
    kind's own; a faktura always Polish (``FIXED_LANGUAGE``)."""
    if kind in FIXED_LANGUAGE:
        return FIXED_LANGUAGE[kind]
    return locale if locale in LANGUAGES else LANGUAGE.get(kind, "pl")


def words_for(kind: DocKind, locale: str | None = None) -> Words:
    return Words(language_of(kind, locale))


def lease_invoice_context(w: Words, *, number: str, issued: date, due: date | None, seller: str, seller_details: str,
                          client: str, client_ids: str, contract: str, subject: str, item: str, net: Decimal,
                          vat_rate: Decimal, vat: Decimal, gross: Decimal, currency: str, reason: str = "",
                          rows: list[tuple[str, Decimal, Decimal, Decimal]] | None = None, corrected: str = "",
                          corrected_date: date | None = None, corrected_ksef: str = "", ksef_number: str = "",
                          ksef_offline: bool = False) -> dict:
    """A faktura (``due`` None: a correcting one, with its ``reason``, the faktura it corrects — number, date, KSeF
    number — and its ``rows``: the line before, after and the change, each (its label's key, net, VAT, gross)); with
    KSeF on, its KSeF number or that it was issued offline."""
    f = w.fmt
    lines = rows or [("", net, vat, gross)]
    return {"title": w("title.lease_correction" if due is None else "title.lease_invoice"), "number": number,
            "date": f.day(issued), "sale_date": f.day(due), "seller": seller, "seller_details": seller_details,
            "client": client, "client_ids": client_ids, "contract": contract, "subject": subject, "item": item,
            "net": f.amount(net), "vat_rate": f.number(vat_rate), "vat": f.amount(vat), "gross": f.amount(gross),
            "currency": currency, "due": f.day(due), "reason": reason,
            "rows": [{"label": w(f"line.{label}") if label else "", "net": f.amount(n), "vat_rate": f.number(vat_rate),
                      "vat": f.amount(v), "gross": f.amount(g)} for label, n, v, g in lines],
            "corrected": corrected, "corrected_date": f.day(corrected_date) if corrected_date else "",
            "corrected_ksef": corrected_ksef, "ksef_number": ksef_number, "ksef_offline": ksef_offline}


def lease_letter_context(w: Words, *, place: str, day_: date, client: str, client_ids: str, level: str, contract: str,
                         subject: str, owed: Decimal, currency: str, oldest: date, seller: str, seller_details: str
                         ) -> dict:
    f = w.fmt
    return {"place": place, "date": f.day(day_), "client": client, "client_ids": client_ids, "level": level,
            "contract": contract, "subject": subject, "owed": f.amount(owed), "currency": currency,
            "oldest": f.day(oldest), "days": (day_ - oldest).days, "seller": seller, "seller_details": seller_details}


def lease_settlement_context(w: Words, *, contract: str, day_: date, seller: str, seller_details: str, client: str,
                             client_ids: str, subject: str, charges: list[tuple[str, Decimal]], paid: Decimal,
                             credited: Decimal, balance: Decimal, refund: Decimal, currency: str) -> dict:
    """``charges``: (the charge kind's code, its sum), named in ``w``'s words."""
    f = w.fmt
    total = sum((amount for _, amount in charges), Decimal(0))
    return {"contract": contract, "date": f.day(day_), "seller": seller, "seller_details": seller_details,
            "client": client, "client_ids": client_ids, "subject": subject,
            "charges": [{"name": w(f"charge.{kind}"), "amount": f.amount(amount)} for kind, amount in charges],
            "charged": f.amount(total), "paid": f.amount(paid), "credited": f.amount(credited),
            "balance": f.amount(balance), "refund": f.amount(refund) if refund else "", "currency": currency}


def sample_context(kind: DocKind, w: Words | None = None) -> dict:
    """What a template is tried on before an admin's replacement is taken (a bad one is refused with the error),
    in the words of its language (or of ``w``)."""
    w = w or words_for(kind)
    seller = {"seller": "Leasing S.A.", "seller_details": "NIP 8567346215", "client": "Alfa sp. z o.o.",
              "client_ids": "NIP 5260250274", "subject": "Koparka"}
    if kind == DocKind.LEASE_INVOICE:
        return lease_invoice_context(w, number="FV/2027/000001", issued=date(2027, 1, 15), due=date(2027, 1, 15),
                                     contract="1-1", item=w("item.instalment", n=1), net=Decimal("1000.00"),
                                     vat_rate=Decimal("23.00"), vat=Decimal("230.00"), gross=Decimal("1230.00"),
                                     currency="PLN", **seller)
    if kind == DocKind.LEASE_SETTLEMENT:
        return lease_settlement_context(w, contract="1-1", day_=date(2027, 11, 23), charges=[
            ("instalment", Decimal("14760.00"))], paid=Decimal("14770.00"), credited=Decimal(0),
                                        balance=Decimal("-10.00"), refund=Decimal("10.00"), currency="PLN", **seller)
    if kind == DocKind.LEASE_END:
        f = w.fmt
        return {"kind": "termination", "title": w("title.lease_end_termination"), "contract": "1-1",
                "date": f.day(date(2027, 3, 31)), **seller, "registration": "WX 12345", "invoice": "FV/2027/000012",
                "notes": "", "vat_rate": f.number(Decimal(23)), "currency": "PLN", "total": f.amount(Decimal("1230")),
                "rows": [{"name": w("charge.termination"), "net": f.amount(Decimal(1000)),
                          "gross": f.amount(Decimal(1230))}]}
    if kind == DocKind.LEASE_LETTER:
        del seller["subject"]
        return lease_letter_context(w, place="Warszawa", day_=date(2027, 2, 1), level=w("title.lease_letter"),
                                    contract="1-1", subject="Koparka", owed=Decimal("1230.00"), currency="PLN",
                                    oldest=date(2027, 1, 15), **seller)
    if kind in (DocKind.LEASE_OFFER, DocKind.LEASE_CONTRACT):
        result = calculate(Calculation(Decimal("100000.00"), 12, Decimal(8), date(2026, 1, 15),
                                       advance=Share(Decimal(10))))
        return lease_offer_context(number="1-1", made=date(2026, 1, 15), valid_until=date(2026, 1, 29),
                                   result=result, currency="PLN", w=w, **seller) | {
            "conditions": ["poręczenie prezesa"]}
    f = w.fmt
    line = Line("Бумага А4", Decimal("10"), "пачка", Decimal("350.00"))
    ctx = {"number": "1-1", "date": f.day(date(2026, 1, 15)), "valid_until": f.day(date(2026, 1, 25)),
           "seller": "ООО «Продавец»", "seller_details": "ИНН 7707083893", "client": "ООО «Покупатель»",
           "client_inn": "7728168971", "terms": "Оплата 100 %", "order": "1-1", "quote": "1-1",
           "ship_unpaid": False}
    ctx.update(lines_context([line], Totals(line.net, line.tax, line.gross), w))
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
