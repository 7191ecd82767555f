from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppAccess(models.Model):
    """Holds the permission to open the app; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("access_app", _("Can open the reports app"))]
        verbose_name = _("reports app access")

    def __str__(self):
        return str(self._meta.verbose_name)


class ActivityReport(models.Model):
    """Holds the permission to read the activity report; it has no table of its own."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_report", _("Can view activity reports"))]
        verbose_name = _("activity report")

    def __str__(self):
        return str(self._meta.verbose_name)


class MonthlySummary(models.Model):
    """A manager was sent the summary email of one month: never a second time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="monthly_summaries",
    )
    # The first day of the month the summary reports on.
    month = models.DateField(_("month"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("monthly summary sent")
        verbose_name_plural = _("monthly summaries sent")
        ordering = ["-month", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "month"], name="reports_monthly_summary_once"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.month:%Y-%m}"
