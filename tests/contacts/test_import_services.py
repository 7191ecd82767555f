"""Running imports: create, update or skip, errors per row, all-or-nothing, task."""

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from contacts import importing, services, tasks
from contacts.models import (
    Affiliation,
    ContactGroup,
    ImportJob,
    Organisation,
    Person,
    PersonEmail,
    PersonPhone,
)
from prapp.models import AuditEntry

from .factories import OrganisationFactory, PersonEmailFactory, PersonFactory

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


def upload(name, content=None):
    if content is None:
        content = (DATA / name).read_bytes()
    if isinstance(content, str):
        content = content.encode()
    return SimpleUploadedFile(name, content)


def run_import(actor, name, content=None, on_match="update", fields=None):
    job = services.import_job_create(upload=upload(name, content), actor=actor)
    services.import_job_set_mapping(
        job=job,
        fields=fields or job.mapping["fields"],
        on_match=on_match,
        actor=actor,
    )
    services.import_job_confirm(job=job, actor=actor, dispatch=False)
    with translation.override("en"):  # the report's words, below
        return services.import_job_run(job=job, actor=actor)


def report_rows(job):
    with default_storage.open(services.import_report_name(job), "rb") as handle:
        text = handle.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


@pytest.mark.django_db
def test_gmail_file_creates_people_with_everything(editor):
    job = run_import(editor, "gmail.csv")
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.skipped_count) == (2, 0, 0)
    assert job.processed_rows == job.total_rows == 2
    nino = Person.objects.get(first_name="ნინო")
    assert nino.last_name_latin == "Beridze"
    assert nino.language == "ka"
    assert sorted(nino.emails.values_list("email", flat=True)) == [
        "n.beridze@gmail.com",
        "nino@interpressnews.ge",
    ]
    assert nino.emails.get(is_primary=True).email == "nino@interpressnews.ge"
    assert list(nino.phones.values_list("number", flat=True)) == ["+995599123456"]
    assert "beridze" in nino.search_key and "995599123456" in nino.search_key
    assert nino.name_key == "nino beridze"
    affiliation = Affiliation.objects.get(person=nino)
    assert affiliation.organisation.name == "ინტერპრესნიუსი"
    assert affiliation.organisation.kind == Organisation.Kind.OTHER
    assert set(ContactGroup.objects.values_list("name", flat=True)) == {
        "მედია",
        "ტელევიზია",
    }
    assert AuditEntry.objects.filter(action="contacts.person.created").count() == 2
    assert AuditEntry.objects.filter(action="contacts.import.finished").count() == 1
    rows = report_rows(job)
    assert [row[0] for row in rows] == ["2", "3"]
    assert {row[2] for row in rows} == {str(p.pk) for p in Person.objects.all()}


@pytest.mark.django_db
def test_organisation_is_found_across_scripts(editor):
    rustavi = OrganisationFactory(name_ka="რუსთავი 2", name_en="Rustavi 2")
    csv_text = (
        "First Name,Last Name,Company,Role\nგიორგი,მაისურაძე,RUSTAVI  2,რედაქტორი\n"
    )
    run_import(editor, "x.csv", csv_text)
    assert Organisation.objects.count() == 1
    affiliation = Affiliation.objects.get()
    assert affiliation.organisation == rustavi
    assert affiliation.role == "რედაქტორი"


@pytest.mark.django_db
@pytest.mark.parametrize("on_match", ["update", "skip"])
def test_existing_person_is_updated_or_skipped(editor, on_match):
    person = PersonFactory(first_name="ნინო", last_name="ბერიძე", position="")
    PersonEmailFactory(person=person, email="nino@ipn.ge")
    csv_text = (
        "First Name,Last Name,Job Title,E-mail Address,Mobile Phone\n"
        "ნინო,ბერიძე,რედაქტორი,NINO@ipn.ge,599 12 34 56\n"
    )
    job = run_import(editor, "x.csv", csv_text, on_match=on_match)
    person.refresh_from_db()
    assert Person.objects.count() == 1
    if on_match == "update":
        assert (job.created_count, job.updated_count, job.skipped_count) == (0, 1, 0)
        assert person.position == "რედაქტორი"
        assert person.phones.get().number == "+995599123456"
        assert person.emails.count() == 1
        entry = AuditEntry.objects.get(action="contacts.person.changed")
        assert entry.changes["position"] == ["", "რედაქტორი"]
        assert "995599123456" in person.search_key
    else:
        assert (job.created_count, job.updated_count, job.skipped_count) == (0, 0, 1)
        assert person.position == ""
        assert not person.phones.exists()


@pytest.mark.django_db
def test_same_values_count_as_unchanged_not_updated(editor):
    person = PersonFactory(first_name="ნინო", last_name="ბერიძე", language="ka")
    PersonEmailFactory(person=person, email="nino@ipn.ge")
    csv_text = (
        "First Name,Last Name,E-mail Address,Language\nნინო,ბერიძე,nino@ipn.ge,ka\n"
    )
    job = run_import(editor, "x.csv", csv_text)
    assert (job.created_count, job.updated_count, job.skipped_count) == (0, 0, 1)
    assert report_rows(job)[0][1] == "unchanged"
    assert not AuditEntry.objects.filter(action="contacts.person.changed").exists()


@pytest.mark.django_db
def test_match_by_phone_and_shared_number_is_an_error(editor):
    one = PersonFactory(first_name="ანი")
    PersonPhone.objects.create(person=one, number="+995599000001")
    for name in ("ლაშა", "ლევანი"):
        PersonPhone.objects.create(
            person=PersonFactory(first_name=name), number="+995322000000"
        )
    csv_text = (
        "First Name,Mobile Phone,Job Title\n"
        "ანი,+995 599 00 00 01,ფოტოგრაფი\n"
        "ნიკა,+995 32 2 00 00 00,ოპერატორი\n"
    )
    job = run_import(editor, "x.csv", csv_text)
    assert job.updated_count == 1
    one.refresh_from_db()
    assert one.position == "ფოტოგრაფი"
    assert job.errors[0]["row"] == 3
    assert Person.objects.count() == 3


