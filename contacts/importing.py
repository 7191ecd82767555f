"""Reading contact files: format and encoding, column mapping, row checks, matching.

Nothing here writes to the database; ``contacts.services.import_job_run`` does.
Every reader streams: a file is read row by row, so memory does not grow with
its length. Rows are numbered the way a person finds them again: in CSV and
XLSX the header is row 1 and the first contact row 2; in a vCard file the
number is the card's position (1 for the first card).
"""

import codecs
import csv
import io
import json
import os
import quopri
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.exporting import EXPORT_HEADERS, restore_neutralised
from contacts.models import (
    ContactGroup,
    ImportJob,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    Region,
)
from contacts.phones import to_e164
from prapp.text import search_key

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
PREVIEW_ROWS = 10
FORMATS = ("csv", "xlsx", "vcf")
_EXTENSIONS = {
    "csv": "csv",
    "txt": "csv",
    "tsv": "csv",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "vcf": "vcf",
    "vcard": "vcf",
}
_FORMAT_LABELS = {
    "csv": gettext_lazy("a CSV text file"),
    "xlsx": gettext_lazy("an Excel workbook (XLSX)"),
    "vcf": gettext_lazy("a vCard file"),
}


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; the message says why, for the user."""


def display_name(name: str) -> str:
    """The uploader's file name, only ever shown: no folders, no control characters."""
    base = PurePath(str(name or "").replace("\\", "/")).name
    clean = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return clean[-255:] or "upload"


