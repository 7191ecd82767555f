from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from prapp import views

urlpatterns = [
    path("", include("reports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/profile/", views.ProfileView.as_view(), name="profile"),
    path("language/", views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.AuditListView.as_view(), name="audit"),
    path("outbox/", views.OutboxListView.as_view(), name="outbox"),
    path("outbox/test/", views.TestEmailView.as_view(), name="outbox_test"),
    path("outbox/<int:pk>/", views.OutboxDetailView.as_view(), name="outbox_detail"),
    path("outbox/<int:pk>/html/", views.OutboxHtmlView.as_view(), name="outbox_html"),
    path("contacts/", include("contacts.urls")),
    path("events/", include("events.urls")),
    path("releases/", include("pressreleases.urls")),
    path("newsroom/", include("pressreleases.urls_newsroom")),
    path("unsubscribe/", include("pressreleases.urls_unsubscribe")),
    path("monitoring/", include("media_monitoring.urls")),
    path("archive/", include("archive.urls")),
    path("inquiries/statistics/", include("inquiries.urls_stats")),
    path("inquiries/", include("inquiries.urls")),
    path("requests/", include("inquiries.urls_public")),
    path("admin/", admin.site.urls),
]
