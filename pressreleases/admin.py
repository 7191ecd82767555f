"""The press releases models in the Django admin.

Releases are written, approved and sent in the staff UI only: editing one here
would go round the four-eyes approval, so the admin shows them read-only. Tags
are the one thing managers keep here.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from prapp.admin_audit import AuditedModelAdmin, ReadOnlyAdmin
from pressreleases.models import (
    Delivery,
    Distribution,
    PressRelease,
    ReleaseAttachment,
    ReleaseComment,
    ReleaseVersion,
    Tag,
)


@admin.register(Tag)
class TagAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name", "slug")
    list_filter = (("releases", admin.EmptyFieldListFilter),)
    search_fields = ("name", "name_ka", "name_hy", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(PressRelease)
class PressReleaseAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "author", "embargo_until", "published_at")
    list_filter = ("status", "tags", ("embargo_until", admin.EmptyFieldListFilter))
    search_fields = ("title_ka", "title_hy", "title_en", "search_key")
    list_select_related = ("author",)
    date_hierarchy = "created_at"


@admin.register(ReleaseVersion)
class ReleaseVersionAdmin(ReadOnlyAdmin):
    list_display = ("release", "number", "author", "created_at")
    list_filter = ("created_at",)
    search_fields = ("release__title_ka", "release__title_hy", "release__title_en")
    list_select_related = ("release", "author")


@admin.register(ReleaseComment)
class ReleaseCommentAdmin(ReadOnlyAdmin):
    list_display = ("release", "author", "version", "created_at")
    list_filter = ("created_at",)
    search_fields = ("body", "release__title_ka", "release__title_en")
    list_select_related = ("release", "author")


@admin.register(ReleaseAttachment)
class ReleaseAttachmentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "release", "content_type", "size", "public")
    list_filter = ("public", "attach_to_email", "content_type")
    search_fields = ("title", "original_name", "release__title_ka")
    list_select_related = ("release",)


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyAdmin):
    list_display = ("release", "status", "scheduled_for", "total", "created_by")
    list_filter = ("status", "attach_pdf")
    search_fields = ("release__title_ka", "release__title_hy", "release__title_en")
    list_select_related = ("release", "created_by")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("email", "release", "language", "status", "attempts", "sent_at")
    list_filter = ("status", "language", "under_embargo")
    search_fields = ("email", "name", "message_id")
    list_select_related = ("release",)
