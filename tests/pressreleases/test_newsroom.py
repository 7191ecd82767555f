"""The public newsroom: what is visible, in which language, and its feeds."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.html import strip_tags
from lxml import html as lxml_html

from contacts.models import Person, PersonEmail, PersonPhone
from events.models import Event, EventType
from prapp.text import search_key
from pressreleases import newsroom
from pressreleases.models import PressRelease, ReleaseAttachment, Tag

Status = PressRelease.Status
ATOM = "{http://www.w3.org/2005/Atom}"
LANGS = ("ka", "hy", "en")

TITLES = {
    "ka": "თბილისის მერიამ ახალი პარკი გახსნა",
    "hy": "Թբիլիսիի քաղաքապետարանը նոր այգի բացեց",
    "en": "Tbilisi City Hall opens a new park",
}


# --- Factories ------------------------------------------------------------------------


@pytest.fixture
def author(make_user):
    return make_user("author-nino", role="Editor")


def make_release(
    author,
    *,
    titles=None,
    status=Status.PUBLISHED,
    published_at="past",
    embargo_until=None,
    slug="new-park",
    tags=(),
    **extra,
):
    """A release with the given language versions (all three by default)."""
    now = timezone.now()
    if published_at == "past":
        published_at = now - timedelta(hours=2)
    titles = TITLES if titles is None else titles
    fields = {}
    for code, title in titles.items():
        fields[f"title_{code}"] = title
        fields[f"lead_{code}"] = f"{title} — lead ({code})"
        fields[f"body_{code}"] = f"<p>{title} — body ({code})</p>"
    parts = [value for key, value in fields.items() if key.split("_")[0] != "body"] + [
        strip_tags(value) for key, value in fields.items() if key.startswith("body")
    ]
    release = PressRelease.objects.create(
        author=author,
        status=status,
        published_at=published_at,
        embargo_until=embargo_until,
        slug=slug,
        search_key=search_key(*parts),
        **fields,
        **extra,
    )
    release.tags.set(tags)
    return release


def make_tag(slug, ka, hy, en):
    return Tag.objects.create(slug=slug, name_ka=ka, name_hy=hy, name_en=en)


def make_attachment(release, name="photo.jpg", *, public=True, content=b"JPEGDATA"):
    content_type = "image/jpeg" if name.endswith(".jpg") else "application/pdf"
    return ReleaseAttachment.objects.create(
        release=release,
        file=ContentFile(content, name=name),
        title="",
        original_name=name,
        content_type=content_type,
        size=len(content),
        public=public,
    )


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.PRAPP_SITE_URL = "https://press.example.ge/"
    settings.PRAPP_ORGANISATION_NAME = "Kutaisi City Hall"
    settings.MEDIA_ROOT = tmp_path
    settings.PRESSRELEASES_LANGUAGE_FALLBACKS = ["en", "ka", "hy"]


def detail_url(release, language="ka"):
    return f"/newsroom/{language}/{release.pk}/{release.slug or '-'}/"


def page(response):
    return lxml_html.fromstring(response.content.decode())


def meta(tree, prop):
    return [el.get("content") for el in tree.xpath(f'//meta[@property="{prop}"]')]


def _xml(content: bytes) -> ET.Element:
    # Our own feed, parsed to check its required elements.
    return ET.fromstring(content)  # noqa: S314


def _rss(client, language):
    response = client.get(f"/newsroom/{language}/rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return response


def _atom(client, language):
    response = client.get(f"/newsroom/{language}/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response


# --- Visibility -----------------------------------------------------------------------

HOUR = timedelta(hours=1)

# (status, published_at offset, embargo offset, expected detail status)
MATRIX = [
    pytest.param(Status.DRAFT, None, None, 404, id="draft"),
    pytest.param(Status.IN_REVIEW, None, None, 404, id="in-review"),
    pytest.param(Status.APPROVED, None, None, 404, id="approved-not-published"),
    pytest.param(Status.SENT, None, None, 404, id="sent-not-published"),
    pytest.param(Status.PUBLISHED, +HOUR, None, 404, id="published-future"),
    pytest.param(Status.PUBLISHED, -HOUR, +HOUR, 404, id="embargo-future"),
    pytest.param(Status.SCHEDULED, +HOUR, -HOUR, 404, id="scheduled-future"),
    pytest.param(Status.DRAFT, -HOUR, None, 404, id="draft-with-a-date"),
    pytest.param(Status.WITHDRAWN, -HOUR, None, 410, id="withdrawn"),
    pytest.param(Status.PUBLISHED, -HOUR, None, 200, id="published-past"),
    pytest.param(Status.SENT, -2 * HOUR, -HOUR, 200, id="sent-embargo-lifted"),
    pytest.param(Status.SCHEDULED, -HOUR, None, 200, id="scheduled-past"),
]


@pytest.mark.parametrize(("status", "published", "embargo", "expected"), MATRIX)
def test_visibility_matrix(client, author, status, published, embargo, expected):
    now = timezone.now()
    release = make_release(
        author,
        status=status,
        published_at=now + published if published is not None else None,
        embargo_until=now + embargo if embargo is not None else None,
        withdrawn_at=now if status == Status.WITHDRAWN else None,
    )
    visible = expected == 200
    # The model and the newsroom's database filter agree.
    assert release.is_public() is visible

    assert list(newsroom.public_releases()) == ([release] if visible else [])

    response = client.get(detail_url(release))
    assert response.status_code == expected
    body = response.content.decode()
    assert (TITLES["ka"] in body) is visible
    assert (release.lead_ka in body) is visible

    listing = client.get("/newsroom/ka/").content.decode()
    assert (TITLES["ka"] in listing) is visible
    search = client.get("/newsroom/ka/", {"q": "tbilisi"}).content.decode()
    assert (TITLES["ka"] in search) is visible

    for language in LANGS:
        rss = feedparser.parse(_rss(client, language).content)
        atom = feedparser.parse(_atom(client, language).content)
        assert len(rss.entries) == len(atom.entries) == int(visible)

    pdf = client.get(f"/newsroom/ka/{release.pk}/pdf/")
    assert pdf.status_code == expected


def test_public_releases_takes_a_moment(author):
    embargo = timezone.now() + timedelta(days=1)
    release = make_release(author, embargo_until=embargo)
    assert list(newsroom.public_releases()) == []
    later = embargo + timedelta(seconds=1)
    assert list(newsroom.public_releases(now=later)) == [release]
    assert release.is_public(now=later)


def test_newest_first_by_the_time_they_became_public(client, author):
    now = timezone.now()
    early = make_release(
        author, titles={"ka": "პირველი"}, published_at=now - timedelta(days=3)
    )
    # Published long ago, but public only since its embargo lifted yesterday.
    embargoed = make_release(
        author,
        titles={"ka": "მეორე"},
        published_at=now - timedelta(days=5),
        embargo_until=now - timedelta(days=1),
    )
    latest = make_release(
        author, titles={"ka": "მესამე"}, published_at=now - timedelta(hours=1)
    )
    assert list(newsroom.public_releases()) == [latest, embargoed, early]
    body = client.get("/newsroom/ka/").content.decode()
    assert body.index("მესამე") < body.index("მეორე") < body.index("პირველი")


def test_withdrawn_release_answers_gone_with_an_explanation(client, author):
    release = make_release(
        author,
        status=Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawn_reason="Internal: the minister asked us to.",
    )
    response = client.get(detail_url(release, "en"))
    assert response.status_code == 410
    body = response.content.decode()
    assert "This press release has been withdrawn" in body
    assert '<html lang="en">' in body
    for secret in (TITLES["en"], release.lead_en, "minister", "author-nino"):
        assert secret not in body
    # The Georgian page explains it in Georgian (interface strings).
    georgian = client.get(detail_url(release, "ka")).content.decode()
    assert '<html lang="ka">' in georgian
    assert "ძირითად შინაარსზე გადასვლა" in georgian


def test_release_withdrawn_before_it_was_ever_public_is_not_found(client, author):
    now = timezone.now()
    release = make_release(
        author,
        status=Status.WITHDRAWN,
        published_at=now - HOUR,
        embargo_until=now + HOUR,  # embargoed when it was withdrawn
        withdrawn_at=now,
    )
    assert client.get(detail_url(release)).status_code == 404


def test_unknown_release_and_language(client, author):
    release = make_release(author)
    assert client.get(f"/newsroom/ka/{release.pk + 1}/x/").status_code == 404
    assert client.get(f"/newsroom/de/{release.pk}/new-park/").status_code == 404
    assert client.get("/newsroom/de/").status_code == 404
    assert client.get("/newsroom/de/rss/").status_code == 404
    assert client.get("/newsroom/de/atom/").status_code == 404


def test_anonymous_page_leaks_nothing_of_the_staff(client, author, manager):
    release = make_release(author, approved_by=manager, approved_at=timezone.now())
    release.body_ka = '<p>ტექსტი</p><script>alert("x")</script><img src=x onerror=1>'
    release.save()
    response = client.get(detail_url(release))
    assert response.status_code == 200
    body = response.content.decode()
    for secret in ("author-nino", "manager", "<script", "onerror", "<img"):
        assert secret not in body
    assert "<p>ტექსტი</p>" in body
    # Nothing of the staff interface around it either.
    assert "/releases/" not in body
    assert "/accounts/logout/" not in body


def test_signed_in_staff_see_the_same_public_page(client, author, viewer):
    release = make_release(author)
    client.force_login(viewer)
    response = client.get(detail_url(release, "hy"))
    assert response.status_code == 200
    assert TITLES["hy"] in response.content.decode()


# --- Languages ------------------------------------------------------------------------


def test_each_language_shows_its_own_version(client, author):
    release = make_release(author)
    for language in LANGS:
        response = client.get(detail_url(release, language))
        assert response.status_code == 200
        assert response["Content-Language"] == language
        tree = page(response)
        assert tree.get("lang") == language
        assert tree.xpath("string(//h1)").strip() == TITLES[language]
        # Its own version needs no lang of its own.
        assert tree.xpath("//h1/@lang") == []
        others = set(LANGS) - {language}
        assert not any(TITLES[other] in response.content.decode() for other in others)


def test_missing_version_falls_back_and_is_marked(client, author):
    release = make_release(author, titles={"ka": TITLES["ka"], "en": TITLES["en"]})
    response = client.get(detail_url(release, "hy"))
    tree = page(response)
    assert tree.get("lang") == "hy"
    assert tree.xpath("string(//h1)").strip() == TITLES["en"]
    assert tree.xpath("//h1/@lang") == ["en"]
    assert tree.xpath('//div[contains(@class, "newsroom-content")]/@lang') == ["en"]
    # The interface stays Armenian.
    assert "Անցնել հիմնական բովանդակությանը" in response.content.decode()
    listing = page(client.get("/newsroom/hy/"))
    assert listing.xpath("//article/@lang") == ["en"]
    assert TITLES["en"] in listing.xpath("string(//article//h2)")


def test_fallback_order_comes_from_the_settings(client, author, settings):
    settings.PRESSRELEASES_LANGUAGE_FALLBACKS = ["ka", "en", "hy"]
    release = make_release(author, titles={"ka": TITLES["ka"], "en": TITLES["en"]})
    tree = page(client.get(detail_url(release, "hy")))
    assert tree.xpath("string(//h1)").strip() == TITLES["ka"]
    assert tree.xpath("//h1/@lang") == ["ka"]


def test_language_switch_links_keep_the_search(client, author):
    make_release(author)
    tree = page(client.get("/newsroom/ka/", {"q": "park"}))
    links = tree.xpath('//nav[contains(@class, "newsroom-languages")]//a')
    assert {(a.get("hreflang"), a.get("href")) for a in links} == {
        ("hy", "/newsroom/hy/?q=park"),
        ("en", "/newsroom/en/?q=park"),
    }


def test_detail_language_switch_points_to_the_same_release(client, author):
    release = make_release(author)
    tree = page(client.get(detail_url(release, "en")))
    links = tree.xpath('//nav[contains(@class, "newsroom-languages")]//a/@href')
    assert sorted(links) == [detail_url(release, "hy"), detail_url(release, "ka")]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"HTTP_ACCEPT_LANGUAGE": "hy-AM,hy;q=0.9,en;q=0.5"}, "/newsroom/hy/"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, "/newsroom/en/"),
        ({"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}, "/newsroom/ka/"),
        ({}, "/newsroom/ka/"),
    ],
)
def test_newsroom_root_redirects_by_browser_language(client, headers, expected):
    response = client.get("/newsroom/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]


def test_language_cookie_beats_the_browser(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/newsroom/", HTTP_ACCEPT_LANGUAGE="hy")
    assert response["Location"] == "/newsroom/en/"


# --- Addresses ------------------------------------------------------------------------


def test_wrong_slug_redirects_permanently(client, author):
    release = make_release(author, slug="new-park")
    response = client.get(f"/newsroom/en/{release.pk}/old-title/")
    assert response.status_code == 301
    assert response["Location"] == f"/newsroom/en/{release.pk}/new-park/"


def test_empty_slug_uses_a_dash(client, author):
    release = make_release(author, slug="")
    response = client.get(f"/newsroom/ka/{release.pk}/anything/")
    assert response.status_code == 301
    assert response["Location"] == f"/newsroom/ka/{release.pk}/-/"
    assert client.get(response["Location"]).status_code == 200


def test_slug_that_looks_like_a_subpage_gets_its_own_address(client, author):
    release = make_release(author, slug="pdf")
    assert newsroom.url_slug(release) == "pdf-release"
    url = newsroom.release_path(release, "ka")
    assert url == f"/newsroom/ka/{release.pk}/pdf-release/"
    assert client.get(url).status_code == 200


# --- List, search, tags ---------------------------------------------------------------


def test_search_finds_across_scripts(client, author):
    make_release(author, titles={"ka": "თბილისის ბიუჯეტი"}, slug="budget")
    make_release(author, titles={"hy": "Երևանի նոր դպրոց"}, slug="school")
    make_release(author, titles={"en": "Batumi harbour"}, slug="harbour")

    def titles(query, language="ka"):
        tree = page(client.get(f"/newsroom/{language}/", {"q": query}))
        return [h.text_content().strip() for h in tree.xpath("//article//h2")]

    assert titles("tbilisi") == ["თბილისის ბიუჯეტი"]
    assert titles("ბიუჯეტი") == ["თბილისის ბიუჯეტი"]
    assert titles("yerevan", "en") == ["Երևանի նոր դպրոց"]
    assert titles("ԵՐԵՎԱՆ") == ["Երևանի նոր դպրոց"]
    assert titles("batumi harbour") == ["Batumi harbour"]
    assert titles("batumi tbilisi") == []
    empty = client.get("/newsroom/ka/", {"q": "nothing-like-this"})
    assert "newsroom-empty" in empty.content.decode()


def test_search_does_not_find_what_is_not_public(client, author):
    make_release(
        author,
        titles={"ka": "თბილისის საიდუმლო"},
        embargo_until=timezone.now() + HOUR,
    )
    body = client.get("/newsroom/ka/", {"q": "tbilisi"}).content.decode()
    assert "საიდუმლო" not in body
    assert "newsroom-empty" in body


def test_tag_filter(client, author):
    health = make_tag("health", "ჯანდაცვა", "Առողջապահություն", "Health")
    budget = make_tag("budget", "ბიუჯეტი", "Բյուջե", "Budget")
    make_release(author, titles={"en": "Clinic opens"}, tags=[health], slug="a")
    make_release(author, titles={"en": "Budget passes"}, tags=[budget], slug="b")
    make_release(
        author,
        titles={"en": "Hidden clinic"},
        tags=[health],
        slug="c",
        embargo_until=timezone.now() + HOUR,
    )
    # An unused tag is not offered.
    make_tag("sport", "სპორტი", "Սպորտ", "Sport")

    tree = page(client.get("/newsroom/en/", {"tag": "health"}))
    assert [h.text_content().strip() for h in tree.xpath("//article//h2")] == [
        "Clinic opens"
    ]
    options = tree.xpath('//select[@name="tag"]/option')
    assert [(o.get("value"), o.text.strip()) for o in options] == [
        ("", "All topics"),
        ("budget", "Budget"),
        ("health", "Health"),
    ]
    assert tree.xpath('//select[@name="tag"]/option[@selected]/@value') == ["health"]
    # Tag names follow the page language.
    georgian = client.get("/newsroom/ka/", {"tag": "budget"}).content.decode()
    assert "ბიუჯეტი" in georgian
    assert "Budget passes" in georgian


def test_list_is_paginated(client, author):
    for number in range(newsroom.PAGE_SIZE + 1):
        make_release(
            author,
            titles={"en": f"Release number {number:02d}"},
            slug=f"r{number}",
            published_at=timezone.now() - timedelta(minutes=number + 1),
        )
    first = page(client.get("/newsroom/en/"))
    assert len(first.xpath("//article")) == newsroom.PAGE_SIZE
    second = page(client.get("/newsroom/en/", {"page": 2}))
    assert [h.text_content().strip() for h in second.xpath("//article//h2")] == [
        f"Release number {newsroom.PAGE_SIZE:02d}"
    ]


def test_list_page_has_feed_links_and_search_label(client, author):
    make_release(author)
    tree = page(client.get("/newsroom/hy/"))
    assert tree.get("lang") == "hy"
    assert tree.xpath('//link[@type="application/rss+xml"]/@href') == [
        "/newsroom/hy/rss/"
    ]
    assert tree.xpath('//link[@type="application/atom+xml"]/@href') == [
        "/newsroom/hy/atom/"
    ]
    assert tree.xpath('//label[@for="newsroom-q"]')
    assert "Kutaisi City Hall" in tree.xpath("string(//header)")
    hreflangs = {
        link.get("hreflang"): link.get("href")
        for link in tree.xpath('//link[@rel="alternate"][@hreflang]')
    }
    assert hreflangs == {
        "ka": "https://press.example.ge/newsroom/ka/",
        "en": "https://press.example.ge/newsroom/en/",
    }


# --- The release page -----------------------------------------------------------------


@pytest.fixture
def full_release(author):
    event_type = EventType.objects.get(code="press-conference")
    start = timezone.now() - timedelta(days=1)
    event = Event.objects.create(
        event_type=event_type,
        title_ka="პრესკონფერენცია პარკის შესახებ",
        title_hy="Մամուլի ասուլիս այգու մասին",
        title_en="Press conference on the park",
        starts_at=start,
        ends_at=start + HOUR,
    )
    person = Person.objects.create(
        first_name="ეკა",
        last_name="ლომიძე",
        first_name_latin="Eka",
        last_name_latin="Lomidze",
        position="Press officer",
        language="ka",
        notes="Private note about Eka",
    )
    PersonEmail.objects.create(
        person=person, email="bounced@example.ge", bounced_at=timezone.now()
    )
    PersonEmail.objects.create(person=person, email="eka@example.ge", is_primary=True)
    PersonPhone.objects.create(person=person, number="+995322123456", is_primary=True)
    tag = make_tag("parks", "პარკები", "Այգիներ", "Parks")
    release = make_release(
        author,
        titles={"ka": TITLES["ka"], "en": TITLES["en"]},
        tags=[tag],
        event=event,
        contact_person=person,
    )
    make_attachment(release, "park.jpg")
    make_attachment(release, "plan.pdf", content=b"%PDF-1.4 plan")
    make_attachment(release, "internal.pdf", public=False, content=b"secret")
    return release


def test_release_page_content(client, full_release):
    response = client.get(detail_url(full_release, "en"))
    body = response.content.decode()
    tree = page(response)
    assert tree.xpath("string(//h1)").strip() == TITLES["en"]
    assert full_release.lead_en in body
    assert "<p>" + TITLES["en"] + " — body (en)</p>" in body
    assert "Press conference on the park" in body
    assert "Parks" in body
    # Contact: Latin name on the English page, a working address, no notes.
    assert "Eka Lomidze" in body
    assert "eka@example.ge" in body
    assert "bounced@example.ge" not in body
    assert "Private note" not in body
    # Public attachments with download links; the internal one is absent.
    links = tree.xpath('//section[contains(@class, "newsroom-attachments")]//a')
    assert [a.text_content() for a in links] == ["park.jpg", "plan.pdf"]
    assert "internal.pdf" not in body
    assert tree.xpath(f'//a[@href="/newsroom/en/{full_release.pk}/pdf/"]')
    date = tree.xpath("//time/@datetime")[0]
    assert date.startswith(
        timezone.localtime(full_release.public_from).date().isoformat()
    )
    # Headings in order: one h1, then h2.
    levels = [el.tag for el in tree.xpath("//h1|//h2|//h3")]
    assert levels[0] == "h1" and levels.count("h1") == 1
    georgian = client.get(detail_url(full_release, "ka")).content.decode()
    assert "ეკა ლომიძე" in georgian
    assert "პრესკონფერენცია პარკის შესახებ" in georgian


def test_opengraph_and_alternates(client, full_release):
    tree = page(client.get(detail_url(full_release, "ka")))
    site = "https://press.example.ge"
    assert meta(tree, "og:title") == [TITLES["ka"]]
    assert meta(tree, "og:description") == [full_release.lead_ka]
    assert meta(tree, "og:type") == ["article"]
    assert meta(tree, "og:url") == [site + detail_url(full_release, "ka")]
    assert meta(tree, "og:locale") == ["ka_GE"]
    assert meta(tree, "og:locale:alternate") == ["en_US"]
    image = next(a for a in full_release.attachments.all() if a.is_image)
    assert meta(tree, "og:image") == [
        f"{site}/newsroom/ka/{full_release.pk}/files/{image.pk}/"
    ]
    published = meta(tree, "article:published_time")[0]
    assert timezone.datetime.fromisoformat(
        published
    ) == full_release.public_from.replace(microsecond=0)
    assert tree.xpath('//link[@rel="canonical"]/@href') == [
        site + detail_url(full_release, "ka")
    ]
    hreflangs = {
        link.get("hreflang"): link.get("href")
        for link in tree.xpath('//link[@rel="alternate"][@hreflang]')
    }
    # Only the versions that exist: there is no Armenian one.
    assert hreflangs == {"en": site + detail_url(full_release, "en")}
    assert tree.xpath('//link[@type="application/rss+xml"]/@href') == [
        "/newsroom/ka/rss/"
    ]
    assert tree.xpath('//link[@type="application/atom+xml"]/@href') == [
        "/newsroom/ka/atom/"
    ]


def test_opengraph_description_is_plain_text_and_no_image_without_one(client, author):
    release = make_release(author, titles={"en": "Only English"})
    release.lead_en = ""
    release.body_en = "<p>First <strong>bold</strong> words.</p>"
    release.save()
    tree = page(client.get(detail_url(release, "en")))
    assert meta(tree, "og:description") == ["First bold words."]
    assert meta(tree, "og:image") == []
    assert meta(tree, "og:locale:alternate") == []
    # On the Armenian page the content is English: og:locale says so.
    armenian = page(client.get(detail_url(release, "hy")))
    assert meta(armenian, "og:locale") == ["en_US"]
    assert armenian.get("lang") == "hy"


def test_print_stylesheet_exists():
    from django.contrib.staticfiles import finders

    path = finders.find("pressreleases/newsroom.css")
    css = Path(path).read_text(encoding="utf-8")
    assert "@media print" in css
    assert ".newsroom-search" in css.split("@media print")[1]
    assert "uppercase" not in css


# --- Attachments and PDF --------------------------------------------------------------


def test_public_attachment_downloads(client, full_release):
    attachment = full_release.attachments.get(original_name="plan.pdf")
    response = client.get(f"/newsroom/ka/{full_release.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_attachment_name_in_georgian_is_kept(client, author):
    release = make_release(author)
    attachment = make_attachment(release, "გეგმა.pdf", content=b"plan")
    response = client.get(f"/newsroom/ka/{release.pk}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_attachments_that_are_not_public_are_not_found(client, author, full_release):
    internal = full_release.attachments.get(original_name="internal.pdf")
    public = full_release.attachments.get(original_name="plan.pdf")
    base = f"/newsroom/ka/{full_release.pk}/files"
    assert client.get(f"{base}/{internal.pk}/").status_code == 404

    # A public attachment asked for under another release's address.
    other = make_release(author, slug="other")
    assert client.get(f"/newsroom/ka/{other.pk}/files/{public.pk}/").status_code == 404

    # A public attachment of a release under embargo, or withdrawn.
    embargoed = make_release(author, embargo_until=timezone.now() + HOUR)
    hidden = make_attachment(embargoed, "early.pdf")
    assert (
        client.get(f"/newsroom/ka/{embargoed.pk}/files/{hidden.pk}/").status_code == 404
    )
    full_release.status = Status.WITHDRAWN
    full_release.withdrawn_at = timezone.now()
    full_release.save()
    assert client.get(f"{base}/{public.pk}/").status_code == 404


def test_pdf_download(client, author, monkeypatch):
    from pressreleases import pdf

    calls = []

    def fake_pdf(release, language):
        calls.append((release.pk, language))
        return b"%PDF-fake"

    monkeypatch.setattr(pdf, "release_pdf", fake_pdf)
    monkeypatch.setattr(
        pdf, "release_pdf_filename", lambda release, language: f"release-{language}.pdf"
    )
    release = make_release(author)
    response = client.get(f"/newsroom/hy/{release.pk}/pdf/")
    assert response.status_code == 200
    assert response.content == b"%PDF-fake"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="release-hy.pdf"'
    assert calls == [(release.pk, "hy")]

    hidden = make_release(author, embargo_until=timezone.now() + HOUR)
    assert client.get(f"/newsroom/hy/{hidden.pk}/pdf/").status_code == 404
    assert len(calls) == 1


# --- Feeds ----------------------------------------------------------------------------


@pytest.fixture
def feed_releases(author):
    tag = make_tag("parks", "პარკები", "Այգիներ", "Parks")
    now = timezone.now()
    full = make_release(author, tags=[tag], published_at=now - HOUR, slug="full")
    # No Armenian version: the Armenian feed carries the English one.
    partial = make_release(
        author,
        titles={"ka": "ბათუმის პორტი", "en": "Batumi port"},
        published_at=now - 2 * HOUR,
        slug="port",
    )
    make_release(
        author, titles={"en": "Embargoed"}, embargo_until=now + HOUR, slug="emb"
    )
    make_release(
        author,
        titles={"en": "Withdrawn"},
        status=Status.WITHDRAWN,
        withdrawn_at=now,
        slug="wd",
    )
    make_release(author, titles={"en": "Draft"}, status=Status.DRAFT, published_at=None)
    return full, partial


EXPECTED_TITLES = {
    "ka": [TITLES["ka"], "ბათუმის პორტი"],
    "hy": [TITLES["hy"], "Batumi port"],
    "en": [TITLES["en"], "Batumi port"],
}


@pytest.mark.parametrize("language", LANGS)
def test_rss_feed_validates(client, feed_releases, language):
    full = feed_releases[0]
    content = _rss(client, language).content
    parsed = feedparser.parse(content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.language == language
    assert "Kutaisi City Hall" in parsed.feed.title
    assert parsed.feed.link == f"https://press.example.ge/newsroom/{language}/"
    assert [entry.title for entry in parsed.entries] == EXPECTED_TITLES[language]
    first = parsed.entries[0]
    assert first.link == "https://press.example.ge" + detail_url(full, language)
    assert first.summary == getattr(full, f"lead_{language}")
    assert [t.term for t in first.tags] == [
        {"ka": "პარკები", "hy": "Այգիներ", "en": "Parks"}[language]
    ]
    assert first.published_parsed is not None
    assert len({entry.id for entry in parsed.entries}) == 2

    channel = _xml(content).find("channel")
    for name in ("title", "link", "description", "language"):
        assert (channel.findtext(name) or "").strip(), name
    items = channel.findall("item")
    assert len(items) == 2
    for item in items:
        for name in ("title", "link", "description", "guid", "pubDate"):
            assert (item.findtext(name) or "").strip(), name
        assert item.find("guid").get("isPermaLink") == "false"


@pytest.mark.parametrize("language", LANGS)
def test_atom_feed_validates(client, feed_releases, language):
    full = feed_releases[0]
    content = _atom(client, language).content
    parsed = feedparser.parse(content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [entry.title for entry in parsed.entries] == EXPECTED_TITLES[language]
    assert parsed.entries[0].link == "https://press.example.ge" + detail_url(
        full, language
    )

    root = _xml(content)
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    for name in ("id", "updated", "title"):
        assert (root.findtext(f"{ATOM}{name}") or "").strip(), name
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Kutaisi City Hall"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for name in ("id", "updated", "title", "published"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), name
    # The entry shown in a fallback version says which language it is in.
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [entry.get(xml_lang) for entry in entries] == [
        None,
        "en" if language == "hy" else None,
    ]
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert ids[0].startswith("tag:press.example.ge,")
    assert ids[0].endswith(f":newsroom/release/{full.pk}/{language}")


def test_feed_is_limited_to_the_latest(client, author, monkeypatch):
    monkeypatch.setattr(newsroom, "FEED_SIZE", 2)
    for number in range(3):
        make_release(
            author,
            titles={"en": f"Release {number}"},
            slug=f"r{number}",
            published_at=timezone.now() - timedelta(minutes=number + 1),
        )
    parsed = feedparser.parse(_rss(client, "en").content)
    assert [entry.title for entry in parsed.entries] == ["Release 0", "Release 1"]


def test_empty_feeds_still_validate(client, db):
    for language in LANGS:
        assert feedparser.parse(_rss(client, language).content).bozo == 0
        atom = _xml(_atom(client, language).content)
        assert atom.findtext(f"{ATOM}updated")


def test_feed_has_no_staff_names(client, feed_releases):
    for response in (_rss(client, "en"), _atom(client, "en")):
        assert b"author-nino" not in response.content


# --- Query counts ---------------------------------------------------------------------


def _fill(author, count, tags):
    for number in range(count):
        release = make_release(
            author, titles={"ka": f"რელიზი {number}"}, slug=f"r{number}", tags=tags
        )
        make_attachment(release, f"file{number}.pdf")


def test_list_page_query_count(client, author, django_assert_num_queries):
    tags = [
        make_tag("a", "ა", "Ա", "A"),
        make_tag("b", "ბ", "Բ", "B"),
    ]
    _fill(author, 3, tags)
    # Count, page, the page's tags, the tags on offer.
    with django_assert_num_queries(4):
        response = client.get("/newsroom/ka/")
    assert len(page(response).xpath("//article")) == 3
    _fill(author, 10, tags)
    with django_assert_num_queries(4):
        response = client.get("/newsroom/en/", {"q": "relizi", "tag": "a"})
    assert len(page(response).xpath("//article")) == 13


def test_detail_page_query_count(client, full_release, django_assert_num_queries):
    # The release (with event and contact), tags, attachments, emails, phones.
    with django_assert_num_queries(5):
        response = client.get(detail_url(full_release, "en"))
    assert response.status_code == 200
    assert "eka@example.ge" in response.content.decode()


def test_feed_query_count(client, author, django_assert_num_queries):
    tags = [make_tag("a", "ა", "Ա", "A")]
    _fill(author, 5, tags)
    # The releases and their tags.
    with django_assert_num_queries(2):
        _rss(client, "ka")
