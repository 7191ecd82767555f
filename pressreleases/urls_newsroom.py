"""The public newsroom, mounted at /newsroom/ (no login)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from pressreleases import views_newsroom as views
from pressreleases.feeds import ReleasesAtomFeed, ReleasesRssFeed

app_name = "newsroom"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:language>/", views.release_list, name="list"),
    path("<str:language>/rss/", login_not_required(ReleasesRssFeed()), name="rss"),
    path("<str:language>/atom/", login_not_required(ReleasesAtomFeed()), name="atom"),
    path("<str:language>/<int:pk>/pdf/", views.release_pdf, name="pdf"),
    path(
        "<str:language>/<int:pk>/files/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("<str:language>/<int:pk>/<str:slug>/", views.release_detail, name="detail"),
]
