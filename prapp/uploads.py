"""Checking uploaded files: the name, the size and what the first bytes say."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# What an office attaches to events and releases, with the bytes each starts with.
DOCUMENT_TYPES = {
    "pdf": b"%PDF",
    "png": b"\x89PNG",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    # Office Open XML files are ZIP archives; the old formats are OLE2.
    "docx": b"PK\x03\x04",
    "xlsx": b"PK\x03\x04",
    "pptx": b"PK\x03\x04",
    "odt": b"PK\x03\x04",
    "doc": b"\xd0\xcf\x11\xe0",
    "xls": b"\xd0\xcf\x11\xe0",
    "txt": b"",
}
IMAGE_EXTENSIONS = {"png", "jpg", "jpeg"}
# Named here: a slim server image has no /etc/mime.types for mimetypes to read.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "txt": "text/plain",
}


def upload_check(upload, *, types=DOCUMENT_TYPES, max_bytes: int) -> str:
    """Refuse a file whose type is not allowed, that is too large or that lies.

    Returns the extension. Images are opened with Pillow, so a damaged file or
    a decompression bomb is refused here rather than on a public page.
    """
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in types:
        raise ValidationError(
            {
                "file": _("Files of this type cannot be attached: %(types)s only.")
                % {"types": ", ".join(sorted(types))}
            }
        )
    if upload.size > max_bytes:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)d MB.")
                % {"size": max_bytes // (1024 * 1024)}
            }
        )
    # The name can lie: the first bytes say what the file really is.
    head = upload.read(8)
    upload.seek(0)
    mismatch = not head.startswith(types[extension])
    if mismatch or (extension == "txt" and b"\x00" in head):
        raise ValidationError(
            {"file": _("The file's contents do not match its extension.")}
        )
    if extension in IMAGE_EXTENSIONS:
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ValidationError({"file": _("The image is damaged.")}) from exc
        finally:
            upload.seek(0)
    return extension
