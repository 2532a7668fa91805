"""KSeF's FA(3) XML against the faktura's PDF, side by side in one run, for the same fakturas: each faktura (an
instalment, a fee, every tenth a correcting one with its line before and after) built as FA(3) XML by the code the
books use (core.documents.ksef.build_xml: ksef-client's builders, the header stamped) and checked against the
schema kept in the repository (lxml, the schema loaded once); and the same faktura rendered to PDF by the code the
chat uses (the built-in template, Jinja's sandbox, fpdf2) with its KOD I QR code, as a faktura is now printed.
Printed: each side's time and rate, the XML split into building and checking, and the ratio PDF / XML.

Every XML is checked valid and every PDF to be a PDF (a failure stops the run); nothing is asserted about time.

Run: python -m bench.ksef [--fakturas 10000] [--pdfs N] [--smoke]      (--smoke: 5 fakturas)
     --pdfs N: the PDF side on the first N of the fakturas only (a PDF costs far more: at 10,000 it runs for hours
     on a loaded machine); the ratio is then per faktura, and the output says so.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.common import smoke_flag
from core import documents as render
from core.documents import ksef
from core.domain.campaigns.orders import DocKind
from core.domain.leasing import corrections
from core.domain.leasing.books import vat_of

SELLER = ksef.Party("Leasing Polska S.A.", "5260250274", "ul. Prosta 1", "00-001 Warszawa")
QR = "https://qr-test.ksef.mf.gov.pl"
MADE = datetime(2027, 1, 15, 9, tzinfo=UTC)


def fakturas(n: int) -> list[ksef.Invoice]:
    out = []
    for i in range(n):
        net = Decimal(100_000 + (i * 7919) % 900_000) / 100
        day = date(2027, 1, 1) + timedelta(days=i % 365)
        line = ksef.Line(f"Rata leasingowa nr {i % 60 + 1}" if i % 5 else "Opłata administracyjna", net,
                         Decimal(23), vat_of(net, Decimal(23)))
        buyer = ksef.Party(f"Klient {i} sp. z o.o.", "8567346215", f"ul. Długa {i % 200 + 1}", "Kraków")
        if i % 10 == 4:  # a correcting faktura (every tenth): 10 % of the gross taken back
            before = corrections.Amounts(line.net, line.vat)
            after = corrections.after(before, (before.gross / 10).quantize(Decimal("0.01")), Decimal(23))
            out.append(ksef.Invoice(f"FK/2027/{i:06d}", day, SELLER, buyer, "PLN",
                                    (ksef.Line(line.description, after.net, Decimal(23), after.vat),),
                                    corrected=ksef.Corrected(f"FV/2027/{i - 1:06d}", day, None, "rabat"),
                                    before=(line,)))
        else:
            out.append(ksef.Invoice(f"FV/2027/{i:06d}", day, SELLER, buyer, "PLN", (line,), due=day, sale_date=day))
    return out


def context(doc: ksef.Invoice) -> dict:
    """What the faktura's PDF is given: core.documents.lease_invoice_context, as
    core.services.kernel.documents.lease_invoice_document calls it."""
    line = doc.lines[0]
    w = render.words_for(DocKind.LEASE_INVOICE)
    rows = None
    net, vat = line.net, line.vat
    if doc.corrected:
        was = doc.before[0]
        net, vat = line.net - was.net, line.vat - was.vat
        rows = [("before", was.net, was.vat, was.net + was.vat), ("after", line.net, line.vat, line.net + line.vat),
                ("change", net, vat, net + vat)]
    return render.lease_invoice_context(
        w, number=doc.number, issued=doc.issued_on, due=None if doc.corrected else doc.due, seller=SELLER.name,
        seller_details="NIP 5260250274", client=doc.buyer.name, client_ids="NIP 8567346215", contract="1-1",
        subject="Koparka Volvo EC220E", item=line.description, net=net, vat_rate=Decimal(23), vat=vat,
        gross=net + vat, currency="PLN", reason=doc.corrected.reason if doc.corrected else "", rows=rows,
        corrected=doc.corrected.number if doc.corrected else "",
        corrected_date=doc.corrected.issued_on if doc.corrected else None, ksef_offline=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fakturas", type=int)
    ap.add_argument("--pdfs", type=int, help="the PDF side on the first N fakturas only (default: all)")
    smoke_flag(ap)
    args = ap.parse_args()
    n = args.fakturas or (5 if args.smoke else 10_000)
    docs = fakturas(n)
    ksef.schema()  # loaded once per process, as the bot does: not part of either side
    ksef.validate(ksef.build_xml(docs[0], MADE))  # the libraries imported (lazily, as in the bot) before timing
    template = render.default_template(DocKind.LEASE_INVOICE)
    pdfs = min(args.pdfs or n, n)

    built, hashes = 0.0, []
    t0 = time.perf_counter()
    xmls = []
    for doc in docs:
        xmls.append(ksef.build_xml(doc, MADE))
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    for xml in xmls:
        ksef.validate(xml)
        hashes.append(ksef.digest(xml))
    checked = time.perf_counter() - t0
    xml_time = built + checked

    t0 = time.perf_counter()
    for doc, digest in zip(docs[:pdfs], hashes[:pdfs], strict=True):
        link = ksef.invoice_url(QR, SELLER.nip, doc.issued_on, digest)
        pdf = render.html_to_pdf(render.render_html(template, context(doc)), doc.number, codes=[(link, "OFFLINE")])
        if not pdf.startswith(b"%PDF"):
            raise SystemExit(f"{doc.number}: not a PDF")
    pdf_time = time.perf_counter() - t0

    corrections_n = sum(1 for d in docs if d.corrected)
    print(f"{n:,} fakturas ({corrections_n:,} correcting), one run, the same fakturas on both sides:")
    print(f"  FA(3) XML built and checked against the XSD: {xml_time:.2f} s, {n / xml_time:,.0f} a second "
          f"(built {built:.2f} s, checked {checked:.2f} s); {sum(map(len, xmls)) / n:,.0f} bytes each")
    print(f"  PDF with its KOD I QR code:                  {pdf_time:.2f} s, {pdfs / pdf_time:,.1f} a second"
          + (f" (the first {pdfs:,} only)" if pdfs < n else ""))
    per_xml, per_pdf = xml_time / n, pdf_time / pdfs
    print(f"  per faktura: XML {per_xml * 1000:.2f} ms, PDF {per_pdf * 1000:.1f} ms; ratio PDF / FA(3) XML: "
          f"{per_pdf / per_xml:.1f}×  (the XML adds {per_xml / per_pdf:.0%} to a faktura's PDF time)")


if __name__ == "__main__":
    main()
