"""Seed the Georgian and Armenian law profiles and public holidays.

The profiles, their deadline rules and refusal grounds come from
inquiries.law_profiles; the holidays of both countries for last year to two
years ahead from the ``holidays`` package (``manage.py seed_holidays --years``
adds more). Both only add what is missing, so running them again is harmless.
"""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from inquiries.holidays import holidays_seed
    from inquiries.law_profiles import law_profiles_seed

    law_profiles_seed(
        profile_model=apps.get_model("inquiries", "LawProfile"),
        rule_model=apps.get_model("inquiries", "DeadlineRule"),
        ground_model=apps.get_model("inquiries", "RefusalGround"),
    )
    year = timezone.localdate().year
    holidays_seed(
        years=range(year - 1, year + 3), model=apps.get_model("inquiries", "Holiday")
    )


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_desk")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
