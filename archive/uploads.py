"""What an uploaded file really is, a safe name for it, the streaming upload handler.

The type of a file is decided by its content (magic bytes, the parts list of an
Office/OpenDocument ZIP, the directory of an old Office file), never by its
name; the name only helps for plain text, which has no signature.

Upload views stream files to disk and hash them as they arrive::

    from django.utils.decorators import method_decorator
    from django.views.decorators.csrf import csrf_exempt, csrf_protect

    from archive.uploads import use_hashing_handler

    @method_decorator(csrf_exempt, name="dispatch")
    class AssetUploadView(PermissionRequiredMixin, View):
        def post(self, request):
            use_hashing_handler(request)  # before request.POST / request.FILES
            return self._post(request)

        @method_decorator(csrf_protect)
        def _post(self, request):
            upload = request.FILES.get("file")
            result = services.asset_upload(file=upload, actor=request.user)

The handler must be installed before anything reads ``request.POST`` or
``request.FILES``. Django's CSRF middleware reads ``request.POST`` in
``process_view``, so the view is exempted there and protected again inside,
after the handler is in place (csrf_exempt + csrf_protect, as Django's
documentation on upload handlers says). Each file then goes to a temporary file
in chunks (memory stays at one chunk whatever the size), its SHA-256 is computed
on the way (``upload.sha256``), and a file larger than its kind allows stops
being written at the limit while its true size is still counted, so
``archive.services.asset_upload`` refuses it with a clear message.
"""

import hashlib
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.utils.translation import gettext as _

PHOTO, VIDEO, AUDIO, DOCUMENT = "photo", "video", "audio", "document"

# How much of the start of a file the signatures need.
HEAD_BYTES = 4096


@dataclass(frozen=True)
class FileType:
    """What the content says a file is."""

    kind: str
    extension: str
    content_type: str


class UnsupportedType(ValueError):
    """The content is of no type the archive accepts; the message says why."""


