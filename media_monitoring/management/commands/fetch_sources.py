"""python manage.py fetch_sources [--source ID]: pull monitoring sources now."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contacts.management.commands.import_contacts import ProgressBar
from media_monitoring import pulling
from media_monitoring.models import Source


class Command(BaseCommand):
    help = (
        "Pull every enabled monitoring source now (or one, with --source), in "
        "this process, whether it is due or not; new items are matched to topics."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=int, metavar="ID", help="pull only the source ID"
        )

    def handle(self, *args, **options):
        sources = self._sources(options.get("source"))
        bar = ProgressBar(self.stdout, len(sources))
        new = not_modified = 0
        failed: list[tuple[Source, str]] = []
        for done, source in enumerate(sources, start=1):
            result = pulling.source_pull(source_id=source.pk)
            new += result.new
            not_modified += int(result.not_modified)
            if result.error:
                failed.append((source, result.error))
            bar.update(done, len(sources))
        bar.finish()
        for source, error in failed:
            self.stdout.write(
                self.style.ERROR(
                    _("%(name)s (#%(id)d): %(error)s")
                    % {"name": source.name, "id": source.pk, "error": error}
                )
            )
        pulled = ngettext(
            "%(count)d source pulled", "%(count)d sources pulled", len(sources)
        ) % {"count": len(sources)}
        items = ngettext("%(count)d new item", "%(count)d new items", new) % {
            "count": new
        }
        unchanged = ngettext(
            "%(count)d unchanged", "%(count)d unchanged", not_modified
        ) % {"count": not_modified}
        failures = ngettext("%(count)d failed", "%(count)d failed", len(failed)) % {
            "count": len(failed)
        }
        line = _("%(sources)s: %(items)s, %(unchanged)s, %(failed)s.") % {
            "sources": pulled,
            "items": items,
            "unchanged": unchanged,
            "failed": failures,
        }
        style = self.style.WARNING if failed else self.style.SUCCESS
        self.stdout.write(style(line))

    def _sources(self, source_id) -> list[Source]:
        if source_id is None:
            return list(Source.objects.filter(enabled=True).order_by("name", "pk"))
        source = Source.objects.filter(pk=source_id).first()
        if source is None:
            raise CommandError(
                _("There is no source number %(id)d.") % {"id": source_id}
            )
        if not source.enabled:
            raise CommandError(
                _("The source “%(name)s” is disabled; enable it first.")
                % {"name": source.name}
            )
        return [source]
