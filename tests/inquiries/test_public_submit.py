"""The public form's service: once per submission, a secret link, nothing leaked."""

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from inquiries import services
from inquiries.models import Request, RequestAttachment
from prapp.models import AuditEntry, CapturedEmail

pytestmark = pytest.mark.usefixtures("holidays_for_years")


def form(**extra) -> dict:
    data = {
        "requester_name": "ანი პეტროსიანი",
        "requester_email": "ani@example.ge",
        "requester_phone": "",
        "requester_address": "თბილისი, რუსთაველის 1",
        "language": "ka",
        "subject": "სკოლების რემონტის ხარჯები",
        "text": "გთხოვთ, მომაწოდოთ 2025 წელს სკოლების რემონტზე დახარჯული თანხა.",
    }
    data.update(extra)
    return data


def submit(django_capture_on_commit_callbacks, key="key-1", files=(), **extra):
    with django_capture_on_commit_callbacks(execute=True):
        return services.request_public_submit(
            data=form(**extra), files=files, submission_key=key
        )


@pytest.mark.django_db
def test_a_public_request_is_registered_with_a_hashed_secret(
    django_capture_on_commit_callbacks, settings
):
    settings.PRAPP_SITE_URL = "https://pr.example.ge/"
    request, secret = submit(django_capture_on_commit_callbacks)
    assert request.kind == Request.Kind.PUBLIC_INFORMATION
    assert request.channel == Request.Channel.WEB_FORM
    assert request.status == Request.Status.REGISTERED
    assert request.created_by is None
    assert request.number.endswith("/0001")
    assert len(secret) >= 20
    assert request.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in request.secret_hash
    entry = AuditEntry.objects.get(action="inquiries.request.submitted")
    assert entry.actor is None
    assert secret not in str(entry.changes)


@pytest.mark.django_db
def test_the_confirmation_carries_the_number_and_a_working_status_link(
    django_capture_on_commit_callbacks, settings
):
    settings.PRAPP_SITE_URL = "https://pr.example.ge/"
    settings.INQUIRIES_FROM_EMAIL = "Desk <desk@example.ge>"
    request, secret = submit(django_capture_on_commit_callbacks)
    message = CapturedEmail.objects.get()
    assert message.to == ["ani@example.ge"]
    assert message.from_email == "Desk <desk@example.ge>"
    assert request.number in message.subject
    assert request.number in message.body_text
    assert "Content-Language: ka" in message.raw
    link = re.search(r"https://pr\.example\.ge/\S+", message.body_text).group(0)
    parts = urlsplit(link)
    assert parts.path == reverse("inquiries_public:status")
    query = parse_qs(parts.query)
    assert query["n"] == [request.number]
    assert query["s"] == [secret]
    assert services.status_lookup(number=query["n"][0], secret=query["s"][0]) == request
    assert link.replace("&", "&amp;") in message.body_html
    assert AuditEntry.objects.filter(
        action="inquiries.request.confirmation_emailed"
    ).exists()


@pytest.mark.django_db
def test_the_confirmation_is_in_the_requesters_language(
    django_capture_on_commit_callbacks,
):
    with translation.override("ka"):
        request, _secret = submit(
            django_capture_on_commit_callbacks,
            language="hy",
            requester_name="Անի Պետրոսյան",
            subject="Դպրոցների վերանորոգում",
        )
    assert request.language == "hy"
    message = CapturedEmail.objects.get()
    assert "Content-Language: hy" in message.raw
    assert "Անի Պետրոսյան" in message.body_text
    assert message.raw.split("\n\n", 1)[0].isascii()  # headers encoded


@pytest.mark.django_db
def test_without_a_language_the_visitors_page_language_is_kept(
    django_capture_on_commit_callbacks,
):
    with translation.override("en"):
        request, _secret = submit(django_capture_on_commit_callbacks, language="")
    assert request.language == "en"
    with translation.override("hy"):
        other, _secret = submit(
            django_capture_on_commit_callbacks, key="k2", language="xx"
        )
    assert other.language == "hy"


