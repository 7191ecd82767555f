"""The database a benchmark measures: the embedded mode's SQLite file, or PostgreSQL.

The test settings swap SQLite for ``:memory:``; a benchmark measures the file
database of the embedded mode instead, with its options (prapp/settings/base.py),
or the PostgreSQL server at ``postgres_url``.
"""

import os
from pathlib import Path


def configure(folder: Path, postgres_url: str | None):
    """Point Django's settings at the benchmark's database; returns the settings.

    Call before ``django.setup()``; the caller adds its own settings.
    """
    os.environ["DJANGO_SETTINGS_MODULE"] = "prapp.settings.test"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    if postgres_url:
        os.environ["DATABASE_URL"] = postgres_url
    from django.conf import settings

    if not postgres_url:
        settings.DATABASES["default"] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / "bench.sqlite3"),
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    return settings
