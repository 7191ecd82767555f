"""Release mail: one version rendered once, one message per recipient."""

import email
import sys
import types
from datetime import UTC, datetime, timedelta
from email import policy
from email.header import decode_header, make_header
from email.utils import parseaddr

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from contacts.models import Person, PersonEmail, PersonPhone
from pressreleases import mailing
from pressreleases.models import Delivery, Distribution, PressRelease, ReleaseAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 test"
KA_TITLE = "მერიამ ახალი საბავშვო ბაღი გახსნა"
HY_TITLE = "Քաղաքապետարանը նոր մանկապարտեզ բացեց"
EN_TITLE = "The mayor opened a new kindergarten"
ARMENIAN_NAME = "Անի Պետրոսյան"


# --- Small factories, shared by the other test modules of the sending engine --


def make_release(author, **extra) -> PressRelease:
    data = {
        "title_ka": KA_TITLE,
        "lead_ka": "ქალაქს ახალი ბაღი ჰყავს.",
        "body_ka": "<p>ბაღი <strong>120</strong> ბავშვს მიიღებს.</p>",
        "title_hy": HY_TITLE,
        "lead_hy": "Քաղաքն ունի նոր մանկապարտեզ։",
        "body_hy": "<p>Մանկապարտեզը կընդունի <strong>120</strong> երեխա։</p>",
        "title_en": EN_TITLE,
        "lead_en": "The city has a new kindergarten.",
        "body_en": "<p>It takes <strong>120</strong> children.</p>",
        "slug": "new-kindergarten",
        "status": PressRelease.Status.SCHEDULED,
        "version": 1,
        "approved_version": 1,
        **extra,
    }
    return PressRelease.objects.create(author=author, **data)


def make_person(language="ka", *, email=None, name=("ნინო", "ბერიძე"), **extra):
    person = Person.objects.create(
        first_name=name[0], last_name=name[1], language=language, **extra
    )
    PersonEmail.objects.create(
        person=person, email=email or f"p{person.pk}@example.ge", is_primary=True
    )
    return person


def make_distribution(release, actor, **extra) -> Distribution:
    return Distribution.objects.create(
        release=release,
        created_by=actor,
        scheduled_for=timezone.now(),
        attach_pdf=extra.pop("attach_pdf", False),
        **extra,
    )


def make_delivery(distribution, person=None, **extra) -> Delivery:
    release = distribution.release
    if person is not None:
        extra.setdefault("email", person.emails.first().email)
        extra.setdefault("name", str(person))
        extra.setdefault("language", release.language_for(person.language))
    extra.setdefault("language", "ka")
    extra.setdefault("not_before", timezone.now() - timedelta(seconds=1))
    delivery = Delivery(
        distribution=distribution, release=release, person=person, **extra
    )
    delivery.save()
    Distribution.objects.filter(pk=distribution.pk).update(
        total=distribution.deliveries.count()
    )
    return delivery


@pytest.fixture
def fake_pdf(monkeypatch):
    """A PDF renderer that returns a few bytes and counts its calls."""
    calls = []

    def release_pdf(release, language):
        calls.append(language)
        return PDF

    def release_pdf_filename(release, language):
        return f"press-release-{language}.pdf"

    module = types.ModuleType("pressreleases.pdf")
    module.release_pdf = release_pdf
    module.release_pdf_filename = release_pdf_filename
    import pressreleases

    monkeypatch.setitem(sys.modules, "pressreleases.pdf", module)
    monkeypatch.setattr(pressreleases, "pdf", module, raising=False)
    return calls


@pytest.fixture
def site(settings):
    settings.PRAPP_SITE_URL = "https://press.example.ge"
    settings.DEFAULT_FROM_EMAIL = "Press Office <press@example.ge>"
    settings.PRESSRELEASES_REPLY_TO = "desk@example.ge"
    settings.PRAPP_ORGANISATION_NAME = "თბილისის მერია"
    return settings


@pytest.fixture
def release(make_user):
    return make_release(make_user("author", role="Editor"))


@pytest.fixture
def distribution(release):
    return make_distribution(release, release.author)


def parsed(message) -> email.message.EmailMessage:
    """The message as a mail client reads it: bytes on the wire, parsed again."""
    raw = message.message().as_bytes(linesep="\r\n")
    return email.message_from_bytes(raw, policy=policy.default)


def parts(msg) -> dict[str, str]:
    return {
        part.get_content_type(): part.get_content()
        for part in msg.walk()
        if part.get_content_maintype() == "text"
        and part.get_content_disposition() != "attachment"
    }


