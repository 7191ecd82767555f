"""URLs of media accreditation; appended to events/urls.py (namespace "events")."""

from django.urls import path

from events import views_accreditation as views

urlpatterns = [
    # Public: journalists do not log in.
    path("accreditation/", views.accreditation_public, name="accreditation_public"),
    path(
        "accreditation/apply/",
        views.accreditation_apply_period,
        name="accreditation_apply_period",
    ),
    path(
        "accreditation/sent/",
        views.accreditation_thanks,
        name="accreditation_thanks",
    ),
    path(
        "<int:pk>/accreditation/apply/",
        views.accreditation_apply,
        name="accreditation_apply",
    ),
    # Staff.
    path(
        "accreditations/",
        views.AccreditationListView.as_view(),
        name="accreditation_list",
    ),
    path(
        "accreditations/<int:pk>/",
        views.AccreditationDetailView.as_view(),
        name="accreditation_detail",
    ),
    path(
        "accreditations/<int:pk>/approve/",
        views.AccreditationDecisionView.as_view(decision="approve"),
        name="accreditation_approve",
    ),
    path(
        "accreditations/<int:pk>/reject/",
        views.AccreditationDecisionView.as_view(decision="reject"),
        name="accreditation_reject",
    ),
    path(
        "accreditations/<int:pk>/revoke/",
        views.AccreditationDecisionView.as_view(decision="revoke"),
        name="accreditation_revoke",
    ),
    path(
        "accreditations/period/print/",
        views.AccreditationPrintView.as_view(),
        name="accreditation_period_print",
    ),
    path(
        "accreditations/period/badges/",
        views.AccreditationBadgesView.as_view(),
        name="accreditation_period_badges",
    ),
    path(
        "<int:pk>/accreditations/print/",
        views.AccreditationPrintView.as_view(),
        name="accreditation_print",
    ),
    path(
        "<int:pk>/accreditations/badges/",
        views.AccreditationBadgesView.as_view(),
        name="accreditation_badges",
    ),
]
