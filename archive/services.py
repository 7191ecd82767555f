"""Archive writes: uploads, metadata, deletion, albums and media appearances.

Every write checks its permission, runs in a transaction and leaves an audit
entry. An upload is checked by content before anything is stored (type by
magic bytes, Pillow's header and structure for images, ffprobe for video and
audio when installed, per-kind size limits, empty files), stored under a
random name, and processed by the worker after commit (archive.processing).
A failure anywhere in an upload leaves no file and no row; deleting an asset
removes its original and every rendition once the deletion is committed.
"""

import logging
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from archive import processing
from archive.models import Album, ArchiveTag, Asset, MediaAppearance
from archive.uploads import (
    AUDIO,
    PHOTO,
    TYPES,
    VIDEO,
    FileType,
    UnsupportedType,
    identify,
    kind_limit_bytes,
    safe_display_name,
    sha256_of,
)
from prapp.audit import audit_record, diff
from prapp.text import search_key, slugify_any

logger = logging.getLogger(__name__)

LANGUAGES = ("ka", "hy", "en")
ASSET_FIELDS = (
    *(f"title_{lang}" for lang in LANGUAGES),
    *(f"caption_{lang}" for lang in LANGUAGES),
    "description",
    "taken_at",
    "place",
    "people_shown",
    "credit",
    "rights",
    "licence_expires",
    "consent",
    "consent_note",
    "event",
    "release",
)
BULK_FIELDS = ("rights", "consent", "credit", "event")
ALBUM_FIELDS = (
    *(f"title_{lang}" for lang in LANGUAGES),
    *(f"description_{lang}" for lang in LANGUAGES),
    "event",
    "cover",
)
APPEARANCE_FIELDS = (
    "person",
    "speaker_name",
    "outlet",
    "medium",
    "programme",
    "title",
    "aired_at",
    "link",
    "recording",
    "notes",
)
# What a video or audio container holds when ffprobe finds it is the other kind.
_AUDIO_OF_VIDEO = {
    "mp4": "m4a",
    "mov": "m4a",
    "webm": "weba",
    "mkv": "mka",
    "ogv": "ogg",
}
_VIDEO_OF_AUDIO = {"m4a": "mp4", "ogg": "ogv", "weba": "webm", "mka": "mkv"}


def require(actor, perm: str) -> None:
    """Refuse the write unless ``actor`` holds ``perm`` (views check too)."""
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(perm)


def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # model instances, dates


def _values(obj, fields) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _apply(obj, data: dict, fields) -> list[str]:
    changed = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


# --- Tags and search keys --------------------------------------------------------


def tags_get_or_create(names) -> list[ArchiveTag]:
    """The tags of these names (by their code), created as needed."""
    from archive.metadata import guess_language

    tags: dict[str, ArchiveTag] = {}
    for raw in names:
        name = " ".join(str(raw).split())[:80]
        slug = slugify_any(name)
        if not name or not slug or slug in tags:
            continue
        language = guess_language(name)
        tag, _created = ArchiveTag.objects.get_or_create(
            slug=slug, defaults={"name": name, f"name_{language}": name}
        )
        tags[slug] = tag
    return list(tags.values())


def asset_search_text(asset: Asset) -> str:
    """The key an asset is found by: titles, captions, people, place, credit, tags."""
    tag_names = []
    for tag in asset.tags.all() if asset.pk else []:
        tag_names += [tag.name_ka, tag.name_hy, tag.name_en]
    return search_key(
        *(getattr(asset, f"title_{lang}") for lang in LANGUAGES),
        *(getattr(asset, f"caption_{lang}") for lang in LANGUAGES),
        asset.description,
        asset.place,
        asset.people_shown,
        asset.credit,
        asset.camera,
        asset.original_name,
        *tag_names,
    )


def album_search_text(album: Album) -> str:
    return search_key(
        *(getattr(album, f"title_{lang}") for lang in LANGUAGES),
        *(getattr(album, f"description_{lang}") for lang in LANGUAGES),
    )


def appearance_search_text(appearance: MediaAppearance) -> str:
    return search_key(
        appearance.title,
        appearance.programme,
        appearance.speaker_name,
        appearance.notes,
        appearance.person,
        appearance.outlet,
    )


