"""The PDF of a release: its language, embargo, contact, fonts, and no fetching."""

import io
import socket
import urllib.request
from datetime import timedelta

import pypdf
import pytest
from django.core.cache import cache
from django.utils import timezone

from contacts.models import Person, PersonEmail, PersonPhone
from pressreleases import pdf as pdf_module
from pressreleases.models import PressRelease
from pressreleases.pdf import (
    FetchRefused,
    release_pdf,
    release_pdf_filename,
    url_fetcher,
)

TITLE_KA = "ქუთაისის საკრებულომ 2027 წლის ბიუჯეტი დაამტკიცა"
TITLE_HY = "Քութայիսիի ավագանին հաստատեց 2027 թվականի բյուջեն"
TITLE_EN = "Kutaisi City Council approves the 2027 budget"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contact(db):
    person = Person.objects.create(
        first_name="ეკა",
        last_name="ლომიძე",
        position="პრესსამსახურის უფროსი",
        language="ka",
    )
    PersonEmail.objects.create(person=person, email="old@example.ge")
    PersonEmail.objects.create(
        person=person, email="eka.press@example.ge", is_primary=True
    )
    PersonPhone.objects.create(person=person, number="+995322123456", is_primary=True)
    return person


@pytest.fixture
def release(make_user, contact):
    author = make_user("author", role="Editor")
    return PressRelease.objects.create(
        author=author,
        title_ka=TITLE_KA,
        lead_ka="საკრებულოს სხდომაზე ბიუჯეტს 27 დეპუტატმა დაუჭირა მხარი.",
        body_ka="<p>ბიუჯეტის მთლიანი მოცულობა 182 მილიონ ლარს შეადგენს.</p>",
        title_hy=TITLE_HY,
        lead_hy="Նիստում բյուջեին կողմ է քվեարկել 27 պատգամավոր։",
        body_hy="<p>Բյուջեի ընդհանուր ծավալը կազմում է 182 միլիոն լարի։</p>",
        slug="kutaisi-budget-2027",
        contact_person=contact,
        version=2,
    )


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    # Lines wrap where the page ends them: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _fonts(data: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_georgian_version_with_real_georgian_glyphs(release):
    data = release_pdf(release, "ka")

    assert data.startswith(b"%PDF")
    text = _text(data)
    assert TITLE_KA in text
    assert "182 მილიონ ლარს" in text
    assert TITLE_HY not in text
    assert "###" in text
    # The Georgian letters come from a font that has them (no empty boxes).
    assert any("Noto-Sans-Georgian" in name for name in _fonts(data))


def test_armenian_version(release):
    text = _text(release_pdf(release, "hy"))

    assert TITLE_HY in text
    assert "182 միլիոն լարի" in text
    assert TITLE_KA not in text
    assert any(
        "Noto-Sans-Armenian" in name for name in _fonts(release_pdf(release, "hy"))
    )


def test_contact_person_with_primary_email_and_readable_phone(release):
    text = _text(release_pdf(release, "ka"))

    assert "ეკა ლომიძე" in text
    assert "პრესსამსახურის უფროსი" in text
    assert "eka.press@example.ge" in text
    assert "old@example.ge" not in text
    assert "+995 32 212 34 56" in text


def test_bounced_email_is_not_printed(release, contact):
    PersonEmail.objects.filter(email="eka.press@example.ge").update(
        bounced_at=timezone.now()
    )

    text = _text(release_pdf(release, "ka"))

    assert "eka.press@example.ge" not in text
    assert "old@example.ge" in text


def test_embargo_notice_only_while_embargoed(release):
    assert "ემბარგო" not in _text(release_pdf(release, "ka"))

    release.embargo_until = timezone.now() + timedelta(days=2)
    release.save()
    text = _text(release_pdf(release, "ka"))
    # The Georgian version carries the notice in Georgian, in ordinary letters.
    assert "ემბარგო" in text
    assert "გამოქვეყნება დაუშვებელია" in text
    assert "(UTC+4)" in text  # Tbilisi time, said so readers abroad get it right

    release.embargo_until = timezone.now() - timedelta(minutes=1)
    release.save()
    assert "EMBARGO" not in _text(release_pdf(release, "ka"))


def test_missing_language_falls_back(release, settings):
    settings.PRESSRELEASES_LANGUAGE_FALLBACKS = ["en", "ka", "hy"]
    # No English version: a reader of English gets the Georgian one.
    text = _text(release_pdf(release, "en"))
    assert TITLE_KA in text

    release.title_en = TITLE_EN
    release.body_en = "<p>The budget totals 182 million lari.</p>"
    release.save()
    text = _text(release_pdf(release, "en"))
    assert TITLE_EN in text
    assert TITLE_KA not in text


def test_organisation_name_and_page_numbers(release, settings):
    settings.PRAPP_ORGANISATION_NAME = "Kutaisi City Hall"
    release.body_ka = "".join(
        f"<p>პუნქტი {n}: ბიუჯეტის მუხლის დეტალური აღწერა და განმარტება.</p>"
        for n in range(90)
    )
    release.save()

    data = release_pdf(release, "ka")

    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages >= 2
    text = _text(data)
    assert "Kutaisi City Hall" in text
    assert f"გვერდი 1 {pages}-დან" in text
    assert f"გვერდი {pages} {pages}-დან" in text


