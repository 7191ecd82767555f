from django.contrib import admin

from prapp.admin_audit import ReadOnlyAdmin
from reports.models import MonthlySummary


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(ReadOnlyAdmin):
    list_display = ("user", "month", "sent_at")
    list_filter = ("month",)
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
