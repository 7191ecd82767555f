from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """The inquiry desk: questions, letters and public-information requests."""

    name = "inquiries"
    verbose_name = _("Inquiry desk")
