"""Reads of the archive: the filtered grid, one asset, albums, appearances, storage.

The grid orders by (-uploaded_at, -id), the ``archive_asset_newest`` index, and
pages with keyset cursors (contacts.selectors.keyset_page): the 5,000th page of
100,000 assets costs what the first does.
"""

import hashlib
from datetime import timedelta
from types import SimpleNamespace

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from archive.models import Album, ArchiveTag, Asset, MediaAppearance
from contacts.models import Organisation
from contacts.selectors import _cursor_encode
from events.models import Event
from prapp.selectors import local_midnight, query_day, query_ids, query_values
from prapp.text import search_q

PAGE_SIZE = 48
ALBUM_PAGE_SIZE = 24
APPEARANCE_PAGE_SIZE = 50
GRID_ORDER = ("-uploaded_at", "-id")
ASSET_FILTERS = (
    "q",
    "kind",
    "state",
    "date_by",
    "date_from",
    "date_to",
    "event",
    "album",
    "tag",
    "credit",
    "rights",
)
DATE_TAKEN = "taken"
DATE_UPLOADED = "uploaded"
RENDITION_NAMES = ("s", "m", "l", "poster")
# Sent to the press only when these hold (Asset.cleared_for_press says the same).
PRESS_RIGHTS = (Asset.Rights.PRESS, Asset.Rights.PUBLIC)
NO_PRESS_CONSENT = (Asset.Consent.PENDING, Asset.Consent.REFUSED)


# --- Parameters ------------------------------------------------------------------


def _date_range(queryset: QuerySet, field: str, first, last) -> QuerySet:
    if first:
        queryset = queryset.filter(**{f"{field}__gte": local_midnight(first)})
    if last:
        queryset = queryset.filter(
            **{f"{field}__lt": local_midnight(last + timedelta(days=1))}
        )
    return queryset


# --- The grid --------------------------------------------------------------------


def assets_filtered(params) -> QuerySet:
    """Assets matching the grid's filters (a QueryDict or a dict), newest first.

    ``q`` is searched on the romanised key, so Latin letters find Georgian and
    Armenian titles, captions, places and credits. ``date_by`` chooses whether
    the date range applies to the day taken or the day uploaded.
    """
    assets = Asset.objects.all()
    if query := " ".join(query_values(params, "q")):
        assets = assets.filter(search_q("search_text", query))
    if kinds := [k for k in query_values(params, "kind") if k in Asset.Kind.values]:
        assets = assets.filter(kind__in=kinds)
    if states := [s for s in query_values(params, "state") if s in Asset.State.values]:
        assets = assets.filter(state__in=states)
    if rights := [
        r for r in query_values(params, "rights") if r in Asset.Rights.values
    ]:
        assets = assets.filter(rights__in=rights)
    first, last = query_day(params, "date_from"), query_day(params, "date_to")
    if first or last:
        by_taken = query_values(params, "date_by") == [DATE_TAKEN]
        assets = _date_range(
            assets, "taken_at" if by_taken else "uploaded_at", first, last
        )
    if events := query_ids(params, "event"):
        assets = assets.filter(event_id__in=events)
    if albums := query_ids(params, "album"):
        assets = assets.filter(
            Exists(
                Asset.albums.through.objects.filter(
                    asset_id=OuterRef("pk"), album_id__in=albums
                )
            )
        )
    if tags := query_ids(params, "tag"):
        assets = assets.filter(
            Exists(
                Asset.tags.through.objects.filter(
                    asset_id=OuterRef("pk"), archivetag_id__in=tags
                )
            )
        )
    if credit := " ".join(query_values(params, "credit")):
        assets = assets.filter(credit__icontains=credit)
    return assets.order_by(*GRID_ORDER)


def for_grid(assets: QuerySet) -> QuerySet:
    """Only what a grid tile shows: no long texts for 48 tiles."""
    return assets.only(
        "pk",
        "kind",
        "state",
        "title",
        "title_ka",
        "title_hy",
        "title_en",
        "original_name",
        "renditions",
        "rights",
        "consent",
        "licence_expires",
        "uploaded_at",
        "taken_at",
        "width",
        "height",
        "duration_seconds",
    )


