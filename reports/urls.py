from django.urls import path

from reports import views, views_report

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path(
        "reports/activity/",
        views_report.ActivityReportView.as_view(),
        name="activity",
    ),
    path(
        "reports/activity/export.<str:file_format>",
        views_report.ActivityExportView.as_view(),
        name="activity_export",
    ),
    path(
        "reports/activity/report.pdf",
        views_report.ActivityPdfView.as_view(),
        name="activity_pdf",
    ),
]
