from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaMonitoringConfig(AppConfig):
    """Media-monitoring inbox with scheduled pulls and digests."""

    name = "media_monitoring"
    verbose_name = _("Media monitoring")