class ProgressFile:
    """How far a running import is, in a small JSON file beside the upload.

    The import writes inside one transaction, so a counter in its own row would
    stay invisible to the progress page until the end (and SQLite lets no second
    connection write meanwhile). The web process and the worker share the media
    folder already (the worker reads the upload from it).
    """

    def __init__(self, job):
        self.name = f"imports/progress/{job.pk}.json"
        try:
            self.path = Path(default_storage.path(self.name))
        except NotImplementedError:  # a remote storage: no live progress
            self.path = None

    def write(self, processed: int, total: int) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"processed": processed, "total": total}))
        os.replace(temporary, self.path)

    def read(self) -> dict | None:
        if self.path is None:
            return None
        try:
            return json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None

    def remove(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def max_bytes() -> int:
    """The upload size limit, read at call time so that tests and deployments set it."""
    return int(getattr(settings, "CONTACTS_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


# --- Fields a column can be mapped to ----------------------------------------

FIELD_CHOICES = [
    ("", gettext_lazy("— do not import —")),
    ("first_name", gettext_lazy("first name")),
    ("last_name", gettext_lazy("last name")),
    ("first_name_latin", gettext_lazy("first name in Latin letters")),
    ("last_name_latin", gettext_lazy("last name in Latin letters")),
    ("full_name", gettext_lazy("full name (split into first and last name)")),
    ("position", gettext_lazy("position")),
    ("organisation", gettext_lazy("organisation")),
    ("role", gettext_lazy("role in the organisation")),
    ("email", gettext_lazy("email")),
    ("phone", gettext_lazy("mobile phone")),
    ("phone_office", gettext_lazy("office phone")),
    ("phone_home", gettext_lazy("home phone")),
    ("phone_fax", gettext_lazy("fax")),
    ("language", gettext_lazy("preferred language")),
    ("region", gettext_lazy("region")),
    ("groups", gettext_lazy("thematic groups")),
    ("notes", gettext_lazy("notes")),
]
FIELDS = {value for value, _label in FIELD_CHOICES if value}
# Fields that several columns may fill; the others take one column each.
MULTI_FIELDS = {"email", "phone", "phone_office", "phone_home", "phone_fax", "groups"}
NAME_FIELDS = {"first_name", "last_name", "first_name_latin", "full_name"}
PHONE_KINDS = {
    "phone": PersonPhone.Kind.MOBILE,
    "phone_office": PersonPhone.Kind.OFFICE,
    "phone_home": PersonPhone.Kind.HOME,
    "phone_fax": PersonPhone.Kind.FAX,
}

# Header spellings, compared after _normalise_header(): Gmail (old and new
# exports), Outlook (English and Russian), vCard-like names, our own export,
# and Georgian, Armenian and Russian headers people type themselves.
_SYNONYMS = {
    "first_name_latin": [
        "first name latin",
        "first name in latin letters",
        "latin first name",
        "phonetic first name",
        "given name yomi",
        "имя латиницей",
        "имя латиница",
        "სახელი ლათინურად",
        "სახელი ლათინური",
        "անուն լատինատառ",
        "անունը լատինատառ",
    ],
    "last_name_latin": [
        "last name latin",
        "last name in latin letters",
        "latin last name",
        "phonetic last name",
        "family name yomi",
        "фамилия латиницей",
        "фамилия латиница",
        "გვარი ლათინურად",
        "გვარი ლათინური",
        "ազգանուն լատինատառ",
        "ազգանունը լատինատառ",
    ],
    "first_name": [
        "first name",
        "firstname",
        "first",
        "given name",
        "forename",
        "სახელი",
        "անուն",
        "имя",
    ],
    "last_name": [
        "last name",
        "lastname",
        "last",
        "surname",
        "family name",
        "გვარი",
        "ազգանուն",
        "фамилия",
    ],
    "full_name": [
        "name",
        "full name",
        "display name",
        "contact name",
        "სახელი და გვარი",
        "სახელი გვარი",
        "სრული სახელი",
        "անուն ազգանուն",
        "անուն և ազգանուն",
        "անուն եւ ազգանուն",
        "фио",
        "имя фамилия",
        "полное имя",
    ],
    "position": [
        "job title",
        "position",
        "organization title",
        "organization 1 title",
        "organisation title",
        "თანამდებობა",
        "պաշտոն",
        "должность",
    ],
    "organisation": [
        "company",
        "organization",
        "organisation",
        "organization name",
        "organisation name",
        "organization 1 name",
        "employer",
        "media outlet",
        "outlet",
        "ორგანიზაცია",
        "კომპანია",
        "უწყება",
        "გამოცემა",
        "კազմակերպություն",
        "կազմակերպություն",
        "ընկերություն",
        "организация",
        "компания",
    ],
    "role": ["role", "როლი", "դեր", "роль"],
    "phone_office": [
        "business phone",
        "business phone 2",
        "work phone",
        "office phone",
        "company main phone",
        "рабочий телефон",
        "рабочий телефон 2",
        "სამსახურის ტელეფონი",
        "სამუშაო ტელეფონი",
        "աշխատանքային հեռախոս",
    ],
    "phone_home": [
        "home phone",
        "home phone 2",
        "домашний телефон",
        "домашний телефон 2",
        "სახლის ტელეფონი",
        "տնային հեռախոս",
    ],
    "phone_fax": [
        "business fax",
        "home fax",
        "fax",
        "факс",
        "рабочий факс",
        "ფაქსი",
        "ֆաքս",
    ],
    "language": [
        "language",
        "preferred language",
        "lang",
        "ენა",
        "լեզու",
        "язык",
    ],
    "region": ["region", "province", "რეგიონი", "მხარე", "մարզ", "регион", "область"],
    "groups": [
        "groups",
        "group",
        "labels",
        "group membership",
        "categories",
        "tags",
        "thematic groups",
        "beats",
        "ჯგუფები",
        "ჯგუფი",
        "თემატური ჯგუფები",
        "խմբեր",
        "խումբ",
        "группы",
        "группа",
        "категории",
        "метки",
    ],
    "notes": [
        "notes",
        "note",
        "comments",
        "comment",
        "შენიშვნა",
        "შენიშვნები",
        "კომენტარი",
        "նշումներ",
        "նշում",
        "заметки",
        "примечания",
        "примечание",
        "комментарий",
    ],
}
_EXACT = {
    spelling: name for name, spellings in _SYNONYMS.items() for spelling in spellings
}
# Looser rules for the rest, tried in order on the normalised header.
_PATTERNS = [
    # Gmail's "E-mail 1 - Type", "Phone 1 - Label": the kind, not the value.
    (re.compile(r".*\b(type|label)$"), ""),
    (re.compile(r"^(middle name|additional name|отчество|title|name prefix)$"), ""),
    (re.compile(r".*(fax|факс|ფაქს|ֆաքս).*"), "phone_fax"),
    (re.compile(r".*(e ?mail|почт|ელ ?ფოსტ|ელექტრონული ფოსტ|էլ ?փոստ).*"), "email"),
    (
        re.compile(
            r".*(business|work|office|рабоч|სამსახურ|აღმასრ|աշխատ).*(phone|тел).*"
        ),
        "phone_office",
    ),
    (re.compile(r".*(home|домаш|სახლ|տն).*(phone|тел|ტელ|հեռախ).*"), "phone_home"),
    (
        re.compile(r".*(phone|mobile|cell|тел|мобил|ტელ|მობ|հեռախ|բջջ).*"),
        "phone",
    ),
]


def _normalise_header(header: str) -> str:
    text = unicodedata.normalize("NFKC", str(header)).casefold().replace("ё", "е")
    text = text.replace("e-mail", "email")
    return re.sub(r"[\W_]+", " ", text).strip()


def guess_field(header: str) -> str:
    """The field a column header most likely means, or "" to leave it out."""
    key = _normalise_header(header)
    if not key:
        return ""
    if key in _EXACT:
        return _EXACT[key]
    for pattern, name in _PATTERNS:
        if pattern.fullmatch(key):
            return name
    return ""


def guess_mapping(headers: list[str]) -> list[str]:
    """One field per column; a single-valued field goes to its first column only."""
    fields, taken = [], set()
    for header in headers:
        name = guess_field(header)
        if name and name not in MULTI_FIELDS and name in taken:
            name = ""
        taken.add(name)
        fields.append(name)
    return fields


def mapping_errors(fields: list[str]) -> list[str]:
    """What is wrong with a chosen mapping, in words for the user."""
    problems = []
    seen = set()
    labels = dict(FIELD_CHOICES)
    for name in fields:
        if name and name not in FIELDS:
            problems.append(_("Unknown field."))
        elif name and name not in MULTI_FIELDS and name in seen:
            problems.append(
                _("“%(field)s” is chosen for more than one column.")
                % {"field": labels[name]}
            )
        seen.add(name)
    if not seen & NAME_FIELDS:
        problems.append(
            _("Choose the column that holds the first name or the full name.")
        )
    return problems


# --- Encodings -----------------------------------------------------------------

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CHUNK = 1024 * 1024


def _is_utf8(fileobj) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    fileobj.seek(0)
    try:
        while chunk := fileobj.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        fileobj.seek(0)
    return True


def detect_encoding(fileobj) -> str:
    """The text encoding of a file: a byte-order mark, then UTF-8, then a detector.

    Raises ImportFileError for content that is not text at all.
    """
    fileobj.seek(0)
    head = fileobj.read(64 * 1024)
    fileobj.seek(0)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if b"\x00" in head:
        # UTF-16 without a byte-order mark (ASCII letters then carry a zero
        # byte); anything else with zero bytes in it is not text.
        even = head[: len(head) // 2 * 2]
        for encoding in ("utf-16-le", "utf-16-be"):
            try:
                text = even.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _looks_binary(text) and _mostly_words(text):
                return encoding
        raise ImportFileError(_("The file is not a text file."), code="binary")
    if _is_utf8(fileobj):
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(fileobj.read(_CHUNK)).best()
    fileobj.seek(0)
    if best is None:
        raise ImportFileError(
            _("The file's text encoding could not be recognised."), code="encoding"
        )
    return best.encoding


def _mostly_words(text: str) -> bool:
    usual = sum(
        1 for char in text if char.isalnum() or char in " \t\r\n,;.@+-_'\"()|:=/"
    )
    return usual > len(text) * 0.9


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = sum(
        1
        for char in text
        if unicodedata.category(char) == "Cc" and char not in "\t\r\n\f"
    )
    return controls > max(2, len(text) // 100)


# --- Formats -------------------------------------------------------------------


@dataclass
class FileInfo:
    """What the upload check found: the format and how to read the file."""

    file_format: str
    encoding: str = ""
    delimiter: str = ""
    headers: list[str] = field(default_factory=list)
    total_rows: int = 0

    def options(self) -> dict:
        return {
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "headers": self.headers,
        }


def _content_format(fileobj, encoding_holder: list) -> str:
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(
            _(
                "This is an old Excel file (XLS). Save it as XLSX or CSV in Excel "
                "and upload it again."
            ),
            code="xls",
        )
    encoding = detect_encoding(fileobj)
    encoding_holder.append(encoding)
    sample = fileobj.read(64 * 1024).decode(encoding, errors="ignore")
    fileobj.seek(0)
    if _looks_binary(sample):
        raise ImportFileError(_("The file is not a text file."), code="binary")
    if sample.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCARD"):
        return "vcf"
    return "csv"


def inspect_file(fileobj, name: str, size: int | None = None) -> FileInfo:
    """Check an upload from end to end and say how to read it.

    The content decides the format; the name only has to agree with it. The
    whole file is read once (rows are counted), so a broken file is refused at
    upload and not half-way through the import.
    """
    limit = max_bytes()
    fileobj = _raw(fileobj)
    if size is None:
        fileobj.seek(0, io.SEEK_END)
        size = fileobj.tell()
        fileobj.seek(0)
    if size > limit:
        raise ImportFileError(
            _("The file is larger than %(limit)s MB.")
            % {"limit": f"{limit / 1024 / 1024:.0f}"},
            code="too_large",
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."), code="empty")
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    if extension == "xls":
        raise ImportFileError(
            _(
                "This is an old Excel file (XLS). Save it as XLSX or CSV in Excel "
                "and upload it again."
            ),
            code="xls",
        )
    expected = _EXTENSIONS.get(extension)
    if expected is None:
        raise ImportFileError(
            _("Upload a CSV, XLSX or vCard (.vcf) file."), code="extension"
        )
    holder: list[str] = []
    actual = _content_format(fileobj, holder)
    if actual != expected:
        raise ImportFileError(
            _(
                "The file name ends in .%(extension)s but the file is %(kind)s. "
                "Check that you chose the right file."
            )
            % {"extension": extension, "kind": _FORMAT_LABELS[actual]},
            code="mismatch",
        )
    info = FileInfo(file_format=actual, encoding=holder[0] if holder else "")
    if actual == "csv":
        info.delimiter = _sniff_delimiter(fileobj, info.encoding)
    table = open_table(fileobj, actual, info.options())
    info.headers = table.headers
    info.delimiter = table.options.get("delimiter", info.delimiter)
    info.total_rows = sum(1 for _row in table.rows())
    if not info.total_rows:
        raise ImportFileError(
            _("The file has a header but no contacts."), code="no_rows"
        )
    return info


# --- Readers -------------------------------------------------------------------


@dataclass
class Table:
    """A file's header and a generator of its rows as (row number, cells)."""

    headers: list[str]
    rows_factory: object
    options: dict

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return self.rows_factory()


def _raw(fileobj):
    # Django's File objects wrap the real file, which io.TextIOWrapper needs.
    while not hasattr(fileobj, "read1") and hasattr(fileobj, "file"):
        fileobj = fileobj.file
    return fileobj


def open_table(fileobj, file_format: str, options: dict) -> Table:
    """A readable table of any of our formats; ImportFileError if it cannot be."""
    fileobj = _raw(fileobj)
    fileobj.seek(0)
    if file_format == "xlsx":
        return _xlsx_table(fileobj)
    if file_format == "vcf":
        return _vcard_table(fileobj, options.get("encoding") or "utf-8")
    return _csv_table(fileobj, options)


def _sniff_delimiter(fileobj, encoding: str) -> str:
    fileobj.seek(0)
    sample = fileobj.read(64 * 1024).decode(encoding, errors="ignore").lstrip("\ufeff")
    fileobj.seek(0)
    lines = sample.splitlines()
    if lines and re.fullmatch(r"sep=.", lines[0].strip()):
        return lines[0].strip()[4]
    if len(lines) > 1 and len(sample) == 64 * 1024:
        lines = lines[:-1]  # the last line may be cut off
    lines = lines[:30]
    best, best_score = ",", (0, 0)
    for delimiter in (",", ";", "\t", "|"):
        try:
            parsed = list(
                csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            )
        except csv.Error:
            continue
        parsed = [row for row in parsed if any(cell.strip() for cell in row)]
        if not parsed or len(parsed[0]) < 2:
            continue
        width = len(parsed[0])
        score = (sum(1 for row in parsed if len(row) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _check_header(headers: list[str]) -> None:
    cells = [h for h in headers if h.strip()]
    if not cells:
        raise ImportFileError(_("The file's first row is empty."), code="no_header")
    for cell in cells:
        digits = sum(char.isdigit() for char in cell)
        if "@" in cell or digits >= 7:
            raise ImportFileError(
                _(
                    "The first row holds contact data (“%(value)s”), not column "
                    "names. Add a header row with a name for each column."
                )
                % {"value": cell[:60]},
                code="no_header",
            )


def _csv_table(fileobj, options: dict) -> Table:
    encoding = options.get("encoding") or "utf-8"
    delimiter = options.get("delimiter") or ","

    def records() -> Iterator[list[str]]:
        fileobj.seek(0)
        text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
        try:
            first = True
            for record in csv.reader(text, delimiter=delimiter):
                if first:
                    first = False
                    if record and record[0].startswith("\ufeff"):
                        record[0] = record[0][1:]
                    hint = delimiter.join(record).strip()
                    if re.fullmatch(r"sep=.?", hint) or hint == f"sep={delimiter}":
                        continue  # Excel's hint line, not shown by Excel
                yield record
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The file is not valid %(encoding)s text.") % {"encoding": encoding},
                code="encoding",
            ) from exc
        except csv.Error as exc:
            raise ImportFileError(
                _("The CSV file cannot be read: %(error)s") % {"error": exc},
                code="csv",
            ) from exc
        finally:
            text.detach()  # closing the wrapper would close the upload

    headers = None
    for record in records():
        if any(cell.strip() for cell in record):
            headers = [cell.strip() for cell in record]
            break
    if headers is None:
        raise ImportFileError(_("The file is empty."), code="empty")
    _check_header(headers)

    def rows():
        number, seen_header = 0, False
        for record in records():
            number += 1
            if not any(cell.strip() for cell in record):
                continue
            if not seen_header:
                seen_header = True
                continue
            yield number, _fit(record, len(headers))

    return Table(headers, rows, {"encoding": encoding, "delimiter": delimiter})


def _fit(cells: list[str], width: int) -> list[str]:
    cells = [restore_neutralised(cell.strip()) for cell in cells[:width]]
    return cells + [""] * (width - len(cells))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _xlsx_table(fileobj) -> Table:
    import openpyxl

    def open_sheet():
        fileobj.seek(0)
        try:
            book = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            sheet.reset_dimensions()
        except (zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError) as exc:
            raise ImportFileError(
                _("The Excel file is damaged and cannot be opened."), code="corrupt"
            ) from exc
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ImportFileError(
                _("The Excel file is damaged and cannot be opened."), code="corrupt"
            ) from exc
        return book, sheet

    def records():
        book, sheet = open_sheet()
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                yield number, [_cell_text(v) for v in values]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            raise ImportFileError(
                _("The Excel file is damaged and cannot be opened."), code="corrupt"
            ) from exc
        finally:
            book.close()

    headers = None
    header_number = 0
    for number, cells in records():
        if any(cell.strip() for cell in cells):
            headers = [cell.strip() for cell in cells]
            header_number = number
            break
    if headers is None:
        raise ImportFileError(_("The workbook's first sheet is empty."), code="empty")
    while headers and not headers[-1]:
        headers.pop()
    _check_header(headers)

    def rows():
        for number, cells in records():
            if number <= header_number or not any(c.strip() for c in cells):
                continue
            yield number, _fit(cells, len(headers))

    return Table(headers, rows, {})


# vCard: the cards are turned into rows with the same columns as our own export,
# so that the automatic mapping reads both the same way.
VCARD_HEADERS = [*EXPORT_HEADERS, "Full Name"]
_VCARD_PROPERTIES = {
    b"BEGIN",
    b"END",
    b"N",
    b"FN",
    b"ORG",
    b"TITLE",
    b"ROLE",
    b"EMAIL",
    b"TEL",
    b"NOTE",
    b"CATEGORIES",
    b"LANG",
    b"ADR",
    b"X-PHONETIC-FIRST-NAME",
    b"X-PHONETIC-LAST-NAME",
    b"X-PRAPP-LANGUAGE",
}


def _split_unquoted(data: bytes, separator: bytes, maxsplit: int = -1) -> list[bytes]:
    parts, current, quoted = [], bytearray(), False
    for index in range(len(data)):
        char = data[index : index + 1]
        if char == b'"':
            quoted = not quoted
        if char == separator and not quoted and maxsplit != 0:
            parts.append(bytes(current))
            current = bytearray()
            maxsplit -= 1
            continue
        current += char
    parts.append(bytes(current))
    return parts


def _split_escaped(text: str, separator: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if escaped:
        current.append("\\")
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return re.sub(
        r"\\(.)",
        lambda m: "\n" if m.group(1) in "nN" else m.group(1),
        text,
    ).strip()


def _decode_value(raw: bytes, params: dict, base_encoding: str) -> str:
    encodings = params.get("ENCODING", [])
    if "QUOTED-PRINTABLE" in encodings or "QUOTED-PRINTABLE" in params.get("TYPE", []):
        raw = quopri.decodestring(raw)
    charset = (params.get("CHARSET") or [""])[0]
    for candidate in (charset, "utf-8", base_encoding):
        if not candidate:
            continue
        try:
            return raw.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return raw.decode(base_encoding, errors="replace")


def _parse_property(line: bytes) -> tuple[bytes, dict, bytes] | None:
    head_value = _split_unquoted(line, b":", maxsplit=1)
    if len(head_value) != 2:
        return None
    head, value = head_value
    parts = _split_unquoted(head, b";")
    name = parts[0].strip().upper().rsplit(b".", 1)[-1]
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        text = part.decode("ascii", errors="ignore").strip()
        if "=" in text:
            key, _sep, values = text.partition("=")
            params.setdefault(key.strip().upper(), []).extend(
                v.strip().strip('"').upper()
                if key.strip().upper() != "CHARSET"
                else v.strip().strip('"')
                for v in values.split(",")
            )
        elif text:
            params.setdefault("TYPE", []).append(text.upper())
    return name, params, value


def _is_quoted_printable(line: bytes) -> bool:
    head = line.split(b":", 1)[0].upper()
    return b"QUOTED-PRINTABLE" in head


def _logical_lines(physical: Iterable[bytes]) -> Iterator[bytes]:
    current = None
    for raw in physical:
        line = raw.rstrip(b"\r\n")
        if current is not None:
            if _is_quoted_printable(current) and current.endswith(b"="):
                current = current[:-1] + line.lstrip(b" \t")
                continue
            if line[:1] in (b" ", b"\t"):
                current += line[1:]
                continue
            yield current
        current = line
    if current is not None:
        yield current


def _card_to_cells(card: dict) -> list[str]:
    given = family = ""
    if card.get("N"):
        parts = [_unescape(p) for p in _split_escaped(card["N"][0], ";")]
        family = parts[0] if parts else ""
        given = " ".join(p for p in parts[1:3] if p) if len(parts) > 1 else ""
    full = _unescape(card["FN"][0]) if card.get("FN") else ""
    org = ""
    if card.get("ORG"):
        org = _unescape(_split_escaped(card["ORG"][0], ";")[0])
    emails = [_unescape(v) for v in card.get("EMAIL", []) if v.strip()]
    phones = {"mobile": [], "office": [], "home": [], "fax": []}
    for value, types in card.get("TEL", []):
        number = _unescape(value)
        if number.lower().startswith("tel:"):
            number = number[4:].split(";", 1)[0]
        if not number:
            continue
        types = {t.lower() for t in types}
        if "fax" in types:
            phones["fax"].append(number)
        elif "cell" in types or "mobile" in types:
            phones["mobile"].append(number)
        elif "work" in types:
            phones["office"].append(number)
        elif "home" in types:
            phones["home"].append(number)
        else:
            phones["mobile"].append(number)
    region = ""
    if card.get("ADR"):
        parts = _split_escaped(card["ADR"][0], ";")
        region = _unescape(parts[4]) if len(parts) > 4 else ""
    groups = []
    for value in card.get("CATEGORIES", []):
        groups.extend(_unescape(g) for g in _split_escaped(value, ","))
    language = card.get("LANG") or card.get("X-PRAPP-LANGUAGE") or [""]

    def first(name):
        return _unescape(card[name][0]) if card.get(name) else ""

    values = {
        "First Name": given,
        "Last Name": family,
        "First Name (Latin)": first("X-PHONETIC-FIRST-NAME"),
        "Last Name (Latin)": first("X-PHONETIC-LAST-NAME"),
        "Job Title": first("TITLE"),
        "Company": org,
        "Role": first("ROLE"),
        "E-mail Address": emails[0] if emails else "",
        "E-mail 2 Address": "; ".join(emails[1:]),
        "Mobile Phone": "; ".join(phones["mobile"]),
        "Business Phone": "; ".join(phones["office"]),
        "Home Phone": "; ".join(phones["home"]),
        "Business Fax": "; ".join(phones["fax"]),
        "Language": _unescape(language[0]),
        "Region": region,
        "Groups": ", ".join(g for g in groups if g),
        "Notes": "\n".join(_unescape(v) for v in card.get("NOTE", [])),
        "Full Name": full,
    }
    return [values.get(header, "") for header in VCARD_HEADERS]


def _vcard_table(fileobj, encoding: str) -> Table:
    wide = encoding.replace("-", "").lower().startswith(("utf16", "utf32"))
    base = "utf-8" if wide or encoding.lower() == "utf-8-sig" else encoding

    def physical_lines():
        fileobj.seek(0)
        if not wide:
            yield from fileobj
            return
        text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")
        try:
            for line in text:
                yield line.encode("utf-8")
        finally:
            text.detach()

    def cards():
        card, number, depth = None, 0, 0
        for line in _logical_lines(physical_lines()):
            line = line.lstrip(codecs.BOM_UTF8)
            if not line.strip():
                continue
            parsed = _parse_property(line)
            if parsed is None:
                continue
            name, params, raw = parsed
            if name not in _VCARD_PROPERTIES:
                continue
            value = _decode_value(raw, params, base)
            if name == b"BEGIN" and value.strip().upper() == "VCARD":
                if card is not None:
                    depth += 1  # a nested card (vCard 2.1 AGENT): not a contact
                    continue
                card, number = {}, number + 1
                continue
            if name == b"END" and value.strip().upper() == "VCARD":
                if depth:
                    depth -= 1
                    continue
                if card is None:
                    raise ImportFileError(
                        _("END:VCARD without BEGIN:VCARD after card %(number)s.")
                        % {"number": number},
                        code="vcard",
                    )
                yield number, _card_to_cells(card)
                card = None
                continue
            if card is None or depth:
                continue
            key = name.decode("ascii")
            if key == "TEL":
                card.setdefault(key, []).append((value, params.get("TYPE", [])))
            else:
                card.setdefault(key, []).append(value)
        if card is not None:
            raise ImportFileError(
                _("Card %(number)s has no END:VCARD: the file is cut off.")
                % {"number": number},
                code="vcard",
            )
        if number == 0:
            raise ImportFileError(_("The file holds no vCard."), code="vcard")

    def rows():
        for number, cells in cards():
            yield number, [restore_neutralised(c) for c in cells]

    return Table(list(VCARD_HEADERS), rows, {"encoding": encoding})


# --- Rows ----------------------------------------------------------------------

_LANGUAGES = {
    "ka": ["ka", "kat", "geo", "georgian", "ქართული", "грузинский", "վրացերեն"],
    "hy": ["hy", "hye", "arm", "armenian", "հայերեն", "სომხური", "армянский"],
    "en": ["en", "eng", "english", "ინგლისური", "անգլերեն", "английский"],
}
_LANGUAGE_NAMES = {
    name.casefold(): code for code, names in _LANGUAGES.items() for name in names
}
_EMAIL_SPLIT = re.compile(r"\s*(?::::|[;,\s])\s*")
_PHONE_SPLIT = re.compile(r"\s*(?::::|[;,\n]|\s/\s)\s*")
_GROUP_SPLIT = re.compile(r"\s*(?::::|[;,\n])\s*")
PERSON_SCALARS = (
    "first_name",
    "last_name",
    "first_name_latin",
    "last_name_latin",
    "position",
    "language",
    "notes",
)


def script_language(text: str) -> str:
    """ka, hy or en, after the first Georgian or Armenian letter in ``text``."""
    for char in text:
        if "\u10a0" <= char <= "\u10ff" or "\u1c90" <= char <= "\u1cbf":
            return "ka"
        if "\u0531" <= char <= "\u058f":
            return "hy"
    return "en"


@dataclass
class Row:
    """One contact row after its checks: clean values, or the reasons it is refused."""

    number: int
    data: dict = field(default_factory=dict)
    emails: list[str] = field(default_factory=list)
    phones: list[tuple[str, str]] = field(default_factory=list)
    organisation: str = ""
    role: str = ""
    region: str = ""
    groups: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(
            p for p in (self.data.get("first_name"), self.data.get("last_name")) if p
        )

    def keys(self) -> set[str]:
        """What identifies the person: their addresses and numbers."""
        return {"e:" + e.lower() for e in self.emails} | {
            "p:" + number for number, _kind in self.phones
        }


def clean_row(number: int, cells: list[str], fields: list[str]) -> Row:
    """Read one row through the mapping; problems go to ``row.errors``."""
    row = Row(number=number)
    values: dict[str, list[str]] = {}
    for name, cell in zip(fields, cells, strict=False):
        if name and cell:
            values.setdefault(name, []).append(cell)

    def one(name):
        return " ".join(values.get(name, [])).strip()

    data = {name: one(name) for name in PERSON_SCALARS if name != "notes"}
    data["notes"] = "\n".join(values.get("notes", [])).strip()
    if not data["first_name"] and not data["last_name"] and one("full_name"):
        parts = one("full_name").split()
        data["first_name"] = " ".join(parts[:-1]) if len(parts) > 1 else parts[0]
        data["last_name"] = parts[-1] if len(parts) > 1 else ""
    if not data["first_name"] and not data["last_name"]:
        data["first_name"] = data["first_name_latin"]
        data["last_name"] = data["last_name_latin"]
    if not data["first_name"] and data["last_name"]:
        data["first_name"], data["last_name"] = data["last_name"], ""
    if not data["first_name"]:
        row.errors.append(_("The row has no name."))
    language = data["language"]
    if language:
        code = _LANGUAGE_NAMES.get(language.casefold())
        if code is None:
            row.errors.append(
                _("“%(value)s” is not a language we write in (ka, hy or en).")
                % {"value": language}
            )
        data["language"] = code or ""
    row.data = {k: v for k, v in data.items() if v}

    for cell in values.get("email", []):
        for address in _EMAIL_SPLIT.split(cell):
            address = address.strip().strip("<>").removeprefix("mailto:")
            if not address:
                continue
            try:
                validate_email(address)
            except ValidationError:
                row.errors.append(
                    _("“%(value)s” is not an email address.") % {"value": address}
                )
                continue
            if address.lower() not in {e.lower() for e in row.emails}:
                row.emails.append(address)
    for name, kind in PHONE_KINDS.items():
        for cell in values.get(name, []):
            for raw in _PHONE_SPLIT.split(cell):
                if not raw.strip():
                    continue
                try:
                    e164 = to_e164(raw)
                except ValidationError as exc:
                    row.errors.extend(exc.messages)
                    continue
                if e164 not in {n for n, _k in row.phones}:
                    row.phones.append((e164, kind))
    row.organisation = one("organisation")
    row.role = one("role")
    row.region = one("region")
    for cell in values.get("groups", []):
        for name in _GROUP_SPLIT.split(cell):
            # Gmail's own labels ("* myContacts", "* starred") are not groups.
            if name and not name.startswith("* "):
                row.groups.append(name)
    if not row.errors:
        # Person.full_clean() would build a model per row only to check lengths.
        for name, value in row.data.items():
            field = Person._meta.get_field(name)
            if field.max_length and len(value) > field.max_length:
                row.errors.append(
                    _("%(field)s: “%(value)s…” is longer than %(limit)s characters.")
                    % {
                        "field": field.verbose_name,
                        "value": value[:30],
                        "limit": field.max_length,
                    }
                )
        for value, limit in (
            (row.organisation, 300),
            (row.role, 200),
            *((email, 254) for email in row.emails),
        ):
            if len(value) > limit:
                row.errors.append(
                    _("“%(value)s…” is longer than %(limit)s characters.")
                    % {"value": value[:30], "limit": limit}
                )
    return row


def clean_rows(table: Table, fields: list[str]) -> Iterator[Row]:
    for number, cells in table.rows():
        yield clean_row(number, cells, fields)


def chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """Rows in chunks of at most ``size``; no two rows of a chunk share an address.

    A later row that repeats an earlier row's address or number starts a new
    chunk, so it meets the earlier row's person in the database, as a match.
    """
    chunk: list[Row] = []
    keys: set[str] = set()
    for row in rows:
        row_keys = row.keys() if not row.errors else set()
        if chunk and (len(chunk) >= size or row_keys & keys):
            yield chunk
            chunk, keys = [], set()
        chunk.append(row)
        keys |= row_keys
    if chunk:
        yield chunk


# --- Names of related records --------------------------------------------------


class Resolver:
    """Finds regions, groups and organisations by name in any script.

    Each lookup table is loaded once per import. Organisations are compared by
    the search key of each of their names (ka, hy, en, Latin), so
    "Rustavi 2", "რუსთავი 2" and "RUSTAVI 2" are the same outlet.
    """

    def __init__(self):
        self._regions = None
        self._groups = None
        self._organisations = None

    @staticmethod
    def _keys(obj, names) -> set[str]:
        return {search_key(getattr(obj, name, "") or "") for name in names} - {""}

    def region_id(self, name: str) -> int | None:
        if self._regions is None:
            self._regions = {}
            for region in Region.objects.all():
                for key in self._keys(
                    region, ("name", "name_ka", "name_hy", "name_en")
                ):
                    self._regions.setdefault(key, region.pk)
        return self._regions.get(search_key(name))

    def group_id(self, name: str) -> int | None:
        if self._groups is None:
            self._groups = {}
            for group in ContactGroup.objects.all():
                for key in self._keys(group, ("name", "name_ka", "name_hy", "name_en")):
                    self._groups.setdefault(key, group.pk)
        return self._groups.get(search_key(name))

    def add_group(self, name: str, pk: int) -> None:
        self.group_id(name)
        self._groups[search_key(name)] = pk

    def organisation_id(self, name: str) -> int | None:
        if self._organisations is None:
            self._organisations = {}
            rows = Organisation.objects.values_list(
                "pk", "name", "name_ka", "name_hy", "name_en", "name_latin"
            ).order_by("pk")
            for pk, *names in rows:
                for key in {search_key(n) for n in names if n}:
                    self._organisations.setdefault(key, pk)
        return self._organisations.get(search_key(name))

    def add_organisation(self, name: str, pk: int) -> None:
        self.organisation_id(name)
        self._organisations[search_key(name)] = pk


# --- Matching ------------------------------------------------------------------

AMBIGUOUS = -1


def match_rows(rows: list[Row]) -> dict[int, int | None]:
    """For each row number: the id of the existing person it matches, or None.

    An email address decides first (an address belongs to one person only);
    otherwise a number held by exactly one person. A row whose addresses point
    to two different people, or whose number several people share, gets
    AMBIGUOUS. Two queries per chunk, on the indexed lower(email) and number.
    """
    emails = {e.lower() for row in rows for e in row.emails}
    numbers = {n for row in rows for n, _kind in row.phones}
    by_email = dict(
        PersonEmail.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", "person_id")
    )
    by_number: dict[str, set[int]] = {}
    for number, person_id in PersonPhone.objects.filter(number__in=numbers).values_list(
        "number", "person_id"
    ):
        by_number.setdefault(number, set()).add(person_id)
    result = {}
    for row in rows:
        owners = {by_email[e.lower()] for e in row.emails if e.lower() in by_email}
        if len(owners) > 1:
            result[row.number] = AMBIGUOUS
        elif owners:
            result[row.number] = owners.pop()
        else:
            holders = set()
            for number, _kind in row.phones:
                holders |= by_number.get(number, set())
            if len(holders) > 1:
                result[row.number] = AMBIGUOUS
            else:
                result[row.number] = holders.pop() if holders else None
    return result


# --- Reads ---


def import_jobs_visible_to(user):
    """The imports a user may open: their own; every one for a manager.

    An upload holds contact data, so other people's uploads are for those who
    may take the whole database out anyway (the export permission, managers').
    """
    jobs = ImportJob.objects.select_related("created_by")
    if user.has_perm("contacts.export_contacts"):
        return jobs
    return jobs.filter(created_by=user)


# --- Preview -------------------------------------------------------------------


@dataclass
class PreviewRow:
    number: int
    cells: list[str]
    row: Row
    matches: list[Person]


def preview(table: Table, fields: list[str], limit: int = PREVIEW_ROWS):
    """The first rows as the import would read them, with errors and matches."""
    resolver = Resolver()
    shown = []
    for number, cells in table.rows():
        row = clean_row(number, cells, fields)
        if row.region and resolver.region_id(row.region) is None:
            row.errors.append(_("Unknown region “%(name)s”.") % {"name": row.region})
        matches = []
        if not row.errors:
            from contacts.selectors import people_matching

            matches = list(
                people_matching(
                    emails=row.emails, phones=[n for n, _kind in row.phones]
                )[:3]
            )
        shown.append(PreviewRow(number, cells, row, matches))
        if len(shown) >= limit:
            break
    return shown
