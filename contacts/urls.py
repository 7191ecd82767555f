from django.urls import path

from contacts import urls_io, views

app_name = "contacts"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    # People
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path(
        "people/duplicate-check/",
        views.DuplicateCheckView.as_view(),
        name="duplicate_check",
    ),
    path("people/bulk/", views.PersonBulkView.as_view(), name="person_bulk"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonEditView.as_view(), name="person_edit"),
    path(
        "people/<int:pk>/verify/",
        views.PersonVerifyView.as_view(),
        name="person_verify",
    ),
    path(
        "people/<int:pk>/history/",
        views.PersonInteractionView.as_view(),
        name="person_interaction",
    ),
    path(
        "people/<int:pk>/do-not-contact/",
        views.PersonDoNotContactView.as_view(),
        name="person_dnc_set",
    ),
    path(
        "people/<int:pk>/do-not-contact/clear/",
        views.PersonClearDoNotContactView.as_view(),
        name="person_dnc_clear",
    ),
    path(
        "people/<int:pk>/opt-out/",
        views.PersonOptOutView.as_view(),
        name="person_opt_out",
    ),
    path(
        "people/<int:pk>/opt-in/",
        views.PersonOptInView.as_view(),
        name="person_opt_in",
    ),
    path(
        "people/<int:pk>/social/",
        views.PersonSocialAddView.as_view(),
        name="person_social_add",
    ),
    path(
        "emails/<int:pk>/bounced/", views.EmailBounceView.as_view(), name="email_bounce"
    ),
    path(
        "affiliations/<int:pk>/remove/",
        views.AffiliationRemoveView.as_view(),
        name="affiliation_remove",
    ),
    # Duplicates
    path("duplicates/", views.DuplicateListView.as_view(), name="duplicates"),
    path("duplicates/merge/", views.MergeView.as_view(), name="merge"),
    # Organisations and their agreements
    path(
        "organisations/suggest/",
        views.OrganisationSuggestView.as_view(),
        name="organisation_suggest",
    ),
    path(
        "organisations/",
        views.OrganisationListView.as_view(),
        name="organisation_list",
    ),
    path(
        "organisations/new/",
        views.OrganisationCreateView.as_view(),
        name="organisation_create",
    ),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path(
        "organisations/<int:pk>/verify/",
        views.OrganisationVerifyView.as_view(),
        name="organisation_verify",
    ),
    path(
        "organisations/<int:pk>/agreements/new/",
        views.AgreementCreateView.as_view(),
        name="agreement_create",
    ),
    path(
        "agreements/expiring/",
        views.AgreementExpiringView.as_view(),
        name="agreements_expiring",
    ),
    path(
        "agreements/<int:pk>/edit/",
        views.AgreementEditView.as_view(),
        name="agreement_edit",
    ),
    path(
        "agreements/<int:pk>/document/",
        views.AgreementDownloadView.as_view(),
        name="agreement_download",
    ),
    # Thematic groups
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/new/", views.GroupCreateView.as_view(), name="group_create"),
    path("groups/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<int:pk>/edit/", views.GroupEditView.as_view(), name="group_edit"),
    # Contact lists
    path("lists/", views.ContactListListView.as_view(), name="list_list"),
    path("lists/new/", views.ContactListCreateView.as_view(), name="list_create"),
    path(
        "lists/from-filter/",
        views.ContactListSaveFilterView.as_view(),
        name="list_save_filter",
    ),
    path("lists/<int:pk>/", views.ContactListDetailView.as_view(), name="list_detail"),
    path("lists/<int:pk>/edit/", views.ContactListEditView.as_view(), name="list_edit"),
    path(
        "lists/<int:pk>/remove/",
        views.ContactListRemoveMembersView.as_view(),
        name="list_remove_members",
    ),
]
# Import and export live in their own module (views_io.py, urls_io.py).
urlpatterns += urls_io.urlpatterns
