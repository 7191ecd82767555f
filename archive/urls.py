from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    # The grid and what it does to many assets at once.
    path("", views.IndexView.as_view(), name="index"),
    path("bulk/", views.AssetsBulkView.as_view(), name="assets_bulk"),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path("storage/", views.StorageView.as_view(), name="storage"),
    # One asset and its files.
    path("assets/<int:pk>/", views.AssetDetailView.as_view(), name="asset_detail"),
    path("assets/<int:pk>/edit/", views.AssetUpdateView.as_view(), name="asset_update"),
    path(
        "assets/<int:pk>/delete/", views.AssetDeleteView.as_view(), name="asset_delete"
    ),
    path(
        "assets/<int:pk>/reprocess/",
        views.AssetReprocessView.as_view(),
        name="asset_reprocess",
    ),
    path(
        "assets/<int:pk>/original/",
        views.AssetOriginalView.as_view(),
        name="asset_original",
    ),
    path(
        "assets/<int:pk>/stream/", views.AssetStreamView.as_view(), name="asset_stream"
    ),
    path(
        "assets/<int:pk>/press-copy/",
        views.AssetPressCopyView.as_view(),
        name="asset_press_copy",
    ),
    path(
        "assets/<int:pk>/r/<str:size>/",
        views.RenditionView.as_view(),
        name="rendition",
    ),
    path(
        "assets/<int:pk>/attach/event/",
        views.AssetAttachEventView.as_view(),
        name="asset_attach_event",
    ),
    # Albums.
    path("albums/", views.AlbumListView.as_view(), name="album_list"),
    path("albums/new/", views.AlbumCreateView.as_view(), name="album_create"),
    path("albums/<int:pk>/", views.AlbumDetailView.as_view(), name="album_detail"),
    path("albums/<int:pk>/edit/", views.AlbumUpdateView.as_view(), name="album_update"),
    path(
        "albums/<int:pk>/delete/", views.AlbumDeleteView.as_view(), name="album_delete"
    ),
    path(
        "albums/<int:pk>/remove/",
        views.AlbumAssetsRemoveView.as_view(),
        name="album_assets_remove",
    ),
    path(
        "albums/<int:pk>/download/",
        views.AlbumDownloadView.as_view(),
        name="album_download",
    ),
    # The head's media appearances.
    path("appearances/", views.AppearanceListView.as_view(), name="appearance_list"),
    path(
        "appearances/new/",
        views.AppearanceCreateView.as_view(),
        name="appearance_create",
    ),
    path(
        "appearances/<int:pk>/",
        views.AppearanceDetailView.as_view(),
        name="appearance_detail",
    ),
    path(
        "appearances/<int:pk>/edit/",
        views.AppearanceUpdateView.as_view(),
        name="appearance_update",
    ),
    path(
        "appearances/<int:pk>/delete/",
        views.AppearanceDeleteView.as_view(),
        name="appearance_delete",
    ),
]
