"""Reading contact files: formats, encodings, mapping guesses, bad files, row checks."""

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from contacts import importing
from contacts.importing import ImportFileError

DATA = Path(__file__).parent / "data"


def _read(name_or_bytes, name=None):
    """The file's info and its rows as dicts {field: value} through the guess."""
    if isinstance(name_or_bytes, bytes):
        content, name = name_or_bytes, name
    else:
        content, name = (DATA / name_or_bytes).read_bytes(), name_or_bytes
    handle = io.BytesIO(content)
    info = importing.inspect_file(handle, name)
    table = importing.open_table(handle, info.file_format, info.options())
    fields = importing.guess_mapping(info.headers)
    rows = [importing.clean_row(n, cells, fields) for n, cells in table.rows()]
    return info, fields, rows


def test_gmail_export():
    info, fields, rows = _read("gmail.csv")
    assert info.file_format == "csv"
    assert info.delimiter == ","
    assert info.total_rows == 2
    assert fields[info.headers.index("E-mail 1 - Value")] == "email"
    assert fields[info.headers.index("E-mail 1 - Label")] == ""
    assert fields[info.headers.index("Phone 1 - Value")] == "phone"
    assert fields[info.headers.index("Labels")] == "groups"
    nino, giorgi = rows
    assert nino.data["first_name"] == "ნინო"
    assert nino.data["first_name_latin"] == "Nino"
    assert nino.data["position"] == "კორესპონდენტი"
    assert nino.organisation == "ინტერპრესნიუსი"
    assert nino.emails == ["nino@interpressnews.ge", "n.beridze@gmail.com"]
    assert nino.phones == [("+995599123456", "mobile")]
    assert nino.groups == ["მედია"]  # "* myContacts" is Gmail's own label
    assert nino.data["notes"] == "პარლამენტი, სასამართლო"
    assert giorgi.phones == [("+995322201111", "mobile")]
    assert giorgi.groups == ["მედია", "ტელევიზია"]
    assert not nino.errors and not giorgi.errors


def test_outlook_export_with_bom():
    info, fields, rows = _read("outlook.csv")
    assert info.encoding == "utf-8-sig"
    assert info.headers[0] == "First Name"  # no byte-order mark left in it
    by_header = dict(zip(info.headers, fields, strict=True))
    assert by_header["Title"] == ""  # Outlook's "Title" is Mr./Mrs.
    assert by_header["Job Title"] == "position"
    assert by_header["Company"] == "organisation"
    assert by_header["Business Phone"] == "phone_office"
    assert by_header["Mobile Phone"] == "phone"
    assert by_header["E-mail 2 Address"] == "email"
    assert by_header["Categories"] == "groups"
    ani, aram = rows
    assert ani.data["first_name"] == "Անի"
    assert ani.organisation == "Հանրային հեռուստաընկերություն"
    assert ani.phones == [("+37491123456", "mobile"), ("+37410650000", "office")]
    assert ani.groups == ["Media", "Armenia"]
    assert aram.emails == ["aram@armenpress.am", "aram.g@gmail.com"]


def test_excel_semicolon_csv_in_windows_1251():
    info, fields, rows = _read("excel_semicolon_1251.csv")
    assert info.delimiter == ";"
    assert info.encoding.replace("_", "-").lower() in {"cp1251", "windows-1251"}
    assert fields == [
        "first_name",
        "last_name",
        "position",
        "organisation",
        "email",
        "phone",
    ]
    assert rows[0].data["first_name"] == "Ирина"
    assert rows[0].organisation == "Спутник Грузия"
    assert rows[1].phones == [("+37493000111", "mobile")]


def test_utf16_tab_separated_with_armenian_headers():
    info, fields, rows = _read("unicode_text_utf16.csv")
    assert info.encoding == "utf-16"
    assert info.delimiter == "\t"
    assert fields == ["first_name", "last_name", "email", "phone", "organisation"]
    assert rows[0].data == {"first_name": "Լիլիթ", "last_name": "Սարգսյան"}
    assert rows[1].emails == ["davit@civilnet.am"]


