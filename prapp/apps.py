import sys

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_script_safe_capfirst():
    """Replace Django's capfirst everywhere it was imported.

    Django capitalises every form label and admin name with ``capfirst``, which
    calls ``str.upper()`` and turns Georgian Mkhedruli into Mtavruli capitals
    ("Მომხმარებლის სახელი"). Modules imported later pick the safe one up from
    ``django.utils.text``.
    """
    from django.utils import text as django_text

    from prapp.text import safe_capfirst

    original = django_text.capfirst
    if original is safe_capfirst:
        return
    for module in list(sys.modules.values()):
        if getattr(module, "capfirst", None) is original:
            module.capfirst = safe_capfirst
    django_text.capfirst = safe_capfirst


def _sync_roles(sender, apps=global_apps, **kwargs):
    # `flush` sends post_migrate without the migration state's `apps`; Django's
    # own receivers (create_permissions) fall back to the live registry too.
    from prapp.roles import sync_roles

    sync_roles(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


class PrappConfig(AppConfig):
    name = "prapp"
    verbose_name = _("System")

    def ready(self):
        from prapp import checks  # noqa: F401  (registers the system checks)

        _install_script_safe_capfirst()
        # Permissions are created after migrations; new ones join their roles here.
        post_migrate.connect(_sync_roles, dispatch_uid="prapp.sync_roles")
