"""The archive issue's browser scenario, from the Georgian interface.

An archivist uploads three photos made here with Pillow (one turned by its EXIF
orientation, one with a Georgian caption and a credit in XMP) and a two-second
video made by ffmpeg through the upload page, one request per file, and watches
each file's line say what became of it. Celery is eager in the tests, so the
thumbnails and the video's poster exist as soon as a file is saved: the grid
shows them. The viewer goes to the older and newer asset with → and ← and back
to the grid with Esc. The archivist gives the four assets Georgian titles,
finds them by typing Latin letters, creates an album linked to a council
session (the event page leads to it), files the four into it with the grid's
bulk change and downloads the album as a ZIP of the originals. A truncated JPEG
and a text file called .jpg are refused with a clear reason and leave nothing
behind; the same photo uploaded again is saved with a warning that the archive
already holds it. Every page on the way is checked for its language, with axe
and for Mtavruli.
"""

import io
import shutil
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import ExifTags, Image, ImageDraw

from archive import services
from archive.models import Album, Asset
from events.models import Event, EventType
from prapp.roles import ARCHIVIST
from prapp.text import search_key

from .browser import assert_accessible, assert_no_mtavruli, html_lang, login

FFMPEG = Path("/usr/bin/ffmpeg")

# The files, by the name they are uploaded under.
HALL = "დარბაზი.jpg"  # a Georgian file name, kept in the album's ZIP
VOTE = "kenchisqra.jpg"  # EXIF orientation 6: stored landscape, shown portrait
SPEAKER = "speaker.jpg"  # a caption and a credit in XMP
VIDEO = "session.mp4"
TRUNCATED = "cut-short.jpg"
NOT_A_PHOTO = "notes.jpg"

CAPTION = "საკრებულოს თავმჯდომარე სხდომას ხსნის."
CREDIT = "ნინო ბერიძე"
TITLES = {
    HALL: "საკრებულოს სხდომა — დარბაზი",
    VOTE: "საკრებულოს სხდომა — კენჭისყრა",
    SPEAKER: "საკრებულოს სხდომა — თავმჯდომარე",
    VIDEO: "საკრებულოს სხდომის ვიდეოჩანაწერი",
}
# Found by the Latin search below; the asset that was there before is not.
SEARCH = "sakrebulo"
OTHER_TITLE = "ბიუჯეტის საჯარო განხილვა"
EVENT_TITLE = "საკრებულოს რიგითი სხდომა"
ALBUM_TITLE = "საკრებულოს სხდომა, მაისი"

# axe's findings, gathered over the scenario and asserted at its end: one run
# then reports every page's problems, and the later steps are still exercised.
AXE_FINDINGS: list[str] = []


def check_page(page, language="ka"):
    """What every page must pass: its language, no Mtavruli, accessible."""
    assert html_lang(page) == language, page.url
    assert_no_mtavruli(page)
    try:
        assert_accessible(page)
    except AssertionError as problem:
        AXE_FINDINGS.append(str(problem))


def translated(language, text):
    with translation.override(language):
        return gettext(text)


def goto(page, live_server, path):
    page.goto(live_server.url + path)
    assert urlsplit(page.url).path == path, f"{path} redirected to {page.url}"


def click_and_wait(page, selector):
    with page.expect_navigation():
        page.click(selector)


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- Files made here ----------------------------------------------------------