# --- Uploads ---------------------------------------------------------------------


@dataclass
class UploadResult:
    """The new asset and the assets that already held the same file."""

    asset: Asset
    duplicates: list[Asset] = field(default_factory=list)


@dataclass
class CheckedUpload:
    """What the checks found out about an upload."""

    file_type: FileType
    name: str
    size: int
    sha256: str


def _refuse(message: str):
    raise ValidationError({"file": message})


def _on_disk(upload) -> str | None:
    """The path of the file behind an upload, if it is one on disk."""
    if hasattr(upload, "temporary_file_path"):
        return upload.temporary_file_path()
    name = getattr(getattr(upload, "file", upload), "name", None)
    if isinstance(name, str) and os.path.isabs(name) and os.path.isfile(name):
        return name  # import_archive: the file in the tree being imported
    return None


def _check_media(upload, file_type: FileType) -> FileType:
    """ffprobe's word on a video or audio file (when it is installed)."""
    if processing.tool("ffprobe") is None:
        return file_type  # the worker says what it skipped
    path = _on_disk(upload)
    if path is None:
        with processing.temporary_copy(upload) as copy:
            return _check_media_at(copy, file_type)
    return _check_media_at(path, file_type)


def _check_media_at(path: str, file_type: FileType) -> FileType:
    try:
        found = processing.probe(path, file_type.extension)
    except processing.ProbeFailed as exc:
        logger.info("ffprobe refused an upload: %s", exc)
        if file_type.kind == VIDEO:
            _refuse(
                _("The video cannot be read: it is damaged, cut short or not a video.")
            )
        _refuse(
            _("The recording cannot be read: it is damaged, cut short or not audio.")
        )
    if found is None:
        return file_type  # no ffprobe here: the worker says what it skipped
    if file_type.kind == VIDEO and not found.has_video:
        audio = _AUDIO_OF_VIDEO.get(file_type.extension)
        if found.has_audio and audio:
            return TYPES[audio]
        _refuse(_("The video has no picture."))
    if file_type.kind == AUDIO and not found.has_audio:
        video = _VIDEO_OF_AUDIO.get(file_type.extension)
        if found.has_video and video:
            return TYPES[video]
        _refuse(_("The recording has no sound."))
    return file_type


