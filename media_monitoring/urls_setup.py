"""Addresses of the monitoring set-up pages: sources, topics, subscriptions."""

from django.urls import path

from media_monitoring import views_setup as views

urlpatterns: list = [
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/new/", views.SourceCreateView.as_view(), name="source_create"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source_detail"),
    path(
        "sources/<int:pk>/edit/",
        views.SourceUpdateView.as_view(),
        name="source_update",
    ),
    path(
        "sources/<int:pk>/delete/",
        views.SourceDeleteView.as_view(),
        name="source_delete",
    ),
    path("sources/<int:pk>/pull/", views.SourcePullView.as_view(), name="source_pull"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("topics/new/", views.TopicCreateView.as_view(), name="topic_create"),
    path("topics/<int:pk>/", views.TopicDetailView.as_view(), name="topic_detail"),
    path("topics/<int:pk>/edit/", views.TopicUpdateView.as_view(), name="topic_update"),
    path(
        "topics/<int:pk>/delete/", views.TopicDeleteView.as_view(), name="topic_delete"
    ),
    path(
        "topics/<int:pk>/reapply/",
        views.TopicReapplyView.as_view(),
        name="topic_reapply",
    ),
    path("subscriptions/", views.SubscriptionsView.as_view(), name="subscriptions"),
]
