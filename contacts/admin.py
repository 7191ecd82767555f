"""The contacts models in the Django admin: audited, searchable, filterable.

Day-to-day work happens in the staff UI; the admin is the manager's back door.
Search keys are recomputed here because the admin writes without the services.
"""

from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin

from contacts.models import (
    Affiliation,
    ContactGroup,
    ContactList,
    ImportJob,
    Interaction,
    Organisation,
    PartnerAgreement,
    Person,
    PersonEmail,
    PersonPhone,
    Region,
    SocialHandle,
)
from contacts.services import organisation_search_key, person_search_key
from prapp.admin_audit import AuditedModelAdmin, ReadOnlyAdmin
from prapp.text import search_key


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name", "country", "position")
    list_filter = ("country",)
    search_fields = ("name", "name_ka", "name_hy", "name_en")
    ordering = ("country", "position", "name")


@admin.register(ContactGroup)
class ContactGroupAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name",)
    list_filter = (("people", admin.EmptyFieldListFilter),)
    search_fields = ("name", "name_ka", "name_hy", "name_en", "description")


class PartnerAgreementInline(admin.TabularInline):
    model = PartnerAgreement
    extra = 0
    fields = ("title", "signed_on", "expires_on", "document")


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin, TranslationAdmin):
    list_display = ("name", "name_latin", "kind", "media_type", "region")
    list_filter = ("kind", "media_type", "region", "groups")
    search_fields = ("search_key", "name", "name_latin", "email")
    list_select_related = ("region",)
    autocomplete_fields = ("parent",)
    filter_horizontal = ("groups",)
    readonly_fields = ("last_verified_at", "last_verified_by")
    inlines = [PartnerAgreementInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        obj.search_key = organisation_search_key(obj)
        super().save_model(request, obj, form, change)


class PersonEmailInline(admin.TabularInline):
    model = PersonEmail
    extra = 0
    fields = ("email", "label", "is_primary", "bounced_at", "bounce_reason")


class PersonPhoneInline(admin.TabularInline):
    model = PersonPhone
    extra = 0
    fields = ("number", "kind", "is_primary")


class SocialHandleInline(admin.TabularInline):
    model = SocialHandle
    extra = 0


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = (
        "__str__",
        "first_name_latin",
        "last_name_latin",
        "language",
        "do_not_contact",
        "last_verified_at",
    )
    list_filter = (
        "language",
        "do_not_contact",
        ("opted_out_at", admin.EmptyFieldListFilter),
        "region",
        "groups",
    )
    search_fields = ("search_key", "first_name", "last_name", "emails__email")
    list_select_related = ("region",)
    filter_horizontal = ("groups",)
    readonly_fields = ("last_verified_at", "last_verified_by", "opted_out_at")
    inlines = [
        PersonEmailInline,
        PersonPhoneInline,
        SocialHandleInline,
        AffiliationInline,
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Clearing do-not-contact is a manager's decision, in the admin too.
        if not request.user.has_perm("contacts.clear_donotcontact"):
            fields.append("do_not_contact")
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        person = form.instance
        person.search_key = person_search_key(person)
        person.name_key = search_key(person.first_name, person.last_name)
        person.save(update_fields=["search_key", "name_key"])


@admin.register(Affiliation)
class AffiliationAdmin(AuditedModelAdmin):
    list_display = ("person", "organisation", "role", "is_current")
    list_filter = ("is_current", "organisation__kind")
    search_fields = ("person__search_key", "organisation__search_key", "role")
    list_select_related = ("person", "organisation")
    autocomplete_fields = ("person", "organisation")


@admin.register(PersonEmail)
class PersonEmailAdmin(AuditedModelAdmin):
    list_display = ("email", "person", "is_primary", "bounced_at")
    list_filter = ("is_primary", ("bounced_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "person__search_key")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)


@admin.register(PersonPhone)
class PersonPhoneAdmin(AuditedModelAdmin):
    list_display = ("number", "person", "kind", "is_primary")
    list_filter = ("kind", "is_primary")
    search_fields = ("number", "person__search_key")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)


@admin.register(SocialHandle)
class SocialHandleAdmin(AuditedModelAdmin):
    list_display = ("handle", "network", "person")
    list_filter = ("network",)
    search_fields = ("handle", "person__search_key")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)


@admin.register(ContactList)
class ContactListAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "description")
    list_select_related = ("created_by",)
    # Tens of thousands of people: members are chosen by search, not a long select.
    autocomplete_fields = ("members",)
    readonly_fields = ("created_by", "created_at")


@admin.register(PartnerAgreement)
class PartnerAgreementAdmin(AuditedModelAdmin):
    list_display = ("title", "organisation", "signed_on", "expires_on")
    list_filter = (("expires_on", admin.DateFieldListFilter), "organisation__kind")
    search_fields = ("title", "organisation__search_key")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    date_hierarchy = "signed_on"


@admin.register(Interaction)
class InteractionAdmin(AuditedModelAdmin):
    list_display = ("happened_at", "kind", "person", "organisation", "actor")
    list_filter = ("kind", ("happened_at", admin.DateFieldListFilter))
    search_fields = ("summary", "person__search_key", "organisation__search_key")
    list_select_related = ("person", "organisation", "actor")
    autocomplete_fields = ("person", "organisation")
    date_hierarchy = "happened_at"


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = (
        "original_name",
        "status",
        "created_by",
        "created_at",
        "created_count",
        "updated_count",
        "skipped_count",
    )
    list_filter = ("status", "file_format")
    search_fields = ("original_name", "created_by__username")
    list_select_related = ("created_by",)
