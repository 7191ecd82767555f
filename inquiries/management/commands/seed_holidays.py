"""python manage.py seed_holidays [--years 2027 2028] [--country GE]: add holidays."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from inquiries.holidays import COUNTRIES, holidays_seed


class Command(BaseCommand):
    help = (
        "Add the Georgian and Armenian public holidays of the given years (default: "
        "last year to two years ahead) from the holidays package. Days already in "
        "the table, edited or not, are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, nargs="+", metavar="YEAR")
        parser.add_argument(
            "--country",
            action="append",
            choices=COUNTRIES,
            help="only this country (may be repeated; default: both)",
        )

    def handle(self, *args, **options):
        years = options.get("years")
        if not years:
            year = timezone.localdate().year
            years = list(range(year - 1, year + 3))
        if any(year < 1990 or year > 2100 for year in years):
            raise CommandError(_("Years must lie between 1990 and 2100."))
        countries = options.get("country") or COUNTRIES
        added = holidays_seed(years=years, countries=countries)
        self.stdout.write(
            ngettext(
                "%(count)d public holiday added for %(years)s.",
                "%(count)d public holidays added for %(years)s.",
                added,
            )
            % {"count": added, "years": ", ".join(str(y) for y in sorted(years))}
        )
