"""The documents (seed 001: the КП, the invoice): the sum in words as a Russian invoice writes it, and an admin's
template taken only when it is safe and renders on a sample."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core import documents
from core.domain.campaigns.orders import DocKind
from core.domain.kernel.errors import InvalidInput


@pytest.mark.parametrize(("value", "words"), [
    ("43065.00", "Сорок три тысячи шестьдесят пять рублей 00 копеек"),
    ("1.01", "Один рубль 01 копейка"),
    ("2.22", "Два рубля 22 копейки"),
    ("111.11", "Сто одиннадцать рублей 11 копеек"),
    ("21.14", "Двадцать один рубль 14 копеек"),
    ("0.05", "Ноль рублей 05 копеек"),
])
def test_the_sum_in_words(value, words):
    assert documents.in_words(Decimal(value)) == words


def test_the_built_in_templates_render_cyrillic_lines_and_totals():
    for kind in (DocKind.QUOTE, DocKind.INVOICE):
        pdf = documents.render_pdf(documents.default_template(kind), documents.sample_context(kind), "t")
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().replace("\xa0", " ")
        assert "Бумага А4" in text and "4 270,00" in text and "Четыре тысячи двести семьдесят рублей 00 копеек" in text


def test_the_built_in_lease_offer_renders_polish_figures_and_the_whole_schedule():
    kind = DocKind.LEASE_OFFER
    pdf = documents.render_pdf(documents.default_template(kind), documents.sample_context(kind), "t")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\xa0", " ")
    # 100,000 zł, 10 % down: 90,000 over 12 months at 8 %; numpy-financial's pmt: 7,828.9586…
    assert "Oferta leasingu nr 1-1" in text and "Kwota finansowania 90 000,00" in text
    assert "1 15.02.2026 7 828,96 600,00 7 228,96 82 771,04" in text and "Opłata wstępna 10 000,00" in text


@pytest.mark.parametrize(("body", "key"), [
    (b"<p>{% for x in %}</p>", "template_bad"),  # Jinja cannot read it
    (b"<p>{{ number.__class__.__mro__[1].__subclasses__() }}</p>", "template_bad"),  # the sandbox says no
    (b'<img src="http://169.254.169.254/latest">', "template_bad"),  # no pictures: no paths, no URLs fetched
    ("<p>КП</p>".encode("cp1251"), "template_encoding"),
    (b"<p>" + b"x" * documents.MAX_TEMPLATE + b"</p>", "template_too_large"),
])
def test_an_admins_template_is_refused_when_unsafe_or_broken(body, key):
    with pytest.raises(InvalidInput) as refused:
        documents.check_template(DocKind.QUOTE, body)
    assert refused.value.key == key


def test_a_good_template_is_taken_and_what_people_typed_is_escaped():
    text = documents.check_template(DocKind.QUOTE, "<h1>КП {{ number }}</h1><p>{{ client }}</p>".encode())
    html = documents.render_html(text, {"number": "1-1", "client": "<b>ООО «Ромашка»</b>"})
    assert html == "<h1>КП 1-1</h1><p>&lt;b&gt;ООО «Ромашка»&lt;/b&gt;</p>"


def test_the_quote_and_the_invoice_name_the_crms_currency():
    """CURRENCY=GBP: the КП and the invoice read «£», not «₽», and no roubles in words follow the sum."""
    from core.domain.kernel import preferences

    preferences.use_defaults("en", "Europe/London", "GBP")
    for kind in (DocKind.QUOTE, DocKind.INVOICE):
        html = documents.render_html(documents.default_template(kind), documents.sample_context(kind))
        assert "£" in html and "₽" not in html and "рубл" not in html, kind
