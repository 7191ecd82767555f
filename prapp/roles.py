"""Roles are Groups of named permissions; this is the one list of what each may do."""

from fnmatch import fnmatch

from django.utils.translation import gettext_lazy as _

MANAGER = "Manager"
EDITOR = "Editor"
MONITOR = "Monitor"
ARCHIVIST = "Archivist"
VIEWER = "Viewer"

ROLE_LABELS = {
    MANAGER: _("Manager"),
    EDITOR: _("Editor"),
    MONITOR: _("Monitor"),
    ARCHIVIST: _("Archivist"),
    VIEWER: _("Viewer"),
}

# Permissions only a manager ever holds, whatever a pattern below says.
MANAGER_ONLY = {
    "prapp.view_auditentry",
    "pressreleases.approve_pressrelease",
    "contacts.clear_donotcontact",
    "contacts.export_contacts",
    "inquiries.approve_request",
}

_READ = ["*.access_app", "*.view_*"]

# "app_label.codename" patterns, matched with fnmatch. The manager holds every
# permission of the project's apps and of auth (to administer users).
ROLE_PERMISSIONS = {
    MANAGER: ["*"],
    EDITOR: [
        *_READ,
        "contacts.*",
        "events.*",
        "pressreleases.*",
        "inquiries.*",
        "prapp.view_capturedemail",
    ],
    MONITOR: [*_READ, "media_monitoring.*", "prapp.view_capturedemail"],
    ARCHIVIST: [*_READ, "archive.*", "prapp.view_capturedemail"],
    VIEWER: _READ,
}

_PROJECT_APPS = {
    "prapp",
    "contacts",
    "events",
    "pressreleases",
    "media_monitoring",
    "archive",
    "inquiries",
    "reports",
}


def role_grants(role: str, perm: str) -> bool:
    """Whether ``role`` holds the permission named "app_label.codename"."""
    app_label = perm.split(".", 1)[0]
    if role == MANAGER:
        return app_label in _PROJECT_APPS | {"auth", "axes"}
    if app_label not in _PROJECT_APPS or perm in MANAGER_ONLY:
        return False
    patterns = ROLE_PERMISSIONS[role]
    if app_label == "prapp":
        # The system's own records (users, mail, heartbeats) are never granted by
        # a wildcard: each role names what it may see.
        return perm in patterns
    return any(fnmatch(perm, pattern) for pattern in patterns)


def sync_roles(*, group_model, permission_model) -> None:
    """Create the role groups and give each exactly the permissions it should hold."""
    permissions = list(permission_model.objects.select_related("content_type"))
    for role in ROLE_PERMISSIONS:
        group, _created = group_model.objects.get_or_create(name=role)
        wanted = [
            p
            for p in permissions
            if role_grants(role, f"{p.content_type.app_label}.{p.codename}")
        ]
        group.permissions.set(wanted)
