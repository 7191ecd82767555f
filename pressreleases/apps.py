from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressreleasesConfig(AppConfig):
    """Press releases: authoring, approval, distribution, public newsroom."""

    name = "pressreleases"
    verbose_name = _("Press releases")