def test_utf16_without_bom_and_excel_sep_hint():
    text = "sep=;\r\nსახელი;გვარი;ელ. ფოსტა\r\nნინო;ბერიძე;nino@ipn.ge\r\n"
    info, fields, rows = _read(text.encode("utf-16-le"), "list.csv")
    assert info.encoding == "utf-16-le"
    assert info.delimiter == ";"
    assert fields == ["first_name", "last_name", "email"]
    assert rows[0].number == 2  # Excel does not show its hint line
    assert rows[0].emails == ["nino@ipn.ge"]


def test_xlsx_with_georgian_headers_and_row_errors():
    info, fields, rows = _read("contacts.xlsx")
    assert info.file_format == "xlsx"
    assert fields == [
        "first_name",
        "last_name",
        "position",
        "organisation",
        "email",
        "phone",
        "language",
        "groups",
    ]
    eka, mariam, nameless, john = rows
    assert eka.number == 2
    assert eka.phones == [("+995599111222", "mobile")]  # a number cell
    assert eka.groups == ["მედია", "ეკონომიკა"]
    assert eka.data["language"] == "ka"
    assert any("mariam@" in error for error in mariam.errors)
    assert nameless.number == 4 and nameless.errors
    assert john.number == 5 and any("12" in error for error in john.errors)


def test_vcard_21_quoted_printable_and_legacy_charsets():
    info, _fields, rows = _read("phone_v21.vcf")
    assert info.file_format == "vcf"
    assert info.total_rows == 3
    levan, elena, pavel = rows
    assert levan.data["first_name"] == "ლევან"
    assert levan.data["last_name"] == "წიკლაური"
    assert levan.organisation == "საზოგადოებრივი"
    assert levan.phones == [("+995577123456", "mobile")]
    assert levan.data["notes"] == "ჟურნალისტი, რეგიონული მედია"
    assert elena.data["first_name"] == "Елена"  # raw Windows-1251 bytes
    assert elena.data["last_name"] == "Смирнова"
    assert elena.phones == [("+37410520000", "office")]
    assert pavel.data["last_name"] == "Иванов"  # ISO-8859-5, quoted-printable
    assert pavel.data["position"] == "Пресс-секретарь"
    assert pavel.phones == [("+995322998877", "home")]


def test_vcard_30_escapes_folding_and_latin_names():
    _info, _fields, rows = _read("contacts_v30.vcf")
    gayane, arman = rows
    assert gayane.data["first_name_latin"] == "Gayane"
    assert gayane.organisation == "Հետք, անկախ լրագրողներ"
    assert gayane.phones == [("+37491000001", "mobile"), ("+37410000002", "office")]
    assert gayane.groups == ["Մեդիա", "Հետաքննություն"]
    assert gayane.data["notes"] == "Տողերից առաջինը\nերկրորդը; վերջ"
    assert arman.data["notes"].endswith("by the writer, as RFC 2425 allows.")


def test_vcard_40_uri_phones_and_language():
    _info, _fields, rows = _read("contacts_v40.vcf")
    (tamar,) = rows
    assert tamar.data["language"] == "ka"
    assert tamar.phones == [("+995599765432", "mobile")]
    assert tamar.emails == ["tamar@gov.ge"]
    assert tamar.role == "პრესსამსახურის უფროსი"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("სახელი", "first_name"),
        ("გვარი", "last_name"),
        ("Անուն", "first_name"),
        ("Ազգանուն", "last_name"),
        ("Имя", "first_name"),
        ("Фамилия", "last_name"),
        ("E-mail 1 - Value", "email"),
        ("Phone 1 - Value", "phone"),
        ("Phone 1 - Type", ""),
        ("First Name", "first_name"),
        ("Last Name", "last_name"),
        ("E-mail Address", "email"),
        ("Mobile Phone", "phone"),
        ("Business Phone", "phone_office"),
        ("Home Phone", "phone_home"),
        ("Business Fax", "phone_fax"),
        ("Company", "organisation"),
        ("Job Title", "position"),
        ("Адрес эл. почты", "email"),
        ("Мобильный телефон", "phone"),
        ("Рабочий телефон", "phone_office"),
        ("ელ. ფოსტა", "email"),
        ("Էլ. փոստ", "email"),
        ("Հեռախոս", "phone"),
        ("  ORGANISATION  ", "organisation"),
        ("Name", "full_name"),
        ("ФИО", "full_name"),
        ("Birthday", ""),
    ],
)
def test_guess_field(header, field):
    assert importing.guess_field(header) == field