def photo(colour, *, size=(800, 533), orientation=None, xmp=None, quality=90) -> bytes:
    """A JPEG with shapes (so each photo has its own content) and camera EXIF."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.rectangle((0, 0, width // 6, height // 6), fill=(200, 20, 20))
    draw.ellipse((width // 3, height // 4, width * 2 // 3, height * 3 // 4), fill=0)
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Canon", "EOS R6"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = (
        "2025:05:12 11:30:00"
    )
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    options = {"quality": quality, "exif": exif}
    if xmp:
        options["xmp"] = xmp.encode()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def caption_xmp(caption: str, credit: str) -> str:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="ka">{caption}</rdf:li>'
        "</rdf:Alt></dc:description>"
        f"<photoshop:Credit>{credit}</photoshop:Credit>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )


def truncated_jpeg() -> bytes:
    """A noisy photo cut at 60 %: the header is whole, the picture is not."""
    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buffer, "JPEG")
    data = buffer.getvalue()
    return data[: len(data) * 6 // 10]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    """The files the archivist uploads, written to a folder of their own."""
    if not FFMPEG.exists() or shutil.which("ffprobe") is None:
        pytest.fail(
            f"{FFMPEG} or ffprobe not found: the archive's browser test needs "
            "them for the video (apt-get install ffmpeg).",
            pytrace=False,
        )
    folder = tmp_path / "upload"
    folder.mkdir()
    contents = {
        HALL: photo((40, 90, 160)),
        VOTE: photo((30, 140, 60), size=(480, 320), orientation=6),
        SPEAKER: photo((170, 120, 40), xmp=caption_xmp(CAPTION, CREDIT)),
        TRUNCATED: truncated_jpeg(),
        NOT_A_PHOTO: b"Minutes of the session, not a picture.\n",
    }
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    subprocess.run(
        [
            str(FFMPEG),
            "-v",
            "error",
            "-nostdin",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=2:size=320x240:rate=25",
            "-pix_fmt",
            "yuv420p",
            str(folder / VIDEO),
        ],
        check=True,
        timeout=60,
    )
    return {path.name: path for path in folder.iterdir()}


class OneUploadAtATime:
    """Lets the page's upload requests reach the live server one after another.

    upload.js sends two files at once, which is what it should do. But the test
    database is SQLite in memory, and the live server hands that one connection
    to every request thread: two uploads at the same moment would interleave
    their transactions on it. The page still queues, shows and reports every
    file by itself; only the second request waits here for the first answer.
    """

    def __init__(self, page, url: str):
        self.url = url
        self.busy = False
        self.waiting = []
        page.route(url, self.route)
        page.on("requestfinished", self.finished)
        page.on("requestfailed", self.finished)

    def route(self, route):
        if route.request.method != "POST":
            route.continue_()
        elif self.busy:
            self.waiting.append(route)
        else:
            self.busy = True
            route.continue_()

    def finished(self, request):
        if request.method != "POST" or request.url != self.url:
            return
        if self.waiting:
            self.waiting.pop(0).continue_()
        else:
            self.busy = False


# Notes what the page's list of files shows while the files go up: how many
# lines had a progress bar and every state a line said.
WATCH_UPLOADS_JS = """
() => {
  const seen = {bars: 0, states: []};
  const list = document.querySelector("[data-upload-list]");
  new MutationObserver(records => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        const line = node.nodeType === 1 && node.matches("li");
        if (line && node.querySelector("progress")) seen.bars += 1;
      }
    }
    for (const state of list.querySelectorAll(".archive-upload-state")) {
      if (!seen.states.includes(state.textContent)) seen.states.push(state.textContent);
    }
  }).observe(list, {childList: true, subtree: true, characterData: true});
  window.archiveUploadsSeen = seen;
}
"""


def upload(page, paths, *, expect: int):
    """Choose files in the upload form, send them, wait for ``expect`` lines."""
    page.set_input_files("#id_files", [str(path) for path in paths])
    summary = page.inner_text("[data-drop-summary]")
    for path in paths:
        assert path.name in summary, summary
    page.evaluate(WATCH_UPLOADS_JS)
    page.click("main form[data-upload-form] button[type=submit]")
    # Each file has its line at once (with its progress bar), then a result.
    page.wait_for_function(
        "n => document.querySelectorAll('[data-upload-list] li').length === n "
        "&& !document.querySelector('[data-upload-list] progress')",
        arg=expect,
    )


def upload_lines(page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-upload-list] li",
        """items => items.map(li => ({
            ok: li.classList.contains('archive-upload-ok'),
            failed: li.classList.contains('archive-upload-failed'),
            text: li.innerText,
            link: (li.querySelector(':scope > a') || {}).pathname || '',
            duplicates: Array.from(
                li.querySelectorAll('.archive-upload-duplicate a')
            ).map(a => a.pathname),
        }))""",
    )


def grid_tiles(page) -> list[int]:
    return [
        int(pk)
        for pk in page.eval_on_selector_all(
            "[data-archive-grid] li[data-asset]",
            "tiles => tiles.map(t => t.getAttribute('data-asset'))",
        )
    ]


def thumbnails(page) -> dict[int, dict]:
    """Each tile's thumbnail once loaded: its address and its size in pixels."""
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('img.archive-thumb'))"
        ".every(img => img.complete)"
    )
    found = page.eval_on_selector_all(
        "[data-archive-grid] li[data-asset] img.archive-thumb",
        """images => images.map(img => ({
            pk: img.closest('li').getAttribute('data-asset'),
            src: img.getAttribute('src'),
            width: img.naturalWidth,
            height: img.naturalHeight,
        }))""",
    )
    return {int(image.pop("pk")): image for image in found}


