"""Organisations, partner agreements and thematic groups in the staff UI."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contacts.forms import AGREEMENT_MAX_BYTES
from contacts.models import ContactGroup, Organisation, PartnerAgreement
from prapp.models import AuditEntry

from .factories import ContactGroupFactory, OrganisationFactory


@pytest.fixture
def editor(make_user):
    return make_user("editor", role="Editor")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _organisation(**extra):
    return {
        "name_ka": "ადამიანის უფლებების ცენტრი",
        "name_hy": "",
        "name_en": "Human Rights Centre",
        "name_latin": "",
        "kind": "ngo",
        "media_type": "",
        "website": "",
        "email": "",
        "phone": "",
        "notes": "",
        **extra,
    }


@pytest.mark.django_db
def test_create_organisation_found_by_latin_and_phone_in_e164(client, editor):
    group = ContactGroupFactory()
    client.force_login(editor)
    response = client.post(
        reverse("contacts:organisation_create"),
        _organisation(phone="032 2 12 34 56", groups=[group.pk]),
    )
    organisation = Organisation.objects.get()
    assert response.url == organisation.get_absolute_url()
    assert organisation.phone == "+995322123456"
    assert list(organisation.groups.all()) == [group]
    page = client.get(reverse("contacts:organisation_list"), {"q": "adamianis"})
    assert list(page.context["organisations"]) == [organisation]


@pytest.mark.django_db
def test_media_type_only_for_media_outlets(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("contacts:organisation_create"), _organisation(media_type="tv")
    )
    assert response.status_code == 200
    assert "media_type" in response.context["form"].errors
    assert not Organisation.objects.exists()
    response = client.post(
        reverse("contacts:organisation_create"),
        _organisation(kind="media", media_type="tv"),
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_organisation_needs_a_name_and_a_valid_phone(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("contacts:organisation_create"),
        _organisation(name_ka="", name_en="", phone="12"),
    )
    errors = response.context["form"].errors
    assert "name_ka" in errors and "phone" in errors
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_edit_organisation_and_verify(client, editor):
    organisation = OrganisationFactory()
    client.force_login(editor)
    response = client.post(
        reverse("contacts:organisation_edit", args=[organisation.pk]),
        _organisation(kind="media", media_type="online", name_en="Rustavi 2 online"),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.media_type == "online"
    client.post(reverse("contacts:organisation_verify", args=[organisation.pk]))
    organisation.refresh_from_db()
    assert organisation.last_verified_by == editor


def _agreement(**extra):
    return {"title": "მემორანდუმი", "signed_on": "2025-03-01", "notes": "", **extra}


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.django_db
def test_agreement_cannot_expire_before_signing(client, editor):
    organisation = OrganisationFactory()
    client.force_login(editor)
    response = client.post(
        reverse("contacts:agreement_create", args=[organisation.pk]),
        _agreement(expires_on="2025-02-01"),
    )
    assert response.status_code == 200
    assert "expires_on" in response.context["form"].errors
    assert not PartnerAgreement.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("memo.pdf", b"%PDF-1.7\n...", True),
        ("memo.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, True),
        ("memo.docx", _docx_bytes(), True),
        ("memo.odt", _odt_bytes(), True),
        ("memo.pdf", b"MZ\x90\x00 an executable", False),
        ("memo.pdf", b"<html><script>alert(1)</script>", False),
        ("memo.docx", b"PK\x03\x04 not really a zip", False),
        ("memo.exe", b"%PDF-1.7 but named .exe", False),
        ("memo.docx", _odt_bytes(), False),
    ],
)
@pytest.mark.django_db
def test_agreement_document_type_is_read_from_its_bytes(
    client, editor, name, content, accepted
):
    organisation = OrganisationFactory()
    client.force_login(editor)
    response = client.post(
        reverse("contacts:agreement_create", args=[organisation.pk]),
        {**_agreement(), "document": SimpleUploadedFile(name, content)},
    )
    if accepted:
        assert response.status_code == 302
        assert PartnerAgreement.objects.get().document
    else:
        assert response.status_code == 200
        assert "document" in response.context["form"].errors
        assert not PartnerAgreement.objects.exists()


@pytest.mark.django_db
def test_agreement_document_size_limit(client, editor, monkeypatch):
    monkeypatch.setattr("contacts.forms.AGREEMENT_MAX_BYTES", 1000)
    organisation = OrganisationFactory()
    client.force_login(editor)
    response = client.post(
        reverse("contacts:agreement_create", args=[organisation.pk]),
        {**_agreement(), "document": SimpleUploadedFile("a.pdf", b"%PDF-" * 400)},
    )
    assert "document" in response.context["form"].errors
    assert AGREEMENT_MAX_BYTES == 20 * 1024 * 1024


@pytest.mark.django_db
def test_agreement_download_is_permission_checked(client, editor, make_user):
    organisation = OrganisationFactory()
    agreement = PartnerAgreement(
        organisation=organisation, title="მემორანდუმი", signed_on="2025-03-01"
    )
    agreement.document.save("memo.pdf", ContentFile(b"%PDF-1.4 secret"), save=False)
    agreement.save()
    url = reverse("contacts:agreement_download", args=[agreement.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user("nobody"))
    assert client.get(url).status_code == 403
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"
    assert response["Content-Disposition"].startswith("attachment")
    assert "/media/" not in client.get(organisation.get_absolute_url()).text


@pytest.mark.django_db
def test_edit_agreement_and_audit(client, editor):
    agreement = PartnerAgreement.objects.create(
        organisation=OrganisationFactory(), title="ძველი", signed_on="2025-01-01"
    )
    client.force_login(editor)
    response = client.post(
        reverse("contacts:agreement_edit", args=[agreement.pk]),
        _agreement(title="ახალი", expires_on="2026-01-01"),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "ახალი"
    assert AuditEntry.objects.filter(action="contacts.agreement.changed").exists()


@pytest.mark.django_db
def test_expiring_agreements_page(client, viewer):
    organisation = OrganisationFactory()
    today = timezone.localdate()
    soon = PartnerAgreement.objects.create(
        organisation=organisation,
        title="მალე იწურება",
        signed_on=today - datetime.timedelta(days=300),
        expires_on=today + datetime.timedelta(days=30),
    )
    PartnerAgreement.objects.create(
        organisation=organisation,
        title="შორს",
        signed_on=today,
        expires_on=today + datetime.timedelta(days=200),
    )
    client.force_login(viewer)
    page = client.get(reverse("contacts:agreements_expiring"))
    assert list(page.context["agreements"]) == [soon]
    assert "შორს" not in page.text


@pytest.mark.django_db
def test_group_create_in_three_languages_and_edit(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("contacts:group_create"),
        {"name_ka": "ადამიანის უფლებები", "name_hy": "Մարդու իրավունքներ"},
    )
    group = ContactGroup.objects.get()
    assert response.url == reverse("contacts:group_detail", args=[group.pk])
    assert group.name_ka == "ადამიანის უფლებები"
    assert group.name_hy == "Մարդու իրավունքներ"
    response = client.post(
        reverse("contacts:group_edit", args=[group.pk]),
        {"name_ka": "ადამიანის უფლებები", "name_en": "Human rights"},
    )
    group.refresh_from_db()
    assert group.name_en == "Human rights" and group.name_hy in ("", None)
    assert AuditEntry.objects.filter(action="contacts.group.changed").exists()
    missing = client.post(reverse("contacts:group_create"), {"name_ka": ""})
    assert "name_ka" in missing.context["form"].errors
