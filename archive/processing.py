"""Processing of an uploaded asset in the worker: facts, renditions, poster, state.

``asset_process`` takes an asset that is *processing* to *ready* (with what it
skipped said in ``processing_note``) or *failed* (with a readable reason, in the
uploader's language). Everything heavy happens outside a transaction; the
result is written in one short transaction at the end, under a row lock, and
only fills metadata the user has not given (caption, credit, tags, date).

Renditions are made fast: the image is opened once, a JPEG is decoded at the
smallest DCT scale that still covers the largest rendition (``Image.draft``:
a 24-megapixel photo is decoded at 6 MP for a 2048-pixel rendition, never at
full size), the largest rendition is made first and each smaller one from the
one before. EXIF orientation is applied to the renditions (after the resize,
where it is cheaper). Videos get a poster frame through ffmpeg and their
duration and size through ffprobe; without them the asset is still ready and
says what was skipped.

Rendition files live in one folder per asset (``archive/renditions/<n>/<pk>/``)
under a new name per run: the files a finished run replaces are deleted after
its commit, and deleting an asset empties its folder, so even the files of a
run that died half-way (a worker killed, the task redelivered) do not stay.
"""

import contextlib
import io
import json
import logging
import math
import os
import shutil
import struct
import subprocess
import tempfile
import uuid
import warnings
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from archive import metadata
from archive.models import Asset
from archive.uploads import AUDIO, PHOTO, VIDEO
from prapp.audit import audit_record

logger = logging.getLogger(__name__)

RENDITION_SIZES = {"s": 320, "m": 1024, "l": 2048}
RENDITION_QUALITY = {"s": 82, "m": 85, "l": 88}
# Pillow's reducing_gap per rendition: m is exactly half of l, where a 2×2
# box reduction before the bicubic pass costs a third of the time for no
# visible loss (PSNR against a full-resolution Lanczos: 50.4 dB against 52.0);
# s keeps the finer default (42.7 dB against 50.7 with a gap of 1.0).
REDUCING_GAP = {"m": 1.0}
POSTER = "poster"
POSTER_QUALITY = 90
# Subprocess limits, well inside the task's time limits.
FFPROBE_TIMEOUT = 60
FFMPEG_TIMEOUT = 180

# The demuxer ffmpeg is told to use, from the type the content was found to
# be: it never guesses, so a file can never pass for a playlist or another
# format that reads other files or URLs.
DEMUXERS = {
    "mp4": "mov",
    "mov": "mov",
    "m4a": "mov",
    "webm": "matroska",
    "mkv": "matroska",
    "weba": "matroska",
    "mka": "matroska",
    "avi": "avi",
    "ogv": "ogg",
    "ogg": "ogg",
    "mp3": "mp3",
    "wav": "wav",
    "flac": "flac",
}


# What Pillow's decoders raise on damaged or hostile input (fuzzing finds
# every one of these).
DAMAGED = (
    OSError,
    SyntaxError,
    ValueError,
    struct.error,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    ZeroDivisionError,
)


class ProcessingFailed(Exception):
    """The file cannot be processed; ``message`` is said to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Images ----------------------------------------------------------------------


def max_image_pixels() -> int:
    return settings.ARCHIVE_MAX_IMAGE_PIXELS


def open_image(source) -> Image.Image:
    """Open an image (a path or a binary file) with the bomb guard on.

    Pillow's DecompressionBombWarning is an error here (scoped to this call),
    and the pixel count is checked against the setting in any case, so a tiny
    file declaring 30000 × 30000 pixels is refused before anything is decoded.
    Raises ProcessingFailed.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ProcessingFailed(_bomb_message()) from exc
    except UnidentifiedImageError as exc:
        raise ProcessingFailed(
            _("The image is damaged or not an image Pillow can read.")
        ) from exc
    except DAMAGED as exc:
        raise _load_failed(exc) from exc
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > max_image_pixels():
        if isinstance(source, (str, os.PathLike)):
            image.close()  # (a file object given to us stays open)
        raise ProcessingFailed(_bomb_message(width * height))
    return image


