"""The inquiry desk in the Django admin: law profiles, holidays, units for managers.

Requests are worked on in the desk's own pages (numbering, deadlines and the
approval step live in inquiries.services); here they are read-only. The
reference tables a manager keeps up to date (law profiles with their deadline
rules and refusal grounds, public holidays, units) are edited here, audited.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from inquiries.models import (
    DeadlineRule,
    Holiday,
    InternalQuestion,
    LawProfile,
    LineToTake,
    RefusalGround,
    Reminder,
    Request,
    RequestAttachment,
    Unit,
)
from prapp.admin_audit import AuditedModelAdmin, ReadOnlyAdmin


class DeadlineRuleInline(TranslationTabularInline):
    model = DeadlineRule
    extra = 0


class RefusalGroundInline(TranslationTabularInline):
    model = RefusalGround
    extra = 0


@admin.register(LawProfile)
class LawProfileAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name", "code", "country", "roll_to_working_day")
    search_fields = ("name", "code")
    list_filter = ("country",)
    inlines = (DeadlineRuleInline, RefusalGroundInline)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("profile", "kind", "days", "day_kind", "extended_days")
    search_fields = ("legal_basis", "profile__name")
    list_filter = ("profile", "kind", "day_kind")


@admin.register(RefusalGround)
class RefusalGroundAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name", "profile", "legal_basis")
    search_fields = ("name", "legal_basis")
    list_filter = ("profile",)


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("date", "country", "name")
    search_fields = ("name",)
    list_filter = ("country", "date")
    date_hierarchy = "date"


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name", "email", "head", "active")
    search_fields = ("name", "email")
    list_filter = ("active",)
    raw_id_fields = ("head",)


@admin.register(Request)
class RequestAdmin(ReadOnlyAdmin):
    list_display = ("number", "subject", "kind", "status", "received_at", "due_on")
    search_fields = ("number", "subject", "requester_name", "search_text")
    list_filter = ("kind", "status", "channel", "law_profile")
    date_hierarchy = "received_at"


@admin.register(InternalQuestion)
class InternalQuestionAdmin(ReadOnlyAdmin):
    list_display = ("request", "unit", "assignee", "due_on", "answered_at")
    search_fields = ("question", "answer", "request__number")
    list_filter = ("unit", "due_on")


@admin.register(RequestAttachment)
class RequestAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "request", "direction", "size", "created_at")
    search_fields = ("original_name", "request__number")
    list_filter = ("direction",)


@admin.register(LineToTake)
class LineToTakeAdmin(AuditedModelAdmin):
    list_display = ("subject", "language", "active", "created_at")
    search_fields = ("subject", "text", "search_text")
    list_filter = ("language", "active")
    raw_id_fields = ("source_request",)
    readonly_fields = ("created_by", "created_at")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("request", "kind", "user", "sent_on")
    search_fields = ("request__number", "user__username")
    list_filter = ("kind", "sent_on")
