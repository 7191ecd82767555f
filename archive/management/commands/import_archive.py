"""python manage.py import_archive PATH: load an existing folder tree into the archive.

Every file goes through the same checks as an upload (archive.services.
asset_upload) and is processed by the worker afterwards. A file whose content
is already in the archive is skipped; each file imported records where it was
found (Asset.import_path), so a run that was interrupted can simply be started
again: files already imported from the same place with the same size are
passed over without being read.
"""

import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive import services
from archive.metadata import guess_language
from archive.models import Album, Asset
from archive.uploads import sha256_of
from contacts.management.commands.import_contacts import ProgressBar

logger = logging.getLogger(__name__)

# Files the operating systems leave in photo folders.
JUNK = {"thumbs.db", "desktop.ini", "icon\r"}


class FileProgressBar(ProgressBar):
    """The project's progress bar, counting files and megabytes."""

    def __init__(self, stream, total: int, width: int = 30):
        super().__init__(stream, total, width)
        self.bytes = 0

    def update(self, done: int, total: int) -> None:
        self.total = max(total, done, 1)
        filled = round(self.width * done / self.total)
        elapsed = time.monotonic() - self.started
        rate = self.bytes / elapsed / 1e6 if elapsed else 0
        line = (
            f"[{'#' * filled}{'.' * (self.width - filled)}] "
            f"{100 * done / self.total:5.1f}%  {done:,}/{self.total:,} files  "
            f"{rate:,.1f} MB/s"
        )
        self.stream.write(("\r" + line) if self.interactive else line, ending="")
        if not self.interactive:
            self.stream.write("")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import a folder tree of photos, videos, audio and documents into the "
        "archive, with the upload's checks; skips files already in the archive "
        "and resumes an interrupted run."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the folder to import")
        parser.add_argument(
            "--album-per-folder",
            action="store_true",
            help="file each folder's files in an album named after the folder",
        )
        parser.add_argument(
            "--rights",
            choices=Asset.Rights.values,
            help="usage rights of every imported file (default: internal)",
        )
        parser.add_argument(
            "--consent",
            choices=Asset.Consent.values,
            help="consent of the people shown, for every imported file",
        )
        parser.add_argument("--credit", help="photographer / credit of every file")
        parser.add_argument(
            "--user",
            help="the username recorded as the importer (default: the first "
            "active superuser)",
        )

    def handle(self, *args, **options):
        root = Path(options["path"]).expanduser()
        if not root.is_dir():
            raise CommandError(_("There is no folder %(path)s.") % {"path": root})
        user = self._user(options.get("user"))
        language = getattr(user, "language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            self._run(root.resolve(), user, options)

    def _user(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(
                    _("There is no active user called %(name)s.") % {"name": username}
                )
            return user
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("Name the importing user with --user USERNAME."))
        return user

    def _files(self, root: Path) -> list[tuple[str, Path]]:
        """(import path, file) of every file under ``root``, in a stable order."""
        found = []
        for folder, folders, names in os.walk(root):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            for name in sorted(names):
                if name.startswith(".") or name.lower() in JUNK:
                    continue
                path = Path(folder, name)
                relative = path.relative_to(root.parent).as_posix()
                found.append((relative, path))
        return found

    def _run(self, root: Path, user, options) -> None:
        files = self._files(root)
        known = dict(
            Asset.objects.exclude(import_path="").values_list("import_path", "size")
        )
        data = {
            key: options[key]
            for key in ("rights", "consent", "credit")
            if options.get(key) is not None
        }
        self.root, self.user, self.known, self.data = root, user, known, data
        self.album_per_folder = options["album_per_folder"]
        self.albums: dict[str, Album] = {}
        imported = skipped = duplicates = 0
        refused: list[str] = []
        bar = self.bar = FileProgressBar(self.stdout, len(files))
        interrupted = False
        try:
            for done, (relative, path) in enumerate(files, start=1):
                outcome = self._import_one(relative, path)
                if outcome == "imported":
                    imported += 1
                elif outcome == "skipped":
                    skipped += 1
                elif outcome == "duplicate":
                    duplicates += 1
                else:
                    refused.append(outcome)
                bar.update(done, len(files))
        except KeyboardInterrupt:
            interrupted = True
        bar.finish()
        for line in refused:
            self.stdout.write(self.style.ERROR(line))
        self._summary(len(files), imported, skipped, duplicates, len(refused))
        if interrupted:
            raise CommandError(
                _("Interrupted. Run the same command again to go on where it stopped."),
                returncode=130,
            )

    def _import_one(self, relative: str, path: Path) -> str:
        """imported, skipped, duplicate, or the line that says why it was refused."""
        try:
            if path.is_symlink():
                return _("%(path)s: a symbolic link, not imported.") % {
                    "path": relative
                }
            size = path.stat().st_size
            self.bar.bytes += size
            if self.known.get(relative) == size:
                return "skipped"  # imported by an earlier run: not read again
            with path.open("rb") as handle:
                upload = File(handle, name=path.name)
                upload.sha256 = sha256_of(handle)
                if Asset.objects.filter(sha256=upload.sha256).exists():
                    return "duplicate"
                data = dict(self.data)
                # One transaction: an album made for a file that is refused
                # goes with it.
                with transaction.atomic():
                    if self.album_per_folder:
                        title, album = self._album(path.parent)
                        data["albums"] = [album]
                    services.asset_upload(
                        file=upload, actor=self.user, data=data, import_path=relative
                    )
                if self.album_per_folder:
                    self.albums[title] = album
            self.known[relative] = size
            return "imported"
        except ValidationError as exc:
            return _("%(path)s: %(error)s") % {
                "path": relative,
                "error": " ".join(exc.messages),
            }
        except PermissionDenied as exc:
            raise CommandError(
                _("%(user)s may not add files to the archive.") % {"user": self.user}
            ) from exc
        except OSError as exc:
            return _("%(path)s: cannot be read (%(error)s).") % {
                "path": relative,
                "error": exc.strerror or exc,
            }
        except Exception:  # one bad file never stops the import
            logger.exception("Importing %s failed", relative)
            return _("%(path)s: an unexpected error; see the log.") % {"path": relative}

    def _album(self, folder: Path) -> tuple[str, Album]:
        """The album of a folder ("2023 / Flood in Gori"): found, or created."""
        parts = folder.relative_to(self.root).parts or (self.root.name,)
        title = " / ".join(parts)[:200]
        if title in self.albums:
            return title, self.albums[title]
        field = f"title_{guess_language(title)}"
        album = Album.objects.filter(**{field: title}).order_by("pk").first()
        return title, album or services.album_create(
            data={field: title}, actor=self.user
        )

    def _summary(self, total, imported, skipped, duplicates, refused) -> None:
        files = ngettext("%(count)d file", "%(count)d files", total) % {"count": total}
        parts = [
            ngettext("%(count)d imported", "%(count)d imported", imported)
            % {"count": imported},
            ngettext("%(count)d imported before", "%(count)d imported before", skipped)
            % {"count": skipped},
            ngettext(
                "%(count)d already in the archive",
                "%(count)d already in the archive",
                duplicates,
            )
            % {"count": duplicates},
            ngettext("%(count)d refused", "%(count)d refused", refused)
            % {"count": refused},
        ]
        line = _("%(files)s: %(parts)s.") % {"files": files, "parts": ", ".join(parts)}
        style = self.style.WARNING if refused else self.style.SUCCESS
        self.stdout.write(style(line))