def cursor_at(asset: Asset) -> str:
    """A keyset cursor for the grid page that starts with ``asset``.

    Pages hold the rows strictly after their cursor; a cursor one id above the
    asset (same upload time) lets the asset itself open the page.
    """
    return _cursor_encode(
        SimpleNamespace(uploaded_at=asset.uploaded_at, id=asset.pk + 1),
        list(GRID_ORDER),
    )


def neighbours(assets: QuerySet, asset: Asset) -> tuple[Asset | None, Asset | None]:
    """The assets before (newer) and after (older) ``asset`` in the grid's order."""
    moment, pk = asset.uploaded_at, asset.pk
    newer = (
        assets.filter(Q(uploaded_at__gt=moment) | Q(uploaded_at=moment, id__gt=pk))
        .order_by("uploaded_at", "id")
        .only("pk", "uploaded_at")
        .first()
    )
    older = (
        assets.filter(Q(uploaded_at__lt=moment) | Q(uploaded_at=moment, id__lt=pk))
        .order_by(*GRID_ORDER)
        .only("pk", "uploaded_at")
        .first()
    )
    return newer, older


def rendition_url(asset: Asset, size: str) -> str:
    """The permission-checked address of a rendition, or "" when it has none.

    The address changes when the rendition's file does (``?v=``), so browsers
    may keep it for long.
    """
    path = (asset.renditions or {}).get(size)
    if not path:
        return ""
    version = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    return f"{reverse('archive:rendition', args=[asset.pk, size])}?v={version}"


def cleared_for_press(queryset: QuerySet) -> QuerySet:
    """The assets of ``queryset`` that may go to journalists.

    The database's version of ``Asset.cleared_for_press``: ready, press or
    public rights, consent not pending or refused, licence not expired.
    """
    today = timezone.localdate()
    return queryset.filter(
        Q(licence_expires__isnull=True) | Q(licence_expires__gte=today),
        state=Asset.State.READY,
        rights__in=PRESS_RIGHTS,
    ).exclude(consent__in=NO_PRESS_CONSENT)


def filter_events() -> QuerySet:
    """Events that have assets or albums, newest first, for filters and forms."""
    return (
        Event.objects.filter(
            Exists(Asset.objects.filter(event=OuterRef("pk")))
            | Exists(Album.objects.filter(event=OuterRef("pk")))
        )
        .only("pk", "title", "title_ka", "title_hy", "title_en", "starts_at")
        .order_by("-starts_at", "-pk")
    )


def filter_albums() -> QuerySet:
    """Every album, newest first, for the grid's filter and the bulk actions."""
    return Album.objects.only("pk", "title", "title_ka", "title_hy", "title_en")


def filter_tags() -> QuerySet:
    """Every tag, by name."""
    return ArchiveTag.objects.order_by("name", "pk")


# --- One asset -------------------------------------------------------------------


def asset_for_detail(pk: int) -> Asset:
    """One asset with its tags, albums, event, release, uploader and appearances."""
    return get_object_or_404(
        Asset.objects.select_related(
            "event", "release", "uploaded_by"
        ).prefetch_related(
            Prefetch("tags", queryset=ArchiveTag.objects.order_by("name", "pk")),
            Prefetch("albums", queryset=Album.objects.order_by("-created_at", "-pk")),
            Prefetch(
                "appearances",
                queryset=MediaAppearance.objects.select_related("outlet").order_by(
                    "-aired_at", "-pk"
                ),
            ),
        ),
        pk=pk,
    )


def duplicates_of(asset: Asset, limit: int = 20) -> list[Asset]:
    """Other assets with exactly the same content (SHA-256), oldest first."""
    if not asset.sha256:
        return []
    return list(
        Asset.objects.filter(sha256=asset.sha256)
        .exclude(pk=asset.pk)
        .only("pk", "title", "title_ka", "title_hy", "title_en", "original_name")
        .order_by("uploaded_at", "pk")[:limit]
    )


# --- Albums ----------------------------------------------------------------------


def albums_filtered(params) -> QuerySet:
    """Albums by event and words, newest first, with how many assets each holds."""
    albums = Album.objects.all()
    if query := " ".join(query_values(params, "q")):
        albums = albums.filter(search_q("search_text", query))
    if events := query_ids(params, "event"):
        albums = albums.filter(event_id__in=events)
    return (
        albums.select_related("event", "cover")
        .annotate(asset_count=Count("assets"))
        .order_by("-created_at", "-id")
    )


