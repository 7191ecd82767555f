from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from prapp.admin_audit import AuditedModelAdmin, ReadOnlyAdmin
from prapp.models import AuditEntry, CapturedEmail, User, WorkerHeartbeat

admin.site.site_header = _("PR Office administration")
admin.site.site_title = _("PR Office administration")
admin.site.index_title = _("Administration")


@admin.register(User)
class PrappUserAdmin(AuditedModelAdmin, UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language",)}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "language",
        "is_active",
    )
    list_filter = ("is_active", "is_staff", "groups", "language")


admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedModelAdmin, GroupAdmin):
    pass


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_repr")
    list_filter = ("action", "target_type", ("at", admin.DateFieldListFilter))
    search_fields = ("action", "target_repr", "actor_name", "target_id")
    date_hierarchy = "at"
    list_select_related = ("actor", "target_type")


@admin.register(CapturedEmail)
class CapturedEmailAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "subject", "from_email")
    search_fields = ("subject", "from_email", "body_text")
    list_filter = (("created_at", admin.DateFieldListFilter),)
    date_hierarchy = "created_at"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("name", "hostname", "last_seen")
    search_fields = ("name", "hostname")
    list_filter = ("hostname",)
