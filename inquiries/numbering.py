"""Registration numbers: one sequence per year, no gaps, rendered by a setting.

The year is the local year the request was received in. The next sequence is
the year's highest plus one, read while holding a lock on the deployment's law
profile row: every registration takes the same lock, so two clerks (or the
public form and a clerk) registering at the same moment are served one after
the other, and PostgreSQL's next statement sees the number the first one took.
SQLite serialises writers by itself. A unique constraint on (year, sequence)
stays the last line of defence: the caller retries inside a savepoint.
"""

import logging

from django.conf import settings
from django.db.models import Max

from inquiries.models import LawProfile, Request

logger = logging.getLogger(__name__)

DEFAULT_FORMAT = "{year}/{sequence:04d}"


def number_format() -> str:
    """INQUIRIES_NUMBER_FORMAT if it keeps years and sequences apart, else default."""
    pattern = getattr(settings, "INQUIRIES_NUMBER_FORMAT", DEFAULT_FORMAT)
    try:
        samples = {
            pattern.format(year=year, sequence=sequence)
            for year in (2025, 2026)
            for sequence in (1, 2)
        }
    except (KeyError, IndexError, ValueError, AttributeError):
        samples = set()
    if len(samples) != 4:
        # A number that leaves out the year or the sequence would repeat; a bad
        # setting must not stop the desk from registering.
        logger.error(
            "INQUIRIES_NUMBER_FORMAT %r is unusable; using %r", pattern, DEFAULT_FORMAT
        )
        return DEFAULT_FORMAT
    return pattern


def number_render(*, year: int, sequence: int) -> str:
    """The number as people see it, e.g. "2026/0042"."""
    return number_format().format(year=year, sequence=sequence)


def number_lock(profile: LawProfile) -> None:
    """Serialise registrations until the transaction ends (see the module's note)."""
    LawProfile.objects.select_for_update().filter(pk=profile.pk).first()


def next_sequence(year: int) -> int:
    """The year's highest sequence plus one; call it holding ``number_lock``."""
    highest = Request.objects.filter(year=year).aggregate(top=Max("sequence"))["top"]
    return (highest or 0) + 1
