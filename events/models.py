from django.db import models
from django.utils.translation import gettext_lazy as _


class AppAccess(models.Model):
    """Holds the permission to open the app; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_app", _("Can open the events app"))]
        verbose_name = _("events app access")

    def __str__(self):
        return str(self._meta.verbose_name)
