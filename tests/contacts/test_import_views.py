"""The import pages: permissions, someone else's job, upload to result, query counts."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts import services
from contacts.models import ImportJob, Person
from prapp.models import AuditEntry

DATA = Path(__file__).parent / "data"
JOB_PAGES = ["import_detail", "import_progress", "import_report"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


def _upload(name="gmail.csv", content=None):
    return SimpleUploadedFile(name, content or (DATA / name).read_bytes())


def _job(actor, name="gmail.csv", run=False):
    job = services.import_job_create(upload=_upload(name), actor=actor)
    if run:
        services.import_job_confirm(job=job, actor=actor, dispatch=False)
        job = services.import_job_run(job=job, actor=actor)
    return job


def _urls(job):
    return [reverse("contacts:import_upload"), reverse("contacts:import_list")] + [
        reverse(f"contacts:{name}", args=[job.pk]) for name in JOB_PAGES
    ]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, editor):
    job = _job(editor, run=True)
    for url in [*_urls(job), reverse("contacts:export")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
    response = client.post(reverse("contacts:import_upload"), {"file": _upload()})
    assert response.status_code == 302
    assert ImportJob.objects.count() == 1


@pytest.mark.django_db
def test_viewer_is_refused_everywhere_and_nothing_changes(client, viewer, editor):
    job = _job(editor)
    client.force_login(viewer)
    for url in _urls(job):
        assert client.get(url).status_code == 403, url
    audit_before = AuditEntry.objects.count()
    assert (
        client.post(reverse("contacts:import_upload"), {"file": _upload()}).status_code
        == 403
    )
    detail = reverse("contacts:import_detail", args=[job.pk])
    assert client.post(detail, {"on_match": "update", "start": "1"}).status_code == 403
    assert ImportJob.objects.count() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_editor_imports_from_upload_to_result(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    page = client.get(reverse("contacts:import_upload"))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    response = client.post(reverse("contacts:import_upload"), {"file": _upload()})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == ImportJob.Status.MAPPING and job.total_rows == 2

    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert "ნინო" in page.text and "nino@interpressnews.ge" in page.text
    assert 'name="column_0"' in page.text

    data = {f"column_{i}": f for i, f in enumerate(job.mapping["fields"])}
    data["on_match"] = "skip"
    # "Check again" saves the mapping and dispatches nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(job.get_absolute_url(), {**data, "preview": "1"})
    assert callbacks == []
    job.refresh_from_db()
    assert job.on_match == "skip" and job.status == ImportJob.Status.MAPPING

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(job.get_absolute_url(), {**data, "start": "1"})
    assert response.status_code == 302
    assert len(callbacks) == 1  # the task waits for the commit
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert Person.objects.count() == 0

    progress = client.get(reverse("contacts:import_progress", args=[job.pk])).json()
    assert progress["status"] == "queued" and progress["finished"] is False
    page = client.get(job.get_absolute_url())
    assert "<progress" in page.text and "contacts/import.js" in page.text

    callbacks[0]()  # Celery is eager in tests: the import runs now
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Person.objects.count() == 2
    progress = client.get(reverse("contacts:import_progress", args=[job.pk])).json()
    assert progress["finished"] is True
    assert (progress["processed"], progress["total"], progress["percent"]) == (
        2,
        2,
        100,
    )
    page = client.get(job.get_absolute_url())
    assert reverse("contacts:import_report", args=[job.pk]) in page.text
    report = client.get(reverse("contacts:import_report", args=[job.pk]))
    assert report["Content-Disposition"].startswith("attachment")
    text = b"".join(report.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in rows[1:]] == ["2", "3"]


@pytest.mark.django_db
def test_mapping_without_a_name_is_refused(client, editor):
    job = _job(editor)
    client.force_login(editor)
    data = {f"column_{i}": "" for i in range(len(job.mapping["headers"]))}
    response = client.post(
        job.get_absolute_url(), {**data, "on_match": "update", "start": "1"}
    )
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == ImportJob.Status.MAPPING


@pytest.mark.django_db
def test_bad_and_huge_uploads_are_refused(client, editor, settings):
    client.force_login(editor)
    url = reverse("contacts:import_upload")
    response = client.post(url, {"file": _upload("x.csv", b"\x00\xff" * 500)})
    assert response.status_code == 200 and "invalid-feedback" in response.text
    settings.CONTACTS_IMPORT_MAX_BYTES = 100
    response = client.post(url, {"file": _upload()})
    assert response.status_code == 200
    assert "100" not in response.text or "MB" in response.text
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_someone_elses_job_is_not_found(client, make_user, editor, manager):
    job = _job(editor, run=True)
    other = make_user("other-editor", role="Editor")
    client.force_login(other)
    for url in _urls(job)[2:]:
        assert client.get(url).status_code == 404, url
    assert job.original_name not in client.get(reverse("contacts:import_list")).text
    detail = reverse("contacts:import_detail", args=[job.pk])
    assert client.post(detail, {"on_match": "skip"}).status_code == 404
    client.force_login(manager)
    for url in _urls(job)[2:]:
        assert client.get(url).status_code == 200, url
    assert job.original_name in client.get(reverse("contacts:import_list")).text


@pytest.mark.django_db
def test_failed_job_shows_its_reason_and_no_report(client, editor):
    job = _job(editor)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, failure="The import stopped at row 7."
    )
    client.force_login(editor)
    assert "The import stopped at row 7." in client.get(job.get_absolute_url()).text
    url = reverse("contacts:import_report", args=[job.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_import_list_query_count_is_pinned(
    client, editor, manager, django_assert_num_queries
):
    url = reverse("contacts:import_list")
    client.force_login(manager)
    for _n in range(2):
        _job(editor)
    client.get(url)  # warm the content-type and permission caches
    with django_assert_num_queries(6) as first:
        assert client.get(url).status_code == 200
    for _n in range(8):
        _job(manager)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.text.count("gmail.csv") == 10
