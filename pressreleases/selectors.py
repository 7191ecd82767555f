"""Reads of the press releases app that are reused or not trivial."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from contacts.selectors import recipients
from prapp.text import search_q
from pressreleases.models import (
    Delivery,
    Distribution,
    PressRelease,
    ReleaseAttachment,
    ReleaseComment,
    ReleaseVersion,
)
from pressreleases.services import audience_people

LIST_SORTS = {
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "-published": ("-published_at", "-pk"),
}


def releases_filtered(params, *, user=None) -> QuerySet:
    """The staff list: status, tag, author ("mine"), free text in any script."""
    releases = PressRelease.objects.select_related("author", "approved_by")
    status = params.get("status") or ""
    if status == "to_review":
        releases = releases.filter(status=PressRelease.Status.IN_REVIEW)
    elif status in PressRelease.Status.values:
        releases = releases.filter(status=status)
    tag = params.get("tag") or ""
    if tag.isdigit():
        releases = releases.filter(tags=int(tag))
    if params.get("mine") and user is not None:
        releases = releases.filter(author=user)
    text = (params.get("q") or "").strip()
    if text:
        releases = releases.filter(search_q("search_key", text))
    sort = LIST_SORTS.get(params.get("sort") or "", LIST_SORTS["-created"])
    return releases.order_by(*sort)


def release_for_detail(pk: int) -> PressRelease:
    """A release with what its page shows, in a fixed number of queries."""
    return (
        PressRelease.objects.select_related(
            "author", "approved_by", "contact_person", "event"
        )
        .prefetch_related(
            "tags",
            Prefetch(
                "attachments",
                queryset=ReleaseAttachment.objects.order_by("pk"),
            ),
            Prefetch(
                "comments",
                queryset=ReleaseComment.objects.select_related("author").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "versions",
                queryset=ReleaseVersion.objects.select_related("author").order_by(
                    "-number"
                ),
            ),
            Prefetch(
                "distributions",
                queryset=Distribution.objects.select_related("created_by")
                .prefetch_related("lists", "groups")
                .order_by("-created_at"),
            ),
        )
        .get(pk=pk)
    )


def release_unknown_deliveries(release: PressRelease) -> QuerySet:
    """Messages whose fate nobody knows (a worker died mid-send): a person decides."""
    return (
        release.deliveries.filter(status=Delivery.Status.UNKNOWN)
        .select_related("person", "distribution")
        .order_by("claimed_at", "pk")
    )


def release_failed_deliveries(release: PressRelease) -> QuerySet:
    return release.deliveries.filter(status=Delivery.Status.FAILED).order_by("pk")


def review_queue_count() -> int:
    return PressRelease.objects.filter(status=PressRelease.Status.IN_REVIEW).count()


@dataclass
class AudiencePreview:
    """Who a send would reach, before anything is written."""

    chosen: int
    to_send: int
    left_out: int
    already_received: int
    by_language: dict
    # Of those to send, the contacts trusted with releases under embargo.
    early: int


def audience_preview(
    *, release: PressRelease, lists=(), groups=(), people=()
) -> AudiencePreview:
    """Count the people a send reaches, those left out, and who already got it."""
    audience = audience_people(lists=lists, groups=groups, people=people)
    chosen = recipients(audience)
    received = set(
        Delivery.objects.filter(release=release)
        .exclude(status=Delivery.Status.CANCELLED)
        .values_list("email_key", flat=True)
    )
    fresh = [r for r in chosen if r.email.strip().lower() not in received]
    trusted = set(audience.filter(receives_embargoed=True).values_list("pk", flat=True))
    by_language: dict[str, int] = {}
    for recipient in fresh:
        version = release.language_for(recipient.language)
        by_language[version] = by_language.get(version, 0) + 1
    total = audience.count()
    return AudiencePreview(
        chosen=total,
        to_send=len(fresh),
        left_out=max(total - len(chosen), 0),
        already_received=len(chosen) - len(fresh),
        by_language=by_language,
        early=sum(1 for r in fresh if r.person_id in trusted),
    )


def status_counts() -> dict[str, int]:
    """How many releases are in each state, for the list's filter bar."""
    rows = PressRelease.objects.values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def versions_pair(release: PressRelease, old: int, new: int):
    """Two saved versions of a release, for the differences view."""
    rows = {
        v.number: v
        for v in ReleaseVersion.objects.filter(
            release=release, number__in=[old, new]
        ).select_related("author")
    }
    return rows.get(old), rows.get(new)


def deliveries_for_person(person) -> QuerySet:
    return (
        Delivery.objects.filter(person=person)
        .filter(~Q(status=Delivery.Status.CANCELLED))
        .select_related("release")
        .order_by("-pk")
    )
