from django.core.management.base import BaseCommand

from archive.demo import seed_archive
from contacts.demo import seed_contacts
from events.demo import seed_events
from inquiries.demo import seed_inquiries
from media_monitoring.demo import seed_monitoring
from prapp.demo import seed_staff
from pressreleases.demo import seed_pressreleases


class Command(BaseCommand):
    help = "Fill every app with realistic demo data; a second run adds nothing."

    def handle(self, *args, **options):
        staff = seed_staff()
        people = seed_contacts()
        events = seed_events()
        releases = seed_pressreleases(stdout=self.stdout)
        # After releases and events: the press coverage links to them.
        mentions = seed_monitoring(stdout=self.stdout)
        # After events and contacts: albums link to the events, appearances to outlets.
        assets = seed_archive(stdout=self.stdout)
        # After contacts, events and releases: journalists ask about them.
        requests = seed_inquiries(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready (new staff accounts: {staff}, "
                f"new contacts: {people}, new events: {events}, "
                f"new press releases: {releases}, "
                f"new monitoring items: {mentions}, "
                f"new archive assets: {assets}, "
                f"new inquiry desk requests: {requests})."
            )
        )
