from django.urls import include, path

from media_monitoring import views

app_name = "media_monitoring"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    # Sources, topics and subscriptions (their names share this namespace).
    path("", include("media_monitoring.urls_setup")),
]
