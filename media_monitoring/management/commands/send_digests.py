"""Send the daily monitoring digests by hand."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from media_monitoring import digests


class Command(BaseCommand):
    help = (
        "Send the monitoring digests that are due now, or one person's digest at "
        "once. No item is ever sent to the same person twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Send this person's digest now, whatever the time of day.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Send every subscriber's digest now, even before the digest time "
                "or when today's digest went out already (only new items)."
            ),
        )

    def handle(self, *args, user=None, force=False, **options):
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(_("No user %(username)s.") % {"username": user})
            if not person.is_active or not person.email:
                raise CommandError(
                    _("%(username)s is inactive or has no email address.")
                    % {"username": user}
                )
            count = digests.digest_send(user=person)
            self.stdout.write(
                ngettext(
                    "%(count)s item sent to %(username)s.",
                    "%(count)s items sent to %(username)s.",
                    count,
                )
                % {"count": count, "username": user}
            )
            return
        sent = digests.digests_send_due(force=force)
        self.stdout.write(
            ngettext("%(count)s digest sent.", "%(count)s digests sent.", sent)
            % {"count": sent}
        )
