"""The public request form and the status page: no login, no robots, no leaks."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inquiries import services
from inquiries.forms import form_stamp, submission_token
from inquiries.models import Request, RequestAttachment
from prapp.models import CapturedEmail

FORM = reverse("inquiries_public:form")
THANKS = reverse("inquiries_public:thanks")
STATUS = reverse("inquiries_public:status")


@pytest.fixture(autouse=True)
def _clean(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    # English pages, so that the assertions read the messages as written.
    client.cookies["prapp_language"] = "en"
    cache.clear()
    yield
    cache.clear()


def form_data(**extra) -> dict:
    data = {
        "name": "Անի Պետրոսյան",
        "email": "ani@example.am",
        "phone": "",
        "address": "",
        "subject": "Մանկապարտեզների բյուջե",
        "text": "Խնդրում եմ տրամադրել 2025 թվականի բյուջեն։",
        "consent": "on",
        "website": "",
        # Rendered ten seconds ago: a person's pace.
        "stamp": form_stamp(now=time.time() - 10),
        "submission_key": submission_token(),
    }
    data.update(extra)
    return data


def submit(client, capture, **extra):
    with capture(execute=True):
        return client.post(FORM, form_data(**extra))


def status_link(mail: CapturedEmail) -> str:
    """The status page's address from the confirmation email."""
    found = re.search(r"https?://\S+/requests/status/\?\S+", mail.body_text)
    assert found, mail.body_text
    return found.group(0)


# --- The form ---------------------------------------------------------------------


@pytest.mark.django_db
def test_form_opens_without_login_in_the_visitors_language(client):
    client.cookies["prapp_language"] = "hy"
    response = client.get(FORM)
    assert response.status_code == 200
    page = response.text
    assert '<html lang="hy">' in page
    assert 'id="language-select"' in page  # the language switch
    # The honeypot is out of reach of people, keyboards and screen readers.
    assert 'aria-hidden="true"' in page and 'tabindex="-1"' in page
    assert 'name="stamp"' in page and 'name="submission_key"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="consent"' in page


@pytest.mark.django_db
def test_a_request_is_registered_confirmed_and_thanked(
    client, django_capture_on_commit_callbacks
):
    client.cookies["prapp_language"] = "hy"
    attachment = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")
    response = submit(
        client, django_capture_on_commit_callbacks, attachments=[attachment]
    )
    assert response.status_code == 302
    assert response["Location"] == THANKS
    request = Request.objects.get()
    assert request.kind == Request.Kind.PUBLIC_INFORMATION
    assert request.channel == Request.Channel.WEB_FORM
    assert request.language == "hy"
    assert request.requester_name == "Անի Պետրոսյան"
    assert request.attachments.get().original_name == "scan.pdf"
    mail = CapturedEmail.objects.get(to=["ani@example.am"])
    assert request.number in mail.subject + mail.body_text
    secret = parse_qs(urlsplit(status_link(mail)).query)["s"][0]
    thanks = client.get(THANKS)
    assert request.number in thanks.text
    assert secret not in thanks.text


@pytest.mark.django_db
def test_the_same_form_sent_twice_registers_once(
    client, django_capture_on_commit_callbacks
):
    data = form_data()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(FORM, data)
        second = client.post(FORM, data)
    assert first.status_code == second.status_code == 302
    request = Request.objects.get()
    assert CapturedEmail.objects.filter(to=["ani@example.am"]).count() == 1
    assert request.number in client.get(THANKS).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad, message",
    [
        ({"website": "http://spam.example"}, "could not be accepted"),
        ({"stamp": "now"}, "sent too quickly"),
        ({"stamp": "forged"}, "out of date"),
        ({"submission_key": "0123456789abcdef0123456789abcdef"}, "out of date"),
        ({"consent": ""}, "Without your consent"),
    ],
)
def test_robots_and_forgeries_are_refused_and_nothing_kept(
    client, django_capture_on_commit_callbacks, bad, message
):
    if bad.get("stamp") == "now":
        bad = {"stamp": form_stamp()}  # rendered a moment ago
    response = submit(client, django_capture_on_commit_callbacks, **bad)
    assert response.status_code == 400
    assert message in response.text
    assert not Request.objects.exists()
    assert not CapturedEmail.objects.exists()
    # The refused form comes back with a fresh stamp and a valid key.
    assert 'name="stamp"' in response.text


