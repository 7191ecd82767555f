"""Reads of the archive: filters, keyset pages, neighbours, press clearance, storage."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive import selectors
from archive.models import Asset, MediaAppearance
from contacts.models import Organisation
from contacts.selectors import keyset_page
from tests.events.factories import EventFactory

from .test_views import make_album, make_asset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _ids(queryset) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


# --- Filters -----------------------------------------------------------------------


def test_latin_letters_find_georgian_and_armenian_assets():
    georgian = make_asset(1, title_ka="ქუთაისის მერია", title_en="", renditions=False)
    armenian = make_asset(2, title_hy="Երևանի քաղաքապետարան", title_en="")
    make_asset(3, title_ka="ბათუმი", title_en="", renditions=False)
    assert _ids(selectors.assets_filtered({"q": "kutaisis"})) == [georgian.pk]
    assert _ids(selectors.assets_filtered({"q": "yerevani"})) == [armenian.pk]
    # Every word must match; the script of the query does not matter.
    assert _ids(selectors.assets_filtered({"q": "ქუთაისის meria"})) == [georgian.pk]
    assert _ids(selectors.assets_filtered({"q": "kutaisis batumi"})) == []


def test_filters_combine_and_nonsense_is_ignored():
    event = EventFactory()
    album = make_album()
    wanted = make_asset(
        1,
        kind="video",
        state="failed",
        rights="public",
        event=event,
        albums=[album],
        tags=["წყალდიდობა"],
        credit="Nino Beridze",
    )
    make_asset(2, kind="video", event=event)
    make_asset(3, albums=[album], rights="public")
    tag = wanted.tags.get()
    params = {
        "kind": "video",
        "state": "failed",
        "rights": "public",
        "event": str(event.pk),
        "album": str(album.pk),
        "tag": str(tag.pk),
        "credit": "beridze",
    }
    assert _ids(selectors.assets_filtered(params)) == [wanted.pk]
    nonsense = {"kind": "movie", "event": "abc", "date_from": "yesterday", "tag": "x"}
    assert len(_ids(selectors.assets_filtered(nonsense))) == 3


def test_the_date_range_applies_to_the_day_taken_or_uploaded():
    today = timezone.localdate()
    old_photo = make_asset(
        1, renditions=False, taken_at=timezone.now() - timedelta(days=3650)
    )
    new_photo = make_asset(2, renditions=False, taken_at=timezone.now())
    last_year = (today - timedelta(days=365)).isoformat()
    by_taken = {"date_by": "taken", "date_to": last_year}
    assert _ids(selectors.assets_filtered(by_taken)) == [old_photo.pk]
    # Both were uploaded today.
    uploaded_today = {"date_from": today.isoformat(), "date_to": today.isoformat()}
    assert set(_ids(selectors.assets_filtered(uploaded_today))) == {
        old_photo.pk,
        new_photo.pk,
    }
    assert _ids(selectors.assets_filtered({"date_to": last_year})) == []


# --- Keyset pages ------------------------------------------------------------------


@pytest.fixture
def many_assets():
    """130 assets; every ten share one upload time (ties broken by id)."""
    now = timezone.now()
    return [
        make_asset(n, renditions=False, uploaded_at=now - timedelta(minutes=n // 10))
        for n in range(130)
    ]


def _expected(assets) -> list[int]:
    ordered = sorted(assets, key=lambda a: (a.uploaded_at, a.pk), reverse=True)
    return [a.pk for a in ordered]


def test_keyset_pages_neither_overlap_nor_skip(many_assets):
    queryset = selectors.for_grid(selectors.assets_filtered({}))
    seen, cursor, pages = [], "", []
    while True:
        page = keyset_page(queryset, after=cursor, size=selectors.PAGE_SIZE)
        pages.append(page)
        seen += [a.pk for a in page.rows]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == _expected(many_assets)
    assert [len(p.rows) for p in pages] == [48, 48, 34]
    # And back again with the "newer" cursors.
    back = keyset_page(queryset, before=pages[-1].prev_cursor, size=48)
    assert [a.pk for a in back.rows] == [a.pk for a in pages[1].rows]
    first = keyset_page(queryset, before=back.prev_cursor, size=48)
    assert [a.pk for a in first.rows] == [a.pk for a in pages[0].rows]
    assert not first.has_previous


def test_a_deep_page_costs_one_query_without_offset(many_assets):
    queryset = selectors.for_grid(selectors.assets_filtered({"kind": "photo"}))
    cursor = ""
    for _page in range(2):
        cursor = keyset_page(queryset, after=cursor, size=48).next_cursor
    with CaptureQueriesContext(connection) as queries:
        page = keyset_page(queryset, after=cursor, size=48)
    assert len(page.rows) == 34 and len(queries) == 1
    sql = queries[0]["sql"].upper()
    assert "OFFSET" not in sql and "LIMIT 49" in sql


def test_the_page_that_starts_with_an_asset(many_assets):
    expected = _expected(many_assets)
    # In the middle of a group of ten with the same upload time.
    target = Asset.objects.get(pk=expected[57])
    queryset = selectors.for_grid(selectors.assets_filtered({}))
    page = keyset_page(queryset, after=selectors.cursor_at(target), size=48)
    assert [a.pk for a in page.rows] == expected[57 : 57 + 48]
    assert page.has_previous


def test_neighbours_follow_the_grid_order_within_the_filter(many_assets):
    expected = _expected(many_assets)
    middle = Asset.objects.get(pk=expected[15])
    newer, older = selectors.neighbours(selectors.assets_filtered({}), middle)
    assert (newer.pk, older.pk) == (expected[14], expected[16])
    first = Asset.objects.get(pk=expected[0])
    assert selectors.neighbours(selectors.assets_filtered({}), first)[0] is None
    Asset.objects.filter(pk=expected[16]).update(kind="video")
    _newer, older = selectors.neighbours(
        selectors.assets_filtered({"kind": "photo"}), middle
    )
    assert older.pk == expected[17]


# --- Press clearance ---------------------------------------------------------------


def test_cleared_for_press_in_the_database_matches_the_model():
    today = timezone.localdate()
    combinations = itertools.product(
        Asset.Rights.values,
        Asset.Consent.values,
        Asset.State.values,
        [None, today - timedelta(days=1), today, today + timedelta(days=30)],
    )
    for n, (rights, consent, state, expires) in enumerate(combinations):
        make_asset(
            n,
            renditions=False,
            rights=rights,
            consent=consent,
            state=state,
            licence_expires=expires,
        )
    by_model = {a.pk for a in Asset.objects.all() if a.cleared_for_press}
    by_query = set(_ids(selectors.cleared_for_press(Asset.objects.all())))
    assert by_query == by_model
    assert 0 < len(by_model) < Asset.objects.count()


# --- Storage -----------------------------------------------------------------------


def test_storage_stats_per_year_and_kind_in_one_query(django_assert_num_queries):
    now = timezone.now()
    make_asset(1, renditions=False, size=1000)
    make_asset(2, renditions=False, size=3000, kind="video")
    make_asset(3, renditions=False, size=500, uploaded_at=now - timedelta(days=800))
    with django_assert_num_queries(1):
        stats = selectors.storage_stats()
    assert stats["total"] == {"bytes": 4500, "files": 3}
    this_year = timezone.localdate().year
    years = {row["year"]: row for row in stats["by_year"]}
    assert years[this_year]["bytes"] == 4000 and years[this_year]["files"] == 2
    assert years[this_year]["kinds"]["video"] == {"bytes": 3000, "files": 1}
    assert sum(row["bytes"] for row in stats["by_year"]) == 4500
    kinds = {row["kind"]: row for row in stats["by_kind"]}
    assert kinds["photo"]["bytes"] == 1500 and kinds["photo"]["files"] == 2
    assert kinds["audio"]["files"] == 0
    cells = years[this_year]["cells"]
    assert [cell["kind"] for cell in cells] == [row["kind"] for row in stats["by_kind"]]


def test_storage_stats_of_an_empty_archive():
    stats = selectors.storage_stats()
    assert stats["total"] == {"bytes": 0, "files": 0} and stats["by_year"] == []


# --- Albums and appearances --------------------------------------------------------


def test_albums_are_counted_and_searched():
    event = EventFactory()
    album = make_album("წყალდიდობა თბილისში", event=event)
    make_album("სხვა")
    make_asset(1, albums=[album])
    make_asset(2, albums=[album])
    found = list(selectors.albums_filtered({"q": "tbilisshi"}))
    assert found == [album] and found[0].asset_count == 2
    assert list(selectors.albums_filtered({"event": str(event.pk)})) == [album]
    assert list(selectors.album_assets(album).order_by("pk")) == list(
        album.assets.order_by("pk")
    )


def test_appearances_filter_by_medium_outlet_date_and_words():
    outlet = Organisation.objects.create(name="Imedi", kind="media")
    now = timezone.now()
    tv = MediaAppearance.objects.create(
        title="ბიუჯეტი",
        medium="tv",
        outlet=outlet,
        aired_at=now,
        search_text="biujeti",
    )
    radio = MediaAppearance.objects.create(
        title="რადიო", medium="radio", aired_at=now - timedelta(days=40)
    )
    assert list(selectors.appearances_filtered({"medium": "tv"})) == [tv]
    assert list(selectors.appearances_filtered({"outlet": str(outlet.pk)})) == [tv]
    assert list(selectors.appearances_filtered({"q": "biujet"})) == [tv]
    old = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert list(selectors.appearances_filtered({"date_to": old})) == [radio]
    assert list(selectors.appearances_filtered({})) == [tv, radio]
