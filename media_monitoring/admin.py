"""The media monitoring models in the Django admin: the manager's back door.

Day-to-day work happens in the staff UI. Where a write has a rule (a source's
new address forgets its validators, a topic needs a term, triage is audited),
the admin goes through media_monitoring.services like every other entry point;
the rest is audited by AuditedModelAdmin. Pull health, matches, notes and what
the digests sent are shown read-only.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models

from media_monitoring import services
from media_monitoring.models import (
    DigestEntry,
    DigestRun,
    Item,
    ItemNote,
    ItemTopic,
    Source,
    Subscription,
    Topic,
)
from prapp.admin_audit import AuditedModelAdmin, ReadOnlyAdmin


def _copy_saved(obj, saved) -> None:
    """Make the admin's instance the row the service saved (pk and all)."""
    for field in type(saved)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


class _ServiceAdmin(admin.ModelAdmin):
    """Saves and deletes through services (which audit), not through the ORM."""

    create_service = None
    update_service = None
    delete_service = None
    service_fields: tuple[str, ...] = ()
    noun = ""

    def _data(self, form) -> dict:
        return {
            name: form.cleaned_data[name]
            for name in self.service_fields
            if name in form.cleaned_data
        }

    def save_model(self, request, obj, form, change):
        data = self._data(form)
        if change:
            saved = type(self).update_service(
                **{self.noun: obj}, data=data, actor=request.user
            )
        else:
            saved = type(self).create_service(data=data, actor=request.user)
        _copy_saved(obj, saved)

    def delete_model(self, request, obj):
        type(self).delete_service(**{self.noun: obj}, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Source)
class SourceAdmin(_ServiceAdmin):
    create_service = services.source_create
    update_service = services.source_update
    delete_service = services.source_delete
    service_fields = (*services.SOURCE_FIELDS, "enabled")
    noun = "source"

    list_display = (
        "name",
        "kind",
        "outlet",
        "language",
        "enabled",
        "last_success_at",
        "consecutive_failures",
        "next_attempt_at",
    )
    list_filter = (
        "kind",
        "enabled",
        "language",
        ("last_error", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "url")
    list_select_related = ("outlet",)
    autocomplete_fields = ("outlet",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = (
        *services.SOURCE_FIELDS,
        "enabled",
        "last_attempt_at",
        "last_success_at",
        "last_error",
        "consecutive_failures",
        "next_attempt_at",
        "pulling_since",
        "etag",
        "last_modified",
        "created_at",
        "created_by",
    )
    # Pull health is written by the puller only.
    readonly_fields = (
        "last_attempt_at",
        "last_success_at",
        "last_error",
        "consecutive_failures",
        "next_attempt_at",
        "pulling_since",
        "etag",
        "last_modified",
        "created_at",
        "created_by",
    )


class TopicAdminForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = list(services.TOPIC_FIELDS)

    def clean(self):
        cleaned = super().clean()
        probe = Topic(
            include_terms=cleaned.get("include_terms") or "",
            exclude_terms=cleaned.get("exclude_terms") or "",
        )
        try:
            services._topic_check(probe)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return cleaned


@admin.register(Topic)
class TopicAdmin(_ServiceAdmin):
    create_service = services.topic_create
    update_service = services.topic_update
    delete_service = services.topic_delete
    service_fields = services.TOPIC_FIELDS
    noun = "topic"

    form = TopicAdminForm
    list_display = ("name", "language", "priority", "active", "updated_at")
    list_filter = ("priority", "active", "language")
    search_fields = ("name", "include_terms")
    readonly_fields = ("created_at", "updated_at", "created_by")


class ItemTopicInline(admin.TabularInline):
    model = ItemTopic
    extra = 0
    fields = ("topic", "terms", "matched_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemNoteInline(ItemTopicInline):
    model = ItemNote
    fields = ("author", "text", "created_at")
    readonly_fields = fields


@admin.register(Item)
class ItemAdmin(AuditedModelAdmin):
    """Items come from pulls and the log form; here only their triage changes."""

    list_display = (
        "title",
        "kind",
        "status",
        "sentiment",
        "misinformation",
        "source",
        "outlet",
        "assignee",
        "fetched_at",
    )
    list_filter = (
        "status",
        "kind",
        "sentiment",
        "misinformation",
        "source",
        ("response_due_at", admin.EmptyFieldListFilter),
        "fetched_at",
    )
    search_fields = ("search_text", "title", "url")
    list_select_related = ("source", "outlet", "assignee")
    date_hierarchy = "fetched_at"
    raw_id_fields = ("release", "event")
    inlines = [ItemTopicInline, ItemNoteInline]
    fields = (
        *services.TRIAGE_FIELDS,
        "kind",
        "title",
        "summary",
        "url",
        "source",
        "outlet",
        "author",
        "channel",
        "programme",
        "language",
        "published_at",
        "fetched_at",
        "fingerprint",
        "response_due_at",
        "response_text",
        "responded_at",
        "responded_by",
        "created_by",
        "updated_at",
    )
    readonly_fields = fields[len(services.TRIAGE_FIELDS) :]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.item_update(
            item=obj,
            data={
                name: form.cleaned_data[name]
                for name in services.TRIAGE_FIELDS
                if name in form.cleaned_data
            },
            actor=request.user,
        )


@admin.register(Subscription)
class SubscriptionAdmin(AuditedModelAdmin):
    list_display = ("user", "topic", "created_at")
    list_filter = ("topic",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user", "topic")
    raw_id_fields = ("user",)


@admin.register(ItemTopic)
class ItemTopicAdmin(ReadOnlyAdmin):
    list_display = ("item", "topic", "terms", "matched_at")
    list_filter = ("topic", "matched_at")
    search_fields = ("item__search_text", "terms")
    list_select_related = ("item", "topic")


@admin.register(ItemNote)
class ItemNoteAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "item", "author", "created_at")
    list_filter = ("created_at",)
    search_fields = ("text", "item__search_text")
    list_select_related = ("item", "author")


@admin.register(DigestEntry)
class DigestEntryAdmin(ReadOnlyAdmin):
    list_display = ("user", "item", "kind", "sent_at")
    list_filter = ("kind", "sent_at")
    search_fields = ("user__username", "item__search_text")
    list_select_related = ("user", "item")


@admin.register(DigestRun)
class DigestRunAdmin(ReadOnlyAdmin):
    list_display = ("user", "run_on", "covered_until", "items")
    list_filter = ("run_on",)
    search_fields = ("user__username",)
    list_select_related = ("user",)