@pytest.mark.django_db
def test_wrong_attachment_is_refused_and_nothing_kept(
    client, django_capture_on_commit_callbacks, tmp_path
):
    fake = SimpleUploadedFile("budget.pdf", b"MZ\x90\x00 a program")
    response = submit(client, django_capture_on_commit_callbacks, attachments=[fake])
    assert response.status_code == 400
    assert "budget.pdf" in response.text
    assert not Request.objects.exists()
    assert not RequestAttachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    script = SimpleUploadedFile("run.exe", b"MZ\x90\x00")
    response = submit(client, django_capture_on_commit_callbacks, attachments=[script])
    assert response.status_code == 400
    assert "Files of this type cannot be attached" in response.text


@pytest.mark.django_db
def test_one_address_is_limited(client, settings, django_capture_on_commit_callbacks):
    settings.INQUIRIES_PUBLIC_RATE_LIMIT = 2
    for n in range(2):
        response = submit(client, django_capture_on_commit_callbacks, subject=f"{n}")
        assert response.status_code == 302
    response = submit(client, django_capture_on_commit_callbacks, subject="third")
    assert response.status_code == 429
    assert Request.objects.count() == 2
    # Another address is not held back.
    response = client.post(FORM, form_data(), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


# --- The status page --------------------------------------------------------------


def public_request():
    return services.request_public_submit(
        data={
            "requester_name": "ნინო ბერიძე",
            "requester_email": "nino@example.ge",
            "language": "ka",
            "subject": "საბავშვო ბაღების ბიუჯეტი",
            "text": "გთხოვთ მომაწოდოთ ბიუჯეტი.",
        },
        submission_key="0" * 32,
    )


@pytest.mark.django_db
def test_status_from_the_email_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, django_capture_on_commit_callbacks)
    link = status_link(CapturedEmail.objects.get(to=["ani@example.am"]))
    response = client.get(urlsplit(link).path + "?" + urlsplit(link).query)
    assert response.status_code == 200
    request = Request.objects.get()
    assert request.number in response.text
    assert 'data-status="registered"' in response.text
    assert response["Referrer-Policy"] == "no-referrer"
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in (response["Cache-Control"])
    )


@pytest.mark.django_db
def test_status_shows_the_answer_once_answered_only(client, make_user):
    request, secret = public_request()
    editor = make_user("editor", role="Editor")
    boss = make_user("boss", role="Manager")
    services.answer_draft(request=request, actor=editor, text="ბიუჯეტი თანდართულია.")
    query = {"n": request.number, "s": secret}
    drafted = client.get(STATUS, query)
    assert 'data-status="in_progress"' in drafted.text
    assert "ბიუჯეტი თანდართულია." not in drafted.text
    services.answer_approve(request=request, actor=boss)
    services.request_answer(
        request=request, actor=editor, method="email", send_email=False
    )
    answered = client.post(STATUS, query)
    assert 'data-status="answered"' in answered.text
    assert "ბიუჯეტი თანდართულია." in answered.text
    # Nothing internal on the public page.
    assert editor.username not in answered.text and boss.username not in answered.text


@pytest.mark.django_db
def test_a_forged_link_gets_one_answer_whichever_half_is_wrong(client):
    request, secret = public_request()
    wrong_secret = client.get(STATUS, {"n": request.number, "s": "guess"})
    wrong_number = client.get(STATUS, {"n": "2020/9999", "s": secret})
    assert wrong_secret.status_code == wrong_number.status_code == 404
    for response in (wrong_secret, wrong_number):
        assert "data-not-found" in response.text
        assert request.subject not in response.text

    def message(response):
        start = response.text.index("data-not-found")
        return response.text[start : response.text.index("</div>", start)]

    assert message(wrong_secret) == message(wrong_number)


@pytest.mark.django_db
def test_failed_lookups_are_limited_per_address(client, settings):
    settings.INQUIRIES_STATUS_RATE_LIMIT = 3
    request, secret = public_request()
    for _n in range(3):
        assert client.get(STATUS, {"n": request.number, "s": "x"}).status_code == 404
    # Even the right code waits now.
    blocked = client.get(STATUS, {"n": request.number, "s": secret})
    assert blocked.status_code == 429
    assert request.subject not in blocked.text
    other = client.get(
        STATUS, {"n": request.number, "s": secret}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 200
    assert request.number in other.text


@pytest.mark.django_db
def test_status_form_without_a_lookup(client):
    response = client.get(STATUS)
    assert response.status_code == 200
    assert 'name="n"' in response.text and 'name="s"' in response.text
    assert "data-not-found" not in response.text


@pytest.mark.django_db
def test_thanks_without_a_submission_says_little(client):
    response = client.get(THANKS)
    assert response.status_code == 200
    assert "confirmation email" in response.text
    assert "data-number" not in response.text