def test_rendered_once_per_version_and_language(release, monkeypatch):
    calls = []
    real_render = pdf_module._render

    def counting_render(release, version):
        calls.append(version)
        return real_render(release, version)

    monkeypatch.setattr(pdf_module, "_render", counting_render)

    first = release_pdf(release, "ka")
    for _ in range(5):
        assert release_pdf(release, "ka") == first
    release_pdf(release, "hy")
    release_pdf(release, "en")  # falls back to ka: the same rendering
    assert calls == ["ka", "hy"]

    release.title_ka = "ქუთაისის ბიუჯეტი — შესწორებული"
    release.version = 3
    release.save()
    assert TITLE_KA not in _text(release_pdf(release, "ka"))
    assert calls == ["ka", "hy", "ka"]


HOSTILE = (
    "<p>ტექსტი</p>"
    '<img src="http://attacker.example/pixel.png">'
    '<img src="file:///etc/passwd">'
    '<link rel="stylesheet" href="https://attacker.example/x.css">'
    '<p style="background: url(http://attacker.example/bg.png)">სტილი</p>'
    "<script>alert(1)</script>"
    '<iframe src="file:///etc/passwd"></iframe>'
)


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens a URL or a socket while rendering."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError(f"network access during PDF rendering: {args!r}")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    monkeypatch.setattr("weasyprint.urls.urlopen", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


@pytest.fixture
def fetch_log(monkeypatch):
    """Record every URL WeasyPrint asks for, and what our fetcher answered."""
    log = []

    def spy(url, *args, **kwargs):
        try:
            result = url_fetcher(url, *args, **kwargs)
        except FetchRefused:
            log.append((url, "refused"))
            raise
        log.append((url, "fetched"))
        return result

    monkeypatch.setattr(pdf_module, "url_fetcher", spy)
    return log


def test_hostile_body_renders_and_fetches_nothing(release, no_network, fetch_log):
    release.body_ka = HOSTILE
    release.save()

    data = release_pdf(release, "ka")

    assert data.startswith(b"%PDF")
    text = _text(data)
    assert "ტექსტი" in text
    assert "alert" not in text
    assert "root:" not in text
    assert no_network == []
    assert all(outcome == "refused" for _url, outcome in fetch_log)


def test_fetcher_refuses_even_if_the_sanitiser_let_something_through(
    release, monkeypatch, no_network, fetch_log
):
    # Defence in depth: pretend the allow-list failed and the raw HTML arrives.
    monkeypatch.setattr(pdf_module, "sanitize", lambda html: html)
    release.body_ka = HOSTILE
    release.save()

    data = release_pdf(release, "ka")

    assert data.startswith(b"%PDF")
    asked = {url for url, _outcome in fetch_log}
    assert "http://attacker.example/pixel.png" in asked
    assert "file:///etc/passwd" in asked
    assert all(outcome == "refused" for _url, outcome in fetch_log)
    assert "root:" not in _text(data)
    assert no_network == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a.png",
        "https://example.com/a.css",
        "file:///etc/passwd",
        "FILE:///etc/shadow",
        "ftp://example.com/x",
        "/etc/passwd",
        "gopher://example.com/",
    ],
)
def test_url_fetcher_refuses_everything_but_data(url, no_network):
    with pytest.raises(FetchRefused):
        url_fetcher(url)
    assert no_network == []


def test_url_fetcher_reads_data_uris(no_network):
    result = url_fetcher("data:text/plain;base64,aGVsbG8=")
    assert result["string"] == b"hello"
    assert result["mime_type"] == "text/plain"
    result = url_fetcher("data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E")
    assert result == {
        "string": b"<svg/>",
        "mime_type": "image/svg+xml",
        "encoding": "utf-8",
    }
    assert no_network == []


def test_data_uri_image_is_drawn_without_any_opener(release, monkeypatch, no_network):
    # A data: image (never in a sanitised body, but allowed to the template)
    # is read by our fetcher alone.
    monkeypatch.setattr(pdf_module, "sanitize", lambda html: html)
    pixel = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    release.body_ka = f'<p>ფოტო</p><img alt="" src="data:image/png;base64,{pixel}">'
    release.save()

    data = release_pdf(release, "ka")

    reader = pypdf.PdfReader(io.BytesIO(data))
    assert any(page.images for page in reader.pages)
    assert no_network == []


def test_filename_is_ascii_and_names_the_version(release):
    release.embargo_until = timezone.make_aware(timezone.datetime(2026, 11, 22, 10))
    release.save()

    assert (
        release_pdf_filename(release, "ka")
        == "press-release-2026-11-22-kutaisi-budget-2027-ka.pdf"
    )
    assert release_pdf_filename(release, "hy").endswith("-hy.pdf")

    release.slug = ""
    name = release_pdf_filename(release, "hy")
    assert name.isascii()
    assert name.startswith("press-release-2026-11-22-kutayisii-avagani")
    assert name.endswith("-hy.pdf")
