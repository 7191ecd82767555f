"""A ModelAdmin base that writes every admin change into the audit trail."""

from django.contrib import admin

from prapp.audit import audit_record, diff, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin changes are audited like any other: who, when and what changed."""

    def _action(self, obj, verb: str) -> str:
        meta = obj._meta
        return f"{meta.app_label}.{meta.model_name}.{verb}"

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            previous = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(previous) if previous else {}
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=self._action(obj, "changed" if change else "created"),
            target=obj,
            changes=diff(before, snapshot(obj)),
        )

    def delete_model(self, request, obj):
        audit_record(
            actor=request.user,
            action=self._action(obj, "deleted"),
            target=obj,
            changes={k: [v, None] for k, v in snapshot(obj).items()},
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that nobody edits by hand, not even a manager."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
