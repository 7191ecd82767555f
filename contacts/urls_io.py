"""Import and export of contacts; appended to contacts/urls.py (namespace contacts)."""

from django.urls import path

from contacts import views_io

urlpatterns = [
    path("import/", views_io.ImportUploadView.as_view(), name="import_upload"),
    path("imports/", views_io.ImportListView.as_view(), name="import_list"),
    path(
        "imports/<int:pk>/", views_io.ImportDetailView.as_view(), name="import_detail"
    ),
    path(
        "imports/<int:pk>/progress/",
        views_io.ImportProgressView.as_view(),
        name="import_progress",
    ),
    path(
        "imports/<int:pk>/result.csv",
        views_io.ImportReportView.as_view(),
        name="import_report",
    ),
    path("export/", views_io.ExportView.as_view(), name="export"),
]
