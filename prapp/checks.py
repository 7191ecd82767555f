"""System checks of the project package."""

from django.core import checks
from django.db import connections
from django.utils.translation import gettext_lazy as _

_BYTE_CTYPES = {"C", "POSIX"}


def database_ctype_warnings(connection) -> list[checks.CheckMessage]:
    """Warn when a PostgreSQL database classifies characters as plain bytes.

    With LC_CTYPE C or POSIX, PostgreSQL treats every Georgian and Armenian
    letter as a non-letter: pg_trgm finds no trigrams in such text, and
    upper()/lower() leave it unchanged. Our search keys are ASCII and keep
    working, but any search on raw text does not.
    """
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datctype FROM pg_database WHERE datname = current_database()"
        )
        (ctype,) = cursor.fetchone()
    if ctype.upper() not in _BYTE_CTYPES:
        return []
    return [
        checks.Warning(
            _("The database %(name)s has LC_CTYPE %(ctype)s.")
            % {"name": connection.settings_dict["NAME"], "ctype": ctype},
            hint=_(
                "PostgreSQL treats Georgian and Armenian letters as non-letters "
                "under this LC_CTYPE. Create the database with a UTF-8 locale, "
                "e.g. CREATE DATABASE … TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'."
            ),
            obj=connection.alias,
            id="prapp.W001",
        )
    ]


@checks.register(checks.Tags.database)
def check_database_ctype(app_configs=None, databases=None, **kwargs):
    """Run by ``migrate`` and ``check --database default``, like Django's own."""
    if not databases or "default" not in databases:
        return []
    return database_ctype_warnings(connections["default"])
