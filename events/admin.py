"""The events models in the Django admin: audited, searchable, filterable.

Day-to-day work happens in the staff UI; the admin is the manager's back door
(and the place where managers add event types and their checklist templates).
Search keys are recomputed here because the admin writes without the services.
"""

from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from events.models import (
    Accreditation,
    AgendaItem,
    CalendarFeed,
    ChecklistTask,
    ChecklistTemplateItem,
    Event,
    EventAttachment,
    EventType,
    FollowUp,
    Invitation,
    InvitationReminder,
    Venue,
)
from events.services import event_search_key
from prapp.admin_audit import AuditedModelAdmin, ReadOnlyAdmin
from prapp.html import sanitize


class ChecklistTemplateItemInline(TranslationTabularInline):
    model = ChecklistTemplateItem
    extra = 1
    fields = ("title", "days_before", "position")


@admin.register(EventType)
class EventTypeAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name", "code", "has_agenda", "counts_visitors", "position")
    list_filter = ("has_agenda", "counts_visitors")
    search_fields = ("name", "name_ka", "name_hy", "name_en", "code")
    prepopulated_fields = {"code": ("name_en",)}
    inlines = [ChecklistTemplateItemInline]


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("title", "event_type", "days_before", "position")
    list_filter = ("event_type",)
    search_fields = ("title", "title_ka", "title_hy", "title_en")
    list_select_related = ("event_type",)


@admin.register(Venue)
class VenueAdmin(AuditedModelAdmin):
    list_display = ("name", "address", "capacity")
    list_filter = (("capacity", admin.EmptyFieldListFilter),)
    search_fields = ("name", "address")


class ChecklistTaskInline(admin.TabularInline):
    model = ChecklistTask
    extra = 0
    fields = ("title", "assignee", "due_on", "state", "position")


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ("position", "title", "decision")


@admin.register(Event)
class EventAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("title", "event_type", "status", "starts_at", "venue")
    list_filter = ("status", "event_type", "venue", "starts_at")
    search_fields = ("search_key", "title", "title_ka", "title_hy", "title_en")
    list_select_related = ("event_type", "venue")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("key_participants",)
    readonly_fields = ("uid", "created_by", "created_at", "updated_at")
    inlines = [ChecklistTaskInline, AgendaItemInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        obj.search_key = event_search_key(obj)
        obj.minutes = sanitize(obj.minutes)
        super().save_model(request, obj, form, change)


@admin.register(ChecklistTask)
class ChecklistTaskAdmin(AuditedModelAdmin):
    list_display = ("title", "event", "assignee", "due_on", "state")
    list_filter = ("state", "due_on")
    search_fields = ("title", "event__search_key")
    list_select_related = ("event", "assignee")
    raw_id_fields = ("event",)


@admin.register(AgendaItem)
class AgendaItemAdmin(AuditedModelAdmin):
    list_display = ("__str__", "event")
    list_filter = (("decision", admin.EmptyFieldListFilter),)
    search_fields = ("title", "decision", "event__search_key")
    list_select_related = ("event",)
    raw_id_fields = ("event",)


@admin.register(FollowUp)
class FollowUpAdmin(AuditedModelAdmin):
    list_display = ("__str__", "event", "assignee", "unit", "due_on", "state")
    list_filter = ("state", "due_on")
    search_fields = ("instruction", "unit", "event__search_key")
    list_select_related = ("event", "assignee")
    raw_id_fields = ("event", "agenda_item")


@admin.register(EventAttachment)
class EventAttachmentAdmin(AuditedModelAdmin):
    list_display = ("title", "event", "uploaded_by", "uploaded_at")
    list_filter = ("uploaded_at",)
    search_fields = ("title", "event__search_key")
    list_select_related = ("event", "uploaded_by")
    raw_id_fields = ("event",)
    readonly_fields = ("uploaded_by", "uploaded_at")


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    list_display = ("person", "event", "role", "delivery", "response", "attended_at")
    list_filter = ("role", "delivery", "response", "response_channel")
    search_fields = ("person__search_key", "email", "event__search_key")
    list_select_related = ("person", "event")
    raw_id_fields = ("event", "person")
    readonly_fields = ("sent_at", "responded_at", "created_at")


@admin.register(InvitationReminder)
class InvitationReminderAdmin(ReadOnlyAdmin):
    list_display = ("invitation", "hours_before", "sent_at")
    list_filter = ("hours_before",)
    search_fields = ("invitation__person__search_key", "invitation__event__search_key")
    list_select_related = ("invitation__person", "invitation__event")


@admin.register(Accreditation)
class AccreditationAdmin(AuditedModelAdmin):
    list_display = ("full_name", "outlet", "role", "event", "status", "submitted_at")
    list_filter = ("status", "role", "language")
    search_fields = ("full_name", "outlet", "email", "press_card", "badge_number")
    list_select_related = ("event",)
    raw_id_fields = ("event", "person")
    readonly_fields = ("decided_by", "decided_at", "submitted_at", "source_hash")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(AuditedModelAdmin):
    list_display = ("user", "scope", "created_at")
    list_filter = ("scope",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    readonly_fields = ("token", "created_at")
