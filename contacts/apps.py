from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    """Stakeholder database: organisations, people, groups and lists."""

    name = "contacts"
    verbose_name = _("Contacts")
