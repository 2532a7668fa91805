"""A faktura as KSeF takes it: the FA(3) XML (the Ministry of Finance's logical structure), checked against the
published schema kept beside this file (schemas/, the XSD files as the Ministry publishes them), its SHA-256 hash,
and the verification links the printed faktura carries as QR codes: KOD I (the invoice's, always) and KOD II (the
issuer's certificate, on a faktura issued offline).

The XML is built with ksef-client's FA(3) builders (ksef_client.documents.fa3: the structure's elements, the VAT
buckets P_13_x/P_14_x, a correction's StanPrzed lines); the schema is loaded here once per process with lxml and a
resolver that reads only these files (the XSD's includes name the Ministry's web addresses: nothing is fetched).
Pure functions over values: the books' services give the data and store what comes back."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

SCHEMAS = Path(__file__).parent / "schemas"
MAIN_SCHEMA = "schemat_FA(3)_v1-0E.xsd"
SYSTEM = "Dealgram"

#: the KSeF environments: the API, and the address the verification QR codes lead to
ENVIRONMENTS = {"test": ("https://api-test.ksef.mf.gov.pl", "https://qr-test.ksef.mf.gov.pl"),
                "demo": ("https://api-demo.ksef.mf.gov.pl", "https://qr-demo.ksef.mf.gov.pl"),
                "production": ("https://api.ksef.mf.gov.pl", "https://qr.ksef.mf.gov.pl")}


class Fa3Invalid(ValueError):
    """The XML does not satisfy the FA(3) schema: KSeF would refuse it."""


@dataclass(frozen=True)
class Party:
    name: str
    nip: str | None  # None: a buyer without a NIP (a person)
    address: str | None = None
    address2: str | None = None


@dataclass(frozen=True)
class Line:
    """One line of a faktura: a service, one unit, its net, VAT rate (percent) and VAT as the books hold them."""

    description: str
    net: Decimal
    vat_rate: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


@dataclass(frozen=True)
class Corrected:
    """The faktura a correcting one corrects (art. 106j: its number, its date, its KSeF number when it has one)."""

    number: str
    issued_on: date
    ksef_number: str | None
    reason: str


@dataclass(frozen=True)
class Invoice:
    number: str
    issued_on: date
    seller: Party
    buyer: Party
    currency: str
    lines: tuple[Line, ...]  # a correcting one: the lines after the correction
    due: date | None = None
    sale_date: date | None = None
    contract: str | None = None
    corrected: Corrected | None = None
    before: tuple[Line, ...] = field(default=())  # a correcting one: the same lines as the corrected faktura had them


def _party(p: Party):
    from ksef_client.documents.fa3 import Address, InvoiceParty

    address = Address.polish(p.address or "-", p.address2) if p.address or p.address2 else None
    if p.nip:
        return InvoiceParty.polish_company(nip=p.nip, name=p.name, address=address)
    return InvoiceParty.without_tax_id(name=p.name, address=address)


def _amounts(x: Line) -> dict:
    from ksef_client.documents.fa3 import TaxCategory

    return dict(quantity=1, unit_net_price=x.net, tax=TaxCategory.from_vat_rate(x.vat_rate), unit="usł",
                net_amount=x.net, vat_amount=x.vat)


def _line(x: Line, *, before: bool):
    from ksef_client.documents.fa3 import InvoiceLine

    return (InvoiceLine.corrected_before if before else InvoiceLine.corrected_after)(x.description, **_amounts(x))


def build_xml(doc: Invoice, made_at: datetime) -> bytes:
    """The FA(3) XML of a faktura or a correcting one (UTF-8 bytes, as sent and hashed)."""
    from ksef_client.documents.fa3 import (
        BasicInvoiceBuilder,
        CorrectionInvoiceBuilder,
        PaymentMethod,
        PaymentTerms,
    )

    if doc.corrected is None:
        builder = BasicInvoiceBuilder(invoice_number=doc.number)
        for x in doc.lines:
            builder.add_service_line(x.description, **_amounts(x))
        if doc.due:
            builder.payment(PaymentTerms(due_dates=(doc.due,), method=PaymentMethod.TRANSFER.value))
    else:
        builder = CorrectionInvoiceBuilder(invoice_number=doc.number)
        c = doc.corrected
        builder.corrects_invoice(number=c.number, issue_date=c.issued_on, reason=c.reason or "Korekta",
                                 ksef_number=c.ksef_number)
        for was, now in zip(doc.before, doc.lines, strict=True):
            builder.add_corrected_line_before_after(before=_line(was, before=True), after=_line(now, before=False))
    builder.issued_on(doc.issued_on).seller(_party(doc.seller)).buyer(_party(doc.buyer)).currency(doc.currency)
    if doc.sale_date and doc.corrected is None:
        builder.sale_date(doc.sale_date)
    xml = builder.build().to_xml()
    xml = xml.encode("utf-8") if isinstance(xml, str) else xml
    return _stamped(xml, made_at)


def _stamped(xml: bytes, made_at: datetime) -> bytes:
    """The header's creation time and the system's name set to ours (the builder writes the machine's now)."""
    from lxml import etree

    root = etree.fromstring(xml)
    ns = {"f": root.nsmap[None]}
    root.find("f:Naglowek/f:DataWytworzeniaFa", ns).text = made_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    info = root.find("f:Naglowek/f:SystemInfo", ns)
    if info is not None:
        info.text = SYSTEM
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class _Resolver:
    """Reads the schema's includes from schemas/ only (never the network)."""

    def __new__(cls):
        from lxml import etree

        class Local(etree.Resolver):
            def resolve(self, url, public_id, context):
                name = url.rsplit("/", 1)[-1]
                path = SCHEMAS / name
                if not path.is_file():
                    raise Fa3Invalid(f"schema {url!r} is not kept in {SCHEMAS}")
                return self.resolve_filename(str(path), context)

        return Local()


@cache
def schema():
    """The FA(3) schema, loaded once."""
    from lxml import etree

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Resolver())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / MAIN_SCHEMA), parser))


