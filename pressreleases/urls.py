from django.urls import path

from pressreleases import views

app_name = "pressreleases"

urlpatterns = [
    # The landing page is the list of releases.
    path("", views.ReleaseListView.as_view(), name="index"),
    path("new/", views.ReleaseCreateView.as_view(), name="create"),
    path("<int:pk>/", views.ReleaseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ReleaseEditView.as_view(), name="edit"),
    path("<int:pk>/differences/", views.ReleaseDiffView.as_view(), name="diff"),
    path("<int:pk>/pdf/<str:language>/", views.ReleasePdfView.as_view(), name="pdf"),
    # The workflow (POST only)
    path("<int:pk>/submit/", views.ReleaseSubmitView.as_view(), name="submit"),
    path("<int:pk>/approve/", views.ReleaseApproveView.as_view(), name="approve"),
    path("<int:pk>/return/", views.ReleaseReturnView.as_view(), name="return"),
    path("<int:pk>/publish/", views.ReleasePublishView.as_view(), name="publish"),
    path("<int:pk>/withdraw/", views.ReleaseWithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/delete/", views.ReleaseDeleteView.as_view(), name="delete"),
    path("<int:pk>/comments/add/", views.CommentAddView.as_view(), name="comment_add"),
    # Attachments
    path(
        "<int:pk>/attachments/add/",
        views.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path(
        "<int:pk>/archive/",
        views.ArchivePickView.as_view(),
        name="archive_pick",
    ),
    path(
        "attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path(
        "attachments/<int:pk>/remove/",
        views.AttachmentRemoveView.as_view(),
        name="attachment_remove",
    ),
    # Sending
    path("<int:pk>/test-send/", views.TestSendView.as_view(), name="test_send"),
    path("<int:pk>/send/", views.ReleaseSendView.as_view(), name="send"),
    path("<int:pk>/progress/", views.ProgressView.as_view(), name="progress"),
    path(
        "distributions/<int:pk>/cancel/",
        views.DistributionCancelView.as_view(),
        name="distribution_cancel",
    ),
    path(
        "deliveries/<int:pk>/resolve/",
        views.DeliveryResolveView.as_view(),
        name="delivery_resolve",
    ),
]