@pytest.mark.django_db
def test_rows_with_errors_are_listed_and_do_not_stop_the_others(editor):
    job = run_import(editor, "contacts.xlsx")
    assert job.status == ImportJob.Status.DONE
    assert job.created_count == 1
    assert [error["row"] for error in job.errors] == [3, 4, 5]
    assert Person.objects.get().first_name == "ეკა"
    outcomes = {row[0]: row[1] for row in report_rows(job)}
    assert outcomes == {"2": "created", "3": "error", "4": "error", "5": "error"}


@pytest.mark.django_db
def test_a_repeated_row_in_the_file_meets_its_first_occurrence(editor):
    csv_text = (
        "First Name,E-mail Address,Mobile Phone\n"
        "Nino,nino@ipn.ge,\n"
        "Nino,nino@ipn.ge,+995599123456\n"
    )
    job = run_import(editor, "x.csv", csv_text)
    assert (job.created_count, job.updated_count) == (1, 1)
    assert Person.objects.get().phones.get().number == "+995599123456"


@pytest.mark.django_db
def test_new_person_language_follows_the_script(editor):
    csv_text = "Name\nԱնի Պետրոսյան\nJohn Smith\nნინო ბერიძე\n"
    run_import(editor, "x.csv", csv_text)
    languages = dict(Person.objects.values_list("first_name", "language"))
    assert languages == {"Անի": "hy", "John": "en", "ნინო": "ka"}


def _hundred_rows() -> str:
    lines = ["First Name,Last Name,E-mail Address,Mobile Phone,Company,Groups"]
    for n in range(1, 101):
        lines.append(
            f"ნინო{n},ბერიძე,nino{n}@ipn.ge,+9955991{n:05d},ორგანიზაცია {n},ჯგუფი {n}"
        )
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_failure_midway_leaves_nothing_half_imported(editor, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_CHUNK_ROWS", 10)
    real_clean_row = importing.clean_row

    def failing(number, cells, fields):
        if number == 51:  # the 50th contact of 100
            raise RuntimeError("disk on fire")
        return real_clean_row(number, cells, fields)

    monkeypatch.setattr(importing, "clean_row", failing)
    job = run_import(editor, "hundred.csv", _hundred_rows())
    assert job.status == ImportJob.Status.FAILED
    assert "51" in job.failure and "disk on fire" in job.failure
    assert job.created_count == 0 and job.processed_rows == 0
    assert Person.objects.count() == 0
    assert PersonEmail.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert ContactGroup.objects.count() == 0
    assert not AuditEntry.objects.filter(action="contacts.person.created").exists()
    assert AuditEntry.objects.filter(action="contacts.import.failed").count() == 1
    assert not default_storage.exists(services.import_report_name(job))


@pytest.mark.django_db
def test_hundred_rows_in_chunks(editor, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_CHUNK_ROWS", 7)
    seen = []
    job = services.import_job_create(
        upload=upload("hundred.csv", _hundred_rows()), actor=editor
    )
    services.import_job_set_mapping(
        job=job, fields=job.mapping["fields"], on_match="update", actor=editor
    )
    services.import_job_confirm(job=job, actor=editor, dispatch=False)
    job = services.import_job_run(
        job=job, actor=editor, progress=lambda done, total: seen.append(done)
    )
    assert job.created_count == 100
    assert seen[-1] == 100 and len(seen) == 15
    assert Person.objects.filter(groups__isnull=False).count() == 100


@pytest.mark.django_db
def test_task_is_idempotent_and_resumes_a_dead_workers_job(editor):
    job = services.import_job_create(upload=upload("gmail.csv"), actor=editor)
    tasks.import_job_run(job.pk)  # still waiting for its mapping: not run
    assert Person.objects.count() == 0
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    tasks.import_job_run(job.pk)  # a worker died while running it
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.created_count == 2
    tasks.import_job_run(job.pk)  # redelivered after it finished
    tasks.import_job_run(999999)  # gone
    assert Person.objects.count() == 2
    assert AuditEntry.objects.filter(action="contacts.import.finished").count() == 1


@pytest.mark.django_db
def test_viewer_cannot_import(viewer):
    with pytest.raises(PermissionDenied):
        services.import_job_create(upload=upload("gmail.csv"), actor=viewer)
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_stored_file_name_is_ours(editor):
    job = services.import_job_create(
        upload=upload("../../evil name.csv", (DATA / "gmail.csv").read_bytes()),
        actor=editor,
    )
    assert job.original_name == "evil name.csv"
    assert "evil" not in job.file.name and job.file.name.endswith(".csv")
    assert job.file.name.startswith("imports/")


@pytest.mark.django_db
def test_command_imports_with_a_progress_bar(editor, tmp_path):
    path = tmp_path / "hundred.csv"
    path.write_text(_hundred_rows(), encoding="utf-8")
    out = io.StringIO()
    call_command("import_contacts", str(path), "--user", "editor", stdout=out)
    assert Person.objects.count() == 100
    text = out.getvalue()
    assert "100/100 rows" in text and "100 created" in text
    out = io.StringIO()
    call_command(
        "import_contacts",
        str(path),
        "--user",
        "editor",
        "--on-match",
        "skip",
        stdout=out,
    )
    assert "0 created" in out.getvalue() and "100 left as they were" in out.getvalue()
