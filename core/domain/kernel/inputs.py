"""Parsing and bounds of what people type: amounts, whole numbers, texts, phones, files."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from core.domain.kernel.errors import InvalidInput
from core.domain.kernel.vocabulary import CURRENCY_PREFIX, CURRENCY_SUFFIX

_SPACES = re.compile(r"[\s\u00a0\u202f_']+")
_CURRENCY = re.compile(CURRENCY_SUFFIX, re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(CURRENCY_PREFIX, re.IGNORECASE)
_AMOUNT = re.compile(r"^\d+(?:[.,]\d{1,2})?$")

MAX_AMOUNT = Decimal("100000000000")  # 100 bn: above any leasing object


def parse_amount(text: str, *, minimum: Decimal = Decimal("0"), maximum: Decimal = MAX_AMOUNT,
                 locale: str | None = None) -> Decimal:
    """Accept «1 500 000», «1500000,50», «1 500 000.5», «1500000 ₽», «1 500 000 zł», «£12500.50»;
    return a Decimal with 2 places. ``locale`` is the reader's language code: in English («en») the comma groups
    thousands and the dot marks the decimals («12,500.50»), and a comma that may be either («12,5») is refused
    (``amount_ambiguous``) rather than read as 125; in Russian and Polish (and when no locale is given) spaces group
    thousands and a comma or a dot marks the decimals."""
    cleaned = _CURRENCY_BEFORE.sub("", _CURRENCY.sub("", _SPACES.sub("", text.strip())))
    if locale is not None and locale.split("_")[0].split("-")[0] == "en":
        value = _english_amount(cleaned, text.strip())
    else:
        if not _AMOUNT.match(cleaned):
            raise InvalidInput("not_amount")
        try:
            value = Decimal(cleaned.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards
            raise InvalidInput("not_amount") from exc
    if value < minimum or value > maximum:
        raise InvalidInput("amount_range", minimum=minimum, maximum=maximum)
    return value.quantize(Decimal("0.01"))


_EN_SHAPE = re.compile(r"^[0-9][0-9,]*(?:\.[0-9]{1,2})?$")  # ASCII figures, commas, at most two decimals
_DOT_THOUSANDS = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{3})+$")  # «12.500»: a thousand written the European way


def _english_amount(cleaned: str, typed: str) -> Decimal:
    """«12,500» or «12,500.50» read the English way (Babel's CLDR rules, strict about the grouping)."""
    from babel.numbers import NumberFormatError, parse_decimal  # Babel: loaded at the first amount, not at start

    if _DOT_THOUSANDS.match(cleaned):
        raise InvalidInput("amount_ambiguous", value=typed)
    if not _EN_SHAPE.match(cleaned):
        raise InvalidInput("not_amount_commas")  # its example groups thousands with commas, as read here
    try:
        return parse_decimal(cleaned, locale="en", strict=True)
    except NumberFormatError as exc:
        # Babel reads «12,5» as 125 or 12.5: more than one reading is a comma that may be a decimal one
        if len(getattr(exc, "suggestions", None) or ()) > 1:
            raise InvalidInput("amount_ambiguous", value=typed) from exc
        raise InvalidInput("not_amount_commas") from exc


def parse_int(text: str, *, minimum: int, maximum: int) -> int:
    cleaned = _SPACES.sub("", text.strip())
    if not cleaned.isdigit():
        raise InvalidInput("not_integer")
    value = int(cleaned)
    if not minimum <= value <= maximum:
        raise InvalidInput("int_range", minimum=minimum, maximum=maximum)
    return value


def parse_range(text: str, parse, **bounds):
    """«100000-5000000» or «12 - 60» -> (low, high); «-» alone clears both."""
    text = text.strip()
    if text in ("-", "—", "0"):
        return None, None
    parts = re.split(r"\s*[-–—]\s*", text, maxsplit=1)
    if len(parts) != 2:
        raise InvalidInput("not_range")
    low, high = parse(parts[0], **bounds), parse(parts[1], **bounds)
    if low > high:
        raise InvalidInput("not_range")
    return low, high


def clean_text(text: str | None, *, max_len: int, min_len: int = 1) -> str:
    if text is None:
        raise InvalidInput("text_expected")
    value = text.strip()
    if len(value) < min_len:
        raise InvalidInput("text_expected")
    if len(value) > max_len:
        raise InvalidInput("too_long", max_len=max_len, length=len(value))
    return value


#: «-» (or «—») typed for an optional field clears it
CLEAR = frozenset({"-", "—", "–"})


def optional_text(text: str | None, max_len: int) -> str | None:
    """A typed value for an optional field: «-» clears it."""
    if text is not None and text.strip() in CLEAR:
        return None
    return clean_text(text, max_len=max_len)


def normalize_phone(text: str, region: str) -> str:
    """E.164 form of a phone typed or shared; raise if it is not a valid number."""
    import phonenumbers  # at the first phone, not at start (its metadata is large)

    try:
        number = phonenumbers.parse(text.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput("bad_phone", example=phone_example(region)) from exc
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if not phonenumbers.is_valid_number(number) and not FICTION.fullmatch(e164):
        raise InvalidInput("bad_phone", example=phone_example(region))
    return e164


#: numbers Ofcom keeps for drama, examples and training (07700 900xxx, 01632 960xxx): no one is ever given them, so
#: phonenumbers calls them invalid, yet a British office's demo, test and training data use them: accepted as typed
FICTION = re.compile(r"\+44(?:7700900|1632960)\d{3}")


def display_phone(e164: str) -> str:
    """A stored phone as people read it, in the international form: «+7 900 111-22-33», «+44 7700 900123»;
    a value phonenumbers cannot read is shown as stored."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_example(region: str) -> str:
    """A mobile number of the deployment's region as people write it («+7 912 345-67-89», «+48 512 345 678»): the
    example a refusal gives, so a London office is not shown a Russian number."""
    import phonenumbers

    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL) if number else "+…"


ALLOWED_MIME_PREFIXES = ("image/",)
ALLOWED_MIME_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/rtf",
        "text/plain",
        "application/zip",
    }
)
ALLOWED_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "rtf", "txt", "zip", "jpg", "jpeg", "png", "heic", "webp"}
)


def check_file(*, file_name: str | None, mime_type: str | None, size: int | None, max_bytes: int) -> None:
    """A document or an image, no larger than ``max_bytes``."""
    if size is not None and size > max_bytes:
        raise InvalidInput("file_too_large", max_mb=max_bytes // (1024 * 1024))
    mime = (mime_type or "").lower()
    ext = (file_name or "").rsplit(".", 1)[-1].lower() if file_name and "." in file_name else ""
    mime_ok = mime.startswith(ALLOWED_MIME_PREFIXES) or mime in ALLOWED_MIME_TYPES
    if not mime_ok or (ext and ext not in ALLOWED_EXTENSIONS):
        raise InvalidInput("file_type")


# What a file's first bytes say it is. Telegram's mime_type is what the sender's app guessed from the name, so a
# program renamed «договор.pdf» arrives as application/pdf: the content decides.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),  # docx, xlsx, odt, ods and zip are zip archives
    (b"PK\x05\x06", "zip"),  # an empty zip
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # doc, xls
    (b"{\\rtf", "rtf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"MZ", "executable"),  # Windows .exe, .dll
    (b"\x7fELF", "executable"),
    (b"\xca\xfe\xba\xbe", "executable"),  # Mach-O universal (and Java classes)
    (b"\xcf\xfa\xed\xfe", "executable"),
    (b"\xce\xfa\xed\xfe", "executable"),
    (b"#!", "executable"),  # a script with an interpreter line
)
_EXPECTED = {"pdf": "pdf", "docx": "zip", "xlsx": "zip", "odt": "zip", "ods": "zip", "zip": "zip", "doc": "ole",
             "xls": "ole", "rtf": "rtf", "txt": "text", "csv": "text", "jpg": "jpeg", "jpeg": "jpeg", "png": "png",
             "gif": "gif", "webp": "webp", "heic": "heic",
             "sta": "text", "mt940": "text", "940": "text",  # bank statements (MT940)
             "xml": "text"}  # 1C's CommerceML
_EXPECTED_BY_MIME = {"application/pdf": "pdf", "application/msword": "ole", "application/vnd.ms-excel": "ole",
                     "application/rtf": "rtf", "text/plain": "text", "application/zip": "zip", "image/png": "png",
                     "image/jpeg": "jpeg", "image/webp": "webp", "image/heic": "heic"}


def sniff(head: bytes) -> str:
    """The kind of file its first bytes show: pdf, zip, ole, rtf, png, jpeg, gif, webp, heic, text, executable or
    unknown."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
        return "heic"
    if b"\x00" not in head:
        for encoding in ("utf-8", "cp1251"):
            try:
                head.decode(encoding)
            except UnicodeDecodeError as exc:
                if encoding == "utf-8" and exc.start >= len(head) - 3:  # a letter cut at the end of the sample
                    return "text"
                continue
            return "text"
    return "unknown"


def check_content(*, file_name: str | None, mime_type: str | None, head: bytes) -> str:
    """Refuse a document whose first bytes are a program or do not match its name (or, without an extension, its
    declared type). Returns the kind found."""
    kind = sniff(head)
    if kind == "executable":
        raise InvalidInput("file_executable")
    ext = file_name.rsplit(".", 1)[-1].lower() if file_name and "." in file_name else ""
    expected = _EXPECTED.get(ext) if ext else _EXPECTED_BY_MIME.get((mime_type or "").lower())
    if expected is None or kind != expected:
        raise InvalidInput("file_content", ext=ext or (mime_type or "?"))
    return kind


def parse_date(text: str) -> date:
    """«01.12.2026» to a date."""
    try:
        return datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError as exc:
        raise InvalidInput("bad_date") from exc


def parse_amount_and_date(text: str, locale: str | None = None) -> tuple[Decimal, date]:
    """«150 000 01.12.2026»: an amount (read as ``locale`` writes it, see parse_amount), then a date at the end."""
    head, _, tail = text.strip().rpartition(" ")
    try:
        if not head:
            raise InvalidInput("amount_and_date")
        return parse_amount(head, minimum=Decimal("0.01"), locale=locale), parse_date(tail)
    except InvalidInput as exc:
        # which half is wrong matters less than the shape expected
        if exc.key in ("not_amount", "not_amount_commas", "bad_date"):
            raise InvalidInput("amount_and_date") from exc
        raise