def upload_check(upload) -> CheckedUpload:
    """Refuse what the archive cannot take, with one clear message; else its facts.

    Raises ValidationError ({"file": message}).
    """
    size = upload.size
    if not size:
        _refuse(_("The file is empty."))
    try:
        file_type = identify(upload, upload.name or "")
    except UnsupportedType as exc:
        _refuse(str(exc))
    limit = kind_limit_bytes(file_type.kind)
    if size > limit or getattr(upload, "cut_short", False):
        _refuse(
            _("The file is larger than %(size)d MB, the limit for files of its type.")
            % {"size": limit // (1024 * 1024)}
        )
    if file_type.kind == PHOTO:
        try:
            upload.seek(0)
            processing.verify_image(upload)
        except processing.ProcessingFailed as exc:
            _refuse(exc.message)
        finally:
            upload.seek(0)
    elif file_type.kind in (VIDEO, AUDIO):
        file_type = _check_media(upload, file_type)
    digest = getattr(upload, "sha256", None) or sha256_of(upload)
    return CheckedUpload(
        file_type=file_type,
        name=safe_display_name(upload.name or "", file_type.extension),
        size=size,
        sha256=digest,
    )


def _enqueue(asset_id: int) -> None:
    from archive import tasks  # the task module imports processing, not us

    tasks.asset_process.delay(asset_id)


def asset_upload(
    *, file, actor, data: dict | None = None, import_path: str = ""
) -> UploadResult:
    """Check, store and register one file; processing follows after commit.

    ``file`` is a Django File/UploadedFile (``file.sha256`` is used when the
    upload handler computed it). Files with the same content already in the
    archive come back as ``duplicates``: a warning, not a refusal. On any
    failure nothing stays in storage or in the database.
    """
    require(actor, "archive.add_asset")
    checked = upload_check(file)
    data = dict(data or {})
    stored_name = None
    try:
        with transaction.atomic():
            asset = Asset(
                kind=checked.file_type.kind,
                extension=checked.file_type.extension,
                content_type=checked.file_type.content_type,
                original_name=checked.name,
                size=checked.size,
                sha256=checked.sha256,
                state=Asset.State.PROCESSING,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
                import_path=import_path[:1000],
            )
            _apply(asset, data, ASSET_FIELDS)
            file.seek(0)
            asset.file.save(checked.name, file, save=False)
            stored_name = asset.file.name
            asset.full_clean(exclude=["file", "title", "caption"])
            asset.search_text = asset_search_text(asset)
            asset.save()
            tags, albums = _relations_set(asset, data)
            if tags:
                asset.search_text = asset_search_text(asset)
                asset.save(update_fields=["search_text"])
            duplicates = list(
                Asset.objects.filter(sha256=checked.sha256)
                .exclude(pk=asset.pk)
                .order_by("pk")
            )
            changes = {
                name: [None, value]
                for name, value in _values(
                    asset, ("original_name", "kind", "size", *ASSET_FIELDS)
                ).items()
                if value not in (None, "")
            }
            if tags:
                changes["tags"] = [None, ", ".join(tag.name for tag in tags)]
            if albums:
                changes["albums"] = [None, ", ".join(str(a) for a in albums)]
            if duplicates:
                changes["duplicate_of"] = [None, [d.pk for d in duplicates]]
            audit_record(
                actor=actor,
                action="archive.asset.created",
                target=asset,
                changes=changes,
            )
            transaction.on_commit(partial(_enqueue, asset.pk))
    except BaseException:
        if stored_name:
            processing.files_delete([stored_name])
        raise
    return UploadResult(asset=asset, duplicates=duplicates)


def _relations_set(asset: Asset, data: dict):
    """Tags and albums from ``data``; returns the (tags, albums) set, or None each."""
    tags = albums = None
    if "tags" in data:
        tags = tags_get_or_create(data["tags"] or [])
        asset.tags.set(tags)
    if "albums" in data:
        albums = list(data["albums"] or [])
        asset.albums.set(albums)
    return tags, albums


# --- Asset metadata --------------------------------------------------------------


def _names(items) -> str:
    return ", ".join(sorted(str(item) for item in items))


@transaction.atomic
def asset_update(*, asset: Asset, data: dict, actor) -> Asset:
    """Change an asset's metadata, tags and albums; refreshes its search key."""
    require(actor, "archive.change_asset")
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    before = _values(asset, ASSET_FIELDS)
    changed = _apply(asset, data, ASSET_FIELDS)
    asset.full_clean(exclude=["file", "title", "caption"])
    old_tags, old_albums = _names(asset.tags.all()), _names(asset.albums.all())
    tags, albums = _relations_set(asset, data)
    changes = diff(before, _values(asset, ASSET_FIELDS))
    if tags is not None and _names(tags) != old_tags:
        changes["tags"] = [old_tags, _names(tags)]
    if albums is not None and _names(albums) != old_albums:
        changes["albums"] = [old_albums, _names(albums)]
    if not changes:
        return asset
    asset.search_text = asset_search_text(asset)
    # Only the language columns: naming the untranslated field would make
    # modeltranslation write the active language's fallback into its column.
    asset.save(update_fields=[*changed, "search_text"])
    audit_record(
        actor=actor, action="archive.asset.changed", target=asset, changes=changes
    )
    return asset


@transaction.atomic
def assets_bulk_update(*, assets, data: dict, actor) -> int:
    """The same change to many assets; returns how many changed.

    Keys: rights, consent, credit, event, add_tags (names), add_to_album,
    remove_from_album (Album). One audit entry per changed asset.
    """
    require(actor, "archive.change_asset")
    for key in ("add_to_album", "remove_from_album"):
        if data.get(key) is not None:
            require(actor, "archive.change_album")
    ids = [getattr(asset, "pk", asset) for asset in assets]
    locked = list(Asset.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    new_tags = tags_get_or_create(data.get("add_tags") or [])
    add_album, remove_album = data.get("add_to_album"), data.get("remove_from_album")
    count = 0
    for asset in locked:
        before = _values(asset, BULK_FIELDS)
        changed = _apply(asset, data, BULK_FIELDS)
        asset.full_clean(exclude=["file", "title", "caption"])
        changes = diff(before, _values(asset, BULK_FIELDS))
        if new_tags:
            have = set(asset.tags.values_list("pk", flat=True))
            missing = [tag for tag in new_tags if tag.pk not in have]
            if missing:
                asset.tags.add(*missing)
                changes["tags"] = [None, _names(missing)]
        if add_album is not None and not asset.albums.filter(pk=add_album.pk).exists():
            asset.albums.add(add_album)
            changes["albums"] = [None, str(add_album)]
        if (
            remove_album is not None
            and asset.albums.filter(pk=remove_album.pk).exists()
        ):
            asset.albums.remove(remove_album)
            changes["albums"] = [str(remove_album), None]
        if not changes:
            continue
        asset.search_text = asset_search_text(asset)
        asset.save(update_fields=[*changed, "search_text"])
        audit_record(
            actor=actor, action="archive.asset.changed", target=asset, changes=changes
        )
        count += 1
    return count


@transaction.atomic
def asset_delete(*, asset: Asset, actor) -> None:
    """Delete an asset; its original and every rendition go once committed."""
    require(actor, "archive.delete_asset")
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    names = {asset.file.name, *asset.renditions.values()}
    names.update(processing.rendition_files(asset.pk))
    audit_record(
        actor=actor,
        action="archive.asset.deleted",
        target=asset,
        changes={
            "original_name": [asset.original_name, None],
            "sha256": [asset.sha256, None],
            "size": [asset.size, None],
        },
    )
    asset.delete()
    transaction.on_commit(
        partial(processing.files_delete, sorted(n for n in names if n))
    )


@transaction.atomic
def asset_reprocess(*, asset: Asset, actor) -> Asset:
    """Process an asset again (after installing ffmpeg, or a failure)."""
    require(actor, "archive.change_asset")
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    before = asset.state
    asset.state = Asset.State.PROCESSING
    asset.failure = ""
    asset.processing_note = ""
    asset.save(update_fields=["state", "failure", "processing_note"])
    audit_record(
        actor=actor,
        action="archive.asset.reprocessed",
        target=asset,
        changes={"state": [before, asset.state]},
    )
    transaction.on_commit(partial(_enqueue, asset.pk))
    return asset


# --- Press copies ----------------------------------------------------------------


def file_stem(asset: Asset) -> str:
    """The original's name without its extension (or asset-<pk>), for file names."""
    name = PurePosixPath(asset.original_name or "").stem
    return name or f"asset-{asset.pk}"


def press_copy_file(*, asset: Asset) -> ContentFile:
    """The asset's press copy (JPEG, caption and credit embedded) as a file to attach.

    The other apps attach it to what they send (an event's press kit, a press
    release); it is refused unless the asset is cleared for the press.
    """
    if not asset.cleared_for_press:
        raise ValidationError(
            _("Only assets cleared for the press can be attached: check the rights.")
        )
    try:
        data = processing.press_copy(asset)
    except (OSError, ValueError) as exc:
        raise ValidationError(
            _("The press copy could not be made from this file.")
        ) from exc
    return ContentFile(data, name=f"{file_stem(asset)}.jpg")


# --- Albums ----------------------------------------------------------------------


def _check_album(album: Album) -> None:
    if not any(getattr(album, f"title_{lang}") for lang in LANGUAGES):
        raise ValidationError(
            {"title_ka": _("Give the album's title in one language.")}
        )
    album.full_clean(exclude=["title", "description"])


@transaction.atomic
def album_create(*, data: dict, actor) -> Album:
    """A new album, optionally linked to the event it shows."""
    require(actor, "archive.add_album")
    album = Album(created_by=actor if getattr(actor, "pk", None) else None)
    _apply(album, data, ALBUM_FIELDS)
    _check_album(album)
    album.search_text = album_search_text(album)
    album.save()
    audit_record(
        actor=actor,
        action="archive.album.created",
        target=album,
        changes={
            name: [None, value]
            for name, value in _values(album, ALBUM_FIELDS).items()
            if value not in (None, "")
        },
    )
    return album


@transaction.atomic
def album_update(*, album: Album, data: dict, actor) -> Album:
    """Change an album's titles, description, event or cover."""
    require(actor, "archive.change_album")
    album = Album.objects.select_for_update().get(pk=album.pk)
    before = _values(album, ALBUM_FIELDS)
    changed = _apply(album, data, ALBUM_FIELDS)
    if not changed:
        return album
    _check_album(album)
    album.search_text = album_search_text(album)
    album.save(update_fields=[*changed, "search_text"])
    audit_record(
        actor=actor,
        action="archive.album.changed",
        target=album,
        changes=diff(before, _values(album, ALBUM_FIELDS)),
    )
    return album


@transaction.atomic
def album_delete(*, album: Album, actor) -> None:
    """Delete an album; its assets stay in the archive."""
    require(actor, "archive.delete_album")
    audit_record(
        actor=actor,
        action="archive.album.deleted",
        target=album,
        changes={"title": [str(album), None], "assets": [album.assets.count(), None]},
    )
    album.delete()


@transaction.atomic
def album_add_assets(*, album: Album, assets, actor) -> int:
    """File assets in an album; returns how many were not in it yet."""
    require(actor, "archive.change_album")
    present = set(album.assets.values_list("pk", flat=True))
    new = [asset for asset in assets if asset.pk not in present]
    if new:
        album.assets.add(*new)
        audit_record(
            actor=actor,
            action="archive.album.assets_added",
            target=album,
            changes={"assets": [None, [asset.pk for asset in new]]},
        )
    return len(new)


@transaction.atomic
def album_remove_assets(*, album: Album, assets, actor) -> int:
    """Take assets out of an album (they stay in the archive)."""
    require(actor, "archive.change_album")
    present = set(album.assets.values_list("pk", flat=True))
    gone = [asset for asset in assets if asset.pk in present]
    if gone:
        album.assets.remove(*gone)
        changes = {"assets": [[asset.pk for asset in gone], None]}
        if album.cover_id in {asset.pk for asset in gone}:
            album.cover = None
            album.save(update_fields=["cover"])
            changes["cover"] = [gone[0].pk, None]
        audit_record(
            actor=actor,
            action="archive.album.assets_removed",
            target=album,
            changes=changes,
        )
    return len(gone)


# --- Media appearances -----------------------------------------------------------


def _check_appearance(appearance: MediaAppearance) -> None:
    if appearance.person is None and not appearance.speaker_name:
        raise ValidationError(
            {"speaker_name": _("Say who appeared: a person from contacts or a name.")}
        )
    appearance.full_clean()


@transaction.atomic
def appearance_create(*, data: dict, actor) -> MediaAppearance:
    """Record an appearance of the head on TV, radio, online or in print."""
    require(actor, "archive.add_mediaappearance")
    appearance = MediaAppearance(
        created_by=actor if getattr(actor, "pk", None) else None
    )
    _apply(appearance, data, APPEARANCE_FIELDS)
    _check_appearance(appearance)
    appearance.search_text = appearance_search_text(appearance)
    appearance.save()
    audit_record(
        actor=actor,
        action="archive.appearance.created",
        target=appearance,
        changes={
            name: [None, value]
            for name, value in _values(appearance, APPEARANCE_FIELDS).items()
            if value not in (None, "")
        },
    )
    return appearance


@transaction.atomic
def appearance_update(
    *, appearance: MediaAppearance, data: dict, actor
) -> MediaAppearance:
    """Change a media appearance."""
    require(actor, "archive.change_mediaappearance")
    appearance = MediaAppearance.objects.select_for_update().get(pk=appearance.pk)
    before = _values(appearance, APPEARANCE_FIELDS)
    changed = _apply(appearance, data, APPEARANCE_FIELDS)
    if not changed:
        return appearance
    _check_appearance(appearance)
    appearance.search_text = appearance_search_text(appearance)
    appearance.save(update_fields=[*changed, "search_text"])
    audit_record(
        actor=actor,
        action="archive.appearance.changed",
        target=appearance,
        changes=diff(before, _values(appearance, APPEARANCE_FIELDS)),
    )
    return appearance


@transaction.atomic
def appearance_delete(*, appearance: MediaAppearance, actor) -> None:
    """Delete a media appearance (a recording in the archive stays)."""
    require(actor, "archive.delete_mediaappearance")
    audit_record(
        actor=actor,
        action="archive.appearance.deleted",
        target=appearance,
        changes={"title": [appearance.title, None]},
    )
    appearance.delete()
