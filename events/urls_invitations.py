"""URLs of invitations, RSVP, check-in and calendar feeds (in the events namespace)."""

from django.urls import path

from events import views_invitations as views

urlpatterns = [
    path("<int:pk>/guests/", views.GuestListView.as_view(), name="guest_list"),
    path(
        "<int:pk>/guests/print/",
        views.GuestListPrintView.as_view(),
        name="guest_list_print",
    ),
    path("<int:pk>/invite/", views.InviteView.as_view(), name="invite"),
    path("<int:pk>/checkin/", views.CheckinView.as_view(), name="checkin"),
    path("<int:pk>/event.ics", views.EventIcsView.as_view(), name="event_ics"),
    path(
        "invitations/<int:pk>/answer/",
        views.InvitationAnswerView.as_view(),
        name="invitation_answer",
    ),
    path(
        "invitations/<int:pk>/checkin/",
        views.CheckinMarkView.as_view(),
        name="checkin_mark",
    ),
    path("rsvp/<str:token>/", views.RsvpView.as_view(), name="rsvp"),
    path("calendar/", views.FeedSettingsView.as_view(), name="feed_settings"),
    path("calendar/<str:token>.ics", views.FeedView.as_view(), name="feed"),
]
