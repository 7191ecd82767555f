"""The demo year of press releases: realistic, consistent, and seeded only once."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from contacts.demo import seed_contacts
from contacts.models import Interaction
from events.demo import seed_events
from prapp.demo import seed_staff
from prapp.html import sanitize
from prapp.text import contains_mtavruli, search_q
from pressreleases.demo import TAGS, seed_pressreleases
from pressreleases.models import (
    Delivery,
    Distribution,
    PressRelease,
    ReleaseComment,
    ReleaseVersion,
    Tag,
)
from pressreleases.pdf import release_pdf

Status = PressRelease.Status
MODELS = (
    PressRelease,
    ReleaseVersion,
    ReleaseComment,
    Tag,
    Distribution,
    Delivery,
    Interaction,
)
GEORGIAN = re.compile("[\u10d0-\u10ff]")
ARMENIAN = re.compile("[\u0531-\u058f]")
OUT = (Status.SENT, Status.PUBLISHED, Status.WITHDRAWN)


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def world(db):
    seed_staff()
    seed_contacts(people=40)
    seed_events()


def _texts(release) -> list[str]:
    return [
        getattr(release, f"{part}_{code}") or ""
        for part in ("title", "lead", "body")
        for code in ("ka", "hy", "en")
    ]


def test_a_year_of_releases_seeded_once(world):
    out = StringIO()
    created = seed_pressreleases(stdout=out)

    assert 55 <= created <= 80
    assert f"Press releases: {created} new" in out.getvalue()
    before = _counts()
    assert seed_pressreleases() == 0
    assert _counts() == before

    releases = list(PressRelease.objects.prefetch_related("versions", "tags"))
    now = timezone.now()
    first = min(r.created_at for r in releases)
    last = max(r.created_at for r in releases)
    assert now - first >= timedelta(days=300)
    assert now - first <= timedelta(days=370)
    assert now - last <= timedelta(days=5)
    # Every month of the year has releases.
    months = {(r.created_at.year, r.created_at.month) for r in releases}
    assert len(months) >= 12

    statuses = [r.status for r in releases]
    assert statuses.count(Status.SENT) > len(releases) / 2
    assert {Status.PUBLISHED, Status.WITHDRAWN, Status.IN_REVIEW, Status.DRAFT} <= set(
        statuses
    )
    approved = [r for r in releases if r.status == Status.APPROVED]
    assert len(approved) == 1 and approved[0].under_embargo()


def test_demo_releases_are_consistent(world):
    seed_pressreleases()
    manager_name = "nino.beridze"
    now = timezone.now()

    for release in PressRelease.objects.select_related("approved_by", "author"):
        assert release.has_language("ka")
        assert release.slug and release.search_key
        assert release.tags.exists()
        assert release.created_at <= release.updated_at <= now
        versions = list(release.versions.order_by("number"))
        assert [v.number for v in versions] == list(range(1, release.version + 1))
        assert versions[-1].content["title_ka"] == release.title_ka
        assert all(v.created_at >= release.created_at for v in versions)
        assert release.author.username != manager_name
        if release.status in OUT:
            assert release.published_at and release.sent_at
            assert release.submitted_at <= release.approved_at <= release.published_at
            assert release.published_at <= release.sent_at <= now
            assert release.approved_by.username == manager_name
            assert release.approved_version == release.version
            distribution = release.distributions.get()
            assert distribution.status == Distribution.Status.DONE
            assert distribution.total == release.deliveries.count() > 0
            assert not release.deliveries.exclude(status="sent").exists()
            assert not release.deliveries.filter(sent_at__isnull=True).exists()
        else:
            assert release.published_at is None and release.sent_at is None
            assert not release.distributions.exists()
        if release.status == Status.WITHDRAWN:
            assert release.withdrawn_reason and release.withdrawn_at
            assert not release.is_public()
        elif release.status in (Status.SENT, Status.PUBLISHED):
            assert release.is_public()
        if release.status in (Status.DRAFT, Status.IN_REVIEW):
            assert release.approved_by is None and release.approved_version is None
        if release.status == Status.DRAFT:
            assert release.submitted_at is None
        for text in _texts(release):
            assert not contains_mtavruli(text)
        for code in ("ka", "hy", "en"):
            body = getattr(release, f"body_{code}") or ""
            assert sanitize(body) == body
            assert "{" not in body and "}" not in body
            assert "{" not in (getattr(release, f"title_{code}") or "")

    for comment in ReleaseComment.objects.all():
        assert not contains_mtavruli(comment.body)
    for tag in Tag.objects.filter(slug__in=[row[0] for row in TAGS]):
        assert tag.name_ka and tag.name_hy and tag.name_en
        assert GEORGIAN.search(tag.name_ka) and ARMENIAN.search(tag.name_hy)
        assert not contains_mtavruli(tag.name_ka)

    # A demo release prints.
    release = PressRelease.objects.filter(
        status=Status.SENT, title_hy__gt="", event__isnull=True
    ).first()
    assert release_pdf(release, "hy").startswith(b"%PDF")


def test_languages_search_history_and_events(world, settings):
    settings.PRESSRELEASES_LANGUAGE_FALLBACKS = ["en", "ka", "hy"]
    seed_pressreleases()
    releases = list(PressRelease.objects.all())

    with_hy = [r for r in releases if r.has_language("hy")]
    only_ka = [r for r in releases if r.languages == ["ka"]]
    assert len(with_hy) > len(releases) * 0.6
    assert len(only_ka) >= 3
    assert any(r.languages == ["ka", "en"] for r in releases)
    for release in with_hy:
        assert ARMENIAN.search(release.title_hy) and ARMENIAN.search(release.body_hy)
    for release in releases:
        assert GEORGIAN.search(release.title_ka) and GEORGIAN.search(release.body_ka)
        assert "<p>" in release.body_ka
    assert any("<ul>" in r.body_ka for r in releases)

    # A release without Armenian reached Armenian readers in a fallback version.
    lacking = next(
        r
        for r in releases
        if r.status == Status.SENT
        and not r.has_language("hy")
        and r.deliveries.exists()
    )
    hy_deliveries = lacking.deliveries.filter(person__language="hy")
    assert hy_deliveries.exists()
    assert set(hy_deliveries.values_list("language", flat=True)) <= {"en", "ka"}
    assert lacking.deliveries.filter(person__language="ka", language="ka").exists()

    # Cross-script search: a Latin query finds the Georgian and Armenian texts.
    found = PressRelease.objects.filter(search_q("search_key", "ქუთაისი"))
    assert found.filter(title_en__icontains="Kutaisi").exists()
    assert PressRelease.objects.filter(search_q("search_key", "kutaisi")).count() == (
        found.count()
    )

    # Journalists' contact history shows the releases they were sent.
    sent = Interaction.objects.filter(kind=Interaction.Kind.RELEASE_SENT)
    assert sent.count() == Delivery.objects.count()
    entry = sent.first()
    release = PressRelease.objects.get(pk=entry.source.split(":")[1])
    assert entry.source == f"pressreleases.release:{release.pk}"
    assert release.deliveries.filter(person=entry.person).exists()

    # The held demo events have their follow-up release, linked.
    linked = PressRelease.objects.filter(event__isnull=False)
    assert linked.exists()
    for release in linked:
        assert release.title_ka == release.event.title_ka
        assert release.published_at >= release.event.starts_at

    assert PressRelease.objects.filter(contact_person__isnull=False).count() == (
        PressRelease.objects.count()
    )
    assert ReleaseComment.objects.exists()


@pytest.mark.django_db
def test_demo_without_contacts_or_events_still_works():
    created = seed_pressreleases()

    assert created >= 55
    assert not Distribution.objects.exists()
    assert not PressRelease.objects.filter(event__isnull=False).exists()
    assert PressRelease.objects.filter(status=Status.SENT).count() > 30
    assert seed_pressreleases() == 0


@pytest.mark.django_db
def test_seed_demo_command_adds_the_releases_once():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    count = PressRelease.objects.count()
    assert f"new press releases: {count}" in out.getvalue()
    assert "Press releases:" in out.getvalue()

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "new press releases: 0" in out.getvalue()
    assert PressRelease.objects.count() == count
