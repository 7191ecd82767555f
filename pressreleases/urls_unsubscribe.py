"""The public unsubscribe page of release mail (mounted at /unsubscribe/)."""

from django.urls import path

from pressreleases import views_unsubscribe

app_name = "unsubscribe"

urlpatterns = [
    path("<str:token>/", views_unsubscribe.UnsubscribeView.as_view(), name="page"),
]
