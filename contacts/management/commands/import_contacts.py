"""python manage.py import_contacts FILE: a bulk load through the import service."""

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from contacts import importing, services
from contacts.models import ImportJob


class ProgressBar:
    """A one-line terminal progress bar, without dependencies."""

    def __init__(self, stream, total: int, width: int = 30):
        self.stream = stream
        self.total = max(total, 1)
        self.width = width
        self.started = time.monotonic()
        self.interactive = getattr(sys.stdout, "isatty", lambda: False)()

    def update(self, done: int, total: int) -> None:
        self.total = max(total, done, 1)
        filled = round(self.width * done / self.total)
        elapsed = time.monotonic() - self.started
        rate = done / elapsed if elapsed else 0
        line = (
            f"[{'#' * filled}{'.' * (self.width - filled)}] "
            f"{100 * done / self.total:5.1f}%  {done:,}/{self.total:,} rows  "
            f"{rate:,.0f} rows/s"
        )
        # On a terminal the bar redraws itself; in a log each step is a line.
        self.stream.write(("\r" + line) if self.interactive else line, ending="")
        if not self.interactive:
            self.stream.write("")
        self.stream.flush()

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("")


class Command(BaseCommand):
    help = (
        "Import contacts from a CSV, XLSX or vCard file, with the same checks, "
        "matching and all-or-nothing transaction as the web import."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv, .xlsx or .vcf file")
        parser.add_argument(
            "--on-match",
            choices=ImportJob.OnMatch.values,
            default=ImportJob.OnMatch.UPDATE,
            help="what to do with people already in the database (same email/phone)",
        )
        parser.add_argument(
            "--user",
            help="the username recorded as the importer (default: the first "
            "active superuser)",
        )

    def handle(self, *args, **options):
        user = self._user(options.get("user"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with translation.override(getattr(user, "language", None) or "en"):
            job = self._run(path, user, options["on_match"])
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(job.failure)
        self.stdout.write(
            self.style.SUCCESS(
                f"Import {job.pk} done: {job.created_count} created, "
                f"{job.updated_count} updated, {job.skipped_count} left as they "
                f"were, {len(job.errors)} rows with errors."
            )
        )
        for error in job.errors[:20]:
            self.stdout.write(f"  row {error['row']}: {' '.join(error['errors'])}")
        self.stdout.write(f"Row-by-row result: {services.import_report_name(job)}")

    def _user(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"No active user called {username!r}.")
            return user
        user = users.filter(is_superuser=True).order_by("pk").first()
        if user is None:
            raise CommandError("Name the importing user with --user USERNAME.")
        return user

    def _run(self, path: Path, user, on_match: str) -> ImportJob:
        try:
            with path.open("rb") as handle:
                job = services.import_job_create(
                    upload=File(handle, name=path.name), actor=user
                )
            fields = job.mapping["fields"]
            for header, field in zip(job.mapping["headers"], fields, strict=True):
                self.stdout.write(f"  {header!r:40} → {field or '-'}")
            problems = importing.mapping_errors(fields)
            if problems:
                raise CommandError(" ".join(problems))
            job = services.import_job_set_mapping(
                job=job, fields=fields, on_match=on_match, actor=user
            )
            job = services.import_job_confirm(job=job, actor=user, dispatch=False)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        bar = ProgressBar(self.stdout, job.total_rows)
        job = services.import_job_run(job=job, actor=user, progress=bar.update)
        bar.finish()
        return job