TYPES = {
    "jpg": FileType(PHOTO, "jpg", "image/jpeg"),
    "png": FileType(PHOTO, "png", "image/png"),
    "gif": FileType(PHOTO, "gif", "image/gif"),
    "webp": FileType(PHOTO, "webp", "image/webp"),
    "tif": FileType(PHOTO, "tif", "image/tiff"),
    "mp4": FileType(VIDEO, "mp4", "video/mp4"),
    "mov": FileType(VIDEO, "mov", "video/quicktime"),
    "webm": FileType(VIDEO, "webm", "video/webm"),
    "mkv": FileType(VIDEO, "mkv", "video/x-matroska"),
    "avi": FileType(VIDEO, "avi", "video/x-msvideo"),
    "ogv": FileType(VIDEO, "ogv", "video/ogg"),
    "mp3": FileType(AUDIO, "mp3", "audio/mpeg"),
    "wav": FileType(AUDIO, "wav", "audio/wav"),
    "ogg": FileType(AUDIO, "ogg", "audio/ogg"),
    "m4a": FileType(AUDIO, "m4a", "audio/mp4"),
    "flac": FileType(AUDIO, "flac", "audio/flac"),
    "weba": FileType(AUDIO, "weba", "audio/webm"),
    "mka": FileType(AUDIO, "mka", "audio/x-matroska"),
    "pdf": FileType(DOCUMENT, "pdf", "application/pdf"),
    "docx": FileType(
        DOCUMENT,
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": FileType(
        DOCUMENT,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx": FileType(
        DOCUMENT,
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": FileType(DOCUMENT, "odt", "application/vnd.oasis.opendocument.text"),
    "ods": FileType(DOCUMENT, "ods", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": FileType(DOCUMENT, "odp", "application/vnd.oasis.opendocument.presentation"),
    "doc": FileType(DOCUMENT, "doc", "application/msword"),
    "xls": FileType(DOCUMENT, "xls", "application/vnd.ms-excel"),
    "ppt": FileType(DOCUMENT, "ppt", "application/vnd.ms-powerpoint"),
    "txt": FileType(DOCUMENT, "txt", "text/plain"),
    "csv": FileType(DOCUMENT, "csv", "text/csv"),
    "md": FileType(DOCUMENT, "md", "text/markdown"),
    "srt": FileType(DOCUMENT, "srt", "application/x-subrip"),
    "vtt": FileType(DOCUMENT, "vtt", "text/vtt"),
}

# The same type under another name: a file called .jpeg keeps its name.
SAME_TYPE = {
    "jpeg": "jpg",
    "jpe": "jpg",
    "jfif": "jpg",
    "tiff": "tif",
    "qt": "mov",
    "oga": "ogg",
    "opus": "ogg",
    "m4v": "mp4",
    "text": "txt",
    "markdown": "md",
}
# Plain text has no signature: it is accepted only under one of these names.
TEXT_EXTENSIONS = {"txt", "text", "csv", "md", "markdown", "srt", "vtt"}

# ISO base media ("ftyp") brands.
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_QUICKTIME_BRANDS = {b"qt  "}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1"}
_HEIF_BRANDS |= {b"msf1", b"avif", b"avis"}


def kind_limit_bytes(kind: str) -> int:
    """The largest file of ``kind`` the archive accepts, in bytes."""
    megabytes = {
        PHOTO: settings.ARCHIVE_MAX_MB_PHOTO,
        VIDEO: settings.ARCHIVE_MAX_MB_VIDEO,
        AUDIO: settings.ARCHIVE_MAX_MB_AUDIO,
        DOCUMENT: settings.ARCHIVE_MAX_MB_DOCUMENT,
    }[kind]
    return megabytes * 1024 * 1024


def largest_limit_bytes() -> int:
    return max(kind_limit_bytes(kind) for kind in (PHOTO, VIDEO, AUDIO, DOCUMENT))


# --- Names -----------------------------------------------------------------------

_NAME_MAX = 200
_SPACES = re.compile(r"\s+")


def _allowed_char(char: str) -> bool:
    # Control characters (NUL…) and format characters (bidi overrides and
    # isolates that make "gpj.exe" read "exe.jpg", zero-width characters) go.
    return unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}


def split_extension(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or " " in extension or len(extension) > 10:
        return name, ""
    return stem, extension


def safe_display_name(name: str, extension: str = "") -> str:
    """A name fit to show and to offer as a download name, from an untrusted one.

    Keeps the last path component only (no folders, "..", drive letters),
    drops control and format characters (NUL, right-to-left overrides), trims
    dots and spaces at the ends, and shortens long names keeping the extension.
    With ``extension`` (what the content says), a name claiming another type is
    given the right extension: "report.jpg" that is a PNG becomes "report.png".
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if _allowed_char(char))
    name = _SPACES.sub(" ", name).strip(" .")
    stem, current = split_extension(name)
    if extension:
        current_lower = current.lower()
        if SAME_TYPE.get(current_lower, current_lower) != extension:
            # The claimed extension was not an extension of this type: keep
            # what it said in the stem only if it was not a type at all.
            if current_lower in TYPES or current_lower in SAME_TYPE:
                current = extension
            else:
                stem, current = name, extension
    stem = stem.strip(" .") or "file"
    room = _NAME_MAX - (len(current) + 1 if current else 0)
    stem = stem[:room].rstrip(" .") or "file"
    return f"{stem}.{current}" if current else stem


# --- Types by content ------------------------------------------------------------


def _iso_media_type(head: bytes) -> FileType:
    major = head[8:12]
    if major in _HEIF_BRANDS:
        raise UnsupportedType(
            _("HEIC/HEIF and AVIF photos are not accepted; export them as JPEG.")
        )
    if major in _AUDIO_BRANDS:
        return TYPES["m4a"]
    if major in _QUICKTIME_BRANDS:
        return TYPES["mov"]
    return TYPES["mp4"]


def _matroska_type(head: bytes) -> FileType:
    # The EBML header names the document type ("webm" or "matroska") early on.
    window = head[:64]
    if b"webm" in window:
        return TYPES["webm"]
    return TYPES["mkv"]


def _is_mp3(head: bytes) -> bool:
    if head.startswith(b"ID3"):
        return True
    # An MPEG audio frame: 11 sync bits, then a layer III header.
    return (
        len(head) >= 2
        and head[0] == 0xFF
        and (head[1] & 0xE0) == 0xE0
        and (head[1] >> 1) & 0x03 == 0x01
        and (head[1] >> 3) & 0x03 != 0x01
    )


def signature_type(head: bytes) -> FileType | None:
    """The type the first bytes announce, before any deeper look (or None)."""
    if head.startswith(b"\xff\xd8\xff"):
        return TYPES["jpg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return TYPES["gif"]
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TYPES["tif"]
    if head.startswith(b"RIFF") and len(head) >= 12:
        return {
            b"WEBP": TYPES["webp"],
            b"AVI ": TYPES["avi"],
            b"WAVE": TYPES["wav"],
        }.get(head[8:12])
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return _iso_media_type(head)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return _matroska_type(head)
    if head.startswith(b"OggS"):
        return TYPES["ogv"] if b"\x80theora" in head[:256] else TYPES["ogg"]
    if head.startswith(b"fLaC"):
        return TYPES["flac"]
    if b"%PDF-" in head[:1024]:
        return TYPES["pdf"]
    if head.startswith(b"PK\x03\x04"):
        return TYPES["docx"]  # an Office or OpenDocument file, decided later
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return TYPES["doc"]  # an old Office file, decided later
    if _is_mp3(head):
        return TYPES["mp3"]
    return None


def kind_from_head(head: bytes) -> str | None:
    """The kind (photo, video…) the first bytes announce, for early size limits."""
    try:
        found = signature_type(head)
    except UnsupportedType:
        return None
    return found.kind if found else None


def _zip_document_type(handle) -> FileType:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    mimetype = archive.read("mimetype").decode("ascii", "replace")
                    for extension in ("odt", "ods", "odp"):
                        if mimetype.strip() == TYPES[extension].content_type:
                            return TYPES[extension]
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise UnsupportedType(_("The file is a damaged ZIP archive.")) from exc
    if "[Content_Types].xml" in names:
        prefixes = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
        for prefix, extension in prefixes.items():
            if any(name.startswith(prefix) for name in names):
                return TYPES[extension]
    raise UnsupportedType(
        _("ZIP archives are not accepted, only Office and OpenDocument files.")
    )


def _ole_stream_names(handle) -> set[str]:
    """The names in an old Office (OLE2 compound) file's directory."""
    handle.seek(0)
    header = handle.read(512)
    if len(header) < 512:
        return set()
    sector_shift = struct.unpack_from("<H", header, 30)[0]
    if sector_shift not in (9, 12):
        return set()
    sector_size = 1 << sector_shift
    first_directory = struct.unpack_from("<I", header, 48)[0]
    fat_sectors = [
        sector
        for sector in struct.unpack_from("<109I", header, 76)
        if sector < 0xFFFFFFFA
    ]

    def read_sector(number: int) -> bytes:
        handle.seek((number + 1) * sector_size)
        return handle.read(sector_size)

    fat: list[int] = []
    for sector in fat_sectors[:64]:
        data = read_sector(sector)
        fat.extend(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))
    names: set[str] = set()
    sector, seen = first_directory, 0
    while sector < 0xFFFFFFFA and seen < 256:
        data = read_sector(sector)
        for offset in range(0, len(data) - 127, 128):
            length = struct.unpack_from("<H", data, offset + 64)[0]
            if 2 <= length <= 64:
                raw = data[offset : offset + length - 2]
                names.add(raw.decode("utf-16-le", "replace"))
        seen += 1
        sector = fat[sector] if sector < len(fat) else 0xFFFFFFFE
    return names


def _ole_document_type(handle) -> FileType:
    try:
        names = _ole_stream_names(handle)
    except (struct.error, OSError) as exc:
        raise UnsupportedType(_("The old Office file is damaged.")) from exc
    if "WordDocument" in names:
        return TYPES["doc"]
    if names & {"Workbook", "Book"}:
        return TYPES["xls"]
    if "PowerPoint Document" in names:
        return TYPES["ppt"]
    raise UnsupportedType(_("This old Office file is of no accepted type."))


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    controls = set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}
    return not any(byte in controls for byte in head)