@pytest.mark.django_db
def test_the_same_form_sent_twice_registers_once(django_capture_on_commit_callbacks):
    first, secret = submit(django_capture_on_commit_callbacks, key="double")
    again, no_secret = submit(django_capture_on_commit_callbacks, key="double")
    assert again == first
    assert no_secret is None
    assert Request.objects.count() == 1
    assert CapturedEmail.objects.count() == 1
    other, other_secret = submit(django_capture_on_commit_callbacks, key="another")
    assert other != first and other_secret not in (None, secret)


@pytest.mark.django_db
def test_a_concurrent_duplicate_returns_the_first(
    django_capture_on_commit_callbacks, monkeypatch
):
    """The twin committed after this request looked, before it took the lock."""
    twin, _secret = submit(django_capture_on_commit_callbacks, key="race")
    real = services._submitted
    looks = []

    def not_yet_committed(key):
        looks.append(key)
        return None if len(looks) == 1 else real(key)

    monkeypatch.setattr(services, "_submitted", not_yet_committed)
    request, secret = submit(django_capture_on_commit_callbacks, key="race")
    assert request == twin
    assert secret is None
    assert len(looks) == 2
    assert Request.objects.count() == 1
    assert CapturedEmail.objects.count() == 1


@pytest.mark.django_db
def test_bad_files_are_refused_with_their_names_and_nothing_is_stored(
    django_capture_on_commit_callbacks, settings
):
    good = SimpleUploadedFile(
        "letter.pdf", b"%PDF-1.4 ok", content_type="application/pdf"
    )
    bad = SimpleUploadedFile("photo.jpg", b"not a jpeg", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        submit(django_capture_on_commit_callbacks, files=[good, bad])
    assert any("photo.jpg" in m for m in caught.value.message_dict["attachments"])
    too_many = [
        SimpleUploadedFile(f"{n}.txt", b"text", content_type="text/plain")
        for n in range(services.PUBLIC_MAX_FILES + 1)
    ]
    with pytest.raises(ValidationError):
        submit(django_capture_on_commit_callbacks, files=too_many)
    assert not Request.objects.exists()
    assert not RequestAttachment.objects.exists()
    assert not CapturedEmail.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    # The same key can be used once the files are right.
    request, secret = submit(django_capture_on_commit_callbacks, files=[good])
    assert secret and request.attachments.get().original_name == "letter.pdf"


@pytest.mark.django_db
def test_missing_fields_and_a_missing_key_are_refused(
    django_capture_on_commit_callbacks,
):
    with pytest.raises(ValidationError):
        submit(django_capture_on_commit_callbacks, key="")
    with pytest.raises(ValidationError) as caught:
        submit(django_capture_on_commit_callbacks, subject="  ", text="")
    assert {"subject", "text"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        submit(django_capture_on_commit_callbacks, requester_email="not-an-address")
    assert "requester_email" in caught.value.message_dict
    assert not Request.objects.exists()


@pytest.mark.django_db
def test_guessed_or_forged_links_open_nothing(django_capture_on_commit_callbacks):
    first, first_secret = submit(django_capture_on_commit_callbacks, key="a")
    second, second_secret = submit(django_capture_on_commit_callbacks, key="b")
    assert services.status_lookup(number=second.number, secret=first_secret) is None
    assert services.status_lookup(number=first.number, secret=second_secret) is None
    assert services.status_lookup(number=first.number, secret=first.secret_hash) is None
    assert (
        services.status_lookup(number=first.number, secret=first_secret.upper()) is None
    )
    assert services.status_lookup(number=first.number, secret="x" * 10_000) is None
    assert services.status_lookup(number=None, secret=None) is None
    assert services.status_lookup(number=first.number, secret=first_secret) == first


@pytest.mark.django_db
def test_a_failed_confirmation_keeps_the_request(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(**kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr(services, "confirmation_mail_send", broken)
    request, secret = submit(django_capture_on_commit_callbacks)
    assert Request.objects.get() == request and secret
    assert "Confirmation email" in caplog.text
