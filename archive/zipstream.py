"""A ZIP archive written as it is sent: never built in memory or on disk first.

The standard library's ``zipfile`` writes to a stream it cannot seek when each
member carries a data descriptor (sizes and checksum after the data); it does
so by itself once ``tell()`` fails. ``_Sink`` is such a stream: it only
collects what ``zipfile`` wrote since the last chunk was handed on, so memory
stays bounded by one read of a member (``CHUNK_SIZE``) whatever the album
holds. No third-party package is needed for that.

Members are stored, not deflated: photos, videos and audio are compressed
already, and deflating them would cost the server time for nothing.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

CHUNK_SIZE = 256 * 1024
# ZIP dates start in 1980; an older "taken" date would be refused by zipfile.
_EARLIEST = (1980, 1, 1, 0, 0, 0)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
_MAX_NAME = 150


@dataclass
class ZipMember:
    """One file of the archive: its name inside it and a way to read its bytes."""

    name: str
    chunks: Callable[[], Iterable[bytes]]
    size: int | None = None
    modified: datetime | None = None


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream that hands on what was written to it."""

    def __init__(self):
        super().__init__()
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        return len(data)

    def pending(self) -> int:
        return len(self._buffer)

    def drain(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


def safe_member_name(name: str, default: str = "file") -> str:
    """A file name that is safe inside a ZIP: no folders, controls or dot files.

    Folders are dropped, not flattened into the name: unzipping must never
    write outside the folder the user chose.

    Bidirectional overrides are removed too, so that "photo\u202egpj.exe" cannot
    pass for a JPEG in a file manager.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    # Only the last part of a path: "../../etc/passwd" is "passwd".
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(
        char for char in text if unicodedata.category(char) not in ("Cf", "Cc")
    )
    text = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    if not text:
        return default
    if len(text) > _MAX_NAME:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = f"{stem[: _MAX_NAME - len(extension) - 1]}.{extension}"
        else:
            text = text[:_MAX_NAME]
    return text


class NameBook:
    """Hands out unique member names: the second "a.jpg" becomes "a (2).jpg"."""

    def __init__(self):
        self._taken: set[str] = set()

    def claim(self, name: str) -> str:
        name = safe_member_name(name)
        stem, dot, extension = name.rpartition(".")
        if not dot or not stem:
            stem, dot, extension = name, "", ""
        candidate, number = name, 1
        # Case-insensitive: Windows and macOS would overwrite "A.jpg" with "a.jpg".
        while candidate.casefold() in self._taken:
            number += 1
            candidate = f"{stem} ({number}){dot}{extension}"
        self._taken.add(candidate.casefold())
        return candidate


def _date_time(moment: datetime | None) -> tuple:
    if moment is None:
        return _EARLIEST
    stamp = moment.timetuple()[:6]
    return max(stamp, _EARLIEST)


def zip_stream(members: Iterable[ZipMember]) -> Iterator[bytes]:
    """Yield the bytes of a ZIP of ``members``, a chunk at a time.

    A member whose bytes cannot be read (a file gone from storage) is left out
    rather than ending the download halfway.
    """
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:
        for member in members:
            info = zipfile.ZipInfo(member.name, date_time=_date_time(member.modified))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            if member.size is not None:
                # Known ahead, it decides whether the entry needs ZIP64 (> 4 GiB).
                info.file_size = member.size
            try:
                chunks = iter(member.chunks())
            except OSError:
                continue
            with archive.open(
                info, mode="w", force_zip64=member.size is None
            ) as target:
                for chunk in chunks:
                    target.write(chunk)
                    if sink.pending() >= CHUNK_SIZE:
                        yield sink.drain()
            yield sink.drain()
    yield sink.drain()


def file_chunks(opener: Callable, size: int = CHUNK_SIZE) -> Callable[[], Iterator]:
    """A ``ZipMember.chunks`` that opens a file late and reads it in pieces."""

    def read() -> Iterator[bytes]:
        handle = opener()

        def pieces():
            with handle:
                while data := handle.read(size):
                    yield data

        return pieces()

    return read
