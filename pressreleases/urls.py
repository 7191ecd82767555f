from django.urls import path

from pressreleases import views

app_name = "pressreleases"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
