from django.core.management.base import BaseCommand

from prapp.demo import seed_staff


class Command(BaseCommand):
    help = (
        "Fill every app with realistic demo data; running it again adds nothing twice."
    )

    def handle(self, *args, **options):
        staff = seed_staff()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready (new staff accounts: {staff}).")
        )