def test_uploaded_viewed_titled_found_filed_in_an_album_and_zipped(
    page, live_server, make_user, media, files
):
    AXE_FINDINGS.clear()
    archivist = make_user("levan", ARCHIVIST, language="ka", name="ლევან წიკლაური")
    # Already in the archive: found by nothing the scenario searches for.
    other = services.asset_upload(
        file=SimpleUploadedFile("budget.jpg", photo((120, 120, 120))),
        actor=archivist,
        data={"title_ka": OTHER_TITLE},
    ).asset
    council, _created = EventType.objects.get_or_create(
        code="council-session", defaults={"name": "საკრებულოს სხდომა"}
    )
    starts = timezone.now() - timedelta(days=2)
    event = Event.objects.create(
        event_type=council,
        title=EVENT_TITLE,
        title_ka=EVENT_TITLE,
        status=Event.Status.HELD,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        search_key=search_key(EVENT_TITLE),
    )

    # --- 1. The upload page: four files, one line each -----------------------
    login(page, live_server, archivist)
    check_page(page)
    goto(page, live_server, reverse("archive:index"))
    assert grid_tiles(page) == [other.pk]
    check_page(page)
    upload_url = reverse("archive:upload")
    click_and_wait(page, f"main a.btn[href='{upload_url}']")
    assert path_of(page.url) == upload_url
    check_page(page)
    OneUploadAtATime(page, live_server.url + upload_url)
    good = [files[name] for name in (HALL, VOTE, SPEAKER, VIDEO)]
    upload(page, good, expect=4)
    seen = page.evaluate("window.archiveUploadsSeen")
    assert seen["bars"] == 4  # a progress bar per file while it goes up
    # Two at a time: the third and fourth waited their turn.
    for state in ("waiting", "uploading", "saved in the archive"):
        assert translated("ka", state) in seen["states"], seen
    lines = upload_lines(page)
    assert all(line["ok"] for line in lines), lines
    assert all(not line["duplicates"] for line in lines), lines
    saved = translated("ka", "saved in the archive")
    assert all(saved in line["text"] for line in lines), lines
    assets = {
        asset.original_name: asset for asset in Asset.objects.exclude(pk=other.pk)
    }
    assert set(assets) == {HALL, VOTE, SPEAKER, VIDEO}
    assert {line["link"] for line in lines} == {
        asset.get_absolute_url() for asset in assets.values()
    }
    check_page(page)  # with the results

    # Processed at once (Celery is eager): facts read, renditions made.
    for name, asset in assets.items():
        assert asset.state == Asset.State.READY, (name, asset.failure)
        assert asset.uploaded_by == archivist
        assert {"s", "m", "l"} <= set(asset.renditions), name
    assert assets[VIDEO].kind == Asset.Kind.VIDEO
    assert "poster" in assets[VIDEO].renditions
    assert (assets[VIDEO].width, assets[VIDEO].height) == (320, 240)
    assert assets[VIDEO].duration_seconds == pytest.approx(2, abs=0.2)
    assert (assets[VOTE].width, assets[VOTE].height) == (320, 480)  # turned
    assert assets[HALL].camera and "EOS R6" in assets[HALL].camera
    assert timezone.localtime(assets[HALL].taken_at).date().isoformat() == (
        "2025-05-12"
    )
    assert assets[SPEAKER].caption_ka == CAPTION
    assert CREDIT in assets[SPEAKER].credit

    # --- 2. The grid: a thumbnail for each, the video's from its poster -------
    goto(page, live_server, reverse("archive:index"))
    newest_first = list(
        Asset.objects.order_by("-uploaded_at", "-id").values_list("pk", flat=True)
    )
    assert grid_tiles(page) == newest_first
    thumbs = thumbnails(page)
    assert set(thumbs) == set(newest_first)
    for pk, thumb in thumbs.items():
        assert path_of(thumb["src"]) == reverse("archive:rendition", args=[pk, "s"])
        assert thumb["width"] > 0 and thumb["height"] > 0, (pk, thumb)
    vote, video = thumbs[assets[VOTE].pk], thumbs[assets[VIDEO].pk]
    assert vote["height"] > vote["width"]  # the EXIF orientation was applied
    assert (video["width"], video["height"]) == (320, 240)  # the poster frame
    check_page(page)

    # --- 3. The viewer: → older, ← newer, Esc back to the grid ----------------
    second, third = newest_first[1], newest_first[2]
    click_and_wait(page, f"#asset-{second} a.archive-tile-link")
    assert path_of(page.url) == reverse("archive:asset_detail", args=[second])
    check_page(page)
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    assert path_of(page.url) == reverse("archive:asset_detail", args=[third])
    check_page(page)
    with page.expect_navigation():
        page.keyboard.press("ArrowLeft")
    assert path_of(page.url) == reverse("archive:asset_detail", args=[second])
    with page.expect_navigation():
        page.keyboard.press("Escape")
    back = urlsplit(page.url)
    assert back.path == reverse("archive:index")
    assert back.fragment == f"asset-{second}"
    check_page(page)
    # The grid's page now starts at the asset last viewed; "Newer" leads back.
    assert grid_tiles(page) == newest_first[1:]
    assert page.locator("[data-pager-newer]").count() == 1

    # The video's page: the player shows the poster frame.
    video_url = assets[VIDEO].get_absolute_url()
    goto(page, live_server, video_url)
    poster = page.get_attribute("video[data-viewer-media]", "poster")
    assert path_of(poster) == reverse(
        "archive:rendition", args=[assets[VIDEO].pk, "poster"]
    )
    answer = page.request.get(live_server.url + poster)
    assert answer.ok and answer.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(answer.body())).size == (320, 240)
    check_page(page)

    # --- 4. Georgian titles, given in the edit form ---------------------------
    for name, title in TITLES.items():
        asset = assets[name]
        goto(page, live_server, asset.get_absolute_url())
        page.fill("#id_title_ka", title)
        click_and_wait(page, "#edit form button[type=submit]")
        assert path_of(page.url) == asset.get_absolute_url()
        assert page.inner_text("main h1").strip() == title
        asset.refresh_from_db()
        assert asset.title_ka == title
        assert page.locator("[data-asset-failed]").count() == 0
        check_page(page)

    # --- 5. An album linked to the council session ----------------------------
    goto(page, live_server, reverse("archive:album_list"))
    check_page(page)  # no albums yet
    create_url = reverse("archive:album_create")
    click_and_wait(page, f"main a[href='{create_url}']")
    check_page(page)
    page.fill("#id_title_ka", ALBUM_TITLE)
    page.select_option("#id_event", str(event.pk))
    click_and_wait(page, "main form button.btn-primary[type=submit]")
    album = Album.objects.get()
    assert album.title_ka == ALBUM_TITLE
    assert album.event == event
    assert album.created_by == archivist
    assert path_of(page.url) == album.get_absolute_url()
    event_link = page.locator(f"main a[href='{event.get_absolute_url()}']")
    assert event_link.count() == 1
    check_page(page)  # the empty album

    # The event's page leads to its albums.
    goto(page, live_server, event.get_absolute_url())
    click_and_wait(page, "[data-event-albums] a")
    assert path_of(page.url) == reverse("archive:album_list")
    listed = page.locator(f"main a[href='{album.get_absolute_url()}']")
    assert listed.count() >= 1
    check_page(page)

    # --- 6. Found by Latin letters, filed in the album by the bulk change -----
    goto(page, live_server, reverse("archive:index"))
    page.fill("#id_q", SEARCH)
    click_and_wait(page, "main form[role=search] button[type=submit]")
    assert f"q={SEARCH}" in page.url
    found = grid_tiles(page)
    assert sorted(found) == sorted(asset.pk for asset in assets.values())
    assert other.pk not in found
    check_page(page)

    page.click("#bulk-form details > summary")
    for pk in found:
        page.check(f"#tick-{pk}")
    page.select_option("#bulk_add_to_album", str(album.pk))
    search_url = page.url
    click_and_wait(page, "#bulk-form button[type=submit]")
    assert page.url == search_url  # back to the search
    assert sorted(album.assets.values_list("pk", flat=True)) == sorted(found)
    assert page.locator(".alert-success").count() >= 1
    check_page(page)

    # --- 7. The album as a ZIP of the originals -------------------------------
    goto(page, live_server, album.get_absolute_url())
    assert sorted(grid_tiles(page)) == sorted(found)
    check_page(page)
    with page.expect_download() as download_info:
        page.click("[data-album-download]")
    download = download_info.value
    assert download.failure() is None
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as album_zip:
        assert album_zip.testzip() is None
        names = album_zip.namelist()
        assert sorted(names) == sorted([HALL, VOTE, SPEAKER, VIDEO])
        for name in names:
            assert album_zip.read(name) == files[name].read_bytes(), name

    # --- 8. Bad files: a clear reason each, nothing stored --------------------
    stored = sorted(str(p) for p in media.rglob("*") if p.is_file())
    count = Asset.objects.count()
    goto(page, live_server, upload_url)
    upload(page, [files[TRUNCATED], files[NOT_A_PHOTO]], expect=2)
    lines = {line["text"].split(" — ")[0]: line for line in upload_lines(page)}
    assert set(lines) == {TRUNCATED, NOT_A_PHOTO}
    assert all(line["failed"] and not line["link"] for line in lines.values())
    refused = translated("ka", "refused")
    assert refused in lines[TRUNCATED]["text"]
    assert (
        translated("ka", "The image file is cut short (truncated).")
        in (lines[TRUNCATED]["text"])
    )
    with translation.override("ka"):
        wrong_type = gettext(
            "This type of file is not accepted: photos (JPEG, PNG, GIF, WebP, "
            "TIFF), videos (MP4, MOV, WebM, MKV, AVI), audio (MP3, WAV, OGG, "
            "M4A, FLAC) and documents (PDF, Word, Excel, PowerPoint, "
            "OpenDocument, plain text) only."
        )
    assert wrong_type in lines[NOT_A_PHOTO]["text"]
    assert Asset.objects.count() == count
    assert sorted(str(p) for p in media.rglob("*") if p.is_file()) == stored
    check_page(page)

    # --- 9. The same photo again: saved, with a warning -----------------------
    goto(page, live_server, upload_url)
    upload(page, [files[HALL]], expect=1)
    (line,) = upload_lines(page)
    assert line["ok"], line
    assert line["duplicates"] == [assets[HALL].get_absolute_url()]
    assert (
        translated("ka", "The archive already holds this exact file:") in (line["text"])
    )
    again = Asset.objects.exclude(pk__in=[other.pk, *found]).get()
    assert again.sha256 == assets[HALL].sha256
    assert line["link"] == again.get_absolute_url()
    check_page(page)
    click_and_wait(page, f"[data-upload-list] a[href='{again.get_absolute_url()}']")
    duplicates = page.locator("[data-duplicates] a")
    assert duplicates.count() == 1
    assert duplicates.get_attribute("href") == assets[HALL].get_absolute_url()
    check_page(page)

    # --- 10. Every page on the way was accessible -----------------------------
    assert not AXE_FINDINGS, "\n\n".join(AXE_FINDINGS)
