"""The archive in the Django admin: metadata for managers; files arrive in the app.

Uploading and replacing files goes through the staff pages (streamed, checked
by content, processed by the worker), so the admin edits metadata only and
shows the file's technical facts read-only. Every change is audited.
"""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from archive.models import Album, ArchiveTag, Asset, MediaAppearance
from prapp.admin_audit import AuditedModelAdmin


@admin.register(ArchiveTag)
class ArchiveTagAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    list_filter = ("assets__kind",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Album)
class AlbumAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("title", "event", "created_by", "created_at")
    search_fields = ("title", "description", "search_text")
    list_filter = ("created_at",)
    raw_id_fields = ("event", "cover")
    readonly_fields = ("created_by", "created_at")


@admin.register(Asset)
class AssetAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = (
        "__str__",
        "kind",
        "state",
        "rights",
        "consent",
        "size",
        "uploaded_at",
    )
    search_fields = ("title", "caption", "original_name", "credit", "search_text")
    list_filter = ("kind", "state", "rights", "consent", "uploaded_at")
    raw_id_fields = ("event", "release")
    filter_horizontal = ("tags", "albums")
    readonly_fields = (
        "file",
        "original_name",
        "content_type",
        "size",
        "state",
        "failure",
        "processing_note",
        "width",
        "height",
        "duration_seconds",
        "camera",
        "latitude",
        "longitude",
        "uploaded_by",
        "uploaded_at",
    )

    def has_add_permission(self, request):
        return False  # files arrive through the archive's upload page


@admin.register(MediaAppearance)
class MediaAppearanceAdmin(AuditedModelAdmin):
    list_display = ("title", "medium", "outlet", "programme", "aired_at")
    search_fields = ("title", "programme", "speaker_name", "search_text")
    list_filter = ("medium", "aired_at")
    raw_id_fields = ("person", "outlet", "recording")
    readonly_fields = ("created_by", "created_at")
