from django.urls import include, path

from media_monitoring import views

app_name = "media_monitoring"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("items/bulk/", views.ItemsBulkView.as_view(), name="items_bulk"),
    path("items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/triage/", views.ItemUpdateView.as_view(), name="item_update"),
    path("items/<int:pk>/assign/", views.ItemAssignView.as_view(), name="item_assign"),
    path("items/<int:pk>/notes/", views.NoteAddView.as_view(), name="item_note_add"),
    path("items/<int:pk>/response/", views.ResponseView.as_view(), name="item_respond"),
    path("items/<int:pk>/share/", views.ShareView.as_view(), name="item_share"),
    # Sources, topics and subscriptions (their names share this namespace).
    path("", include("media_monitoring.urls_setup")),
]