def test_guess_mapping_takes_a_single_field_once():
    assert importing.guess_mapping(["Имя", "First Name", "Email", "E-mail 2"]) == [
        "first_name",
        "",
        "email",
        "email",
    ]


def test_mapping_needs_a_name_and_no_repeats():
    assert importing.mapping_errors(["email"])
    assert importing.mapping_errors(["first_name", "first_name"])
    assert not importing.mapping_errors(["full_name", "email", "email"])


def _xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["First Name", "E-mail"])
    book.active.append(["Nino", "nino@ipn.ge"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.csv", "empty"),
        (b"\x00\x01\x02\xff\xfe\x00" * 300 + b"\x89PNG", "garbage.csv", "binary"),
        (bytes(range(256)) * 40, "random.csv", "binary"),
        (
            "ნინო,ბერიძე,nino@ipn.ge\nგიორგი,მაისურაძე,g@ipn.ge\n".encode(),
            "noheader.csv",
            "no_header",
        ),
        (b"First Name,Email\n", "header_only.csv", "no_rows"),
        (b"PK\x03\x04" + b"\x00" * 100, "broken.xlsx", "corrupt"),
        (_xlsx_bytes()[:300], "cut.xlsx", "corrupt"),
        (
            b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nino\r\nEMAIL:n@ipn.ge\r\n",
            "cut.vcf",
            "vcard",
        ),
        (_xlsx_bytes(), "contacts.csv", "mismatch"),
        (b"First Name,Email\nNino,n@ipn.ge\n", "contacts.xlsx", "mismatch"),
        (b"First Name,Email\nNino,n@ipn.ge\n", "contacts.vcf", "mismatch"),
        (b"First Name,Email\nNino,n@ipn.ge\n", "contacts.exe", "extension"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old.xls", "xls"),
    ],
)
def test_bad_files_are_refused_with_a_reason(content, name, code):
    with pytest.raises(ImportFileError) as caught:
        _read(content, name)
    assert caught.value.code == code
    assert caught.value.messages[0]


def test_file_over_the_limit_is_refused(settings):
    settings.CONTACTS_IMPORT_MAX_BYTES = 100
    content = b"First Name,Email\n" + b"Nino,n@ipn.ge\n" * 20
    with pytest.raises(ImportFileError) as caught:
        _read(content, "big.csv")
    assert caught.value.code == "too_large"


def test_row_errors_name_the_problem():
    fields = ["first_name", "email", "phone", "language"]
    row = importing.clean_row(7, ["", "not-an-email", "12", "klingon"], fields)
    assert row.number == 7
    assert len(row.errors) == 4
    good = importing.clean_row(8, ["ნინო", "n@ipn.ge", "599 12 34 56", "ka"], fields)
    assert not good.errors


def test_full_name_is_split_and_neutralising_quote_removed():
    fields = ["full_name", "phone", "notes"]
    row = importing.clean_row(2, ["ნინო ბერიძე", "'+995599123456", "'=1+2"], fields)
    assert row.data["first_name"] == "ნინო"
    assert row.data["last_name"] == "ბერიძე"
    assert row.phones == [("+995599123456", "mobile")]


def test_display_name_keeps_no_folders():
    assert importing.display_name("C:\\Users\\x\\..\\სია.csv") == "სია.csv"
    assert importing.display_name("../../etc/passwd\x00") == "passwd"