# --- Structure -----------------------------------------------------------------


def test_message_is_multipart_alternative_with_pdf_and_files(
    site, release, distribution, fake_pdf, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    attachment = ReleaseAttachment(
        release=release,
        original_name="ბაღი.jpg",
        content_type="image/jpeg",
        size=4,
        attach_to_email=True,
    )
    attachment.file.save("bagi.jpg", ContentFile(b"\xff\xd8\xff\xe0"), save=False)
    attachment.save()
    ReleaseAttachment.objects.create(
        release=release,
        file=attachment.file.name,
        original_name="only-on-the-site.jpg",
        content_type="image/jpeg",
        size=4,
        attach_to_email=False,
    )
    person = make_person("ka")
    row = make_delivery(distribution, person)
    prepared = mailing.prepare(release, "ka", under_embargo=False, attach_pdf=True)
    msg = parsed(mailing.message_for(prepared, row))

    assert msg.get_content_type() == "multipart/mixed"
    body, *attachments = msg.iter_parts()
    assert body.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in body.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert [(a.get_filename(), a.get_content_type()) for a in attachments] == [
        ("press-release-ka.pdf", "application/pdf"),
        ("ბაღი.jpg", "image/jpeg"),
    ]
    assert attachments[0].get_content() == PDF
    assert attachments[1].get_content() == b"\xff\xd8\xff\xe0"
    assert fake_pdf == ["ka"]

    text, html = parts(msg)["text/plain"], parts(msg)["text/html"]
    assert KA_TITLE in text and KA_TITLE in html
    assert "<strong>" not in text and "120" in text
    assert "<style" not in html
    assert 'style="' in html  # the CSS is inlined: mail clients drop <style>
    assert 'lang="ka"' in html


def test_no_pdf_unless_asked(site, release, distribution, fake_pdf):
    row = make_delivery(distribution, make_person())
    prepared = mailing.prepare(release, "ka", under_embargo=False, attach_pdf=False)
    msg = parsed(mailing.message_for(prepared, row))
    assert msg.get_content_type() == "multipart/alternative"
    assert fake_pdf == []


def test_headers_sender_reply_to_unsubscribe_and_unique_message_ids(
    site, release, distribution
):
    first = make_delivery(distribution, make_person())
    second = make_delivery(distribution, make_person(email="b@example.ge"))
    prepared = mailing.prepare(release, "ka", under_embargo=False, attach_pdf=False)
    one = parsed(mailing.message_for(prepared, first))
    two = parsed(mailing.message_for(prepared, second))

    assert one["From"] == "Press Office <press@example.ge>"
    assert one["Reply-To"] == "desk@example.ge"
    assert one["Content-Language"] == "ka"
    url = "https://press.example.ge/unsubscribe/" + mailing.unsubscribe_token(first)
    # A long header is folded onto a second line; unfolded it is the address.
    assert one["List-Unsubscribe"].strip() == f"<{url}/>"
    assert one["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert one["Message-ID"] != two["Message-ID"]
    assert one["Message-ID"].endswith("@press.example.ge>")
    assert one["List-Unsubscribe"] != two["List-Unsubscribe"]
    text, html = parts(one)["text/plain"], parts(one)["text/html"]
    assert f"{url}/" in text
    assert f'href="{url}/"' in html


def test_reply_to_defaults_to_the_sender(site, release, distribution):
    site.PRESSRELEASES_REPLY_TO = ""
    row = make_delivery(distribution, make_person())
    prepared = mailing.prepare(release, "ka", under_embargo=False, attach_pdf=False)
    assert parsed(mailing.message_for(prepared, row))["Reply-To"] == (
        "Press Office <press@example.ge>"
    )


def test_georgian_subject_and_armenian_name_survive_the_wire(
    site, release, distribution
):
    person = make_person("ka", name=("Անի", "Պետրոսյան"), email="ani@example.am")
    row = make_delivery(distribution, person)
    prepared = mailing.prepare(release, "ka", under_embargo=False, attach_pdf=False)
    raw = mailing.message_for(prepared, row).message().as_bytes(linesep="\r\n")
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()  # RFC 2047 encoded words, no raw UTF-8
    assert b"=?utf-8?" in headers

    msg = email.message_from_bytes(raw, policy=policy.default)
    # Python folds the encoded words onto continuation lines ("Subject:" CRLF
    # SP =?utf-8?…); unfolded, the value keeps that one space, as for any mail.
    assert msg["Subject"].strip() == KA_TITLE
    address = msg["To"].addresses[0]
    assert address.display_name == ARMENIAN_NAME
    assert address.addr_spec == "ani@example.am"


def test_long_names_and_international_domains_are_encoded(site, release, distribution):
    long_name = ("ალექსანდრე-ბაგრატიონ", "მუხრანბატონი-ჯავახიშვილი")
    person = make_person("ka", name=long_name, email="nino@მაგალითი.გე")
    row = make_delivery(distribution, person)
    prepared = mailing.prepare(release, "ka", under_embargo=False, attach_pdf=False)
    wire = mailing.message_bytes(prepared, row)
    domain = "მაგალითი.გე".encode("idna").decode()
    assert domain.startswith("xn--")
    assert wire.recipient == f"nino@{domain}"
    headers = wire.data.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()
    assert max(len(line) for line in headers.split(b"\r\n")) <= 998
    to_lines = headers.split(b"To: ", 1)[1].split(b"\r\nDate:", 1)[0]
    assert to_lines.count(b"=?utf-8?b?") >= 2  # one encoded word per line
    assert all(len(line) <= 78 for line in to_lines.split(b"\r\n"))
    # RFC 2047: the space between two encoded words is not text. (Python's
    # policy.default address parser keeps it, for Django's own headers too;
    # decode_header follows the RFC.)
    msg = email.message_from_bytes(wire.data)
    assert str(make_header(decode_header(msg["To"]))) == (
        f"{' '.join(long_name)} <nino@{domain}>"
    )


def test_quoted_ascii_names():
    assert mailing.mailbox_header('Tom "T" Jones', "t@example.org") == (
        '"Tom \\"T\\" Jones" <t@example.org>'
    )
    assert mailing.mailbox_header("", "t@example.org") == "t@example.org"
    with pytest.raises(ValueError):
        mailing.envelope_address("no-at-sign")
    with pytest.raises(ValueError):
        mailing.envelope_address("ნინო@example.ge")


def test_each_recipient_gets_their_version_with_fallback(make_user, site):
    release = make_release(
        make_user("author"), title_hy="", lead_hy="", body_hy=""
    )  # no Armenian version
    distribution = make_distribution(release, release.author)
    armenian = make_person("hy", name=("Արամ", "Գրիգորյան"))
    georgian = make_person("ka")
    for person, expected_language, expected_title in [
        (armenian, "en", EN_TITLE),
        (georgian, "ka", KA_TITLE),
    ]:
        row = make_delivery(distribution, person)
        assert row.language == expected_language
        prepared = mailing.prepare(
            release, row.language, under_embargo=False, attach_pdf=False
        )
        msg = parsed(mailing.message_for(prepared, row))
        assert msg["Subject"].strip() == expected_title
        assert f'lang="{expected_language}"' in parts(msg)["text/html"]


def test_greeting_is_personal_and_escaped(site, release, distribution):
    person = make_person("en", name=("Tom <b>&", "Jones"), email="tom@example.org")
    named = make_delivery(distribution, person, language="en")
    nameless = make_delivery(
        distribution, None, email="desk@example.org", name="", language="en"
    )
    prepared = mailing.prepare(release, "en", under_embargo=False, attach_pdf=False)
    html = parts(parsed(mailing.message_for(prepared, named)))["text/html"]
    text = parts(parsed(mailing.message_for(prepared, named)))["text/plain"]
    assert "Dear Tom &lt;b&gt;&amp; Jones," in html
    assert "<b>&" not in html
    assert "Dear Tom <b>& Jones," in text
    other = parts(parsed(mailing.message_for(prepared, nameless)))
    assert "Dear colleague," in other["text/plain"]
    assert "Tom" not in other["text/html"]


def test_body_is_sanitised_again_when_sent(site, make_user):
    release = make_release(
        make_user("author"),
        body_en='<p onclick="x()">Fine</p><script>alert(1)</script>'
        '<a href="javascript:evil()">link</a>',
    )
    distribution = make_distribution(release, release.author)
    row = make_delivery(distribution, None, email="a@example.org", language="en")
    prepared = mailing.prepare(release, "en", under_embargo=False, attach_pdf=False)
    html = parts(parsed(mailing.message_for(prepared, row)))["text/html"]
    assert "Fine" in html
    assert "<script" not in html and "alert(1)" not in html
    assert "onclick" not in html and "javascript:" not in html


def test_embargo_notice_in_subject_and_body_only_when_under_embargo(site, make_user):
    embargo = datetime(2099, 5, 12, 6, 0, tzinfo=UTC)  # 10:00 in Tbilisi
    release = make_release(make_user("author"), embargo_until=embargo)
    distribution = make_distribution(release, release.author)
    row = make_delivery(distribution, make_person(), under_embargo=True)
    early = mailing.prepare(release, "en", under_embargo=True, attach_pdf=False)
    msg = parsed(mailing.message_for(early, row))
    assert msg["Subject"].startswith("EMBARGOED until ")
    assert msg["Subject"].endswith(EN_TITLE)
    assert "May 12, 2099, 10 a.m. (UTC+04:00)" in msg["Subject"]
    text, html = parts(msg)["text/plain"], parts(msg)["text/html"]
    assert "Under embargo: not to be published" in text
    assert "10 a.m. (UTC+04:00)" in text
    assert text.index("Under embargo") < text.index(EN_TITLE)
    page = html[html.index("<body") :]
    assert page.index("Under embargo") < page.index(EN_TITLE)

    regular = mailing.prepare(release, "en", under_embargo=False, attach_pdf=False)
    msg = parsed(mailing.message_for(regular, row))
    assert msg["Subject"].strip() == EN_TITLE
    assert "embargo" not in parts(msg)["text/plain"].lower()


def test_embargo_time_is_written_in_the_recipients_language(site, make_user):
    embargo = datetime(2099, 5, 12, 6, 0, tzinfo=UTC)
    release = make_release(make_user("author"), embargo_until=embargo)
    georgian = mailing.prepare(release, "ka", under_embargo=True, attach_pdf=False)
    english = mailing.prepare(release, "en", under_embargo=True, attach_pdf=False)
    assert "12 მაისი 2099, 10:00 (UTC+04:00)" in georgian.subject
    assert "May" in english.subject
    assert not any("Ა" <= ch <= "Ჿ" for ch in georgian.subject)  # no Mtavruli


def test_contact_person_newsroom_link_and_organisation(site, make_user):
    contact = make_person("ka", name=("თამარ", "გელაშვილი"), email="tamar@example.ge")
    contact.position = "პრესსპიკერი"
    contact.save()
    PersonPhone.objects.create(person=contact, number="+995322123456", is_primary=True)
    release = make_release(
        make_user("author"), contact_person=contact, published_at=timezone.now()
    )
    distribution = make_distribution(release, release.author)
    row = make_delivery(distribution, make_person())
    prepared = mailing.prepare(release, "ka", under_embargo=False, attach_pdf=False)
    msg = parsed(mailing.message_for(prepared, row))
    text, html = parts(msg)["text/plain"], parts(msg)["text/html"]
    for part in (text, html):
        assert "თამარ გელაშვილი" in part
        assert "პრესსპიკერი" in part
        assert "tamar@example.ge" in part
        assert "+995 32 212 34 56" in part
        assert "თბილისის მერია" in part
    url = f"https://press.example.ge/newsroom/ka/{release.pk}/new-kindergarten/"
    assert url in text
    assert f'href="{url}"' in html


def test_no_newsroom_link_for_a_release_that_is_not_published(
    site, release, distribution
):
    row = make_delivery(distribution, make_person())
    prepared = mailing.prepare(release, "ka", under_embargo=False, attach_pdf=False)
    text = parts(parsed(mailing.message_for(prepared, row)))["text/plain"]
    assert "/newsroom/" not in text


# --- Tokens ----------------------------------------------------------------------


def test_unsubscribe_token_round_trip_and_forgeries(release, distribution):
    row = make_delivery(distribution, make_person())
    token = mailing.unsubscribe_token(row)
    assert mailing.delivery_from_token(token) == row
    _pk, signature = token.split(":", 1)
    assert mailing.delivery_from_token(f"{row.pk + 1}:{signature}") is None
    assert mailing.delivery_from_token(token[:-2] + "xx") is None
    assert mailing.delivery_from_token("garbage") is None
    assert mailing.delivery_from_token("") is None


def test_a_stand_in_without_a_row_gets_a_harmless_link(site, release):
    prepared = mailing.prepare(release, "en", under_embargo=False, attach_pdf=False)
    stand_in = Delivery(release=release, email="me@example.ge", name="Me")
    msg = mailing.message_for(prepared, stand_in)
    assert parseaddr(msg.to[0])[1] == "me@example.ge"
    assert msg.extra_headers["List-Unsubscribe"] == (
        "<https://press.example.ge/unsubscribe/test/>"
    )
    assert mailing.delivery_from_token("test") is None
