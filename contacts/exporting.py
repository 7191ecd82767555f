"""Writing people out as CSV, XLSX and vCard, in columns the importer reads back.

The columns are Outlook's names where Outlook has one, so that the automatic
mapping of contacts.importing understands our own files: an export imported
again changes nothing. Every format streams: memory does not grow with the
number of people.
"""

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet

from contacts.models import Affiliation, Person, PersonEmail, PersonPhone

EXPORT_HEADERS = (
    "First Name",
    "Last Name",
    "First Name (Latin)",
    "Last Name (Latin)",
    "Job Title",
    "Company",
    "Role",
    "E-mail Address",
    "E-mail 2 Address",
    "Mobile Phone",
    "Business Phone",
    "Home Phone",
    "Business Fax",
    "Language",
    "Region",
    "Groups",
    "Notes",
)
_PHONE_COLUMNS = {
    PersonPhone.Kind.MOBILE: "Mobile Phone",
    PersonPhone.Kind.OFFICE: "Business Phone",
    PersonPhone.Kind.HOME: "Home Phone",
    PersonPhone.Kind.FAX: "Business Fax",
}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "vcf": "text/vcard; charset=utf-8",
}

# A spreadsheet reads a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _needs_quote(value: str) -> bool:
    # A value that already starts with the quote before a formula character is
    # quoted again, so that restore_neutralised() gives back exactly the value.
    while value.startswith("'"):
        value = value[1:]
    return value.startswith(_FORMULA_STARTS)


def neutralise(value: str) -> str:
    """``value`` with a leading single quote if a spreadsheet would run it."""
    return "'" + value if value and _needs_quote(value) else value


def restore_neutralised(value: str) -> str:
    """The exact inverse of neutralise(), so that +995… comes back as +995…."""
    if value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value


def people_for_export(people: QuerySet) -> QuerySet:
    """Everything a row shows, in a constant number of queries per chunk."""
    return people.select_related("region").prefetch_related(
        Prefetch("emails", queryset=PersonEmail.objects.order_by("-is_primary", "pk")),
        Prefetch("phones", queryset=PersonPhone.objects.order_by("-is_primary", "pk")),
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(is_current=True)
            .select_related("organisation")
            .order_by("pk"),
        ),
        "groups",
    )


def _iterate(people: QuerySet) -> Iterator[Person]:
    return people_for_export(people).iterator(chunk_size=1000)


def person_values(person: Person) -> dict[str, str]:
    """One person as {column: text}; phones in E.164, several joined by "; "."""
    emails = [e.email for e in person.emails.all()]
    phones: dict[str, list[str]] = {column: [] for column in _PHONE_COLUMNS.values()}
    for phone in person.phones.all():
        column = _PHONE_COLUMNS.get(phone.kind, "Mobile Phone")
        phones[column].append(phone.number)
    affiliations = list(person.affiliations.all())
    first = affiliations[0] if affiliations else None
    return {
        "First Name": person.first_name,
        "Last Name": person.last_name,
        "First Name (Latin)": person.first_name_latin,
        "Last Name (Latin)": person.last_name_latin,
        "Job Title": person.position,
        "Company": first.organisation.name if first else "",
        "Role": first.role if first else "",
        "E-mail Address": emails[0] if emails else "",
        "E-mail 2 Address": "; ".join(emails[1:]),
        **{column: "; ".join(numbers) for column, numbers in phones.items()},
        "Language": person.language,
        "Region": person.region.name if person.region else "",
        "Groups": ", ".join(sorted(str(g) for g in person.groups.all())),
        "Notes": person.notes,
    }


class _Echo:
    def write(self, value):
        return value


def csv_chunks(people: QuerySet) -> Iterator[str]:
    """CSV in UTF-8 with a byte-order mark (so that Excel reads the scripts right)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(EXPORT_HEADERS)
    for person in _iterate(people):
        values = person_values(person)
        yield writer.writerow([neutralise(values[h]) for h in EXPORT_HEADERS])


def xlsx_file(people: QuerySet, title: str):
    """An XLSX workbook in a temporary file, written row by row (write-only mode).

    Every value is a typed text cell, never a formula; a value a spreadsheet
    could take for one also carries Excel's own "quote prefix" mark.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Contacts")

    def cell(value: str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        item = WriteOnlyCell(sheet, value=value or None)
        if value:
            item.data_type = "s"
            if _needs_quote(value):
                item.quotePrefix = True
        return item

    sheet.append([cell(h) for h in EXPORT_HEADERS])
    for person in _iterate(people):
        values = person_values(person)
        sheet.append([cell(values[h]) for h in EXPORT_HEADERS])
    output = tempfile.TemporaryFile()  # noqa: SIM115  (the response closes it)
    book.save(output)
    output.seek(0)
    return output


def vcard_chunks(people: QuerySet) -> Iterator[str]:
    """vCard 3.0 in UTF-8; Latin names as X-PHONETIC-* (what phones use for them)."""
    import vobject

    for person in _iterate(people):
        values = person_values(person)
        card = vobject.vCard()
        card.add("n").value = vobject.vcard.Name(
            family=person.last_name, given=person.first_name
        )
        card.add("fn").value = str(person)
        if person.first_name_latin:
            card.add("x-phonetic-first-name").value = person.first_name_latin
        if person.last_name_latin:
            card.add("x-phonetic-last-name").value = person.last_name_latin
        if values["Company"]:
            card.add("org").value = [values["Company"]]
        if person.position:
            card.add("title").value = person.position
        if values["Role"]:
            card.add("role").value = values["Role"]
        for index, email in enumerate(person.emails.all()):
            item = card.add("email")
            item.value = email.email
            item.type_param = ["INTERNET", "PREF"] if index == 0 else "INTERNET"
        vcard_types = {
            PersonPhone.Kind.MOBILE: "CELL",
            PersonPhone.Kind.OFFICE: "WORK",
            PersonPhone.Kind.HOME: "HOME",
            PersonPhone.Kind.FAX: "FAX",
        }
        for phone in person.phones.all():
            item = card.add("tel")
            item.value = phone.number
            item.type_param = vcard_types.get(phone.kind, "CELL")
        if person.region:
            item = card.add("adr")
            item.value = vobject.vcard.Address(region=person.region.name)
            item.type_param = "WORK"
        groups = sorted(str(g) for g in person.groups.all())
        if groups:
            card.add("categories").value = groups
        if person.notes:
            card.add("note").value = person.notes
        card.add("x-prapp-language").value = person.language
        yield card.serialize()