def validate(xml: bytes) -> None:
    """Raises Fa3Invalid with the schema's first complaint."""
    from lxml import etree

    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise Fa3Invalid(str(exc)) from exc
    checker = schema()
    if not checker.validate(document):
        raise Fa3Invalid(str(checker.error_log.last_error))


def digest(xml: bytes) -> str:
    """The SHA-256 of the XML as sent, in base64: what KSeF and the QR codes name the faktura by."""
    return base64.b64encode(hashlib.sha256(xml).digest()).decode()


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def invoice_url(qr_base: str, seller_nip: str, issued_on: date, xml_hash: str) -> str:
    """KOD I: anyone can check the faktura in KSeF by its seller, its date and its hash."""
    return f"{qr_base.rstrip('/')}/invoice/{seller_nip}/{issued_on:%d-%m-%Y}/{_b64url(base64.b64decode(xml_hash))}"


def certificate_url(qr_base: str, seller_nip: str, xml_hash: str, certificate_pem: str, key_pem: str) -> str:
    """KOD II: the issuer's KSeF offline certificate vouches for a faktura issued offline (the link signed with its
    key); through ksef-client's VerificationLinkService, which knows the signature's format for RSA and EC keys."""
    from cryptography import x509
    from ksef_client.config import KsefClientOptions
    from ksef_client.services.verification_link import VerificationLinkService

    cert = x509.load_pem_x509_certificate(certificate_pem.encode())
    serial = format(cert.serial_number, "X")
    service = VerificationLinkService(KsefClientOptions(base_url="http://unused", base_qr_url=qr_base))
    return service.build_certificate_verification_url(
        seller_nip=seller_nip, context_identifier_type="Nip", context_identifier_value=seller_nip,
        certificate_serial=serial, invoice_hash=xml_hash, signing_certificate_pem=certificate_pem,
        private_key_pem=key_pem)


def qr_png(url: str) -> bytes:
    """A QR code of the link, as a PNG."""
    from ksef_client.services.qr import generate_qr_png

    return generate_qr_png(url, box_size=4, border=2)
