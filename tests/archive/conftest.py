"""Files for the archive tests, all made here: Pillow images, WAV, ffmpeg's test video.

Nothing is downloaded. The video fixture needs ffmpeg and skips its test when
it is not installed (CI installs it).
"""

import io
import math
import shutil
import struct
import subprocess
import wave

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, TiffImagePlugin

HAS_FFMPEG = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None
needs_ffmpeg = pytest.mark.skipif(not HAS_FFMPEG, reason="ffmpeg is not installed")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Stored files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def english():
    """Messages in English, whatever LANGUAGE_CODE the tests run with."""
    with translation.override("en"):
        yield


@pytest.fixture
def archivist(make_user):
    return make_user("archivist", role="Archivist", language="en")


def stored_files(root) -> list[str]:
    """Every file under the media folder, relative, sorted."""
    return sorted(
        str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()
    )


def _rational(value: float) -> TiffImagePlugin.IFDRational:
    return TiffImagePlugin.IFDRational(round(value * 10000), 10000)


def make_image(
    size=(640, 480),
    *,
    format="JPEG",
    mode="RGB",
    orientation=None,
    gps=None,
    taken=None,
    camera=None,
    xmp=None,
    iptc=None,
    quality=90,
) -> bytes:
    """An image with a gradient (left dark, right light) and optional metadata.

    ``gps`` is (latitude, longitude) in degrees; ``iptc`` a dict of
    (record, dataset) → str or list of str, embedded as a Photoshop APP13
    block the way cameras' software writes it.
    """
    width, height = size
    gradient = (
        Image.linear_gradient("L")
        .transpose(Image.Transpose.ROTATE_90)
        .resize((width, height))
    )
    # A red marker in the top-left corner shows where the stored top-left is.
    image = Image.merge("RGB", (gradient, gradient, gradient))
    image.paste((255, 0, 0), (0, 0, max(1, width // 8), max(1, height // 8)))
    if mode != "RGB":
        image = image.convert(mode)
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if camera:
        exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = camera
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if gps:
        latitude, longitude = gps
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "N" if latitude >= 0 else "S"
        info[ExifTags.GPS.GPSLatitude] = _dms(abs(latitude))
        info[ExifTags.GPS.GPSLongitudeRef] = "E" if longitude >= 0 else "W"
        info[ExifTags.GPS.GPSLongitude] = _dms(abs(longitude))
    buffer = io.BytesIO()
    options = {}
    if format == "JPEG":
        options["quality"] = quality
    if len(exif) or exif.get_ifd(ExifTags.IFD.GPSInfo):
        options["exif"] = exif
    if xmp:
        options["xmp"] = xmp.encode() if isinstance(xmp, str) else xmp
    image.save(buffer, format, **options)
    data = buffer.getvalue()
    if iptc:
        data = _with_iptc(data, iptc)
    return data


def _dms(value: float):
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = (value - degrees - minutes / 60) * 3600
    return (_rational(degrees), _rational(minutes), _rational(seconds))


def _with_iptc(jpeg: bytes, iptc: dict) -> bytes:
    records = b"\x1c\x01\x5a\x00\x03\x1b\x25\x47"  # 1:90 coded character set: UTF-8
    for (record, dataset), values in iptc.items():
        for value in values if isinstance(values, list) else [values]:
            raw = value.encode("utf-8")
            records += struct.pack(">BBBH", 0x1C, record, dataset, len(raw)) + raw
    if len(records) % 2:
        records += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"
    resource += struct.pack(">I", len(records)) + records
    payload = b"Photoshop 3.0\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + segment + jpeg[2:]


def bomb_png(width=30000, height=30000) -> bytes:
    """A tiny PNG whose header declares ``width`` × ``height`` pixels."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data))
            + body
            + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    # One row of data only: the rest would be inflated if anyone decoded it.
    data = zlib.compress(b"\x00" * (width + 1))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )


def make_wav(seconds=1.0, rate=8000) -> bytes:
    """A sine tone, written with the standard library."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
            for n in range(int(seconds * rate))
        )
        out.writeframes(frames)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(scope="session")
def video_bytes(tmp_path_factory) -> bytes:
    """A two-second 320×240 MP4 (index at the end) from ffmpeg's test source."""
    if not HAS_FFMPEG:
        pytest.skip("ffmpeg is not installed")
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=2:size=320x240:rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=2",
            "-shortest",
            "-c:v",
            "mpeg4",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path.read_bytes()
