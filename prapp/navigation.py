"""The header's list of apps: one entry per app, shown to those allowed to open it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str
    permission: str
    namespace: str


APPS = [
    NavEntry("contacts:index", _("Contacts"), "contacts.access_app", "contacts"),
    NavEntry("events:index", _("Events"), "events.access_app", "events"),
    NavEntry(
        "pressreleases:index",
        _("Press releases"),
        "pressreleases.access_app",
        "pressreleases",
    ),
    NavEntry(
        "media_monitoring:index",
        _("Media monitoring"),
        "media_monitoring.access_app",
        "media_monitoring",
    ),
    NavEntry("archive:index", _("Archive"), "archive.access_app", "archive"),
    NavEntry("inquiries:index", _("Inquiry desk"), "inquiries.access_app", "inquiries"),
    NavEntry("reports:activity", _("Reports"), "reports.view_report", "reports"),
]


def entries_for(user) -> list[NavEntry]:
    return [entry for entry in APPS if user.has_perm(entry.permission)]
