"""The inquiry desk's statistics (namespace inquiries_stats)."""

from django.urls import path

from inquiries import views_stats

app_name = "inquiries_stats"

urlpatterns = [
    path("", views_stats.StatisticsView.as_view(), name="statistics"),
    path(
        "export.<str:file_format>",
        views_stats.StatisticsExportView.as_view(),
        name="export",
    ),
]