def _bomb_message(pixels: int | None = None) -> str:
    if pixels:
        return _(
            "The image has too many pixels (%(pixels)s megapixels; at most "
            "%(limit)s): it may be a decompression bomb."
        ) % {"pixels": _megapixels(pixels), "limit": _megapixels(max_image_pixels())}
    return _(
        "The image has too many pixels (more than %(limit)s megapixels): it "
        "may be a decompression bomb."
    ) % {"limit": _megapixels(max_image_pixels())}


def _megapixels(pixels: int) -> str:
    return formats.number_format(round(pixels / 1_000_000, 1))


def _load_failed(exc: Exception) -> ProcessingFailed:
    text = str(exc)
    if "truncated" in text.lower():
        return ProcessingFailed(_("The image file is cut short (truncated)."))
    return ProcessingFailed(
        _("The image is damaged: %(error)s") % {"error": text[:200]}
    )


def verify_image(source) -> tuple[int, int]:
    """Check an image at upload: header, bomb guard, structure; returns its size.

    JPEGs are decoded at 1/8 scale (cheap) so a truncated or undecodable file
    is refused at once; PNGs have every chunk's checksum verified without
    decompressing. Raises ProcessingFailed.
    """
    with open_image(source) as image:
        size = image.size
        if image.format == "JPEG":
            image.draft(image.mode, (max(1, size[0] // 8), max(1, size[1] // 8)))
            try:
                image.load()
            except DAMAGED as exc:
                raise _load_failed(exc) from exc
        else:
            try:
                image.verify()
            except DAMAGED as exc:
                raise _load_failed(exc) from exc
    return size


def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    """``size`` shrunk (never enlarged) to fit a ``box`` × ``box`` square."""
    width, height = size
    scale = min(1.0, box / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _displayable(image: Image.Image) -> Image.Image:
    """The image in a mode JPEG can hold (RGB or L), transparency on white."""
    mode = image.mode
    if mode in ("RGB", "L"):
        return image
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # 16-bit and float images: scale to 8 bits instead of clipping.
        if mode != "F":
            image = image.convert("I")
        low, high = image.getextrema()
        span = (high - low) or 1
        return image.point(lambda value: (value - low) * 255 / span).convert("L")
    if mode == "1":
        return image.convert("L")
    has_alpha = mode in ("LA", "La", "PA", "RGBa")
    if has_alpha or (mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image, quality: int, icc_profile) -> bytes:
    buffer = io.BytesIO()
    options = {"quality": quality}
    if icc_profile:
        options["icc_profile"] = icc_profile
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def renditions_of(
    image: Image.Image, *, sizes: dict[str, int] = RENDITION_SIZES
) -> dict[str, bytes]:
    """JPEG bytes of each rendition of an opened, not yet loaded, image.

    The largest is made first (a JPEG decoded at a reduced DCT scale), EXIF
    orientation is applied to it, and each smaller one is resized from the
    previous. Raises ProcessingFailed for a damaged or truncated file.
    """
    ordered = sorted(sizes.items(), key=lambda item: -item[1])
    largest = _fit(image.size, ordered[0][1])
    # Only a JPEG acts on this: libjpeg decodes at 1/2, 1/4 or 1/8 scale, the
    # smallest that still covers ``largest``. Other formats ignore it.
    image.draft("RGB", largest)
    try:
        image.load()
    except DAMAGED as exc:
        raise _load_failed(exc) from exc
    icc_profile = image.info.get("icc_profile") if image.mode in ("RGB", "L") else None
    try:
        exif = image.getexif().tobytes()
    except DAMAGED:
        exif = None  # damaged EXIF: shown as stored
    current = _displayable(image)
    renditions: dict[str, bytes] = {}
    for index, (name, box) in enumerate(ordered):
        target = _fit(current.size, box)
        if target != current.size:
            current = current.resize(
                target,
                Image.Resampling.BICUBIC,
                reducing_gap=REDUCING_GAP.get(name, 2.0),
            )
        if index == 0 and exif:
            # Orientation is applied once, to the largest rendition: the
            # smaller ones are made from it.
            current.info["exif"] = exif
            ImageOps.exif_transpose(current, in_place=True)
        renditions[name] = _encode(
            current, RENDITION_QUALITY.get(name, 85), icc_profile
        )
    return renditions


def image_renditions(source, *, sizes: dict[str, int] = RENDITION_SIZES) -> dict:
    """The renditions of an image file (path or binary file), as the task makes them."""
    with open_image(source) as image:
        return renditions_of(image, sizes=sizes)


def _oriented_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


# --- Video and audio -------------------------------------------------------------


@dataclass
class Probe:
    """What ffprobe says about a video or audio file."""

    duration: float | None = None
    width: int | None = None
    height: int | None = None
    has_video: bool = False
    has_audio: bool = False


class ProbeFailed(Exception):
    """ffprobe could not read the file as the type it was found to be."""


def tool(name: str) -> str | None:
    """The full path of ffmpeg or ffprobe (settings ARCHIVE_FFMPEG/_FFPROBE)."""
    configured = {
        "ffmpeg": settings.ARCHIVE_FFMPEG,
        "ffprobe": settings.ARCHIVE_FFPROBE,
    }[name]
    return shutil.which(configured or name)


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def probe(path: str, extension: str) -> Probe | None:
    """Duration, size and streams of a media file; None without ffprobe.

    Raises ProbeFailed when ffprobe cannot read the file.
    """
    ffprobe = tool("ffprobe")
    if ffprobe is None:
        return None
    command = [ffprobe, "-v", "error", "-protocol_whitelist", "file"]
    if extension in DEMUXERS:
        command += ["-f", DEMUXERS[extension]]
    command += [
        "-print_format",
        "json",
        "-show_format",
        "-show_streams",
        f"file:{path}",
    ]
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            command,
            capture_output=True,
            timeout=FFPROBE_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise ProbeFailed("ffprobe timed out") from exc
    if result.returncode != 0:
        raise ProbeFailed(result.stderr.decode("utf-8", "replace")[:500])
    try:
        data = json.loads(result.stdout or b"{}")
    except ValueError as exc:
        raise ProbeFailed("ffprobe gave no JSON") from exc
    streams = [s for s in data.get("streams") or [] if isinstance(s, dict)]
    if not streams:
        raise ProbeFailed("no streams")
    found = Probe(duration=_float((data.get("format") or {}).get("duration")))
    for stream in streams:
        kind = stream.get("codec_type")
        attached_picture = (stream.get("disposition") or {}).get("attached_pic")
        if kind == "video" and not attached_picture and not found.has_video:
            found.has_video = True
            width, height = stream.get("width"), stream.get("height")
            if isinstance(width, int) and isinstance(height, int) and width > 0:
                if _rotation(stream) in (90, 270):
                    width, height = height, width
                found.width, found.height = width, height
            found.duration = found.duration or _float(stream.get("duration"))
        elif kind == "audio":
            found.has_audio = True
            found.duration = found.duration or _float(stream.get("duration"))
    return found


def _rotation(stream: dict) -> int:
    rotation = (stream.get("tags") or {}).get("rotate")
    for side_data in stream.get("side_data_list") or []:
        if isinstance(side_data, dict) and "rotation" in side_data:
            rotation = side_data["rotation"]
    try:
        return int(float(rotation or 0)) % 360
    except (TypeError, ValueError):
        return 0


def poster_frame(path: str, extension: str, duration: float | None) -> bytes | None:
    """A PNG of the frame at 1 s (10 % into clips shorter than 10 s); None if none.

    ffmpeg applies the video's rotation itself.
    """
    ffmpeg = tool("ffmpeg")
    if ffmpeg is None:
        return None
    moment = 1.0 if duration is None or duration >= 10 else duration / 10
    for seek in (moment, 0.0):
        command = [
            ffmpeg,
            "-v",
            "error",
            "-nostdin",
            "-protocol_whitelist",
            "file",
            "-ss",
            f"{seek:.3f}",
        ]
        if extension in DEMUXERS:
            command += ["-f", DEMUXERS[extension]]
        command += [
            "-i",
            f"file:{path}",
            "-frames:v",
            "1",
            "-an",
            "-sn",
            "-dn",
            "-f",
            "image2pipe",
            "-c:v",
            "png",
            "pipe:1",
        ]
        try:
            result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
                command,
                capture_output=True,
                timeout=FFMPEG_TIMEOUT,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return None
        if result.returncode == 0 and result.stdout:
            return result.stdout
    return None


# --- Files -----------------------------------------------------------------------


@contextlib.contextmanager
def local_path(field_file):
    """A local path to a stored file: its own, or a temporary copy (object storage)."""
    try:
        path = field_file.storage.path(field_file.name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    suffix = "." + field_file.name.rsplit(".", 1)[-1] if "." in field_file.name else ""
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field_file.storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name


@contextlib.contextmanager
def temporary_copy(file):
    """A temporary local copy of an open file (for ffprobe), removed afterwards."""
    with tempfile.NamedTemporaryFile() as copy:
        file.seek(0)
        for chunk in (
            file.chunks()
            if hasattr(file, "chunks")
            else iter(lambda: file.read(1024 * 1024), b"")
        ):
            copy.write(chunk)
        copy.flush()
        file.seek(0)
        yield copy.name


def rendition_folder(asset_pk: int) -> str:
    """Where an asset's renditions are stored (every run's, under new names)."""
    return f"archive/renditions/{asset_pk // 1000}/{asset_pk}"


def rendition_files(asset_pk: int) -> list[str]:
    """Every file in the asset's rendition folder, referenced or not.

    A run that died after storing its files (a worker killed mid-task) leaves
    files no row names; deleting the asset removes them through this list.
    """
    folder = rendition_folder(asset_pk)
    try:
        _folders, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return []
    return [f"{folder}/{name}" for name in names]


def files_delete(names) -> None:
    """Delete stored files, quietly skipping those already gone."""
    for name in names:
        if not name:
            continue
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete stored file %s", name, exc_info=True)


def _store(asset_pk: int, renditions: dict[str, bytes]) -> dict[str, str]:
    # A new name per run: a browser that cached the old rendition (its address
    # carries the name) sees the new one after reprocessing, and a run that
    # lost the race to another never overwrites the files the row names.
    token = uuid.uuid4().hex[:12]
    folder = rendition_folder(asset_pk)
    return {
        name: default_storage.save(f"{folder}/{token}-{name}.jpg", ContentFile(data))
        for name, data in renditions.items()
    }


# --- The task's work -------------------------------------------------------------


@dataclass
class Outcome:
    """What processing found, to be written to the asset."""

    renditions: dict[str, bytes] = field(default_factory=dict)
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    facts: metadata.ImageFacts | None = None
    notes: list[str] = field(default_factory=list)


def _process_photo(asset: Asset) -> Outcome:
    with local_path(asset.file) as path, open_image(path) as image:
        facts = metadata.read_image_facts(image)
        width, height = _oriented_size(image.size, facts.orientation)
        renditions = renditions_of(image)
    return Outcome(renditions=renditions, width=width, height=height, facts=facts)


def _probe_or_fail(path: str, asset: Asset) -> Probe | None:
    try:
        return probe(path, asset.extension)
    except ProbeFailed as exc:
        logger.info("ffprobe refused asset %s: %s", asset.pk, exc)
        if asset.kind == VIDEO:
            raise ProcessingFailed(
                _("The video cannot be read: it is damaged, cut short or not a video.")
            ) from exc
        raise ProcessingFailed(
            _("The recording cannot be read: it is damaged, cut short or not audio.")
        ) from exc


def _process_video(asset: Asset) -> Outcome:
    outcome = Outcome()
    has_ffprobe, has_ffmpeg = tool("ffprobe") is not None, tool("ffmpeg") is not None
    if not has_ffprobe and not has_ffmpeg:
        outcome.notes.append(
            _(
                "ffmpeg and ffprobe are not installed: the video was archived "
                "without a poster frame, duration or size."
            )
        )
        return outcome
    with local_path(asset.file) as path:
        found = _probe_or_fail(path, asset)
        if found is None:
            outcome.notes.append(
                _("ffprobe is not installed: the duration and size were not read.")
            )
        else:
            outcome.duration, outcome.width = found.duration, found.width
            outcome.height = found.height
        if not has_ffmpeg:
            outcome.notes.append(
                _("ffmpeg is not installed: the video has no poster frame.")
            )
            return outcome
        frame = poster_frame(path, asset.extension, outcome.duration)
    if frame is None:
        outcome.notes.append(_("No poster frame could be taken from the video."))
        return outcome
    try:
        with open_image(io.BytesIO(frame)) as poster:
            poster.load()
            outcome.width = outcome.width or poster.width
            outcome.height = outcome.height or poster.height
            outcome.renditions = renditions_of(poster)
            outcome.renditions[POSTER] = _encode(
                _displayable(poster), POSTER_QUALITY, None
            )
    except ProcessingFailed:
        outcome.notes.append(_("No poster frame could be taken from the video."))
    return outcome


def _process_audio(asset: Asset) -> Outcome:
    outcome = Outcome()
    if tool("ffprobe") is None:
        outcome.notes.append(_("ffprobe is not installed: the duration was not read."))
        return outcome
    with local_path(asset.file) as path:
        found = _probe_or_fail(path, asset)
    if found is not None:
        outcome.duration = found.duration
    return outcome


def _process(asset: Asset) -> Outcome:
    if asset.kind == PHOTO:
        return _process_photo(asset)
    if asset.kind == VIDEO:
        return _process_video(asset)
    if asset.kind == AUDIO:
        return _process_audio(asset)
    return Outcome()  # documents: stored as they are


def _fill_from_facts(asset: Asset, facts: metadata.ImageFacts) -> list[str]:
    """Metadata from the file where the user gave none; the fields changed."""
    changed = []
    if facts.taken_at and asset.taken_at is None:
        asset.taken_at = facts.taken_at
        changed.append("taken_at")
    for attribute in ("camera", "latitude", "longitude"):
        value = getattr(facts, attribute)
        if value not in (None, "") and getattr(asset, attribute) in (None, ""):
            setattr(asset, attribute, value)
            changed.append(attribute)
    for language in metadata.LANGUAGES:
        for attribute, texts in (("title", facts.title), ("caption", facts.caption)):
            name = f"{attribute}_{language}"
            if texts.get(language) and not getattr(asset, name):
                limit = 300 if attribute == "title" else 5000
                setattr(asset, name, texts[language][:limit])
                changed.append(name)
    if facts.credit and not asset.credit:
        asset.credit = facts.credit
        changed.append("credit")
    return changed


def _finish(asset_id: int, outcome: Outcome) -> None:
    from archive import services  # services enqueue this module's task

    stored = _store(asset_id, outcome.renditions) if outcome.renditions else {}
    with transaction.atomic():
        asset = Asset.objects.select_for_update().filter(pk=asset_id).first()
        if asset is None or asset.state != Asset.State.PROCESSING:
            # Deleted, or finished by another run meanwhile: this run's files
            # are named by no row.
            transaction.on_commit(lambda: files_delete(stored.values()))
            return
        changed = ["state", "failure", "processing_note", "renditions"]
        gone = set(asset.renditions.values()) - set(stored.values())
        asset.state = Asset.State.READY
        asset.failure = ""
        asset.processing_note = " ".join(outcome.notes)[:300]
        asset.renditions = stored
        for attribute, value in (
            ("width", outcome.width),
            ("height", outcome.height),
            ("duration_seconds", outcome.duration),
        ):
            if value is not None:
                setattr(asset, attribute, value)
                changed.append(attribute)
        filled = _fill_from_facts(asset, outcome.facts) if outcome.facts else []
        tags = []
        if outcome.facts and outcome.facts.keywords and not asset.tags.exists():
            tags = services.tags_get_or_create(outcome.facts.keywords)
            asset.tags.add(*tags)
        asset.search_text = services.asset_search_text(asset)
        asset.save(update_fields=[*changed, *filled, "search_text"])
        changes = {
            "state": [Asset.State.PROCESSING, Asset.State.READY],
            **{name: [None, str(getattr(asset, name))] for name in filled},
        }
        if tags:
            changes["tags"] = [None, ", ".join(tag.name for tag in tags)]
        if asset.processing_note:
            changes["processing_note"] = [None, asset.processing_note]
        audit_record(
            actor=None, action="archive.asset.processed", target=asset, changes=changes
        )
        if gone:
            transaction.on_commit(lambda: files_delete(gone))


def _fail(asset_id: int, reason: str) -> None:
    with transaction.atomic():
        asset = Asset.objects.select_for_update().filter(pk=asset_id).first()
        if asset is None or asset.state != Asset.State.PROCESSING:
            return
        asset.state = Asset.State.FAILED
        asset.failure = reason
        asset.save(update_fields=["state", "failure"])
        audit_record(
            actor=None,
            action="archive.asset.failed",
            target=asset,
            changes={
                "state": [Asset.State.PROCESSING, Asset.State.FAILED],
                "failure": [None, reason],
            },
        )


def asset_process(asset_id: int) -> None:
    """Process one asset; quietly nothing if it is gone or not processing.

    Messages are in the uploader's language.
    """
    asset = Asset.objects.select_related("uploaded_by").filter(pk=asset_id).first()
    if asset is None or asset.state != Asset.State.PROCESSING:
        return
    language = getattr(asset.uploaded_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            outcome = _process(asset)
        except ProcessingFailed as exc:
            _fail(asset_id, exc.message)
            return
        except SoftTimeLimitExceeded:
            _fail(asset_id, _("Processing took too long and was stopped."))
            return
        except FileNotFoundError:
            _fail(asset_id, _("The stored file is missing."))
            return
        except Exception:  # a bug must not leave the asset "processing" for ever
            logger.exception("Processing asset %s failed", asset_id)
            _fail(
                asset_id,
                _("Processing stopped on an unexpected error; process it again."),
            )
            return
        _finish(asset_id, outcome)


# --- Press copies ----------------------------------------------------------------


def press_copy(asset: Asset) -> bytes:
    """A JPEG for journalists: rendition "l" with caption and credit embedded.

    XMP carries the title and caption in every language, creator, credit and
    rights (UTF-8); EXIF carries an ASCII rendering of them. Nothing else of the
    original's metadata (GPS position, camera serial numbers) goes out.
    """
    source = asset.renditions.get("l")
    if not source:
        raise ValidationError(_("This file has no picture to make a press copy of."))
    with default_storage.open(source, "rb") as handle:
        image = Image.open(handle)
        image.load()
    organisation = settings.PRAPP_ORGANISATION_NAME
    holder = asset.credit or organisation
    with translation.override("en"):
        usage = str(Asset.Rights(asset.rights).label)
    usage = usage[:1].upper() + usage[1:]
    rights = f"© {holder}. {usage}." if holder else f"{usage}."
    titles = {
        lang: getattr(asset, f"title_{lang}") or "" for lang in metadata.LANGUAGES
    }
    captions = {
        lang: getattr(asset, f"caption_{lang}") or "" for lang in metadata.LANGUAGES
    }
    titles = {lang: text for lang, text in titles.items() if text}
    captions = {lang: text for lang, text in captions.items() if text}
    first_caption = next(iter(captions.values()), "") or next(iter(titles.values()), "")
    xmp = metadata.xmp_packet(
        title=titles,
        caption=captions,
        creator=asset.credit,
        credit=", ".join(part for part in (asset.credit, organisation) if part),
        rights=rights,
        keywords=[tag.name for tag in asset.tags.all()],
    )
    exif = metadata.press_exif(
        caption=first_caption, creator=asset.credit, rights=rights
    )
    buffer = io.BytesIO()
    options = {"quality": "keep", "exif": exif, "xmp": xmp}
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()