def album_for_detail(pk: int) -> Album:
    """One album with its event, cover and creator."""
    return get_object_or_404(
        Album.objects.select_related("event", "cover", "created_by"), pk=pk
    )


def album_assets(album: Album) -> QuerySet:
    """The album's assets in the grid's order."""
    return assets_filtered({"album": [str(album.pk)]})


# --- Media appearances -----------------------------------------------------------


def appearances_filtered(params) -> QuerySet:
    """Appearances by medium, outlet, date and words, latest aired first."""
    appearances = MediaAppearance.objects.all()
    if query := " ".join(query_values(params, "q")):
        appearances = appearances.filter(search_q("search_text", query))
    media = [
        m for m in query_values(params, "medium") if m in MediaAppearance.Medium.values
    ]
    if media:
        appearances = appearances.filter(medium__in=media)
    if outlets := query_ids(params, "outlet"):
        appearances = appearances.filter(outlet_id__in=outlets)
    appearances = _date_range(
        appearances,
        "aired_at",
        query_day(params, "date_from"),
        query_day(params, "date_to"),
    )
    return appearances.select_related("outlet", "person").order_by("-aired_at", "-id")


def appearance_for_detail(pk: int) -> MediaAppearance:
    """One appearance with its outlet, person and recording."""
    return get_object_or_404(
        MediaAppearance.objects.select_related(
            "outlet", "person", "recording", "created_by"
        ),
        pk=pk,
    )


def appearance_outlets() -> QuerySet:
    """Media outlets and any organisation already named on an appearance."""
    return Organisation.objects.filter(
        Q(kind=Organisation.Kind.MEDIA)
        | Exists(MediaAppearance.objects.filter(outlet=OuterRef("pk")))
    ).order_by("name", "pk")


def recordings(current: Asset | None = None, limit: int = 300) -> list[Asset]:
    """Recent videos and audio that can be an appearance's recording."""
    found = list(
        Asset.objects.filter(kind__in=(Asset.Kind.VIDEO, Asset.Kind.AUDIO))
        .only("pk", "title", "title_ka", "title_hy", "title_en", "original_name")
        .order_by(*GRID_ORDER)[:limit]
    )
    if current is not None and all(asset.pk != current.pk for asset in found):
        found.insert(0, current)
    return found


# --- Storage ---------------------------------------------------------------------


def storage_stats() -> dict:
    """Space taken by originals per year uploaded and per kind, in one query.

    ``{"total": {"bytes", "files"}, "by_year": [{"year", "bytes", "files",
    "kinds": {kind: {"bytes", "files"}}}], "by_kind": [{"kind", "label",
    "bytes", "files"}]}``; each year also has ``cells``, one per kind in the
    order of ``by_kind``. Years and kinds come from one GROUP BY; the
    renditions (small JPEGs) are not counted.
    """
    rows = (
        Asset.objects.annotate(year=ExtractYear("uploaded_at"))
        .values("year", "kind")
        .annotate(bytes=Sum("size"), files=Count("id"))
        .order_by("year", "kind")
    )
    years: dict[int, dict] = {}
    kinds = {
        kind: {"kind": kind, "label": label, "bytes": 0, "files": 0}
        for kind, label in Asset.Kind.choices
    }
    total = {"bytes": 0, "files": 0}
    for row in rows:
        size, files = row["bytes"] or 0, row["files"]
        year = years.setdefault(
            row["year"], {"year": row["year"], "bytes": 0, "files": 0, "kinds": {}}
        )
        year["bytes"] += size
        year["files"] += files
        year["kinds"][row["kind"]] = {"bytes": size, "files": files}
        kind = kinds.setdefault(
            row["kind"],
            {"kind": row["kind"], "label": row["kind"], "bytes": 0, "files": 0},
        )
        kind["bytes"] += size
        kind["files"] += files
        total["bytes"] += size
        total["files"] += files
    for year in years.values():
        # One cell per kind, in the order of by_kind, for a table.
        year["cells"] = [
            {"kind": kind, **year["kinds"].get(kind, {"bytes": 0, "files": 0})}
            for kind in kinds
        ]
    return {
        "total": total,
        "by_year": [years[year] for year in sorted(years)],
        "by_kind": list(kinds.values()),
    }