def identify(handle, name: str = "") -> FileType:
    """The type of an open binary file, by content; raises UnsupportedType.

    Reads the start of the file (and, for ZIP and old Office files, their
    directories) and leaves the position at the start.
    """
    handle.seek(0)
    head = handle.read(HEAD_BYTES)
    handle.seek(0)
    try:
        found = signature_type(head)
        if found is TYPES["docx"]:
            found = _zip_document_type(handle)
        elif found is TYPES["doc"]:
            found = _ole_document_type(handle)
    finally:
        handle.seek(0)
    if found is not None:
        return found
    claimed = split_extension(safe_display_name(name))[1].lower()
    if claimed in TEXT_EXTENSIONS and _looks_like_text(head):
        return TYPES[SAME_TYPE.get(claimed, claimed)]
    raise UnsupportedType(
        _(
            "This type of file is not accepted: photos (JPEG, PNG, GIF, WebP, "
            "TIFF), videos (MP4, MOV, WebM, MKV, AVI), audio (MP3, WAV, OGG, "
            "M4A, FLAC) and documents (PDF, Word, Excel, PowerPoint, "
            "OpenDocument, plain text) only."
        )
    )


def sha256_of(handle, chunk_size: int = 1024 * 1024) -> str:
    """The SHA-256 of an open binary file, read in chunks from the start."""
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(chunk_size):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


