from django.urls import path

from media_monitoring import views

app_name = "media_monitoring"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