# --- The upload handler ----------------------------------------------------------


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Streams each file to a temporary file, hashing it chunk by chunk.

    The file gets ``sha256`` (hex) when complete. Once the file passes the
    limit of the kind its first bytes announce (or the largest limit when
    they announce none), the rest is counted but not written: the upload
    keeps its true ``size`` and is refused by the service.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._digest = hashlib.sha256()
        self._written = 0
        self._limit = None
        self._head = b""

    def receive_data_chunk(self, raw_data, start):
        self._digest.update(raw_data)
        if self._limit is None:
            self._head += raw_data[: HEAD_BYTES - len(self._head)]
            if len(self._head) >= HEAD_BYTES:
                self._limit = self._head_limit()
        limit = self._limit if self._limit is not None else largest_limit_bytes()
        if self._written <= limit:
            self.file.write(raw_data)
            self._written += len(raw_data)
        return None

    def _head_limit(self) -> int:
        kind = kind_from_head(self._head)
        if kind in (VIDEO, AUDIO):
            # A container can turn out to be the other kind (ffprobe decides).
            return max(kind_limit_bytes(VIDEO), kind_limit_bytes(AUDIO))
        return kind_limit_bytes(kind) if kind else largest_limit_bytes()

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        upload.sha256 = self._digest.hexdigest()
        upload.size = file_size
        # Only part of it is on disk: the service refuses it whatever it is.
        upload.cut_short = self._written < file_size
        return upload


def use_hashing_handler(request) -> None:
    """Make ``request`` stream its files through HashingUploadHandler.

    Call it before anything reads ``request.POST`` or ``request.FILES`` (see
    the module's docstring for the CSRF part).
    """
    request.upload_handlers = [HashingUploadHandler(request)]
